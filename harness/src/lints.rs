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
//! - Out of one lint (of clippy's or rustc's), in the listing's
//!   `Cargo.toml`, each with its reason:
//!
//!   ```toml
//!   [package.metadata.listing.allow]
//!   "clippy::needless_range_loop" = "shows the index loop before the iterator"
//!   unused_variables = "a teaching step: `guess` is used in the next listing"
//!   ```
//!
//!   An allowed lint that no longer fires is reported, so the list stays
//!   true. Only clippy's verdict is filtered: the reader still sees rustc's
//!   warnings in a transcript.
//!
//! A listing declared not to compile is not given to clippy: it fails there
//! for the reason it is in the book. It still has to be formatted, unless
//! it declares no error code: a parse error, which rustfmt cannot read.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::Problem;
use crate::listings::{Listing, Outcome, cargo_on};
use crate::metadata::Declared;

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

/// Runs rustfmt and clippy over the listings; `target_dir` is clippy's.
pub fn check(root: &Path, listings: &[Listing], target_dir: &Path) -> Vec<Problem> {
    // A listing whose declaration cannot be read cannot be linted.
    let mut problems: Vec<Problem> = listings
        .iter()
        .filter_map(|l| l.declared.as_ref().err().cloned())
        .collect();
    let mut formatted = Vec::new();
    let mut linted = Vec::new();
    for listing in listings.iter().filter(|l| l.declared.is_ok()) {
        // A parse error (does not compile, no error code) is beyond rustfmt.
        let unparsable = listing.outcome() == Outcome::DoesNotCompile
            && listing.declared.as_ref().is_ok_and(|d| d.error.is_none());
        if !unparsable && !skips_rustfmt(root, listing, &mut problems) {
            formatted.push(listing);
        }
        if listing.outcome() != Outcome::DoesNotCompile {
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

/// `cargo clippy -- -D warnings`, one problem per lint at its line, but
/// the lints each listing allows; and one per allowed lint that did not fire.
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
    let mut fired: BTreeSet<(PathBuf, String)> = BTreeSet::new();
    let mut findings = 0;
    for message in cargo_metadata::Message::parse_stream(output.stdout.as_slice()).flatten() {
        let cargo_metadata::Message::CompilerMessage(msg) = message else {
            continue;
        };
        let message = msg.message;
        let Some(span) = message.spans.iter().find(|s| s.is_primary) else {
            // "aborting due to N previous errors" and the like.
            continue;
        };
        findings += 1;
        let file = root.join(&span.file_name);
        let lint = message
            .code
            .as_ref()
            .map(|c| c.code.clone())
            .unwrap_or_default();
        let listing = listings.iter().find(|l| file.starts_with(&l.dir));
        if let Some(listing) = listing
            && allowed(listing).is_some_and(|d| d.allow.contains_key(&lint))
        {
            fired.insert((listing.dir.clone(), lint));
            continue;
        }
        let rendered = message.rendered.clone().unwrap_or_default();
        if !seen.insert((file.clone(), span.line_start, rendered.clone())) {
            continue;
        }
        let allow_hint = if lint.is_empty() {
            String::new()
        } else {
            format!(
                " A listing that trips it on purpose (a teaching step) allows it in its \
                 Cargo.toml, with the reason:\n\n    [package.metadata.listing.allow]\n    \
                 \"{lint}\" = \"why this listing shows it\"\n"
            )
        };
        problems.push(
            Problem::new(
                file,
                Some(span.line_start),
                format!(
                    "clippy (with -D warnings) finds this in the listing:\n{rendered}\
                     Fix it.{allow_hint}"
                ),
            )
            .relative_to(root),
        );
    }
    if findings == 0 && !output.status.success() {
        return vec![could_not_run("clippy", &output)];
    }
    for listing in listings {
        for lint in allowed(listing).into_iter().flat_map(|d| d.allow.keys()) {
            if !fired.contains(&(listing.dir.clone(), lint.clone())) {
                problems.push(
                    Problem::new(
                        listing.dir.join("Cargo.toml"),
                        None,
                        format!(
                            "allows `{lint}`, but clippy and rustc no longer report it here: \
                             remove it from [package.metadata.listing.allow]"
                        ),
                    )
                    .relative_to(root),
                );
            }
        }
    }
    problems
}

fn allowed(listing: &Listing) -> Option<&Declared> {
    listing.declared.as_ref().ok()
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
