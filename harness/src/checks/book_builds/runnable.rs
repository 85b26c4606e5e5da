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

use scraper::{Html, Selector};

use crate::book::chapters::Chapter;
use crate::book::chapters::CodeBlock;
use crate::book::listings::Listing;
use crate::book::problem::Problem;
use crate::book::session::{INPUT, TRANSCRIPT};
use crate::engine::trace::Reader;

pub fn check(book: &Reader, pages: &[(&Chapter, Html)]) -> Vec<Problem> {
    let listings = book.listings();
    let rust_blocks = Selector::parse("main pre > code.language-rust").unwrap();
    let mut problems = Vec::new();
    for (chapter, html) in pages {
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
    if let Some(why) = not_on_the_playground(listing, book) {
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

/// Crates of the playground's list (the most downloaded ones) that courses
/// use; a listing that depends on another crate cannot run there.
const PLAYGROUND_CRATES: [&str; 14] = [
    "rand",
    "regex",
    "serde",
    "serde_json",
    "itertools",
    "chrono",
    "anyhow",
    "thiserror",
    "once_cell",
    "tokio",
    "futures",
    "rayon",
    "log",
    "clap",
];

/// The files a listing may have and still run on the playground.
const PLAYGROUND_FILES: [&str; 6] = [
    "Cargo.toml",
    "Cargo.lock",
    "src/main.rs",
    "output.txt",
    "transcript.txt",
    "rustfmt.toml",
];

/// Why the Rust playground cannot show the reader what the book prints
/// for this listing, or `None` when it can: a single `src/main.rs`,
/// with crates the playground has, run with no input, arguments,
/// variables or files, and not by `cargo test`.
pub fn not_on_the_playground(listing: &Listing, book: &Reader) -> Option<String> {
    for path in book.names(&listing.rel) {
        let file = path.strip_prefix(&listing.rel).unwrap_or(path);
        let name = file.display().to_string();
        // An exercise's solution is not on the page: the starter is run.
        if PLAYGROUND_FILES.contains(&name.as_str())
            || file.starts_with(crate::checks::outputs::SOLUTION)
        {
            continue;
        }
        return Some(if name == INPUT {
            "it reads what the reader types".into()
        } else if file.extension().is_some_and(|e| e == "rs") {
            format!("it is more than one file ({name})")
        } else {
            format!("it reads {name}")
        });
    }
    // An output that shows the compiler's warnings (a declared `command`'s):
    // the playground shows them apart from what the program prints.
    // Read only then: what a listing prints is otherwise none of the Run
    // button's business, and the build is not checked again when it changes.
    let declares_command = listing.declared.as_ref().is_ok_and(|d| d.command.is_some());
    if declares_command
        && book
            .text(&listing.rel.join(crate::book::listings::EXPECTED_OUTPUT))
            .unwrap_or_default()
            .lines()
            .any(|l| l.starts_with("warning") || l.starts_with("error"))
    {
        return Some(
            "its output shows the compiler's warnings, which the playground shows apart".into(),
        );
    }
    // What the reader runs: the transcript's commands, or the one it
    // declares (`command`).
    let mut commands = book
        .text(&listing.rel.join(TRANSCRIPT))
        .unwrap_or_default()
        .to_string();
    if let Some(command) = listing
        .declared
        .as_ref()
        .ok()
        .and_then(|d| d.command.as_ref())
    {
        commands.push_str(&format!("$ {command}\n"));
    }
    for step in crate::book::session::steps(&commands).unwrap_or_default() {
        if let Some((name, _)) = step.env.first() {
            return Some(format!("it is run with {name} set"));
        }
        match step.cargo_args.first().map(String::as_str) {
            Some("test") => return Some("its output is a `cargo test` run".into()),
            _ if step.cargo_args.iter().skip(1).any(|a| a != "--release") => {
                return Some("it is run with arguments".into());
            }
            _ => {}
        }
    }
    let manifest = book
        .text(&listing.rel.join("Cargo.toml"))
        .unwrap_or_default();
    let manifest: toml::Table = manifest.parse().unwrap_or_default();
    let lacking = manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .into_iter()
        .flat_map(|d| d.keys())
        .find(|name| !PLAYGROUND_CRATES.contains(&name.as_str()));
    lacking.map(|name| format!("it uses the crate `{name}`, which the playground lacks"))
}
