//! The book builds: SUMMARY.md, links, images, fragments, figures, Run buttons, labels, book.toml.

use std::path::Path;

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_summary_entry_whose_file_is_missing_fails() {
    proven(|| {
        let book = Book::new();
        book.remove("src/ch02-other.md");
        assert_problem(
            &harness::checks::includes(book.root()),
            "src/SUMMARY.md",
            "ch02-other.md",
        );
    });
}

#[test]
fn leaving_create_missing_on_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            "book.toml",
            "create-missing = false",
            "create-missing = true",
        );
        assert_problem(
            &harness::checks::includes(book.root()),
            "book.toml",
            "create-missing = false",
        );
    });
}

#[test]
fn a_link_to_a_missing_page_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "(ch02-other.md#a-heading)", "(ch03-missing.md)");
        assert_problem(
            &book.build(),
            "src/ch01-tiny.md:40",
            "File not found: ch03-missing.md",
        );
    });
}

#[test]
fn a_missing_image_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "A listing:", "![A train](trian.svg)\n\nA listing:");
        assert_problem(
            &book.build(),
            "src/ch01-tiny.md:8",
            "File not found: trian.svg",
        );
    });
}

#[test]
fn a_broken_fragment_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "#a-heading", "#no-such-heading");
        assert_problem(&book.build(), &format!("{CHAPTER}:40"), "#no-such-heading");
    });
}

#[test]
fn a_raw_html_image_that_does_not_exist_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "src=\"train.svg\"", "src=\"trian.svg\"");
        assert_problem(
            &book.build(),
            &format!("{CHAPTER}:4"),
            "the image `trian.svg` does not exist",
        );
    });
}

#[test]
fn a_figure_without_alt_text_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, " alt=\"A small red train.\"", "");
        assert_problem(&book.build(), &format!("{CHAPTER}:4"), "has no alt text");
    });
}

#[test]
fn a_figure_without_a_caption_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(CHAPTER, "  <figcaption>A train.</figcaption>\n", "");
        assert_problem(
            &book.build(),
            &format!("{CHAPTER}:4"),
            "needs a <figure> with a <figcaption>",
        );
    });
}

#[test]
fn a_listing_without_a_run_button_fails() {
    proven(|| {
        // All three listings, the two that fail on purpose too, are runnable.
        let book = Book::new();
        assert!(book.build().is_empty());
        book.edit(
            CHAPTER,
            "```rust\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-02",
            "```rust,noplayground\n{{#rustdoc_include ../listings/ch01-tiny/listing-01-02",
        );
        let problems = book.build();
        assert_problem(&problems, &format!("{CHAPTER}:22"), "no Run button");
    });
}

/// What `cargo run` shows of a listing that declares it includes rustc's
/// warnings, which the playground shows apart from what the program
/// prints: such a listing keeps no Run button (the Run-button judge reads
/// its output only then).
#[test]
fn a_run_button_on_a_listing_whose_output_shows_warnings_fails() {
    proven(|| {
        let book = Book::course();
        book.edit(
            "src/ch03-common-concepts.md",
            "```rust,noplayground\n{{#rustdoc_include ../listings/ch03-common-concepts/listing-03-03/src/main.rs:shadowing}}",
            "```rust\n{{#rustdoc_include ../listings/ch03-common-concepts/listing-03-03/src/main.rs}}",
        );
        let problems = book.build();
        assert_problem(
            &problems,
            "src/ch03-common-concepts.md:16",
            "its output shows the compiler's warnings",
        );
    });
}

#[test]
fn a_listing_without_its_label_or_a_label_without_a_listing_fails() {
    proven(|| {
        // Without the preprocessor, no block says which listing and file it is.
        let book = Book::new();
        let labels =
            std::fs::read_to_string(repository().join("tests/fixtures/tiny-book/book.toml"))
                .unwrap();
        let start = labels.find("[preprocessor.listing-labels]").unwrap();
        let end = start + labels[start..].find("\n\n").unwrap();
        book.edit("book.toml", &labels[start..end], "");
        let problems = book.build();
        assert_problem(
            &problems,
            &format!("{CHAPTER}:10"),
            "the page has no label above it (\"Listing 1-1: src/main.rs\")",
        );

        // A label typed by hand, above a block that shows no listing's file.
        let book = Book::new();
        book.edit(
        CHAPTER,
        "See [the other chapter]",
        "<p class=\"cbh-listing-label\">Listing 9-9: src/lib.rs</p>\n\n```text\ntyped by hand\n```\n\nSee [the other chapter]",
    );
        let problems = book.build();
        assert_problem(
            &problems,
            CHAPTER,
            "this block shows no listing's file, but the page labels it \"Listing 9-9: src/lib.rs\"",
        );
    });
}

/// A SUMMARY.md entry outside the chapters' directory is refused at its
/// line: mdBook would publish that file and write a page beside it.
#[test]
fn a_summary_entry_outside_src_is_refused() {
    proven(|| {
        let book = Book::new();
        book.edit(
            "src/SUMMARY.md",
            "- [Other](ch02-other.md)",
            "- [Other](ch02-other.md)\n- [Outside](../../../../outside.md)",
        );
        assert_problem(
            &harness::checks::includes(book.root()),
            "src/SUMMARY.md:5",
            "is outside src/",
        );
    });
}

/// book.toml may name only the preprocessors and renderers the harness
/// runs in-process: another is a command of its own.
#[test]
fn a_preprocessor_or_renderer_that_runs_a_command_is_refused() {
    proven(|| {
        let book = Book::new();
        book.edit(
            "book.toml",
            "[output.html]",
            "[preprocessor.evil]\ncommand = \"sh -c 'touch /tmp/cbh-evil'\"\n\n[output.html]",
        );
        assert_problem(
            &harness::checks::includes(book.root()),
            "book.toml:18",
            "the book runs only the preprocessors links, index, listing-labels",
        );
        assert!(!Path::new("/tmp/cbh-evil").exists());
    });
}

/// A figure's narrow version (a `<picture>`'s `<source>`, what a phone
/// shows) must exist too.
#[test]
fn a_figures_missing_narrow_version_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "  <img src=\"train.svg\" alt=\"A small red train.\">",
            "  <picture>\n    <source media=\"(max-width: 560px)\" srcset=\"train-narrow.svg\">\n    \
             <img src=\"train.svg\" alt=\"A small red train.\">\n  </picture>",
        );
        assert_problem(
            &harness::checks::run(
                &Checker::new(book.root()),
                "the_book_builds_with_no_broken_link_figure_or_run_button",
            ),
            &format!("{CHAPTER}:5"),
            "the picture's version `train-narrow.svg` does not exist",
        );
    });
}
