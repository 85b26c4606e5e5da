//! What a check read, written down as it reads: the verdict cache's key.
//!
//! A check reads the book through a [`Reader`], which notes each
//! [`Fact`] it consumed with the fact's value now (a hash). A verdict is
//! kept with that trace, and reused only while every fact in it has the
//! same value (cache.rs): a trace is verified, not guessed, as build
//! systems that verify traces do (Bazel's action keys, rust-analyzer's
//! salsa). Facts are about the book's files (by their path in the book,
//! never the checkout's: where it is and what it is called do not matter),
//! about what a check derives from them (where a listing is shown, what of
//! a file can change a page's structure), and about the machine (the
//! toolchain, the registry crates a listing resolves to, the harness).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::book::chapters::Chapter;
use crate::book::files::Entry;
use crate::book::listings::{Files, Listing};
use crate::book::model::Book;
use crate::book::problem::Problem;
use crate::running::tools::tool_version;

/// One thing a verdict depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Fact {
    /// A file of the book: its bytes, or that it is missing or refused.
    File(PathBuf),
    /// The names (and kinds) in a directory of the book.
    Dir(PathBuf),
    /// Every path and every byte under a directory of the book.
    Tree(PathBuf),
    /// Every path under a directory of the book, not the bytes.
    Names(PathBuf),
    /// What of a file can change a page when a code block includes it
    /// whole or by an anchor (see [`Shape`]), in order.
    Shape(PathBuf),
    /// The same, with the line numbers (for an include of a line range).
    Lines(PathBuf),
    /// What of a file decides whether a code block that is one include of
    /// it, at the start of a line of a fence at the start of a line, shows
    /// its text: its [`Shape`] alone while mdBook and Markdown copy each of
    /// its lines as it is, else all of it ([`as_code`]).
    Code(PathBuf),
    /// The same, with the line numbers (for an include of a line range).
    CodeLines(PathBuf),
    /// Where the chapters show a listing (its directory): each chapter,
    /// line and file.
    ShownIn(PathBuf),
    /// Which of a listing's files the chapters show (not where): what a
    /// passing verdict can depend on, while a chapter's lines move.
    ShownFiles(PathBuf),
    /// Which listings have a package name (cargo builds them as one
    /// workspace, where a name is unique).
    Package(String),
    /// The registry crates a package resolves to, by the book's
    /// `Cargo.lock` (names, versions, sources, checksums).
    Crates(String),
    /// A tool's own account of its version (`rustc -vV`, …).
    Tool(String),
    /// An environment variable the harness reads.
    Env(String),
    /// The harness's own code.
    Harness,
}

impl Fact {
    /// The fact, as an explanation of a re-run says it changed.
    pub fn said(&self) -> String {
        match self {
            Fact::File(p) => format!("{} changed", p.display()),
            Fact::Dir(p) => format!("a file was added to or taken from {}", p.display()),
            Fact::Tree(p) => format!("a file under {} changed", p.display()),
            Fact::Names(p) => format!("a file was added to or taken from {}", p.display()),
            Fact::Shape(p) | Fact::Lines(p) => {
                format!("{} changed what a page shows of it", p.display())
            }
            Fact::Code(p) | Fact::CodeLines(p) => {
                format!("{} changed what a code block shows of it", p.display())
            }
            Fact::ShownIn(p) => format!("where the chapters show {} changed", p.display()),
            Fact::ShownFiles(p) => {
                format!("which files of {} the chapters show changed", p.display())
            }
            Fact::Package(name) => format!("another listing took or gave up the name {name}"),
            Fact::Crates(p) => format!("the registry crates {p} resolves to changed"),
            Fact::Tool(t) => format!("{t} changed (another version)"),
            Fact::Env(v) => format!("the variable {v} changed"),
            Fact::Harness => "the harness changed".into(),
        }
    }
}

/// The value of a fact about the book or its machine, worked out once per
/// run (the book keeps it).
pub fn fact_value(book: &Book, fact: &Fact) -> u64 {
    book.once(hash_of(fact), || value_of(book, fact))
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Hash for Entry {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Entry::File(bytes) => (1u8, &bytes[..]).hash(state),
            Entry::Refused(refusal) => (2u8, refusal).hash(state),
        }
    }
}

/// The entries under `rel` (relative to it), in order.
fn under<'b>(book: &'b Book, rel: &Path) -> impl Iterator<Item = (&'b Path, &'b Entry)> {
    let rel = rel.to_path_buf();
    book.tree()
        .entries
        .range(rel.clone()..)
        .take_while(move |(p, _)| p.starts_with(&rel))
        .map(|(p, e)| (p.as_path(), e))
}

/// The value now of a fact about the machine that no run of this harness
/// can see change back: the harness's own code, a tool's version. A
/// verdict that holds another value for one of them can never be reused by
/// this harness, and need not be kept (cache.rs).
pub fn machine_value(fact: &Fact) -> Option<u64> {
    match fact {
        Fact::Harness => Some(hash_of(env!("HARNESS_SOURCE_HASH"))),
        Fact::Tool(name) => Some(hash_of(tool_version(name))),
        _ => None,
    }
}

/// The value of `fact` for `book` now.
pub fn value_of(book: &Book, fact: &Fact) -> u64 {
    match fact {
        Fact::File(rel) => hash_of(book.entry(rel)),
        Fact::Dir(rel) => {
            let names: Vec<(&Path, bool)> = book
                .tree()
                .entries
                .keys()
                .chain(book.tree().dirs.iter())
                .filter(|p| p.parent() == Some(rel.as_path()))
                .map(|p| (p.as_path(), book.tree().dirs.contains(p)))
                .collect();
            let mut names = names;
            names.sort();
            hash_of(names)
        }
        Fact::Tree(rel) => hash_of(under(book, rel).collect::<Vec<_>>()),
        Fact::Names(rel) => hash_of(
            under(book, rel)
                .map(|(p, e)| (p, matches!(e, Entry::File(_))))
                .collect::<Vec<_>>(),
        ),
        Fact::Shape(rel) => hash_of(Shape::of(book.entry(rel)).in_order()),
        Fact::Lines(rel) => hash_of(Shape::of(book.entry(rel))),
        Fact::Code(rel) | Fact::CodeLines(rel) => {
            let entry = book.entry(rel);
            match entry {
                Some(Entry::File(bytes)) if as_code(bytes) => {
                    let shape = Shape::of(entry);
                    match fact {
                        Fact::Code(_) => hash_of((1u8, shape.in_order())),
                        _ => hash_of((1u8, shape)),
                    }
                }
                _ => hash_of((2u8, entry)),
            }
        }
        Fact::ShownIn(dir) => hash_of(book.shown_in().get(&book.root().join(dir))),
        Fact::ShownFiles(dir) => {
            let mut files: Vec<&Path> = book
                .shown_in()
                .get(&book.root().join(dir))
                .into_iter()
                .flatten()
                .map(|s| s.file.as_path())
                .collect();
            files.sort();
            files.dedup();
            hash_of(files)
        }
        Fact::Package(name) => hash_of(
            book.listings()
                .iter()
                .filter(|l| l.package == *name)
                .map(|l| &l.rel)
                .collect::<Vec<_>>(),
        ),
        Fact::Crates(package) => hash_of(crates(book, package)),
        Fact::Env(name) => hash_of(std::env::var_os(name)),
        Fact::Harness | Fact::Tool(_) => machine_value(fact).expect("a fact of the machine"),
    }
}

/// What of a file can change the structure of a page that includes it in
/// a code block: whether it is there and is text, its anchor lines, the
/// lines that could close the block's fence, the `{{#…}}` directives
/// mdBook would expand in it, and its size in 4 KiB steps (what bounds a
/// page). Not the rest of its text: code and output show on the page but
/// add no link, heading, figure or block.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Shape {
    pub state: State,
    /// (line, the line) for each line that matters, in order.
    pub lines: Vec<(usize, String)>,
    /// Its size, in 4 KiB steps, rounded up.
    pub blocks: u64,
}

/// Whether a fenced block that is one include of `bytes` shows each of
/// their lines as it is, so that only their [`Shape`] can change what the
/// block shows: text whose lines Markdown keeps whole (no carriage return
/// to end a line early, no NUL that the parser replaces), and none of
/// which is `#` or starts with `# ` (a line rustdoc hides, which the check
/// of a listing's block reads with its mark taken off).
pub fn as_code(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| {
        !text.contains(['\r', '\0']) && text.lines().all(|l| l != "#" && !l.starts_with("# "))
    })
}

/// Whether a file can be included at all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum State {
    /// It is UTF-8 text.
    #[default]
    Text,
    /// The book has no such file.
    Missing,
    /// The harness does not read it (why).
    Refused(String),
    /// It is not UTF-8 text (where it stops being: "line 3, byte \xff").
    NotText(String),
}

static MATTERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR(_END)?\s*:|^ {0,3}(```|~~~)|\{\{\s*#").unwrap());

impl Shape {
    pub fn of(entry: Option<&Entry>) -> Shape {
        let bytes = match entry {
            None => {
                return Shape {
                    state: State::Missing,
                    ..Shape::default()
                };
            }
            Some(Entry::Refused(refusal)) => {
                return Shape {
                    state: State::Refused(refusal.explain()),
                    ..Shape::default()
                };
            }
            Some(Entry::File(bytes)) => bytes,
        };
        let blocks = (bytes.len() as u64).div_ceil(4096);
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Shape {
                state: State::NotText(
                    crate::book::printed::first_not_utf8(bytes).unwrap_or_default(),
                ),
                blocks,
                ..Shape::default()
            };
        };
        let lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| MATTERS.is_match(l))
            .map(|(i, l)| (i + 1, l.to_string()))
            .collect();
        Shape {
            state: State::Text,
            lines,
            blocks,
        }
    }

    /// The same, but where the lines are (only their order).
    fn in_order(&self) -> (&State, Vec<&str>, u64) {
        (
            &self.state,
            self.lines.iter().map(|(_, l)| l.as_str()).collect(),
            self.blocks,
        )
    }
}

/// The registry crates `package` resolves to by the book's Cargo.lock:
/// every package it reaches, with version, source and checksum; or that it
/// is not in the lock file.
fn crates(book: &Book, package: &str) -> Vec<(String, String, String, String)> {
    let Some(lock) = book.lock() else {
        return vec![(
            "no Cargo.lock".into(),
            String::new(),
            String::new(),
            String::new(),
        )];
    };
    let packages: Vec<&toml::Table> = lock
        .get("package")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_table())
        .collect();
    let field =
        |p: &toml::Table, k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let mut seen = std::collections::BTreeSet::new();
    let mut todo: Vec<(String, Option<String>)> = vec![(package.to_string(), None)];
    while let Some((name, version)) = todo.pop() {
        let Some(found) = packages.iter().find(|p| {
            field(p, "name") == name && version.as_ref().is_none_or(|v| field(p, "version") == *v)
        }) else {
            seen.insert((
                name,
                "not in Cargo.lock".into(),
                String::new(),
                String::new(),
            ));
            continue;
        };
        let entry = (
            field(found, "name"),
            field(found, "version"),
            field(found, "source"),
            field(found, "checksum"),
        );
        if !seen.insert(entry) {
            continue;
        }
        for dep in found
            .get("dependencies")
            .and_then(|d| d.as_array())
            .into_iter()
            .flatten()
            .filter_map(|d| d.as_str())
        {
            let mut words = dep.split_whitespace();
            let name = words.next().unwrap_or_default().to_string();
            todo.push((name, words.next().map(str::to_string)));
        }
    }
    seen.into_iter().collect()
}

/// Reads the book for one check, and writes down what it read.
#[derive(Debug)]
pub struct Reader<'b> {
    book: &'b Book,
    read: RefCell<BTreeMap<Fact, u64>>,
}

impl<'b> Reader<'b> {
    pub fn new(book: &'b Book) -> Reader<'b> {
        let reader = Reader {
            book,
            read: RefCell::default(),
        };
        reader.note(Fact::Harness);
        reader
    }

    /// The model, for what is not a fact of the book: where its root is
    /// (for messages and paths). Its contents are read through the
    /// methods below.
    pub fn book(&self) -> &'b Book {
        self.book
    }

    pub fn root(&self) -> &'b Path {
        self.book.root()
    }

    /// Writes down that the check depends on `fact`.
    pub fn note(&self, fact: Fact) {
        let value = fact_value(self.book, &fact);
        self.read.borrow_mut().insert(fact, value);
    }

    /// Everything read, with its value.
    pub fn trace(&self) -> Vec<(Fact, u64)> {
        self.read
            .borrow()
            .iter()
            .map(|(f, v)| (f.clone(), *v))
            .collect()
    }

    /// `book.toml`, SUMMARY.md and every chapter, parsed.
    pub fn chapters(&self) -> Result<&'b [Chapter], &'b [Problem]> {
        self.note(Fact::File("book.toml".into()));
        self.note(Fact::File(self.book.src().join("SUMMARY.md")));
        for file in self.book.chapter_files() {
            self.note(Fact::File(file.clone()));
        }
        self.book.chapters()
    }

    /// Every listing, with its metadata.
    pub fn listings(&self) -> &'b [Listing] {
        self.note(Fact::Dir("listings".into()));
        for chapter in self
            .book
            .tree()
            .dirs
            .iter()
            .filter(|d| d.parent() == Some(Path::new("listings")))
        {
            self.note(Fact::Dir(chapter.clone()));
        }
        let listings = self.book.listings();
        for listing in listings {
            self.note(Fact::File(listing.rel.join("Cargo.toml")));
        }
        listings
    }

    /// One listing's own metadata, and the other listings that share its
    /// package name (`None`: none does).
    pub fn listing(&self, listing: &Listing) -> Option<Problem> {
        self.note(Fact::File(listing.rel.join("Cargo.toml")));
        // What it declares also rests on the configuration it may not carry.
        for file in crate::book::listings::CONFIGURATION {
            self.note(Fact::File(listing.rel.join(file)));
        }
        self.note(Fact::Package(listing.package.clone()));
        let others: Vec<String> = self
            .book
            .listings()
            .iter()
            .filter(|l| {
                l.package == listing.package && l.rel != listing.rel && listing.declared.is_ok()
            })
            .map(|l| l.rel.display().to_string())
            .collect();
        (!others.is_empty()).then(|| {
            Problem::new(
                listing.rel.join("Cargo.toml"),
                None,
                format!(
                    "its package is named `{}`, as {} is: each listing's package needs a name of \
                     its own (cargo builds them as one workspace)",
                    listing.package,
                    others.join(" and ")
                ),
            )
        })
    }

    /// A file of the book (relative to the root).
    pub fn entry(&self, rel: &Path) -> Option<&'b Entry> {
        self.note(Fact::File(rel.to_path_buf()));
        self.book.entry(rel)
    }

    pub fn bytes(&self, rel: &Path) -> Option<&'b [u8]> {
        self.note(Fact::File(rel.to_path_buf()));
        self.book.bytes(rel)
    }

    pub fn text(&self, rel: &Path) -> Option<&'b str> {
        self.note(Fact::File(rel.to_path_buf()));
        self.book.text(rel)
    }

    /// Every file under directory `rel`, with its bytes or refusal.
    pub fn tree(&self, rel: &Path) -> Vec<(&'b Path, &'b Entry)> {
        self.note(Fact::Tree(rel.to_path_buf()));
        under(self.book, rel).collect()
    }

    /// The paths of every file under directory `rel`, not their bytes.
    pub fn names(&self, rel: &Path) -> Vec<&'b Path> {
        self.note(Fact::Names(rel.to_path_buf()));
        under(self.book, rel).map(|(p, _)| p).collect()
    }

    /// What of file `rel` a page that includes it in a code block depends
    /// on (`lines`: with the line numbers, for a line range).
    pub fn shape(&self, rel: &Path, lines: bool) -> Shape {
        self.note(if lines {
            Fact::Lines(rel.to_path_buf())
        } else {
            Fact::Shape(rel.to_path_buf())
        });
        Shape::of(self.book.entry(rel))
    }

    /// The text of `rel` for a fenced block that is one include of it and
    /// nothing else, its fence and the include each at the start of their
    /// line: noted as what can change what the block shows of it
    /// ([`Fact::Code`], with the line numbers for an include of a range).
    pub fn code(&self, rel: &Path, lines: bool) -> Option<&'b str> {
        self.note(if lines {
            Fact::CodeLines(rel.to_path_buf())
        } else {
            Fact::Code(rel.to_path_buf())
        });
        self.book.text(rel)
    }

    /// Where the chapters show the listing in `dir` (absolute).
    pub fn shown_in(&self, dir: &Path) -> &'b [crate::book::model::Shown] {
        let rel = self.book.relative(dir).unwrap_or(dir).to_path_buf();
        self.note(Fact::ShownIn(rel));
        self.shown(dir)
    }

    /// The same places, noting only which files they show: for a check
    /// that names a chapter's line only in a problem, and notes
    /// [`Reader::shown_in`] when it has one (a passing verdict then stays
    /// good while an edit above moves the chapter's lines).
    pub fn shown_files(&self, dir: &Path) -> &'b [crate::book::model::Shown] {
        let rel = self.book.relative(dir).unwrap_or(dir).to_path_buf();
        self.note(Fact::ShownFiles(rel));
        self.shown(dir)
    }

    fn shown(&self, dir: &Path) -> &'b [crate::book::model::Shown] {
        self.book
            .shown_in()
            .get(dir)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The registry crates `package` resolves to (cargo reads them from
    /// the Cargo.lock the checks stage beside it).
    pub fn crates(&self, package: &str) {
        self.note(Fact::Crates(package.to_string()));
    }

    /// A tool's version (`rustc`, `cargo`, `clippy`, `rustfmt`).
    pub fn tool(&self, name: &str) -> String {
        self.note(Fact::Tool(name.to_string()));
        tool_version(name)
    }

    /// An environment variable.
    pub fn env(&self, name: &str) -> Option<std::ffi::OsString> {
        self.note(Fact::Env(name.to_string()));
        std::env::var_os(name)
    }
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
                Ok(text) => crate::book::listings::without_anchor_lines(&text).into_bytes(),
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

#[cfg(test)]
mod tests {
    use super::as_code;

    /// A file is shown line for line only while Markdown keeps each line
    /// whole and no line is one rustdoc hides.
    #[test]
    fn a_file_is_copied_as_code_unless_a_line_can_show_otherwise() {
        assert!(as_code(
            b"fn main() {\n    #[allow(unused)]\n    let x = 1;\n}\n"
        ));
        assert!(!as_code(b"fn main() {\n# let x = 1;\n}\n"));
        assert!(!as_code(b"fn main() {\n#\n}\n"));
        assert!(!as_code(b"fn main() {\r\n}\r\n"));
        assert!(!as_code(b"let s = \"\0\";\n"));
        assert!(!as_code(b"\xff\n"));
    }
}
