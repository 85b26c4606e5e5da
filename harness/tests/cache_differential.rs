//! The verdict cache changes no verdict. A copy of the tiny fixture book,
//! in a checkout named `book` (as `git clone URL book` names it), goes
//! through a seeded random sequence of edits; after each one, every check's
//! verdict with the cache must equal its verdict without it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use harness::checks::ALL;
use harness::engine::cache::Store;
use harness::engine::checker::Checker;

/// A small, seeded random number generator (splitmix64): the same seed
/// gives the same edits, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

type Files = BTreeMap<PathBuf, Vec<u8>>;

fn read_tree(dir: &Path, rel: &Path, into: &mut Files) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let rel = rel.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            read_tree(&entry.path(), &rel, into);
        } else {
            into.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
}

/// Makes the book on disk hold exactly `files` (what the checks build, in
/// `target/`, stays).
fn write_book(root: &Path, files: &Files) {
    let mut there = Files::new();
    for top in ["src", "listings", "book.toml", "Cargo.toml"] {
        let path = root.join(top);
        if path.is_dir() {
            read_tree(&path, Path::new(top), &mut there);
        } else if path.is_file() {
            there.insert(top.into(), std::fs::read(&path).unwrap());
        }
    }
    for (rel, content) in files {
        if there.get(rel) != Some(content) {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
    }
    for rel in there.keys().filter(|r| !files.contains_key(*r)) {
        std::fs::remove_file(root.join(rel)).unwrap();
        // And the directories it leaves empty, as git does.
        for dir in rel.ancestors().skip(1) {
            if dir.as_os_str().is_empty() || std::fs::remove_dir(root.join(dir)).is_err() {
                break;
            }
        }
    }
}

/// Every check's problems, as an author reads them, with the verdict
/// store in `store` used, or (`cached` false) as with `CBH_NO_CACHE=1`.
fn verdicts(root: &Path, store: &Path, cached: bool) -> BTreeMap<&'static str, Vec<String>> {
    let store = if cached {
        Store::new(store)
    } else {
        Store::off(store)
    };
    let checker = Checker::new(root).with_store(store);
    ALL.iter()
        .map(|check| {
            let mut problems: Vec<String> = (check.run)(&checker)
                .iter()
                .map(ToString::to_string)
                .collect();
            problems.sort();
            (check.proves, problems)
        })
        .collect()
}

/// One edit a contributor might make, as a change to the book's files.
/// `kind` picks the kind of edit (0 to 9); `None`, a random one.
/// How many kinds of edit there are.
const KINDS: usize = 11;

fn edit(rng: &mut Rng, files: &mut Files, kind: Option<usize>) -> String {
    let paths: Vec<PathBuf> = files.keys().cloned().collect();
    let pick = |rng: &mut Rng, pred: &dyn Fn(&Path) -> bool| -> Option<PathBuf> {
        let found: Vec<&PathBuf> = paths.iter().filter(|p| pred(p)).collect();
        (!found.is_empty()).then(|| found[rng.below(found.len())].clone())
    };
    let change_a_byte = |rng: &mut Rng, files: &mut Files, path: &Path| {
        let bytes = files.get_mut(path).unwrap();
        let printable: Vec<usize> = (0..bytes.len())
            .filter(|&i| bytes[i].is_ascii_alphanumeric())
            .collect();
        if printable.is_empty() {
            return format!("{} (nothing to change)", path.display());
        }
        let at = printable[rng.below(printable.len())];
        let new = b"abcdefghijklmnopqrstuvwxyz0123456789"[rng.below(36)];
        let old = bytes[at];
        bytes[at] = new;
        format!(
            "{} byte {at}: {:?} -> {:?}",
            path.display(),
            old as char,
            new as char
        )
    };
    match kind.unwrap_or_else(|| rng.below(KINDS)) {
        10 => {
            // A listing gains configuration it may not carry (refused).
            let Some(manifest) = pick(rng, &|p| {
                p.starts_with("listings") && p.ends_with("Cargo.toml")
            }) else {
                return "nothing to edit".into();
            };
            let file = manifest
                .with_file_name(["rust-toolchain.toml", ".cargo/config.toml"][rng.below(2)]);
            files.insert(file.clone(), b"[build]\nrustflags = []\n".to_vec());
            format!("configuration added: {}", file.display())
        }
        9 => {
            // A file of the book goes (a chapter, a listing's data, its
            // output); an undo brings it back.
            let Some(path) = pick(rng, &|p| {
                !p.ends_with("book.toml") && !p.ends_with("Cargo.toml")
            }) else {
                return "nothing to edit".into();
            };
            files.remove(&path);
            format!("removed: {}", path.display())
        }
        0 => {
            let Some(path) = pick(rng, &|p| p.ends_with("output.txt")) else {
                return "nothing to edit".into();
            };
            format!("output: {}", change_a_byte(rng, files, &path))
        }
        1 => {
            let Some(path) = pick(rng, &|p| p.extension().is_some_and(|e| e == "rs")) else {
                return "nothing to edit".into();
            };
            format!("source: {}", change_a_byte(rng, files, &path))
        }
        2 => {
            let Some(path) = pick(rng, &|p| {
                p.extension().is_some_and(|e| e == "md") && !p.ends_with("SUMMARY.md")
            }) else {
                return "nothing to edit".into();
            };
            format!("chapter: {}", change_a_byte(rng, files, &path))
        }
        3 => {
            let Some(path) = pick(rng, &|p| {
                p.starts_with("listings") && p.ends_with("Cargo.toml")
            }) else {
                return "nothing to edit".into();
            };
            let text = String::from_utf8(files[&path].clone()).unwrap();
            let new = if text.contains("caption") {
                text.lines()
                    .filter(|l| !l.starts_with("caption"))
                    .map(|l| format!("{l}\n"))
                    .collect()
            } else if text.contains("[package.metadata.listing]") {
                text.replace(
                    "[package.metadata.listing]\n",
                    "[package.metadata.listing]\ncaption = \"A caption\"\n",
                )
            } else {
                format!("{text}\n[package.metadata.listing]\ncaption = \"A caption\"\n")
            };
            files.insert(path.clone(), new.into_bytes());
            format!("metadata: {} caption toggled", path.display())
        }
        4 => {
            let Some(dir) = pick(rng, &|p| {
                p.starts_with("listings") && p.ends_with("Cargo.toml")
            }) else {
                return "nothing to edit".into();
            };
            let data = dir.with_file_name("notes.txt");
            let text = format!("note {}\n", rng.below(1000));
            files.insert(data.clone(), text.into_bytes());
            format!("data file: {}", data.display())
        }
        5 => {
            let Some(from) = pick(rng, &|p| {
                p.starts_with("listings") && p.ends_with("Cargo.toml")
            }) else {
                return "nothing to edit".into();
            };
            let from_dir = from.parent().unwrap().to_path_buf();
            let n = 10 + rng.below(80);
            let to_dir = from_dir.with_file_name(format!("listing-01-{n:02}"));
            let copies: Vec<(PathBuf, Vec<u8>)> = files
                .iter()
                .filter_map(|(p, c)| {
                    let rest = p.strip_prefix(&from_dir).ok()?;
                    Some((to_dir.join(rest), c.clone()))
                })
                .collect();
            for (p, c) in copies {
                let c = if p.ends_with("Cargo.toml") {
                    String::from_utf8(c)
                        .unwrap()
                        .replace(
                            &format!(
                                "name = \"{}\"",
                                from_dir.file_name().unwrap().to_str().unwrap()
                            ),
                            &format!("name = \"listing-01-{n:02}\""),
                        )
                        .into_bytes()
                } else {
                    c
                };
                files.insert(p, c);
            }
            let chapter = PathBuf::from("src/ch01-tiny.md");
            // The chapter may have been removed by an earlier edit: then
            // the new listing is shown nowhere (the coverage check's case).
            if let Some(text) = files.get(&chapter) {
                let text = String::from_utf8(text.clone()).unwrap();
                let shown = format!(
                    "\nAnother:\n\n```rust,noplayground\n{{{{#rustdoc_include ../{}/src/main.rs}}}}\n```\n",
                    to_dir.display()
                );
                files.insert(chapter, (text + &shown).into_bytes());
            }
            format!("listing added: {}", to_dir.display())
        }
        6 => {
            let Some(dir) = pick(rng, &|p| {
                p.starts_with("listings") && p.ends_with("Cargo.toml")
            }) else {
                return "nothing to edit".into();
            };
            let dir = dir.parent().unwrap().to_path_buf();
            files.retain(|p, _| !p.starts_with(&dir));
            format!("listing removed: {}", dir.display())
        }
        7 => {
            let Some(dir) = pick(rng, &|p| {
                p.starts_with("listings") && p.ends_with("Cargo.toml")
            }) else {
                return "nothing to edit".into();
            };
            let dir = dir.parent().unwrap().to_path_buf();
            let to = dir.with_file_name(format!(
                "{}-renamed",
                dir.file_name().unwrap().to_str().unwrap()
            ));
            let moved: Vec<(PathBuf, Vec<u8>)> = files
                .iter()
                .filter_map(|(p, c)| Some((to.join(p.strip_prefix(&dir).ok()?), c.clone())))
                .collect();
            files.retain(|p, _| !p.starts_with(&dir));
            files.extend(moved);
            format!("listing renamed: {} -> {}", dir.display(), to.display())
        }
        _ => {
            // A folder named as build outputs are, inside the book: the
            // other chapter moves under src/target/ or src/book/.
            let folder = ["target", "book"][rng.below(2)];
            let Some(chapter) = pick(rng, &|p| p.ends_with("ch02-other.md")) else {
                return "nothing to move".into();
            };
            let to = PathBuf::from(format!("src/{folder}/ch02-other.md"));
            let content = files.remove(&chapter).unwrap();
            files.insert(to.clone(), content);
            let summary = PathBuf::from("src/SUMMARY.md");
            // SUMMARY.md may have been removed by an earlier edit.
            if let Some(text) = files.get(&summary) {
                let text = String::from_utf8(text.clone()).unwrap();
                let from = chapter.strip_prefix("src").unwrap().display().to_string();
                let new = to.strip_prefix("src").unwrap().display().to_string();
                files.insert(summary, text.replace(&from, &new).into_bytes());
            }
            format!("chapter moved: {} -> {}", chapter.display(), to.display())
        }
    }
}

/// `steps` edits from `seed`, on a fresh copy of the tiny book named `book`.
/// With `every_kind`, the edits take each kind in turn (an output, a
/// source, a chapter, …), so a short run meets every kind; otherwise each
/// kind is drawn at random.
fn differential(seed: u64, steps: usize, every_kind: bool) {
    let fixture = repository().join("tests/fixtures/tiny-book");
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("book");
    let store = work.path().join("verdicts");
    let mut files = Files::new();
    read_tree(&fixture, Path::new(""), &mut files);
    write_book(&root, &files);
    let mut rng = Rng(seed);
    let mut history: Vec<(String, Files)> = Vec::new();
    let mut done: Vec<String> = Vec::new();
    let mut edits = 0;
    for step in 0..=steps {
        if step > 0 {
            if !history.is_empty() && rng.below(3) == 0 {
                let (what, before) = history.pop().unwrap();
                files = before;
                done.push(format!("undo: {what}"));
            } else {
                let before = files.clone();
                let kind = every_kind.then_some(edits % KINDS);
                edits += 1;
                let what = edit(&mut rng, &mut files, kind);
                history.push((what.clone(), before));
                done.push(what);
            }
            write_book(&root, &files);
        }
        let with_cache = verdicts(&root, &store, true);
        let without = verdicts(&root, &store, false);
        assert!(
            with_cache == without,
            "seed {seed}, step {step}: the cache changed a verdict.\nEdits so far:\n  {}\n\
             With the cache:\n{with_cache:#?}\nWithout:\n{without:#?}",
            done.join("\n  ")
        );
    }
}

/// A short run, on every `cargo xtask test`: it proves the harness's cache, not
/// the book, so it runs again only when the harness, the sandbox, the
/// fixture or this file changes (its pass is remembered, harness/src/cache.rs).
#[test]
fn the_cache_changes_no_verdict() {
    harness::engine::cache::unless_passed(
        repository(),
        "the_cache_changes_no_verdict",
        &[
            "harness/src",
            "sandbox/src",
            "tests/fixtures/tiny-book",
            "harness/tests/cache_differential.rs",
        ],
        || differential(1, 15, true),
    );
}

/// The long run `.ci/run` makes: `CBH_DIFFERENTIAL_SEEDS` seeds (8 unless
/// set) of `CBH_DIFFERENTIAL_STEPS` edits each (40 unless set), as many
/// seeds at once as the machine has cores.
#[test]
#[ignore = "hundreds of steps, minutes; .ci/run runs it"]
fn the_cache_changes_no_verdict_over_hundreds_of_edits() {
    let number = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let steps = number("CBH_DIFFERENTIAL_STEPS", 40) as usize;
    let seeds = number("CBH_DIFFERENTIAL_SEEDS", 8);
    // Each seed on its own copy of the book and its own store: as many at
    // once as the machine has cores (a failure names its seed and step).
    let next = std::sync::atomic::AtomicU64::new(1);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let seed = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if seed > seeds {
                        break;
                    }
                    differential(seed, steps, false);
                }
            });
        }
    });
}

/// The repository's root: the fixture books are in its `tests/fixtures/`.
fn repository() -> &'static Path {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR"));
    harness.parent().unwrap_or(harness)
}
