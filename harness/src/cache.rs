//! Verdicts remembered by what was checked. A check's problems are kept in
//! `target/verdicts/` under a key made of everything its verdict depends
//! on: the check (and its settings), every file of the book (but what
//! builds make: `target/`, `book/`, `node_modules/`, `.git/`), the Rust
//! toolchain (`rustc -vV`), and the harness itself (a hash of its sources
//! and of the Cargo.lock it is built with: see its build.rs). When
//! nothing of that changed, the check is not run again: its verdict, pass
//! or fail, is read back. Any change to any of it runs it again.
//! `CBH_NO_CACHE=1` turns this off; blessing never uses it.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::OnceLock;

use crate::Problem;

/// Where verdicts are kept, under the book's root.
const DIR: &str = "target/verdicts";

/// Directories whose files are not the book's.
const NOT_THE_BOOK: [&str; 4] = ["target", "node_modules", ".git", "book"];

/// `check`'s verdict on the book at `root`, from the cache when its key is
/// there, else from `run` (and then kept). `settings` is anything else the
/// verdict depends on.
pub fn verdict(
    root: &Path,
    check: &str,
    settings: &str,
    run: impl FnOnce() -> Vec<Problem>,
) -> Vec<Problem> {
    if std::env::var_os("CBH_NO_CACHE").is_some() {
        return run();
    }
    remembered(root, check, (settings, book_hash(root)), run)
}

/// `verdict`, for a check that says itself what its verdict depends on:
/// `inputs`, a hash of the parts of the book it reads (with its settings).
/// A check that reads less than the whole book is not run again when the
/// rest changes.
pub fn verdict_on(
    root: &Path,
    check: &str,
    inputs: u64,
    run: impl FnOnce() -> Vec<Problem>,
) -> Vec<Problem> {
    if std::env::var_os("CBH_NO_CACHE").is_some() {
        return run();
    }
    remembered(root, check, inputs, run)
}

/// `verdict`, whatever `CBH_NO_CACHE` says.
fn remembered(
    root: &Path,
    check: &str,
    inputs: impl Hash,
    run: impl FnOnce() -> Vec<Problem>,
) -> Vec<Problem> {
    let mut hasher = DefaultHasher::new();
    (check, toolchain(), harness_id(), inputs).hash(&mut hasher);
    let key = hasher.finish();
    let dir = root.join(DIR);
    let path = dir.join(format!("{check}-{key:016x}.json"));
    if let Some(problems) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<Vec<Problem>>(&text).ok())
    {
        return problems;
    }
    let problems = run();
    if std::fs::create_dir_all(&dir).is_ok()
        && let Ok(text) = serde_json::to_string(&problems)
    {
        let _ = std::fs::write(&path, text);
        keep_newest(&dir, &format!("{check}-"), KEPT);
    }
    problems
}

/// How many verdicts are kept per check: an author who undoes an edit, or a
/// test that checks a book before and after breaking it, finds the earlier
/// verdict still there; and the broken-book tests, whose copies of a fixture
/// share their verdicts, find each test's own.
const KEPT: usize = 64;

/// How many verdicts are kept per listing (or file): more than per check,
/// since the copies of a fixture book in the broken-book tests share them,
/// each breaking the same listings in its own way.
const KEPT_PER_LISTING: usize = 64;

/// Removes all but the `n` newest files of `dir` whose names start with
/// `prefix`.
fn keep_newest(dir: &Path, prefix: &str, n: usize) {
    let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, old) in files.into_iter().skip(n) {
        let _ = std::fs::remove_file(old);
    }
}

/// Per-listing verdicts of `check`: the listings whose own key (from
/// `key_of`, which hashes what that listing's verdict depends on) is
/// remembered get their remembered problems; `run` checks the others, and
/// each problem it finds is kept with the listing whose directory holds its
/// file (`dir_of`, relative to `root`). A problem of no listing is not kept.
pub fn per_listing<T>(
    root: &Path,
    check: &str,
    listings: &[T],
    dir_of: impl Fn(&T) -> std::path::PathBuf,
    key_of: impl Fn(&T) -> u64,
    run: impl FnOnce(&[&T]) -> Vec<Problem>,
) -> Vec<Problem> {
    if std::env::var_os("CBH_NO_CACHE").is_some() {
        return run(&listings.iter().collect::<Vec<_>>());
    }
    let dir = root.join(DIR).join(check);
    // Each listing's verdicts are `<its directory, / as +>@<key>.json`.
    let name = |listing: &T| dir_of(listing).to_string_lossy().replace('/', "+") + "@";
    let stored = |listing: &T| {
        let mut hasher = DefaultHasher::new();
        (key_of(listing), toolchain(), harness_id()).hash(&mut hasher);
        dir.join(format!("{}{:016x}.json", name(listing), hasher.finish()))
    };
    let mut problems = Vec::new();
    let mut to_check = Vec::new();
    for listing in listings {
        let remembered = std::fs::read_to_string(stored(listing))
            .ok()
            .and_then(|text| serde_json::from_str::<Vec<Problem>>(&text).ok());
        match remembered {
            Some(found) => problems.extend(found),
            None => to_check.push(listing),
        }
    }
    if to_check.is_empty() {
        return problems;
    }
    let found = run(&to_check);
    let _ = std::fs::create_dir_all(&dir);
    for listing in &to_check {
        let listing_dir = dir_of(listing);
        let own: Vec<Problem> = found
            .iter()
            .filter(|p| p.file.starts_with(&listing_dir))
            .cloned()
            .collect();
        if let Ok(text) = serde_json::to_string(&own) {
            let _ = std::fs::write(stored(listing), text);
            keep_newest(&dir, &name(listing), KEPT_PER_LISTING);
        }
    }
    problems.extend(found);
    problems
}

/// Runs `test` (which panics when it fails) unless it passed before with
/// the same `inputs` (files or directories, relative to `root`), the same
/// toolchain and the same harness. For tests whose inputs are not the book:
/// the tests of the vendored skeptic, say. A pass is remembered; a failure
/// is not, so it fails again on the next run. `CBH_NO_CACHE=1` runs it.
pub fn unless_passed(root: &Path, test_name: &str, inputs: &[&str], test: impl FnOnce()) {
    let mut hasher = DefaultHasher::new();
    (test_name, toolchain(), harness_id()).hash(&mut hasher);
    for input in inputs {
        (input, files_hash(&root.join(input))).hash(&mut hasher);
    }
    let dir = root.join(DIR).join("passed");
    let path = dir.join(format!("{test_name}-{:016x}", hasher.finish()));
    if std::env::var_os("CBH_NO_CACHE").is_none() && path.exists() {
        return;
    }
    test();
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(&path, "");
        keep_newest(&dir, &format!("{test_name}-"), KEPT);
    }
}

/// A hash of the files under `dir` (paths relative to it, and contents),
/// but what builds make.
pub fn files_hash(dir: &Path) -> u64 {
    book_hash(dir)
}

/// A hash of every file of the book at `root`: paths and contents.
pub fn book_hash(root: &Path) -> u64 {
    book_hash_but(root, |_| false)
}

/// A hash of every file of the book at `root`: every path, and the content
/// of every file but those `path_only` (given the path relative to `root`)
/// says to leave out.
pub fn book_hash_but(root: &Path, path_only: impl Fn(&Path) -> bool) -> u64 {
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            !(e.file_type().is_dir() && NOT_THE_BOOK.iter().any(|n| e.file_name() == *n))
        })
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let mut files = files;
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        let rel = file.strip_prefix(root).unwrap_or(&file);
        rel.hash(&mut hasher);
        if !path_only(rel) {
            std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// `rustc -vV`: the toolchain that builds, lints and runs the listings.
fn toolchain() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        std::process::Command::new(rustc)
            .arg("-vV")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    })
}

/// The harness's own code: a hash of its sources and of the Cargo.lock it
/// is built with, made by its build script.
fn harness_id() -> &'static str {
    env!("HARNESS_SOURCE_HASH")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_is_read_back_until_a_file_of_the_book_changes() {
        let book = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(book.path().join("src")).unwrap();
        std::fs::write(book.path().join("src/ch01.md"), "# One\n").unwrap();
        let runs = std::cell::Cell::new(0);
        let check = || {
            remembered(book.path(), "example", book_hash(book.path()), || {
                runs.set(runs.get() + 1);
                vec![Problem::new("src/ch01.md", Some(1), "found")]
            })
        };
        assert_eq!(check().len(), 1);
        assert_eq!(check().len(), 1);
        assert_eq!(runs.get(), 1, "the second verdict comes from the cache");
        // What a build makes is not the book.
        std::fs::create_dir_all(book.path().join("target/x")).unwrap();
        std::fs::write(book.path().join("target/x/y"), "built").unwrap();
        check();
        assert_eq!(runs.get(), 1);
        std::fs::write(book.path().join("src/ch01.md"), "# One, changed\n").unwrap();
        assert_eq!(check().len(), 1);
        assert_eq!(runs.get(), 2, "a changed chapter runs the check again");
        // Undoing the edit finds the first verdict again.
        std::fs::write(book.path().join("src/ch01.md"), "# One\n").unwrap();
        check();
        assert_eq!(runs.get(), 2, "the verdict before the edit is kept");
    }
}
