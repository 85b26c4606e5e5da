//! Links out of the book. CI does not fetch them (`follow-web-links =
//! false`), so this at least holds each one to a real `https://` address,
//! with no placeholder host.

use mdbook_markdown::pulldown_cmark::{Event, Tag};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};

use crate::Problem;
use crate::chapters::{Chapter, line_of};

const PLACEHOLDER_HOSTS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "localhost",
    "127.0.0.1",
    "todo",
    "xxx",
];

pub fn check(chapters: &[Chapter]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for chapter in chapters {
        let parser = new_cmark_parser(&chapter.text, &MarkdownOptions::default());
        for (event, range) in parser.into_offset_iter() {
            let Event::Start(Tag::Link { dest_url, .. }) = event else {
                continue;
            };
            let Some((scheme, rest)) = dest_url.split_once("://") else {
                continue;
            };
            let host = rest
                .split(['/', '?', '#'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let wrong = if scheme != "https" {
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
            };
            if let Some(wrong) = wrong {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(line_of(&chapter.text, range.start)),
                    format!("the link `{dest_url}`: {wrong}"),
                ));
            }
        }
    }
    problems
}
