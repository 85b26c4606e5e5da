//! What a listing declares about itself, in its own `Cargo.toml`, read into
//! typed structs with serde. An unknown key or value is an error that names
//! the file and the line, so a typo such as `outcom = "panics"` never
//! silently means "runs".
//!
//! ```toml
//! [package.metadata.listing]
//! outcome = "does-not-compile"   # "runs" (left out), "does-not-compile" or "panics"
//! error = "E0382"                # the error code it must fail with, if it has one
//! project = "guessing_game"      # the package as the reader made it (`cargo new guessing_game`)
//!
//! [package.metadata.listing.allow]   # lints this listing is allowed to trip, each with why
//! unused_variables = "a teaching step: `guess` is used in the next listing"
//! "clippy::needless_range_loop" = "shows the index loop before the iterator"
//!
//! [package.metadata.listing.varies]  # output that differs from run to run
//! why = "two threads print at the same time"
//! any-order = true                   # the program's lines may come in any order
//! spans = ['\d+ms']                  # regexes: what they match may differ
//! elided-lines = true                # a `...` line stands for any lines, or none
//! optional-lines = ["from the spawned thread"]  # a line holding one may be missing, or elsewhere
//!
//! [package.metadata.listing.exercise]  # the chapter shows a starter; solution/ solves it
//! goal = "output"                      # or "tests": what the solution must do
//!
//! [package.metadata.listing.recorded]  # how its output was recorded
//! why = "the course records sessions without these warnings"
//! allow = ["unused_variables", "dead_code"]   # rustc lints turned off
//! ```
//!
//! And `seed = 7` (under `[package.metadata.listing]`): the program's
//! randomness is fixed (the sandbox's seeded runs), so what it prints
//! depends on its random numbers and still checks exactly.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::book::problem::Problem;

/// `[package.metadata.listing]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Declared {
    #[serde(default)]
    pub outcome: Outcome,
    /// The error code a does-not-compile listing fails with; none for an
    /// error that has no code (a parse error).
    pub error: Option<String>,
    /// The package's name as the reader created it; the listing's own
    /// package name when left out.
    pub project: Option<String>,
    /// Lint name → why this listing may trip it.
    #[serde(default)]
    pub allow: BTreeMap<String, String>,
    pub varies: Option<Varies>,
    /// The caption the listing's label shows on the page (see labels.rs).
    pub caption: Option<String>,
    /// How its output is recorded: rustc lints turned off for it.
    pub recorded: Option<Recorded>,
    /// The seed of its randomness, in checks and in bless.
    pub seed: Option<u64>,
    /// The command the reader runs (`cargo run`, `cargo run -- ARGS`,
    /// `cargo test`): its `output.txt` then holds what their terminal shows
    /// for it, less cargo's own lines (the compiler's warnings and the
    /// program's output; the test harness's report), with no session.
    pub command: Option<String>,
    /// An exercise: the chapter shows a starter, the reader writes the rest.
    pub exercise: Option<Exercise>,
}

/// An exercise (`[package.metadata.listing.exercise]`): the listing's `src/`
/// is the starter the chapter shows; `solution/` holds files that replace
/// `src/`'s of the same name, kept out of the page; the goal is an output
/// (`output.txt`) or tests (`tests/`). The check proves the solution
/// reaches the goal and the starter does not yet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Exercise {
    pub goal: Goal,
}

/// What an exercise's program must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Goal {
    /// Print its `output.txt`.
    Output,
    /// Pass its tests (`cargo test`).
    Tests,
}

/// How a listing's output is recorded (and checked, and blessed): the
/// rustc lints turned off, and why. The page says so under its output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Recorded {
    /// Why the recording leaves them out, in a few words.
    pub why: String,
    /// rustc's lints (by name: `unused_variables`, `dead_code`) turned off.
    #[serde(default)]
    pub allow: Vec<String>,
    /// The line of its Cargo.toml that sets `allow`.
    #[serde(skip)]
    pub allow_line: Option<usize>,
}

impl Recorded {
    /// What the reader types before a command to see the same:
    /// `RUSTFLAGS="-A unused_variables -A dead_code"`.
    pub fn rustflags(&self) -> String {
        let flags: Vec<String> = self.allow.iter().map(|l| format!("-A {l}")).collect();
        format!("RUSTFLAGS=\"{}\"", flags.join(" "))
    }
}

/// What a listing does when it is built and run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    #[default]
    Runs,
    DoesNotCompile,
    Panics,
}

/// How the output of a listing may differ from run to run.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Varies {
    /// Why, in a few words (it must be said).
    pub why: String,
    /// The program's output lines may come in any order.
    #[serde(default)]
    pub any_order: bool,
    /// Regular expressions; the text they match may differ.
    #[serde(default)]
    pub spans: Vec<String>,
    /// A line `...` in the recorded output stands for any lines, or none
    /// (as trycmd's does): lines that may be missing or extra there.
    #[serde(default)]
    pub elided_lines: bool,
    /// Plain texts: a line that holds one may be missing, or come
    /// elsewhere (a thread that may stop anywhere, even before it prints):
    /// such lines are not compared, and every other line must come.
    #[serde(default)]
    pub optional_lines: Vec<String>,
}

impl Varies {
    /// Whether `line` may be missing, or come elsewhere.
    pub fn optional(&self, line: &str) -> bool {
        self.optional_lines
            .iter()
            .any(|o| line.contains(o.as_str()))
    }
}

#[derive(Deserialize)]
struct Manifest {
    package: Package,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    #[serde(default)]
    metadata: Metadata,
}

#[derive(Default, Deserialize)]
struct Metadata {
    listing: Option<Declared>,
}

/// A listing's package name and what it declares, from its `Cargo.toml`
/// (`manifest`, its path relative to the book's root, for problems; `text`,
/// what the book holds there, if it is a readable text file).
pub fn parse(manifest: &Path, text: Result<&str, String>) -> Result<(String, Declared), Problem> {
    let Ok(text) = text else {
        return parse_once(manifest, text);
    };
    // The same manifest is read for each block that shows its listing, in
    // each of mdBook's passes, and by the model first: parsed once per run
    // of the checks, by whichever thread asks first (the text is the key,
    // so an edit is parsed again; a few thousand kept at most). The
    // manifest's path only names the file in a problem.
    type Parsed = Result<(String, Declared), Problem>;
    static PARSED: std::sync::LazyLock<
        std::sync::Mutex<std::collections::HashMap<String, Parsed>>,
    > = std::sync::LazyLock::new(Default::default);
    let named = |parsed: Parsed| {
        parsed.map_err(|problem| Problem {
            file: manifest.to_path_buf(),
            ..problem
        })
    };
    if let Some(known) = PARSED.lock().unwrap().get(text).cloned() {
        return named(known);
    }
    let parsed = parse_once(manifest, Ok(text));
    let mut known = PARSED.lock().unwrap();
    if known.len() >= 4096 {
        known.clear();
    }
    known.insert(text.to_string(), parsed.clone());
    parsed
}

fn parse_once(manifest: &Path, text: Result<&str, String>) -> Result<(String, Declared), Problem> {
    let problem = |line: Option<usize>, message: String| Problem::new(manifest, line, message);
    let text = text.map_err(|e| {
        problem(
            None,
            format!("every listing directory needs a Cargo.toml with a `[package] name`: {e}"),
        )
    })?;
    let parsed: Manifest = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        problem(line, format!("{}\n{HELP}", e.message()))
    })?;
    if let Some((line, message)) = redirects(text).or_else(|| fetched_from_elsewhere(text)) {
        return Err(problem(line, message));
    }
    let mut declared = parsed.package.metadata.listing.unwrap_or_default();
    if let Some(recorded) = &mut declared.recorded {
        recorded.allow_line = line_in_table(text, "[package.metadata.listing.recorded]", "allow");
    }
    validate(&declared).map_err(|(key, message)| problem(line_of_key(text, &key), message))?;
    Ok((parsed.package.name, declared))
}

/// A dependency fetched from anywhere but the registry, pinned by the
/// book's Cargo.lock: a `git` repository, another registry, or a `path`
/// out of the listing. Refused before anything is fetched (the fetch runs
/// outside the jail, and would connect to whatever host the line names):
/// (line, why).
fn fetched_from_elsewhere(text: &str) -> Option<(Option<usize>, String)> {
    let table: toml::Table = text.parse().ok()?;
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&toml::Table> = KINDS
        .iter()
        .filter_map(|k| table.get(*k)?.as_table())
        .collect();
    let targets = table.get("target").and_then(|t| t.as_table());
    for cfg in targets
        .into_iter()
        .flat_map(|t| t.values())
        .filter_map(|v| v.as_table())
    {
        tables.extend(KINDS.iter().filter_map(|k| cfg.get(*k)?.as_table()));
    }
    for (name, spec) in tables.into_iter().flatten() {
        let Some(spec) = spec.as_table() else {
            continue;
        };
        let line = text
            .lines()
            .position(|l| {
                l.trim_start().starts_with(name.as_str()) || l.contains(&format!("[{name}"))
            })
            .map(|i| i + 1);
        let elsewhere = if spec.contains_key("git") {
            Some("a git repository")
        } else if spec.contains_key("registry") || spec.contains_key("registry-index") {
            Some("another registry")
        } else {
            spec.get("path")
                .and_then(|p| p.as_str())
                .filter(|p| {
                    let path = Path::new(p);
                    path.is_absolute()
                        || path
                            .components()
                            .any(|c| matches!(c, std::path::Component::ParentDir))
                })
                .map(|_| "a path out of the listing")
        };
        if let Some(elsewhere) = elsewhere {
            return Some((
                line,
                format!(
                    "the dependency `{name}` comes from {elsewhere}: a listing's crates come from \
                     the registry only, pinned by listings/Cargo.lock, so that checking the \
                     book reaches no other host and reads nothing outside it \
                     (harness/guides/what-a-listing-may-do.md)"
                ),
            ));
        }
    }
    None
}

/// What a listing's manifest may not say, because the chapter would then
/// show one thing and cargo build another, or lints be relaxed with no
/// reason given: (line, why). A target's `path` (`[[bin]] path =
/// "src/real.rs"` builds another file than the `src/main.rs` the chapter
/// shows), a build script of another name, a `[lints]` table (relax a lint
/// in `[package.metadata.listing.allow]`, with the reason), and what only a
/// workspace may say (`[workspace]`, `[patch]`, `[replace]`, `[profile]`:
/// the checks build the listings as one workspace of their own).
fn redirects(text: &str) -> Option<(Option<usize>, String)> {
    let table: toml::Table = text.parse().ok()?;
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
    for key in ["workspace", "patch", "replace", "profile", "cargo-features"] {
        if table.contains_key(key) {
            return Some((
                line(key),
                format!(
                    "a listing's Cargo.toml may not have `{key}`: the checks build every listing \
                     as a member of one workspace of their own, as the reader's project is"
                ),
            ));
        }
    }
    if table.contains_key("lints") {
        return Some((
            line("lints"),
            "a `[lints]` table relaxes lints with no reason given: allow each lint in \
             `[package.metadata.listing.allow]`, with why this listing trips it (README, \
             \"Lints, and opting out\")"
                .into(),
        ));
    }
    if let Some(build) = table.get("package").and_then(|p| p.get("build"))
        && build.as_str() != Some("build.rs")
        && build.as_bool() != Some(false)
    {
        return Some((
            line("build"),
            format!(
                "`build = {build}` names a build script elsewhere than `build.rs`: a listing's \
                 build script, if it has one, is its `build.rs`, where the reader has it"
            ),
        ));
    }
    for kind in ["lib", "bin", "example", "test", "bench"] {
        let targets: Vec<&toml::Table> = match table.get(kind) {
            Some(toml::Value::Table(t)) => vec![t],
            Some(toml::Value::Array(items)) => items.iter().filter_map(|i| i.as_table()).collect(),
            _ => Vec::new(),
        };
        for target in targets {
            if let Some(path) = target.get("path") {
                return Some((
                    line("path"),
                    format!(
                        "`[{kind}] path = {path}`: a listing's targets are where cargo looks by \
                         default (`src/main.rs`, `src/lib.rs`, `src/bin/`, `tests/`), so that \
                         the file the chapter shows is the file cargo builds"
                    ),
                ));
            }
        }
    }
    None
}

const HELP: &str = "The keys a listing can declare under [package.metadata.listing] are: \
    outcome (\"runs\", \"does-not-compile\", \"panics\"), error, project, caption, seed, \
    command, exercise, allow, varies, recorded (see README, \"Writing the book\").";

/// Checks what serde cannot: (key to point at, message).
fn validate(declared: &Declared) -> Result<(), (String, String)> {
    if let Some(code) = &declared.error {
        error_code(declared, code)?;
    }
    if let Some(project) = &declared.project {
        project_name(project)?;
    }
    allowed_with_reasons(declared)?;
    if let Some(varies) = &declared.varies {
        how_it_varies(varies)?;
    }
    if let Some(recorded) = &declared.recorded {
        how_it_was_recorded(recorded)?;
    }
    if let Some(command) = &declared.command {
        crate::book::session::steps(&format!("$ {command}\n")).map_err(|_| {
            (
                "command".to_string(),
                format!(
                    "`command = \"{command}\"`: the command is the one the reader runs, \
                     `cargo run` (with `-- ARGS`), `cargo test`, `cargo build` or `cargo check`, \
                     maybe after NAME=value variables"
                ),
            )
        })?;
    }
    Ok(())
}

/// `error` goes with a listing that does not compile, and is a code.
fn error_code(declared: &Declared, code: &str) -> Result<(), (String, String)> {
    if declared.outcome != Outcome::DoesNotCompile {
        return Err((
            "error".into(),
            "`error` goes with `outcome = \"does-not-compile\"`".into(),
        ));
    }
    let well_formed =
        code.len() == 5 && code.starts_with('E') && code[1..].chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        return Err((
            "error".into(),
            format!("`error = \"{code}\"` is not an error code like \"E0382\""),
        ));
    }
    Ok(())
}

/// `project` is a name `cargo new` takes.
fn project_name(project: &str) -> Result<(), (String, String)> {
    let valid = !project.is_empty()
        && project
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return Err((
            "project".into(),
            format!("`project = \"{project}\"` is not a package name `cargo new` would take"),
        ));
    }
    Ok(())
}

/// Each allowed lint says why.
fn allowed_with_reasons(declared: &Declared) -> Result<(), (String, String)> {
    for (lint, reason) in &declared.allow {
        if reason.trim().is_empty() {
            let key = if lint.contains(':') {
                format!("\"{lint}\"")
            } else {
                lint.clone()
            };
            return Err((
                lint.clone(),
                format!(
                    "allowing `{lint}` needs a reason: `{key} = \"why this listing trips it\"`"
                ),
            ));
        }
    }
    Ok(())
}

/// `varies` says why, and how.
fn how_it_varies(varies: &Varies) -> Result<(), (String, String)> {
    if varies.why.trim().is_empty() {
        return Err((
            "why".into(),
            "`[package.metadata.listing.varies]` needs `why`: what makes the output differ".into(),
        ));
    }
    if !varies.any_order
        && varies.spans.is_empty()
        && !varies.elided_lines
        && varies.optional_lines.is_empty()
    {
        return Err((
            "why".into(),
            "say how the output varies: `any-order = true`, `spans = [...]`, \
             `elided-lines = true` or `optional-lines = [...]`"
                .into(),
        ));
    }
    if let Some(empty) = varies.optional_lines.iter().find(|o| o.trim().is_empty()) {
        return Err((
            "optional-lines".into(),
            format!("`{empty:?}` would make every line optional: name text the lines hold"),
        ));
    }
    for span in &varies.spans {
        if let Err(e) = regex::Regex::new(span) {
            return Err((
                "spans".into(),
                format!("`{span}` is not a regular expression: {e}"),
            ));
        }
    }
    Ok(())
}

/// `recorded` says why, and turns off rustc's lints by name only.
fn how_it_was_recorded(recorded: &Recorded) -> Result<(), (String, String)> {
    if recorded.why.trim().is_empty() {
        return Err((
            "why".into(),
            "`[package.metadata.listing.recorded]` needs `why`: the reader is told why \
             their terminal shows more"
                .into(),
        ));
    }
    if recorded.allow.is_empty() {
        return Err((
            "allow".into(),
            "`[package.metadata.listing.recorded]` says which rustc lints the recording \
             turns off: `allow = [\"unused_variables\"]`"
                .into(),
        ));
    }
    for lint in &recorded.allow {
        let a_name = lint.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && lint
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !a_name {
            return Err((
                "allow".into(),
                format!(
                    "`{lint}` is not the name of a rustc lint: the recording may turn off \
                     rustc's lints (`unused_variables`, `dead_code`), by name, and nothing \
                     else: no flag, no lint of another tool"
                ),
            ));
        }
    }
    Ok(())
}

/// A `varies.spans` pattern, compiled within a stated size (1 MiB of
/// compiled program): a pattern past it is refused, never run.
pub fn span_regex(span: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(span)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .build()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `key` is set in the table that `header` opens.
fn line_in_table(text: &str, header: &str, key: &str) -> Option<usize> {
    let start = text.lines().position(|l| l.trim() == header)?;
    let rest: String = text.lines().skip(start).collect::<Vec<_>>().join("\n");
    line_of_key(&rest, key).map(|line| line + start)
}

/// The line where `key` is set, quoted or not.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('"');
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches('"').trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parsed once per run, by its text: the same broken manifest met at
    /// another path is reported at that path, never at the first one's.
    #[test]
    fn a_manifest_parsed_before_elsewhere_is_reported_where_it_is_now() {
        let text = "[package]\nname = \"listing-remembered\"\nversion = 1 = 2\n";
        let first = parse(Path::new("listings/a/Cargo.toml"), Ok(text)).unwrap_err();
        let again = parse(Path::new("listings/b/Cargo.toml"), Ok(text)).unwrap_err();
        assert_eq!(first.file, Path::new("listings/a/Cargo.toml"));
        assert_eq!(again.file, Path::new("listings/b/Cargo.toml"));
        assert_eq!((first.line, &first.message), (again.line, &again.message));
    }

    #[test]
    fn a_span_past_its_size_is_refused() {
        assert!(span_regex(r"\d+ ms").is_ok());
        assert!(span_regex(r"(\w{100}){100}").is_err());
    }

    fn read_text(text: &str) -> Result<(String, Declared), Problem> {
        parse(Path::new("Cargo.toml"), Ok(text))
    }

    const PACKAGE: &str = "[package]\nname = \"listing-02-01\"\nversion = \"0.1.0\"\n";

    #[test]
    fn a_listing_with_no_declaration_runs() {
        let (name, declared) = read_text(PACKAGE).unwrap();
        assert_eq!(name, "listing-02-01");
        assert_eq!(declared.outcome, Outcome::Runs);
    }

    #[test]
    fn a_mistyped_key_is_an_error_at_its_line() {
        let text = format!("{PACKAGE}\n[package.metadata.listing]\noutcom = \"panics\"\n");
        let problem = read_text(&text).unwrap_err();
        assert_eq!(problem.line, Some(6));
        assert!(
            problem.message.contains("unknown field `outcom`"),
            "{problem}"
        );
    }

    #[test]
    fn an_unknown_outcome_is_an_error_at_its_line() {
        let text = format!("{PACKAGE}\n[package.metadata.listing]\noutcome = \"crashes\"\n");
        let problem = read_text(&text).unwrap_err();
        assert_eq!(problem.line, Some(6));
        assert!(
            problem.message.contains("unknown variant `crashes`"),
            "{problem}"
        );
    }

    #[test]
    fn an_allowed_lint_needs_a_reason() {
        let text =
            format!("{PACKAGE}\n[package.metadata.listing.allow]\n\"clippy::len_zero\" = \" \"\n");
        let problem = read_text(&text).unwrap_err();
        assert_eq!(problem.line, Some(6));
        assert!(problem.message.contains("needs a reason"), "{problem}");
    }
}
