//! Coverage both ways: every listing shown, every output block checked.

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_listing_no_chapter_shows_fails() {
    proven(|| {
        let book = Book::new();
        book.copy_dir(LISTING, "listings/ch01-tiny/listing-01-09");
        book.edit(
            "listings/ch01-tiny/listing-01-09/Cargo.toml",
            "listing-01-01",
            "listing-01-09",
        );
        assert_problem(
            &harness::checks::coverage(book.root()),
            "listings/ch01-tiny/listing-01-09",
            "no chapter shows this listing",
        );
    });
}

#[test]
fn an_output_block_typed_by_hand_fails_unless_marked() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "See [the",
            "```text\na train of 3 cars\n```\n\nSee [the",
        );
        assert_problem(
            &harness::checks::coverage(book.root()),
            &format!("{CHAPTER}:40"),
            "looks like program output",
        );
        book.edit(CHAPTER, "```text\na train", "```text,not-output\na train");
        assert!(harness::checks::coverage(book.root()).is_empty());
    });
}

#[test]
fn output_pasted_into_a_block_of_any_language_fails_unless_marked() {
    proven(|| {
        let book = Book::new();
        let languages = ["shell", "sh", "bash", "powershell", "output", "plain"];
        let blocks: String = languages
            .iter()
            .map(|language| format!("```{language}\n$ cargo run\na train of 3 cars\n```\n\n"))
            .collect();
        book.edit(CHAPTER, "See [the", &format!("{blocks}See [the"));
        let problems = harness::checks::coverage(book.root());
        for (n, language) in languages.iter().enumerate() {
            assert_problem(
                &problems,
                &format!("{CHAPTER}:{}", 40 + 5 * n),
                &format!("this `{language}` block looks like program output"),
            );
            book.edit(
                CHAPTER,
                &format!("```{language}\n"),
                &format!("```{language},not-output\n"),
            );
        }
        assert!(harness::checks::coverage(book.root()).is_empty());
    });
}
