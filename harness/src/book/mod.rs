//! The book: its files (read once, no link followed, every read bounded),
//! its chapters, its listings and what they declare, and `Problem`, what a
//! check reports. It knows no check, no fact and no verdict.

pub mod chapters;
pub mod checkout;
pub mod config;
pub mod config_keys;
pub mod files;
pub mod listings;
pub mod metadata;
pub mod model;
pub mod printed;
pub mod problem;
pub mod session;

pub use checkout::checkout;
pub use problem::Problem;
