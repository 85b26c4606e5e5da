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
