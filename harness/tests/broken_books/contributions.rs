//! What a contribution may not bring into a listing: a dependency from
//! anywhere but the registry (a git repository, another registry, a path
//! out of the listing), refused before anything is fetched; and cargo or
//! rustup configuration, which the reader's `cargo run` would not obey.

use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_dependency_from_elsewhere_is_refused_before_anything_is_fetched() {
    proven(|| {
        let book = Book::new();
        let manifest = format!("{LISTING}/Cargo.toml");
        let original = std::fs::read_to_string(book.root().join(&manifest)).unwrap();
        for (spec, said) in [
            (
                r#"rand = { git = "https://127.0.0.1:9/rand.git" }"#,
                "comes from a git repository",
            ),
            (
                r#"rand = { version = "0.8", registry = "elsewhere" }"#,
                "comes from another registry",
            ),
            (
                r#"helper = { path = "../listing-01-02" }"#,
                "comes from a path out of the listing",
            ),
        ] {
            let with = original.replace("[dependencies]\n", &format!("[dependencies]\n{spec}\n"));
            book.write(&manifest, &with);
            let problems = book.outputs(Duration::from_secs(10));
            let line = with.lines().position(|l| l == spec).unwrap() + 1;
            assert_problem(&problems, &format!("{manifest}:{line}"), said);
            let report = harness::book::problem::report(problems).unwrap_err();
            assert!(
                !report.contains("could not fetch"),
                "nothing is fetched: {report}"
            );
        }
    });
}

#[test]
fn cargo_or_rustup_configuration_in_a_listing_is_refused() {
    proven(|| {
        let book = Book::new();
        for file in [".cargo/config.toml", "rust-toolchain.toml"] {
            let path = format!("{LISTING}/{file}");
            book.write(&path, "[build]\nrustflags = [\"--cfg\", \"forged\"]\n");
            assert_problem(
                &book.outputs(Duration::from_secs(10)),
                &path,
                "a listing may not carry cargo or rustup configuration",
            );
            assert_problem(
                &book.lints(),
                &path,
                "a listing may not carry cargo or rustup configuration",
            );
            book.remove(&path);
        }
    });
}
