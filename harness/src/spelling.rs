//! Spelling: the prose (`src/`) and the listings are checked with typos, a
//! checker that knows common misspellings rather than every word, so it
//! rarely cries wolf. It runs in-process through the library of the pinned
//! typos-cli, configured as its binary would be by `--config`. Words of the
//! book that it would "correct" anyway go in the book's word list,
//! `tests/words.toml`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use typos_cli::report::{Context, Message, Report};

use crate::Problem;

/// The word list, relative to the book's root.
pub const WORD_LIST: &str = "tests/words.toml";

/// What is spell-checked, relative to the book's root.
const CHECKED: [&str; 2] = ["src", "listings"];

/// One misspelling: where it is, the word, and what typos suggests.
#[derive(Debug)]
struct Typo {
    path: PathBuf,
    line: Option<usize>,
    typo: String,
    corrections: Vec<String>,
}

/// Collects what typos reports, as data.
#[derive(Default)]
struct Collected {
    typos: Mutex<Vec<Typo>>,
    errors: Mutex<Vec<String>>,
}

impl Report for Collected {
    fn report(&self, msg: Message<'_>) -> std::io::Result<()> {
        match msg {
            Message::Typo(t) if !t.corrections.is_valid() => {
                let (path, line) = match &t.context {
                    Some(Context::File(c)) => (c.path.to_path_buf(), Some(c.line_num)),
                    Some(Context::Path(c)) => (c.path.to_path_buf(), None),
                    _ => (PathBuf::new(), None),
                };
                let corrections = match &t.corrections {
                    typos::Status::Corrections(c) => c.iter().map(|s| s.to_string()).collect(),
                    _ => Vec::new(),
                };
                self.typos.lock().unwrap().push(Typo {
                    path,
                    line,
                    typo: t.typo.to_owned(),
                    corrections,
                });
            }
            Message::Error(e) => self.errors.lock().unwrap().push(e.msg.clone()),
            _ => {}
        }
        Ok(())
    }
}

/// Runs typos over `CHECKED` under `root`, as `typos --config WORD_LIST`;
/// only over the files of `only` (relative to `root`), if given. Without
/// `only`, it lists the files it would check, and checks none.
fn find_typos(
    root: &Path,
    only: Option<&std::collections::BTreeSet<PathBuf>>,
) -> anyhow::Result<(Vec<Typo>, Vec<String>, Vec<PathBuf>)> {
    let storage = typos_cli::policy::ConfigStorage::new();
    let mut engine = typos_cli::policy::ConfigEngine::new(&storage);
    let mut overrides = typos_cli::config::Config::default();
    let word_list = root.join(WORD_LIST);
    if word_list.exists()
        && let Some(words) = typos_cli::config::Config::from_file(&word_list)?
    {
        overrides.update(&words);
    }
    engine.set_overrides(overrides);
    let collected = Collected::default();
    let mut listed = Vec::new();
    let root = root.canonicalize()?;
    for dir in CHECKED.iter().map(|d| root.join(d)).filter(|d| d.exists()) {
        let cwd = dir.canonicalize()?;
        engine.init_dir(&cwd)?;
        let walk = engine.walk(&cwd);
        let mut builder = ignore::WalkBuilder::new(&cwd);
        builder
            .skip_stdout(true)
            .hidden(walk.ignore_hidden())
            .ignore(walk.ignore_dot())
            .git_global(walk.ignore_global())
            .git_ignore(walk.ignore_vcs())
            .git_exclude(walk.ignore_vcs())
            .parents(walk.ignore_parent())
            .sort_by_file_name(|a, b| a.cmp(b))
            // What cargo builds inside a listing is not the book's text.
            .filter_entry(|e| e.file_name() != "target");
        let Some(only) = only else {
            listed.extend(
                builder
                    .build()
                    .flatten()
                    .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                    .filter_map(|e| Some(e.path().strip_prefix(&root).ok()?.to_path_buf())),
            );
            continue;
        };
        let root = root.clone();
        let only = only.clone();
        builder.filter_entry(move |e| {
            e.file_name() != "target"
                && (e.file_type().is_some_and(|t| t.is_dir())
                    || e.path().strip_prefix(&root).is_ok_and(|p| only.contains(p)))
        });
        typos_cli::file::walk_path(
            builder.build(),
            &typos_cli::file::Typos,
            &engine,
            &collected,
            false,
        )?;
    }
    let typos = collected.typos.into_inner().unwrap();
    let errors = collected.errors.into_inner().unwrap();
    Ok((typos, errors, listed))
}

/// Every misspelling in the book. Each file's verdict is remembered by its
/// content and the word list (see cache.rs): after an edit, only the files
/// that changed are spelled again.
pub fn check(root: &Path) -> Vec<Problem> {
    let files = match find_typos(root, None) {
        Ok((_, _, files)) => files,
        Err(e) => return vec![could_not_check(e)],
    };
    // A file that is not UTF-8 is not prose (a program's output of bytes;
    // the include check says why a chapter cannot show it).
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| std::fs::read(root.join(f)).is_ok_and(|b| std::str::from_utf8(&b).is_ok()))
        .collect();
    let words = std::fs::read(root.join(WORD_LIST)).unwrap_or_default();
    crate::cache::per_listing(
        root,
        "spelling",
        &files,
        Clone::clone,
        |file| {
            let mut hasher = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(&(&words, std::fs::read(root.join(file)).ok()), &mut hasher);
            std::hash::Hasher::finish(&hasher)
        },
        |to_check| check_files(root, &to_check.iter().map(|f| (*f).clone()).collect()),
    )
}

fn could_not_check(e: anyhow::Error) -> Problem {
    Problem::new(
        WORD_LIST,
        None,
        format!("typos could not check the book: {e:#}"),
    )
}

/// The misspellings in `files` (relative to `root`).
fn check_files(root: &Path, files: &std::collections::BTreeSet<PathBuf>) -> Vec<Problem> {
    let (typos, errors, _) = match find_typos(root, Some(files)) {
        Ok(found) => found,
        Err(e) => return vec![could_not_check(e)],
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut problems: Vec<Problem> = errors
        .into_iter()
        .map(|e| Problem::new(WORD_LIST, None, format!("typos could not read a file: {e}")))
        .collect();
    for typo in typos {
        let quoted = typo
            .line
            .and_then(|n| {
                let text = crate::shown::as_text(&std::fs::read(&typo.path).ok()?);
                Some(text.lines().nth(n.checked_sub(1)?)?.trim().to_string())
            })
            .unwrap_or_default();
        let expected = if typo.corrections.is_empty() {
            "another word".to_string()
        } else {
            typo.corrections
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        problems.push(
            Problem::new(
                &typo.path,
                typo.line,
                format!(
                    "`{}` looks misspelled; expected {expected}.\n    {quoted}\n\
                     If `{}` is right, add it to {WORD_LIST}.",
                    typo.typo, typo.typo
                ),
            )
            .relative_to(&root),
        );
    }
    problems
}
