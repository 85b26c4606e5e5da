//! Pages carry no active content from chapters. A chapter may hold raw
//! HTML (the book's figures are `<figure>`s), and mdBook publishes it as
//! written: a `<script>`, an `<iframe>`, an `on…=` attribute, a
//! `javascript:` link, a `<form>` that posts elsewhere or a `<meta>` that
//! sends the reader on would reach every reader's page. So raw HTML that
//! could run script, embed another page or send the reader elsewhere fails
//! the build, naming the line, in a chapter and in what it includes as
//! prose (what a code block shows is escaped, and inert). The theme's own
//! scripts stay the only scripts (and the theme's Content-Security-Policy
//! is a second wall: theme/head.hbs).
//!
//! The chapters' text is read first, to name the line. Then what decides
//! is what is published: the pages as mdBook renders them (`pages.rs`: a
//! tag split over lines, an output that breaks out of its fence, entities
//! and mixed case are all the same there), and every other file mdBook
//! copies from the chapters' directory (`published_files.rs`: an SVG with
//! script, an HTML file beside the figures).

pub mod html;
pub mod pages;
pub mod published_files;

use std::path::Path;

use mdbook_markdown::pulldown_cmark::{Event, Tag};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};

use crate::book::chapters::LineIndex;
use crate::book::problem::Problem;
use crate::engine::checker::Checker;
use crate::engine::trace::Reader;
use html::{in_fragment, script_scheme};

pub fn check(cx: &Checker, book: &Reader) -> Vec<Problem> {
    let mut problems = in_chapters(book);
    problems.extend(published_files::check(book));
    if !problems.is_empty() {
        return problems;
    }
    let chapters = match book.chapters() {
        Ok(chapters) => chapters,
        Err(problems) => return problems.to_vec(),
    };
    match crate::checks::book_builds::render_html(cx, book) {
        Ok(html) => pages::check(book, &html, chapters),
        Err(problems) => problems,
    }
}

/// The active content in the chapters as written, at its lines.
fn in_chapters(book: &Reader) -> Vec<Problem> {
    let chapters = match book.chapters() {
        Ok(chapters) => chapters,
        Err(problems) => return problems.to_vec(),
    };
    let mut problems = Vec::new();
    for chapter in chapters {
        problems.extend(in_markdown(&chapter.file, &chapter.text));
        // What it includes outside a code block becomes part of its page.
        for d in chapter.directives.iter().filter(|d| !d.in_block) {
            let Some(rel) = book.book().relative(&d.path) else {
                continue;
            };
            if let Some(text) = book.text(rel) {
                for problem in in_markdown(rel, text) {
                    problems.push(Problem::new(
                        &chapter.file,
                        Some(d.line),
                        format!("`{}` brings in {problem}", d.text),
                    ));
                }
            }
        }
    }
    problems
}

/// The active content in Markdown `text` (the file `file`), each at its
/// line.
fn in_markdown(file: &Path, text: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let lines = LineIndex::new(text);
    for (event, range) in new_cmark_parser(text, &MarkdownOptions::default()).into_offset_iter() {
        let line = lines.line(range.start);
        let mut found = Vec::new();
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Some(scheme) = script_scheme(&dest_url) {
                    found.push(format!(
                        "the link `{dest_url}` runs script ({scheme}): link to a page, with an \
                         https:// address or a page of the book"
                    ));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                found.extend(in_fragment(&html).into_iter().map(|a| a.what));
            }
            _ => {}
        }
        for what in found {
            problems.push(Problem::new(
                file,
                Some(line),
                format!(
                    "{what}. A chapter's page carries no active content: the theme's scripts are \
                     the only ones, and nothing on the page runs, embeds or sends the reader on"
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_and_links_pass_and_each_active_thing_is_named() {
        let figure = "<figure class=\"cbh-figure\">\n  <img src=\"figures/a.svg\" width=\"640\" alt=\"A.\">\n  \
                      <figcaption>A <a href=\"https://example.org/x\">caption</a>.</figcaption>\n</figure>\n";
        assert!(in_markdown(Path::new("src/ch.md"), figure).is_empty());
        let hostile = [
            ("<script>alert(1)</script>\n", "`<script>`"),
            ("<iframe src=\"https://x.test\"></iframe>\n", "`<iframe>`"),
            (
                "<img src=\"a.svg\" alt=\"A\" onerror=\"alert(1)\">\n",
                "`onerror`",
            ),
            ("<a href=\" java\tscript:alert(1)\">x</a>\n", "javascript:"),
            ("[x](javascript:alert(1))\n", "javascript:"),
            (
                "<form action=\"http://x.test/\"><input></form>\n",
                "action=\"http://x.test/\"",
            ),
            (
                "<meta http-equiv=\"refresh\" content=\"0;url=https://x.test\">\n",
                "http-equiv=\"refresh\"",
            ),
            ("<object data=\"x.swf\"></object>\n", "`<object>`"),
            (
                "<p style=\"background:url(https://x.test/t.png)\">x</p>\n",
                "url(",
            ),
        ];
        for (html, named) in hostile {
            let found = in_markdown(Path::new("src/ch.md"), &format!("# Ch\n\n{html}"));
            assert!(
                found
                    .iter()
                    .any(|p| p.message.contains(named) && p.line == Some(3)),
                "{html}: {found:?}"
            );
        }
    }
}
