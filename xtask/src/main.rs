//! `cargo xtask <command>`: the author's commands. See README.md.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod live;
mod new_listing;
mod serve;

use clap::{Parser, Subcommand};
use harness::book::listings::EXPECTED_OUTPUT;
use harness::engine::checker::Checker;
use harness::running::tools::MDBOOK;
use new_listing::Kind;

/// The author's commands for the book. See README.md, "Writing the book".
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Serve the book with live reload (`mdbook serve ARGS`), installing the
    /// pinned mdbook first, and check each listing as you edit it: the
    /// verdict in the terminal, and on the page.
    Serve {
        /// Another book to serve, e.g. a copy of tests/fixtures/tiny-book
        /// (the browser suite's live test does).
        #[arg(long)]
        book: Option<PathBuf>,
        /// Passed on to `mdbook serve`, e.g. `--open`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build the HTML into book/html/, with link checking.
    Build,
    /// Run every listing and write what it prints into its output.txt
    /// (review the change with `git diff listings/`).
    Bless {
        /// Another book to bless, e.g. tests/fixtures/tiny-book.
        book_dir: Option<PathBuf>,
        /// Record again only what drifted with a new toolchain (rustc's or
        /// the standard library's text), never a change of a program's own
        /// output; say what changed.
        #[arg(long)]
        drift: bool,
    },
    /// Add the next listing to listings/CHAPTER/, with the files its kind
    /// needs.
    NewListing {
        /// The chapter's directory under listings/, e.g. ch02-guessing-game.
        chapter: String,
        /// What the chapter shows of it.
        #[arg(long, value_enum, default_value_t = Kind::Output)]
        kind: Kind,
    },
    /// Build a fixture book (e.g. tests/fixtures/course-book) into DEST
    /// with this book's theme, for the browser suite.
    BuildFixture { fixture: PathBuf, dest: PathBuf },
    /// Install the pinned mdbook (what `serve` runs).
    InstallTools,
    /// The harness's own proof, which `cargo test` (the book's checks)
    /// does not run: the unit tests of the harness, the sandbox and xtask,
    /// the broken-book tests, the short cache differential, skeptic's
    /// proof blocks, and the benchmarks compiled.
    Test {
        /// Also what CI runs on top: two clones on one target directory,
        /// and eight seeded sequences of forty edits for the cache.
        #[arg(long)]
        long: bool,
        /// Passed on to the test binaries, e.g. a test's name.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build the book and a default mdBook build of the same chapters, and
    /// print what each page downloads (a benchmark; needs node, chromium and
    /// `npm ci --prefix tests/browser`).
    PageWeight,
    /// The listing-labels preprocessor, as mdBook runs it (book.toml's
    /// `[preprocessor.listing-labels]`): `supports RENDERER`, or the book as
    /// JSON on stdin.
    #[command(hide = true)]
    ListingLabels { args: Vec<String> },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = harness::checkout().to_path_buf();
    let result = match cli.command {
        Task::Serve { book, args } => {
            let book = book.map_or(root.clone(), |dir| root.join(dir));
            install_tools().and_then(|mdbook| serve::serve(&book, &mdbook, &args))
        }
        Task::Build => build(&root),
        Task::Bless { book_dir, drift } => {
            bless(&book_dir.map_or(root.clone(), |dir| root.join(dir)), drift)
        }
        Task::NewListing { chapter, kind } => new_listing(&root, &chapter, kind),
        Task::BuildFixture { fixture, dest } => {
            build_fixture(&root, &root.join(fixture), &root.join(dest))
        }
        Task::InstallTools => install_tools().map(|_| ()),
        Task::Test { long, args } => harness_tests(&root, long, &args),
        Task::PageWeight => page_weight(&root),
        Task::ListingLabels { args } => harness::checks::labels::run_as_command(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The packages whose tests prove the harness (not the book).
const HARNESS_PACKAGES: [&str; 5] = [
    "harness",
    "sandbox",
    "xtask",
    "course-scale",
    "lesson-01-bench",
];

/// `cargo test` of the harness's packages, then skeptic's proof blocks
/// (tests/skeptic.rs's ignored tests) and the vendored skeptic's own unit
/// tests (its patches among them), then with `long` the ignored tests
/// of the harness (two clones, the long cache differential).
fn harness_tests(root: &Path, long: bool, args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = |extra: &[&str], after: &[&str]| -> Result<(), String> {
        let mut command = Command::new(&cargo);
        command.current_dir(root).arg("test").args(extra);
        // The broken-book tests wait on cargo, rustc and the jail's
        // processes as much as they compute: twice as many at once as
        // the machine has cores (138 s with two at once on two cores, 120
        // s with four). Set here, not inherited: `cargo xtask` runs with
        // the book's own value (.cargo/config.toml); `-- --test-threads N`
        // chooses another.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        command.env("RUST_TEST_THREADS", (2 * cores).to_string());
        command.arg("--").args(after).args(args);
        eprintln!("cargo xtask test: {command:?}");
        match command.status() {
            Ok(status) if status.success() => Ok(()),
            Ok(status) => Err(format!(
                "cargo xtask test: `cargo test {}` failed ({status})",
                extra.join(" ")
            )),
            Err(e) => Err(format!("cargo xtask test: could not start {cargo}: {e}")),
        }
    };
    let packages: Vec<&str> = HARNESS_PACKAGES.iter().flat_map(|p| ["-p", p]).collect();
    let mut packages = packages;
    packages.push("--no-fail-fast");
    run(&packages, &[])?;
    run(&["--test", "skeptic"], &["--ignored", "proof_"])?;
    // Upstream's test of `markdown_files_of_directory` reads its own
    // repository's testing/ folder, which is not vendored.
    run(
        &["-p", "skeptic", "--lib"],
        &["--skip", "tests::test_markdown_files_of_directory"],
    )?;
    if long {
        run(
            &[
                "-p",
                "harness",
                "--test",
                "checkouts",
                "--test",
                "cache_differential",
            ],
            &["--ignored"],
        )?;
    }
    Ok(())
}

fn install_tools() -> Result<PathBuf, String> {
    MDBOOK.ensure()
}

/// Builds the book into book/ with mdBook's own crates, link checking
/// included, as `cargo test` does. It is built aside (target/publish) and
/// judged there, pages as rendered included: only a book whose checks
/// pass replaces book/, so nothing the checks refuse is ever published.
fn build(root: &Path) -> Result<(), String> {
    let checker = Checker::new(root);
    refuse_unless_publishable(&checker, "build")?;
    let reader = harness::engine::trace::Reader::new(&checker.book);
    let aside = root.join("target/publish");
    let _ = std::fs::remove_dir_all(&aside);
    harness::book::problem::report(harness::checks::book_builds::build_into(
        &checker, &reader, &aside,
    ))
    .map_err(|report| {
        let _ = std::fs::remove_dir_all(&aside);
        format!("cargo xtask build did not publish the book (book/ is as it was):\n{report}")
    })?;
    let published = root.join("book");
    let _ = std::fs::remove_dir_all(&published);
    std::fs::rename(&aside, &published)
        .map_err(|e| format!("could not move the built book into book/: {e}"))?;
    eprintln!("Built the book into book/html/.");
    Ok(())
}

/// The book's files, includes, book.toml and pages, checked before
/// anything of it is built or served: what `cargo test` refuses is never
/// published, and no command book.toml names is started.
fn refuse_unless_publishable(checker: &Checker, what: &str) -> Result<(), String> {
    harness::book::problem::report(harness::checks::before_publishing(checker)).map_err(|report| {
        format!("cargo xtask {what} refuses to publish this book until these are fixed (`cargo test` says the same):\n{report}")
    })
}

/// Builds a copy of the fixture book with this book's theme/ and its
/// `additional-css`/`additional-js`, HTML only, into `dest`.
fn build_fixture(root: &Path, fixture: &Path, dest: &Path) -> Result<(), String> {
    let work = root
        .join("target/fixture-books")
        .join(fixture.file_name().unwrap_or_default());
    let _ = std::fs::remove_dir_all(&work);
    for dir in ["src", "listings"] {
        copy_tree(&fixture.join(dir), &work.join(dir))
            .map_err(|e| format!("copying {dir}/: {e}"))?;
    }
    copy_tree(&root.join("theme"), &work.join("theme")).map_err(|e| e.to_string())?;
    let ours: toml::Table = read_toml(&root.join("book.toml"))?;
    let mut theirs: toml::Table = read_toml(&fixture.join("book.toml"))?;
    let html = |t: &toml::Table| {
        t.get("output")
            .and_then(|o| o.get("html"))
            .and_then(|h| h.as_table())
            .cloned()
    };
    let mut merged = html(&theirs).unwrap_or_default();
    for key in ["additional-css", "additional-js"] {
        if let Some(value) = html(&ours).and_then(|h| h.get(key).cloned()) {
            merged.insert(key.into(), value);
        }
    }
    let output = theirs
        .entry("output")
        .or_insert_with(|| toml::Table::new().into());
    if let Some(output) = output.as_table_mut() {
        output.remove("linkcheck2");
        output.insert("html".into(), merged.into());
    }
    std::fs::write(
        work.join("book.toml"),
        toml::to_string(&theirs).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    harness::checks::book_builds::build_default(&work, dest).map_err(|p| p.to_string())?;
    eprintln!(
        "Built {} with the book's theme into {}.",
        fixture.display(),
        dest.display()
    );
    Ok(())
}

fn read_toml(path: &Path) -> Result<toml::Table, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The page-weight benchmark: this book against a default mdBook build (the
/// same chapters and listings, a book.toml with nothing but the title and
/// the edition), measured in Chromium by benches/page-weight/weight.mjs.
fn page_weight(root: &Path) -> Result<(), String> {
    build(root)?;
    let work = root.join("target/page-weight");
    let plain = work.join("default-book");
    let _ = std::fs::remove_dir_all(&work);
    for dir in ["src", "listings"] {
        copy_tree(&root.join(dir), &plain.join(dir)).map_err(|e| format!("copying {dir}/: {e}"))?;
    }
    std::fs::write(
        plain.join("book.toml"),
        "[book]\ntitle = \"Coding by Hand: Rust\"\nsrc = \"src\"\n\n[rust]\nedition = \"2024\"\n",
    )
    .map_err(|e| e.to_string())?;
    let html = work.join("default-html");
    harness::checks::book_builds::build_default(&plain, &html).map_err(|p| p.to_string())?;
    if !root.join("tests/browser/node_modules").exists() {
        run(Command::new("npm")
            .args(["ci", "--prefix", "tests/browser", "--no-audit", "--no-fund"])
            .current_dir(root))?;
    }
    run(Command::new("node")
        .arg("benches/page-weight/weight.mjs")
        .arg("book/html")
        .arg(&html)
        .current_dir(root))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("could not run {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_name() == "target" {
            continue;
        }
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

fn bless(root: &Path, drift: bool) -> Result<(), String> {
    use harness::checks::outputs::Bless;
    let mut checker = Checker::with_work(root, &harness::checkout().join("target"));
    checker.settings.progress = true;
    let mode = if drift { Bless::Drift } else { Bless::All };
    let (problems, blessed) = harness::checks::outputs::bless(&checker, mode);
    eprint!(
        "{}",
        bless_summary(&blessed, checker.book.listings().len(), mode)
    );
    harness::book::problem::report(problems)?;
    eprintln!(
        "Every listing's {EXPECTED_OUTPUT} and transcript.txt now hold what it prints{}. Review with `git diff listings/`.",
        if drift {
            ", where only the toolchain's text changed"
        } else {
            ""
        }
    );
    Ok(())
}

/// What bless changed, listing by listing: each file written (and whose
/// lines changed in it), and under `--drift` each one it left as it was.
fn bless_summary(
    blessed: &[harness::checks::outputs::Blessed],
    listings: usize,
    mode: harness::checks::outputs::Bless,
) -> String {
    let mut text = String::new();
    let written: Vec<_> = blessed.iter().filter(|b| b.written).collect();
    let left: Vec<_> = blessed.iter().filter(|b| !b.written).collect();
    let rustc = harness::running::drift::running_rustc();
    if written.is_empty() {
        text.push_str(&format!(
            "No output changed ({listings} listings, {rustc}).\n"
        ));
    } else {
        text.push_str(&format!(
            "{} output(s) recorded again with {rustc}{}:\n",
            written.len(),
            if mode == harness::checks::outputs::Bless::Drift {
                " (drift: only the toolchain's text changed)"
            } else {
                ""
            }
        ));
        for b in &written {
            text.push_str(&format!(
                "  {}: {}\n",
                b.file.display(),
                harness::running::drift::summary(&b.changed)
            ));
        }
    }
    if !left.is_empty() {
        text.push_str(&format!(
            "{} output(s) not recorded again: their program's own output changed, which drift \
             never explains (review the change, then `cargo xtask bless`):\n",
            left.len()
        ));
        for b in &left {
            text.push_str(&format!(
                "  {}: {}\n",
                b.file.display(),
                harness::running::drift::summary(&b.changed)
            ));
        }
    }
    text
}

fn new_listing(root: &Path, chapter: &str, kind: Kind) -> Result<(), String> {
    let dir = new_listing::create(root, chapter, kind)?;
    let rel = dir.strip_prefix(root).unwrap().display().to_string();
    println!(
        "Created {rel}/. Show it in the chapter (src/{chapter}.md) with:\n\n{}\n\
         Then write the program, and run `cargo xtask bless` to record what it prints.",
        new_listing::chapter_lines(kind, &rel)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    /// `cargo xtask build` is not a way around `cargo test`: a chapter with
    /// a script is refused, naming it, and nothing is built.
    #[test]
    fn a_book_whose_page_checks_fail_is_not_built() {
        let fixture = harness::checkout().join("tests/fixtures/tiny-book");
        let work = tempfile::tempdir().unwrap();
        let root = work.path().join("book");
        super::copy_tree(&fixture, &root).unwrap();
        let chapter = root.join("src/ch01-tiny.md");
        let text = std::fs::read_to_string(&chapter).unwrap();
        std::fs::write(&chapter, format!("{text}\n<script>alert(1)</script>\n")).unwrap();
        let refused = super::build(&root).unwrap_err();
        assert!(
            refused.contains("refuses to publish") && refused.contains("src/ch01-tiny.md"),
            "{refused}"
        );
        assert!(!root.join("book").exists(), "nothing is built");
    }

    /// The book is built aside and judged there: a build whose pages fail
    /// a check (here, a link to no page) leaves the published book as it was.
    #[test]
    fn a_book_that_fails_after_building_leaves_the_published_one_as_it_was() {
        let fixture = harness::checkout().join("tests/fixtures/tiny-book");
        let work = tempfile::tempdir().unwrap();
        let root = work.path().join("book");
        super::copy_tree(&fixture, &root).unwrap();
        let chapter = root.join("src/ch01-tiny.md");
        let text = std::fs::read_to_string(&chapter).unwrap();
        std::fs::write(
            &chapter,
            format!("{text}\nSee [a page](no-such-page.md).\n"),
        )
        .unwrap();
        let published = root.join("book/html/index.html");
        std::fs::create_dir_all(published.parent().unwrap()).unwrap();
        std::fs::write(&published, "the book as it was").unwrap();
        let refused = super::build(&root).unwrap_err();
        assert!(
            refused.contains("did not publish") && refused.contains("no-such-page"),
            "{refused}"
        );
        assert_eq!(
            std::fs::read_to_string(&published).unwrap(),
            "the book as it was"
        );
        assert!(!root.join("target/publish").exists());
    }
}
