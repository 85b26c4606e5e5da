//! Running: the jail (every cargo, rustc, clippy and program of a listing
//! runs contained), the reader's copy of a listing (staging), terminal
//! sessions, the rules that make outputs comparable, drift and the pinned
//! tools. It uses the book, and knows no check, fact or verdict.

pub mod drift;
pub mod jailed;
pub mod normalize;
pub mod progress;
pub mod settings;
pub mod stage;
pub mod tools;
pub mod transcript;
