//! The book's checks, in one list. Each is one module here; this list
//! gives it a name, what it proves, and how it runs on the [`Checker`]: the
//! model of the book (read once, shared by every check), the verdict store
//! and where checks build. `tests/book.rs` runs every check of `ALL` on the
//! book (one test each); `harness/tests/broken_books/` runs them on broken
//! copies of the fixture books, to see each one fail.
//!
//! Adding a check: write its module (a `check` function that reads the
//! book through a `Reader` and returns every problem it finds), add one
//! line to `ALL`, and a module in `harness/tests/broken_books/` that breaks
//! a fixture book and snapshots the report (harness/guides/checks.md,
//! "Adding a check").

use std::path::Path;

use crate::book::Problem;
use crate::engine::checker::Checker;

pub mod active_content;
pub mod book_builds;
pub mod coverage;
pub mod includes;
pub mod labels;
pub mod lints;
pub mod outputs;
pub mod spelling;
pub mod theme;
pub mod web_links;

/// A check of the book.
#[derive(Debug)]
pub struct Check {
    /// What it proves when it passes, as a test name.
    pub proves: &'static str,
    pub run: fn(&Checker) -> Vec<Problem>,
}

/// Every check `cargo test` runs on the book.
pub const ALL: &[Check] = &[
    Check {
        proves: "every_file_of_the_book_is_a_real_file_of_bounded_size",
        run: |c| c.remembered("files", |_| crate::book::model::refused(&c.book)),
    },
    Check {
        proves: "every_include_names_a_file_and_anchor_that_exist",
        run: |c| c.remembered("includes", includes::check),
    },
    Check {
        proves: "every_link_out_of_the_book_is_a_real_https_address",
        run: |c| c.remembered("web-links", web_links::check),
    },
    Check {
        proves: "no_page_carries_a_script_a_frame_or_a_redirect_from_a_chapter",
        run: |c| c.remembered("active-content", |r| active_content::check(c, r)),
    },
    Check {
        proves: "every_listing_is_shown_and_every_output_block_is_checked",
        run: |c| c.remembered("coverage", coverage::check),
    },
    Check {
        proves: "every_listing_compiles_and_prints_what_the_book_shows",
        run: outputs::check,
    },
    Check {
        proves: "every_listing_is_rustfmt_and_clippy_clean_or_says_why_not",
        run: lints::check,
    },
    Check {
        proves: "the_prose_and_the_listings_are_spelled_right",
        run: spelling::check,
    },
    Check {
        proves: "the_book_builds_with_no_broken_link_figure_or_run_button",
        run: |c| c.remembered("build", |r| book_builds::check(c, r)),
    },
    Check {
        proves: "theme_files_that_replace_mdbooks_were_made_for_the_pinned_mdbook",
        run: |c| c.remembered("theme", theme::check),
    },
];

/// The checks a book must pass before anything of it is built to be read
/// (`cargo xtask build`) or served (`cargo xtask serve`): its files are
/// real files, its includes stay inside it, `book.toml` says only what it
/// may (judged before mdBook, or any command book.toml names, is started),
/// and no page carries active content. A build is not a way around the test.
pub const BEFORE_PUBLISHING: [&str; 3] = [
    "every_file_of_the_book_is_a_real_file_of_bounded_size",
    "every_include_names_a_file_and_anchor_that_exist",
    "no_page_carries_a_script_a_frame_or_a_redirect_from_a_chapter",
];

/// The problems of [`BEFORE_PUBLISHING`]'s checks, each said once.
pub fn before_publishing(checker: &Checker) -> Vec<Problem> {
    let problems = BEFORE_PUBLISHING
        .iter()
        .flat_map(|p| run(checker, p))
        .collect();
    crate::book::problem::once_each(problems)
}

/// The check of `ALL` whose name is `proves`, run on `checker`.
pub fn run(checker: &Checker, proves: &str) -> Vec<Problem> {
    let check = ALL
        .iter()
        .find(|c| c.proves == proves)
        .expect("a check of ALL");
    (check.run)(checker)
}

// The checks one at a time, for the broken-book tests and `cargo xtask`.

/// Every `{{#include}}` names a file that exists, and an anchor it has.
pub fn includes(root: &Path) -> Vec<Problem> {
    run(
        &Checker::new(root),
        "every_include_names_a_file_and_anchor_that_exist",
    )
}

/// Every link out of the book is a real https:// address.
pub fn web_links(root: &Path) -> Vec<Problem> {
    run(
        &Checker::new(root),
        "every_link_out_of_the_book_is_a_real_https_address",
    )
}

/// Every listing is shown; every output block comes from a listing.
pub fn coverage(root: &Path) -> Vec<Problem> {
    run(
        &Checker::new(root),
        "every_listing_is_shown_and_every_output_block_is_checked",
    )
}

/// The prose and the listings are spelled right.
pub fn spelling(root: &Path) -> Vec<Problem> {
    run(
        &Checker::new(root),
        "the_prose_and_the_listings_are_spelled_right",
    )
}

/// Every file of the book is a real file, and none is too large.
pub fn files(root: &Path) -> Vec<Problem> {
    run(
        &Checker::new(root),
        "every_file_of_the_book_is_a_real_file_of_bounded_size",
    )
}
