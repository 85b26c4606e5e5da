//! The fixtures' listings and chapters the tests break, and helpers that
//! make broken listings.

use std::path::{Path, PathBuf};
use std::time::Duration;

use harness::Problem;

use crate::fixture::Book;

pub const LISTING: &str = "listings/ch01-tiny/listing-01-01";

pub const CHAPTER: &str = "src/ch01-tiny.md";

pub const DOES_NOT_COMPILE: &str = "listings/ch01-tiny/listing-01-02";

pub const PANICS: &str = "listings/ch01-tiny/listing-01-03";

pub const GUESSING_GAME: &str = "listings/ch02-guessing-game/listing-02-01";

pub const WARNING: &str = "listings/ch03-common-concepts/listing-03-01";

pub const PARSE_ERROR: &str = "listings/ch03-common-concepts/listing-03-02";

pub const MODULES: &str = "listings/ch07-modules/listing-07-01";

pub const PANIC: &str = "listings/ch09-errors/listing-09-01";

pub const TESTS: &str = "listings/ch11-testing/listing-11-01";

pub const MINIGREP: &str = "listings/ch12-minigrep/listing-12-01";

pub const THREADS: &str = "listings/ch16-threads/listing-16-01";

pub fn outputs(book: &Book) -> Vec<Problem> {
    book.outputs(Duration::from_secs(20))
}

/// Listing 1-1 with `body` as its shown region.
pub fn tiny_listing(body: &str) -> String {
    format!("fn main() {{\n    // ANCHOR: here\n{body}    // ANCHOR_END: here\n}}\n")
}

/// Every place a file written as `../../../../name` or `/name` from a
/// listing's directory (or its staged copy) could land, in the repository
/// and out of it.
pub fn landing_places(book: &Book, name: &str) -> Vec<PathBuf> {
    let mut places = vec![Path::new("/").join(name)];
    for dir in book
        .root()
        .ancestors()
        .chain(Path::new(env!("CARGO_MANIFEST_DIR")).ancestors())
    {
        places.push(dir.join(name));
    }
    places.into_iter().filter(|p| p.exists()).collect()
}

pub const SEEDED_GAME: &str = "listings/ch02-guessing-game/listing-02-02";

pub const KETTLE: &str = "listings/ch05-structs/listing-05-01";

pub const CUT_SHORT: &str = "listings/ch16-threads/listing-16-02";

/// A worker thread that may be stopped anywhere, even before it prints: its
/// lines are declared `optional-lines`.
pub const STOPS_ANYWHERE: &str = "listings/ch16-threads/listing-16-03";

/// An exercise whose goal is an output: a kettle's boiling time.
pub const BOIL: &str = "listings/ch05-structs/listing-05-02";

/// An exercise whose goal is tests: leap years.
pub const LEAP: &str = "listings/ch11-testing/listing-11-03";
