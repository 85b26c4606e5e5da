//! Run buttons: every Rust block in a chapter is offered to the reader's
//! Run button, including the listings that fail on purpose, so that readers
//! see the compiler's error or the panic on the playground too. mdBook
//! marks a runnable block `<pre class="playground">` when it builds the page;
//! `ignore`, `noplayground` and a playground switched off in book.toml lose it.

use std::path::Path;

use scraper::{Html, Selector};

use crate::Problem;
use crate::chapters::Chapter;

pub fn check(html_dir: &Path, chapters: &[Chapter]) -> Vec<Problem> {
    let rust_blocks = Selector::parse("main pre > code.language-rust").unwrap();
    let mut problems = Vec::new();
    for chapter in chapters {
        let Ok(text) = std::fs::read_to_string(html_dir.join(chapter.page())) else {
            continue;
        };
        let html = Html::parse_document(&text);
        // The n-th Rust block on the page is the n-th ```rust fence.
        let fences: Vec<usize> = chapter
            .text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("```rust"))
            .map(|(i, _)| i + 1)
            .collect();
        for (n, code) in html.select(&rust_blocks).enumerate() {
            let pre = code.parent().and_then(scraper::ElementRef::wrap);
            if pre.is_some_and(|pre| {
                pre.value()
                    .has_class("playground", scraper::CaseSensitivity::CaseSensitive)
            }) {
                continue;
            }
            problems.push(Problem::new(
                &chapter.file,
                fences.get(n).copied(),
                "this Rust block has no Run button: every listing is offered to the playground, \
                 even one that fails on purpose (drop `ignore`/`noplayground`; keep \
                 `[output.html.playground] runnable = true`)",
            ));
        }
    }
    problems
}
