//! The book's tools. `cargo test` (in the book's root) runs the checks in
//! these modules against the real book, and against small broken books under
//! `tests/fixtures/`; `cargo xtask` (see `main.rs`) runs them for authors.

pub mod book;
pub mod chapters;
pub mod check;
pub mod coverage;
pub mod figures;
pub mod fragments;
pub mod includes;
pub mod linkcheck;
pub mod lints;
pub mod listings;
pub mod normalize;
pub mod problem;
pub mod runnable;
pub mod snippets;
pub mod spelling;
pub mod tools;
pub mod web_links;

pub use problem::Problem;
