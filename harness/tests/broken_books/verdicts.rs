//! Verdicts that can be trusted: a verdict is reused only while everything it read is
//! unchanged, wherever the checkout is and whatever its name; a failure of the machine is
//! never remembered as the book's.

use std::time::Duration;

use harness::engine::cache::Store;

use crate::fixture::*;
use crate::listings::*;

/// The false green: in a clone named `book` (as `git clone URL book` names
/// it), the verdict cache once hashed nothing, and an edited output passed.
/// Here every check passes, then one word of an output changes, and then an
/// anchor the chapter includes is renamed: each fails.
#[test]
fn an_edit_after_a_passing_run_fails_in_a_checkout_named_book() {
    proven(|| {
        let book = Book::of_named("tiny-book", Some("book"));
        assert!(book.root().ends_with("book"));
        assert!(book.outputs(Duration::from_secs(10)).is_empty());
        let includes = harness::checks::includes(book.root());
        assert!(includes.is_empty(), "{includes:#?}");
        book.edit(&format!("{LISTING}/output.txt"), "3 cars", "three cars");
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{LISTING}/output.txt"),
            "three cars",
        );
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "ANCHOR: here",
            "ANCHOR: there",
        );
        assert_problem(
            &harness::checks::includes(book.root()),
            &format!("{CHAPTER}:11"),
            "has no `ANCHOR: here`",
        );
    });
}

/// The sticky red: a registry crate that cannot be fetched (the machine is
/// offline and cargo's cache lacks it) fails the run as the machine's
/// failure, saying what to run, and is not remembered: with the crate
/// there, the same book passes at once.
#[test]
fn a_crate_missing_offline_is_the_machines_failure_and_not_remembered() {
    proven(|| {
        let book = Book::course();
        let empty = tempfile::tempdir().unwrap();
        // A store of its own, so that the listings are checked, not reused
        // from another test's copy (their verdicts do not depend on which
        // machine's cache holds the crates they resolve to).
        let store = tempfile::tempdir().unwrap();
        let checker = || {
            let mut checker = book.checker().with_store(Store::new(store.path()));
            checker.settings.time_limit = Duration::from_secs(20);
            checker
        };
        let mut offline = checker();
        offline.settings.registry = harness::running::settings::Registry {
            cargo_home: empty.path().to_path_buf(),
            offline: true,
        };
        let problems = harness::checks::run(
            &offline,
            "every_listing_compiles_and_prints_what_the_book_shows",
        );
        assert!(problems.iter().all(|p| p.machine), "{problems:#?}");
        assert_problem(
            &problems,
            "Cargo.lock",
            "the machine, not the book: cargo could not fetch the registry crates",
        );
        assert_problem(
            &problems,
            "listings/Cargo.lock",
            "Run `cargo fetch --manifest-path listings/Cargo.toml`",
        );
        let problems = harness::checks::run(
            &checker(),
            "every_listing_compiles_and_prints_what_the_book_shows",
        );
        assert!(problems.is_empty(), "{problems:#?}");
    });
}
