#!/usr/bin/env python3
"""A new author's first `cargo test`, timed: the repository cloned into a new
directory (named `book`, as a reader may name it), with an empty CARGO_HOME
and an empty target directory, so every crate is downloaded and compiled.
Prints each run, then min / median / max, and where the time went: cargo's
own timing data (`cargo test --timings`), the units that took longest and the
chain that finished last.

    python3 benches/fresh-clone/run.py [RUNS]     # 3 runs unless given

Needs only git, cargo and a reachable registry; writes only under a
temporary directory, which it removes.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def units(clone):
    """cargo's timing data: each unit compiled, with its start and duration."""
    timings = os.path.join(clone, "target", "cargo-timings")
    page = max(
        (os.path.join(timings, f) for f in os.listdir(timings) if f.startswith("cargo-timing-")),
        key=os.path.getmtime,
    )
    with open(page, encoding="utf-8") as f:
        text = f.read()
    found = re.search(r"const UNIT_DATA = (\[.*?\]);\n", text, re.S)
    return json.loads(found.group(1)) if found else []


def one_run():
    """Seconds the first `cargo test` took, whether it passed, and its units."""
    with tempfile.TemporaryDirectory(prefix="fresh-clone-") as work:
        clone = os.path.join(work, "book")
        subprocess.run(["git", "clone", "--quiet", ROOT, clone], check=True)
        env = dict(os.environ, CARGO_HOME=os.path.join(work, "cargo-home"))
        env.pop("CARGO_TARGET_DIR", None)
        env.pop("CBH_CHECKOUT", None)
        started = time.monotonic()
        done = subprocess.run(
            ["cargo", "test", "--timings"],
            cwd=clone,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds = time.monotonic() - started
        return seconds, done.returncode == 0, units(clone)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results = []
    for n in range(runs):
        seconds, passed, compiled = one_run()
        cpu = sum(u["duration"] for u in compiled)
        span = max((u["start"] + u["duration"] for u in compiled), default=0)
        print(
            f"run {n + 1}: {seconds:.0f} s, {'green' if passed else 'RED'}; "
            f"{len(compiled)} units, {cpu:.0f} s of compiling in all, {span:.0f} s from first to last"
        )
        results.append((seconds, passed, compiled))
    times = sorted(s for s, _, _ in results)
    print(
        f"first cargo test: min {times[0]:.0f} s, median {statistics.median(times):.0f} s, "
        f"max {times[-1]:.0f} s ({runs} runs)"
    )
    compiled = results[-1][2]
    print("longest units (last run):")
    for u in sorted(compiled, key=lambda u: -u["duration"])[:10]:
        print(f"  {u['duration']:5.1f} s  {u['name']} {u.get('target', '').strip()}")
    print("the last to finish (last run), with when each started:")
    for u in sorted(compiled, key=lambda u: u["start"] + u["duration"])[-6:]:
        print(f"  {u['start']:5.1f} s + {u['duration']:4.1f} s  {u['name']} {u.get('target', '').strip()}")
    if not all(p for _, p, _ in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
