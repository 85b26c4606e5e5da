//! Toolchain drift, named as drift. Every six weeks a new rustc changes
//! some of what a course recorded: the wording of a diagnostic, a line
//! number inside the standard library, a panic's message. The book
//! remembers the toolchain its outputs were recorded with (one small file,
//! [`RECORDED_WITH`]), and when a listing's output differs and the running
//! toolchain is another, the failure says so, and says which of the lines
//! that changed are the compiler's or the standard library's text and which
//! are the program's own output, which drift never explains.
//! `cargo xtask bless --drift` records again only what drifted.
//!
//! A book ported from several courses holds outputs recorded with several
//! toolchains: a `recorded-with.txt` may also be in a chapter's directory
//! of listings (`listings/ch05-old-course/recorded-with.txt`) or in one
//! listing's, and the nearest one says what a listing was recorded with
//! (`governing`), so drift is named per chapter.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use similar::{ChangeTag, TextDiff};

use crate::running::transcript::ELIDED;

/// The file that says which rustc the book's outputs were recorded with
/// (the first line of `rustc -vV`), relative to the book's root.
pub const RECORDED_WITH: &str = "listings/recorded-with.txt";

/// The name of a file that says which rustc outputs were recorded with.
pub const FILE_NAME: &str = "recorded-with.txt";

/// The files that may say what the listing at `listing` (its directory,
/// relative to the book) was recorded with, nearest first: its own, its
/// chapter's, the book's.
pub fn governing(listing: &Path) -> Vec<std::path::PathBuf> {
    let mut files = vec![listing.join(FILE_NAME)];
    if let Some(chapter) = listing
        .parent()
        .filter(|c| c.parent().is_some_and(|p| p == Path::new("listings")))
    {
        files.push(chapter.join(FILE_NAME));
    }
    files.push(RECORDED_WITH.into());
    files
}

/// What the listing at `listing` was recorded with, and the file that
/// says so (`read` gives a book file's text, if it has it).
pub fn recorded_for<'t>(
    listing: &Path,
    read: impl Fn(&Path) -> Option<&'t str>,
) -> Option<(std::path::PathBuf, String)> {
    governing(listing)
        .into_iter()
        .find_map(|file| recorded_rustc(read(&file)).map(|rustc| (file, rustc)))
}

/// The chapter's own recorded-with file: in its directory of listings
/// (`src/ch05-old.md` → `listings/ch05-old/recorded-with.txt`).
pub fn chapter_file(chapter: &Path) -> std::path::PathBuf {
    Path::new("listings")
        .join(chapter.file_stem().unwrap_or_default())
        .join(FILE_NAME)
}

/// The edition a recorded-with file names (`edition 2018`), if it does: a
/// chapter ported from an older course compiles its blocks in it.
pub fn recorded_edition(text: Option<&str>) -> Option<String> {
    text?.lines().find_map(|l| {
        let year = l.trim().strip_prefix("edition ")?.trim();
        ["2015", "2018", "2021", "2024"]
            .contains(&year)
            .then(|| year.to_string())
    })
}

/// A recorded-with file's text saying `rustc`: `old`'s other lines (an
/// `edition` line, comments) kept.
pub fn with_rustc(old: Option<&str>, rustc: &str) -> String {
    let Some(old) = old.filter(|o| recorded_rustc(Some(o)).is_some()) else {
        return format!(
            "# The rustc the outputs here were recorded with (written by `cargo xtask\n\
             # bless`; see harness/src/running/drift.rs).\n{rustc}\n"
        );
    };
    old.lines()
        .map(|l| {
            if l.trim().starts_with("rustc ") {
                rustc
            } else {
                l
            }
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

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
/// as compared), each with whose text it is. With `elided`, a `...` line is
/// not a change, nor a line that came where one stands (`aligned`).
pub fn changed_lines(
    wanted: &str,
    came: &str,
    sources: &[&str],
    elided: bool,
) -> Vec<(Whose, String)> {
    let whose_wanted = whose_lines(wanted, sources);
    let whose_came = whose_lines(came, sources);
    let mut changed = Vec::new();
    for line in aligned(wanted, came, elided) {
        let (index, whose) = match line.tag {
            Tag::Same | Tag::Elided => continue,
            Tag::Missing => (line.old, &whose_wanted),
            Tag::Extra => (line.new, &whose_came),
        };
        let whose = index
            .and_then(|i| whose.get(i).copied())
            .unwrap_or(Whose::Program);
        changed.push((whose, line.text.trim_end_matches('\n').to_string()));
    }
    changed
}

/// How a line compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Same,
    /// It came where a `...` line of the recorded output stands.
    Elided,
    Missing,
    Extra,
}

/// One line of two texts aligned: its text, and where it is in each.
#[derive(Debug)]
pub struct Aligned<'t> {
    pub tag: Tag,
    pub text: &'t str,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// The lines of `wanted` and `came` aligned, line by line. With `elided`,
/// a `...` line of `wanted` stands for the lines that came in its place
/// (`Tag::Elided`), or for none: it is never missing.
pub fn aligned<'t>(wanted: &'t str, came: &'t str, elided: bool) -> Vec<Aligned<'t>> {
    let diff = TextDiff::from_lines(wanted, came);
    let mut out = Vec::new();
    let mut block: Vec<Aligned<'t>> = Vec::new();
    // In a block of changed lines, a `...` stands for the lines that came
    // in its place; the recorded lines after it that did not come pair
    // with as many of the last lines that came, which stay changes.
    let is_cut = |l: &Aligned| l.tag == Tag::Missing && l.text.trim() == ELIDED;
    let flush = |block: &mut Vec<Aligned<'t>>, out: &mut Vec<Aligned<'t>>| {
        let missing: Vec<&Aligned> = block.iter().filter(|l| l.tag == Tag::Missing).collect();
        let Some(last_cut) = missing.iter().rposition(|l| is_cut(l)).filter(|_| elided) else {
            out.append(block);
            return;
        };
        let after = missing[last_cut + 1..].len();
        let extras = block.iter().filter(|l| l.tag == Tag::Extra).count();
        let mut covered = extras.saturating_sub(after);
        for mut line in block.drain(..) {
            if is_cut(&line) {
                continue;
            }
            if line.tag == Tag::Extra && covered > 0 {
                line.tag = Tag::Elided;
                covered -= 1;
            }
            out.push(line);
        }
    };
    let old_lines: Vec<&'t str> = wanted.split_inclusive('\n').collect();
    let new_lines: Vec<&'t str> = came.split_inclusive('\n').collect();
    for change in diff.iter_all_changes() {
        let text = match (change.old_index(), change.new_index()) {
            (Some(i), _) => old_lines.get(i).copied().unwrap_or(""),
            (None, Some(i)) => new_lines.get(i).copied().unwrap_or(""),
            (None, None) => "",
        };
        let (tag, old, new) = match change.tag() {
            ChangeTag::Equal => (Tag::Same, change.old_index(), change.new_index()),
            ChangeTag::Delete => (Tag::Missing, change.old_index(), None),
            ChangeTag::Insert => (Tag::Extra, None, change.new_index()),
        };
        if tag == Tag::Same {
            flush(&mut block, &mut out);
            out.push(Aligned {
                tag,
                text,
                old,
                new,
            });
        } else {
            block.push(Aligned {
                tag,
                text,
                old,
                new,
            });
        }
    }
    flush(&mut block, &mut out);
    out
}

/// A diff of `wanted` (the recorded file) and `came` for an output cut with
/// `...` lines: a `...` is never shown as missing, and the lines it stands
/// for are shown as such (`…`), not as extra.
pub fn elided_diff(wanted: &str, came: &str) -> String {
    let mut text = String::from("--- the recorded file\n+++ what came\n");
    let number = |i: Option<usize>| {
        i.map(|i| format!("{:>4}", i + 1))
            .unwrap_or_else(|| "    ".into())
    };
    for line in aligned(wanted, came, true) {
        let mark = match line.tag {
            Tag::Same => '|',
            Tag::Elided => '…',
            Tag::Missing => '-',
            Tag::Extra => '+',
        };
        let shown = line.text.strip_suffix('\n').unwrap_or(line.text);
        text.push_str(&format!(
            "{} {} {mark} {shown}\n",
            number(line.old),
            number(line.new)
        ));
    }
    text.push_str(
        "(`…`: a line that came where a `...` line of the recorded file stands for any lines.)",
    );
    text
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
        let changed = changed_lines(wanted, came, &[], false);
        assert!(changed.iter().all(|(w, _)| w.is_the_toolchains()));
        assert_eq!(
            summary(&changed),
            "2 lines of the standard library's text (a panic's wording, a path in std)"
        );
        let came = came.replace("sum: 3", "sum: 4");
        let changed = changed_lines(wanted, &came, &[], false);
        assert!(changed.iter().any(|(w, _)| *w == Whose::Program));
    }
}

#[cfg(test)]
mod elided_tests {
    use super::*;

    #[test]
    fn a_cut_line_is_never_missing_nor_counted_as_a_change() {
        let wanted = "start\n...\nend\n";
        let came = "start\na\nb\nfinish\n";
        let diff = elided_diff(wanted, came);
        assert!(!diff.contains("- ..."), "{diff}");
        assert!(diff.contains("… a") && diff.contains("… b"), "{diff}");
        assert!(
            diff.contains("- end") && diff.contains("+ finish"),
            "{diff}"
        );
        let changed = changed_lines(wanted, came, &[], true);
        let lines: Vec<&str> = changed.iter().map(|(_, l)| l.as_str()).collect();
        assert!(!lines.contains(&"..."), "{lines:?}");
        assert!(
            lines.contains(&"end") && lines.contains(&"finish"),
            "{lines:?}"
        );
    }
}
