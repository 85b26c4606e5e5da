//! Every check of `harness::checks::ALL`, run on the book, one test each
//! (libtest-mimic), on one model of the book, read once. A failure names
//! the file, and the line where there is one, and says what was expected
//! and what came. `CBH_EXPLAIN=1` says, for each check, which verdict it
//! reused or why it ran again; `CBH_NO_CACHE=1` runs every check.

use std::sync::Arc;

use harness::checks::ALL;
use harness::engine::checker::Checker;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let checker = Arc::new(Checker::new(harness::checkout()));
    let trials = ALL
        .iter()
        .map(|check| {
            let checker = Arc::clone(&checker);
            Trial::test(check.proves, move || {
                harness::book::problem::report((check.run)(&checker)).map_err(Failed::from)
            })
        })
        .chain([Trial::test("the_time_limit_is_within_30_seconds", || {
            let secs = harness::running::settings::TIME_LIMIT.as_secs();
            if secs <= 30 {
                Ok(())
            } else {
                Err(format!("TIME_LIMIT is {secs} s").into())
            }
        })])
        .collect();
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}
