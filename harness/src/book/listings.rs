//! The listings: one Cargo package per directory `listings/<chapter>/<listing>`,
//! found once in the model of the book, each with what it declares in its
//! `Cargo.toml` (metadata.rs) and its files as the reader has them.

use std::path::{Path, PathBuf};

use regex::Regex;
use std::sync::LazyLock;

use crate::book::files::{Entry, Tree};
pub use crate::book::metadata::Outcome;
use crate::book::metadata::{self, Declared};
use crate::book::problem::Problem;

/// Files, by their paths relative to a directory, with their bytes.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// The lock file that pins the registry crates the listings use: the
/// listings' own workspace's (listings/Cargo.toml), not the root's, which
/// never resolves a listing's dependencies.
pub const LOCK: &str = "listings/Cargo.lock";

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

/// Every listing of the book whose files are `tree`, sorted by path: each directory two levels
/// under `listings/`.
pub fn discover(root: &Path, tree: &Tree) -> Vec<Listing> {
    let mut found: Vec<Listing> = tree
        .dirs
        .iter()
        .filter(|d| d.starts_with("listings") && d.components().count() == 3)
        .map(|rel| {
            let manifest = rel.join("Cargo.toml");
            let text = match tree.entries.get(&manifest) {
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
            let declared = match configuration(rel, tree) {
                Some(problem) => Err(problem),
                None => declared,
            };
            Listing {
                dir: root.join(rel),
                rel: rel.clone(),
                package,
                declared,
            }
        })
        .collect();
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found
}

/// Configuration that would make cargo or rustup, in the checks, run a
/// listing otherwise than the reader's `cargo run` in the project they made
/// with `cargo new`, which has none.
pub const CONFIGURATION: [&str; 4] = [
    ".cargo/config.toml",
    ".cargo/config",
    "rust-toolchain.toml",
    "rust-toolchain",
];

/// The problem with a listing (at `rel`) that carries cargo or rustup
/// configuration, if it does.
fn configuration(rel: &Path, tree: &Tree) -> Option<Problem> {
    let file = CONFIGURATION
        .iter()
        .map(|f| rel.join(f))
        .find(|f| tree.entries.contains_key(f))?;
    Some(Problem::new(
        file,
        None,
        "a listing may not carry cargo or rustup configuration: the reader's project, made \
         with `cargo new`, has none, so its `cargo run` would not do what the checks and the \
         recording did (harness/guides/what-a-listing-may-do.md)",
    ))
}

/// The listing directory (`<root>/listings/<chapter>/<listing>`) a path is in.
pub fn listing_dir_of(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root.join("listings")).ok()?;
    let mut parts = rel.components();
    let (chapter, listing) = (parts.next()?, parts.next()?);
    Some(root.join("listings").join(chapter).join(listing))
}

/// A line mdBook treats as an anchor marker (its own pattern).
static ANCHOR_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bANCHOR(_END)?\s*:\s*[\w_-]+").unwrap());

/// A listing's file as the reader sees it: without the anchor marker
/// lines, which mdBook hides.
pub fn without_anchor_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| !ANCHOR_LINE.is_match(line))
        .collect()
}

/// Whether a listing brings code that runs while it is built: a build
/// script, or a procedural macro of its own. Its build runs alone, and may
/// write only its own target directory, so nothing it runs can touch
/// another listing's build (a program swapped for another, a forged
/// verdict). Registry crates, which may have build scripts too, come only
/// from the registry, pinned by the book's Cargo.lock, and are reviewed
/// there (harness/guides/what-a-listing-may-do.md).
pub fn builds_alone(files: &Files) -> bool {
    files.iter().any(|(path, content)| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "build.rs" {
            return true;
        }
        if name != "Cargo.toml" {
            return false;
        }
        let Ok(manifest) = String::from_utf8_lossy(content).parse::<toml::Table>() else {
            return true;
        };
        let build = manifest
            .get("package")
            .and_then(|p| p.get("build"))
            .is_some_and(|b| b.as_bool() != Some(false));
        let proc_macro = manifest.get("lib").is_some_and(|lib| {
            ["proc-macro", "proc_macro"]
                .iter()
                .any(|k| lib.get(k).and_then(toml::Value::as_bool) == Some(true))
        });
        build || proc_macro
    })
}
