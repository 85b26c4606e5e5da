//! Runs a program under test contained. The book's checks run programs
//! that contributors wrote (listings, and the `rust` blocks of chapters
//! that skeptic compiles); whatever such a program does, the repository,
//! the machine and the run stay clean and bounded:
//!
//! - [`scratch`]: it starts in a fresh scratch directory, outside the
//!   repository, holding a copy of its listing's files;
//! - [`jail`]: it may write there and nowhere else, has no network and a
//!   fixed environment;
//! - [`terminal`]: it is fed the input the listing declares (else none),
//!   stopped at a time limit and an output limit with its memory bounded,
//!   and nothing it started outlives it.
//!
//! The harness's output and transcript checks and the vendored skeptic use
//! it alike, so a listing behaves the same under each.

pub mod jail;
pub mod scratch;
pub mod terminal;

pub use jail::Jail;
pub use scratch::Scratch;
pub use terminal::{Limits, Ran, Stopped};
