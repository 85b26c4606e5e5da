//! Figures: every image in a chapter exists (and each version a
//! `<picture>` offers: the narrow one a phone shows), has alt text that says
//! what it shows, and sits in a `<figure>` with a caption. Checked on the built
//! HTML, where Markdown images and raw `<img>` tags look the same (and where
//! mdbook-linkcheck2 does not look inside raw HTML).

use std::path::Path;

use scraper::{ElementRef, Html, Selector};

use crate::book::chapters::Chapter;
use crate::book::problem::Problem;

pub fn check(html_dir: &Path, pages: &[(&Chapter, Html)]) -> Vec<Problem> {
    let images = Selector::parse("main img").unwrap();
    let sources = Selector::parse("main picture source[srcset]").unwrap();
    let caption = Selector::parse("figcaption").unwrap();
    let mut problems = Vec::new();
    for (chapter, html) in pages {
        let page = chapter.page();
        let dir = page.parent().unwrap_or(Path::new(""));
        for source in html.select(&sources) {
            let srcset = source.value().attr("srcset").unwrap_or("");
            let file = srcset.split_whitespace().next().unwrap_or("");
            let exists = html_dir
                .join(dir)
                .join(file.split(['#', '?']).next().unwrap_or(""))
                .is_file();
            if !exists {
                let line = chapter
                    .text
                    .lines()
                    .position(|l| !file.is_empty() && l.contains(file))
                    .map(|i| i + 1);
                problems.push(Problem::new(
                    &chapter.file,
                    line,
                    format!("the picture's version `{file}` does not exist"),
                ));
            }
        }
        for img in html.select(&images) {
            let src = img.value().attr("src").unwrap_or("");
            let line = chapter
                .text
                .lines()
                .position(|l| !src.is_empty() && l.contains(src))
                .map(|i| i + 1);
            let mut say =
                |message: String| problems.push(Problem::new(&chapter.file, line, message));
            let dir = page.parent().unwrap_or(Path::new(""));
            if !src.contains("://")
                && !html_dir
                    .join(dir)
                    .join(src.split(['#', '?']).next().unwrap_or(""))
                    .is_file()
            {
                say(format!("the image `{src}` does not exist"));
            }
            if img
                .value()
                .attr("alt")
                .is_none_or(|alt| alt.trim().is_empty())
            {
                say(format!(
                    "the image `{src}` has no alt text: say what the picture shows"
                ));
            }
            let figure = img
                .ancestors()
                .filter_map(ElementRef::wrap)
                .find(|e| e.value().name() == "figure");
            let captioned = figure.is_some_and(|f| {
                f.select(&caption)
                    .any(|c| !c.text().collect::<String>().trim().is_empty())
            });
            if !captioned {
                say(format!(
                    "the image `{src}` needs a <figure> with a <figcaption>"
                ));
            }
        }
    }
    problems
}
