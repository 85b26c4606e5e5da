//! A real course's listings as their authors recorded them: declared recording settings,
//! lines that may be cut short, fixed randomness, and toolchain drift named as drift.

use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

/// A recording that leaves out one warning but not another fails on the
/// warning it does not declare; a setting that is not a rustc lint's name,
/// or a key the recording does not know, is refused at its line.
#[test]
fn a_warning_the_recording_does_not_declare_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{KETTLE}/Cargo.toml"),
            "allow = [\"dead_code\", \"unused_variables\"]",
            "allow = [\"dead_code\"]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{KETTLE}/transcript.txt"),
            "warning: unused variable: `lid_closed`",
        );
        book.edit(
            &format!("{KETTLE}/Cargo.toml"),
            "allow = [\"dead_code\"]",
            "allow = [\"dead_code\", \"-C opt-level=3\"]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{KETTLE}/Cargo.toml:15"),
            "`-C opt-level=3` is not the name of a rustc lint",
        );
        book.edit(
            &format!("{KETTLE}/Cargo.toml"),
            "allow = [\"dead_code\", \"-C opt-level=3\"]",
            "rustflags = [\"-C\", \"opt-level=3\"]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{KETTLE}/Cargo.toml:15"),
            "unknown field `rustflags`",
        );
    });
}

/// A lint the recording turns off must still fire: one that no longer
/// does (the teaching step was finished, the lint renamed) fails, naming
/// the listing's Cargo.toml and the lint, as an allowed lint does.
#[test]
fn a_recorded_lint_that_no_longer_fires_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{KETTLE}/Cargo.toml"),
            "allow = [\"dead_code\", \"unused_variables\"]",
            "allow = [\"dead_code\", \"unused_variables\", \"unused_mut\"]",
        );
        assert_problem(
            &book.lints(),
            &format!("{KETTLE}/Cargo.toml:15"),
            "the recording turns off `unused_mut`, but rustc no longer reports it here",
        );
    });
}

/// Where `...` stands for the lines a thread cut short may print, the run
/// matches; a line of `main`'s that goes missing fails.
#[test]
fn a_missing_line_outside_the_elided_ones_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{CUT_SHORT}/src/main.rs"),
            "for cup in 1..=3 {",
            "for cup in 1..=2 {",
        );
        assert_problem(
            &outputs(&book),
            &format!("{CUT_SHORT}/output.txt"),
            "- main: pouring cup 3",
        );
    });
}

/// A game whose typed guesses close in on its random secret passes only
/// with the seed that drew it; without the seed, the failure says that the
/// program prints something else at each run, and to declare a seed.
#[test]
fn a_random_number_without_a_seed_fails_naming_it() {
    proven(|| {
        let book = Book::course();
        book.edit(&format!("{SEEDED_GAME}/Cargo.toml"), "seed = 2026\n", "");
        assert_problem(
            &outputs(&book),
            &format!("{SEEDED_GAME}/transcript.txt"),
            "If it draws random numbers, declare a seed",
        );
    });
}

/// The page says how an output was recorded, under it: the warnings left
/// out and what to type to see the same, and that the reader's random
/// numbers will differ. And a transcript's status lines never reach the
/// page. Without the preprocessor that does both, the build says so.
#[test]
fn the_page_says_how_an_output_was_recorded_and_shows_no_status_line() {
    proven(|| {
        let book = Book::course();
        let (problems, html) = book.built_pages();
        assert!(problems.is_empty(), "{problems:#?}");
        let page = std::fs::read_to_string(html.join("ch05-structs.html")).unwrap();
        assert!(
        page.contains("Recorded without rustc's <code>dead_code</code> and <code>unused_variables</code> warnings (a teaching step, finished in the next listings). To see the same, type <code>RUSTFLAGS=\"-A dead_code -A unused_variables\"</code> before the command."),
        "{page}"
    );
        let page = std::fs::read_to_string(html.join("ch12-minigrep.html")).unwrap();
        assert!(page.contains("$ cargo run -- the\n"), "{page}");
        assert!(!page.contains("? 1"), "{page}");
        let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
        let start = toml.find("[preprocessor.listing-labels]").unwrap();
        let end = start + toml[start..].find("\n\n").unwrap();
        book.edit("book.toml", &toml[start..end + 2], "");
        let problems = book.build();
        assert_problem(
            &problems,
            "src/ch12-minigrep.md",
            "a transcript's status line `? 1`",
        );
        assert_problem(
            &problems,
            "src/ch05-structs.md",
            "this block shows an output the reader should know more of",
        );
    });
}

/// `{{#rustdoc_include …/output.txt}}` shows an output as `{{#include}}`
/// does, and counts as its checked output.
#[test]
fn an_output_shown_with_rustdoc_include_counts_as_checked() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "{{#include ../listings/ch01-tiny/listing-01-01/output.txt}}",
            "{{#rustdoc_include ../listings/ch01-tiny/listing-01-01/output.txt}}",
        );
        let problems = harness::checks::coverage(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        book.edit(
            CHAPTER,
            "{{#rustdoc_include ../listings/ch01-tiny/listing-01-01/output.txt}}",
            "a train of 3 cars",
        );
        assert_problem(
            &harness::checks::coverage(book.root()),
            CHAPTER,
            "looks like program output",
        );
    });
}

/// An output recorded with another rustc, whose std wording changed: the
/// failure says with which rustc it was recorded and which it was checked
/// with, that only the toolchain's text changed, and what to run;
/// `cargo xtask bless --drift` records it again. A change of the program's
/// own output is never taken for drift, nor recorded again by it.
#[test]
fn toolchain_drift_is_named_as_drift_and_a_programs_change_never_is() {
    proven(|| {
        let book = Book::new();
        let panics = "listings/ch01-tiny/listing-01-03";
        book.write(
        "listings/recorded-with.txt",
        "# The rustc every output.txt and transcript.txt of the book was recorded with\nrustc 1.97.0 (3f5fd8dd4 2026-07-09)\n",
    );
        // The wording another release gave the same panic.
        book.edit(
            &format!("{panics}/output.txt"),
            "index out of bounds: the len is 3 but the index is 3",
            "index out of bounds: the length is 3 but the index is 3",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{panics}/output.txt"),
            "Recorded with rustc 1.97.0 (3f5fd8dd4 2026-07-09) (listings/recorded-with.txt), \
             checked with rustc 1.95.0",
        );
        assert_problem(
            &problems,
            &format!("{panics}/output.txt"),
            "Only the toolchain's text changed: this is drift. `cargo xtask bless --drift`",
        );
        // The program's own output changed too: not drift.
        book.edit(
            &format!("{LISTING}/output.txt"),
            "a train of",
            "a train with",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/output.txt"),
            "The program's own output changed, which drift never explains",
        );
        // bless --drift records the drifted one, and leaves the other.
        let checker = book.checker();
        let root = book.root().to_path_buf();
        let (problems, blessed) =
            harness::checks::outputs::bless(&checker, harness::checks::outputs::Bless::Drift);
        assert!(problems.is_empty(), "{problems:#?}");
        let written: Vec<String> = blessed
            .iter()
            .map(|b| format!("{} {}", b.file.display(), b.written))
            .collect();
        assert_eq!(
            written,
            [
                format!("{LISTING}/output.txt false"),
                format!("{panics}/output.txt true"),
            ]
        );
        let drifted = std::fs::read_to_string(root.join(panics).join("output.txt")).unwrap();
        assert!(drifted.contains("the len is 3"), "{drifted}");
        let program = std::fs::read_to_string(root.join(LISTING).join("output.txt")).unwrap();
        assert!(program.contains("a train with"), "{program}");
    });
}

/// A worker stopped anywhere: its lines, declared optional, may be missing
/// or come elsewhere, and the run passes; a line of `main`'s that goes
/// missing still fails; optional text no recorded line holds is refused;
/// and the page says which lines may be missing, and why.
#[test]
fn optional_lines_may_be_missing_and_no_other_line_may() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        let mine = |problems: Vec<harness::Problem>| -> Vec<harness::Problem> {
            problems
                .into_iter()
                .filter(|p| p.file.starts_with(STOPS_ANYWHERE))
                .collect()
        };
        // Recorded with every worker line, run with none of them.
        book.edit(
            &format!("{STOPS_ANYWHERE}/src/main.rs"),
            "for tick in 1..10 {",
            "for tick in 1..1 {",
        );
        assert!(mine(outputs(&book)).is_empty());
        book.edit(
            &format!("{STOPS_ANYWHERE}/src/main.rs"),
            "for step in 1..5 {",
            "for step in 1..4 {",
        );
        assert_problem(
            &mine(outputs(&book)),
            &format!("{STOPS_ANYWHERE}/output.txt"),
            "printed something else",
        );
        book.edit(
            &format!("{STOPS_ANYWHERE}/Cargo.toml"),
            "optional-lines = [\"from the worker\"]",
            "optional-lines = [\"from the helper\"]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{STOPS_ANYWHERE}/Cargo.toml:11"),
            "`optional-lines` names `from the helper`, which no line of",
        );
        let manifest = std::fs::read_to_string(
            repository()
                .join("tests/fixtures/course-book")
                .join(STOPS_ANYWHERE)
                .join("Cargo.toml"),
        )
        .unwrap();
        let note = harness::checks::labels::note_in(&manifest).unwrap();
        assert!(
            note.contains("Lines with “from the worker” may be missing from your run"),
            "{note}"
        );
    });
}

/// A chapter ported from an older course says, in a recorded-with.txt of
/// its own, which rustc its outputs were recorded with: its drift is named
/// against that file, and `bless --drift` writes the running rustc there,
/// while a listing whose program's own output changed (left as it was)
/// keeps the old rustc in a file of its own.
#[test]
fn a_chapter_recorded_with_an_older_rustc_names_its_drift_there() {
    proven(|| {
        let book = Book::new();
        let panics = "listings/ch01-tiny/listing-01-03";
        let chapter = "listings/ch01-tiny/recorded-with.txt";
        book.write(chapter, "rustc 1.46.0 (04488afe3 2020-08-24)\n");
        book.edit(
            &format!("{panics}/output.txt"),
            "index out of bounds: the len is 3 but the index is 3",
            "index out of bounds: the length is 3 but the index is 3",
        );
        book.edit(
            &format!("{LISTING}/output.txt"),
            "a train of",
            "a train with",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{panics}/output.txt"),
            "Recorded with rustc 1.46.0 (04488afe3 2020-08-24) (listings/ch01-tiny/recorded-with.txt)",
        );
        let checker = book.checker();
        let root = book.root().to_path_buf();
        let (problems, _) =
            harness::checks::outputs::bless(&checker, harness::checks::outputs::Bless::Drift);
        assert!(problems.is_empty(), "{problems:#?}");
        let now = std::fs::read_to_string(root.join(chapter)).unwrap();
        assert!(
            now.contains(&harness::running::drift::running_rustc()),
            "{now}"
        );
        let own = format!("{LISTING}/recorded-with.txt");
        let kept = std::fs::read_to_string(root.join(&own)).unwrap();
        assert!(
            kept.contains("rustc 1.46.0 (04488afe3 2020-08-24)"),
            "{kept}"
        );
        // The book as bless left it.
        for file in [chapter, &own, &format!("{panics}/output.txt")] {
            book.write(file, &std::fs::read_to_string(root.join(file)).unwrap());
        }
        // Checked again: the drifted output passes, the program's change is
        // still named, against the listing's own file.
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{LISTING}/output.txt"),
            "Recorded with rustc 1.46.0 (04488afe3 2020-08-24) (listings/ch01-tiny/listing-01-01/recorded-with.txt)",
        );
    });
}
