//! Each check, fed a broken book, fails with a report that names the
//! broken file; the whole report is kept as a snapshot in
//! tests/snapshots/, so a change to what authors read shows in review
//! (`SNAPSHOTS=overwrite cargo test --test broken_books` rewrites them).
//! Each test starts from a fixture book and breaks one thing in its own
//! copy of it: tests/fixtures/tiny-book, three listings, for the checks of
//! the book; tests/fixtures/course-book, a listing of every kind a Rust
//! course shows, for the listings check.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use harness::Problem;
use harness::cache::Store;
use harness::check::{self, Checker};

/// A copy of the tiny book, one per test. The copy lives in cargo's
/// target directory under the test's name and is kept between runs, with
/// what cargo, clippy and mdBook built in it: a file is written only when
/// its content changes, so a second `cargo test` rebuilds nothing.
struct Book {
    dir: PathBuf,
    /// The fixture it is a copy of.
    fixture: &'static str,
    /// The book as the test wants it: path (relative) → content.
    files: RefCell<BTreeMap<PathBuf, Vec<u8>>>,
}

/// Made in the copy by the checks, not part of the book.
const GENERATED: [&str; 2] = ["target", "book"];

impl Book {
    /// A copy of tests/fixtures/tiny-book.
    fn new() -> Book {
        Book::of("tiny-book")
    }

    /// A copy of tests/fixtures/course-book.
    fn course() -> Book {
        Book::of("course-book")
    }

    fn of(fixture: &'static str) -> Book {
        Book::of_named(fixture, None)
    }

    /// A copy of `fixture`, in a directory called `name` (as `git clone
    /// URL name` calls it), if given.
    fn of_named(fixture: &'static str, name: Option<&str>) -> Book {
        // libtest runs each test on a thread named after it.
        let test = std::thread::current()
            .name()
            .unwrap_or("main")
            .replace("::", "-");
        let mut dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("broken-books")
            .join(test);
        if let Some(name) = name {
            dir.push(name);
        }
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        let mut files = BTreeMap::new();
        read_tree(&source, Path::new(""), &mut files);
        Book {
            dir,
            fixture,
            files: RefCell::new(files),
        }
    }

    /// The copy, brought up to date with the test's changes.
    fn root(&self) -> &Path {
        let files = self.files.borrow();
        std::fs::create_dir_all(&self.dir).unwrap();
        // Earlier versions of these tests linked the copy's verdicts to a
        // shared directory; the checks no longer write through a link.
        let old_link = self.dir.join("target/verdicts");
        if old_link.is_symlink() {
            std::fs::remove_file(old_link).unwrap();
        }
        let mut there = BTreeMap::new();
        read_tree(&self.dir, Path::new(""), &mut there);
        for (rel, content) in files.iter() {
            if there.get(rel) != Some(content) {
                let path = self.dir.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                if path.is_symlink() {
                    std::fs::remove_file(&path).unwrap();
                }
                std::fs::write(path, content).unwrap();
            }
        }
        for rel in there.keys().filter(|rel| !files.contains_key(*rel)) {
            std::fs::remove_file(self.dir.join(rel)).unwrap();
        }
        remove_empty_dirs(&self.dir);
        &self.dir
    }

    /// The checks on the copy, building in its own `target/`. The copies of
    /// one fixture share their verdicts: each is kept with what it read, by
    /// paths in the book and contents, never by where the copy is (see
    /// harness/src/cache.rs). So a listing that a test leaves as it is has
    /// the verdict another test's copy found, and only what the test broke
    /// is built, run and checked again.
    fn checker(&self) -> Checker {
        let shared = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("broken-books-verdicts")
            .join(self.fixture);
        Checker::with_work(self.root(), &self.root().join("target")).with_store(Store::new(&shared))
    }

    /// Replaces `from` (which must be there) with `to` in one file.
    fn edit(&self, file: &str, from: &str, to: &str) -> &Self {
        let mut files = self.files.borrow_mut();
        let content = files
            .get_mut(Path::new(file))
            .unwrap_or_else(|| panic!("the tiny book has no {file}"));
        let text = String::from_utf8(content.clone()).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        *content = text.replacen(from, to, 1).into_bytes();
        self
    }

    fn write(&self, file: &str, content: &str) {
        self.files
            .borrow_mut()
            .insert(PathBuf::from(file), content.as_bytes().to_vec());
    }

    fn remove(&self, file: &str) {
        assert!(self.files.borrow_mut().remove(Path::new(file)).is_some());
    }

    /// Copies every file under directory `from` to the same place under `to`.
    fn copy_dir(&self, from: &str, to: &str) {
        let mut files = self.files.borrow_mut();
        let copies: Vec<(PathBuf, Vec<u8>)> = files
            .iter()
            .filter_map(|(rel, content)| {
                let rest = rel.strip_prefix(from).ok()?;
                Some((Path::new(to).join(rest), content.clone()))
            })
            .collect();
        assert!(!copies.is_empty(), "the tiny book has no {from}");
        files.extend(copies);
    }

    /// The course book without its guessing games, the listings with a
    /// crate from the registry, which would be built again in every copy.
    fn without_the_registry_crate(self) -> Book {
        {
            let mut files = self.files.borrow_mut();
            files.retain(|path, _| {
                !path.starts_with("listings/ch02-guessing-game")
                    && !path.ends_with("ch02-guessing-game.md")
            });
        }
        self.edit(
            "src/SUMMARY.md",
            "- [A guessing game](ch02-guessing-game.md)\n",
            "",
        );
        self
    }

    fn outputs(&self, time_limit: Duration) -> Vec<Problem> {
        let mut checker = self.checker();
        checker.settings.time_limit = time_limit;
        checker.run("every_listing_compiles_and_prints_what_the_book_shows")
    }

    fn lints(&self) -> Vec<Problem> {
        self.checker()
            .run("every_listing_is_rustfmt_and_clippy_clean_or_says_why_not")
    }

    fn build(&self) -> Vec<Problem> {
        self.checker()
            .run("the_book_builds_with_no_broken_link_figure_or_run_button")
    }

    /// The book built again, whatever verdict is kept, for a test that
    /// reads the pages (a kept verdict builds nothing).
    fn built_pages(&self) -> (Vec<Problem>, PathBuf) {
        let problems = self
            .checker()
            .with_store(Store::off(&self.root().join("target/verdicts")))
            .run("the_book_builds_with_no_broken_link_figure_or_run_button");
        (problems, self.root().join("target/html-check/html"))
    }

    /// The `rust` blocks the book hands to skeptic.
    fn snippets(&self, out: &Path) -> Result<Vec<harness::snippets::Snippet>, String> {
        let checker = self.checker();
        let reader = harness::trace::Reader::new(&checker.book);
        harness::snippets::write_for_skeptic(&checker, &reader, &[], out)
    }
}

/// Every file under `dir` (but what the checks generate), by path relative
/// to the book's root.
fn read_tree(dir: &Path, rel: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name();
        if rel.as_os_str().is_empty() && GENERATED.iter().any(|g| name == *g) {
            continue;
        }
        let rel = rel.join(&name);
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            // A link a test made: never followed (it may point at
            // /dev/zero); the copy's next use removes it.
            into.insert(rel, b"a link".to_vec());
        } else if kind.is_dir() {
            read_tree(&entry.path(), &rel, into);
        } else {
            into.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
}

fn remove_empty_dirs(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() && !GENERATED.iter().any(|g| entry.file_name() == *g) {
            remove_empty_dirs(&path);
            let _ = std::fs::remove_dir(&path); // only if it is empty now
        }
    }
}

/// Some problem names `file` and says `what`; and the whole report, as an
/// author reads it, is the test's snapshot in tests/snapshots/.
#[track_caller]
fn assert_problem(problems: &[Problem], file: &str, what: &str) {
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        shown.iter().any(|p| p.contains(file) && p.contains(what)),
        "expected a problem naming {file} and saying {what:?}, got:\n{}",
        shown.join("\n")
    );
    assert_report(problems);
}

thread_local! {
    /// The reports this test has compared with a snapshot.
    static REPORTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The whole report is the snapshot `tests/snapshots/<test>[-N].txt`, the
/// N-th distinct report of the test. `SNAPSHOTS=overwrite` rewrites it.
/// Where a report holds what a varying program printed (threads, random
/// numbers), its snapshot says `...` on a line of its own for those lines,
/// or `[..]` within one (snapbox's wildcards).
#[track_caller]
fn assert_report(problems: &[Problem]) {
    assert!(!problems.is_empty(), "expected the check to fail");
    let report = harness::problem::report(problems.to_vec()).unwrap_err();
    // A refused write reads "Read-only file system" in the sandbox's own
    // root, and "Permission denied" where the kernel allows only its
    // fallback (Landlock): the snapshot holds either as one.
    let refused = regex::Regex::new(
        r#"Os \{ code: (13|30), kind: (PermissionDenied|ReadOnlyFilesystem), message: "[^"]*" \}"#,
    )
    .unwrap();
    let report = refused
        .replace_all(
            &report,
            "Os { [a write refused: read-only, or permission denied] }",
        )
        .into_owned();
    let n = REPORTED.with_borrow_mut(|seen| {
        if seen.contains(&report) {
            return None;
        }
        seen.push(report.clone());
        Some(seen.len())
    });
    let Some(n) = n else { return };
    let test = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    let name = if n == 1 { test } else { format!("{test}-{n}") };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.txt"));
    snapbox::Assert::new()
        // A backslash in a report (`\xff`, a byte that is not UTF-8) is
        // not a Windows path separator.
        .normalize_paths(false)
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .eq(report, snapbox::Data::read_from(&path, None));
}

/// A broken-book test proves the harness, not the book: it runs again when
/// the harness (its sources, the sandbox's, `Cargo.lock`), the vendored
/// skeptic, the fixtures, the snapshots, this file or the toolchain
/// change. A pass is remembered (`harness::cache::unless_passed`), a
/// failure never is; `CBH_NO_CACHE=1` and `SNAPSHOTS=overwrite` run every
/// test.
fn proven(test: impl FnOnce()) {
    if std::env::var_os("SNAPSHOTS").is_some() {
        return test();
    }
    static INPUTS: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        harness::cache::inputs_key(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &[
                "tests/broken_books.rs",
                "tests/fixtures",
                "tests/snapshots",
                "vendor/skeptic",
            ],
        )
    });
    let name = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    harness::cache::unless_passed_with(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &format!("broken-books-{name}"),
        *INPUTS,
        test,
    );
}

const LISTING: &str = "listings/ch01-tiny/listing-01-01";
const CHAPTER: &str = "src/ch01-tiny.md";

#[test]
fn the_tiny_book_unbroken_passes_every_check() {
    proven(|| {
        let book = Book::new();
        let problems = check::includes(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = check::coverage(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = book.outputs(Duration::from_secs(10));
        assert!(problems.is_empty(), "{problems:?}");
        let problems = book.build();
        assert!(problems.is_empty(), "{problems:?}");
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");
        let problems = check::spelling(book.root());
        assert!(problems.is_empty(), "{problems:?}");
    });
}

#[test]
fn one_changed_character_of_an_expected_output_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(&format!("{LISTING}/output.txt"), "3 cars", "3 carz");
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/output.txt"),
            "shown in src/ch01-tiny.md:11",
        );
        assert_problem(&problems, "output.txt", "carz");
        assert_problem(&problems, "output.txt", "cargo xtask bless");
    });
}

#[test]
fn a_listing_that_no_longer_compiles_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars: u8 = \"three\";",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs"),
            "does not compile",
        );
        assert_problem(&problems, &format!("{LISTING}/src/main.rs"), "error[E0308]");
    });
}

#[test]
fn a_listing_that_never_ends_is_stopped() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars = 3;\n    loop { std::hint::spin_loop(); }",
        );
        // What stopped it is the time limit (not the output limit, not a
        // crash): the message says so.
        let problems = book.outputs(Duration::from_secs(2));
        assert_problem(&problems, LISTING, "still running after 2 s");
    });
}

#[test]
fn a_renamed_anchor_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "ANCHOR: here",
            "ANCHOR: there",
        );
        assert_problem(
            &check::includes(book.root()),
            &format!("{CHAPTER}:11"),
            "has no `ANCHOR: here`",
        );
    });
}

#[test]
fn an_include_of_a_missing_file_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "listing-01-01/output.txt",
            "listing-01-01/outptu.txt",
        );
        assert_problem(
            &check::includes(book.root()),
            &format!("{CHAPTER}:17"),
            "outptu.txt, which does not exist",
        );
    });
}

#[test]
fn a_summary_entry_whose_file_is_missing_fails() {
    proven(|| {
        let book = Book::new();
        book.remove("src/ch02-other.md");
        assert_problem(
            &check::includes(book.root()),
            "src/SUMMARY.md",
            "ch02-other.md",
        );
    });
}

#[test]
fn leaving_create_missing_on_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            "book.toml",
            "create-missing = false",
            "create-missing = true",
        );
        assert_problem(
            &check::includes(book.root()),
            "book.toml",
            "create-missing = false",
        );
    });
}

#[test]
fn a_link_to_a_missing_page_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "(ch02-other.md#a-heading)", "(ch03-missing.md)");
        assert_problem(
            &book.build(),
            "src/ch01-tiny.md:40",
            "File not found: ch03-missing.md",
        );
    });
}

#[test]
fn a_missing_image_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "A listing:", "![A train](trian.svg)\n\nA listing:");
        assert_problem(
            &book.build(),
            "src/ch01-tiny.md:8",
            "File not found: trian.svg",
        );
    });
}

#[test]
fn a_broken_fragment_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "#a-heading", "#no-such-heading");
        assert_problem(&book.build(), &format!("{CHAPTER}:40"), "#no-such-heading");
    });
}

#[test]
fn a_listing_no_chapter_shows_fails() {
    proven(|| {
        let book = Book::new();
        book.copy_dir(LISTING, "listings/ch01-tiny/listing-01-09");
        book.edit(
            "listings/ch01-tiny/listing-01-09/Cargo.toml",
            "listing-01-01",
            "listing-01-09",
        );
        assert_problem(
            &check::coverage(book.root()),
            "listings/ch01-tiny/listing-01-09",
            "no chapter shows this listing",
        );
    });
}

#[test]
fn an_output_block_typed_by_hand_fails_unless_marked() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "See [the",
            "```text\na train of 3 cars\n```\n\nSee [the",
        );
        assert_problem(
            &check::coverage(book.root()),
            &format!("{CHAPTER}:40"),
            "looks like program output",
        );
        book.edit(CHAPTER, "```text\na train", "```text,not-output\na train");
        assert!(check::coverage(book.root()).is_empty());
    });
}

#[test]
fn a_web_link_that_is_not_https_or_is_a_placeholder_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
        CHAPTER,
        "A listing:",
        "See [a source](http://lwn.net/x) and [another](https://example.com/paper).\n\nA listing:",
    );
        let problems = check::web_links(book.root());
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "use an https:// address",
        );
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "`example.com` is a placeholder",
        );
    });
}

#[test]
fn a_raw_html_image_that_does_not_exist_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "src=\"train.svg\"", "src=\"trian.svg\"");
        assert_problem(
            &book.build(),
            &format!("{CHAPTER}:4"),
            "the image `trian.svg` does not exist",
        );
    });
}

#[test]
fn a_figure_without_alt_text_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, " alt=\"A small red train.\"", "");
        assert_problem(&book.build(), &format!("{CHAPTER}:4"), "has no alt text");
    });
}

#[test]
fn a_figure_without_a_caption_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "  <figcaption>A train.</figcaption>\n", "");
        assert_problem(
            &book.build(),
            &format!("{CHAPTER}:4"),
            "needs a <figure> with a <figcaption>",
        );
    });
}

const DOES_NOT_COMPILE: &str = "listings/ch01-tiny/listing-01-02";
const PANICS: &str = "listings/ch01-tiny/listing-01-03";

#[test]
fn a_listing_failing_with_another_error_code_than_declared_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(&format!("{DOES_NOT_COMPILE}/Cargo.toml"), "E0382", "E0499");
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{DOES_NOT_COMPILE}/Cargo.toml"),
            "declared to fail with E0499, but rustc said",
        );
        assert_problem(&problems, DOES_NOT_COMPILE, "error[E0382]");
    });
}

#[test]
fn a_listing_declared_not_to_compile_that_compiles_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{DOES_NOT_COMPILE}/src/main.rs"),
            "let train = cars;",
            "let train = cars.clone();",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{DOES_NOT_COMPILE}/Cargo.toml"),
            "declared not to compile (error E0382), but it compiles",
        );
    });
}

#[test]
fn a_listing_declared_to_panic_that_exits_cleanly_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{PANICS}/src/main.rs"),
            "let index = cars.len();",
            "let index = cars.len() - 1;",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{PANICS}/Cargo.toml"),
            "declared to panic, but it exited cleanly",
        );
    });
}

#[test]
fn a_changed_diagnostic_or_panic_message_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{DOES_NOT_COMPILE}/output.txt"),
            "value moved here",
            "value moved over there",
        );
        book.edit(
            &format!("{PANICS}/output.txt"),
            "the len is 3",
            "the len is 4",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{DOES_NOT_COMPILE}/output.txt"),
            "got a diagnostic from rustc that is something else",
        );
        assert_problem(
            &problems,
            &format!("{PANICS}/output.txt"),
            "panicked with a message that is something else",
        );
    });
}

#[test]
fn an_outcome_that_is_not_known_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{PANICS}/Cargo.toml"),
            "outcome = \"panics\"",
            "outcome = \"crashes\"",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{PANICS}/Cargo.toml:8"),
            "unknown variant `crashes`",
        );
    });
}

/// skeptic would compile a does-not-compile block as if it should succeed,
/// and pass a should_panic block that does not compile; such blocks go to
/// the listings check instead, and a tagged block with no such listing is
/// refused.
#[test]
fn blocks_that_fail_on_purpose_are_not_given_to_skeptic() {
    proven(|| {
        let book = Book::new();
        let out = tempfile::tempdir().unwrap();
        let snippets = book.snippets(out.path()).unwrap();
        // Listing-01-01's block is its file, built by the listings check.
        let origins: Vec<&str> = snippets.iter().map(|s| s.origin.as_str()).collect();
        assert!(origins.is_empty(), "{origins:?}");

        book.edit(
            CHAPTER,
            "```rust\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-01",
            "```rust,should_panic\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-01",
        );
        let refused = book.snippets(out.path()).err().unwrap();
        assert!(
            refused.contains(&format!("{CHAPTER}:10"))
                && refused.contains("must show a listing declared to fail"),
            "{refused}"
        );
    });
}

#[test]
fn a_listing_that_is_not_rustfmt_clean_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars=3 ;",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs:3"),
            "not rustfmt-clean",
        );
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs"),
            "+    let cars = 3;",
        );
    });
}

#[test]
fn a_clippy_warning_in_a_listing_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars = 3;\n    let empty = vec![cars].len() == 0;\n    println!(\"{empty}\");",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs:4"),
            "clippy::len_zero",
        );
    });
}

#[test]
fn a_listing_opted_out_of_rustfmt_with_a_reason_skips_it_and_one_without_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars=3 ;",
        );
        let opt_out = format!("{LISTING}/rustfmt.toml");
        book.write(
            &opt_out,
            "# keeps the manuscript's layout\ndisable_all_formatting = true\n",
        );
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");

        book.write(&opt_out, "disable_all_formatting = true\n");
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/rustfmt.toml"),
            "needs a reason",
        );
    });
}

#[test]
fn a_lint_allowed_with_a_reason_is_skipped_and_one_without_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars = 3;\n    let empty = vec![cars].len() == 0;\n    println!(\"{empty}\");",
        );
        book.edit(
        &format!("{LISTING}/Cargo.toml"),
        "[dependencies]",
        "[package.metadata.listing.allow]\n\"clippy::len_zero\" = \"shows len() == 0 on purpose\"\n\n[dependencies]",
    );
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");

        // Only that lint: another one still fails.
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "println!(\"{empty}\");",
            "println!(\"{empty}\");\n    let _ = cars.clone();",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs:6"),
            "clippy::clone_on_copy",
        );

        book.edit(
            &format!("{LISTING}/Cargo.toml"),
            "\"shows len() == 0 on purpose\"",
            "\" \"",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/Cargo.toml:8"),
            "needs a reason",
        );
    });
}

#[test]
fn a_listing_that_does_not_compile_on_purpose_is_not_given_to_clippy() {
    proven(|| {
        // listing-01-02 fails with E0382 by design; it must still be formatted.
        let book = Book::new();
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");
        book.edit(
            "listings/ch01-tiny/listing-01-02/src/main.rs",
            "let train = cars;",
            "let train=cars;",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            "listing-01-02/src/main.rs:3",
            "not rustfmt-clean",
        );
    });
}

#[test]
fn a_misspelled_word_in_the_prose_fails_unless_it_is_in_the_word_list() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "A listing:", "A listing that teh reader runs:");
        let problems = check::spelling(book.root());
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "`teh` looks misspelled; expected `the`",
        );
        assert_problem(&problems, CHAPTER, "A listing that teh reader runs:");

        book.write(
            harness::model::WORD_LIST,
            "[default.extend-words]\nteh = \"teh\"\n",
        );
        let problems = check::spelling(book.root());
        assert!(problems.is_empty(), "{problems:?}");
    });
}

#[test]
fn a_listing_without_a_run_button_fails() {
    proven(|| {
        // All three listings, the two that fail on purpose too, are runnable.
        let book = Book::new();
        assert!(book.build().is_empty());
        book.edit(
            CHAPTER,
            "```rust\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-02",
            "```rust,noplayground\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-02",
        );
        let problems = book.build();
        assert_problem(&problems, &format!("{CHAPTER}:22"), "no Run button");
    });
}

#[test]
fn a_listing_without_its_label_or_a_label_without_a_listing_fails() {
    proven(|| {
        // Without the preprocessor, no block says which listing and file it is.
        let book = Book::new();
        let labels = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-book/book.toml"),
        )
        .unwrap();
        let start = labels.find("[preprocessor.listing-labels]").unwrap();
        let end = start + labels[start..].find("\n\n").unwrap();
        book.edit("book.toml", &labels[start..end], "");
        let problems = book.build();
        assert_problem(
            &problems,
            &format!("{CHAPTER}:10"),
            "the page has no label above it (\"Listing 1-1: src/main.rs\")",
        );

        // A label typed by hand, above a block that shows no listing's file.
        let book = Book::new();
        book.edit(
        CHAPTER,
        "See [the other chapter]",
        "<p class=\"cbh-listing-label\">Listing 9-9: src/lib.rs</p>\n\n```text\ntyped by hand\n```\n\nSee [the other chapter]",
    );
        let problems = book.build();
        assert_problem(
            &problems,
            CHAPTER,
            "this block shows no listing's file, but the page labels it \"Listing 9-9: src/lib.rs\"",
        );
    });
}

// The course book: a listing of every kind a Rust course shows.

const GUESSING_GAME: &str = "listings/ch02-guessing-game/listing-02-01";
const WARNING: &str = "listings/ch03-common-concepts/listing-03-01";
const PARSE_ERROR: &str = "listings/ch03-common-concepts/listing-03-02";
const MODULES: &str = "listings/ch07-modules/listing-07-01";
const PANIC: &str = "listings/ch09-errors/listing-09-01";
const TESTS: &str = "listings/ch11-testing/listing-11-01";
const MINIGREP: &str = "listings/ch12-minigrep/listing-12-01";
const THREADS: &str = "listings/ch16-threads/listing-16-01";

fn outputs(book: &Book) -> Vec<Problem> {
    book.outputs(Duration::from_secs(20))
}

#[test]
fn the_course_book_unbroken_passes_every_check() {
    proven(|| {
        let book = Book::course();
        let problems = outputs(&book);
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(check::includes(book.root()).is_empty());
        let problems = check::coverage(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:#?}");
        let problems = book.build();
        assert!(problems.is_empty(), "{problems:#?}");
    });
}

#[test]
fn a_program_waiting_for_input_the_listing_does_not_give_fails_at_once() {
    proven(|| {
        let book = Book::course();
        book.remove(&format!("{GUESSING_GAME}/input.txt"));
        // "At once": it was stopped because it waited on input it does not
        // have (seen in the kernel's account of what it is blocked on), not by
        // the time limit, which would say "still running after".
        let problems = outputs(&book);
        assert_problem(
            &problems,
            &format!("{GUESSING_GAME}/transcript.txt"),
            "waits for input that the listing does not give",
        );
        let report = harness::problem::report(problems).unwrap_err();
        assert!(!report.contains("still running after"), "{report}");
    });
}

#[test]
fn a_changed_line_of_a_transcript_fails_with_a_diff() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{MINIGREP}/transcript.txt"),
            "A sparrow taps the frosted pane,\nthen",
            "A sparrow taps the frosted pane,\nthen\n",
        );
        assert_problem(
            &outputs(&book),
            &format!("{MINIGREP}/transcript.txt"),
            "the terminal shows something else",
        );
    });
}

#[test]
fn a_wrong_exit_status_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{MINIGREP}/transcript.txt"),
            "$ cargo run -- the\n? 1\n",
            "$ cargo run -- the\n",
        );
        assert_problem(
            &outputs(&book),
            &format!("{MINIGREP}/transcript.txt"),
            "? 1",
        );
    });
}

#[test]
fn a_thread_listing_whose_lines_change_fails_though_their_order_may_not() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{THREADS}/output.txt"),
            "spawned thread: step 3",
            "spawned thread: step 4",
        );
        assert_problem(&outputs(&book), &format!("{THREADS}/output.txt"), "step 4");
    });
}

#[test]
fn a_warning_that_is_gone_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{WARNING}/src/main.rs"),
            "let total = price * quantity;",
            "let total = price * quantity - discount;",
        );
        let problems = outputs(&book);
        assert_problem(
            &problems,
            &format!("{WARNING}/transcript.txt"),
            "warning: unused variable",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{WARNING}/Cargo.toml"),
            "allows `unused_variables`, but",
        );
    });
}

#[test]
fn a_mistyped_metadata_key_fails_at_its_line() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(&format!("{PANIC}/Cargo.toml"), "outcome = ", "outcom = ");
        assert_problem(
            &outputs(&book),
            &format!("{PANIC}/Cargo.toml:8"),
            "unknown field `outcom`",
        );
    });
}

#[test]
fn a_changed_parse_error_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{PARSE_ERROR}/src/main.rs"),
            "let width = 8\n",
            "let width = 8;\n    let depth = 2\n",
        );
        assert_problem(
            &outputs(&book),
            &format!("{PARSE_ERROR}/output.txt"),
            "got a diagnostic from rustc that is something else",
        );
    });
}

#[test]
fn a_failing_test_in_a_cargo_test_transcript_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{TESTS}/src/lib.rs"),
            "vec![334, 333, 333]",
            "vec![333, 333, 334]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{TESTS}/transcript.txt"),
            "the_first_ones_pay_the_extra_cents ... FAILED",
        );
    });
}

#[test]
fn a_module_file_that_changes_what_the_program_prints_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{MODULES}/src/toolbox/tool.rs"),
            "{} ({} g)",
            "{}: {} g",
        );
        assert_problem(
            &outputs(&book),
            &format!("{MODULES}/output.txt"),
            "- hammer: 450 g",
        );
    });
}

#[test]
fn a_panic_that_moves_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{PANIC}/src/main.rs"),
            "\"n/a\", \"23.1\"",
            "\"23.1\", \"n/a\"",
        );
        assert_problem(
            &outputs(&book),
            &format!("{PANIC}/transcript.txt"),
            "running total: 66.6",
        );
    });
}

/// Every block of the course book shows a listing's file, whole or a
/// region (a module, a test file), which the listings check builds: skeptic
/// compiles none of them alone. A block typed in the chapter goes to
/// skeptic; an `ignore` block is refused.
#[test]
fn blocks_that_show_listing_files_are_left_to_the_listings_check() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        let out = tempfile::tempdir().unwrap();
        let snippets = book.snippets(out.path()).unwrap();
        assert!(
            snippets.is_empty(),
            "{:?}",
            snippets.iter().map(|s| &s.origin).collect::<Vec<_>>()
        );

        book.edit(
        "src/ch07-modules.md",
        "The toolbox adds up",
        "```rust\nfn main() {\n    println!(\"typed in the chapter\");\n}\n```\n\nThe toolbox adds up",
    );
        let snippets = book.snippets(out.path()).unwrap();
        let origins: Vec<&str> = snippets.iter().map(|s| s.origin.as_str()).collect();
        assert_eq!(origins, ["src/ch07-modules.md:10"]);

        book.edit(
            "src/ch07-modules.md",
            "```rust\nfn main()",
            "```rust,ignore\nfn main()",
        );
        let refused = book.snippets(out.path()).err().unwrap();
        assert!(
            refused.contains("src/ch07-modules.md:10") && refused.contains("`ignore` is refused"),
            "{refused}"
        );
    });
}

// Hostile and careless listings: whatever a program under test does, the
// repository, the machine and the run stay clean and bounded, and the
// author reads what it did (the sandbox crate).

/// Listing 1-1 with `body` as its shown region.
fn tiny_listing(body: &str) -> String {
    format!("fn main() {{\n    // ANCHOR: here\n{body}    // ANCHOR_END: here\n}}\n")
}

/// Every place a file written as `../../../../name` or `/name` from a
/// listing's directory (or its staged copy) could land, in the repository
/// and out of it.
fn landing_places(book: &Book, name: &str) -> Vec<PathBuf> {
    let mut places = vec![Path::new("/").join(name)];
    for dir in book
        .root()
        .ancestors()
        .chain(Path::new(env!("CARGO_MANIFEST_DIR")).ancestors())
    {
        places.push(dir.join(name));
    }
    places.into_iter().filter(|p| p.exists()).collect()
}

#[test]
fn a_listing_that_writes_its_own_file_passes_and_leaves_the_book_clean() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(
                "    std::fs::write(\"train.txt\", \"3 cars\").expect(\"writes its file\");\n    \
             let cars = std::fs::read_to_string(\"train.txt\").expect(\"reads it back\");\n    \
             println!(\"a train of {cars}\");\n",
            ),
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert!(problems.is_empty(), "{problems:#?}");
        let mut files = BTreeMap::new();
        read_tree(book.root(), Path::new(""), &mut files);
        let litter: Vec<_> = files.keys().filter(|p| p.ends_with("train.txt")).collect();
        assert!(
            litter.is_empty(),
            "the listing's file landed in the book: {litter:?}"
        );
    });
}

#[test]
fn a_listing_that_writes_outside_its_directory_fails_and_writes_nothing() {
    proven(|| {
        let book = Book::new();
        // Beside the book (which the program cannot see), and at the root of
        // the file system (which it sees read-only, or not at all).
        let beside = book.root().join("escaped-absolute.txt");
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(&format!(
            "    let _ = std::fs::write(\"../../../../escaped-relative.txt\", \"out\");\n    \
             let _ = std::fs::write({beside:?}, \"out\");\n    \
             std::fs::write(\"/escaped-absolute.txt\", \"out\").expect(\"writes beside the book\");\n    \
             println!(\"a train of 3 cars\");\n",
        )),
    );
        let problems = book.outputs(Duration::from_secs(10));
        for name in ["escaped-relative.txt", "escaped-absolute.txt"] {
            let landed = landing_places(&book, name);
            for path in &landed {
                let _ = std::fs::remove_file(path);
            }
            assert!(landed.is_empty(), "the listing wrote {landed:?}");
        }
        assert_problem(&problems, LISTING, "writes beside the book: Os {");
        assert_problem(&problems, LISTING, "may write there and nowhere else");
    });
}

#[test]
fn a_listing_that_leaves_a_process_running_fails_at_once_and_leaves_nothing() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(
                "    std::process::Command::new(\"sleep\")\n        .arg(\"613\")\n        \
             .spawn()\n        .expect(\"starts sleep\");\n    println!(\"a train of 3 cars\");\n",
            ),
        );
        // Stopped because it left `sleep` running (not by the time limit).
        let problems = book.outputs(Duration::from_secs(20));
        assert_problem(&problems, LISTING, "left a process running (sleep)");
        let sleeping = std::fs::read_dir("/proc").unwrap().flatten().any(|p| {
            std::fs::read(p.path().join("cmdline")).is_ok_and(|c| c == b"sleep\x00613\x00")
        });
        assert!(!sleeping, "the listing's `sleep 613` still runs");
    });
}

#[test]
fn a_listing_that_prints_without_end_is_stopped_at_the_output_limit() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    let chunk = \"x\".repeat(64 * 1024);\n    loop {\n        println!(\"{chunk}\");\n    }\n",
        ),
    );
        // Stopped by the output limit, not the time limit.
        let problems = book.outputs(Duration::from_secs(20));
        assert_problem(&problems, LISTING, "printed more than 1024 KB");
    });
}

#[test]
fn output_that_is_not_utf8_is_compared_as_bytes() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    use std::io::Write;\n    std::io::stdout()\n        .write_all(b\"a train of 3 cars \\xff\\n\")\n        \
             .expect(\"stdout is open\");\n",
        ),
    );
        book.edit(&format!("{LISTING}/output.txt"), "3 cars", "3 cars ÿ");
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{LISTING}/output.txt"),
            "3 cars \\xff",
        );
    });
}

#[test]
fn an_include_that_reaches_outside_the_repository_fails_whatever_its_block() {
    proven(|| {
        let book = Book::new();
        // More `..` than any checkout has directories.
        let up = "../".repeat(40);
        book.edit(
            CHAPTER,
            "See [the",
            &format!(
                "```text,not-output\n{{{{#include /etc/hostname}}}}\n```\n\n\
             ```rust,ignore\n{{{{#include {up}etc/passwd}}}}\n```\n\n\
             Inline: {{{{#include leak.txt}}}}\n\nSee [the"
            ),
        );
        let root = book.root().to_path_buf();
        std::os::unix::fs::symlink("/etc/passwd", root.join("src/leak.txt")).unwrap();
        let problems = check::includes(&root);
        std::fs::remove_file(root.join("src/leak.txt")).unwrap();
        for line in [41, 45] {
            assert_problem(
                &problems,
                &format!("{CHAPTER}:{line}"),
                "which is outside the book's repository",
            );
        }
        assert_problem(
            &problems,
            &format!("{CHAPTER}:48"),
            "src/leak.txt, which is a symbolic link (to /etc/passwd)",
        );
    });
}

#[test]
fn a_raw_html_link_that_is_not_https_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "A listing:",
            "See <a href=\"http://lwn.net/Articles/1/\">an article</a>.\n\n\
         <figure><img src=\"http://lwn.net/a.png\" alt=\"A chart.\"></figure>\n\nA listing:",
        );
        let problems = check::web_links(book.root());
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "the link `http://lwn.net/Articles/1/`: use an https:// address",
        );
        assert_problem(
            &problems,
            &format!("{CHAPTER}:10"),
            "the link `http://lwn.net/a.png`: use an https:// address",
        );
    });
}

#[test]
fn output_pasted_into_a_block_of_any_language_fails_unless_marked() {
    proven(|| {
        let book = Book::new();
        let languages = ["shell", "sh", "bash", "powershell", "output", "plain"];
        let blocks: String = languages
            .iter()
            .map(|language| format!("```{language}\n$ cargo run\na train of 3 cars\n```\n\n"))
            .collect();
        book.edit(CHAPTER, "See [the", &format!("{blocks}See [the"));
        let problems = check::coverage(book.root());
        for (n, language) in languages.iter().enumerate() {
            assert_problem(
                &problems,
                &format!("{CHAPTER}:{}", 40 + 5 * n),
                &format!("this `{language}` block looks like program output"),
            );
            book.edit(
                CHAPTER,
                &format!("```{language}\n"),
                &format!("```{language},not-output\n"),
            );
        }
        assert!(check::coverage(book.root()).is_empty());
    });
}

/// An output.txt that is not UTF-8 but is what the program prints passes
/// the output check; the chapter that includes it fails, saying why.
#[test]
fn an_output_that_is_not_utf8_cannot_be_included() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    use std::io::Write;\n    std::io::stdout()\n        .write_all(b\"a train of 3 cars \\xff\\n\")\n        \
             .expect(\"stdout is open\");\n",
        ),
    );
        book.files.borrow_mut().insert(
            PathBuf::from(format!("{LISTING}/output.txt")),
            b"a train of 3 cars \xff\n".to_vec(),
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert!(problems.is_empty(), "{problems:#?}");
        assert_problem(
            &check::includes(book.root()),
            &format!("{CHAPTER}:17"),
            "which is not UTF-8 text (line 1, byte \\xff)",
        );
        // Not prose: its words are not spelled (an empty quote was all it got).
        let spelling = check::spelling(book.root());
        assert!(spelling.is_empty(), "{spelling:#?}");
    });
}

// Verdicts that can be trusted: a verdict is reused only while everything
// it read is unchanged, wherever the checkout is and whatever its name; and
// a failure of the machine is never remembered as the book's.

/// The false green: in a clone named `book` (as `git clone URL book` names
/// it), the verdict cache once hashed nothing, and an edited output passed.
/// Here every check passes, then one word of an output changes, and then an
/// anchor the chapter includes is renamed: each fails.
#[test]
fn an_edit_after_a_passing_run_fails_in_a_checkout_named_book() {
    proven(|| {
        let book = Book::of_named("tiny-book", Some("book"));
        assert!(book.root().ends_with("book"));
        assert!(book.outputs(Duration::from_secs(10)).is_empty());
        let includes = check::includes(book.root());
        assert!(includes.is_empty(), "{includes:#?}");
        book.edit(&format!("{LISTING}/output.txt"), "3 cars", "three cars");
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{LISTING}/output.txt"),
            "three cars",
        );
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "ANCHOR: here",
            "ANCHOR: there",
        );
        assert_problem(
            &check::includes(book.root()),
            &format!("{CHAPTER}:11"),
            "has no `ANCHOR: here`",
        );
    });
}

/// The sticky red: a registry crate that cannot be fetched (the machine is
/// offline and cargo's cache lacks it) fails the run as the machine's
/// failure, saying what to run, and is not remembered: with the crate
/// there, the same book passes at once.
#[test]
fn a_crate_missing_offline_is_the_machines_failure_and_not_remembered() {
    proven(|| {
        let book = Book::course();
        let empty = tempfile::tempdir().unwrap();
        // A store of its own, so that the listings are checked, not reused
        // from another test's copy (their verdicts do not depend on which
        // machine's cache holds the crates they resolve to).
        let store = tempfile::tempdir().unwrap();
        let checker = || {
            let mut checker = book.checker().with_store(Store::new(store.path()));
            checker.settings.time_limit = Duration::from_secs(20);
            checker
        };
        let mut offline = checker();
        offline.settings.registry = harness::jailed::Registry {
            cargo_home: empty.path().to_path_buf(),
            offline: true,
        };
        let problems = offline.run("every_listing_compiles_and_prints_what_the_book_shows");
        assert!(problems.iter().all(|p| p.machine), "{problems:#?}");
        assert_problem(
            &problems,
            "Cargo.lock",
            "the machine, not the book: cargo could not fetch the registry crates",
        );
        assert_problem(&problems, "Cargo.lock", "Run `cargo fetch`");
        let problems = checker().run("every_listing_compiles_and_prints_what_the_book_shows");
        assert!(problems.is_empty(), "{problems:#?}");
    });
}

// Contained everywhere: at compile time, in the harness's own reads and
// writes, in what the book may reach, and in what a page may carry.

/// What the chapter shows is what is built: a `[[bin]] path` elsewhere is
/// refused at its line, and so is a `[lints]` table.
#[test]
fn a_manifest_that_builds_another_file_or_relaxes_lints_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/Cargo.toml"),
            "[dependencies]",
            "[[bin]]\nname = \"listing-01-01\"\npath = \"src/real.rs\"\n\n[dependencies]",
        );
        book.write(
            &format!("{LISTING}/src/real.rs"),
            "fn main() {\n    println!(\"a train of 3 cars\");\n}\n",
        );
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{LISTING}/Cargo.toml:9"),
            "so that the file the chapter shows is the file cargo builds",
        );
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/Cargo.toml"),
            "[dependencies]",
            "[lints.clippy]\nall = \"allow\"\n\n[dependencies]",
        );
        assert_problem(
            &book.lints(),
            &format!("{LISTING}/Cargo.toml:7"),
            "a `[lints]` table relaxes lints with no reason given",
        );
    });
}

/// A file the chapter shows that cargo does not compile (a module never
/// declared) fails at the chapter's line, proven by what rustc read.
#[test]
fn a_shown_file_that_is_not_compiled_fails_at_the_chapters_line() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/wagons.rs"),
            "pub fn wagons() -> u32 {\n    4\n}\n",
        );
        book.edit(
        CHAPTER,
        "It prints:",
        "And its wagons:\n\n```rust,noplayground\n{{#include ../listings/ch01-tiny/listing-01-01/src/wagons.rs}}\n```\n\nIt prints:",
    );
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{CHAPTER}:17"),
            "the chapter shows listings/ch01-tiny/listing-01-01/src/wagons.rs, but cargo does not compile it",
        );
    });
}

/// A build script runs in the sandbox: it reads no file of the machine,
/// writes nothing outside the build, has no network, and what it leaves
/// running is killed and named.
#[test]
fn a_build_script_is_contained() {
    proven(|| {
        let book = Book::new();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "a-secret-of-the-machine").unwrap();
        let planted = outside.path().join("planted.txt");
        book.write(
            &format!("{LISTING}/build.rs"),
            &format!(
                "fn main() {{\n    \
             let read = std::fs::read_to_string({secret:?}).is_ok();\n    \
             let wrote = std::fs::write({planted:?}, \"x\").is_ok();\n    \
             let net = std::net::TcpStream::connect(\"1.1.1.1:443\").is_ok();\n    \
             println!(\"cargo:rustc-env=LEAK=read={{read}} wrote={{wrote}} net={{net}}\");\n}}\n"
            ),
        );
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing("    println!(\"a train of 3 cars {}\", env!(\"LEAK\"));\n"),
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/output.txt"),
            "a train of 3 cars read=false wrote=false net=false",
        );
        assert!(!planted.exists(), "the build script wrote outside");
    });
}

/// `include_str!` of a file of the machine does not compile: the build
/// sees only the toolchain, the registry and the listing.
#[test]
fn a_listing_that_includes_a_file_of_the_machine_does_not_compile() {
    proven(|| {
        let book = Book::new();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "a-secret-of-the-machine").unwrap();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(&format!(
                "    println!(\"a train of 3 cars{{}}\", include_str!({secret:?}));\n"
            )),
        );
        let problems = book.outputs(Duration::from_secs(10));
        let report = harness::problem::report(problems.clone()).unwrap_err();
        assert!(report.contains("does not compile"), "{report}");
        assert!(!report.contains("a-secret-of-the-machine"), "{report}");
    });
}

/// A `const` whose evaluation never ends is stopped by rustc's processor
/// time, and the listing it was compiling is named.
#[test]
fn an_endless_const_is_stopped_naming_its_listing() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        "#![allow(long_running_const_eval)]\n\nconst CARS: u64 = {\n    let mut i = 0u64;\n    \
         loop {\n        i = i.wrapping_add(1);\n    }\n};\n\nfn main() {\n    // ANCHOR: here\n    \
         println!(\"a train of {CARS} cars\");\n    // ANCHOR_END: here\n}\n",
    );
        let mut checker = book.checker();
        checker.settings.build_cpu_per_listing = Duration::ZERO;
        checker.settings.build_cpu_base = Duration::from_secs(3);
        let problems = checker.run("every_listing_compiles_and_prints_what_the_book_shows");
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs"),
            "its build was stopped: rustc was still compiling it after 3 s of processor time",
        );
    });
}

/// A build script that leaves a process holding cargo's output open keeps
/// the build waiting: it is stopped at the build's time limit, naming the
/// listing's build.rs (not the workspace, nor a line of cargo's JSON), and
/// what it started is gone.
#[test]
fn a_build_script_that_leaves_a_process_running_is_stopped_naming_it() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/build.rs"),
            "fn main() {\n    // A helper left running, as a careless build script might.\n    \
             let _ = std::process::Command::new(\"sh\")\n        .args([\"-c\", \"sleep 300 &\"])\n        \
             .status();\n}\n",
        );
        let mut checker = book.checker();
        checker.settings.build_cpu_per_listing = Duration::ZERO;
        checker.settings.build_cpu_base = Duration::from_secs(2);
        for check in [
            "every_listing_compiles_and_prints_what_the_book_shows",
            "every_listing_is_rustfmt_and_clippy_clean_or_says_why_not",
        ] {
            let problems = checker.run(check);
            assert_problem(
                &problems,
                &format!("{LISTING}/build.rs"),
                "build script had not finished after 8 s",
            );
            let report = harness::problem::report(problems).unwrap_err();
            assert!(!report.contains("compiler-artifact"), "{report}");
        }
    });
}

/// The files of a listing that are links (to a secret, to /dev/zero, to
/// git's configuration) are refused, naming them, and bless writes
/// through none of them.
#[test]
fn a_listing_file_that_is_a_link_is_refused_and_never_written_through() {
    proven(|| {
        let book = Book::new();
        let root = book.root().to_path_buf();
        // git's configuration, which a `core.fsmonitor` line would make the
        // next `git diff` run.
        let config = root.join(".git/config");
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        std::fs::write(&config, "[core]\n").unwrap();
        let output = root.join(LISTING).join("output.txt");
        std::fs::remove_file(&output).unwrap();
        std::os::unix::fs::symlink("../../../.git/config", &output).unwrap();
        let input = root.join(LISTING).join("input.txt");
        std::os::unix::fs::symlink("/dev/zero", &input).unwrap();
        // The checks on the copy as it is now (`book.checker()` would mend it).
        let checker = Checker::with_work(&root, &root.join("target"));
        let problems = checker.run("every_listing_compiles_and_prints_what_the_book_shows");
        let (bless, _) = harness::outputs::bless(&checker, harness::outputs::Bless::All);
        let files = check::files(&root);
        std::fs::remove_file(&output).unwrap();
        std::fs::remove_file(&input).unwrap();
        assert_eq!(std::fs::read_to_string(&config).unwrap(), "[core]\n");
        assert_problem(
            &problems,
            &format!("{LISTING}/input.txt"),
            "is a symbolic link (to /dev/zero)",
        );
        assert!(
            bless.iter().any(|p| p.message.contains("symbolic link")),
            "{bless:#?}"
        );
        assert_problem(
            &files,
            &format!("{LISTING}/output.txt"),
            "is a symbolic link",
        );
    });
}

/// A SUMMARY.md entry outside the chapters' directory is refused at its
/// line: mdBook would publish that file and write a page beside it.
#[test]
fn a_summary_entry_outside_src_is_refused() {
    proven(|| {
        let book = Book::new();
        book.edit(
            "src/SUMMARY.md",
            "- [Other](ch02-other.md)",
            "- [Other](ch02-other.md)\n- [Outside](../../../../outside.md)",
        );
        assert_problem(
            &check::includes(book.root()),
            "src/SUMMARY.md:5",
            "is outside src/",
        );
    });
}

/// A chapter that includes itself (mdBook expands that ten levels deep:
/// exponentially) fails at once, naming the chain.
#[test]
fn a_chapter_that_includes_itself_fails_naming_the_chain() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "A listing:",
            "{{#include ch01-tiny.md}}\n{{#include ch01-tiny.md}}\n\nA listing:",
        );
        assert_problem(
            &check::includes(book.root()),
            &format!("{CHAPTER}:8"),
            "which includes another file in turn (src/ch01-tiny.md:8",
        );
    });
}

/// book.toml may name only the preprocessors and renderers the harness
/// runs in-process: another is a command of its own.
#[test]
fn a_preprocessor_or_renderer_that_runs_a_command_is_refused() {
    proven(|| {
        let book = Book::new();
        book.edit(
            "book.toml",
            "[output.html]",
            "[preprocessor.evil]\ncommand = \"sh -c 'touch /tmp/cbh-evil'\"\n\n[output.html]",
        );
        assert_problem(
            &check::includes(book.root()),
            "book.toml:18",
            "the book runs only the preprocessors links, index, listing-labels",
        );
        assert!(!Path::new("/tmp/cbh-evil").exists());
    });
}

/// Raw HTML that could run script, embed a page or send the reader on
/// fails at its line.
#[test]
fn active_content_in_a_chapter_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "A listing:",
            "<script>document.title = 'x'</script>\n\n\
         <a href=\"javascript:alert(1)\">a link</a>\n\n\
         <meta http-equiv=\"refresh\" content=\"0;url=https://lwn.net/\">\n\n\
         <form action=\"http://lwn.net/\"><input name=\"q\"></form>\n\n\
         <img src=\"train.svg\" alt=\"A train.\" onload=\"alert(1)\">\n\n\
         <iframe src=\"https://lwn.net/\"></iframe>\n\nA listing:",
        );
        let problems = Checker::new(book.root())
            .run("no_page_carries_a_script_a_frame_or_a_redirect_from_a_chapter");
        for (line, what) in [
            (8, "`<script>`"),
            (10, "javascript:"),
            (12, "http-equiv=\"refresh\""),
            (14, "action=\"http://lwn.net/\""),
            (16, "`onload`"),
            (18, "`<iframe>`"),
        ] {
            assert_problem(&problems, &format!("{CHAPTER}:{line}"), what);
        }
    });
}

/// A program that holds more memory than the limit, or writes more than
/// its limit into its directory, is stopped naming the limit.
#[test]
fn a_program_over_its_memory_or_its_writes_is_stopped_naming_it() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    let mut kept: Vec<Vec<u8>> = Vec::new();\n    for _ in 0..6 * 1024 {\n        \
             kept.push(vec![1; 1 << 20]);\n    }\n    println!(\"a train of {} cars\", kept.len());\n",
        ),
    );
        assert_problem(
            &book.outputs(Duration::from_secs(60)),
            LISTING,
            "used more than 4 GiB of memory",
        );
        // Small files written again and again: 2 GiB in all.
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(
                "    let chunk = vec![0u8; 1 << 20];\n    for i in 0..2048 {\n        \
             std::fs::write(format!(\"car-{}.bin\", i % 64), &chunk).unwrap();\n    }\n    \
             println!(\"a train of 3 cars\");\n",
            ),
        );
        assert_problem(
            &book.outputs(Duration::from_secs(60)),
            LISTING,
            "wrote more than 1 GiB",
        );
        // One file that grows without end.
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    use std::io::Write;\n    let mut file = std::fs::File::create(\"cars.bin\").unwrap();\n    \
             let chunk = vec![0u8; 1 << 20];\n    loop {\n        file.write_all(&chunk).unwrap();\n    }\n",
        ),
    );
        assert_problem(
            &book.outputs(Duration::from_secs(60)),
            LISTING,
            "wrote a file larger than 128 MiB",
        );
    });
}

// A real course's listings as their authors recorded them: declared
// recording settings, lines that may be cut short, fixed randomness, and
// toolchain drift named as drift.

const SEEDED_GAME: &str = "listings/ch02-guessing-game/listing-02-02";
const KETTLE: &str = "listings/ch05-structs/listing-05-01";
const CUT_SHORT: &str = "listings/ch16-threads/listing-16-02";

/// A recording that leaves out one warning but not another fails on the
/// warning it does not declare; a setting that is not a rustc lint's name,
/// or a key the recording does not know, is refused at its line.
#[test]
fn a_warning_the_recording_does_not_declare_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{KETTLE}/Cargo.toml"),
            "allow = [\"dead_code\", \"unused_variables\"]",
            "allow = [\"dead_code\"]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{KETTLE}/transcript.txt"),
            "warning: unused variable: `lid_closed`",
        );
        book.edit(
            &format!("{KETTLE}/Cargo.toml"),
            "allow = [\"dead_code\"]",
            "allow = [\"dead_code\", \"-C opt-level=3\"]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{KETTLE}/Cargo.toml:15"),
            "`-C opt-level=3` is not the name of a rustc lint",
        );
        book.edit(
            &format!("{KETTLE}/Cargo.toml"),
            "allow = [\"dead_code\", \"-C opt-level=3\"]",
            "rustflags = [\"-C\", \"opt-level=3\"]",
        );
        assert_problem(
            &outputs(&book),
            &format!("{KETTLE}/Cargo.toml:15"),
            "unknown field `rustflags`",
        );
    });
}

/// Where `...` stands for the lines a thread cut short may print, the run
/// matches; a line of `main`'s that goes missing fails.
#[test]
fn a_missing_line_outside_the_elided_ones_fails() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        book.edit(
            &format!("{CUT_SHORT}/src/main.rs"),
            "for cup in 1..=3 {",
            "for cup in 1..=2 {",
        );
        assert_problem(
            &outputs(&book),
            &format!("{CUT_SHORT}/output.txt"),
            "- main: pouring cup 3",
        );
    });
}

/// A game whose typed guesses close in on its random secret passes only
/// with the seed that drew it; without the seed, the failure says that the
/// program prints something else at each run, and to declare a seed.
#[test]
fn a_random_number_without_a_seed_fails_naming_it() {
    proven(|| {
        let book = Book::course();
        book.edit(&format!("{SEEDED_GAME}/Cargo.toml"), "seed = 2026\n", "");
        assert_problem(
            &outputs(&book),
            &format!("{SEEDED_GAME}/transcript.txt"),
            "If it draws random numbers, declare a seed",
        );
    });
}

/// The page says how an output was recorded, under it: the warnings left
/// out and what to type to see the same, and that the reader's random
/// numbers will differ. And a transcript's status lines never reach the
/// page. Without the preprocessor that does both, the build says so.
#[test]
fn the_page_says_how_an_output_was_recorded_and_shows_no_status_line() {
    proven(|| {
        let book = Book::course();
        let (problems, html) = book.built_pages();
        assert!(problems.is_empty(), "{problems:#?}");
        let page = std::fs::read_to_string(html.join("ch05-structs.html")).unwrap();
        assert!(
        page.contains("Recorded without rustc's <code>dead_code</code> and <code>unused_variables</code> warnings (a teaching step, finished in the next listings). To see the same, type <code>RUSTFLAGS=\"-A dead_code -A unused_variables\"</code> before the command."),
        "{page}"
    );
        let page = std::fs::read_to_string(html.join("ch12-minigrep.html")).unwrap();
        assert!(page.contains("$ cargo run -- the\n"), "{page}");
        assert!(!page.contains("? 1"), "{page}");
        let toml = std::fs::read_to_string(book.root().join("book.toml")).unwrap();
        let start = toml.find("[preprocessor.listing-labels]").unwrap();
        let end = start + toml[start..].find("\n\n").unwrap();
        book.edit("book.toml", &toml[start..end + 2], "");
        let problems = book.build();
        assert_problem(
            &problems,
            "src/ch12-minigrep.md",
            "a transcript's status line `? 1`",
        );
        assert_problem(
            &problems,
            "src/ch05-structs.md",
            "this block shows an output the reader should know more of",
        );
    });
}

/// `{{#rustdoc_include …/output.txt}}` shows an output as `{{#include}}`
/// does, and counts as its checked output.
#[test]
fn an_output_shown_with_rustdoc_include_counts_as_checked() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "{{#include ../listings/ch01-tiny/listing-01-01/output.txt}}",
            "{{#rustdoc_include ../listings/ch01-tiny/listing-01-01/output.txt}}",
        );
        let problems = check::coverage(book.root());
        assert!(problems.is_empty(), "{problems:#?}");
        book.edit(
            CHAPTER,
            "{{#rustdoc_include ../listings/ch01-tiny/listing-01-01/output.txt}}",
            "a train of 3 cars",
        );
        assert_problem(
            &check::coverage(book.root()),
            CHAPTER,
            "looks like program output",
        );
    });
}

/// An output recorded with another rustc, whose std wording changed: the
/// failure says with which rustc it was recorded and which it was checked
/// with, that only the toolchain's text changed, and what to run;
/// `cargo xtask bless --drift` records it again. A change of the program's
/// own output is never taken for drift, nor recorded again by it.
#[test]
fn toolchain_drift_is_named_as_drift_and_a_programs_change_never_is() {
    proven(|| {
        let book = Book::new();
        let panics = "listings/ch01-tiny/listing-01-03";
        book.write(
        "listings/recorded-with.txt",
        "# The rustc every output.txt and transcript.txt of the book was recorded with\nrustc 1.97.0 (3f5fd8dd4 2026-07-09)\n",
    );
        // The wording another release gave the same panic.
        book.edit(
            &format!("{panics}/output.txt"),
            "index out of bounds: the len is 3 but the index is 3",
            "index out of bounds: the length is 3 but the index is 3",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{panics}/output.txt"),
            "Recorded with rustc 1.97.0 (3f5fd8dd4 2026-07-09), checked with rustc 1.95.0",
        );
        assert_problem(
            &problems,
            &format!("{panics}/output.txt"),
            "Only the toolchain's text changed: this is drift. `cargo xtask bless --drift`",
        );
        // The program's own output changed too: not drift.
        book.edit(
            &format!("{LISTING}/output.txt"),
            "a train of",
            "a train with",
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/output.txt"),
            "The program's own output changed, which drift never explains",
        );
        // bless --drift records the drifted one, and leaves the other.
        let checker = book.checker();
        let root = book.root().to_path_buf();
        let (problems, blessed) = harness::outputs::bless(&checker, harness::outputs::Bless::Drift);
        assert!(problems.is_empty(), "{problems:#?}");
        let written: Vec<String> = blessed
            .iter()
            .map(|b| format!("{} {}", b.file.display(), b.written))
            .collect();
        assert_eq!(
            written,
            [
                format!("{LISTING}/output.txt false"),
                format!("{panics}/output.txt true"),
            ]
        );
        let drifted = std::fs::read_to_string(root.join(panics).join("output.txt")).unwrap();
        assert!(drifted.contains("the len is 3"), "{drifted}");
        let program = std::fs::read_to_string(root.join(LISTING).join("output.txt")).unwrap();
        assert!(program.contains("a train with"), "{program}");
    });
}
