//! What the checks run on: the model of the book (read once, shared by
//! every check), the verdict store, where checks build, and how listings
//! are run. The list of checks is `crate::checks::ALL`.

use std::path::{Path, PathBuf};

use crate::book::Problem;
use crate::book::model::Book;
use crate::engine::cache::Store;
use crate::engine::trace::Reader;
pub use crate::running::settings::Settings;

/// What the checks run on: the book, read once; the verdicts kept; where
/// they build.
#[derive(Debug)]
pub struct Checker {
    pub book: Book,
    pub store: Store,
    /// A directory of the checks' own, for what they build and stage.
    pub work: PathBuf,
    pub settings: Settings,
}

impl Checker {
    /// The book at `root`, built into `root/target`, its verdicts kept in
    /// `root/target/verdicts` (unless `CBH_NO_CACHE` is set).
    pub fn new(root: &Path) -> Checker {
        Checker::with_work(root, &root.join("target"))
    }

    /// The book at `root`, built into `work`, its verdicts kept in
    /// `work/verdicts`.
    pub fn with_work(root: &Path, work: &Path) -> Checker {
        Checker {
            book: Book::load(root),
            store: Store::new(&work.join("verdicts")),
            work: work.to_path_buf(),
            settings: Settings::default(),
        }
    }

    /// The same, with its verdicts kept in `store`.
    pub fn with_store(mut self, store: Store) -> Checker {
        self.store = store;
        self
    }

    /// Reads the book again (after an edit).
    pub fn reload(&mut self) {
        self.book = Book::load(self.book.root());
    }

    /// `check`'s verdict on the whole book: kept with what `run` read,
    /// reused while all of that is unchanged (cache.rs).
    pub fn remembered(
        &self,
        check: &str,
        run: impl FnOnce(&Reader) -> Vec<Problem>,
    ) -> Vec<Problem> {
        self.store.verdict(&self.book, check, "", run)
    }
}
