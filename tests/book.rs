//! The checks, run on the book itself. A failure names the file, and the
//! line where there is one, and says what was expected and what came.

use std::path::Path;

use xtask::check::{self, OutputSettings};
use xtask::listings::TIME_LIMIT;
use xtask::problem::report;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The problems a check found, shown as plain text when a test returns
/// them (libtest prints an `Err` with `Debug`), with no backtrace.
struct Problems(String);

impl std::fmt::Debug for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn no_problems(problems: Vec<xtask::Problem>) -> Result<(), Problems> {
    report(problems).map_err(Problems)
}

#[test]
fn every_include_names_a_file_and_anchor_that_exist() -> Result<(), Problems> {
    no_problems(check::includes(root()))
}

#[test]
fn every_link_out_of_the_book_is_a_real_https_address() -> Result<(), Problems> {
    no_problems(check::web_links(root()))
}

#[test]
fn every_listing_is_shown_and_every_output_block_is_checked() -> Result<(), Problems> {
    no_problems(check::coverage(root()))
}

#[test]
fn every_listing_compiles_and_prints_its_expected_output() -> Result<(), Problems> {
    let settings = OutputSettings {
        target_dir: root().join("target/listings"),
        time_limit: TIME_LIMIT,
        bless: false,
    };
    no_problems(check::outputs(root(), &settings))
}

#[test]
fn every_listing_is_rustfmt_and_clippy_clean_or_says_why_not() -> Result<(), Problems> {
    no_problems(check::lints(root(), &root().join("target/lints")))
}

#[test]
fn the_prose_and_the_listings_are_spelled_right() -> Result<(), Problems> {
    no_problems(check::spelling(root()))
}

#[test]
fn the_book_builds_with_no_broken_link_or_fragment() -> Result<(), Problems> {
    let dest = tempfile::tempdir().unwrap();
    no_problems(check::build(root(), dest.path()))
}

#[test]
fn the_time_limit_is_within_30_seconds() {
    assert!(TIME_LIMIT.as_secs() <= 30);
}
