//! The engine: the facts a check reads and the `Reader` that writes them
//! down, the verdict store, the `Checker` every check runs on, and the one
//! loop of the checks that work listing by listing (reuse what is
//! unchanged, run what is pending, keep what passed). It uses the book and
//! running, and knows no check.

pub mod cache;
pub mod checker;
pub mod each;
pub mod trace;
