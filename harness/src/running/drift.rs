//! Toolchain drift, named as drift. Every six weeks a new rustc changes
//! some of what a course recorded: the wording of a diagnostic, a line
//! number inside the standard library, a panic's message. The book
//! remembers the toolchain its outputs were recorded with (one small file,
//! [`RECORDED_WITH`]), and when a listing's output differs and the running
//! toolchain is another, the failure says so, and says which of the lines
//! that changed are the compiler's or the standard library's text and which
//! are the program's own output, which drift never explains.
//! `cargo xtask bless --drift` records again only what drifted.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use similar::{ChangeTag, TextDiff};

/// The file that says which rustc the book's outputs were recorded with
/// (the first line of `rustc -vV`), relative to the book's root.
pub const RECORDED_WITH: &str = "listings/recorded-with.txt";

/// Whose text a line of output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Whose {
    /// rustc's diagnostics, or cargo's status lines.
    Compiler,
    /// A panic's wording, or a path and line in the standard library.
    StandardLibrary,
    /// The test harness's report (`running 2 tests`, `test … ok`).
    TestHarness,
    /// What the program itself printed.
    Program,
}

impl Whose {
    /// Whether a new toolchain alone can change it.
    pub fn is_the_toolchains(self) -> bool {
        self != Whose::Program
    }

    pub fn said(self) -> &'static str {
        match self {
            Whose::Compiler => "rustc's or cargo's text",
            Whose::StandardLibrary => {
                "the standard library's text (a panic's wording, a path in std)"
            }
            Whose::TestHarness => "the test harness's report",
            Whose::Program => "the program's own output",
        }
    }
}

static DIAGNOSTIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(error(\[E\d+\])?:|warning(\[\w+\])?:|note:|help:|-->|= (note|help):|\d*\s*\||\.\.\.\s*$|For more information about|Some errors have detailed|aborting due to|error: could not compile|warning: `[^`]+` \(|(Compiling|Finished|Running|Checking|Fresh|Locking|Blocking|Downloaded|Doc-tests)\b)",
    )
    .unwrap()
});
static HARNESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(running \d+ tests?|test .* \.\.\. (ok|FAILED|ignored)|test result:|failures:|---- .* stdout ----|successes:|error: test failed)",
    )
    .unwrap()
});
static PANIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^thread '[^']*' panicked at |^note: run with `RUST_BACKTRACE").unwrap()
});

/// Whose text each line of `output` is. `sources` are the listing's own
/// files: a line that says what one of them holds (a panic's message the
/// program wrote) is the program's.
pub fn whose_lines(output: &str, sources: &[&str]) -> Vec<Whose> {
    let mut after_panic = false;
    output
        .lines()
        .map(|line| {
            let trimmed = line.trim();
            let whose = if line.starts_with("$ ") {
                Whose::Compiler
            } else if PANIC.is_match(line) {
                after_panic = true;
                return Whose::StandardLibrary;
            } else if line.contains("/rustc/[HASH]/library/") || line.contains("/rustc/") {
                Whose::StandardLibrary
            } else if DIAGNOSTIC.is_match(line) {
                Whose::Compiler
            } else if HARNESS.is_match(line) {
                Whose::TestHarness
            } else if after_panic && !trimmed.is_empty() && !in_sources(trimmed, sources) {
                // The message under "panicked at", not written by the
                // program: the standard library's wording.
                Whose::StandardLibrary
            } else {
                Whose::Program
            };
            after_panic = false;
            whose
        })
        .collect()
}

/// Whether `line` (or a good part of it) is text one of `sources` holds.
fn in_sources(line: &str, sources: &[&str]) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let probe = if words.len() > 3 {
        words[..3].join(" ")
    } else {
        line.to_string()
    };
    sources.iter().any(|s| s.contains(&probe))
}

/// The lines that changed between what the book holds and what came (both
/// as compared), each with whose text it is.
pub fn changed_lines(wanted: &str, came: &str, sources: &[&str]) -> Vec<(Whose, String)> {
    let whose_wanted = whose_lines(wanted, sources);
    let whose_came = whose_lines(came, sources);
    let diff = TextDiff::from_lines(wanted, came);
    let mut changed = Vec::new();
    for change in diff.iter_all_changes() {
        let (index, whose) = match change.tag() {
            ChangeTag::Equal => continue,
            ChangeTag::Delete => (change.old_index(), &whose_wanted),
            ChangeTag::Insert => (change.new_index(), &whose_came),
        };
        let whose = index
            .and_then(|i| whose.get(i).copied())
            .unwrap_or(Whose::Program);
        changed.push((whose, change.value().trim_end_matches('\n').to_string()));
    }
    changed
}

/// How the lines that changed read in a report: "2 lines of rustc's or
/// cargo's text, 1 of the program's own output".
pub fn summary(changed: &[(Whose, String)]) -> String {
    let mut counts: std::collections::BTreeMap<Whose, usize> = Default::default();
    for (whose, _) in changed {
        *counts.entry(*whose).or_default() += 1;
    }
    counts
        .iter()
        .map(|(whose, n)| {
            format!(
                "{n} line{} of {}",
                if *n == 1 { "" } else { "s" },
                whose.said()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first line of `rustc -vV` (`rustc 1.95.0 (59807616e 2026-04-14)`):
/// the toolchain, as the book records it.
pub fn running_rustc() -> String {
    crate::running::tools::tool_version("rustc")
        .lines()
        .next()
        .unwrap_or("rustc (unknown)")
        .trim()
        .to_string()
}

/// The rustc the book's outputs were recorded with, if it says.
pub fn recorded_rustc(text: Option<&str>) -> Option<String> {
    text?
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("rustc "))
        .map(str::to_string)
}

/// Writes the running toolchain into the book's [`RECORDED_WITH`].
pub fn record(root: &Path) -> std::io::Result<()> {
    crate::book::files::write(
        root,
        Path::new(RECORDED_WITH),
        format!(
            "# The rustc every output.txt and transcript.txt of the book was recorded with\n\
             # (written by `cargo xtask bless`; see harness/src/drift.rs).\n{}\n",
            running_rustc()
        )
        .as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compilers_and_std_lines_are_told_from_the_programs() {
        let source = "fn main() {\n    panic!(\"the kettle boiled dry\");\n}\n";
        let output = "$ cargo run\n   Compiling kettle v0.1.0 ([DIR])\nwarning: unused variable: `x`\n --> src/main.rs:2:9\n  |\n2 |     let x = 1;\n  |         ^ help: if this is intentional, prefix it with an underscore: `_x`\n\
                      the water is warm\nthread 'main' panicked at src/main.rs:2:5:\nthe kettle boiled dry\n\
                      thread 'main' panicked at /rustc/[HASH]/library/core/src/option.rs:1010:5:\ncalled `Option::unwrap()` on a `None` value\nrunning 2 tests\ntest a ... ok\n";
        let whose = whose_lines(output, &[source]);
        let of = |text: &str| whose[output.lines().position(|l| l == text).unwrap()];
        assert_eq!(of("$ cargo run"), Whose::Compiler);
        assert_eq!(of("   Compiling kettle v0.1.0 ([DIR])"), Whose::Compiler);
        assert_eq!(of("warning: unused variable: `x`"), Whose::Compiler);
        assert_eq!(of("2 |     let x = 1;"), Whose::Compiler);
        assert_eq!(of("the water is warm"), Whose::Program);
        assert_eq!(of("the kettle boiled dry"), Whose::Program);
        assert_eq!(
            of("called `Option::unwrap()` on a `None` value"),
            Whose::StandardLibrary
        );
        assert_eq!(
            of("thread 'main' panicked at /rustc/[HASH]/library/core/src/option.rs:1010:5:"),
            Whose::StandardLibrary
        );
        assert_eq!(of("test a ... ok"), Whose::TestHarness);
    }

    #[test]
    fn what_changed_is_counted_by_whose_it_is() {
        let wanted = "thread 'main' panicked at /rustc/[HASH]/library/core/src/option.rs:1010:5:\ncalled `Option::unwrap()` on a `None` value\nsum: 3\n";
        let came = "thread 'main' panicked at /rustc/[HASH]/library/core/src/option.rs:1022:5:\ncalled `Option::unwrap()` on a `None` value\nsum: 3\n";
        let changed = changed_lines(wanted, came, &[]);
        assert!(changed.iter().all(|(w, _)| w.is_the_toolchains()));
        assert_eq!(
            summary(&changed),
            "2 lines of the standard library's text (a panic's wording, a path in std)"
        );
        let came = came.replace("sum: 3", "sum: 4");
        let changed = changed_lines(wanted, &came, &[]);
        assert!(changed.iter().any(|(w, _)| *w == Whose::Program));
    }
}
