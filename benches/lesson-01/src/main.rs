//! Times lesson 1's loop, summing 1..=1,000,000, with the loop kept: without
//! `black_box`, a release build folds the whole loop into a constant.
//! Prints one line of `key value` pairs for run.py to read.

use std::hint::black_box;
use std::time::Instant;

fn sum(n: u64) -> u64 {
    let mut total: u64 = 0;
    for i in 1..=n {
        total += black_box(i);
    }
    total
}

fn main() {
    let n: u64 = 1_000_000;
    let repeats = 21;
    let mut best = f64::INFINITY;
    for _ in 0..repeats {
        let start = Instant::now();
        let total = sum(black_box(n));
        let seconds = start.elapsed().as_secs_f64();
        assert_eq!(total, n * (n + 1) / 2);
        best = best.min(seconds);
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
