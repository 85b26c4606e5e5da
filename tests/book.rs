//! Every check of `harness::checks::ALL`, run on the book, one test each
//! (build.rs writes a `#[test]` for each), and skeptic on every `rust` block
//! of the chapters, on one model of the book, read once. A failure names the file, and the line where there is one, and
//! says what was expected and what came. `CBH_EXPLAIN=1` says, for each
//! check, which verdict it reused or why it ran again (with `--nocapture`);
//! `CBH_NO_CACHE=1` runs every check.

use std::sync::LazyLock;

use harness::engine::checker::Checker;

/// The book, read once, for every check.
static CHECKER: LazyLock<Checker> = LazyLock::new(|| Checker::new(harness::checkout()));

/// The check of `ALL` that proves `proves`, on the book: its report, as an
/// author reads it, when it fails, and nothing else (no panic message, no
/// backtrace into the generated test).
fn check(proves: &str) {
    if let Err(report) = harness::book::problem::report(harness::checks::run(&CHECKER, proves)) {
        println!("{report}");
        std::panic::resume_unwind(Box::new(report));
    }
}

include!(concat!(env!("OUT_DIR"), "/book-checks.rs"));

#[path = "support/blocks.rs"]
mod blocks;

/// Every `rust` block of a chapter that is not a listing's file (those
/// the listings check builds: harness/src/snippets.rs), compiled and run by
/// skeptic as the reader sees it. The blocks are found as the test runs, so
/// an edited chapter compiles nothing again; the verdict is kept with what
/// was read to find them (the chapters, what their blocks include) and the
/// inputs of each block's run, and only a pass is kept.
#[test]
fn every_rust_block_of_a_chapter_compiles_and_runs() {
    let root = CHECKER.book.root();
    let inputs = blocks::inputs(root);
    let scope = format!("{inputs:016x}");
    if CHECKER
        .store
        .lookup(&CHECKER.book, "rust-blocks", &scope)
        .is_some()
    {
        return;
    }
    let reader = harness::engine::trace::Reader::new(&CHECKER.book);
    let failures = match harness::snippets::for_skeptic(&CHECKER, &reader) {
        Ok(snippets) => blocks::failures(root, inputs, &snippets),
        Err(refused) => vec![refused],
    };
    if failures.is_empty() {
        CHECKER.store.keep("rust-blocks", &scope, &reader, &[]);
        return;
    }
    let report = failures.join("\n\n");
    println!("{report}");
    std::panic::resume_unwind(Box::new(report));
}

#[test]
fn the_time_limit_is_within_30_seconds() {
    let secs = harness::running::settings::TIME_LIMIT.as_secs();
    assert!(secs <= 30, "TIME_LIMIT is {secs} s");
}
