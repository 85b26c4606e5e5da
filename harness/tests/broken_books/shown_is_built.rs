//! What a chapter shows is what is built.

use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

/// What the chapter shows is what is built: a `[[bin]] path` elsewhere is
/// refused at its line, and so is a `[lints]` table.
#[test]
fn a_manifest_that_builds_another_file_or_relaxes_lints_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/Cargo.toml"),
            "[dependencies]",
            "[[bin]]\nname = \"listing-01-01\"\npath = \"src/real.rs\"\n\n[dependencies]",
        );
        book.write(
            &format!("{LISTING}/src/real.rs"),
            "fn main() {\n    println!(\"a train of 3 cars\");\n}\n",
        );
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{LISTING}/Cargo.toml:9"),
            "so that the file the chapter shows is the file cargo builds",
        );
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/Cargo.toml"),
            "[dependencies]",
            "[lints.clippy]\nall = \"allow\"\n\n[dependencies]",
        );
        assert_problem(
            &book.lints(),
            &format!("{LISTING}/Cargo.toml:7"),
            "a `[lints]` table relaxes lints with no reason given",
        );
    });
}

/// A file the chapter shows that cargo does not compile (a module never
/// declared) fails at the chapter's line, proven by what rustc read.
#[test]
fn a_shown_file_that_is_not_compiled_fails_at_the_chapters_line() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/wagons.rs"),
            "pub fn wagons() -> u32 {\n    4\n}\n",
        );
        book.edit(
        CHAPTER,
        "It prints:",
        "And its wagons:\n\n```rust,noplayground\n{{#include ../listings/ch01-tiny/listing-01-01/src/wagons.rs}}\n```\n\nIt prints:",
    );
        assert_problem(
            &book.outputs(Duration::from_secs(10)),
            &format!("{CHAPTER}:17"),
            "the chapter shows listings/ch01-tiny/listing-01-01/src/wagons.rs, but cargo does not compile it",
        );
    });
}
