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

use std::path::Path;

use mdbook_markdown::pulldown_cmark::{Event, Tag};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};

use crate::book::chapters::LineIndex;
use crate::book::problem::Problem;
use crate::engine::trace::Reader;

/// Elements that run script, embed another page or document, or send the
/// reader (or what they type) elsewhere.
const ACTIVE_ELEMENTS: [&str; 12] = [
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "meta", "base",
    "link", "portal",
];

/// Attributes whose value is an address the browser may follow or load.
const ADDRESSES: [&str; 8] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "srcset",
];

pub fn check(book: &Reader) -> Vec<Problem> {
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
            Event::Html(html) | Event::InlineHtml(html) => found.extend(in_html(&html)),
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

/// What is active in a fragment of raw HTML.
fn in_html(html: &str) -> Vec<String> {
    let fragment = scraper::Html::parse_fragment(html);
    let mut found = Vec::new();
    for element in fragment.tree.nodes().filter_map(scraper::ElementRef::wrap) {
        let name = element.value().name();
        if ACTIVE_ELEMENTS.contains(&name) {
            let detail = match name {
                "meta" => element
                    .value()
                    .attr("http-equiv")
                    .map(|e| format!(" http-equiv=\"{e}\""))
                    .unwrap_or_default(),
                "form" => element
                    .value()
                    .attr("action")
                    .map(|a| format!(" action=\"{a}\""))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            found.push(format!("`<{name}{detail}>` in its HTML"));
        }
        for (attribute, value) in element.value().attrs() {
            let attribute = attribute.to_ascii_lowercase();
            if attribute.starts_with("on") {
                found.push(format!(
                    "the attribute `{attribute}` on `<{name}>` runs script"
                ));
            } else if attribute == "srcdoc" {
                found.push(format!("`<{name} srcdoc>` embeds a page"));
            } else if ADDRESSES.contains(&attribute.as_str())
                && let Some(scheme) = script_scheme(value)
            {
                found.push(format!(
                    "`<{name} {attribute}=\"{value}\">` runs script ({scheme})"
                ));
            } else if attribute == "style" && value.to_ascii_lowercase().contains("url(") {
                found.push(format!(
                    "the style on `<{name}>` loads an address (`url(…)`)"
                ));
            }
        }
    }
    found
}

/// The scheme of an address that runs script when followed or loaded:
/// `javascript:`, `vbscript:`, or a `data:` address of a document.
fn script_scheme(address: &str) -> Option<&'static str> {
    // Browsers ignore whitespace and control characters in a scheme.
    let cleaned: String = address
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if cleaned.starts_with("javascript:") {
        Some("javascript:")
    } else if cleaned.starts_with("vbscript:") {
        Some("vbscript:")
    } else if cleaned.starts_with("data:text/html") || cleaned.starts_with("data:image/svg") {
        Some("a data: document")
    } else {
        None
    }
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
