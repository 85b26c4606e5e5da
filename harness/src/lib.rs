//! The book's checks, as a library. `cargo test` (tests/ at the book's root)
//! runs them against the real book and against small broken books under
//! `tests/fixtures/`; build.rs uses `snippets` to feed skeptic; `cargo xtask`
//! (the xtask crate) runs them for authors.

pub mod book;
pub mod cache;
pub mod chapters;
pub mod check;
pub mod coverage;
pub mod figures;
pub mod fragments;
pub mod includes;
pub mod linkcheck;
pub mod lints;
pub mod listings;
pub mod metadata;
pub mod normalize;
pub mod problem;
pub mod runnable;
pub mod snippets;
pub mod spelling;
pub mod stage;
pub mod terminal;
pub mod theme;
pub mod tools;
pub mod transcript;
pub mod verdicts;
pub mod web_links;

pub use problem::Problem;
