//! Run buttons that tell the truth. A `rust` block that shows a whole
//! program the Rust playground can run as the book prints it keeps its Run
//! button (mdBook marks it `<pre class="playground">`), the listings that
//! fail on purpose too, so readers see the compiler's error or the panic
//! there. A block the playground cannot reproduce (the program reads input,
//! arguments, variables or files, is several files, uses a crate the
//! playground lacks, or is shown by `cargo test`), or that shows only part
//! of a file, is ```` ```rust,noplayground ````: the theme says under it
//! that it runs with cargo on the reader's computer
//! (`theme/coding-by-hand.css`).

use std::path::Path;

use scraper::{Html, Selector};

use crate::Problem;
use crate::chapters::{Chapter, CodeBlock};
use crate::listings::Listing;
use crate::trace::Reader;

pub fn check(book: &Reader, html_dir: &Path, chapters: &[Chapter]) -> Vec<Problem> {
    let listings = book.listings();
    let rust_blocks = Selector::parse("main pre > code.language-rust").unwrap();
    let mut problems = Vec::new();
    for chapter in chapters {
        let Ok(text) = std::fs::read_to_string(html_dir.join(chapter.page())) else {
            continue;
        };
        let html = Html::parse_document(&text);
        // The n-th Rust block on the page is the n-th ```rust fence.
        let fences: Vec<&CodeBlock> = chapter.blocks.iter().filter(|b| b.is_rust()).collect();
        for (code, block) in html.select(&rust_blocks).zip(fences) {
            let pre = code.parent().and_then(scraper::ElementRef::wrap);
            let has_run = pre.is_some_and(|pre| {
                pre.value()
                    .has_class("playground", scraper::CaseSensitivity::CaseSensitive)
            });
            let why_not = why_not_runnable(book, block, listings);
            let message = match (has_run, why_not) {
                (true, None) | (false, Some(_)) => continue,
                (false, None) => "this Rust block has no Run button, but the playground can run \
                    it as the book prints it: drop `ignore`/`noplayground` (and keep \
                    `[output.html.playground] runnable = true`)"
                    .to_string(),
                (true, Some(why)) => format!(
                    "this Rust block has a Run button, but the playground cannot show what the \
                     book prints: {why}. Mark it ```rust,noplayground, and the page tells the \
                     reader to run it with cargo"
                ),
            };
            problems.push(Problem::new(&chapter.file, Some(block.line), message));
        }
    }
    problems
}

/// Why the playground cannot run this block as the book shows it.
fn why_not_runnable(book: &Reader, block: &CodeBlock, listings: &[Listing]) -> Option<String> {
    let directive = block.directives.first()?;
    let listing = listings
        .iter()
        .find(|l| directive.path.starts_with(&l.dir))?;
    if let Some(why) = listing.not_on_the_playground(book) {
        return Some(why);
    }
    let whole_program =
        directive.kind == "rustdoc_include" && directive.path == listing.dir.join("src/main.rs");
    (!whole_program).then(|| {
        "it shows part of a file, not a whole program (show src/main.rs with \
         {{#rustdoc_include}}, which hides the rest)"
            .to_string()
    })
}
