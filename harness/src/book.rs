//! Loading, expanding and building the book with mdBook's own crates.

use std::path::Path;

use mdbook_driver::MDBook;
use mdbook_driver::builtin_renderers::MarkdownRenderer;

use crate::Problem;
use crate::chapters::{self, Chapter};
use crate::labels;
use crate::linkcheck::Linkcheck2;

/// Loads the book at `root`. A `book.toml` that lets mdBook create missing
/// chapters is itself a problem: with it, a SUMMARY.md entry whose file is
/// missing becomes a silent empty page instead of an error.
pub fn load(root: &Path) -> Result<MDBook, Problem> {
    let mut book = MDBook::load(root).map_err(|e| {
        Problem::new(
            root.join("src/SUMMARY.md"),
            None,
            format!("mdBook could not load the book: {e:#}"),
        )
        .relative_to(root)
    })?;
    // The listing labels run in-process, in the place book.toml gives them,
    // rather than as the command plain mdbook runs.
    if matches!(
        book.config
            .get::<serde_json::Value>(&format!("preprocessor.{}", labels::NAME)),
        Ok(Some(_))
    ) {
        book.with_preprocessor(labels::ListingLabels);
    }
    if book.config.build.create_missing {
        return Err(Problem::new(
            "book.toml",
            None,
            "set `[build] create-missing = false`, so that a SUMMARY.md entry whose file is \
             missing fails the build instead of creating an empty chapter",
        ));
    }
    Ok(book)
}

/// Each chapter as written, beside the same chapter after mdBook's
/// preprocessors (the `{{#include}}` family expanded), as a reader sees it.
pub fn expanded_chapters(root: &Path) -> Result<Vec<(Chapter, String)>, Problem> {
    let book = load(root)?;
    let sources = chapters::chapters(&book);
    let (expanded, _) = book
        .preprocess_book(&MarkdownRenderer::new())
        .map_err(|e| {
            Problem::new(
                "book.toml",
                None,
                format!("mdBook's preprocessors failed: {e:#}"),
            )
        })?;
    let expanded: Vec<String> = chapters::contents(&expanded);
    Ok(sources.into_iter().zip(expanded).collect())
}

/// Builds the book into `dest` with every renderer `book.toml` names,
/// mdbook-linkcheck2 running in-process (see `linkcheck.rs`), and returns
/// every broken link at its line in the chapter as written. Chapters are
/// written to `dest/html`.
pub fn build(root: &Path, dest: &Path) -> Result<(), Vec<Problem>> {
    let mut book = load(root).map_err(|p| vec![p])?;
    book.config
        .set("build.build-dir", dest.to_string_lossy().as_ref())
        .expect("build-dir is a string");
    let linkcheck_table = book.config.get::<serde_json::Value>("output.linkcheck2");
    if !matches!(linkcheck_table, Ok(Some(_))) {
        return Err(vec![Problem::new(
            "book.toml",
            None,
            "add an `[output.linkcheck2]` table with `warning-policy = \"error\"`, so broken links fail the build",
        )]);
    }
    let linkcheck = Linkcheck2::default();
    book.with_renderer(linkcheck.clone());
    book.build().map_err(|e| {
        vec![Problem::new(
            "book.toml",
            None,
            format!("the book did not build: {e:#}"),
        )]
    })?;
    let src = book.config.book.src.clone();
    let problems: Vec<Problem> = linkcheck
        .findings
        .lock()
        .unwrap()
        .iter()
        .map(|found| {
            // linkcheck2 numbers the lines of the chapter as mdBook expanded
            // it; find the same line, by its text, in the chapter as written.
            let written =
                std::fs::read_to_string(root.join(&src).join(&found.chapter)).unwrap_or_default();
            let line = written
                .lines()
                .position(|l| l == found.line_text)
                .map(|i| i + 1);
            Problem::new(
                src.join(&found.chapter),
                line,
                format!("{}\n    {}", found.message, found.line_text.trim()),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Builds the book at `root` into `dest` as a plain mdBook would, with its
/// default renderer (HTML) only: the page-weight benchmark's baseline.
pub fn build_default(root: &Path, dest: &Path) -> Result<(), Problem> {
    let mut book = MDBook::load(root).map_err(|e| Problem::new(root, None, format!("{e:#}")))?;
    book.config
        .set("build.build-dir", dest.to_string_lossy().as_ref())
        .expect("build-dir is a string");
    book.build()
        .map_err(|e| Problem::new(root, None, format!("mdBook could not build it: {e:#}")))
}
