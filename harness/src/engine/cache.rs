//! Verdicts remembered with what they read. A check's verdict (its
//! problems, pass or fail) is kept in the store with its trace: every fact
//! the check read, with its value then (trace.rs). It is reused only while
//! every one of those facts has the same value now; any change runs the
//! check again. So a verdict depends on exactly what the check read, as it
//! read it, and on nothing else: not on where the checkout is or what it
//! is called, not on a list of what each check "probably" reads.
//!
//! A verdict that holds a failure of the machine rather than of the book
//! (a crate missing offline, a full disk, a sandbox that cannot start, a
//! tool that is missing: `Problem::machine`) is never kept, so the next run
//! tries again instead of repeating it.
//!
//! `CBH_NO_CACHE=1` turns the store off; `CBH_EXPLAIN=1` says, for each
//! check, which verdict it reused or why it ran again.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::book::model::Book;
use crate::book::problem::Problem;
use crate::engine::trace::{Fact, Reader};

/// How many verdicts are kept per check and scope: an author who undoes an
/// edit, or a test that checks a book before and after breaking it, finds
/// the earlier one still there.
const KEPT: usize = 16;

/// A kept verdict.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Kept {
    trace: Vec<(Fact, u64)>,
    problems: Vec<Problem>,
}

/// Every verdict kept of one check, by scope, the newest first: one file
/// per check (`<check>.json`), read once per run, so that a check of
/// hundreds of listings or files opens one file rather than one each.
type Pack = BTreeMap<String, Vec<Kept>>;

/// Where verdicts are kept, and whether to use them.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    used: bool,
    explain: bool,
    /// Each check's verdicts as this run read or kept them.
    packs: Arc<Mutex<HashMap<String, Arc<Pack>>>>,
}

impl Store {
    /// The store in `dir`, used unless `CBH_NO_CACHE` is set, explaining
    /// itself when `CBH_EXPLAIN` is.
    pub fn new(dir: &Path) -> Store {
        Store {
            dir: dir.to_path_buf(),
            used: std::env::var_os("CBH_NO_CACHE").is_none_or(|v| v.is_empty() || v == "0"),
            explain: std::env::var_os("CBH_EXPLAIN").is_some_and(|v| !v.is_empty() && v != "0"),
            packs: Arc::default(),
        }
    }

    /// A store that remembers nothing (as with `CBH_NO_CACHE=1`).
    pub fn off(dir: &Path) -> Store {
        Store {
            used: false,
            ..Store::new(dir)
        }
    }

    pub fn is_used(&self) -> bool {
        self.used
    }

    /// The verdict of `check` on `scope` (a part of the book, or "" for
    /// all of it, with any setting the verdict depends on), reused if one
    /// kept with it still holds, else found by `run` and kept.
    pub fn verdict(
        &self,
        book: &Book,
        check: &str,
        scope: &str,
        run: impl FnOnce(&Reader) -> Vec<Problem>,
    ) -> Vec<Problem> {
        if let Some(problems) = self.lookup(book, check, scope) {
            return problems;
        }
        let reader = Reader::new(book);
        let problems = run(&reader);
        self.keep(check, scope, &reader, &problems);
        problems
    }

    /// A kept verdict of `check` on `scope` whose every fact still holds.
    pub fn lookup(&self, book: &Book, check: &str, scope: &str) -> Option<Vec<Problem>> {
        if !self.used {
            return None;
        }
        let pack = self.pack(check);
        let mut changed: Option<String> = None;
        for verdict in pack.get(scope).into_iter().flatten() {
            match verdict
                .trace
                .iter()
                .find(|(fact, value)| crate::engine::trace::fact_value(book, fact) != *value)
            {
                None => {
                    // A verdict per listing or file is counted, not said
                    // (`summary`), but for the book as a whole.
                    if self.explain && scope.is_empty() {
                        eprintln!(
                            "[verdicts] {check}: reused ({} facts unchanged)",
                            verdict.trace.len()
                        );
                    }
                    return Some(verdict.problems.clone());
                }
                Some((fact, _)) => {
                    changed.get_or_insert_with(|| fact.said());
                }
            }
        }
        if self.explain {
            match changed {
                Some(why) => eprintln!(
                    "[verdicts] {check}{}: checked again: {why}",
                    shown_scope(scope)
                ),
                None => eprintln!(
                    "[verdicts] {check}{}: checked: no verdict kept yet",
                    shown_scope(scope)
                ),
            }
        }
        None
    }

    /// For a check kept per listing or file, how many verdicts it reused
    /// and how many it found again (each of which `lookup` explained).
    pub fn summary(&self, check: &str, reused: usize, checked: usize) {
        if self.explain {
            eprintln!("[verdicts] {check}: {reused} reused, {checked} checked again");
        }
    }

    /// Keeps `problems` as the verdict of `check` on `scope`, with what
    /// `reader` read; not when a problem is the machine's.
    pub fn keep(&self, check: &str, scope: &str, reader: &Reader, problems: &[Problem]) {
        self.keep_each(check, &[(scope.to_string(), reader, problems)]);
    }

    /// [`Store::keep`] for many scopes of one check, written at once.
    pub fn keep_each(&self, check: &str, verdicts: &[(String, &Reader, &[Problem])]) {
        if !self.used {
            return;
        }
        let mut new: Vec<(&str, Kept)> = Vec::new();
        for (scope, reader, problems) in verdicts {
            if let Some(machine) = problems.iter().find(|p| p.machine) {
                if self.explain {
                    eprintln!(
                        "[verdicts] {check}{}: not kept, the machine failed: {}",
                        shown_scope(scope),
                        machine.message.lines().next().unwrap_or_default()
                    );
                }
                continue;
            }
            let trace = reader.trace();
            let problems = problems.to_vec();
            new.push((scope, Kept { trace, problems }));
        }
        if new.is_empty() {
            return;
        }
        // Read again and written whole under another name, then renamed
        // (files.rs), while holding the check's lock: another run that
        // kept verdicts of this check meanwhile keeps them; one that reads
        // at the same time sees the old file or the new, never half; and
        // never through a link.
        let _ = std::fs::create_dir_all(&self.dir);
        let Ok(_lock) = crate::book::files::locked(&self.dir, &self.lock_file(check)) else {
            return;
        };
        let mut pack = self.read_pack(check);
        // Verdicts of another harness or toolchain can never hold again:
        // without them, a check's file stays the size of its live verdicts
        // as the harness and the toolchain are updated.
        for list in pack.values_mut() {
            list.retain(|k| {
                k.trace.iter().all(|(fact, value)| {
                    crate::engine::trace::machine_value(fact).is_none_or(|now| now == *value)
                })
            });
        }
        pack.retain(|_, list| !list.is_empty());
        for (scope, kept) in new {
            let list = pack.entry(scope.to_string()).or_default();
            list.retain(|k| k.trace != kept.trace);
            list.insert(0, kept);
            list.truncate(KEPT);
        }
        if let Ok(json) = serde_json::to_vec(&pack) {
            let _ = crate::book::files::write(&self.dir, &self.pack_file(check), &json);
        }
        self.packs
            .lock()
            .unwrap()
            .insert(check.to_string(), Arc::new(pack));
    }

    /// `check`'s verdicts: as read once this run, or as kept since.
    fn pack(&self, check: &str) -> Arc<Pack> {
        if let Some(pack) = self.packs.lock().unwrap().get(check) {
            return Arc::clone(pack);
        }
        let pack = Arc::new(self.read_pack(check));
        let mut packs = self.packs.lock().unwrap();
        Arc::clone(packs.entry(check.to_string()).or_insert(pack))
    }

    /// `check`'s verdicts as its file holds them (none, if it cannot be
    /// read or parsed: each check then runs again, and keeps anew).
    fn read_pack(&self, check: &str) -> Pack {
        crate::book::files::read(&self.dir, &self.pack_file(check))
            .ok()
            .flatten()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    fn pack_file(&self, check: &str) -> PathBuf {
        PathBuf::from(format!("{check}.json"))
    }

    fn lock_file(&self, check: &str) -> PathBuf {
        PathBuf::from(format!("{check}.lock"))
    }
}

fn shown_scope(scope: &str) -> String {
    if scope.is_empty() {
        String::new()
    } else {
        format!(" [{scope}]")
    }
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Runs `test` (which panics when it fails) unless it passed before with
/// the same files under `inputs` (relative to `root`: files or
/// directories, read as the book's are, nothing left out by name), the same
/// toolchain and the same harness. For tests whose inputs are not the book:
/// the tests of the vendored skeptic, the cache's own differential test. A
/// pass is remembered; a failure is not, so it fails again on the next run.
/// `CBH_NO_CACHE=1` runs it.
pub fn unless_passed(root: &Path, test_name: &str, inputs: &[&str], test: impl FnOnce()) {
    unless_passed_with(root, test_name, inputs_key(root, inputs), test)
}

/// What [`unless_passed`] keys a pass by, for the files under `inputs`
/// (with the toolchain and the harness): for many tests of one binary,
/// which share their inputs, found once.
pub fn inputs_key(root: &Path, inputs: &[&str]) -> u64 {
    let tree =
        crate::book::files::Tree::read(root, &inputs.iter().map(PathBuf::from).collect::<Vec<_>>())
            .unwrap_or_default();
    hash_of((
        crate::running::tools::tool_version("rustc"),
        env!("HARNESS_SOURCE_HASH"),
        tree.entries.iter().collect::<Vec<_>>(),
    ))
}

/// [`unless_passed`], with the inputs' key found by [`inputs_key`].
pub fn unless_passed_with(root: &Path, test_name: &str, inputs: u64, test: impl FnOnce()) {
    if has_passed(root, test_name, inputs) {
        return;
    }
    test();
    remember_pass(root, test_name, inputs);
}

/// Whether `test_name` passed with these inputs, and its pass is kept.
pub fn has_passed(root: &Path, test_name: &str, inputs: u64) -> bool {
    let store = Store::new(&root.join("target/verdicts"));
    store.used && pass_file(&store, test_name, inputs).exists()
}

/// Keeps the pass of `test_name` with these inputs (only a pass is kept: a
/// failure, the book's or the machine's, is found again next time).
pub fn remember_pass(root: &Path, test_name: &str, inputs: u64) {
    let store = Store::new(&root.join("target/verdicts"));
    let path = pass_file(&store, test_name, inputs);
    if path
        .parent()
        .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
    {
        let _ = std::fs::write(&path, "");
    }
}

fn pass_file(store: &Store, test_name: &str, inputs: u64) -> PathBuf {
    let key = hash_of((test_name, inputs));
    store
        .dir
        .join("passed")
        .join(format!("{test_name}-{key:016x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book_with(dir: &Path, chapter: &str) -> Book {
        std::fs::create_dir_all(dir.join("src/target")).unwrap();
        std::fs::write(
            dir.join("book.toml"),
            "[book]\ntitle = \"T\"\n[build]\ncreate-missing = false\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("src/SUMMARY.md"),
            "# Summary\n\n- [One](target/ch01.md)\n",
        )
        .unwrap();
        std::fs::write(dir.join("src/target/ch01.md"), chapter).unwrap();
        Book::load(dir)
    }

    /// A check that reads the chapters: its verdict is reused until a
    /// chapter changes (even one under a folder named `target`, in a
    /// checkout named `book`), and found again when the edit is undone.
    #[test]
    fn a_verdict_is_reused_until_a_file_it_read_changes() {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("book");
        let store = Store {
            used: true,
            explain: false,
            ..Store::new(&work.path().join("verdicts"))
        };
        let runs = std::cell::Cell::new(0);
        let check = |book: &Book| {
            store.verdict(book, "example", "", |reader| {
                runs.set(runs.get() + 1);
                let chapters = reader.chapters().unwrap();
                vec![Problem::new(&chapters[0].file, Some(1), "found")]
            })
        };
        assert_eq!(check(&book_with(&dir, "# One\n")).len(), 1);
        assert_eq!(check(&book_with(&dir, "# One\n")).len(), 1);
        assert_eq!(runs.get(), 1, "the second verdict comes from the store");
        check(&book_with(&dir, "# One, changed\n"));
        assert_eq!(runs.get(), 2, "a changed chapter runs the check again");
        check(&book_with(&dir, "# One\n"));
        assert_eq!(runs.get(), 2, "the verdict before the edit is kept");
        // A file the check did not read changes nothing.
        std::fs::write(dir.join("src/target/unread.txt"), "x").unwrap();
        check(&Book::load(&dir));
        assert_eq!(runs.get(), 2);
    }

    /// Two runs that keep verdicts of one check at once (two test threads,
    /// `cargo test` beside `cargo xtask serve`) each keep theirs: a run
    /// writes its verdicts into the file as it is then, not as it was read.
    #[test]
    fn verdicts_kept_by_two_runs_are_both_kept() {
        let work = tempfile::tempdir().unwrap();
        let book = book_with(&work.path().join("book"), "# One\n");
        let store = || Store {
            used: true,
            explain: false,
            ..Store::new(&work.path().join("verdicts"))
        };
        let (first, second) = (store(), store());
        // Both read the check's (empty) verdicts before either keeps one.
        assert!(first.lookup(&book, "example", "a").is_none());
        assert!(second.lookup(&book, "example", "b").is_none());
        let reader = Reader::new(&book);
        first.keep("example", "a", &reader, &[]);
        second.keep("example", "b", &reader, &[]);
        let third = store();
        assert!(
            third.lookup(&book, "example", "a").is_some(),
            "the first run's verdict was lost"
        );
        assert!(third.lookup(&book, "example", "b").is_some());
    }

    /// A verdict kept by another harness (or with another toolchain) is
    /// dropped when the check next keeps one: it can never hold again, and
    /// the check's file would otherwise grow with every update.
    #[test]
    fn a_verdict_of_another_harness_is_not_kept_on() {
        let work = tempfile::tempdir().unwrap();
        let book = book_with(&work.path().join("book"), "# One\n");
        let dir = work.path().join("verdicts");
        std::fs::create_dir_all(&dir).unwrap();
        let stale = r#"{"old":[{"trace":[["Harness",1]],"problems":[]}]}"#;
        std::fs::write(dir.join("example.json"), stale).unwrap();
        let store = Store {
            used: true,
            explain: false,
            ..Store::new(&dir)
        };
        assert!(store.lookup(&book, "example", "old").is_none());
        store.keep("example", "new", &Reader::new(&book), &[]);
        let pack = std::fs::read_to_string(dir.join("example.json")).unwrap();
        assert!(!pack.contains("\"old\""), "{pack}");
        assert!(pack.contains("\"new\""), "{pack}");
    }

    /// A failure of the machine is reported, and never kept.
    #[test]
    fn a_failure_of_the_machine_is_not_kept() {
        let work = tempfile::tempdir().unwrap();
        let dir = work.path().join("book");
        let store = Store {
            used: true,
            explain: false,
            ..Store::new(&work.path().join("verdicts"))
        };
        let book = book_with(&dir, "# One\n");
        let runs = std::cell::Cell::new(0);
        for _ in 0..2 {
            let problems = store.verdict(&book, "example", "", |_| {
                runs.set(runs.get() + 1);
                vec![Problem::machine("Cargo.toml", "the disk is full")]
            });
            assert_eq!(problems.len(), 1);
        }
        assert_eq!(runs.get(), 2, "the machine's failure was not remembered");
    }
}
