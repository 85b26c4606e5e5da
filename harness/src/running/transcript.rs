//! Terminal sessions, replayed: a listing's `transcript.txt` (its format:
//! `book::session`) is run command by command in a copy of the listing
//! named as the reader named it, contained, and compared. What differs from
//! machine to machine is matched tolerantly (see `comparable`); the rest
//! byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

use regex::Regex;
use sandbox::terminal::{self, Limits};

use crate::book::metadata::Varies;
use crate::book::session::{Status, Step};
use crate::{book::printed, running::stage};

/// Where sessions run: `<work>/projects/<project>`, with cargo's target
/// directory `target` (which may be shared between books).
#[derive(Debug, Clone)]
pub struct Workplace {
    /// Where the registry crates come from, and a build's limits.
    pub settings: crate::running::settings::Settings,
    pub work: PathBuf,
    pub target: PathBuf,
}

impl Workplace {
    fn projects(&self) -> PathBuf {
        let _ = std::fs::create_dir_all(self.work.join("projects"));
        // cargo prints the directory as the file system names it.
        let work = self
            .work
            .canonicalize()
            .unwrap_or_else(|_| self.work.clone());
        work.join("projects")
    }
    fn project_dir(&self, project: &str) -> PathBuf {
        self.work.join("projects").join(project)
    }
    fn target_dir(&self) -> PathBuf {
        self.target.clone()
    }
}

/// What a session starts from: the listing's files as the reader has
/// them, the book's Cargo.lock, the lines the reader types, and the name
/// the reader gave the project.
#[derive(Debug)]
pub struct Session<'a> {
    pub files: &'a [(PathBuf, Vec<u8>)],
    pub lock: Option<&'a [u8]>,
    pub input: &'a str,
    pub project: &'a str,
    /// The seed of the program's randomness, if it declares one.
    pub seed: Option<u64>,
}

/// Runs a transcript's commands in a fresh reader's copy of the listing and
/// returns what the terminal showed, paths as the reader would see them
/// (the project in `/projects/<project>`).
pub fn record(
    session: &Session,
    steps: &[Step],
    place: &Workplace,
    limits: Limits,
) -> Result<String, String> {
    let project = session.project;
    let dir = place.project_dir(project);
    let mut files = session.files.to_vec();
    for (rel, content) in files.iter_mut() {
        if rel == Path::new("Cargo.toml") {
            let text = String::from_utf8_lossy(content).into_owned();
            *content = stage::renamed(&text, project)?.into_bytes();
        }
    }
    // The book's Cargo.lock pins the registry crates' versions.
    if let Some(lock) = session.lock {
        files.push((PathBuf::from("Cargo.lock"), lock.to_vec()));
    }
    crate::book::files::mirror(&dir, &files, &[]).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut input = session
        .input
        .lines()
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter();
    // What the session builds, built first with a build's limits (a busy
    // machine compiles slowly); the steps then run with a program's, and
    // compile only the reader's own crate again (its sources are touched
    // below), as on the reader's first run.
    let (jail, cargo) = session_jail(&dir, place)?;
    let jail = match session.seed {
        Some(seed) => jail.seeded(seed),
        None => jail,
    };
    let mut cmd = Command::new(&cargo);
    jail.apply(&mut cmd)
        .map_err(|e| format!("a sandbox for cargo: {e}"))?;
    cmd.args(["build", "--all-targets", "--quiet"]);
    let warm = crate::running::jailed::build_limits(1, &place.settings);
    if let Err(stopped) = terminal::run(cmd, &mut std::iter::empty(), true, warm) {
        return Err(format!("building the session's project: cargo {stopped}"));
    }
    for (rel, _) in files
        .iter()
        .filter(|(f, _)| f.extension().is_some_and(|e| e == "rs"))
    {
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::File::options()
            .append(true)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(dir.join(rel));
        let _ = file.and_then(|f| f.set_modified(std::time::SystemTime::now()));
    }
    let mut shown = String::new();
    for step in steps {
        let mut cmd = Command::new(&cargo);
        jail.apply(&mut cmd)
            .map_err(|e| format!("`{}`: a sandbox: {e}", step.written))?;
        cmd.args(&step.cargo_args)
            .envs(step.env.iter().map(|(k, v)| (k, v)));
        shown.push_str(&format!("$ {}\n", step.written));
        let ran = terminal::run(cmd, &mut input, true, limits).map_err(|stopped| {
            let stopped = stopped.map_shown(|text| {
                let text = with_the_readers_paths(text, place);
                comparable(&text, project, None)
            });
            format!("`{}`: {stopped}", step.written)
        })?;
        let status = match (ran.status.code(), step.status) {
            (Some(0), _) => Status::Success,
            (_, Status::Failed) => Status::Failed,
            (Some(code), _) => Status::Code(code),
            (None, _) => Status::Failed,
        };
        if let Some(line) = status.line() {
            shown.push_str(&format!("{line}\n"));
        }
        shown.push_str(&printed::as_text(&ran.shown));
    }
    Ok(with_the_readers_paths(&shown, place))
}

/// A session runs cargo, and cargo the listing's program, contained (see
/// the sandbox crate and jailed.rs): they may write to the project's copy
/// (fresh for each session: `files::mirror` makes it hold the listing's
/// files and nothing else) and to cargo's target directory for the
/// sessions, and nowhere else. cargo is the toolchain's own, and reads its
/// registry cache through a `CARGO_HOME` of the sessions' own (the build
/// checks fetched the crates before). Returns the jail and its cargo.
fn session_jail(project_dir: &Path, place: &Workplace) -> Result<(sandbox::Jail, PathBuf), String> {
    let toolchain = crate::running::jailed::toolchain().map_err(|p| p.message)?;
    let bin = toolchain.sysroot.join("bin");
    let home = place.work.join("cargo-home");
    for dir in [place.target_dir(), home.join("registry")] {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let jail = sandbox::Jail::new(project_dir)
        .readable(&toolchain.sysroot)
        .writable(&place.target_dir())
        .writable(&home)
        .mount_readonly(
            &place.settings.registry.cargo_home.join("registry"),
            &home.join("registry"),
        )
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
        )
        .env("CARGO_HOME", &home)
        .env("RUSTC", bin.join("rustc"))
        .env("CARGO_TARGET_DIR", place.target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        .env("CARGO_NET_OFFLINE", "true");
    Ok((jail, bin.join("cargo")))
}

/// The session's paths as the reader's: the target directory is `target`,
/// the project is in `/projects`.
fn with_the_readers_paths(text: &str, place: &Workplace) -> String {
    text.replace(&format!("{}/", place.target_dir().display()), "target/")
        .replace(&place.projects().display().to_string(), "/projects")
        .replace(
            &format!("{}/", place.work.join("cargo-home").display()),
            "~/.cargo/",
        )
}

/// What may differ between two runs of the same session on two machines,
/// each replaced by a placeholder (or dropped) in both texts before they
/// are compared:
///
/// 1. cargo's status lines about other packages (`Compiling rand …`,
///    `Downloaded …`, `Locking …`, `Blocking waiting for file lock …`):
///    whether they show depends on what the machine has built before;
/// 2. the project's directory in `Compiling NAME vX (DIR)`;
/// 3. timings (`in 0.52s`, `finished in 0.00s`);
/// 4. the hash in a test binary's name (`deps/minigrep-1a2b…`);
/// 5. the order of `test NAME ... ok` lines (test threads finish in any
///    order), and what `varies` declares;
/// 6. then `normalize::normalize`'s rules (thread ids, rustc's hash, and
///    the standard library's source lines, which show only where rust-src
///    is installed).
pub fn comparable(text: &str, project: &str, varies: Option<&Varies>) -> String {
    static STATUS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\s+(Compiling|Checking|Downloaded|Downloading|Locking|Adding|Updating|Blocking|Fresh|Documenting)\s+(\S+)",
        )
        .unwrap()
    });
    static PROJECT_DIR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\s+(Compiling|Checking) \S+ v\S+) \(.*\)$").unwrap());
    static TEST_HASH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(deps/[A-Za-z0-9_]+)-[0-9a-f]{16}\b").unwrap());
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(status) = STATUS.captures(line) {
            let about_the_project = status[2] == *project || status[2] == project.replace('-', "_");
            if !about_the_project {
                continue;
            }
        }
        let line = PROJECT_DIR.replace(line, "$1 ([DIR])");
        let line = TEST_HASH.replace_all(&line, "$1-[HASH]");
        lines.push(line.into_owned());
    }
    sort_runs(&mut lines, |l| {
        l.starts_with("test ") && l.contains(" ... ")
    });
    let text = lines.join("\n") + "\n";
    let text = crate::running::normalize::tolerant(&text);
    match varies {
        Some(varies) => apply_varies(&text, varies, |l| {
            !l.starts_with("$ ")
                && !STATUS.is_match(l)
                && !l.trim_start().starts_with("Finished ")
                && !l.trim_start().starts_with("Running ")
        }),
        None => text,
    }
}

/// Applies a listing's declared variation: `spans` become `[..]`, and with
/// `any-order` the lines `movable` picks are sorted within each run of them.
pub fn apply_varies(text: &str, varies: &Varies, movable: impl Fn(&str) -> bool) -> String {
    // Each span compiled once (bounded: book/metadata.rs refuses one past
    // the size limit), then run over each line: time linear in the output.
    let spans: Vec<Regex> = varies
        .spans
        .iter()
        .filter_map(|s| crate::book::metadata::span_regex(s).ok())
        .collect();
    // With optional lines declared, a last line cut short (no final
    // newline: the program stopped while a thread printed it) is not
    // compared either.
    let cut = (!varies.optional_lines.is_empty() && !text.ends_with('\n'))
        .then(|| text.lines().count().saturating_sub(1));
    let mut lines: Vec<String> = text
        .lines()
        .enumerate()
        .filter(|(i, line)| !varies.optional(line) && Some(*i) != cut)
        .map(|(_, line)| line)
        .map(|line| {
            spans.iter().fold(line.to_string(), |line, re| {
                re.replace_all(&line, "[..]").into_owned()
            })
        })
        .collect();
    if varies.any_order {
        sort_runs(&mut lines, |l| movable(l));
    }
    lines.join("\n") + "\n"
}

/// What the terminal showed for one command, as a course prints it with
/// no session: without the `$` line and its status, and without cargo's own
/// lines (its status lines, `Compiling` to `Running` and `Doc-tests`; its
/// summary of warnings; its note that a build or a test failed). What is
/// left is the compiler's warnings and errors, then the program's output
/// or the test harness's report.
pub fn without_cargos_lines(shown: &str) -> String {
    static CARGOS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(\s+(Compiling|Checking|Finished|Running|Doc-tests|Downloaded|Downloading|Locking|Adding|Updating|Blocking|Fresh|Documenting|Executable)\b|warning: `[^`]+` \(.*\) generated \d+ warnings?|error: could not compile `|error: test failed, to rerun pass|\$ |\? )",
        )
        .unwrap()
    });
    let mut out = String::new();
    for line in shown.split_inclusive('\n') {
        if !CARGOS.is_match(line) {
            out.push_str(line);
        }
    }
    out
}

/// The line that stands for any lines, or none, in a recorded output whose
/// listing declares `elided-lines` (as in trycmd).
pub const ELIDED: &str = "...";

/// Whether `actual` matches `expected` (both already tolerant), where each
/// `...` line of `expected` stands for any lines, or none. With
/// `any_order`, order is not compared: every other line of `expected` must
/// be in `actual`, and `actual` may hold more only if `expected` has a
/// `...`.
pub fn matches_elided(expected: &str, actual: &str, any_order: bool) -> bool {
    let wanted: Vec<&str> = expected.lines().collect();
    let came: Vec<&str> = actual.lines().collect();
    let elided = |l: &&str| l.trim() == ELIDED;
    if any_order {
        // A count of each line that came: linear, whatever the lines.
        let mut left: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for line in &came {
            *left.entry(line).or_default() += 1;
        }
        for line in wanted.iter().filter(|l| !elided(l)) {
            match left.get_mut(line) {
                Some(n) if *n > 0 => *n -= 1,
                _ => return false,
            }
        }
        return left.values().all(|n| *n == 0) || wanted.iter().any(elided);
    }
    // The lines between `...` lines, in order: the first at the start, the
    // last at the end, each other one at its leftmost place after the one
    // before (leftmost is never worse). Time and memory linear in the lines.
    let segments: Vec<&[&str]> = wanted.split(elided).collect();
    let [first, .., last] = segments.as_slice() else {
        return wanted == came;
    };
    if came.len() < first.len() + last.len() || !came.starts_with(first) || !came.ends_with(last) {
        return false;
    }
    let (mut at, end) = (first.len(), came.len() - last.len());
    for segment in &segments[1..segments.len() - 1] {
        match find(&came[at..end], segment) {
            Some(found) => at += found + segment.len(),
            None => return false,
        }
    }
    true
}

/// Where `needle` first comes in `hay`, line by line (Knuth–Morris–Pratt:
/// time linear in both).
fn find(hay: &[&str], needle: &[&str]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    // fallback[i]: the longest proper prefix of needle[..=i] that is also
    // its suffix.
    let mut fallback = vec![0; needle.len()];
    let mut k = 0;
    for i in 1..needle.len() {
        while k > 0 && needle[i] != needle[k] {
            k = fallback[k - 1];
        }
        if needle[i] == needle[k] {
            k += 1;
        }
        fallback[i] = k;
    }
    let mut k = 0;
    for (i, line) in hay.iter().enumerate() {
        while k > 0 && *line != needle[k] {
            k = fallback[k - 1];
        }
        if *line == needle[k] {
            k += 1;
        }
        if k == needle.len() {
            return Some(i + 1 - k);
        }
    }
    None
}

/// Sorts each run of consecutive lines that `pick` picks.
fn sort_runs(lines: &mut [String], pick: impl Fn(&str) -> bool) {
    let mut i = 0;
    while i < lines.len() {
        if !pick(&lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && pick(&lines[i]) {
            i += 1;
        }
        lines[start..i].sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_differs_between_machines_is_tolerated_and_nothing_else() {
        let mine = "$ cargo run\n   Compiling rand v0.8.5\n   Compiling guessing_game v0.1.0 (/projects/guessing_game)\n    Finished `dev` profile [unoptimized + debuginfo] target(s) in 2.53s\n     Running `target/debug/guessing_game`\nrunning 2 tests\ntest b ... ok\ntest a ... ok\n";
        let theirs = "$ cargo run\n   Compiling guessing_game v0.1.0 (/home/ana/guessing_game)\n    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.31s\n     Running `target/debug/guessing_game`\nrunning 2 tests\ntest a ... ok\ntest b ... ok\n";
        assert_eq!(
            comparable(mine, "guessing_game", None),
            comparable(theirs, "guessing_game", None)
        );
        let changed = theirs.replace("test b", "test c");
        assert_ne!(
            comparable(mine, "guessing_game", None),
            comparable(&changed, "guessing_game", None)
        );
    }

    #[test]
    fn matching_ten_thousand_lines_is_linear() {
        // The old table of lines by lines held 10,001 x 20,001 cells (200
        // MB); this holds a few vectors of the lines.
        let came: String = (0..20_000).map(|i| format!("cup {}\n", i % 7)).collect();
        let mut wanted: String = (0..10_000)
            .map(|i| {
                if i % 2 == 0 {
                    "...\n".to_string()
                } else {
                    format!("cup {}\n", i % 7)
                }
            })
            .collect();
        wanted.push_str("...\n");
        assert!(matches_elided(&wanted, &came, false));
        wanted.push_str("a line that never came\n");
        assert!(!matches_elided(&wanted, &came, false));
        let shuffled: String = came.lines().rev().map(|l| format!("{l}\n")).collect();
        assert!(matches_elided(&came, &shuffled, true));
        assert!(!matches_elided(&came, &shuffled[6..], true));
    }

    #[test]
    fn an_elided_line_stands_for_any_lines_and_only_there() {
        let recorded = "main: 1\n...\nmain: done\n";
        for run in [
            "main: 1\nmain: done\n",
            "main: 1\nworker: 1\nworker: 2\nmain: done\n",
        ] {
            assert!(matches_elided(recorded, run, false), "{run}");
        }
        for run in ["worker: 1\nmain: 1\nmain: done\n", "main: 1\nworker: 1\n"] {
            assert!(!matches_elided(recorded, run, false), "{run}");
        }
        // Any order: the lines that are always there, in any order, and
        // any others only where a `...` allows them.
        let recorded = "main: 1\nmain: 2\n...\n";
        assert!(matches_elided(
            recorded,
            "worker: 1\nmain: 2\nmain: 1\n",
            true
        ));
        assert!(!matches_elided(recorded, "worker: 1\nmain: 2\n", true));
        assert!(!matches_elided("main: 1\n", "main: 1\nworker: 1\n", true));
    }

    #[test]
    fn a_commands_output_is_what_the_terminal_shows_less_cargos_lines() {
        let shown = "$ cargo run -- poem.txt\n   Compiling grep v0.1.0 (/projects/grep)\n\
                     warning: unused variable: `x`\n --> src/main.rs:2:9\n\n\
                     warning: `grep` (bin \"grep\") generated 1 warning\n\
                     \x20   Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.2s\n\
                     \x20    Running `target/debug/grep poem.txt`\nfound 2 lines\n";
        assert_eq!(
            without_cargos_lines(shown),
            "warning: unused variable: `x`\n --> src/main.rs:2:9\n\nfound 2 lines\n"
        );
    }

    #[test]
    fn declared_variation_is_tolerated() {
        let varies = Varies {
            why: "threads".into(),
            any_order: true,
            spans: vec![r"\d+ms".into()],
            ..Varies::default()
        };
        let one = "hi 1 from main\nhi 1 from spawned (3ms)\n";
        let other = "hi 1 from spawned (5ms)\nhi 1 from main\n";
        assert_eq!(
            apply_varies(one, &varies, |_| true),
            apply_varies(other, &varies, |_| true)
        );
        assert_ne!(
            apply_varies(one, &varies, |_| true),
            apply_varies("hi 2 from main\nhi 1 from spawned (3ms)\n", &varies, |_| {
                true
            })
        );
    }
}
