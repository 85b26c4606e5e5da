//! The course-scale benchmark. It copies the book's harness (Cargo.toml,
//! build.rs, tests/, harness/, xtask/, vendor/, book.toml, theme/) into a temporary directory,
//! writes a synthetic course of 20 chapters and 200 listings into it (runs,
//! does-not-compile and panics, mixed), blesses their outputs, and times:
//!
//! - a cold `cargo test` (empty target directory, registry warm);
//! - a warm `cargo test`, nothing changed (and again with skeptic's binary
//!   cache switched off, to show what the cache saves);
//! - `cargo test` after a one-line edit to one listing;
//! - `cargo test` after a one-line edit to one chapter's prose;
//! - `mdbook test` on the same book, the anchor (what TRPL relies on).
//!
//!     cargo run --release -p course-scale [-- CHAPTERS LISTINGS_PER_CHAPTER]
//!
//! (`COURSE_SCALE_KEEP=1` keeps the generated course afterwards.)
//!
//! It is a benchmark, not a test: it prints figures. It stops with the log
//! of the run if any timed `cargo test` fails, since the figures of a failing
//! run would mean nothing.

mod course;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let chapters = args.next().map_or(20, |n| n.expect("CHAPTERS is a number"));
    let per_chapter = args
        .next()
        .map_or(10, |n| n.expect("LISTINGS_PER_CHAPTER is a number"));
    let listings = chapters * per_chapter;

    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().expect("the book's root");
    let dir = tempfile::Builder::new()
        .prefix("course-scale-")
        .tempdir()
        .expect("a temporary directory");
    // COURSE_SCALE_KEEP=1 keeps the course, to look at or to rerun by hand.
    let dir = if std::env::var_os("COURSE_SCALE_KEEP").is_some() {
        let kept = dir.keep();
        eprintln!("Keeping the course in {}", kept.display());
        Dir::Kept(kept)
    } else {
        Dir::Temporary(dir)
    };
    let root = dir.path();
    eprintln!(
        "Writing a course of {chapters} chapters, {listings} listings, into {}",
        root.display()
    );
    course::copy_harness(&repo, root);
    let made = course::write(root, chapters, per_chapter);
    eprintln!(
        "  {} run, {} do not compile, {} panic",
        made.runs, made.does_not_compile, made.panics
    );

    eprintln!("Installing mdbook if missing (for `mdbook test`), and blessing the outputs (not timed)...");
    let mdbook = harness::tools::MDBOOK
        .ensure()
        .unwrap_or_else(|e| panic!("{e}"));
    must(cargo(root, &["xtask", "bless"]), root, "cargo xtask bless");
    std::fs::remove_dir_all(root.join("target")).expect("the target directory goes");

    let mut rows: Vec<Row> = Vec::new();
    let mut timed_test = |label: &str, env: &[(&str, &str)]| {
        eprintln!("Timing: {label}...");
        let mut cmd = cargo(root, &["test"]);
        cmd.envs(env.iter().copied());
        let (took, log) = timed(cmd);
        let Some(log) = log else {
            fail(root, label);
        };
        rows.push(Row {
            label: label.to_string(),
            took,
            binaries: per_test_binary(&log),
        });
    };

    timed_test("cold `cargo test` (empty target dir)", &[]);
    timed_test("warm `cargo test`, nothing changed", &[]);
    timed_test("warm again, nothing changed", &[]);
    timed_test(
        "warm, skeptic's binary cache off",
        &[("SKEPTIC_NO_BINARY_CACHE", "1")],
    );
    course::edit_one_listing(root);
    timed_test("after a one-line edit to one listing", &[]);
    course::edit_one_chapter(root);
    timed_test("after a one-line edit to one chapter", &[]);

    eprintln!("Timing: mdbook test...");
    let mut anchor = Command::new(&mdbook);
    anchor.arg("test").current_dir(root);
    let (mdbook_took, ok) = timed(anchor);
    if ok.is_none() {
        fail(root, "mdbook test");
    }

    print_table(chapters, listings, &rows, mdbook_took);
}

enum Dir {
    Temporary(tempfile::TempDir),
    Kept(std::path::PathBuf),
}

impl Dir {
    fn path(&self) -> &Path {
        match self {
            Dir::Temporary(dir) => dir.path(),
            Dir::Kept(dir) => dir,
        }
    }
}

/// One timed `cargo test`: its wall time, and the seconds each test binary
/// ran.
struct Row {
    label: String,
    took: Duration,
    binaries: Vec<(String, f64)>,
}

fn cargo(root: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .current_dir(root)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS");
    cmd
}

/// Runs `cmd`, stdout and stderr into one log; the time, and the log if it
/// succeeded.
fn timed(mut cmd: Command) -> (Duration, Option<String>) {
    let log = tempfile::tempfile().expect("a log file");
    cmd.stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log.try_clone().unwrap()))
        .stdin(Stdio::null());
    let started = Instant::now();
    let status = cmd.status().expect("the command starts");
    let took = started.elapsed();
    let text = read_log(log);
    LAST_LOG.with(|l| *l.borrow_mut() = text.clone());
    (took, status.success().then_some(text))
}

thread_local! {
    static LAST_LOG: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn read_log(mut file: std::fs::File) -> String {
    use std::io::{Read, Seek};
    let mut text = String::new();
    file.rewind().unwrap();
    file.read_to_string(&mut text).unwrap();
    text
}

fn must(cmd: Command, root: &Path, what: &str) {
    if timed(cmd).1.is_none() {
        fail(root, what);
    }
}

fn fail(root: &Path, what: &str) -> ! {
    let log = LAST_LOG.with(|l| l.borrow().clone());
    let tail: Vec<&str> = log.lines().rev().take(60).collect();
    eprintln!(
        "{what} failed in {}; the end of its log:\n{}",
        root.display(),
        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
    );
    std::process::exit(1)
}

/// How long each test binary ran, from libtest's `finished in` lines, named
/// after the `Running tests/….rs` line before them.
fn per_test_binary(log: &str) -> Vec<(String, f64)> {
    let mut found = Vec::new();
    let mut current = None;
    for line in log.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Running ") {
            current = rest.split_whitespace().next().map(|s| {
                Path::new(s)
                    .file_stem()
                    .map_or(s.to_string(), |n| n.to_string_lossy().into_owned())
            });
        } else if let Some(secs) = line
            .split("finished in ")
            .nth(1)
            .and_then(|s| s.trim_end_matches('s').parse::<f64>().ok())
            && let Some(name) = current.take()
        {
            found.push((name, secs));
        }
    }
    found
}

fn print_table(chapters: usize, listings: usize, rows: &[Row], mdbook_test: Duration) {
    let machine = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("\nCourse-scale benchmark: {chapters} chapters, {listings} listings, {machine} cores");
    println!(
        "{:<42} {:>9} {:>12} {:>14}",
        "run", "wall", "per listing", "vs mdbook test"
    );
    for Row { label, took, .. } in rows {
        let secs = took.as_secs_f64();
        println!(
            "{label:<42} {secs:>8.1}s {:>10.0}ms {:>13.2}x",
            secs * 1000.0 / listings as f64,
            secs / mdbook_test.as_secs_f64()
        );
    }
    let secs = mdbook_test.as_secs_f64();
    println!(
        "{:<42} {secs:>8.1}s {:>10.0}ms {:>13.2}x",
        "`mdbook test` (anchor)",
        secs * 1000.0 / listings as f64,
        1.0
    );
    println!("\nWhere the time went (seconds in each test binary; the rest is compiling):");
    for Row {
        label,
        took,
        binaries,
    } in rows
    {
        let tests: f64 = binaries.iter().map(|(_, s)| s).sum();
        let parts: Vec<String> = binaries
            .iter()
            .filter(|(_, s)| *s >= 0.05)
            .map(|(name, s)| format!("{name} {s:.1}"))
            .collect();
        println!(
            "  {label}: compiling and build.rs {:.1}; {}",
            took.as_secs_f64() - tests,
            parts.join(", ")
        );
    }
}
