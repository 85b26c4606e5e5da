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

/// A listing may say the command the reader runs (`cargo run`, with
/// arguments, `cargo test`): its output.txt is what their terminal shows
/// for it, less cargo's own lines, with no session made up. A command that
/// is not cargo's is refused at its line; an output.txt that pastes cargo's
/// lines fails, saying they are left out.
#[test]
fn a_declared_command_is_checked_as_the_terminal_shows_it() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        let warns = "listings/ch03-common-concepts/listing-03-03";
        let mine = |problems: Vec<harness::Problem>| -> Vec<harness::Problem> {
            problems
                .into_iter()
                .filter(|p| p.file.starts_with(warns))
                .collect()
        };
        assert!(mine(outputs(&book)).is_empty());
        let output = std::fs::read_to_string(book.root().join(warns).join("output.txt")).unwrap();
        book.write(
            &format!("{warns}/output.txt"),
            &format!("   Compiling tea_timer v0.1.0 (/projects/tea_timer)\n{output}"),
        );
        assert_problem(
            &mine(outputs(&book)),
            &format!("{warns}/output.txt"),
            "cargo's own lines left out",
        );
        book.edit(
            &format!("{warns}/Cargo.toml"),
            "command = \"cargo run\"",
            "command = \"rm -rf target\"",
        );
        assert_problem(
            &outputs(&book),
            &format!("{warns}/Cargo.toml:11"),
            "the command is the one the reader runs, `cargo run`",
        );
    });
}
