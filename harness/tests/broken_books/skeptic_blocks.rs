//! Which `rust` blocks skeptic gets, and which are left to the listings check.

use crate::fixture::*;
use crate::listings::*;

/// skeptic would compile a does-not-compile block as if it should succeed,
/// and pass a should_panic block that does not compile; such blocks go to
/// the listings check instead, and a tagged block with no such listing is
/// refused.
#[test]
fn blocks_that_fail_on_purpose_are_not_given_to_skeptic() {
    proven(|| {
        let book = Book::new();
        let out = tempfile::tempdir().unwrap();
        let snippets = book.snippets(out.path()).unwrap();
        // Listing-01-01's block is its file, built by the listings check.
        let origins: Vec<&str> = snippets.iter().map(|s| s.origin.as_str()).collect();
        assert!(origins.is_empty(), "{origins:?}");

        book.edit(
            CHAPTER,
            "```rust\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-01",
            "```rust,should_panic\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-01",
        );
        let refused = book.snippets(out.path()).err().unwrap();
        assert!(
            refused.contains(&format!("{CHAPTER}:10"))
                && refused.contains("must show a listing declared to fail"),
            "{refused}"
        );
    });
}

/// Every block of the course book shows a listing's file, whole or a
/// region (a module, a test file), which the listings check builds: skeptic
/// compiles none of them alone. A block typed in the chapter goes to
/// skeptic; an `ignore` block is refused.
#[test]
fn blocks_that_show_listing_files_are_left_to_the_listings_check() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        let out = tempfile::tempdir().unwrap();
        let snippets = book.snippets(out.path()).unwrap();
        assert!(
            snippets.is_empty(),
            "{:?}",
            snippets.iter().map(|s| &s.origin).collect::<Vec<_>>()
        );

        book.edit(
        "src/ch07-modules.md",
        "The toolbox adds up",
        "```rust\nfn main() {\n    println!(\"typed in the chapter\");\n}\n```\n\nThe toolbox adds up",
    );
        let snippets = book.snippets(out.path()).unwrap();
        let origins: Vec<&str> = snippets.iter().map(|s| s.origin.as_str()).collect();
        assert_eq!(origins, ["src/ch07-modules.md:10"]);

        book.edit(
            "src/ch07-modules.md",
            "```rust\nfn main()",
            "```rust,ignore\nfn main()",
        );
        let refused = book.snippets(out.path()).err().unwrap();
        assert!(
            refused.contains("src/ch07-modules.md:10") && refused.contains("`ignore` is refused"),
            "{refused}"
        );
    });
}
