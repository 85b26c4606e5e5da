//! The checks, run on the book itself. A failure names the file, and the
//! line where there is one, and says what was expected and what came.

use std::path::Path;

use xtask::check::{self, OutputSettings};
use xtask::listings::TIME_LIMIT;
use xtask::problem::report;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn assert_no_problems(problems: Vec<xtask::Problem>) {
    if let Err(text) = report(problems) {
        panic!("{text}");
    }
}

#[test]
fn every_include_names_a_file_and_anchor_that_exist() {
    assert_no_problems(check::includes(root()));
}

#[test]
fn every_listing_is_shown_and_every_output_block_is_checked() {
    assert_no_problems(check::coverage(root()));
}

#[test]
fn every_listing_compiles_and_prints_its_expected_output() {
    let settings = OutputSettings {
        target_dir: root().join("target/listings"),
        time_limit: TIME_LIMIT,
        bless: false,
    };
    assert_no_problems(check::outputs(root(), &settings));
}

#[test]
fn the_book_builds_with_no_broken_link_or_fragment() {
    let dest = tempfile::tempdir().unwrap();
    assert_no_problems(check::build(root(), dest.path()));
}

#[test]
fn the_time_limit_is_within_30_seconds() {
    assert!(TIME_LIMIT.as_secs() <= 30);
}
