//! The book's checks, each as one call that returns every problem it found.
//! `tests/book.rs` runs them on the book; `tests/broken_books.rs` runs them
//! on broken copies of a small book, to see each one fail.

use std::path::Path;

use crate::chapters::{Chapter, chapters};
use crate::{
    Problem, book, coverage, figures, fragments, includes, lints, listings, runnable, spelling,
    web_links,
};

pub use crate::listings::Options as OutputSettings;

/// Runs `check` on the book's chapters, or reports why they could not load.
fn with_chapters(root: &Path, check: impl FnOnce(Vec<Chapter>) -> Vec<Problem>) -> Vec<Problem> {
    match book::load(root) {
        Ok(book) => check(chapters(&book)),
        Err(problem) => vec![problem],
    }
}

/// Every `{{#include}}` names a file that exists, and an anchor it has.
pub fn includes(root: &Path) -> Vec<Problem> {
    with_chapters(root, |chapters| includes::check(root, &chapters))
}

/// Every link out of the book is a real https:// address.
pub fn web_links(root: &Path) -> Vec<Problem> {
    with_chapters(root, |chapters| web_links::check(&chapters))
}

/// Every listing is shown; every output block comes from a listing.
pub fn coverage(root: &Path) -> Vec<Problem> {
    with_chapters(root, |chapters| {
        coverage::check(root, &chapters, &listings::discover(root))
    })
}

/// Every listing compiles; every one with an expected output prints it.
pub fn outputs(root: &Path, settings: &OutputSettings) -> Vec<Problem> {
    with_chapters(root, |chapters| {
        let shown = coverage::shown_in(root, &chapters);
        listings::check(root, &listings::discover(root), &shown, settings)
    })
}

/// Every listing is rustfmt- and clippy-clean, or says why not; clippy
/// builds in `target_dir`.
pub fn lints(root: &Path, target_dir: &Path) -> Vec<Problem> {
    lints::check(root, &listings::discover(root), target_dir)
}

/// The prose and the listings are spelled right (typos, with the book's
/// own word list).
pub fn spelling(root: &Path) -> Vec<Problem> {
    spelling::check(root)
}

/// The book builds into `dest` (HTML and mdbook-linkcheck2), every
/// `#fragment` link in it points at something, and every image exists, has
/// alt text and sits in a captioned figure, and every Rust block has a Run
/// button.
pub fn build(root: &Path, dest: &Path) -> Vec<Problem> {
    with_chapters(root, |chapters| built(root, dest, &chapters))
}

fn built(root: &Path, dest: &Path, chapters: &[Chapter]) -> Vec<Problem> {
    if let Err(problems) = book::build(root, dest) {
        return problems;
    }
    let mut problems = fragments::check(&dest.join("html"), chapters);
    problems.extend(figures::check(&dest.join("html"), chapters));
    problems.extend(runnable::check(
        root,
        &dest.join("html"),
        chapters,
        &listings::discover(root),
    ));
    problems
}
