//! Every check of `harness::checks::ALL`, run on the book, one test each
//! (build.rs writes a `#[test]` for each), on one model of the book, read
//! once. A failure names the file, and the line where there is one, and
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

#[test]
fn the_time_limit_is_within_30_seconds() {
    let secs = harness::running::settings::TIME_LIMIT.as_secs();
    assert!(secs <= 30, "TIME_LIMIT is {secs} s");
}
