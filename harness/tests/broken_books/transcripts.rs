//! Terminal sessions (`transcript.txt`), replayed and compared.

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_changed_line_of_a_transcript_fails_with_a_diff() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{MINIGREP}/transcript.txt"),
            "A sparrow taps the frosted pane,\nthen",
            "A sparrow taps the frosted pane,\nthen\n",
        );
        assert_problem(
            &outputs(&book),
            &format!("{MINIGREP}/transcript.txt"),
            "the terminal shows something else",
        );
    });
}

#[test]
fn a_failing_test_in_a_cargo_test_transcript_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{TESTS}/src/lib.rs"),
            "vec![334, 333, 333]",
            "vec![333, 333, 334]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{TESTS}/transcript.txt"),
            "the_first_ones_pay_the_extra_cents ... FAILED",
        );
    });
}
