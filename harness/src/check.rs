//! The book's checks, in one list. Each is one module of this crate; here it
//! gets a name, what it proves, and how it runs on the [`Checker`]: the
//! model of the book (read once, shared by every check), the verdict store
//! and where checks build. `tests/book.rs` runs every check of `ALL` on the
//! book (one test each); `tests/broken_books.rs` runs them on broken copies
//! of the fixture books, to see each one fail.
//!
//! Adding a check: write its module (a `check` function that reads the
//! book through a `Reader` and returns every problem it finds), add one
//! line to `ALL`, and a test in `tests/broken_books.rs` that breaks a
//! fixture book and snapshots the report (see README, "Adding a check").

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cache::Store;
use crate::model::Book;
use crate::trace::Reader;
use crate::{
    Problem, active_content, builds, coverage, includes, lints, model, outputs, spelling, theme,
    web_links,
};

/// A check of the book.
#[derive(Debug)]
pub struct Check {
    /// What it proves when it passes, as a test name.
    pub proves: &'static str,
    pub run: fn(&Checker) -> Vec<Problem>,
}

/// Every check `cargo test` runs on the book.
pub const ALL: &[Check] = &[
    Check {
        proves: "every_file_of_the_book_is_a_real_file_of_bounded_size",
        run: |c| c.remembered("files", |_| model::refused(&c.book)),
    },
    Check {
        proves: "every_include_names_a_file_and_anchor_that_exist",
        run: |c| c.remembered("includes", includes::check),
    },
    Check {
        proves: "every_link_out_of_the_book_is_a_real_https_address",
        run: |c| c.remembered("web-links", web_links::check),
    },
    Check {
        proves: "no_page_carries_a_script_a_frame_or_a_redirect_from_a_chapter",
        run: |c| c.remembered("active-content", active_content::check),
    },
    Check {
        proves: "every_listing_is_shown_and_every_output_block_is_checked",
        run: |c| c.remembered("coverage", coverage::check),
    },
    Check {
        proves: "every_listing_compiles_and_prints_what_the_book_shows",
        run: outputs::check,
    },
    Check {
        proves: "every_listing_is_rustfmt_and_clippy_clean_or_says_why_not",
        run: lints::check,
    },
    Check {
        proves: "the_prose_and_the_listings_are_spelled_right",
        run: spelling::check,
    },
    Check {
        proves: "the_book_builds_with_no_broken_link_figure_or_run_button",
        run: |c| c.remembered("build", |r| builds::check(c, r)),
    },
    Check {
        proves: "theme_files_that_replace_mdbooks_were_made_for_the_pinned_mdbook",
        run: |c| c.remembered("theme", theme::check),
    },
];

/// How the listings are run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a listing's program (or a session's command) may run.
    pub time_limit: Duration,
    /// Where the listings' registry crates come from.
    pub registry: crate::jailed::Registry,
    /// The processor time a build may take: this much, and more for each
    /// listing it builds (a busy machine compiles slowly; a build past it
    /// never ends, and is stopped naming the crate).
    pub build_cpu_base: Duration,
    pub build_cpu_per_listing: Duration,
    /// Whether long work shows its progress (on a terminal).
    pub progress: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            time_limit: outputs::TIME_LIMIT,
            registry: crate::jailed::Registry::default(),
            build_cpu_base: Duration::from_secs(60),
            build_cpu_per_listing: Duration::from_secs(5),
            progress: false,
        }
    }
}

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

    /// The check of `ALL` whose name is `proves`.
    pub fn run(&self, proves: &str) -> Vec<Problem> {
        let check = ALL
            .iter()
            .find(|c| c.proves == proves)
            .expect("a check of ALL");
        (check.run)(self)
    }
}

// The checks one at a time, for the broken-book tests and `cargo xtask`.

/// Every `{{#include}}` names a file that exists, and an anchor it has.
pub fn includes(root: &Path) -> Vec<Problem> {
    Checker::new(root).run("every_include_names_a_file_and_anchor_that_exist")
}

/// Every link out of the book is a real https:// address.
pub fn web_links(root: &Path) -> Vec<Problem> {
    Checker::new(root).run("every_link_out_of_the_book_is_a_real_https_address")
}

/// Every listing is shown; every output block comes from a listing.
pub fn coverage(root: &Path) -> Vec<Problem> {
    Checker::new(root).run("every_listing_is_shown_and_every_output_block_is_checked")
}

/// The prose and the listings are spelled right.
pub fn spelling(root: &Path) -> Vec<Problem> {
    Checker::new(root).run("the_prose_and_the_listings_are_spelled_right")
}

/// Every file of the book is a real file, and none is too large.
pub fn files(root: &Path) -> Vec<Problem> {
    Checker::new(root).run("every_file_of_the_book_is_a_real_file_of_bounded_size")
}
