//! Links out of the book are real https:// addresses.

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_web_link_that_is_not_https_or_is_a_placeholder_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
        CHAPTER,
        "A listing:",
        "See [a source](http://lwn.net/x) and [another](https://example.com/paper).\n\nA listing:",
    );
        let problems = harness::checks::web_links(book.root());
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "use an https:// address",
        );
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "`example.com` is a placeholder",
        );
    });
}

#[test]
fn a_raw_html_link_that_is_not_https_fails() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "A listing:",
            "See <a href=\"http://lwn.net/Articles/1/\">an article</a>.\n\n\
         <figure><img src=\"http://lwn.net/a.png\" alt=\"A chart.\"></figure>\n\nA listing:",
        );
        let problems = harness::checks::web_links(book.root());
        assert_problem(
            &problems,
            &format!("{CHAPTER}:8"),
            "the link `http://lwn.net/Articles/1/`: use an https:// address",
        );
        assert_problem(
            &problems,
            &format!("{CHAPTER}:10"),
            "the link `http://lwn.net/a.png`: use an https:// address",
        );
    });
}
