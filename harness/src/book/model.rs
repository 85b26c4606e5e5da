//! The one model of the book, loaded once per run. Every check reads the
//! book through it (by a [`Reader`](crate::engine::trace::Reader), which writes
//! down what was read, for the verdict cache), never through a root path:
//!
//! - **its files**, read once ([`files`](crate::book::files): no link followed,
//!   each file and the whole bounded): `book.toml`, the chapters' directory
//!   (`src/` unless `book.toml` says otherwise), `listings/`, `theme/`, the
//!   word list and `Cargo.lock`. Nothing is left out by its name: a folder
//!   called `book` or `target` inside `src/` is part of the book, and the
//!   checkout may be called anything;
//! - **`book.toml`**, parsed by mdBook, and held to what this book allows
//!   (README, "What `book.toml` may say"): the preprocessors and renderers
//!   the harness runs in-process, no command of a contributor's, no path
//!   out of the repository;
//! - **the chapters**: `SUMMARY.md` parsed by mdBook's own parser into
//!   mdBook's own [`Book`](mdbook_driver::book::Book), from the files read
//!   above (an entry outside `src/` is refused), and each chapter's code
//!   blocks and `{{#include}}` directives parsed once with mdBook's
//!   Markdown parser;
//! - **the listings**, found once, each with its metadata and its files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use mdbook_driver::book::{Book as MdBook, BookItem, Chapter as MdChapter};
use mdbook_driver::config::Config;
use mdbook_summary::{Link, SummaryItem};

use crate::book::chapters::{Chapter, normalize};
use crate::book::files::{Entry, Refusal, Tree};
use crate::book::listings::Listing;
use crate::book::problem::Problem;

/// The word list, relative to the book's root.
pub const WORD_LIST: &str = "tests/words.toml";

/// What makes the theme's minified files (the minifiers, and their
/// `node_modules/` once installed): not part of the book, never read.
pub const THEME_TOOLS: &str = "theme/tools";

pub use crate::book::config::LABELS;

/// A place a chapter shows a listing's file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shown {
    /// The chapter (relative to the root) and the directive's line.
    pub chapter: PathBuf,
    pub line: usize,
    /// The file it shows (under the root).
    pub file: PathBuf,
}

/// The book, as read once.
#[derive(Debug)]
pub struct Book {
    root: PathBuf,
    /// The chapters' directory, relative to the root (`src`).
    src: PathBuf,
    tree: Tree,
    config: Result<Config, Vec<Problem>>,
    chapters: Result<Vec<Chapter>, Vec<Problem>>,
    /// Every file SUMMARY.md names, there or not.
    chapter_files: Vec<PathBuf>,
    /// mdBook's own model of the chapters.
    mdbook: Option<MdBook>,
    listings: Vec<Listing>,
    /// Each fact's value, worked out once.
    facts: Mutex<HashMap<u64, u64>>,
    shown_in: OnceLock<BTreeMap<PathBuf, Vec<Shown>>>,
    lock: OnceLock<Option<toml::Table>>,
}

impl Book {
    /// Reads the book at `root`.
    pub fn load(root: &Path) -> Book {
        let config_text = crate::book::files::read(root, Path::new("book.toml"));
        let (config, src) = match &config_text {
            Ok(Some(bytes)) => crate::book::config::parse(bytes),
            Ok(None) => (
                Err(vec![Problem::new(
                    "book.toml",
                    None,
                    "a book needs a book.toml",
                )]),
                PathBuf::from("src"),
            ),
            Err(refusal) => (
                Err(vec![Problem::new("book.toml", None, refusal.explain())]),
                PathBuf::from("src"),
            ),
        };
        let mut book = Book {
            root: root.to_path_buf(),
            src,
            tree: Tree::default(),
            config,
            chapters: Ok(Vec::new()),
            chapter_files: Vec::new(),
            mdbook: None,
            listings: Vec::new(),
            facts: Mutex::default(),
            shown_in: OnceLock::new(),
            lock: OnceLock::new(),
        };
        book.tree = Tree::read_except(root, &book.tops(), &[PathBuf::from(THEME_TOOLS)])
            .unwrap_or_default();
        book.chapters = book.load_chapters();
        book.listings = crate::book::listings::discover(&book.root, &book.tree);
        book
    }

    /// The checkout's root: where problems' paths are relative to, and
    /// where `cargo xtask bless` writes.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The chapters' directory, relative to the root.
    pub fn src(&self) -> &Path {
        &self.src
    }

    /// Everything read: each file's bytes, or why it was refused.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// Whether `rel` (relative to the root) is where the book's files are:
    /// under one of the directories it reads, or one of its files.
    pub fn holds(&self, rel: &Path) -> bool {
        self.tops().iter().any(|top| rel.starts_with(top)) && !rel.starts_with(THEME_TOOLS)
    }

    /// What the book is made of, relative to its root.
    fn tops(&self) -> Vec<PathBuf> {
        [
            Path::new("book.toml"),
            Path::new(crate::book::listings::LOCK),
            &self.src,
            Path::new("listings"),
            Path::new("theme"),
            Path::new(WORD_LIST),
        ]
        .iter()
        .map(|p| p.to_path_buf())
        .collect()
    }

    /// The file at `rel` (relative to the root), if the book has it.
    pub fn entry(&self, rel: &Path) -> Option<&Entry> {
        self.tree.entries.get(rel)
    }

    /// The bytes of file `rel`, if it is one of the book's and was read.
    pub fn bytes(&self, rel: &Path) -> Option<&[u8]> {
        match self.entry(rel)? {
            Entry::File(bytes) => Some(bytes),
            Entry::Refused(_) => None,
        }
    }

    /// The text of file `rel`, if it is one of the book's and UTF-8.
    pub fn text(&self, rel: &Path) -> Option<&str> {
        std::str::from_utf8(self.bytes(rel)?).ok()
    }

    /// `book.toml`, as mdBook reads it, or why it is refused.
    pub fn config(&self) -> Result<&Config, &[Problem]> {
        self.config.as_ref().map_err(Vec::as_slice)
    }

    /// The chapters as written, or why mdBook could not load the book.
    pub fn chapters(&self) -> Result<&[Chapter], &[Problem]> {
        self.chapters.as_deref().map_err(Vec::as_slice)
    }

    /// Every file SUMMARY.md names as a chapter, whether it is there or not
    /// (what loading the chapters read, or looked for).
    pub fn chapter_files(&self) -> &[PathBuf] {
        &self.chapter_files
    }

    /// mdBook's own model of the chapters (for its preprocessors and
    /// renderers), when they loaded.
    pub fn mdbook(&self) -> Option<&MdBook> {
        self.mdbook.as_ref()
    }

    pub fn listings(&self) -> &[Listing] {
        &self.listings
    }

    /// The path relative to the root, if `path` is under it.
    pub fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        path.strip_prefix(&self.root).ok()
    }

    /// Where each listing is shown: listing directory → each directive of
    /// a chapter that includes one of its files.
    pub fn shown_in(&self) -> &BTreeMap<PathBuf, Vec<Shown>> {
        self.shown_in.get_or_init(|| {
            let mut map: BTreeMap<PathBuf, Vec<Shown>> = BTreeMap::new();
            for chapter in self.chapters().unwrap_or_default() {
                for d in &chapter.directives {
                    if let Some(dir) = crate::book::listings::listing_dir_of(&self.root, &d.path) {
                        map.entry(dir).or_default().push(Shown {
                            chapter: chapter.file.clone(),
                            line: d.line,
                            file: d.path.clone(),
                        });
                    }
                }
            }
            map
        })
    }

    /// The book's `Cargo.lock`, parsed, if it has one.
    pub fn lock(&self) -> Option<&toml::Table> {
        self.lock
            .get_or_init(|| {
                let text = self.text(Path::new(crate::book::listings::LOCK))?;
                text.parse().ok()
            })
            .as_ref()
    }

    /// A value worked out once per run, by its key: the engine keeps the
    /// values of the facts it reads here (engine/trace.rs), so that a fact
    /// read by several checks is worked out once.
    pub fn once(&self, key: u64, work: impl FnOnce() -> u64) -> u64 {
        if let Some(value) = self.facts.lock().unwrap().get(&key) {
            return *value;
        }
        let value = work();
        self.facts.lock().unwrap().insert(key, value);
        value
    }

    fn load_chapters(&mut self) -> Result<Vec<Chapter>, Vec<Problem>> {
        if let Err(problems) = &self.config {
            return Err(problems.clone());
        }
        let summary_path = self.src.join("SUMMARY.md");
        let summary_text = match self.entry(&summary_path) {
            Some(Entry::File(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
            Some(Entry::Refused(refusal)) => {
                return Err(vec![Problem::new(&summary_path, None, refusal.explain())]);
            }
            None => {
                return Err(vec![Problem::new(
                    &summary_path,
                    None,
                    "a book needs a SUMMARY.md, which lists its chapters",
                )]);
            }
        };
        let summary = mdbook_summary::parse_summary(&summary_text).map_err(|e| {
            vec![Problem::new(
                &summary_path,
                None,
                format!("mdBook could not read it: {e:#}"),
            )]
        })?;
        let mut problems = Vec::new();
        let items: Vec<BookItem> = summary
            .prefix_chapters
            .iter()
            .chain(&summary.numbered_chapters)
            .chain(&summary.suffix_chapters)
            .map(|item| self.book_item(item, Vec::new(), &summary_text, &mut problems))
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        let mdbook = MdBook::new_with_items(items);
        let src = self.src.clone();
        let chapters = mdbook
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(ch) => ch.source_path.as_ref().map(|source_path| {
                    Chapter::new(
                        &self.root,
                        src.join(source_path),
                        source_path.clone(),
                        ch.content.clone(),
                    )
                }),
                _ => None,
            })
            .collect();
        self.mdbook = Some(mdbook);
        Ok(chapters)
    }

    /// One item of SUMMARY.md as mdBook's `BookItem`, its chapter's text
    /// from the files read (as mdBook's loader makes it).
    fn book_item(
        &mut self,
        item: &SummaryItem,
        parents: Vec<String>,
        summary: &str,
        problems: &mut Vec<Problem>,
    ) -> BookItem {
        match item {
            SummaryItem::Link(link) => {
                BookItem::Chapter(self.chapter(link, parents, summary, problems))
            }
            SummaryItem::Separator => BookItem::Separator,
            SummaryItem::PartTitle(title) => BookItem::PartTitle(title.clone()),
            _ => BookItem::Separator,
        }
    }

    fn chapter(
        &mut self,
        link: &Link,
        parents: Vec<String>,
        summary: &str,
        problems: &mut Vec<Problem>,
    ) -> MdChapter {
        let summary_path = self.src.join("SUMMARY.md");
        let mut chapter = match &link.location {
            None => MdChapter::new_draft(&link.name, parents.clone()),
            Some(location) => {
                let written = location.display().to_string();
                let line = summary
                    .lines()
                    .position(|l| l.contains(&format!("]({written})")) || l.contains(&written))
                    .map(|i| i + 1);
                let inside = !location.is_absolute()
                    && normalize(&self.src.join(location)).starts_with(&self.src)
                    && !location
                        .components()
                        .any(|c| matches!(c, std::path::Component::ParentDir));
                let file = normalize(&self.src.join(location));
                self.chapter_files.push(file.clone());
                let content = if !inside {
                    problems.push(Problem::new(
                        &summary_path,
                        line,
                        format!(
                            "the chapter `{written}` is outside {}/: a chapter of the book is a \
                             file under it (mdBook would publish any file the machine has, and \
                             write its page beside it)",
                            self.src.display()
                        ),
                    ));
                    String::new()
                } else {
                    match self.entry(&file) {
                        Some(Entry::File(bytes)) => match std::str::from_utf8(bytes) {
                            Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
                            Err(_) => {
                                problems.push(Problem::new(
                                    &file,
                                    None,
                                    "a chapter must be UTF-8 text",
                                ));
                                String::new()
                            }
                        },
                        Some(Entry::Refused(refusal)) => {
                            problems.push(Problem::new(&file, None, refusal.explain()));
                            String::new()
                        }
                        None => {
                            problems.push(Problem::new(
                                &summary_path,
                                line,
                                format!(
                                    "the chapter `{written}` does not exist: write {}, or take \
                                     its line out of SUMMARY.md",
                                    file.display()
                                ),
                            ));
                            String::new()
                        }
                    }
                };
                MdChapter::new(&link.name, content, location, parents.clone())
            }
        };
        chapter.number = link.number.clone();
        let mut sub_parents = parents;
        sub_parents.push(link.name.clone());
        chapter.sub_items = link
            .nested_items
            .iter()
            .map(|item| self.book_item(item, sub_parents.clone(), summary, problems))
            .collect();
        chapter
    }
}

/// The problems with the files themselves: links, FIFOs and devices, files
/// too large to read. The harness never reads or follows them.
pub fn refused(book: &Book) -> Vec<Problem> {
    book.tree
        .entries
        .iter()
        .filter_map(|(path, entry)| match entry {
            Entry::Refused(refusal) => Some(Problem::new(path, None, refusal.explain())),
            Entry::File(_) => None,
        })
        .collect()
}

/// A refusal as a problem at `path`.
pub fn refusal_problem(path: &Path, refusal: &Refusal) -> Problem {
    Problem::new(path, None, refusal.explain())
}
