//! Lint-clean listings: every listing is `rustfmt`-clean and
//! `clippy -D warnings`-clean, unless it opts out in its own directory and
//! says why.
//!
//! - Out of rustfmt: a `rustfmt.toml` beside the listing's `Cargo.toml`,
//!   which `cargo fmt` and editors' format-on-save obey too, so the layout
//!   is never reformatted by accident:
//!
//!   ```toml
//!   # keeps the manuscript's layout, which the prose walks through
//!   disable_all_formatting = true
//!   ```
//!
//! - Out of clippy, in the listing's `Cargo.toml`:
//!
//!   ```toml
//!   [package.metadata.listing.lints]
//!   clippy = "shows the loop that clippy would turn into an iterator"
//!   ```
//!
//! A listing declared not to compile is not given to clippy: it fails there
//! for the reason it is in the book. It still has to be formatted.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::Problem;
use crate::listings::{Listing, Outcome, cargo_on};

/// The file in a listing's directory that turns rustfmt off for it.
pub const RUSTFMT_OPT_OUT: &str = "rustfmt.toml";

/// Whether the listing opts out of rustfmt, checking that it says why.
fn skips_rustfmt(root: &Path, listing: &Listing, problems: &mut Vec<Problem>) -> bool {
    let path = listing.dir.join(RUSTFMT_OPT_OUT);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return false;
    };
    let disabled = text
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("disable_all_formatting")?.as_bool())
        .unwrap_or(false);
    let says_why = text.lines().any(|l| {
        l.trim_start()
            .strip_prefix('#')
            .is_some_and(|c| !c.trim().is_empty())
    });
    if disabled && !says_why {
        problems.push(
            Problem::new(
                &path,
                None,
                "turning rustfmt off for a listing needs a reason: a comment above \
                 `disable_all_formatting = true` saying why it keeps its own layout",
            )
            .relative_to(root),
        );
    }
    disabled
}

/// Whether the listing opts out of clippy, checking that it says why.
fn skips_clippy(root: &Path, listing: &Listing, problems: &mut Vec<Problem>) -> bool {
    let manifest = listing.dir.join("Cargo.toml");
    let mut skipped = false;
    for (lint, reason) in &listing.lint_opt_outs {
        let mut say = |message: String| {
            problems.push(Problem::new(&manifest, None, message).relative_to(root))
        };
        match (lint.as_str(), reason.as_str().map(str::trim)) {
            ("clippy", Some(reason)) if !reason.is_empty() => skipped = true,
            ("clippy", _) => say(
                "opting out of clippy needs a reason: `clippy = \"why this listing is not \
                 clippy-clean\"`"
                    .into(),
            ),
            ("rustfmt", _) => say(format!(
                "a listing opts out of rustfmt with a {RUSTFMT_OPT_OUT} in its directory \
                 (`disable_all_formatting = true`, with a comment saying why), so that cargo fmt \
                 and editors leave it alone too"
            )),
            (other, _) => say(format!(
                "`{other}` in [package.metadata.listing.lints] is not a lint the book runs \
                 (a listing can opt out of `clippy` there)"
            )),
        }
    }
    skipped
}

/// Runs rustfmt and clippy over the listings; `target_dir` is clippy's.
pub fn check(root: &Path, listings: &[Listing], target_dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut formatted = Vec::new();
    let mut linted = Vec::new();
    for listing in listings.iter().filter(|l| !l.package.is_empty()) {
        if !skips_rustfmt(root, listing, &mut problems) {
            formatted.push(listing);
        }
        let fails_on_purpose = matches!(listing.outcome, Ok(Outcome::DoesNotCompile { .. }));
        if !skips_clippy(root, listing, &mut problems) && !fails_on_purpose {
            linted.push(listing);
        }
    }
    if !formatted.is_empty() {
        problems.extend(rustfmt(root, &formatted));
    }
    if !linted.is_empty() {
        problems.extend(clippy(root, &linted, target_dir));
    }
    problems
}

/// `cargo fmt --check`, one problem per place rustfmt would change.
fn rustfmt(root: &Path, listings: &[&Listing]) -> Vec<Problem> {
    let mut cmd = cargo_on(root, &["fmt", "--check"], listings);
    let output = match cmd.args(["--", "--color", "never"]).output() {
        Ok(output) => output,
        Err(e) => {
            return vec![Problem::new(
                "Cargo.toml",
                None,
                format!("could not run cargo fmt: {e}"),
            )];
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let problems = parse_rustfmt_diffs(&stdout)
        .into_iter()
        .map(|(file, line, diff)| {
            let package = listings
                .iter()
                .find(|l| file.starts_with(&l.dir))
                .map_or("<listing>", |l| l.package.as_str());
            Problem::new(
                file,
                Some(line),
                format!(
                    "this listing is not rustfmt-clean; rustfmt would change it so \
                     (- as written, + as rustfmt has it):\n{diff}\
                     Run `cargo fmt -p {package}`, or opt out with a {RUSTFMT_OPT_OUT} in the \
                     listing's directory that says why (see README)."
                ),
            )
            .relative_to(root)
        })
        .collect::<Vec<_>>();
    if problems.is_empty() && !output.status.success() {
        return vec![could_not_run("rustfmt", &output)];
    }
    problems
}

/// `cargo fmt` or `cargo clippy` failed without a finding: the tool is
/// missing, or cargo could not read the workspace.
fn could_not_run(component: &str, output: &std::process::Output) -> Problem {
    Problem::new(
        "Cargo.toml",
        None,
        format!(
            "{component} could not check the listings (is it installed? \
             `rustup component add {component}`):\n{}",
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

/// rustfmt's `--check` report: `Diff in FILE:LINE:` and the diff under it.
/// LINE is where the diff's context starts; the place is the first line that
/// changes.
fn parse_rustfmt_diffs(report: &str) -> Vec<(PathBuf, usize, String)> {
    struct Hunk {
        file: PathBuf,
        line: usize,
        changed: bool,
        diff: String,
    }
    let mut found: Vec<Hunk> = Vec::new();
    for line in report.lines() {
        let place = line
            .strip_prefix("Diff in ")
            .and_then(|rest| rest.strip_suffix(':'))
            .and_then(|rest| rest.rsplit_once(':'))
            .and_then(|(file, n)| Some((file, n.parse::<usize>().ok()?)));
        match (place, found.last_mut()) {
            (Some((file, n)), _) => found.push(Hunk {
                file: PathBuf::from(file),
                line: n,
                changed: false,
                diff: String::new(),
            }),
            (None, Some(hunk)) => {
                if line.starts_with(['-', '+']) {
                    hunk.changed = true;
                } else if !hunk.changed {
                    hunk.line += 1;
                }
                hunk.diff.push_str(line);
                hunk.diff.push('\n');
            }
            (None, None) => {}
        }
    }
    found
        .into_iter()
        .map(|hunk| (hunk.file, hunk.line, hunk.diff))
        .collect()
}

/// `cargo clippy -- -D warnings`, one problem per lint, at its line.
fn clippy(root: &Path, listings: &[&Listing], target_dir: &Path) -> Vec<Problem> {
    let mut cmd = cargo_on(
        root,
        &["clippy", "--quiet", "--keep-going", "--message-format=json"],
        listings,
    );
    cmd.arg("--target-dir").arg(target_dir);
    let output = match cmd.args(["--", "-D", "warnings"]).output() {
        Ok(output) => output,
        Err(e) => {
            return vec![Problem::new(
                "Cargo.toml",
                None,
                format!("could not run cargo clippy: {e}"),
            )];
        }
    };
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let message = &msg["message"];
        let Some(span) = message["spans"]
            .as_array()
            .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
        else {
            // "aborting due to N previous errors" and the like.
            continue;
        };
        let file = root.join(span["file_name"].as_str().unwrap_or_default());
        let line = span["line_start"].as_u64().unwrap_or(0) as usize;
        let rendered = message["rendered"].as_str().unwrap_or_default().to_string();
        if !seen.insert((file.clone(), line, rendered.clone())) {
            continue;
        }
        problems.push(
            Problem::new(
                file,
                Some(line),
                format!(
                    "clippy (with -D warnings) finds this in the listing:\n{rendered}\
                     Fix it, or opt out in the listing's Cargo.toml with a reason (see README)."
                ),
            )
            .relative_to(root),
        );
    }
    if problems.is_empty() && !output.status.success() {
        return vec![could_not_run("clippy", &output)];
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustfmt_reports_are_split_by_place() {
        let report =
            "Diff in /b/listings/a/src/main.rs:14:\n a\n-b\n+c\n d\nDiff in /b/x.rs:3:\n-d\n";
        let found = parse_rustfmt_diffs(report);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, PathBuf::from("/b/listings/a/src/main.rs"));
        // One line of context, so the change is on line 15.
        assert_eq!(found[0].1, 15);
        assert_eq!(found[0].2, " a\n-b\n+c\n d\n");
        assert_eq!((found[1].1, found[1].2.as_str()), (3, "-d\n"));
    }
}
