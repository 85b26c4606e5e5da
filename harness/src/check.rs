//! The book's checks, in one list. Each is one module of this crate; here it
//! gets a name, what it proves, and the book, walked once and shared by
//! every check that needs it. `tests/book.rs` runs every check of `ALL` on
//! the book (one test each); `tests/broken_books.rs` runs them on broken
//! copies of the fixture books, to see each one fail.
//!
//! Adding a check: write its module (a `check` function that returns every
//! problem it finds), add one line to `ALL`, and a test in
//! `tests/broken_books.rs` that breaks a fixture book and snapshots the
//! report (see README, "Adding a check").

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::chapters::{Chapter, chapters};
use crate::listings::{Listing, TIME_LIMIT};
use crate::{
    Problem, book, coverage, figures, fragments, includes, labels, lints, listings, runnable,
    spelling, theme, web_links,
};

pub use crate::listings::Options as OutputSettings;

/// A check of the book.
#[derive(Debug)]
pub struct Check {
    /// What it proves when it passes, as a test name.
    pub proves: &'static str,
    pub run: fn(&Book) -> Vec<Problem>,
}

/// Every check `cargo test` runs on the book.
pub const ALL: &[Check] = &[
    Check {
        proves: "every_include_names_a_file_and_anchor_that_exist",
        run: |b| {
            b.remembered("includes", "", || {
                b.with_chapters(|c| includes::check(&b.root, c))
            })
        },
    },
    Check {
        proves: "every_link_out_of_the_book_is_a_real_https_address",
        run: |b| b.remembered("web-links", "", || b.with_chapters(web_links::check)),
    },
    Check {
        proves: "every_listing_is_shown_and_every_output_block_is_checked",
        run: |b| {
            b.remembered("coverage", "", || {
                b.with_chapters(|c| coverage::check(&b.root, c, b.listings()))
            })
        },
    },
    Check {
        proves: "every_listing_compiles_and_prints_what_the_book_shows",
        run: |b| b.outputs(&b.output_settings()),
    },
    Check {
        proves: "every_listing_is_rustfmt_and_clippy_clean_or_says_why_not",
        run: |b| b.lints(&b.target.join("lints")),
    },
    Check {
        proves: "the_prose_and_the_listings_are_spelled_right",
        run: |b| b.remembered("spelling", "", || spelling::check(&b.root)),
    },
    Check {
        proves: "the_book_builds_with_no_broken_link_figure_or_run_button",
        run: |b| {
            b.remembered_on("build", b.build_inputs(), || {
                b.build(&b.target.join("html-check"))
            })
        },
    },
    Check {
        proves: "theme_files_that_replace_mdbooks_were_made_for_the_pinned_mdbook",
        run: |b| b.remembered("theme", "", || theme::check(&b.root)),
    },
];

/// A book to check: its root, where checks may build, and its chapters and
/// listings, read once.
#[derive(Debug)]
pub struct Book {
    pub root: PathBuf,
    /// A directory of the book's own for what the checks build.
    pub target: PathBuf,
    chapters: OnceLock<Result<Vec<Chapter>, Problem>>,
    listings: OnceLock<Vec<Listing>>,
}

impl Book {
    pub fn new(root: &Path, target: &Path) -> Book {
        Book {
            root: root.to_path_buf(),
            target: target.to_path_buf(),
            chapters: OnceLock::new(),
            listings: OnceLock::new(),
        }
    }

    /// The chapters as written, or why mdBook could not load the book.
    pub fn chapters(&self) -> Result<&[Chapter], Problem> {
        self.chapters
            .get_or_init(|| book::load(&self.root).map(|b| chapters(&b)))
            .as_deref()
            .map_err(Clone::clone)
    }

    pub fn listings(&self) -> &[Listing] {
        self.listings.get_or_init(|| listings::discover(&self.root))
    }

    /// The check's verdict, remembered by what it depends on (see
    /// `cache.rs`): a check whose inputs did not change is not run again.
    pub fn remembered(
        &self,
        check: &str,
        settings: &str,
        run: impl FnOnce() -> Vec<Problem>,
    ) -> Vec<Problem> {
        crate::cache::verdict(&self.root, check, settings, run)
    }

    /// `remembered`, for a check that reads only part of the book:
    /// `inputs` hashes that part.
    pub fn remembered_on(
        &self,
        check: &str,
        inputs: u64,
        run: impl FnOnce() -> Vec<Problem>,
    ) -> Vec<Problem> {
        crate::cache::verdict_on(&self.root, check, inputs, run)
    }

    /// What the built book depends on: every file of the book, but for the
    /// text of a listing's source files and `output.txt`, which reach the
    /// book only through `{{#include}}`s into code blocks, only their paths;
    /// and each chapter as mdBook expands it, but the text of its code
    /// blocks. So an edit inside a listing that leaves the chapters' links,
    /// headings, figures and blocks as they were does not build the book
    /// again; a new anchor, file or fence does.
    pub fn build_inputs(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        crate::cache::book_hash_but(&self.root, |rel| {
            rel.starts_with("listings")
                && (rel.extension().is_some_and(|e| e == "rs")
                    || rel
                        .file_name()
                        .is_some_and(|n| n == listings::EXPECTED_OUTPUT))
        })
        .hash(&mut hasher);
        match book::expanded_chapters(&self.root) {
            Ok(chapters) => {
                for (chapter, expanded) in chapters {
                    (chapter.file, crate::chapters::shape_hash(&expanded)).hash(&mut hasher);
                }
            }
            Err(problem) => problem.message.hash(&mut hasher),
        }
        hasher.finish()
    }

    /// Runs `check` on the chapters, or reports why they could not load.
    fn with_chapters(&self, check: impl FnOnce(&[Chapter]) -> Vec<Problem>) -> Vec<Problem> {
        match self.chapters() {
            Ok(chapters) => check(chapters),
            Err(problem) => vec![problem],
        }
    }

    fn output_settings(&self) -> OutputSettings {
        OutputSettings {
            work_dir: self.target.join("listings"),
            target_dir: self.target.join("listings/build"),
            time_limit: TIME_LIMIT,
            bless: false,
        }
    }

    /// Every listing is rustfmt- and clippy-clean, or says why not; clippy
    /// builds in `target_dir`. Only the listings that changed are linted
    /// again (see cache.rs).
    pub fn lints(&self, target_dir: &Path) -> Vec<Problem> {
        let lock = std::fs::read(self.root.join("Cargo.lock")).unwrap_or_default();
        self.remembered("lints", "", || {
            crate::cache::per_listing(
                &self.root,
                "listing-lints",
                self.listings(),
                |l| {
                    l.dir
                        .strip_prefix(&self.root)
                        .unwrap_or(&l.dir)
                        .to_path_buf()
                },
                |l| {
                    let mut hasher = std::hash::DefaultHasher::new();
                    std::hash::Hash::hash(&(crate::cache::files_hash(&l.dir), &lock), &mut hasher);
                    std::hash::Hasher::finish(&hasher)
                },
                |to_lint| {
                    let to_lint: Vec<Listing> = to_lint.iter().map(|l| (*l).clone()).collect();
                    lints::check(&self.root, &to_lint, target_dir)
                },
            )
        })
    }

    /// Every listing compiles; every one with an expected output or a
    /// transcript prints it. Blessing writes files, so it always runs.
    pub fn outputs(&self, settings: &OutputSettings) -> Vec<Problem> {
        let run = || {
            self.with_chapters(|chapters| {
                let shown = coverage::shown_in(&self.root, chapters);
                listings::check(&self.root, self.listings(), &shown, settings)
            })
        };
        if settings.bless {
            return run();
        }
        self.remembered("outputs", &format!("{:?}", settings.time_limit), run)
    }

    /// The book builds into `dest` (HTML and mdbook-linkcheck2), every
    /// `#fragment` link in it points at something, every image exists, has
    /// alt text and sits in a captioned figure, and every Rust block has a
    /// Run button where the playground can run it, and none where not.
    pub fn build(&self, dest: &Path) -> Vec<Problem> {
        self.with_chapters(|chapters| {
            if let Err(problems) = book::build(&self.root, dest) {
                return problems;
            }
            let html = dest.join("html");
            let mut problems = fragments::check(&html, chapters);
            problems.extend(figures::check(&html, chapters));
            problems.extend(labels::check(&self.root, &html, chapters));
            problems.extend(runnable::check(
                &self.root,
                &html,
                chapters,
                self.listings(),
            ));
            problems
        })
    }
}

// The checks one at a time, for the broken-book tests and `cargo xtask`.

/// The check of `ALL` whose name is `proves`, on the book at `root`.
fn one(root: &Path, proves: &str) -> Vec<Problem> {
    let check = ALL
        .iter()
        .find(|c| c.proves == proves)
        .expect("a check of ALL");
    (check.run)(&Book::new(root, &root.join("target")))
}

/// Every `{{#include}}` names a file that exists, and an anchor it has.
pub fn includes(root: &Path) -> Vec<Problem> {
    one(root, "every_include_names_a_file_and_anchor_that_exist")
}

/// Every link out of the book is a real https:// address.
pub fn web_links(root: &Path) -> Vec<Problem> {
    one(root, "every_link_out_of_the_book_is_a_real_https_address")
}

/// Every listing is shown; every output block comes from a listing.
pub fn coverage(root: &Path) -> Vec<Problem> {
    one(
        root,
        "every_listing_is_shown_and_every_output_block_is_checked",
    )
}

/// Every listing compiles; every one with an expected output prints it.
pub fn outputs(root: &Path, settings: &OutputSettings) -> Vec<Problem> {
    Book::new(root, &root.join("target")).outputs(settings)
}

/// Every listing is rustfmt- and clippy-clean, or says why not; clippy
/// builds in `target_dir`.
pub fn lints(root: &Path, target_dir: &Path) -> Vec<Problem> {
    let book = Book::new(root, &root.join("target"));
    book.remembered("lints", "", || {
        lints::check(root, book.listings(), target_dir)
    })
}

/// The prose and the listings are spelled right.
pub fn spelling(root: &Path) -> Vec<Problem> {
    one(root, "the_prose_and_the_listings_are_spelled_right")
}

/// The book builds into `dest`, with no broken link, fragment, figure or
/// Run button. (Its verdict may come from the cache, and then nothing is
/// built: `cargo xtask build` calls `Book::build`.)
pub fn build(root: &Path, dest: &Path) -> Vec<Problem> {
    let book = Book::new(root, &root.join("target"));
    book.remembered_on("build", book.build_inputs(), || book.build(dest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the tiny fixture book, and the hash of what its build
    /// depends on.
    fn tiny_book() -> (tempfile::TempDir, Book) {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/tiny-book");
        let copy = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&fixture).into_iter().flatten() {
            let to = copy
                .path()
                .join(entry.path().strip_prefix(&fixture).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let book = Book::new(copy.path(), &copy.path().join("target"));
        (copy, book)
    }

    fn edit(book: &Book, file: &str, from: &str, to: &str) {
        let path = book.root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    const MAIN: &str = "listings/ch01-tiny/listing-01-01/src/main.rs";

    #[test]
    fn the_build_depends_on_a_listings_code_only_through_the_page_shape() {
        let (_copy, book) = tiny_book();
        let before = book.build_inputs();
        edit(&book, MAIN, "let cars = 3;", "let cars = 4;");
        edit(
            &book,
            "listings/ch01-tiny/listing-01-01/output.txt",
            "3 cars",
            "4 cars",
        );
        assert_eq!(book.build_inputs(), before, "code and output only");

        // A raw string holding a line that closes the block's fence.
        let fence = "\n    let _fence = r#\"\n```\n\"#;";
        edit(
            &book,
            MAIN,
            "let cars = 4;",
            &format!("let cars = 4;{fence}"),
        );
        assert_ne!(book.build_inputs(), before, "a fence in the code");
        edit(&book, MAIN, fence, "");
        assert_eq!(book.build_inputs(), before);

        edit(
            &book,
            "src/ch01-tiny.md",
            "A listing:",
            "A listing, [linked](x.md):",
        );
        assert_ne!(book.build_inputs(), before, "a link in the prose");
    }
}
