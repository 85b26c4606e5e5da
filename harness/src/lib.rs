//! The book's checks, as a library. `cargo test` (tests/ at the book's root)
//! runs them against the real book and against small broken books under
//! `tests/fixtures/`; build.rs uses `snippets` to feed skeptic; `cargo xtask`
//! (the xtask crate) runs them for authors.

pub mod active_content;
pub mod builds;
pub mod cache;
pub mod chapters;
pub mod check;
pub mod coverage;
pub mod drift;
pub mod figures;
pub mod files;
pub mod fragments;
pub mod includes;
pub mod jailed;
pub mod labels;
pub mod linkcheck;
pub mod lints;
pub mod listings;
pub mod metadata;
pub mod model;
pub mod normalize;
pub mod outputs;
pub mod problem;
pub mod progress;
pub mod runnable;
pub mod shown;
pub mod snippets;
pub mod spelling;
pub mod stage;
pub mod theme;
pub mod tools;
pub mod trace;
pub mod transcript;
pub mod verdicts;
pub mod web_links;

pub use problem::Problem;

/// The root of the checkout this harness was built in. `.cargo/config.toml`
/// sets `CBH_CHECKOUT` for every build; reading it here makes it part of
/// what cargo compares before it reuses a build, so a target directory
/// shared by two checkouts never runs one checkout's tests on the other
/// (tests/checkouts.rs). Without the variable (cargo run from outside the
/// repository), the harness's own directory's parent.
pub fn checkout() -> &'static std::path::Path {
    let harness = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    match option_env!("CBH_CHECKOUT") {
        Some(dir) => std::path::Path::new(dir),
        None => harness.parent().unwrap_or(harness),
    }
}

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
