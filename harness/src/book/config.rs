//! `book.toml`, as mdBook reads it (but not `MDBOOK_*` variables: what the
//! checks see never depends on the author's environment), held to what the
//! book allows (harness/guides/writing-the-book.md, "What `book.toml` may
//! say"): the preprocessors and renderers the harness runs in-process, no
//! command of a contributor's, no path out of the repository.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use mdbook_driver::config::Config;

use crate::book::chapters::normalize;
use crate::book::problem::Problem;

/// The listing labels' preprocessor: the name `book.toml` gives it
/// (checks/labels.rs makes the labels).
pub const LABELS: &str = "listing-labels";

/// The preprocessors `book.toml` may name (README, "What `book.toml` may
/// say"): mdBook's own two, and the listing labels, which the checks run
/// in-process and plain `mdbook` runs through one of these commands.
const PREPROCESSORS: [&str; 3] = ["links", "index", LABELS];
const LABELS_COMMANDS: [&str; 2] = [
    "cargo run --quiet --package xtask -- listing-labels",
    "cargo xtask listing-labels",
];
/// The renderers it may name: mdBook's HTML, and mdbook-linkcheck2, which
/// the checks run in-process (linkcheck.rs).
const RENDERERS: [&str; 2] = ["html", "linkcheck2"];

/// `book.toml` parsed and held to what the book allows, and the chapters'
/// directory it names (`src` when it names none or one it may not).
pub fn parse(bytes: &[u8]) -> (Result<Config, Vec<Problem>>, PathBuf) {
    let problem = |message: String| Problem::new("book.toml", None, message);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return (
            Err(vec![problem("book.toml must be UTF-8 text".into())]),
            PathBuf::from("src"),
        );
    };
    let config: Config = match text.parse() {
        Ok(config) => config,
        Err(e) => {
            return (
                Err(vec![problem(format!("mdBook could not read it: {e:#}"))]),
                PathBuf::from("src"),
            );
        }
    };
    let at = At(text);
    let mut problems = Vec::new();
    let src = chapters_dir(&config);
    problems.extend(build_settings(&config, &at));
    problems.extend(preprocessors(&config, &at));
    problems.extend(renderers(&config, &at));
    problems.extend(keys(text, &at));
    if problems.is_empty() {
        (Ok(config), src)
    } else {
        (Err(problems), src)
    }
}

/// `book.toml`'s text, to name the line a problem is at.
struct At<'t>(&'t str);

impl At<'_> {
    /// A problem at the first line of `book.toml` that sets `needle` (or
    /// else holds it).
    fn problem(&self, needle: &str, message: String) -> Problem {
        let lines = || self.0.lines();
        let line = lines()
            .position(|l| {
                let l = l.trim_start().trim_start_matches('"');
                l.starts_with(needle) && l[needle.len()..].trim_start().starts_with(['=', '"'])
            })
            .or_else(|| lines().position(|l| l.contains(needle)))
            .map(|i| i + 1);
        Problem::new("book.toml", line, message)
    }
}

/// Whether `path` stays inside the book: relative, and never `..`.
fn inside(path: &Path) -> bool {
    !path.is_absolute() && !path.components().any(|c| matches!(c, Component::ParentDir))
}

/// The chapters' directory, which must be inside the book.
fn chapters_dir(config: &Config) -> PathBuf {
    let src = &config.book.src;
    if inside(src) && !src.as_os_str().is_empty() {
        return normalize(src);
    }
    // config_keys says why.
    PathBuf::from("src")
}

/// `[build]`: no chapter made up for a missing file, no build outside.
fn build_settings(config: &Config, at: &At) -> Vec<Problem> {
    let mut problems = Vec::new();
    if config.build.create_missing {
        problems.push(
            at.problem(
                "create-missing",
                "set `[build] create-missing = false`, so that a SUMMARY.md entry whose file is \
             missing fails the build instead of creating an empty chapter"
                    .into(),
            ),
        );
    }
    problems
}

/// Each `[preprocessor.NAME]` or `[output.NAME]` table, by name.
fn tables(
    found: mdbook_driver::errors::Result<BTreeMap<String, toml::Value>>,
) -> Vec<(String, toml::Table)> {
    found
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| (name, value.as_table().cloned().unwrap_or_default()))
        .collect()
}

/// `[preprocessor.NAME]`: only the book's own, and no command but the
/// labels' fixed one.
fn preprocessors(config: &Config, at: &At) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, table) in tables(config.preprocessors()) {
        if !PREPROCESSORS.contains(&name.as_str()) {
            problems.push(at.problem(
                &format!("[preprocessor.{name}]"),
                format!(
                    "`[preprocessor.{name}]`: the book runs only the preprocessors {} (README, \
                     \"What book.toml may say\"); another would run a command of its own on \
                     every build",
                    PREPROCESSORS.join(", ")
                ),
            ));
            continue;
        }
        let Some(command) = table.get("command") else {
            continue;
        };
        let known = name == LABELS
            && command
                .as_str()
                .is_some_and(|c| LABELS_COMMANDS.contains(&c));
        if !known {
            problems.push(at.problem(
                "command",
                format!(
                    "`[preprocessor.{name}] command = {command}`: the command is fixed \
                     (`{}`): plain `mdbook build` runs it on the author's machine",
                    LABELS_COMMANDS[0]
                ),
            ));
        }
    }
    problems
}

/// `[output.NAME]`: only the renderers the checks run, with no command and
/// no file from outside the book.
fn renderers(config: &Config, at: &At) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (name, table) in tables(config.outputs()) {
        if !RENDERERS.contains(&name.as_str()) {
            problems.push(at.problem(
                &format!("[output.{name}]"),
                format!(
                    "`[output.{name}]`: the book renders only with {} (README, \"What \
                     book.toml may say\"); another renderer is a command of its own",
                    RENDERERS.join(" and ")
                ),
            ));
            continue;
        }
        if table.contains_key("command") {
            problems.push(at.problem(
                "command",
                format!(
                    "`[output.{name}] command`: the checks run {name} in-process, and plain \
                     `mdbook` must not run another command in its place"
                ),
            ));
        }
    }
    problems
}

/// Every key held to what it may hold (config_keys.rs), at its line.
fn keys(text: &str, at: &At) -> Vec<Problem> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    crate::book::config_keys::refused(&table)
        .into_iter()
        .map(|(key, why)| {
            let last = key.rsplit('.').next().unwrap_or(&key);
            at.problem(
                last,
                format!(
                    "`{key}`: {why} (harness/guides/writing-the-book.md, \"What book.toml may \
                     say\")"
                ),
            )
        })
        .collect()
}
