//! Coverage both ways: every listing is shown by some chapter, and every
//! block in a chapter that looks like program output comes from a listing's
//! checked output file.

use std::path::{Path, PathBuf};

use crate::book::chapters::CodeBlock;
use crate::book::listings::EXPECTED_OUTPUT;
use crate::book::problem::Problem;
use crate::book::session::TRANSCRIPT;
use crate::engine::trace::Reader;

/// The languages of blocks that show source code, not program output. A
/// block of any other language (`text`, `console`, `shell`, `sh`, `bash`,
/// `powershell`, `output`, none, …) may hold what a program printed, so it
/// must be a listing's checked output or say it is not (`not-output`): an
/// author who pastes output into a ```` ```shell ```` block is caught as in
/// a ```` ```text ```` one. README, "Output in the text", lists these.
pub const SOURCE_LANGUAGES: &[&str] = &[
    "rust",
    "toml",
    "c",
    "cpp",
    "c++",
    "python",
    "py",
    "javascript",
    "js",
    "html",
    "css",
    "json",
    "yaml",
    "yml",
    "xml",
    "svg",
    "markdown",
    "md",
    "sql",
    "asm",
    "x86asm",
    "diff",
];
/// The tag that says a text block is not program output.
pub const NOT_OUTPUT: &str = "not-output";
/// The tag that tells the reader their output may differ (the theme shows
/// it); required on the output of a listing whose output varies.
pub const MAY_DIFFER: &str = "may-differ";

pub use crate::book::listings::listing_dir_of;

pub fn check(book: &Reader) -> Vec<Problem> {
    let chapters = match book.chapters() {
        Ok(chapters) => chapters,
        Err(problems) => return problems.to_vec(),
    };
    let listings = book.listings();
    let root = book.root();
    let mut problems = Vec::new();
    let shown = book.book().shown_in();
    for listing in listings {
        if !shown.contains_key(&listing.dir) {
            problems.push(Problem::new(
                &listing.rel,
                None,
                "no chapter shows this listing: include it with `{{#rustdoc_include …}}`, or delete it",
            ));
        }
    }
    for chapter in chapters {
        for block in &chapter.blocks {
            let tags = block.tags();
            let looks_like_output = tags.is_empty() || !SOURCE_LANGUAGES.contains(&tags[0]);
            if !looks_like_output || tags.contains(&NOT_OUTPUT) {
                continue;
            }
            if let Some(dir) = single_output_include(root, block) {
                let varies = listings
                    .iter()
                    .find(|l| l.dir == dir)
                    .and_then(|l| l.declared.as_ref().ok())
                    .is_some_and(|d| d.varies.is_some());
                let tagged = tags.contains(&MAY_DIFFER);
                let message = match (varies, tagged) {
                    (true, false) => format!(
                        "this listing's output differs from run to run ([package.metadata.listing.varies]): \
                         tag the block ```{},{MAY_DIFFER} so the page tells the reader that theirs may differ",
                        tags.first().unwrap_or(&"text")
                    ),
                    (false, true) => format!(
                        "`{MAY_DIFFER}` tells the reader their output may differ, but this listing \
                         declares no [package.metadata.listing.varies]"
                    ),
                    _ => continue,
                };
                problems.push(Problem::new(&chapter.file, Some(block.line), message));
            } else {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(block.line),
                    format!(
                        "this `{}` block looks like program output, but it is not a single \
                         `{{{{#include …/{EXPECTED_OUTPUT}}}}}` (or …/{TRANSCRIPT}) of a listing's \
                         checked output. Include the output file, or mark the block \
                         ```{},{NOT_OUTPUT}",
                        if block.info.is_empty() {
                            "unlabelled"
                        } else {
                            &block.info
                        },
                        tags.first().unwrap_or(&"text"),
                    ),
                ));
            }
        }
    }
    problems
}

/// The listing directory whose checked output the block is, alone.
fn single_output_include(root: &Path, block: &CodeBlock) -> Option<PathBuf> {
    let found = block.single_directive()?;
    // `{{#include}}` or `{{#rustdoc_include}}`: of a file that is not Rust,
    // whole, the two show the same.
    let output = (found.kind == "include" || found.kind == "rustdoc_include")
        && found
            .path
            .file_name()
            .is_some_and(|n| n == EXPECTED_OUTPUT || n == TRANSCRIPT);
    if !output {
        return None;
    }
    listing_dir_of(root, &found.path)
}
