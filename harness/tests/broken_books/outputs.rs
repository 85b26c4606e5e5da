//! The listings check: every listing compiles and prints what the book shows.

use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

#[test]
fn one_changed_character_of_an_expected_output_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(&format!("{LISTING}/output.txt"), "3 cars", "3 carz");
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/output.txt"),
            "shown in src/ch01-tiny.md:11",
        );
        assert_problem(&problems, "output.txt", "carz");
        assert_problem(&problems, "output.txt", "cargo xtask bless");
    });
}

#[test]
fn a_listing_that_no_longer_compiles_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars: u8 = \"three\";",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs"),
            "does not compile",
        );
        assert_problem(&problems, &format!("{LISTING}/src/main.rs"), "error[E0308]");
    });
}

#[test]
fn a_listing_that_never_ends_is_stopped() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars = 3;\n    loop { std::hint::spin_loop(); }",
        );
        // What stopped it is the time limit, as processor time (not the
        // output limit, not a crash, not the clock of a busy machine): the
        // message says so.
        let problems = book.outputs(Duration::from_secs(2));
        assert_problem(&problems, LISTING, "used more than 2 s of processor time");
    });
}

#[test]
fn a_listing_failing_with_another_error_code_than_declared_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(&format!("{DOES_NOT_COMPILE}/Cargo.toml"), "E0382", "E0499");
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{DOES_NOT_COMPILE}/Cargo.toml"),
            "declared to fail with E0499, but rustc said",
        );
        assert_problem(&problems, DOES_NOT_COMPILE, "error[E0382]");
    });
}

#[test]
fn a_listing_declared_not_to_compile_that_compiles_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{DOES_NOT_COMPILE}/src/main.rs"),
            "let train = cars;",
            "let train = cars.clone();",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{DOES_NOT_COMPILE}/Cargo.toml"),
            "declared not to compile (error E0382), but it compiles",
        );
    });
}

#[test]
fn a_listing_declared_to_panic_that_exits_cleanly_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{PANICS}/src/main.rs"),
            "let index = cars.len();",
            "let index = cars.len() - 1;",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{PANICS}/Cargo.toml"),
            "declared to panic, but it exited cleanly",
        );
    });
}

#[test]
fn a_changed_diagnostic_or_panic_message_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{DOES_NOT_COMPILE}/output.txt"),
            "value moved here",
            "value moved over there",
        );
        book.edit(
            &format!("{PANICS}/output.txt"),
            "the len is 3",
            "the len is 4",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{DOES_NOT_COMPILE}/output.txt"),
            "got a diagnostic from rustc that is something else",
        );
        assert_problem(
            &problems,
            &format!("{PANICS}/output.txt"),
            "panicked with a message that is something else",
        );
    });
}

#[test]
fn an_outcome_that_is_not_known_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{PANICS}/Cargo.toml"),
            "outcome = \"panics\"",
            "outcome = \"crashes\"",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{PANICS}/Cargo.toml:8"),
            "unknown variant `crashes`",
        );
    });
}

#[test]
fn a_program_waiting_for_input_the_listing_does_not_give_fails_at_once() {
    proven(|| {
        let book = Book::course();
        book.remove(&format!("{GUESSING_GAME}/input.txt"));
        // "At once": it was stopped because it waited on input it does not
        // have (seen in the kernel's account of what it is blocked on), not by
        // the time limit, which would say "still running after".
        let problems = outputs(&book);
        assert_problem(
            &problems,
            &format!("{GUESSING_GAME}/transcript.txt"),
            "waits for input that the listing does not give",
        );
        let report = harness::book::problem::report(problems).unwrap_err();
        assert!(!report.contains("still running after"), "{report}");
    });
}

#[test]
fn a_wrong_exit_status_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{MINIGREP}/transcript.txt"),
            "$ cargo run -- the\n? 1\n",
            "$ cargo run -- the\n",
        );
        assert_problem(
            &outputs(&book),
            &format!("{MINIGREP}/transcript.txt"),
            "? 1",
        );
    });
}

#[test]
fn a_thread_listing_whose_lines_change_fails_though_their_order_may_not() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{THREADS}/output.txt"),
            "spawned thread: step 3",
            "spawned thread: step 4",
        );
        assert_problem(&outputs(&book), &format!("{THREADS}/output.txt"), "step 4");
    });
}

#[test]
fn a_warning_that_is_gone_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{WARNING}/src/main.rs"),
            "let total = price * quantity;",
            "let total = price * quantity - discount;",
        );
        let problems = outputs(&book);
        assert_problem(
            &problems,
            &format!("{WARNING}/transcript.txt"),
            "warning: unused variable",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{WARNING}/Cargo.toml"),
            "allows `unused_variables`, but",
        );
    });
}

#[test]
fn a_mistyped_metadata_key_fails_at_its_line() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(&format!("{PANIC}/Cargo.toml"), "outcome = ", "outcom = ");
        assert_problem(
            &outputs(&book),
            &format!("{PANIC}/Cargo.toml:8"),
            "unknown field `outcom`",
        );
    });
}

#[test]
fn a_changed_parse_error_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{PARSE_ERROR}/src/main.rs"),
            "let width = 8\n",
            "let width = 8;\n    let depth = 2\n",
        );
        assert_problem(
            &outputs(&book),
            &format!("{PARSE_ERROR}/output.txt"),
            "got a diagnostic from rustc that is something else",
        );
    });
}

#[test]
fn a_module_file_that_changes_what_the_program_prints_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{MODULES}/src/toolbox/tool.rs"),
            "{} ({} g)",
            "{}: {} g",
        );
        assert_problem(
            &outputs(&book),
            &format!("{MODULES}/output.txt"),
            "- hammer: 450 g",
        );
    });
}

#[test]
fn a_panic_that_moves_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{PANIC}/src/main.rs"),
            "\"n/a\", \"23.1\"",
            "\"23.1\", \"n/a\"",
        );
        assert_problem(
            &outputs(&book),
            &format!("{PANIC}/transcript.txt"),
            "running total: 66.6",
        );
    });
}

#[test]
fn output_that_is_not_utf8_is_compared_as_bytes() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    use std::io::Write;\n    std::io::stdout()\n        .write_all(b\"a train of 3 cars \\xff\\n\")\n        \
             .expect(\"stdout is open\");\n",
        ),
    );
        book.edit(&format!("{LISTING}/output.txt"), "3 cars", "3 cars ÿ");
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{LISTING}/output.txt"),
            "3 cars \\xff",
        );
    });
}

/// A difference of whitespace alone is said in words beside the diff (a
/// trailing space, a missing final newline), with what `∅` marks; blank
/// lines at the very end are not compared (rustc ends each diagnostic
/// with one, which no course pastes).
#[test]
fn a_whitespace_only_difference_is_said_in_words() {
    proven(|| {
        let book = Book::new();
        book.write(&format!("{LISTING}/output.txt"), "a train of 3 cars \n");
        assert_problem(
            &outputs(&book),
            &format!("{LISTING}/output.txt"),
            "They differ only in whitespace: a trailing space on line 1 of the recorded file",
        );
        book.write(&format!("{LISTING}/output.txt"), "a train of 3 cars");
        assert_problem(
            &outputs(&book),
            &format!("{LISTING}/output.txt"),
            "the recorded file has no final newline; what came has one",
        );
        assert_problem(
            &outputs(&book),
            &format!("{LISTING}/output.txt"),
            "∅ marks the end of a text that has no final newline",
        );
        book.write(&format!("{LISTING}/output.txt"), "a train of 3 cars\n\n\n");
        let problems: Vec<_> = outputs(&book)
            .into_iter()
            .filter(|p| p.file.starts_with(LISTING))
            .collect();
        assert!(problems.is_empty(), "{problems:?}");
    });
}

/// A listing whose manifest cargo refuses (here a package with no target:
/// `autobins = false` and no `[[bin]]`) is named with cargo's reason, and
/// the others are still built, run and linted: the build that tries the
/// files as written first (stage.rs) falls back to asking cargo which
/// listing it cannot load.
#[test]
fn a_listing_cargo_cannot_load_is_named_and_the_others_are_still_checked() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{PANICS}/Cargo.toml"),
            "publish = false",
            "publish = false\nautobins = false",
        );
        book.edit(&format!("{LISTING}/output.txt"), "3 cars", "3 carz");
        let manifest = format!("{PANICS}/Cargo.toml");
        for problems in [outputs(&book), book.lints()] {
            assert_problem(&problems, &manifest, "cargo cannot load this listing");
            assert_problem(&problems, &manifest, "no targets specified");
            assert!(problems.iter().all(|p| !p.machine), "{problems:#?}");
        }
        assert_problem(&outputs(&book), &format!("{LISTING}/output.txt"), "carz");
    });
}

/// The book's `listings/Cargo.lock` pins every listing, as cargo keeps a
/// workspace's lock: a listing added after a run is pinned by the next
/// (cargo is asked to pin only when a manifest or the lock changed since
/// it last was, stage.rs).
#[test]
fn a_listing_added_after_a_run_is_pinned_in_the_books_lock() {
    proven(|| {
        let book = Book::new();
        // Read where the checks write it: `root()` would bring the copy
        // back to the test's files, which have no lock.
        let dir = book.root().to_path_buf();
        let lock = || std::fs::read_to_string(dir.join("listings/Cargo.lock")).unwrap();
        // A store of its own, so that the listings are built, not reused
        // from another test's copy.
        let store = tempfile::tempdir().unwrap();
        let outputs = |book: &Book| {
            let checker = book
                .checker()
                .with_store(harness::engine::cache::Store::new(store.path()));
            harness::checks::run(
                &checker,
                "every_listing_compiles_and_prints_what_the_book_shows",
            )
        };
        outputs(&book);
        assert!(lock().contains("name = \"listing-01-03\""), "{}", lock());
        assert!(!lock().contains("listing-01-04"), "{}", lock());
        // The lock is the book's now; then a listing is added.
        book.write("listings/Cargo.lock", &lock());
        let added = "listings/ch01-tiny/listing-01-04";
        book.copy_dir(LISTING, added);
        book.edit(
            &format!("{added}/Cargo.toml"),
            "name = \"listing-01-01\"",
            "name = \"listing-01-04\"",
        );
        outputs(&book);
        assert!(lock().contains("name = \"listing-01-04\""), "{}", lock());
    });
}
