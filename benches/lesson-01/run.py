#!/usr/bin/env python3
"""Lesson 1's benchmark: the speed and memory claims, measured.

Run by hand (it is not part of `cargo test`), from anywhere:

    python3 benches/lesson-01/run.py

It times the manuscript's loop, summing 1..=1,000,000, in CPython (with the
loop inside a function, as `timeit` runs it) and in Rust: listing-01-01's
own code (src/main.rs includes it), built with `--release` and as a debug
build, each run printing the listing's five lines as the reader's does. It
prints the ratios, and the memory figures for Python ints and u64s.
"""
import os
import platform
import resource
import subprocess
import sys
import timeit
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
N = 1_000_000
REPEATS = 21


def python_loop(n=N):
    total = 0
    for i in range(1, n + 1):
        total += i
    return total


def rust(profile):
    args = ["cargo", "run", "--quiet", "--manifest-path", os.path.join(HERE, "Cargo.toml")]
    if profile == "release":
        args.append("--release")
    # Each run prints the listing's own output first; the figures are last.
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    figures = out.strip().splitlines()[-1].split()
    return dict(zip(figures[::2], figures[1::2]))


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def python_list_cost():
    """Bytes that a list of 1,000,000 distinct ints really takes: the growth
    of the process's resident memory, then what tracemalloc saw allocated
    (measured apart, because tracemalloc's own bookkeeping takes memory)."""
    before = rss_kib()
    ints = list(range(10**6, 10**6 + N))  # all distinct; no cached small ints
    grown = (rss_kib() - before) * 1024
    assert len(ints) == N
    del ints
    tracemalloc.start()
    ints = list(range(10**6, 10**6 + N))
    traced, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return traced, grown


def main():
    assert python_loop() == N * (N + 1) // 2
    py_ms = min(timeit.repeat(python_loop, number=1, repeat=REPEATS)) * 1e3
    release = rust("release")
    debug = rust("debug")
    rel_ms, dbg_ms = float(release["best_ms"]), float(debug["best_ms"])
    traced, grown = python_list_cost()
    mib = 1024 * 1024

    print(f"Lesson 1 benchmark: sum 1..={N:,}, best of {REPEATS} runs")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}; "
          f"Python {platform.python_version()}")
    print()
    print(f"{'':36}{'time':>10}{'per add':>12}")
    for name, ms in [("CPython, loop in a function", py_ms),
                     ("Rust --release (listing-01-01)", rel_ms),
                     ("Rust debug build (listing-01-01)", dbg_ms)]:
        print(f"{name:36}{ms:>8.3f} ms{ms * 1e6 / N:>9.2f} ns")
    print()
    print(f"{'Python / Rust --release':36}{py_ms / rel_ms:>8.1f} x")
    print(f"{'Python / Rust debug':36}{py_ms / dbg_ms:>8.1f} x")
    print()
    print(f"{'sys.getsizeof(1)':36}{sys.getsizeof(1):>8} bytes")
    print(f"{'sys.getsizeof(2**30)':36}{sys.getsizeof(2**30):>8} bytes")
    print(f"{'list of 1,000,000 distinct ints':36}{grown / mib:>8.1f} MiB  (process RSS growth)")
    print(f"{'':36}{traced / mib:>8.1f} MiB  (traced by tracemalloc)")
    print(f"{'u64 (std::mem::size_of)':36}{release['u64_bytes']:>8} bytes")
    u64s = int(release["million_u64_bytes"])
    print(f"{'1,000,000 u64s':36}{u64s / mib:>8.1f} MiB  ({u64s:,} bytes)")


if __name__ == "__main__":
    main()
