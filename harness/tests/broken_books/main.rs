//! Each check, fed a broken book, fails with a report that names the
//! broken file; the whole report is kept as a snapshot in
//! its module's folder (`snapshots/<module>/`), so a change to what authors read shows in review
//! (`SNAPSHOTS=overwrite cargo test -p harness --test broken_books` rewrites them).
//! Each test starts from a fixture book and breaks one thing in its own
//! copy of it: tests/fixtures/tiny-book, three listings, for the checks of
//! the book; tests/fixtures/course-book, a listing of every kind a Rust
//! course shows, for the listings check.
//!
//! One module per check or listing form; `fixture` holds the copy of a
//! fixture book a test breaks, `listings` the listings and chapters the
//! tests break.

mod fixture;
mod listings;

mod active_content;
mod book_build;
mod book_toml;
mod contained;
mod contributions;
mod coverage;
mod exercises;
mod files;
mod includes;
mod lints;
mod outputs;
mod recorded;
mod shown_is_built;
mod skeptic_blocks;
mod spelling;
mod transcripts;
mod unbroken;
mod verdicts;
mod web_links;
