//! Loading, expanding and building the book with mdBook's own crates.

use std::path::Path;

use mdbook_driver::MDBook;
use mdbook_driver::builtin_renderers::MarkdownRenderer;

use crate::Problem;
use crate::chapters::{self, Chapter};
use crate::linkcheck::Linkcheck2;

/// Loads the book at `root`. A `book.toml` that lets mdBook create missing
/// chapters is itself a problem: with it, a SUMMARY.md entry whose file is
/// missing becomes a silent empty page instead of an error.
pub fn load(root: &Path) -> Result<MDBook, Problem> {
    let book = MDBook::load(root).map_err(|e| {
        Problem::new(
            root.join("src/SUMMARY.md"),
            None,
            format!("mdBook could not load the book: {e:#}"),
        )
        .relative_to(root)
    })?;
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

/// Builds the book into `dest` with every renderer `book.toml` names, running
/// `linkcheck2` (if configured) through the given binary so that its findings
/// come back as text. Chapters are written to `dest/html`.
pub fn build(root: &Path, dest: &Path, linkcheck2: &Path) -> Result<(), Problem> {
    let mut book = load(root)?;
    book.config
        .set("build.build-dir", dest.to_string_lossy().as_ref())
        .expect("build-dir is a string");
    let linkcheck_table = book.config.get::<serde_json::Value>("output.linkcheck2");
    if !matches!(linkcheck_table, Ok(Some(_))) {
        return Err(Problem::new(
            "book.toml",
            None,
            "add an `[output.linkcheck2]` table with `warning-policy = \"error\"`, so broken links fail the build",
        ));
    }
    book.with_renderer(Linkcheck2::new(linkcheck2));
    book.build().map_err(|e| {
        let report = format!("{e:#}");
        let src = book.root.join(&book.config.book.src);
        match crate::linkcheck::first_location(&report, &src) {
            Some((file, line)) => Problem::new(book.config.book.src.join(file), line, report),
            None => Problem::new(
                "book.toml",
                None,
                format!("the book did not build:\n{report}"),
            ),
        }
    })
}
