//! `{{#include}}`: files and anchors that exist, inside the repository.

use std::path::PathBuf;
use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_renamed_anchor_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "ANCHOR: here",
            "ANCHOR: there",
        );
        assert_problem(
            &harness::checks::includes(book.root()),
            &format!("{CHAPTER}:11"),
            "has no `ANCHOR: here`",
        );
    });
}

#[test]
fn an_include_of_a_missing_file_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "listing-01-01/output.txt",
            "listing-01-01/outptu.txt",
        );
        assert_problem(
            &harness::checks::includes(book.root()),
            &format!("{CHAPTER}:17"),
            "outptu.txt, which does not exist",
        );
    });
}

#[test]
fn an_include_that_reaches_outside_the_repository_fails_whatever_its_block() {
    proven(|| {
        let book = Book::new();
        // More `..` than any checkout has directories.
        let up = "../".repeat(40);
        book.edit(
            CHAPTER,
            "See [the",
            &format!(
                "```text,not-output\n{{{{#include /etc/hostname}}}}\n```\n\n\
             ```rust,ignore\n{{{{#include {up}etc/passwd}}}}\n```\n\n\
             Inline: {{{{#include leak.txt}}}}\n\nSee [the"
            ),
        );
        let root = book.root().to_path_buf();
        std::os::unix::fs::symlink("/etc/passwd", root.join("src/leak.txt")).unwrap();
        let problems = harness::checks::includes(&root);
        std::fs::remove_file(root.join("src/leak.txt")).unwrap();
        for line in [41, 45] {
            assert_problem(
                &problems,
                &format!("{CHAPTER}:{line}"),
                "which is outside the book's repository",
            );
        }
        assert_problem(
            &problems,
            &format!("{CHAPTER}:48"),
            "src/leak.txt, which is a symbolic link (to /etc/passwd)",
        );
    });
}

/// An output.txt that is not UTF-8 but is what the program prints passes
/// the output check; the chapter that includes it fails, saying why.
#[test]
fn an_output_that_is_not_utf8_cannot_be_included() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    use std::io::Write;\n    std::io::stdout()\n        .write_all(b\"a train of 3 cars \\xff\\n\")\n        \
             .expect(\"stdout is open\");\n",
        ),
    );
        book.files.borrow_mut().insert(
            PathBuf::from(format!("{LISTING}/output.txt")),
            b"a train of 3 cars \xff\n".to_vec(),
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert!(problems.is_empty(), "{problems:#?}");
        assert_problem(
            &harness::checks::includes(book.root()),
            &format!("{CHAPTER}:17"),
            "which is not UTF-8 text (line 1, byte \\xff)",
        );
        // Not prose: its words are not spelled (an empty quote was all it got).
        let spelling = harness::checks::spelling(book.root());
        assert!(spelling.is_empty(), "{spelling:#?}");
    });
}

/// A chapter that includes itself (mdBook expands that ten levels deep:
/// exponentially) fails at once, naming the chain.
#[test]
fn a_chapter_that_includes_itself_fails_naming_the_chain() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "A listing:",
            "{{#include ch01-tiny.md}}\n{{#include ch01-tiny.md}}\n\nA listing:",
        );
        assert_problem(
            &harness::checks::includes(book.root()),
            &format!("{CHAPTER}:8"),
            "which includes another file in turn (src/ch01-tiny.md:8",
        );
    });
}
