//! The listings: one Cargo package per directory `listings/<chapter>/<listing>`,
//! found once in the model of the book, each with what it declares in its
//! `Cargo.toml` (metadata.rs) and its files as the reader has them.

use std::path::PathBuf;

use crate::Problem;
use crate::files::Entry;
pub use crate::metadata::Outcome;
use crate::metadata::{self, Declared};
use crate::model::Book;
use crate::trace::Reader;
use crate::transcript::{self, INPUT, TRANSCRIPT};

/// Files, by their paths relative to a directory, with their bytes.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// The expected-output file of a listing: exactly what its program prints.
pub const EXPECTED_OUTPUT: &str = "output.txt";

/// One listing directory.
#[derive(Debug, Clone)]
pub struct Listing {
    /// Its directory (under the book's root).
    pub dir: PathBuf,
    /// The same, relative to the book's root.
    pub rel: PathBuf,
    /// Its package name (empty when its Cargo.toml could not be read).
    pub package: String,
    /// What it declares, or why its declaration could not be read.
    pub declared: Result<Declared, Problem>,
}

impl Listing {
    /// Its expected output, if it has one (relative to the book's root).
    pub fn expected_output(&self, book: &Book) -> Option<PathBuf> {
        let path = self.rel.join(EXPECTED_OUTPUT);
        book.entry(&path).is_some().then_some(path)
    }

    /// Its transcript, if it has one (relative to the book's root).
    pub fn transcript(&self, book: &Book) -> Option<PathBuf> {
        let path = self.rel.join(TRANSCRIPT);
        book.entry(&path).is_some().then_some(path)
    }

    /// What it declares to do; `Runs` when its declaration is broken.
    pub fn outcome(&self) -> Outcome {
        self.declared.as_ref().map_or(Outcome::Runs, |d| d.outcome)
    }

    /// The package as the reader made it (`cargo new NAME`).
    pub fn project(&self) -> String {
        self.declared
            .as_ref()
            .ok()
            .and_then(|d| d.project.clone())
            .unwrap_or_else(|| self.package.clone())
    }
}

/// Crates of the playground's list (the most downloaded ones) that courses
/// use; a listing that depends on another crate cannot run there.
const PLAYGROUND_CRATES: [&str; 14] = [
    "rand",
    "regex",
    "serde",
    "serde_json",
    "itertools",
    "chrono",
    "anyhow",
    "thiserror",
    "once_cell",
    "tokio",
    "futures",
    "rayon",
    "log",
    "clap",
];

/// The files a listing may have and still run on the playground.
const PLAYGROUND_FILES: [&str; 6] = [
    "Cargo.toml",
    "Cargo.lock",
    "src/main.rs",
    "output.txt",
    "transcript.txt",
    "rustfmt.toml",
];

impl Listing {
    /// Why the Rust playground cannot show the reader what the book prints
    /// for this listing, or `None` when it can: a single `src/main.rs`,
    /// with crates the playground has, run with no input, arguments,
    /// variables or files, and not by `cargo test`.
    pub fn not_on_the_playground(&self, book: &Reader) -> Option<String> {
        for path in book.names(&self.rel) {
            let file = path.strip_prefix(&self.rel).unwrap_or(path);
            let name = file.display().to_string();
            if PLAYGROUND_FILES.contains(&name.as_str()) {
                continue;
            }
            return Some(if name == INPUT {
                "it reads what the reader types".into()
            } else if file.extension().is_some_and(|e| e == "rs") {
                format!("it is more than one file ({name})")
            } else {
                format!("it reads {name}")
            });
        }
        let transcript = book.text(&self.rel.join(TRANSCRIPT)).unwrap_or_default();
        for step in transcript::steps(transcript).unwrap_or_default() {
            if let Some((name, _)) = step.env.first() {
                return Some(format!("it is run with {name} set"));
            }
            match step.cargo_args.first().map(String::as_str) {
                Some("test") => return Some("its output is a `cargo test` run".into()),
                _ if step.cargo_args.iter().skip(1).any(|a| a != "--release") => {
                    return Some("it is run with arguments".into());
                }
                _ => {}
            }
        }
        let manifest = book.text(&self.rel.join("Cargo.toml")).unwrap_or_default();
        let manifest: toml::Table = manifest.parse().unwrap_or_default();
        let lacking = manifest
            .get("dependencies")
            .and_then(|d| d.as_table())
            .into_iter()
            .flat_map(|d| d.keys())
            .find(|name| !PLAYGROUND_CRATES.contains(&name.as_str()));
        lacking.map(|name| format!("it uses the crate `{name}`, which the playground lacks"))
    }
}

/// Every listing of `book`, sorted by path: each directory two levels
/// under `listings/`.
pub fn discover(book: &Book) -> Vec<Listing> {
    let mut found: Vec<Listing> = book
        .tree()
        .dirs
        .iter()
        .filter(|d| d.starts_with("listings") && d.components().count() == 3)
        .map(|rel| {
            let manifest = rel.join("Cargo.toml");
            let text = match book.entry(&manifest) {
                Some(Entry::File(bytes)) => {
                    std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
                }
                Some(Entry::Refused(refusal)) => Err(refusal.explain()),
                None => Err("there is none".to_string()),
            };
            let (package, declared) = match metadata::parse(&manifest, text) {
                Ok((package, declared)) => (package, Ok(declared)),
                Err(problem) => (String::new(), Err(problem)),
            };
            Listing {
                dir: book.root().join(rel),
                rel: rel.clone(),
                package,
                declared,
            }
        })
        .collect();
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found
}

/// Every file of a listing, relative to its directory, with its content as
/// the reader has it (Rust files without anchor lines); or the problem
/// with a file the harness does not read (a link, a FIFO, too large).
pub fn reader_files(book: &Reader, listing: &Listing) -> Result<Files, Problem> {
    let mut files = Vec::new();
    for (path, entry) in book.tree(&listing.rel) {
        let rel = path
            .strip_prefix(&listing.rel)
            .unwrap_or(path)
            .to_path_buf();
        let bytes = match entry {
            Entry::File(bytes) => bytes.to_vec(),
            Entry::Refused(refusal) => {
                return Err(Problem::new(path, None, refusal.explain()));
            }
        };
        let bytes = if rel.extension().is_some_and(|e| e == "rs") {
            match String::from_utf8(bytes) {
                Ok(text) => crate::stage::as_the_reader_sees_it(&text).into_bytes(),
                Err(e) => e.into_bytes(),
            }
        } else {
            bytes
        };
        files.push((rel, bytes));
    }
    Ok(files)
}

/// The listing's file `name` (relative to its directory), as text.
pub fn text_of<'b>(book: &Reader<'b>, listing: &Listing, name: &str) -> Option<&'b str> {
    book.text(&listing.rel.join(name))
}
