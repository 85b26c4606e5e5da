//! The book's checks, each as one call that returns every problem it found.
//! `tests/book.rs` runs them on the book; `tests/broken_books.rs` runs them
//! on broken copies of a small book, to see each one fail.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::chapters::{Chapter, chapters};
use crate::{Problem, book, coverage, figures, fragments, includes, listings, tools, web_links};

fn load_chapters(root: &Path) -> Result<Vec<Chapter>, Vec<Problem>> {
    book::load(root).map(|b| chapters(&b)).map_err(|p| vec![p])
}

/// Every `{{#include}}` names a file that exists, and an anchor it has.
pub fn includes(root: &Path) -> Vec<Problem> {
    match load_chapters(root) {
        Ok(chapters) => includes::check(root, &chapters),
        Err(problems) => problems,
    }
}

/// Every link out of the book is a real https:// address.
pub fn web_links(root: &Path) -> Vec<Problem> {
    match load_chapters(root) {
        Ok(chapters) => web_links::check(&chapters),
        Err(problems) => problems,
    }
}

/// Every listing is shown; every output block comes from a listing.
pub fn coverage(root: &Path) -> Vec<Problem> {
    match load_chapters(root) {
        Ok(chapters) => coverage::check(root, &chapters, &listings::discover(root)),
        Err(problems) => problems,
    }
}

pub struct OutputSettings {
    pub target_dir: PathBuf,
    pub time_limit: Duration,
    pub bless: bool,
}

/// Every listing compiles; every one with an expected output prints it.
pub fn outputs(root: &Path, settings: &OutputSettings) -> Vec<Problem> {
    let chapters = match load_chapters(root) {
        Ok(chapters) => chapters,
        Err(problems) => return problems,
    };
    let shown = coverage::shown_in(root, &chapters);
    let options = listings::Options {
        target_dir: settings.target_dir.clone(),
        time_limit: settings.time_limit,
        bless: settings.bless,
    };
    listings::check(root, &listings::discover(root), &shown, &options)
}

/// The book builds into `dest` (HTML and mdbook-linkcheck2), every
/// `#fragment` link in it points at something, and every image exists, has
/// alt text and sits in a captioned figure.
pub fn build(root: &Path, dest: &Path) -> Vec<Problem> {
    let chapters = match load_chapters(root) {
        Ok(chapters) => chapters,
        Err(problems) => return problems,
    };
    let linkcheck2 = match tools::MDBOOK_LINKCHECK2.ensure() {
        Ok(exe) => exe,
        Err(message) => return vec![Problem::new("book.toml", None, message)],
    };
    if let Err(problem) = book::build(root, dest, &linkcheck2) {
        return vec![problem];
    }
    let mut problems = fragments::check(&dest.join("html"), &chapters);
    problems.extend(figures::check(&dest.join("html"), &chapters));
    problems
}
