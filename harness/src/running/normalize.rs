//! The rules that make compiler and program output comparable across
//! machines. This is the one place they are written down.
//!
//! What is written into an expected-output file (by `cargo xtask bless`)
//! is the output with its paths as the reader sees them (`reader_paths`):
//!
//! 1. The listing's own directory is dropped from paths, so that a path
//!    reads as it does when the reader runs `cargo run` in the listing:
//!    `listings/ch04-x/listing-04-02/src/main.rs` becomes `src/main.rs`.
//! 2. Any other path under the book's root is made relative to the root;
//!    cargo's home directory becomes `~/.cargo`.
//!
//! What is compared is both texts after these rules as well (`tolerant`),
//! so what differs from machine to machine or from run to run is shown as
//! a terminal prints it but does not fail the check:
//!
//! 3. The standard library's sources, `/rustc/<commit hash>/library/…`,
//!    become `/rustc/[HASH]/library/…`.
//! 4. A thread's id after its name, `thread 'main' (12345) panicked`, is
//!    dropped: `thread 'main' panicked`.
//! 5. Timings such as `in 0.52s` or `in 1m 02s` become `in [TIME]`.
//! 6. Diagnostics that point into the standard library read the same
//!    whether or not the rust-src component is installed: the quoted
//!    source lines under a `/rustc/[HASH]/library/…` location are dropped,
//!    and in such a text the gutter's width (which those lines' numbers
//!    widen) is not compared: the spaces before a gutter's `|`, `-->`,
//!    `:::` or `= ` go.
//! 7. Blank lines at the very end are not compared: rustc ends every
//!    diagnostic with one, which a terminal shows as nothing and no course
//!    pastes (the final newline itself, and a trailing space, are still
//!    compared, and a failure names them in words: `whitespace_words`).
//!
//! Programs are also run with `RUST_BACKTRACE=0`, so that a panic prints the
//! same short note everywhere. Terminal sessions add rules of their own
//! (`transcript::comparable`).

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

static RUSTC_HASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/rustc/[0-9a-f]{40}/").unwrap());
static THREAD_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"thread '([^']*)' \(\d+\)").unwrap());
static TIMING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bin (\d+m )?\d+(\.\d+)?s\b").unwrap());
static GUTTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^ *(\d*) *(\||-->|:::|= )").unwrap());

/// Rules 1 to 6: `text` as it compares on any machine. `listing_dir` is
/// the listing's directory relative to `root`.
pub fn normalize(text: &str, root: &Path, listing_dir: &Path) -> String {
    tolerant(&reader_paths(text, root, listing_dir))
}

/// Rules 1 and 2: paths as the reader sees them.
pub fn reader_paths(text: &str, root: &Path, listing_dir: &Path) -> String {
    let mut text = text.to_string();
    let root = root.display().to_string();
    let listing = listing_dir.display().to_string();
    // Absolute paths first, then the listing's relative prefix.
    text = text.replace(&format!("{root}/{listing}/"), "");
    if !listing.is_empty() {
        text = text.replace(&format!("{listing}/"), "");
    }
    text = text.replace(&format!("{root}/"), "");
    if let Some(home) = cargo_home() {
        text = text.replace(&home, "~/.cargo");
    }
    text
}

/// Rules 3 to 6, for text whose paths are already as the reader sees them.
pub fn tolerant(text: &str) -> String {
    let text = RUSTC_HASH.replace_all(text, "/rustc/[HASH]/");
    let text = THREAD_ID.replace_all(&text, "thread '$1'");
    let text = TIMING.replace_all(&text, "in [TIME]");
    let mut kept = Vec::new();
    let mut in_std_source = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let gutter = trimmed.starts_with('|')
            || trimmed.starts_with("...")
            || trimmed.split_once('|').is_some_and(|(n, _)| {
                !n.trim().is_empty() && n.trim().chars().all(|c| c.is_ascii_digit())
            });
        if in_std_source && gutter {
            continue;
        }
        in_std_source = line.contains("/rustc/[HASH]/library/");
        kept.push(line);
    }
    let text = kept.concat();
    let text = if text.contains("/rustc/[HASH]/library/") {
        GUTTER.replace_all(&text, "$1$2").into_owned()
    } else {
        text
    };
    without_blank_end(text)
}

/// Rule 7: `text` without the blank lines after its last line of text.
fn without_blank_end(mut text: String) -> String {
    let Some(last) = text.rfind(|c: char| !c.is_whitespace()) else {
        return text;
    };
    let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
    if let Some(newline) = text[end..].find('\n') {
        text.truncate(end + newline + 1);
    }
    text
}

/// When `wanted` and `came` differ only in whitespace: each difference, in
/// words ("no final newline in what came", "a trailing space on line 3 of
/// the recorded file").
pub fn whitespace_words(wanted: &str, came: &str) -> Option<Vec<String>> {
    let squash = |t: &str| t.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    if wanted == came || squash(wanted) != squash(came) {
        return None;
    }
    let mut words = Vec::new();
    match (wanted.ends_with('\n'), came.ends_with('\n')) {
        (true, false) => {
            words.push("what came has no final newline; the recorded file has one".into())
        }
        (false, true) => {
            words.push("the recorded file has no final newline; what came has one".into())
        }
        _ => {}
    }
    for (whose, text) in [("the recorded file", wanted), ("what came", came)] {
        for (i, line) in text.lines().enumerate() {
            let trailing = &line[line.trim_end().len()..];
            if !trailing.is_empty() {
                let what = match (trailing.contains('\t'), trailing.chars().count()) {
                    (true, _) => "a trailing tab".to_string(),
                    (false, 1) => "a trailing space".to_string(),
                    (false, n) => format!("{n} trailing spaces"),
                };
                words.push(format!("{what} on line {} of {whose}", i + 1));
            }
        }
    }
    Some(words)
}

fn cargo_home() -> Option<String> {
    std::env::var("CARGO_HOME")
        .ok()
        .or_else(|| std::env::var("HOME").ok().map(|h| format!("{h}/.cargo")))
        .filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_at_the_end_go_and_other_whitespace_is_said_in_words() {
        assert_eq!(tolerant("error: x\n\n"), "error: x\n");
        assert_eq!(tolerant("a  \n\n\n"), "a  \n");
        assert_eq!(tolerant("a"), "a");
        assert_eq!(tolerant("a\n"), "a\n");
        let said = whitespace_words("one\ntwo\n", "one \ntwo").unwrap();
        assert_eq!(
            said,
            [
                "what came has no final newline; the recorded file has one",
                "a trailing space on line 1 of what came"
            ]
        );
        assert!(whitespace_words("one\n", "two\n").is_none());
    }
}
