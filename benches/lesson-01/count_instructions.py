#!/usr/bin/env python3
"""How many machine instructions one pass of lesson 1's Python loop costs.

Run by hand (it needs valgrind; it is not part of `cargo test`):

    python3 benches/lesson-01/count_instructions.py

For the loop inside a function (locals are array slots) and at module level
(each name is a dictionary lookup), it runs CPython under
`valgrind --tool=callgrind` twice, with 0 and with N passes, and divides the
difference in instructions executed by N: what start-up costs cancels out.
"""
import os
import platform
import re
import subprocess
import sys
import tempfile

N = 200_000

IN_A_FUNCTION = """
def main(n):
    total = 0
    for i in range(1, n + 1):
        total += i
    return total
main({n})
"""

AT_MODULE_LEVEL = """
total = 0
for i in range(1, {n} + 1):
    total += i
"""


def instructions(source):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             sys.executable, "-S", "-c", source],
            capture_output=True, text=True, check=True)
        found = re.search(r"Collected : (\d+)", run.stderr)
        return int(found.group(1))


def per_pass(template):
    return (instructions(template.format(n=N)) - instructions(template.format(n=0))) / N


def main():
    print(f"CPython {platform.python_version()} on {platform.machine()}, "
          f"{N:,} passes, valgrind --tool=callgrind")
    print(f"loop inside a function: {per_pass(IN_A_FUNCTION):8.0f} instructions per pass")
    print(f"loop at module level:   {per_pass(AT_MODULE_LEVEL):8.0f} instructions per pass")


if __name__ == "__main__":
    main()
