//! Lint-clean listings: rustfmt and clippy, or a reason.

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_listing_that_is_not_rustfmt_clean_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars=3 ;",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs:3"),
            "not rustfmt-clean",
        );
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs"),
            "+    let cars = 3;",
        );
    });
}

#[test]
fn a_clippy_warning_in_a_listing_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars = 3;\n    let empty = vec![cars].len() == 0;\n    println!(\"{empty}\");",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs:4"),
            "clippy::len_zero",
        );
    });
}

#[test]
fn a_listing_opted_out_of_rustfmt_with_a_reason_skips_it_and_one_without_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars=3 ;",
        );
        let opt_out = format!("{LISTING}/rustfmt.toml");
        book.write(
            &opt_out,
            "# keeps the manuscript's layout\ndisable_all_formatting = true\n",
        );
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");

        book.write(&opt_out, "disable_all_formatting = true\n");
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/rustfmt.toml"),
            "needs a reason",
        );
    });
}

#[test]
fn a_lint_allowed_with_a_reason_is_skipped_and_one_without_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars = 3;\n    let empty = vec![cars].len() == 0;\n    println!(\"{empty}\");",
        );
        book.edit(
        &format!("{LISTING}/Cargo.toml"),
        "[dependencies]",
        "[package.metadata.listing.allow]\n\"clippy::len_zero\" = \"shows len() == 0 on purpose\"\n\n[dependencies]",
    );
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");

        // Only that lint: another one still fails.
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "println!(\"{empty}\");",
            "println!(\"{empty}\");\n    let _ = cars.clone();",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs:6"),
            "clippy::clone_on_copy",
        );

        book.edit(
            &format!("{LISTING}/Cargo.toml"),
            "\"shows len() == 0 on purpose\"",
            "\" \"",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            &format!("{LISTING}/Cargo.toml:8"),
            "needs a reason",
        );
    });
}

#[test]
fn a_listing_that_does_not_compile_on_purpose_is_not_given_to_clippy() {
    proven(|| {
        // listing-01-02 fails with E0382 by design; it must still be formatted.
        let book = Book::new();
        let problems = book.lints();
        assert!(problems.is_empty(), "{problems:?}");
        book.edit(
            "listings/ch01-tiny/listing-01-02/src/main.rs",
            "let train = cars;",
            "let train=cars;",
        );
        let problems = book.lints();
        assert_problem(
            &problems,
            "listing-01-02/src/main.rs:3",
            "not rustfmt-clean",
        );
    });
}
