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

use crate::book::listings::{Files, Listing, Outcome};
use crate::book::metadata::Declared;
use crate::book::problem::Problem;
use crate::engine::checker::Checker;
use crate::engine::each::each_remembered;
use crate::engine::trace::Reader;

/// The file in a listing's directory that turns rustfmt off for it.
pub const RUSTFMT_OPT_OUT: &str = "rustfmt.toml";

/// The check's name in the verdict store.
const NAME: &str = "lints";

/// Whether the listing opts out of rustfmt, checking that it says why.
fn skips_rustfmt(book: &Reader, listing: &Listing, problems: &mut Vec<Problem>) -> bool {
    let path = listing.rel.join(RUSTFMT_OPT_OUT);
    let Some(text) = book.text(&path) else {
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
        problems.push(Problem::new(
            &path,
            None,
            "turning rustfmt off for a listing needs a reason: a comment above \
             `disable_all_formatting = true` saying why it keeps its own layout",
        ));
    }
    disabled
}

/// Every listing is rustfmt- and clippy-clean, or says why not. A listing
/// whose verdict still holds is not linted again.
pub fn check(cx: &Checker) -> Vec<Problem> {
    let scope = |l: &Listing| l.rel.display().to_string();
    each_remembered(cx, NAME, cx.book.listings(), scope, |chosen, readers| {
        lint(cx, chosen, readers)
    })
}

/// Runs rustfmt and clippy over `listings` (each read through its own
/// reader), on a copy of them in a workspace of the checks' own: each
/// listing's problems.
fn lint(cx: &Checker, listings: &[&Listing], readers: &[Reader]) -> Vec<Vec<Problem>> {
    let mut found: Vec<Vec<Problem>> = vec![Vec::new(); listings.len()];
    let mut lints = Lints::default();
    for (i, (listing, reader)) in listings.iter().zip(readers).enumerate() {
        match what_to_lint(listing, reader, &mut found[i]) {
            Ok((files, rustfmt, clippy)) => {
                lints.to_stage.push((i, files));
                if rustfmt {
                    lints.formatted.push(i);
                }
                if clippy {
                    lints.linted.push(i);
                }
            }
            Err(problem) => found[i].push(problem),
        }
    }
    // As for the outputs: a listing whose build runs code of its own is
    // linted alone, in directories of its own (listings::builds_alone).
    type Staged = Vec<(usize, Files)>;
    let (alone, together): (Staged, Staged) = std::mem::take(&mut lints.to_stage)
        .into_iter()
        .partition(|(_, files)| crate::book::listings::builds_alone(files));
    let group = |to_stage: Vec<(usize, Files)>| Lints {
        formatted: (lints.formatted.iter().copied())
            .filter(|i| to_stage.iter().any(|(s, _)| s == i))
            .collect(),
        linted: (lints.linted.iter().copied())
            .filter(|i| to_stage.iter().any(|(s, _)| s == i))
            .collect(),
        to_stage,
    };
    let mut groups = vec![(group(together), cx.work.join("lints"))];
    for one in alone {
        let base = cx.work.join("lints/alone").join(&listings[one.0].package);
        groups.push((group(vec![one]), base));
    }
    for (lints, base) in groups {
        lint_group(cx, listings, lints, &base, &mut found);
    }
    found
}

/// Stages, formats and lints one group of listings in the directories
/// under `base`, adding each listing's problems to `found`: on the files as
/// written, and again staged with cargo's checks only if a tool failed for
/// no listing's reason (stage.rs).
fn lint_group(
    cx: &Checker,
    listings: &[&Listing],
    lints: Lints,
    base: &Path,
    found: &mut [Vec<Problem>],
) {
    use crate::running::stage::Staging;
    let mut tried = found.to_vec();
    let again = lints.clone();
    lint_group_as(cx, listings, lints, base, &mut tried, Staging::Written);
    let machine = (tried.iter().zip(found.iter()))
        .any(|(now, before)| now[before.len()..].iter().any(|p| p.machine));
    if machine {
        lint_group_as(cx, listings, again, base, found, Staging::Checked);
    } else {
        found.clone_from_slice(&tried);
    }
}

/// [`lint_group`], the workspace staged as `staging` says.
fn lint_group_as(
    cx: &Checker,
    listings: &[&Listing],
    mut lints: Lints,
    base: &Path,
    found: &mut [Vec<Problem>],
    staging: crate::running::stage::Staging,
) {
    if lints.to_stage.is_empty() {
        return;
    }
    let staged = base.join("stage");
    if let Err(problem) = lints.stage(cx, listings, &staged, found, staging) {
        for (i, _) in &lints.to_stage {
            found[*i].push(problem.clone());
        }
        return;
    }
    let home = base.join("cargo-home");
    let target = base.join("build");
    let cargo = crate::running::jailed::Cargo {
        dir: &staged,
        registry: &cx.settings.registry,
        writable: vec![&target],
        readable: Vec::new(),
        home: &home,
    };
    let owner = |file: &Path| listings.iter().position(|l| file.starts_with(&l.rel));
    let chosen =
        |indices: &[usize]| -> Vec<&Listing> { indices.iter().map(|&i| listings[i]).collect() };
    if !lints.formatted.is_empty() {
        match rustfmt(&cargo, &cx.settings, &staged, &chosen(&lints.formatted)) {
            Ok(problems) => give_each(problems, owner, found),
            Err(problem) => everyone(problem, &lints.formatted, found),
        }
    }
    let mut linted = lints.linted;
    while !linted.is_empty() {
        match clippy(&cargo, &cx.settings, &chosen(&linted), &target) {
            Ok(problems) => {
                give_each(problems, owner, found);
                break;
            }
            // A stop that names one listing (its build script never ended)
            // is that listing's verdict alone: the others are linted again
            // without it, so no verdict of theirs holds another's failure.
            Err(problem) => match owner(&problem.file).filter(|i| linted.contains(i)) {
                Some(i) => {
                    found[i].push(problem);
                    linted.retain(|&l| l != i);
                }
                None => {
                    everyone(problem, &linted, found);
                    break;
                }
            },
        }
    }
}

/// Which listings are staged, formatted and linted, by their index.
#[derive(Default, Clone)]
struct Lints {
    to_stage: Vec<(usize, Files)>,
    formatted: Vec<usize>,
    linted: Vec<usize>,
}

impl Lints {
    /// Writes the listings to lint as one workspace at `staged`; one that
    /// cargo cannot load gets cargo's reason, and is neither formatted
    /// nor linted.
    fn stage(
        &mut self,
        cx: &Checker,
        listings: &[&Listing],
        staged: &Path,
        found: &mut [Vec<Problem>],
        staging: crate::running::stage::Staging,
    ) -> Result<(), Problem> {
        let chosen_files: Vec<(&Listing, &Files)> = self
            .to_stage
            .iter()
            .map(|(i, files)| (listings[*i], files))
            .collect();
        let refused = crate::running::stage::workspace(
            staged,
            &chosen_files,
            cx.book.bytes(Path::new(crate::book::listings::LOCK)),
            "the listings as the book holds them, to lint",
            &cx.settings.registry,
            staging,
        )?;
        for (j, problem) in refused {
            let i = self.to_stage[j].0;
            found[i].push(problem);
            self.formatted.retain(|&f| f != i);
            self.linted.retain(|&l| l != i);
        }
        Ok(())
    }
}

/// A listing's files as the book holds them, and whether rustfmt and
/// clippy are to see it; or why it cannot be linted (its declaration
/// cannot be read, it shares a package name, a file is refused).
fn what_to_lint(
    listing: &Listing,
    reader: &Reader,
    found: &mut Vec<Problem>,
) -> Result<(Files, bool, bool), Problem> {
    if let Some(shared_name) = reader.listing(listing) {
        return Err(shared_name);
    }
    // A listing whose declaration cannot be read cannot be linted.
    let declared = listing.declared.as_ref().map_err(Clone::clone)?;
    let mut files = Vec::new();
    let mut refused = None;
    for (path, entry) in reader.tree(&listing.rel) {
        let rel = path
            .strip_prefix(&listing.rel)
            .unwrap_or(path)
            .to_path_buf();
        match entry {
            crate::book::files::Entry::File(bytes) => files.push((rel, bytes.to_vec())),
            crate::book::files::Entry::Refused(refusal) => {
                refused = Some(Problem::new(path, None, refusal.explain()));
            }
        }
    }
    if let Some(problem) = refused {
        return Err(problem);
    }
    reader.crates(&listing.package);
    reader.tool("cargo");
    reader.tool("rustc");
    // A parse error (does not compile, no error code) is beyond rustfmt.
    let unparsable = declared.outcome == Outcome::DoesNotCompile && declared.error.is_none();
    let rustfmt = !unparsable && !skips_rustfmt(reader, listing, found);
    if rustfmt {
        reader.tool("rustfmt");
    }
    let clippy = declared.outcome != Outcome::DoesNotCompile;
    if clippy {
        reader.tool("clippy");
    }
    Ok((files, rustfmt, clippy))
}

/// Each problem to the listing whose file it names.
fn give_each(
    problems: Vec<Problem>,
    owner: impl Fn(&Path) -> Option<usize>,
    found: &mut [Vec<Problem>],
) {
    for problem in problems {
        if let Some(i) = owner(&problem.file) {
            found[i].push(problem);
        }
    }
}

/// The same problem to each listing of `indices`.
fn everyone(problem: Problem, indices: &[usize], found: &mut [Vec<Problem>]) {
    for &i in indices {
        found[i].push(problem.clone());
    }
}

/// `cargo SUB ARGS --package … -- AFTER` for the given listings, on the
/// staged workspace, contained (jailed.rs).
fn cargo_on(
    cargo: &crate::running::jailed::Cargo,
    settings: &crate::engine::checker::Settings,
    args: &[&str],
    listings: &[&Listing],
    after: &[&str],
) -> Result<crate::running::jailed::Output, Problem> {
    let mut all: Vec<&str> = args.to_vec();
    for listing in listings {
        all.push("--package");
        all.push(&listing.package);
    }
    all.push("--");
    all.extend(after);
    let limits = crate::running::jailed::build_limits(listings.len(), settings);
    cargo.run(&all, limits)
}

/// `cargo fmt --check`, one problem per place rustfmt would change.
fn rustfmt(
    cargo: &crate::running::jailed::Cargo,
    settings: &crate::engine::checker::Settings,
    staged: &Path,
    listings: &[&Listing],
) -> Result<Vec<Problem>, Problem> {
    let output = cargo_on(
        cargo,
        settings,
        &["fmt", "--check"],
        listings,
        &["--color", "never"],
    )?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let real = staged
        .canonicalize()
        .unwrap_or_else(|_| staged.to_path_buf());
    let problems = parse_rustfmt_diffs(&stdout)
        .into_iter()
        .map(|(file, line, diff)| {
            let rel = file
                .strip_prefix(staged)
                .or_else(|_| file.strip_prefix(&real))
                .unwrap_or(&file)
                .to_path_buf();
            let package = listings
                .iter()
                .find(|l| rel.starts_with(&l.rel))
                .map_or("<listing>", |l| l.package.as_str());
            Problem::new(
                rel,
                Some(line),
                format!(
                    "this listing is not rustfmt-clean; rustfmt would change it so \
                     (- as written, + as rustfmt has it):\n{diff}\
                     Run `cargo fmt -p {package}`, or opt out with a {RUSTFMT_OPT_OUT} in the \
                     listing's directory that says why (see README)."
                ),
            )
        })
        .collect::<Vec<_>>();
    if problems.is_empty() && !output.status.success() {
        return Err(could_not_run("rustfmt", &output));
    }
    Ok(problems)
}

/// `cargo fmt` or `cargo clippy` failed without a finding: the tool is
/// missing, or cargo could not read the workspace. The machine's failure.
fn could_not_run(component: &str, output: &crate::running::jailed::Output) -> Problem {
    Problem::machine(
        "Cargo.toml",
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
fn clippy(
    cargo: &crate::running::jailed::Cargo,
    settings: &crate::engine::checker::Settings,
    listings: &[&Listing],
    target_dir: &Path,
) -> Result<Vec<Problem>, Problem> {
    let target = target_dir.display().to_string();
    let output = cargo_on(
        cargo,
        settings,
        &[
            "clippy",
            "--quiet",
            "--frozen",
            "--keep-going",
            "--message-format=json",
            "--target-dir",
            &target,
        ],
        listings,
        &["-D", "warnings"],
    )?;
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
        let file = PathBuf::from(&span.file_name);
        let lint = message
            .code
            .as_ref()
            .map(|c| c.code.clone())
            .unwrap_or_default();
        let listing = listings.iter().find(|l| file.starts_with(&l.rel));
        // Allowed by the listing, with the reason; or turned off in its
        // recording (which says why, and the page says so).
        if let Some(listing) = listing
            && allowed(listing).is_some_and(|d| {
                d.allow.contains_key(&lint)
                    || d.recorded.as_ref().is_some_and(|r| r.allow.contains(&lint))
            })
        {
            fired.insert((listing.rel.clone(), lint));
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
        problems.push(Problem::new(
            file,
            Some(span.line_start),
            format!(
                "clippy (with -D warnings) finds this in the listing:\n{rendered}\
                 Fix it.{allow_hint}"
            ),
        ));
    }
    if findings == 0 && !output.status.success() {
        return Err(could_not_run("clippy", &output));
    }
    problems.extend(not_fired(listings, &fired));
    Ok(problems)
}

/// One problem per lint a listing allows, or its recording turns off, that
/// did not fire: the declaration no longer says anything true.
fn not_fired(listings: &[&Listing], fired: &BTreeSet<(PathBuf, String)>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for listing in listings {
        let Some(declared) = allowed(listing) else {
            continue;
        };
        let gone = |lint: &String| !fired.contains(&(listing.rel.clone(), lint.clone()));
        for lint in declared.allow.keys().filter(|l| gone(l)) {
            problems.push(Problem::new(
                listing.rel.join("Cargo.toml"),
                None,
                format!(
                    "allows `{lint}`, but clippy and rustc no longer report it here: \
                     remove it from [package.metadata.listing.allow]"
                ),
            ));
        }
        let Some(recorded) = &declared.recorded else {
            continue;
        };
        for lint in recorded.allow.iter().filter(|l| gone(l)) {
            problems.push(Problem::new(
                listing.rel.join("Cargo.toml"),
                recorded.allow_line,
                format!(
                    "the recording turns off `{lint}`, but rustc no longer reports it here: \
                     remove it from [package.metadata.listing.recorded] allow"
                ),
            ));
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
