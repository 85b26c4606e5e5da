//! Feeds skeptic. Each `rust` block of each chapter, as the reader sees it
//! (expanded by mdBook's own preprocessors), becomes a Markdown document of
//! its own, so that every skeptic test is one block whose origin (chapter,
//! line, listing) we know and can name when it fails. They are found when
//! the tests run (tests/book.rs), not in a build script: a chapter edited
//! compiles nothing again.
//!
//! Every `rust` block is compiled one way or the other, never skipped:
//!
//! - A block that is one `{{#include}}` or `{{#rustdoc_include}}` of a
//!   listing's Rust file (`src/…`, `tests/…`), whole or a region, is proven
//!   to be that file's text as the reader sees it, and that file is built
//!   (and run, or its failure checked) by the listings check. Skeptic does
//!   not compile it again: a region of `src/toolbox/tool.rs`, or a test
//!   file, would not compile alone.
//! - Any other block (code typed in the chapter, an include of a file that
//!   is not a listing's) is compiled and run by skeptic, as the reader sees
//!   it.
//! - `ignore` is refused: it would leave a block unchecked. So is
//!   `compile_fail` or `should_panic` on a block that shows no listing
//!   declared to fail that way: skeptic would compile a `compile_fail`
//!   block as if it should succeed, and counts a `should_panic` block that
//!   fails to compile as a pass.

use std::path::{Path, PathBuf};

use crate::book::chapters::{Chapter, CodeBlock, code_blocks};
use crate::engine::checker::Checker;
use crate::engine::trace::Reader;

pub struct Snippet {
    /// Where the block comes from, e.g. `src/ch01.md:52 (listings/…/src/main.rs)`.
    pub origin: String,
    /// What skeptic calls the file the block is in: the chapter's stem
    /// and the block's line (`ch01-start_line_52`).
    pub name: String,
    /// The block as a Markdown document of its own, for skeptic: its info
    /// string (with the edition its chapter was recorded in) and its text
    /// as mdBook expanded it.
    pub markdown: String,
}

/// The `rust` blocks of the book's chapters that skeptic compiles, each as
/// the reader sees it, or why one is refused. All that decides them is read
/// through `book` (in its trace): the chapters, what their blocks include
/// (whole), the listings' manifests and recorded editions.
pub fn for_skeptic(cx: &Checker, book: &Reader) -> Result<Vec<Snippet>, String> {
    let chapters = crate::checks::book_builds::expanded_chapters(cx, book).map_err(|problems| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    snippets_of(book, &chapters)
}

/// The same for Markdown `files` of the harness's own (relative to the
/// book's root), used as they are, not expanded.
pub fn in_files(book: &Reader, files: &[PathBuf]) -> Result<Vec<Snippet>, String> {
    let root = book.root();
    let mut sources = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(root.join(file))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let chapter = Chapter::new(root, file.clone(), file.clone(), text.clone());
        sources.push((chapter, text));
    }
    snippets_of(book, &sources)
}

/// The blocks of each chapter as written, beside the chapter as expanded.
fn snippets_of(book: &Reader, sources: &[(Chapter, String)]) -> Result<Vec<Snippet>, String> {
    let mut snippets = Vec::new();
    // Read (and noted in the trace) once, not once a block: a course of
    // hundreds of listings would note every manifest hundreds of times.
    let listings: std::collections::HashMap<&Path, crate::book::listings::Outcome> = book
        .listings()
        .iter()
        .map(|l| (l.dir.as_path(), l.outcome()))
        .collect();
    for (chapter, expanded) in sources {
        let written: Vec<&CodeBlock> = chapter.blocks.iter().filter(|b| b.is_rust()).collect();
        let seen: Vec<CodeBlock> = code_blocks(expanded)
            .into_iter()
            .filter(CodeBlock::is_rust)
            .collect();
        if written.len() != seen.len() {
            return Err(format!(
                "{}: {} `rust` blocks as written but {} once mdBook expanded the includes",
                chapter.file.display(),
                written.len(),
                seen.len()
            ));
        }
        for (source, block) in written.into_iter().zip(seen) {
            let at = Block {
                book,
                listings: &listings,
                chapter,
                source,
                block: &block,
            };
            if let Some(snippet) = at.snippet()? {
                snippets.push(snippet);
            }
        }
    }
    Ok(snippets)
}

/// One `rust` block: as written in its chapter, and as mdBook expanded it.
struct Block<'a, 'b> {
    book: &'a Reader<'b>,
    /// Each listing's directory, and what it declares it does.
    listings: &'a std::collections::HashMap<&'a Path, crate::book::listings::Outcome>,
    chapter: &'a Chapter,
    source: &'a CodeBlock,
    block: &'a CodeBlock,
}

impl Block<'_, '_> {
    /// The block for skeptic, written into `out_dir`; none when it shows a
    /// listing's file (the listings check builds it) or a listing that
    /// fails on purpose; or why the block is refused.
    fn snippet(&self) -> Result<Option<Snippet>, String> {
        let (chapter, source) = (self.chapter, self.source);
        let found = &source.directives;
        let fails_on_purpose = found.iter().any(|d| self.declared_to_fail(&d.path));
        let tagged = source
            .tags()
            .iter()
            .any(|t| *t == "compile_fail" || *t == "should_panic");
        if source.tags().contains(&"ignore") {
            return Err(self.refused(
                "every Rust block is checked, so `ignore` is refused. Show a listing (its file \
                 is built by the listings check), or let skeptic compile it",
            ));
        }
        if tagged && !fails_on_purpose {
            return Err(format!(
                "{}:{}: a `{}` block must show a listing declared to fail that way \
                 (`[package.metadata.listing]` in its Cargo.toml), so that its real outcome is checked",
                chapter.file.display(),
                source.line,
                source.info
            ));
        }
        if fails_on_purpose {
            return Ok(None);
        }
        let one_listing_file = found.len() == 1
            && source.body.trim() == found[0].text.trim()
            && self.built_by_the_listings_check(&found[0].path);
        if one_listing_file {
            return self.shows_the_listing_file().map(|()| None);
        }
        Ok(Some(self.written()))
    }

    /// The block's `ignore` refusal, at its line.
    fn refused(&self, why: &str) -> String {
        let (chapter, source) = (self.chapter, self.source);
        format!(
            "{}:{}: `{}`: {why}",
            chapter.file.display(),
            source.line,
            source.info
        )
    }

    /// Whether `dir` is in a listing declared to fail.
    fn declared_to_fail(&self, dir: &Path) -> bool {
        dir.ancestors().any(|a| {
            self.listings
                .get(a)
                .is_some_and(|o| *o != crate::book::listings::Outcome::Runs)
        })
    }

    /// Whether `file` is a listing's Rust file, which the listings check
    /// builds: a `.rs` file under a listing's `src`, `tests`, `examples`
    /// or `benches`. (Looked up by the file's folders, not by going
    /// through every listing for every block.)
    fn built_by_the_listings_check(&self, file: &Path) -> bool {
        file.extension().is_some_and(|e| e == "rs")
            && file.ancestors().any(|a| {
                a.file_name().is_some_and(|n| {
                    ["src", "tests", "examples", "benches"]
                        .iter()
                        .any(|d| n == *d)
                }) && a.parent().is_some_and(|l| self.listings.contains_key(l))
            })
    }

    /// A block that shows one listing's file shows its text as the reader
    /// has it.
    fn shows_the_listing_file(&self) -> Result<(), String> {
        let (book, found) = (self.book, &self.source.directives);
        let file = book
            .book()
            .relative(&found[0].path)
            .and_then(|rel| match self.copied_as_is() {
                true => book.code(rel, found[0].range),
                false => book.text(rel),
            })
            .unwrap_or_default();
        let as_read = crate::book::listings::without_anchor_lines(file);
        if shows_text_of(&self.block.body, &as_read) {
            return Ok(());
        }
        Err(format!(
            "{}:{}: this block should show {} as the reader has it, but mdBook \
             expanded it to other text",
            self.chapter.file.display(),
            self.source.line,
            found[0]
                .path
                .strip_prefix(book.root())
                .unwrap_or(&found[0].path)
                .display()
        ))
    }

    /// Whether the block is its one include alone, at the start of its
    /// line, in a fence at the start of the chapter's line: mdBook then
    /// puts the file's lines in it as they are, and Markdown takes none of
    /// their indent away (as it would in a list or a quote), so what the
    /// block shows of the file can change only with the file's shape
    /// (`Reader::code`). Any other block reads the file whole.
    fn copied_as_is(&self) -> bool {
        let fence = self.chapter.text.lines().nth(self.source.line - 1);
        let one_line = self.source.body.strip_suffix('\n') == Some(&self.source.directives[0].text);
        one_line && fence.is_some_and(|l| l.starts_with("```") || l.starts_with("~~~"))
    }

    /// The block as a Markdown document of its own for skeptic.
    fn written(&self) -> Snippet {
        let (book, chapter, source) = (self.book, self.chapter, self.source);
        let root = book.root();
        let found = &source.directives;
        let mut included = Vec::new();
        for d in found {
            // What skeptic compiles is the included text itself, not only
            // its shape: read it whole, so that a kept pass follows it.
            if let Some(rel) = book.book().relative(&d.path) {
                book.bytes(rel);
            }
            included.push(
                d.path
                    .strip_prefix(root)
                    .unwrap_or(&d.path)
                    .display()
                    .to_string(),
            );
        }
        let mut origin = format!("{}:{}", chapter.file.display(), source.line);
        if !included.is_empty() {
            origin.push_str(&format!(" (listing {})", included.join(", ")));
        }
        let stem = chapter
            .file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        // A chapter recorded in an older edition compiles its blocks in it.
        let edition = crate::running::drift::recorded_edition(
            book.text(&crate::running::drift::chapter_file(&chapter.source_path)),
        );
        let info = match edition {
            Some(year) if !self.block.tags().iter().any(|t| t.starts_with("edition")) => {
                format!("{},edition{year}", self.block.info)
            }
            _ => self.block.info.clone(),
        };
        Snippet {
            origin,
            name: format!("{stem}_line_{}", source.line),
            markdown: format!("````{info}\n{}````\n", self.block.body),
        }
    }
}

/// Whether every line the block shows (hidden `# ` lines too, with their
/// mark taken off) is a line of `file`, in order.
fn shows_text_of(block: &str, file: &str) -> bool {
    let mut lines = file.lines();
    block.lines().all(|shown| {
        let shown = shown
            .strip_prefix("# ")
            .or_else(|| (shown == "#").then_some(""))
            .unwrap_or(shown);
        lines.any(|l| l == shown)
    })
}
