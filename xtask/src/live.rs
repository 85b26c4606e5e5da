//! Live verdicts for `cargo xtask serve`: whether each listing still prints what
//! the book shows, and where on the served pages its output blocks are, so
//! the page can mark a block whose output no longer matches.

use std::path::Path;

use serde::Serialize;

use harness::book::chapters::Chapter;
use harness::book::listings::{EXPECTED_OUTPUT, Listing};
use harness::book::problem::Problem;
use harness::book::session::TRANSCRIPT;

/// One listing's verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// `listings/ch02-x/listing-02-01`.
    pub listing: String,
    pub ok: bool,
    /// The problems, as `cargo test` reports them.
    pub report: String,
    /// The blocks that show its output.
    pub blocks: Vec<Block>,
}

/// An output block on a page: the `index`-th `<pre>` of the page's `<main>`
/// (mdBook makes one of each fenced code block, in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub page: String,
    pub index: usize,
}

/// The blocks of `chapters` that include `listing_dir`'s output.txt or
/// transcript.txt.
pub fn output_blocks(chapters: &[Chapter], listing_dir: &Path) -> Vec<Block> {
    let mut found = Vec::new();
    for chapter in chapters {
        for (index, block) in chapter.blocks.iter().enumerate() {
            let shows_output = block.directives.iter().any(|d| {
                d.path.parent() == Some(listing_dir)
                    && d.path
                        .file_name()
                        .is_some_and(|n| n == EXPECTED_OUTPUT || n == TRANSCRIPT)
            });
            if shows_output {
                found.push(Block {
                    page: chapter.page().display().to_string(),
                    index,
                });
            }
        }
    }
    found
}

/// The verdict on `listing`, given the problems the listings check found
/// with it.
pub fn verdict(
    root: &Path,
    chapters: &[Chapter],
    listing: &Listing,
    problems: Vec<Problem>,
) -> Verdict {
    let rel = listing.dir.strip_prefix(root).unwrap_or(&listing.dir);
    Verdict {
        listing: rel.display().to_string(),
        ok: problems.is_empty(),
        report: harness::book::problem::report(problems)
            .err()
            .unwrap_or_default(),
        blocks: output_blocks(chapters, &listing.dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_that_includes_a_listings_output_is_found_by_its_place() {
        let root = Path::new("/book");
        let chapter = Chapter::new(
            root,
            "src/ch02-guessing-game.md".into(),
            "ch02-guessing-game.md".into(),
            "# Guess\n\n```rust,noplayground\n{{#rustdoc_include ../listings/ch02-g/listing-02-01/src/main.rs}}\n```\n\n\
                   ```console\n{{#include ../listings/ch02-g/listing-02-01/transcript.txt}}\n```\n\n\
                   ```text\n{{#include ../listings/ch02-g/listing-02-02/output.txt}}\n```\n"
                .into(),
        );
        let blocks = output_blocks(&[chapter], Path::new("/book/listings/ch02-g/listing-02-01"));
        assert_eq!(
            blocks,
            [Block {
                page: "ch02-guessing-game.html".into(),
                index: 1
            }]
        );
    }
}
