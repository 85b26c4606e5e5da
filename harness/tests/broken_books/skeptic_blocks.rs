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
        let snippets = book.snippets().unwrap();
        // Listing-01-01's block is its file, built by the listings check.
        let origins: Vec<&str> = snippets.iter().map(|s| s.origin.as_str()).collect();
        assert!(origins.is_empty(), "{origins:?}");

        book.edit(
            CHAPTER,
            "```rust\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-01",
            "```rust,should_panic\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-01",
        );
        let refused = book.snippets().err().unwrap();
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
        let snippets = book.snippets().unwrap();
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
        let snippets = book.snippets().unwrap();
        let origins: Vec<&str> = snippets.iter().map(|s| s.origin.as_str()).collect();
        assert_eq!(origins, ["src/ch07-modules.md:10"]);

        book.edit(
            "src/ch07-modules.md",
            "```rust\nfn main()",
            "```rust,ignore\nfn main()",
        );
        let refused = book.snippets().err().unwrap();
        assert!(
            refused.contains("src/ch07-modules.md:10") && refused.contains("`ignore` is refused"),
            "{refused}"
        );
    });
}

/// A chapter recorded in an older edition (`edition 2021` in its own
/// recorded-with.txt) has each of its blocks compiled in it: skeptic gets
/// the block with `edition2021` (tests/skeptic/edition-of-a-block.md proves
/// skeptic obeys it), and so does the page's Run button.
#[test]
fn a_chapter_recorded_in_an_older_edition_compiles_its_blocks_in_it() {
    proven(|| {
        let book = Book::course();
        book.edit(
            "src/ch07-modules.md",
            "The toolbox adds up",
            "```rust\nfn main() {\n    let gen = 3;\n    println!(\"{gen}\");\n}\n```\n\nThe toolbox adds up",
        );
        let snippets = book.snippets().unwrap();
        let text = &snippets[0].markdown;
        assert!(text.starts_with("````rust\n"), "{text}");
        book.write(
            "listings/ch07-modules/recorded-with.txt",
            "rustc 1.56.0 (09c42c458 2021-10-18)\nedition 2021\n",
        );
        let snippets = book.snippets().unwrap();
        let text = &snippets[0].markdown;
        assert!(text.starts_with("````rust,edition2021\n"), "{text}");
        // The page's block names it too, for the Run button.
        let checker = Checker::new(book.root());
        let problems = harness::checks::run(
            &checker,
            "the_book_builds_with_no_broken_link_figure_or_run_button",
        );
        assert!(problems.is_empty(), "{problems:#?}");
        let page = std::fs::read_to_string(checker.work.join("html-check/html/ch07-modules.html"))
            .unwrap();
        assert!(page.contains("edition2021"), "the page names no edition");
    });
}

/// What skeptic compiles is what a block includes, every byte of it, so the
/// verdict on the chapters' blocks (tests/book.rs) is kept with the whole
/// included file, not only its shape (what a page's structure needs): an
/// edit inside a line of it must find the blocks again.
#[test]
fn the_verdict_on_blocks_follows_every_byte_they_include() {
    proven(|| {
        let book = Book::course().without_the_registry_crate();
        // A block that is more than the listing's file goes to skeptic.
        book.edit(
            "src/ch07-modules.md",
            "{{#rustdoc_include ../listings/ch07-modules/listing-07-01/src/main.rs}}",
            "{{#rustdoc_include ../listings/ch07-modules/listing-07-01/src/main.rs}}\n// typed in the chapter",
        );
        let checker = book.checker();
        let reader = harness::engine::trace::Reader::new(&checker.book);
        let snippets = harness::snippets::for_skeptic(&checker, &reader).unwrap();
        assert_eq!(snippets.len(), 1, "the block goes to skeptic");
        assert!(snippets[0].markdown.contains("\"hammer\", 450"));
        let whole = harness::engine::trace::Fact::File(
            "listings/ch07-modules/listing-07-01/src/main.rs".into(),
        );
        assert!(
            reader.trace().iter().any(|(fact, _)| *fact == whole),
            "the included file is not read whole: {:#?}",
            reader.trace()
        );
        if checker.store.is_used() {
            checker.store.keep("rust-blocks", "", &reader, &[]);
            assert!(
                checker
                    .store
                    .lookup(&checker.book, "rust-blocks", "")
                    .is_some()
            );
            book.edit(
                "listings/ch07-modules/listing-07-01/src/main.rs",
                "\"hammer\", 450",
                "\"hammer\", 451",
            );
            let checker = book.checker();
            assert!(
                checker
                    .store
                    .lookup(&checker.book, "rust-blocks", "")
                    .is_none(),
                "an edit inside a line of an included file kept the blocks' verdict"
            );
        }
    });
}

/// A block that is one listing's file must show it as the reader has it:
/// a line rustdoc hides (`# …`) in the file makes mdBook's block differ
/// from it, and is refused at the block's line. What skeptic's blocks were
/// found from is kept with what decides that: an edit to a line of code
/// leaves it as it was (at hundreds of listings, the chapters are not
/// expanded again), and a line turned into one rustdoc hides does not.
#[test]
fn a_listing_file_that_a_block_would_show_otherwise_is_read_again() {
    proven(|| {
        let book = Book::new();
        let main = format!("{LISTING}/src/main.rs");
        let checker = book.checker();
        let reader = harness::engine::trace::Reader::new(&checker.book);
        harness::snippets::for_skeptic(&checker, &reader).unwrap();
        let trace = reader.trace();
        let holds = |book: &Book| {
            let now = book.checker();
            trace
                .iter()
                .all(|(fact, value)| harness::engine::trace::fact_value(&now.book, fact) == *value)
        };

        book.edit(&main, "let cars = 3;", "let cars = 4;");
        assert!(
            holds(&book),
            "an edit to a line of code changed what was read"
        );
        book.snippets().unwrap();

        book.edit(&main, "    let cars = 4;", "# let cars = 4;");
        assert!(
            !holds(&book),
            "a line rustdoc hides changed nothing that was read"
        );
        let refused = book.snippets().err().unwrap();
        assert!(
            refused.contains(&format!("{CHAPTER}:10"))
                && refused.contains("expanded it to other text"),
            "{refused}"
        );
    });
}
