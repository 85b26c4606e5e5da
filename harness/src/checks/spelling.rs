//! Spelling: the prose (`src/`) and the listings are checked with typos, a
//! checker that knows common misspellings rather than every word, so it
//! rarely cries wolf. It runs in-process through the library of the pinned
//! typos-cli, configured as its binary would be by `--config` with the
//! book's word list, on the files as the model of the book read them.
//! Words of the book that it would "correct" anyway go in the word list,
//! `tests/words.toml`. Each file's verdict is kept with its own text and
//! the word list (cache.rs): after an edit, only the files that changed are
//! spelled again.

use std::path::{Path, PathBuf};

use crate::book::files::Entry;
use crate::book::model::WORD_LIST;
use crate::book::problem::Problem;
use crate::engine::checker::Checker;
use crate::engine::each::each_remembered;
use crate::engine::trace::Reader;

/// The check's name in the verdict store.
const NAME: &str = "spelling";

/// Every misspelling in the book: in each text file under the chapters'
/// directory and `listings/` (a file that is not UTF-8 is not prose: a
/// program's output of bytes, which the include check says a chapter
/// cannot show).
pub fn check(cx: &Checker) -> Vec<Problem> {
    let book = &cx.book;
    let files: Vec<&Path> = book
        .tree()
        .entries
        .iter()
        .filter(|(path, _)| path.starts_with(book.src()) || path.starts_with("listings"))
        .filter(
            |(_, entry)| matches!(entry, Entry::File(bytes) if std::str::from_utf8(bytes).is_ok()),
        )
        .map(|(path, _)| path.as_path())
        .collect();
    let storage = typos_cli::policy::ConfigStorage::new();
    let mut speller: Option<Result<Speller, Problem>> = None;
    let scope = |file: &&Path| file.display().to_string();
    each_remembered(cx, NAME, &files, scope, |pending, readers| {
        let mut found = Vec::new();
        for (file, reader) in pending.iter().zip(readers) {
            let words = reader.bytes(Path::new(WORD_LIST)).unwrap_or_default();
            let speller = speller.get_or_insert_with(|| Speller::new(&storage, book.root(), words));
            found.push(match speller {
                Ok(speller) => speller.check(reader, file),
                Err(problem) => vec![problem.clone()],
            });
        }
        found
    })
}

/// typos, set up as `typos --config tests/words.toml` would be, with no
/// other configuration read from anywhere.
struct Speller<'s> {
    engine: typos_cli::policy::ConfigEngine<'s>,
    root: PathBuf,
}

impl<'s> Speller<'s> {
    fn new(
        storage: &'s typos_cli::policy::ConfigStorage,
        root: &Path,
        words: &[u8],
    ) -> Result<Speller<'s>, Problem> {
        let could_not = |e: String| {
            Problem::new(
                WORD_LIST,
                None,
                format!("typos could not read the word list: {e}"),
            )
        };
        let text = std::str::from_utf8(words).map_err(|e| could_not(e.to_string()))?;
        let overrides =
            typos_cli::config::Config::from_toml(text).map_err(|e| could_not(format!("{e:#}")))?;
        let root = std::path::absolute(root).map_err(|e| could_not(e.to_string()))?;
        let mut engine = typos_cli::policy::ConfigEngine::new(storage);
        engine.set_isolated(true);
        engine.set_overrides(overrides);
        engine
            .init_dir(&root)
            .map_err(|e| could_not(format!("{e:#}")))?;
        Ok(Speller { engine, root })
    }

    /// The misspellings in `file` (relative to the root), read through
    /// `book`.
    fn check(&self, book: &Reader, file: &Path) -> Vec<Problem> {
        let policy = self.engine.policy(&self.root.join(file));
        let text = book.text(file).unwrap_or_default();
        let mut problems = Vec::new();
        let mut report = |line: Option<usize>, quoted: &str, typo: &typos::Typo<'_>| {
            let expected = match &typo.corrections {
                typos::Status::Corrections(c) if !c.is_empty() => c
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" or "),
                _ => "another word".to_string(),
            };
            problems.push(Problem::new(
                file,
                line,
                format!(
                    "`{}` looks misspelled; expected {expected}.\n    {}\n\
                     If `{}` is right, add it to {WORD_LIST}.",
                    typo.typo,
                    quoted.trim(),
                    typo.typo
                ),
            ));
        };
        let ignored = |span: std::ops::Range<usize>, buffer: &str| {
            policy.ignore.iter().any(|re| {
                re.find_iter(buffer)
                    .any(|m| m.start() < span.end && span.start < m.end())
            })
        };
        if policy.check_filenames
            && let Some(name) = file.file_name().and_then(|n| n.to_str())
        {
            for typo in typos::check_str(name, policy.tokenizer, policy.dict) {
                if !typo.corrections.is_valid() && !ignored(typo.span(), name) {
                    report(None, &file.display().to_string(), &typo);
                }
            }
        }
        if policy.check_files {
            for typo in typos::check_str(text, policy.tokenizer, policy.dict) {
                if typo.corrections.is_valid() || ignored(typo.span(), text) {
                    continue;
                }
                let line = text[..typo.byte_offset].matches('\n').count() + 1;
                let quoted = text.lines().nth(line - 1).unwrap_or_default();
                report(Some(line), quoted, &typo);
            }
        }
        problems
    }
}
