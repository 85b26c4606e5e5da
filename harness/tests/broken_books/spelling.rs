//! Spelling of the prose and the listings.

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_misspelled_word_in_the_prose_fails_unless_it_is_in_the_word_list() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "A listing:", "A listing that teh reader runs:");
        let problems = harness::checks::spelling(book.root());
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "`teh` looks misspelled; expected `the`",
        );
        assert_problem(&problems, CHAPTER, "A listing that teh reader runs:");

        book.write(
            harness::book::model::WORD_LIST,
            "[default.extend-words]\nteh = \"teh\"\n",
        );
        let problems = harness::checks::spelling(book.root());
        assert!(problems.is_empty(), "{problems:?}");
    });
}
