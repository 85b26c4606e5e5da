//! The course-scale benchmark. It copies the book's harness (Cargo.toml,
//! build.rs, tests/, harness/, sandbox/, xtask/, vendor/, book.toml,
//! theme/) into a temporary directory, writes a synthetic course of 20
//! chapters and 200 listings into it (runs, does-not-compile and panics,
//! mixed), blesses their outputs, and times:
//!
//! - a cold `cargo test` (empty target directory, registry warm), once;
//! - a warm `cargo test`, nothing changed, five times;
//! - `cargo test` after an edit that changes what one listing prints, with
//!   its `output.txt` (the common edit), three times; then, not timed, the
//!   same edit without its `output.txt`, which must fail naming the listing
//!   (so the timed runs did check again);
//! - `cargo test` after a one-line comment added to one listing, three times;
//! - `cargo test` after a one-line edit to one chapter's prose, three times;
//! - `mdbook test` on the same book, the anchor (what TRPL relies on),
//!   three times;
//!
//! and prints, for each, the minimum, median and maximum.
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

    eprintln!(
        "Installing mdbook if missing (for `mdbook test`), and blessing the outputs (not timed)..."
    );
    let mdbook = harness::running::tools::MDBOOK
        .ensure()
        .unwrap_or_else(|e| panic!("{e}"));
    must(cargo(root, &["xtask", "bless"]), root, "cargo xtask bless");
    std::fs::remove_dir_all(root.join("target")).expect("the target directory goes");

    let mut rows: Vec<Row> = Vec::new();
    let mut timed_test = |label: &str, runs: usize, before_each: &dyn Fn()| {
        let mut took = Vec::new();
        let mut binaries = Vec::new();
        for run in 1..=runs {
            before_each();
            eprintln!("Timing: {label} ({run} of {runs})...");
            let (time, log) = timed(cargo(root, &["test"]));
            let Some(log) = log else {
                fail(root, label);
            };
            took.push(time);
            binaries = per_test_binary(&log);
        }
        rows.push(Row {
            label: label.to_string(),
            took,
            binaries,
        });
    };

    timed_test("cold `cargo test` (empty target dir)", 1, &|| {});
    timed_test("warm `cargo test`, nothing changed", 5, &|| {});
    timed_test("after an edit to what one listing prints", 3, &|| {
        course::edit_one_output(root)
    });
    prove_it_checked_again(root);
    timed_test("after a one-line comment in one listing", 3, &|| {
        course::edit_one_listing(root)
    });
    timed_test("after a one-line edit to one chapter", 3, &|| {
        course::edit_one_chapter(root)
    });

    let mut mdbook_took = Vec::new();
    for run in 1..=3 {
        eprintln!("Timing: mdbook test ({run} of 3)...");
        let mut anchor = Command::new(&mdbook);
        anchor.arg("test").current_dir(root);
        let (took, ok) = timed(anchor);
        if ok.is_none() {
            fail(root, "mdbook test");
        }
        mdbook_took.push(took);
    }
    rows.push(Row {
        label: "`mdbook test` (anchor)".into(),
        took: mdbook_took,
        binaries: Vec::new(),
    });

    print_table(chapters, listings, &rows);
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

/// One timed command, run several times: its wall times, and the seconds
/// each test binary ran in the last run.
struct Row {
    label: String,
    took: Vec<Duration>,
    binaries: Vec<(String, f64)>,
}

impl Row {
    /// (min, median, max) in seconds.
    fn spread(&self) -> (f64, f64, f64) {
        let mut secs: Vec<f64> = self.took.iter().map(Duration::as_secs_f64).collect();
        secs.sort_by(f64::total_cmp);
        (secs[0], secs[secs.len() / 2], secs[secs.len() - 1])
    }
}

/// The timed runs re-checked what changed: the same edit with the
/// listing's output.txt left as it was fails, naming the listing (not
/// timed); then its output is made right again.
fn prove_it_checked_again(root: &Path) {
    let listing = course::edit_one_listing_output(root, false);
    eprintln!("Proving the timed runs re-checked: {listing} edited, its output.txt not...");
    let (_, passed) = timed(cargo(root, &["test"]));
    let log = LAST_LOG.with(|l| l.borrow().clone());
    if passed.is_some() || !log.contains(&listing) {
        fail(
            root,
            &format!(
                "`cargo test` after an edit to {listing} without its output.txt (it must fail, naming it)"
            ),
        );
    }
    course::edit_one_output(root);
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

fn print_table(chapters: usize, listings: usize, rows: &[Row]) {
    let machine = std::thread::available_parallelism().map_or(0, |n| n.get());
    let anchor = rows.last().map_or(1.0, |r| r.spread().1);
    println!("\nCourse-scale benchmark: {chapters} chapters, {listings} listings, {machine} cores");
    println!(
        "{:<40} {:>5} {:>8} {:>8} {:>8} {:>11} {:>16}",
        "run", "runs", "min", "median", "max", "per listing", "median vs mdbook"
    );
    for row in rows {
        let (min, median, max) = row.spread();
        println!(
            "{:<40} {:>5} {min:>7.2}s {median:>7.2}s {max:>7.2}s {:>9.1}ms {:>15.2}x",
            row.label,
            row.took.len(),
            median * 1000.0 / listings as f64,
            median / anchor
        );
    }
    println!(
        "\nWhere the time went in the last run (seconds in each test binary; the rest is compiling):"
    );
    for row in rows.iter().filter(|r| !r.binaries.is_empty()) {
        let tests: f64 = row.binaries.iter().map(|(_, s)| s).sum();
        let last = row.took.last().map_or(0.0, Duration::as_secs_f64);
        let parts: Vec<String> = row
            .binaries
            .iter()
            .filter(|(_, s)| *s >= 0.05)
            .map(|(name, s)| format!("{name} {s:.1}"))
            .collect();
        println!(
            "  {}: compiling and build.rs {:.1}; {}",
            row.label,
            last - tests,
            parts.join(", ")
        );
    }
}
