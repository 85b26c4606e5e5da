//! The book's checks, as a library. `cargo test` (tests/ at the book's root)
//! runs them against the real book and against small broken books under
//! `tests/fixtures/`; build.rs uses `snippets` to feed skeptic; `cargo xtask`
//! (the xtask crate) runs them for authors.

pub mod book;
pub mod checks;
pub mod engine;
pub mod running;
pub mod snippets;

pub use book::checkout;
pub use book::problem::Problem;

#[cfg(test)]
mod tests {
    /// Doc-tests are off for this crate (`doctest = false` in its
    /// Cargo.toml: rustdoc would cost every `cargo test` a third of a second
    /// for nothing), so a Rust example in a doc comment would never run.
    /// Examples here are unit tests; a doc comment may show other languages.
    #[test]
    fn no_doc_comment_holds_a_rust_example() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            let mut open = false;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim_start();
                let Some(doc) = line
                    .strip_prefix("///")
                    .or_else(|| line.strip_prefix("//!"))
                else {
                    continue;
                };
                let Some(info) = doc.trim_start().strip_prefix("```") else {
                    continue;
                };
                if open {
                    open = false;
                    continue;
                }
                open = true;
                let lang = info.split(',').next().unwrap_or("").trim();
                if lang.is_empty() || lang == "rust" {
                    found.push(format!("{}:{}", path.display(), n + 1));
                }
            }
        }
        assert!(
            found.is_empty(),
            "a Rust example in a doc comment, which no test runs (make it a unit test): {found:?}"
        );
    }
}
