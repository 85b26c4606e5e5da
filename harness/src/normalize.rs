//! The rules that make compiler and program output read the same on every
//! machine, so that it can be compared with a listing's expected output.
//! This is the one place they are written down:
//!
//! 1. The listing's own directory is dropped from paths, so that a path
//!    reads as it does when the reader runs `cargo run` in the listing:
//!    `listings/ch04-x/listing-04-02/src/main.rs` becomes `src/main.rs`.
//! 2. Any other path under the book's root is made relative to the root.
//! 3. The standard library's sources, `/rustc/<commit hash>/library/…`,
//!    become `/rustc/[HASH]/library/…`; cargo's home directory becomes
//!    `[CARGO_HOME]`.
//! 4. A thread's id after its name, `thread 'main' (12345) panicked`, is
//!    dropped: `thread 'main' panicked`.
//! 5. Timings such as `in 0.52s` or `in 1m 02s` become `in [TIME]`.
//!
//! Programs are also run with `RUST_BACKTRACE=0`, so that a panic prints the
//! same short note everywhere.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

static RUSTC_HASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/rustc/[0-9a-f]{40}/").unwrap());
static THREAD_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"thread '([^']*)' \(\d+\)").unwrap());
static TIMING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bin (\d+m )?\d+(\.\d+)?s\b").unwrap());

/// `text` as it would read on any machine. `listing_dir` is the listing's
/// directory relative to `root`.
pub fn normalize(text: &str, root: &Path, listing_dir: &Path) -> String {
    let mut text = text.to_string();
    let root = root.display().to_string();
    let listing = listing_dir.display().to_string();
    // 1 and 2: absolute paths first, then the listing's relative prefix.
    text = text.replace(&format!("{root}/{listing}/"), "");
    text = text.replace(&format!("{listing}/"), "");
    text = text.replace(&format!("{root}/"), "");
    // 3
    text = RUSTC_HASH.replace_all(&text, "/rustc/[HASH]/").into_owned();
    if let Some(home) = cargo_home() {
        text = text.replace(&home, "[CARGO_HOME]");
    }
    // 4 and 5
    text = THREAD_ID.replace_all(&text, "thread '$1'").into_owned();
    TIMING.replace_all(&text, "in [TIME]").into_owned()
}

fn cargo_home() -> Option<String> {
    std::env::var("CARGO_HOME")
        .ok()
        .or_else(|| std::env::var("HOME").ok().map(|h| format!("{h}/.cargo")))
        .filter(|h| !h.is_empty())
}
