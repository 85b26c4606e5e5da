//! The pages as mdBook rendered them. A page is mdBook's template with the
//! chapter's HTML in its `<main>`: what the chapter brings is the text
//! between the template's `<main>` and its last `</main>`. That text is
//! judged as the browser reads it (a fragment of HTML, whatever the
//! Markdown around it), and the whole page is judged against the same page
//! with that text taken out, so that nothing the chapter brings can add
//! active content to the template around it (a tag left open that takes in
//! the template's own markup, a `</main>` that closes it early).

use std::path::{Path, PathBuf};

use crate::book::chapters::Chapter;
use crate::book::problem::Problem;
use crate::checks::active_content::html::{Active, in_document, in_fragment};
use crate::engine::trace::Reader;

/// Every page under `html`, rendered from the chapters of `book`. A page
/// that is no one chapter's (`print.html`, and `index.html`, a copy of the
/// first chapter) is named only for what no chapter's page shows.
pub fn check(book: &Reader, html: &Path, chapters: &[Chapter]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: Vec<Active> = Vec::new();
    let (own, others): (Vec<PathBuf>, Vec<PathBuf>) = pages(html)
        .into_iter()
        .partition(|p| chapters.iter().any(|c| &c.page() == p));
    for page in own.iter().chain(&others) {
        let Ok(text) = std::fs::read_to_string(html.join(page)) else {
            continue;
        };
        let chapter = chapters.iter().find(|c| &c.page() == page);
        for active in in_page(&text) {
            if chapter.is_none() && seen.contains(&active) {
                continue;
            }
            problems.push(problem(book, page, chapter, &active));
            seen.push(active);
        }
    }
    crate::book::problem::once_each(problems)
}

/// What the chapter's part of a rendered page makes active.
pub fn in_page(text: &str) -> Vec<Active> {
    let Some(start) = text.find("<main>").map(|i| i + "<main>".len()) else {
        return Vec::new();
    };
    let end = text
        .rfind("</main>")
        .filter(|&e| e >= start)
        .unwrap_or(text.len());
    let template = format!("{}{}", &text[..start], &text[end..]);
    // The chapter's part and the whole page are parsed side by side: on a
    // page of hundreds of listings (the print page holds every chapter),
    // each parse is most of the check's time.
    let (mut found, mut page) = std::thread::scope(|s| {
        let fragment = s.spawn(|| in_fragment(&text[start..end]));
        let page = in_document(text);
        (fragment.join().expect("the fragment was parsed"), page)
    });
    let mut around = in_document(&template);
    page.sort();
    around.sort();
    // What the page has beyond the template, counted.
    let mut i = 0;
    for active in page {
        while i < around.len() && around[i] < active {
            i += 1;
        }
        if i < around.len() && around[i] == active {
            i += 1;
        } else if !found.contains(&active) {
            found.push(active);
        }
    }
    found
}

/// A problem at the line where the active thing's word is: in the
/// chapter, or in a file it includes (an output that leaves its fence);
/// or at SUMMARY.md for a page that is no one chapter's.
fn problem(book: &Reader, page: &Path, chapter: Option<&Chapter>, active: &Active) -> Problem {
    let tail = "on the page mdBook renders from it. A chapter's page carries no active \
                content: the theme's scripts are the only ones";
    let needle = active.needle.to_ascii_lowercase();
    let line_in = |text: &str| {
        text.lines()
            .position(|l| l.to_ascii_lowercase().contains(&needle))
            .map(|i| i + 1)
    };
    let Some(chapter) = chapter else {
        return Problem::new(
            book.book().src().join("SUMMARY.md"),
            None,
            format!("{} in `{}` {tail}", active.what, page.display()),
        );
    };
    if let Some(line) = line_in(&chapter.text) {
        return Problem::new(&chapter.file, Some(line), format!("{} {tail}", active.what));
    }
    for d in &chapter.directives {
        let Some(rel) = book.book().relative(&d.path) else {
            continue;
        };
        if let Some(line) = book.text(rel).and_then(line_in) {
            return Problem::new(
                rel,
                Some(line),
                format!(
                    "{} {tail}; `{}` (line {} of {}) brings it in",
                    active.what,
                    d.text,
                    d.line,
                    chapter.file.display()
                ),
            );
        }
    }
    Problem::new(&chapter.file, None, format!("{} {tail}", active.what))
}

/// Every `.html` file under `html`, relative to it.
fn pages(html: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![PathBuf::new()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(html.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel = dir.join(entry.file_name());
            match entry.file_type() {
                Ok(t) if t.is_dir() => dirs.push(rel),
                Ok(t) if t.is_file() && rel.extension().is_some_and(|e| e == "html") => {
                    found.push(rel);
                }
                _ => {}
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "<!DOCTYPE html><html><head><script src=\"book.js\"></script>\
        <meta charset=\"utf-8\"></head><body><div><main>CONTENT</main>\
        <nav class=\"nav-wrapper\" aria-label=\"Page navigation\"><a rel=\"next\" \
        href=\"ch02.html\">next</a></nav><script>var x = 1;</script></body></html>";

    fn page(content: &str) -> Vec<String> {
        in_page(&TEMPLATE.replace("CONTENT", content))
            .into_iter()
            .map(|a| a.what)
            .collect()
    }

    #[test]
    fn the_templates_own_scripts_pass_and_what_the_chapter_adds_is_named() {
        assert!(page("<p>A <em>figure</em>.</p>").is_empty());
        assert!(page("<details\nontoggle=alert(1) open>")[0].contains("ontoggle"));
        assert!(page("</main><SCRIPT>alert(1)</SCRIPT>")[0].contains("<script>"));
        assert!(page("<a href=\"&#106;avascript:alert(1)\">x</a>")[0].contains("javascript:"));
        // A tag left open takes in the template's markup after it.
        assert!(!page("<img alt=\"x\" onerror=alert(1) src=").is_empty());
    }
}
