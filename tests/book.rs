//! Every check of `harness::check::ALL`, run on the book, one test each
//! (libtest-mimic), on one walk of the book. A failure names the file, and
//! the line where there is one, and says what was expected and what came.

use std::sync::Arc;

use harness::check::{ALL, Book};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let root = harness::checkout();
    let book = Arc::new(Book::new(root, &root.join("target")));
    let trials = ALL
        .iter()
        .map(|check| {
            let book = Arc::clone(&book);
            Trial::test(check.proves, move || {
                harness::problem::report((check.run)(&book)).map_err(Failed::from)
            })
        })
        .chain([Trial::test("the_time_limit_is_within_30_seconds", || {
            let secs = harness::listings::TIME_LIMIT.as_secs();
            if secs <= 30 {
                Ok(())
            } else {
                Err(format!("TIME_LIMIT is {secs} s").into())
            }
        })])
        .collect();
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}
