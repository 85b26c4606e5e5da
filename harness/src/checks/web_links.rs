//! Links out of the book. CI does not fetch them (`follow-web-links =
//! false`), so this at least holds each one to a real `https://` address,
//! with no placeholder host.

use mdbook_markdown::pulldown_cmark::{Event, Tag};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};

use crate::book::chapters::LineIndex;
use crate::book::problem::Problem;
use crate::engine::trace::Reader;

const PLACEHOLDER_HOSTS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "localhost",
    "127.0.0.1",
    "todo",
    "xxx",
];

pub fn check(book: &Reader) -> Vec<Problem> {
    let chapters = match book.chapters() {
        Ok(chapters) => chapters,
        Err(problems) => return problems.to_vec(),
    };
    let in_html = scraper::Selector::parse("[href], [src]").unwrap();
    let mut problems = Vec::new();
    for chapter in chapters {
        let parser = new_cmark_parser(&chapter.text, &MarkdownOptions::default());
        let lines = LineIndex::new(&chapter.text);
        for (event, range) in parser.into_offset_iter() {
            // A Markdown link, or the addresses in raw HTML (`<a href>`,
            // `<img src>`, …): the page links to both alike.
            let urls: Vec<String> = match event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    vec![dest_url.to_string()]
                }
                Event::Html(html) | Event::InlineHtml(html) => scraper::Html::parse_fragment(&html)
                    .select(&in_html)
                    .flat_map(|e| [e.attr("href"), e.attr("src")])
                    .flatten()
                    .map(str::to_string)
                    .collect(),
                _ => continue,
            };
            for url in urls {
                if let Some(wrong) = wrong_with(&url) {
                    problems.push(Problem::new(
                        &chapter.file,
                        Some(lines.line(range.start)),
                        format!("the link `{url}`: {wrong}"),
                    ));
                }
            }
        }
    }
    problems
}

/// What is wrong with a web address, if it is one.
fn wrong_with(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if !scheme.eq_ignore_ascii_case("https") {
        Some(format!("use an https:// address, not {scheme}://"))
    } else if host.is_empty()
        || PLACEHOLDER_HOSTS
            .iter()
            .any(|p| host == *p || host.ends_with(&format!(".{p}")))
    {
        Some(format!(
            "`{host}` is a placeholder, not the source's real address"
        ))
    } else {
        None
    }
}
