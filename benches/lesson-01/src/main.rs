//! Times lesson 1's program as the reader has it: listing-01-01's own
//! source, included below unchanged, so what is timed is the code rustc
//! compiles for the reader (on rustc 1.95, with `--release`, a loop that
//! adds a million numbers; see `tests/lesson_01_numbers.rs`, which checks
//! that). Each run also prints the listing's five lines, as the reader's
//! does. The last line printed is `key value` pairs, for run.py to read.

use std::hint::black_box;
use std::time::Instant;

/// listing-01-01, word for word.
mod listing {
    include!("../../../listings/ch01-why-systems-programming/listing-01-01/src/main.rs");

    pub fn run() {
        main();
    }
}

fn main() {
    // Called through a function pointer the optimizer cannot see through,
    // so it compiles the listing's `main` as the reader's build does,
    // rather than fusing it into this timing loop.
    let run: fn() = black_box(listing::run);
    let repeats = 21;
    let mut best = f64::INFINITY;
    for _ in 0..repeats {
        let start = Instant::now();
        run();
        best = best.min(start.elapsed().as_secs_f64());
    }
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!(
        "profile {profile} best_ms {:.4} repeats {repeats} u64_bytes {} million_u64_bytes {}",
        best * 1e3,
        std::mem::size_of::<u64>(),
        std::mem::size_of::<u64>() * 1_000_000,
    );
}
