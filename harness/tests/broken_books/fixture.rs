//! A broken book: a copy of a fixture book with one thing broken, the
//! checks run on it, and its report held to a snapshot.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use harness::Problem;
use harness::checks;
use harness::engine::cache::Store;

/// A copy of the tiny book, one per test. The copy lives in cargo's
/// target directory under the test's name and is kept between runs, with
/// what cargo, clippy and mdBook built in it: a file is written only when
/// its content changes, so a second `cargo test` rebuilds nothing.
pub use harness::engine::checker::Checker;

pub struct Book {
    dir: PathBuf,
    /// The fixture it is a copy of.
    fixture: &'static str,
    /// The book as the test wants it: path (relative) → content.
    pub files: RefCell<BTreeMap<PathBuf, Vec<u8>>>,
}

/// Made in the copy by the checks, not part of the book.
pub const GENERATED: [&str; 2] = ["target", "book"];

impl Book {
    /// A copy of tests/fixtures/tiny-book.
    pub fn new() -> Book {
        Book::of("tiny-book")
    }

    /// A copy of tests/fixtures/course-book.
    pub fn course() -> Book {
        Book::of("course-book")
    }

    pub fn of(fixture: &'static str) -> Book {
        Book::of_named(fixture, None)
    }

    /// A copy of `fixture`, in a directory called `name` (as `git clone
    /// URL name` calls it), if given.
    pub fn of_named(fixture: &'static str, name: Option<&str>) -> Book {
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
        let source = repository().join("tests/fixtures").join(fixture);
        let mut files = BTreeMap::new();
        read_tree(&source, Path::new(""), &mut files);
        Book {
            dir,
            fixture,
            files: RefCell::new(files),
        }
    }

    /// The copy, brought up to date with the test's changes.
    pub fn root(&self) -> &Path {
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
    pub fn checker(&self) -> Checker {
        let shared = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("broken-books-verdicts")
            .join(self.fixture);
        Checker::with_work(self.root(), &self.root().join("target")).with_store(Store::new(&shared))
    }

    /// Replaces `from` (which must be there) with `to` in one file.
    pub fn edit(&self, file: &str, from: &str, to: &str) -> &Self {
        let mut files = self.files.borrow_mut();
        let content = files
            .get_mut(Path::new(file))
            .unwrap_or_else(|| panic!("the tiny book has no {file}"));
        let text = String::from_utf8(content.clone()).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        *content = text.replacen(from, to, 1).into_bytes();
        self
    }

    pub fn write(&self, file: &str, content: &str) {
        self.files
            .borrow_mut()
            .insert(PathBuf::from(file), content.as_bytes().to_vec());
    }

    pub fn remove(&self, file: &str) {
        assert!(self.files.borrow_mut().remove(Path::new(file)).is_some());
    }

    /// Copies every file under directory `from` to the same place under `to`.
    pub fn copy_dir(&self, from: &str, to: &str) {
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
    pub fn without_the_registry_crate(self) -> Book {
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

    pub fn outputs(&self, time_limit: Duration) -> Vec<Problem> {
        let mut checker = self.checker();
        checker.settings.time_limit = time_limit;
        checks::run(
            &checker,
            "every_listing_compiles_and_prints_what_the_book_shows",
        )
    }

    pub fn lints(&self) -> Vec<Problem> {
        checks::run(
            &self.checker(),
            "every_listing_is_rustfmt_and_clippy_clean_or_says_why_not",
        )
    }

    pub fn build(&self) -> Vec<Problem> {
        checks::run(
            &self.checker(),
            "the_book_builds_with_no_broken_link_figure_or_run_button",
        )
    }

    /// The book built again, whatever verdict is kept, for a test that
    /// reads the pages (a kept verdict builds nothing).
    pub fn built_pages(&self) -> (Vec<Problem>, PathBuf) {
        let checker = self
            .checker()
            .with_store(Store::off(&self.root().join("target/verdicts")));
        let problems = checks::run(
            &checker,
            "the_book_builds_with_no_broken_link_figure_or_run_button",
        );
        (problems, self.root().join("target/html-check/html"))
    }

    /// The `rust` blocks the book hands to skeptic.
    pub fn snippets(&self) -> Result<Vec<harness::snippets::Snippet>, String> {
        let checker = self.checker();
        let reader = harness::engine::trace::Reader::new(&checker.book);
        harness::snippets::for_skeptic(&checker, &reader)
    }
}

/// Every file under `dir` (but what the checks generate), by path relative
/// to the book's root.
pub fn read_tree(dir: &Path, rel: &Path, into: &mut BTreeMap<PathBuf, Vec<u8>>) {
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

pub fn remove_empty_dirs(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() && !GENERATED.iter().any(|g| entry.file_name() == *g) {
            remove_empty_dirs(&path);
            let _ = std::fs::remove_dir(&path); // only if it is empty now
        }
    }
}

/// Some problem names `file` and says `what`; and the whole report, as an
/// author reads it, is the test's snapshot in harness/tests/broken_books/snapshots/.
#[track_caller]
pub fn assert_problem(problems: &[Problem], file: &str, what: &str) {
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

/// The whole report is the snapshot `harness/tests/broken_books/snapshots/<test>[-N].txt`, the
/// N-th distinct report of the test. `SNAPSHOTS=overwrite` rewrites it.
/// Where a report holds what a varying program printed (threads, random
/// numbers), its snapshot says `...` on a line of its own for those lines,
/// or `[..]` within one (snapbox's wildcards).
#[track_caller]
pub fn assert_report(problems: &[Problem]) {
    assert!(!problems.is_empty(), "expected the check to fail");
    let report = harness::book::problem::report(problems.to_vec()).unwrap_err();
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
    // libtest names the thread `module::test`: the snapshot is in the
    // module's own folder.
    let (module, name) = name.split_once('-').unwrap_or(("", &name));
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken_books/snapshots")
        .join(module)
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
/// change. A pass is remembered (`harness::engine::cache::unless_passed`), a
/// failure never is; `CBH_NO_CACHE=1` and `SNAPSHOTS=overwrite` run every
/// test.
pub fn proven(test: impl FnOnce()) {
    if std::env::var_os("SNAPSHOTS").is_some() {
        return test();
    }
    static INPUTS: std::sync::LazyLock<u64> = std::sync::LazyLock::new(|| {
        harness::engine::cache::inputs_key(
            repository(),
            &[
                "harness/tests/broken_books",
                "tests/fixtures",
                "vendor/skeptic",
            ],
        )
    });
    let name = std::thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    harness::engine::cache::unless_passed_with(
        repository(),
        &format!("broken-books-{name}"),
        *INPUTS,
        test,
    );
}

/// The repository's root: the fixture books are in its `tests/fixtures/`.
pub fn repository() -> &'static Path {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR"));
    harness.parent().unwrap_or(harness)
}
