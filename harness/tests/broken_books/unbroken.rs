//! The fixture books, unbroken, pass every check.

use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

#[test]
fn the_tiny_book_unbroken_passes_every_check() {
    proven(|| {
        let book = Book::new();
        let problems = harness::checks::includes(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = harness::checks::coverage(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = book.outputs(Duration::from_secs(10));
        assert!(problems.is_empty(), "{problems:?}");
        let problems = book.build();
        assert!(problems.is_empty(), "{problems:?}");
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");
        let problems = harness::checks::spelling(book.root());
        assert!(problems.is_empty(), "{problems:?}");
    });
}

#[test]
fn the_course_book_unbroken_passes_every_check() {
    proven(|| {
        let book = Book::course();
        let problems = outputs(&book);
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(harness::checks::includes(book.root()).is_empty());
        let problems = harness::checks::coverage(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = book.build();
        assert!(problems.is_empty(), "{problems:#?}");
    });
}
