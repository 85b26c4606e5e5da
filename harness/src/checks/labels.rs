//! Listing labels, made from the listings themselves: above every code
//! block that shows a file of a listing, the listing's number (its
//! directory `listing-01-01` is Listing 1-1), the file the reader types it
//! into (relative to the listing: `src/main.rs`, `src/lib.rs`, `Cargo.toml`,
//! `poem.txt`), "continued" on a later block of the same listing in the same
//! chapter, and the listing's caption (`caption` in its
//! `[package.metadata.listing]`) on its first block. Output and terminal
//! blocks (`output.txt`, `transcript.txt`) keep the theme's own labels.
//!
//! It is an mdBook preprocessor, `[preprocessor.listing-labels]` in
//! book.toml, run before `links` expands the includes, so plain `mdbook
//! build` and `mdbook serve` label the listings too (through `cargo xtask
//! listing-labels`); the checks run it in-process (`book::load`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::book::chapters::{Chapter, code_blocks, directives_in};
use crate::book::listings::EXPECTED_OUTPUT;
use crate::book::problem::Problem;
use crate::book::session::TRANSCRIPT;

/// The preprocessor's name in book.toml.
pub const NAME: &str = crate::book::model::LABELS;

/// The class of a label's paragraph on the page.
pub const CLASS: &str = "cbh-listing-label";

/// What the label of a block that shows part of a file adds.
const EXCERPT: &str = " (an excerpt)";

/// The preprocessor.
#[derive(Debug, Default)]
pub struct ListingLabels;

impl Preprocessor for ListingLabels {
    fn name(&self) -> &str {
        NAME
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let src = ctx.config.book.src.clone();
        // Each manifest read once in this pass, however many blocks show
        // its listing.
        let manifests = std::cell::RefCell::new(std::collections::HashMap::new());
        book.for_each_mut(|item| {
            if let BookItem::Chapter(ch) = item
                && let Some(path) = &ch.source_path
            {
                let chapter = Chapter::new(
                    &ctx.root,
                    src.join(path),
                    path.clone(),
                    std::mem::take(&mut ch.content),
                );
                let number = ch.number.as_ref().and_then(|n| n.first().copied());
                let manifest = |listing: &Path| -> String {
                    let rel = listing.join("Cargo.toml");
                    let mut known = manifests.borrow_mut();
                    known
                        .entry(rel)
                        .or_insert_with_key(|rel| {
                            crate::book::files::read(&ctx.root, rel)
                                .ok()
                                .flatten()
                                .map(|b| String::from_utf8_lossy(&b).into_owned())
                                .unwrap_or_default()
                        })
                        .clone()
                };
                let notes = |listing: &Path| note_in(&manifest(listing));
                let labelled = labelled(&ctx.root, &chapter, &manifest, &notes);
                // Outputs are marked while their includes are still there
                // to find; then a transcript's include becomes its text.
                let marked = numbered_figures(
                    &outputs_marked(&ctx.root, &chapter, &labelled, &manifest),
                    number,
                );
                let shown = terminals_as_shown(&ctx.root, &chapter.file, &marked);
                // A chapter recorded in an older edition runs its blocks in it.
                let recorded =
                    crate::book::files::read(&ctx.root, &crate::running::drift::chapter_file(path))
                        .ok()
                        .flatten();
                let text = recorded.as_deref().map(String::from_utf8_lossy);
                ch.content = match crate::running::drift::recorded_edition(text.as_deref()) {
                    Some(year) => crate::book::chapters::with_edition(&shown, &year),
                    None => shown,
                };
            }
        });
        Ok(book)
    }
}

/// One label: what a block of a listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The listing's directory, relative to the book's root.
    pub listing: PathBuf,
    /// "Listing 1-1".
    pub number: String,
    /// The file shown, relative to the listing.
    pub file: String,
    pub continued: bool,
    /// The block shows part of the file, and copying it gives that part
    /// only (an `{{#include}}` with an anchor or lines; a
    /// `{{#rustdoc_include}}` hides the rest instead, and copy gives it all).
    pub excerpt: bool,
    pub caption: Option<String>,
    /// The listing is an exercise (its goal: `output` or `tests`): the page
    /// offers "Write it" on it (theme/cbh-listings.js).
    pub exercise: Option<&'static str>,
}

impl Label {
    /// The label as the page shows it.
    pub fn text(&self) -> String {
        let mut text = self.number.clone();
        if self.continued {
            text.push_str(", continued");
        }
        text.push_str(": ");
        text.push_str(&self.file);
        if self.excerpt {
            text.push_str(EXCERPT);
        }
        if let Some(caption) = &self.caption {
            text.push_str(" — ");
            text.push_str(caption);
        }
        text
    }

    fn html(&self) -> String {
        let exercise = self
            .exercise
            .map(|goal| format!(" data-exercise=\"{goal}\""))
            .unwrap_or_default();
        let mut html = format!(
            "<p class=\"{CLASS}\" data-listing=\"{}\" data-file=\"{}\"{exercise}>\
             <span class=\"cbh-listing-number\">{}</span>",
            escape(&self.listing.to_string_lossy()),
            escape(&self.file),
            escape(&self.number)
        );
        if self.continued {
            html.push_str(", continued");
        }
        html.push_str(&format!(
            ": <code class=\"cbh-listing-file\">{}</code>",
            escape(&self.file)
        ));
        if self.excerpt {
            html.push_str(&format!(
                "<span class=\"cbh-listing-excerpt\">{EXCERPT}</span>"
            ));
        }
        if let Some(caption) = &self.caption {
            html.push_str(&format!(
                "<span class=\"cbh-listing-caption\"> — {}</span>",
                escape(caption)
            ));
        }
        html.push_str("</p>");
        html
    }
}

/// The labels of a chapter's code blocks, in order: `None` for a block
/// that shows no listing's file. `manifest` gives a listing's Cargo.toml
/// (from its directory, relative to the book's root): its caption, and
/// whether it is an exercise.
pub fn labels(
    root: &Path,
    chapter: &Chapter,
    manifest: &dyn Fn(&Path) -> String,
) -> Vec<Option<Label>> {
    let mut seen = BTreeSet::new();
    chapter
        .blocks
        .iter()
        .map(|block| {
            let directive = block.single_directive()?;
            let (listing, file) = listing_file(root, &directive.path)?;
            if file == EXPECTED_OUTPUT || file == TRANSCRIPT {
                return None;
            }
            let continued = !seen.insert(listing.clone());
            let excerpt = directive.kind == "include"
                && directive.text.contains(&format!("{}:", directive.written));
            let toml = manifest(&listing);
            let caption = (!continued).then(|| caption_in(&toml)).flatten();
            Some(Label {
                number: number(&listing),
                exercise: exercise_in(&toml),
                listing,
                file,
                continued,
                excerpt,
                caption,
            })
        })
        .collect()
}

/// The notes under a chapter's code blocks, in order: for a block that
/// shows a listing's output (`output.txt`, `transcript.txt`), what the
/// reader should know of how it was recorded (`note`, from the listing's
/// directory: see `note_in`); `None` for every other block.
pub fn notes(
    root: &Path,
    chapter: &Chapter,
    note: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Option<String>> {
    chapter
        .blocks
        .iter()
        .map(|block| {
            let directive = block.single_directive()?;
            let (listing, file) = listing_file(root, &directive.path)?;
            (file == EXPECTED_OUTPUT || file == TRANSCRIPT)
                .then(|| note(&listing))
                .flatten()
        })
        .collect()
}

/// What a page says under a listing's output about how it was recorded,
/// from the listing's manifest: the rustc lints the recording turned off
/// (and what to type to see the same), and a fixed seed (the reader's
/// numbers will differ). `None` when there is nothing to say.
pub fn note_in(manifest: &str) -> Option<String> {
    let declared = crate::book::metadata::parse(Path::new("Cargo.toml"), Ok(manifest))
        .ok()?
        .1;
    let mut said = Vec::new();
    if let Some(recorded) = &declared.recorded {
        let lints: Vec<String> = recorded.allow.iter().map(|l| format!("`{l}`")).collect();
        said.push(format!(
            "Recorded without rustc's {} warnings ({}). To see the same, type `{}` before the command.",
            lints.join(" and "),
            recorded.why.trim().trim_end_matches('.'),
            recorded.rustflags()
        ));
    }
    if let Some(varies) = declared
        .varies
        .as_ref()
        .filter(|v| !v.optional_lines.is_empty())
    {
        let texts: Vec<String> = varies
            .optional_lines
            .iter()
            .map(|o| format!("“{o}”"))
            .collect();
        said.push(format!(
            "Lines with {} may be missing from your run, or come elsewhere: {}.",
            texts.join(" or "),
            varies.why.trim().trim_end_matches('.')
        ));
    }
    if declared.seed.is_some() {
        said.push(
            "The program draws random numbers; the book's run drew them from a fixed seed, so \
             yours will differ."
                .to_string(),
        );
    }
    (!said.is_empty()).then(|| said.join(" "))
}

/// The chapter with a label above each block that shows a listing's file,
/// and a note under each block that shows an output recorded in a way the
/// reader should know of.
fn labelled(
    root: &Path,
    chapter: &Chapter,
    manifest: &dyn Fn(&Path) -> String,
    note: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let labels = labels(root, chapter, manifest);
    let notes = notes(root, chapter, note);
    let mut at_line: Vec<(usize, Label)> = chapter
        .blocks
        .iter()
        .zip(labels)
        .filter_map(|(block, label)| Some((block.line, label?)))
        .collect();
    let mut after_line: Vec<(usize, String)> = chapter
        .blocks
        .iter()
        .zip(notes)
        .filter_map(|(block, note)| Some((block.end_line, note?)))
        .collect();
    if at_line.is_empty() && after_line.is_empty() {
        return chapter.text.clone();
    }
    at_line.reverse();
    after_line.reverse();
    let mut out = String::with_capacity(chapter.text.len() + 200 * at_line.len());
    let mut indent = String::new();
    for (n, line) in chapter.text.split_inclusive('\n').enumerate() {
        if at_line.last().is_some_and(|(at, _)| *at == n + 1) {
            let (_, label) = at_line.pop().unwrap();
            indent = line.chars().take_while(|c| *c == ' ').collect();
            out.push_str(&format!("\n{indent}{}\n\n", label.html()));
        }
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            indent = line.chars().take_while(|c| *c == ' ').collect();
        }
        out.push_str(line);
        if after_line.last().is_some_and(|(at, _)| *at == n + 1) {
            let (_, note) = after_line.pop().unwrap();
            if !line.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!(
                "\n{indent}<p class=\"{NOTE_CLASS}\">{}</p>\n\n",
                code_spans(&escape(&note))
            ));
        }
    }
    out
}

/// `text` with each pair of backticks made a `<code>` element.
fn code_spans(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{part}</code>"));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The class of the marker just above a block that shows a listing's output.
pub const OUTPUT_CLASS: &str = "cbh-output-of";

/// `text` (the chapter's, or the chapter labelled) with a hidden marker
/// just above each block that shows a listing's `output.txt` or
/// `transcript.txt`, naming the listing (`<div hidden class="cbh-output-of"
/// data-listing="listings/…">`), so the page knows whose output a block is:
/// the theme's "Type it" compares what a learner's typed program prints with
/// it (theme/cbh-typeit.js). `chapter` places the includes.
fn outputs_marked(
    root: &Path,
    chapter: &Chapter,
    text: &str,
    manifest: &dyn Fn(&Path) -> String,
) -> String {
    let mut at_line: Vec<(usize, String)> = code_blocks(text)
        .into_iter()
        .filter_map(|block| {
            let shown = directives_in(root, chapter, &block.body);
            let [directive] = shown.as_slice() else {
                return None;
            };
            if block.body.trim() != directive.text.trim() {
                return None;
            }
            let (listing, file) = listing_file(root, &directive.path)?;
            let kind = match file.as_str() {
                EXPECTED_OUTPUT => "",
                TRANSCRIPT => " data-kind=\"transcript\"",
                _ => return None,
            };
            let tolerance = tolerance_in(&manifest(&listing));
            Some((
                block.line,
                format!(
                    "<div hidden class=\"{OUTPUT_CLASS}\" data-listing=\"{}\"{kind}{tolerance}></div>",
                    escape(&listing.to_string_lossy())
                ),
            ))
        })
        .collect();
    at_line.reverse();
    let mut out = String::with_capacity(text.len() + 120 * at_line.len());
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if at_line.last().is_some_and(|(at, _)| *at == n + 1) {
            let (_, html) = at_line.pop().unwrap();
            let indent: String = line.chars().take_while(|c| *c == ' ').collect();
            out.push_str(&format!("\n{indent}{html}\n\n"));
        }
        out.push_str(line);
    }
    out
}

/// The class of a note's paragraph on the page.
pub const NOTE_CLASS: &str = "cbh-listing-note";

/// The chapter with each include of a listing's transcript made the
/// transcript as the reader's terminal shows it (`transcript::as_shown`:
/// no status lines), a line range counted in those lines; what it holds
/// that looks like a directive is escaped, so mdBook's `links` leaves it as
/// it is. Other includes are left to mdBook.
fn terminals_as_shown(root: &Path, file: &Path, text: &str) -> String {
    crate::book::chapters::replace_directives(root, file, text, |d| {
        if d.path.file_name().is_none_or(|n| n != TRANSCRIPT) || d.anchor.is_some() {
            return None;
        }
        let rel = d.path.strip_prefix(root).ok()?;
        let bytes = crate::book::files::read(root, rel).ok()??;
        let shown = crate::book::session::as_shown(std::str::from_utf8(&bytes).ok()?);
        let lines: Vec<&str> = shown.split_inclusive('\n').collect();
        let (first, last) = d.lines.unwrap_or((1, None));
        let from = first.saturating_sub(1).min(lines.len());
        let to = last.unwrap_or(lines.len()).clamp(from, lines.len());
        let part: String = lines[from..to].concat();
        Some(part.trim_end_matches('\n').replace("{{#", "\\{{#"))
    })
}

/// The chapter with each figure's caption numbered, "Figure 1-2", in the
/// order the figures come (`number` is the chapter's). The caption's own
/// words stay as they are, after the number.
fn numbered_figures(text: &str, chapter: Option<u32>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut figures = 0;
    let mut in_code = false;
    let mut pending: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        if in_code {
            out.push_str(line);
            continue;
        }
        if let Some(number) = pending.take() {
            if trimmed.is_empty() {
                pending = Some(number);
                out.push_str(line);
                continue;
            }
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(&format!("{indent}{number}{trimmed}"));
            continue;
        }
        if let Some(at) = line.find("<figcaption>") {
            figures += 1;
            let number = match chapter {
                Some(c) => {
                    format!("<span class=\"cbh-figure-number\">Figure {c}-{figures}.</span> ")
                }
                None => format!("<span class=\"cbh-figure-number\">Figure {figures}.</span> "),
            };
            let after = at + "<figcaption>".len();
            if line[after..].trim().is_empty() {
                // The caption is Markdown on the lines that follow.
                out.push_str(line);
                pending = Some(number);
            } else {
                out.push_str(&line[..after]);
                out.push_str(&number);
                out.push_str(&line[after..]);
            }
            continue;
        }
        out.push_str(line);
    }
    out
}

/// The listing a file belongs to (relative to the book's root:
/// `listings/<chapter>/<listing>`), and the file relative to it.
fn listing_file(root: &Path, path: &Path) -> Option<(PathBuf, String)> {
    let dir = crate::book::listings::listing_dir_of(root, path)?;
    let file = path.strip_prefix(&dir).ok()?;
    if file.as_os_str().is_empty() {
        return None;
    }
    Some((
        dir.strip_prefix(root).ok()?.to_path_buf(),
        file.to_string_lossy().replace('\\', "/"),
    ))
}

/// "Listing 1-1" for `listing-01-01`; the directory's name otherwise.
pub fn number(listing: &Path) -> String {
    let name = listing
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = name.split('-').collect();
    match parts.as_slice() {
        ["listing", chapter, n, ..] => match (chapter.parse::<u32>(), n.parse::<u32>()) {
            (Ok(chapter), Ok(n)) => format!("Listing {chapter}-{n}"),
            _ => name,
        },
        _ => name,
    }
}

/// How a listing's output may differ from run to run, as attributes of its
/// output's marker, for "Predict it" to compare within the same tolerance
/// (theme/cbh-predict.js): `data-any-order`, `data-elided`, and the
/// `data-optional` texts and `data-spans` patterns as JSON lists.
pub fn tolerance_in(manifest: &str) -> String {
    let Some(varies) = crate::book::metadata::parse(Path::new("Cargo.toml"), Ok(manifest))
        .ok()
        .and_then(|(_, declared)| declared.varies)
    else {
        return String::new();
    };
    let mut attributes = String::new();
    if varies.any_order {
        attributes.push_str(" data-any-order");
    }
    if varies.elided_lines {
        attributes.push_str(" data-elided");
    }
    for (name, list) in [
        ("optional", &varies.optional_lines),
        ("spans", &varies.spans),
    ] {
        if !list.is_empty() {
            let json = serde_json::to_string(list).unwrap_or_default();
            attributes.push_str(&format!(" data-{name}=\"{}\"", escape(&json)));
        }
    }
    attributes
}

/// The goal of the exercise a listing's manifest declares, if it is one.
pub fn exercise_in(manifest: &str) -> Option<&'static str> {
    let declared = crate::book::metadata::parse(Path::new("Cargo.toml"), Ok(manifest))
        .ok()?
        .1;
    declared.exercise.map(|e| match e.goal {
        crate::book::metadata::Goal::Output => "output",
        crate::book::metadata::Goal::Tests => "tests",
    })
}

/// The caption in a listing's manifest (its metadata's `caption`).
pub fn caption_in(manifest: &str) -> Option<String> {
    let manifest: toml::Table = manifest.parse().ok()?;
    manifest
        .get("package")?
        .get("metadata")?
        .get("listing")?
        .get("caption")?
        .as_str()
        .map(str::to_string)
}

/// Every block that shows a listing's file has its label on the built page
/// (`pages`, parsed), reading what the listing says (`caption`); no other
/// block has one.
pub fn check(
    root: &Path,
    pages: &[(&Chapter, scraper::Html)],
    manifest: &dyn Fn(&Path) -> String,
    note: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Problem> {
    let blocks = scraper::Selector::parse("main pre").unwrap();
    let mut problems = Vec::new();
    for (chapter, html) in pages {
        let fences = &chapter.blocks;
        let expected = labels(root, chapter, manifest);
        let expected_notes = notes(root, chapter, note);
        for ((pre, fence), expected_note) in html.select(&blocks).zip(fences).zip(&expected_notes) {
            // An output recorded as the reader should know says how, under
            // its block.
            let Some(note) = expected_note else {
                continue;
            };
            let shown = beside(pre, Side::After, NOTE_CLASS).map(|e| e.text().collect::<String>());
            if shown.as_deref() != Some(&note.replace('`', "")) {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(fence.line),
                    format!(
                        "this block shows an output the reader should know more of (\"{}\"), \
                         but the page says {}: book.toml needs `[preprocessor.{NAME}]`",
                        note.replace('`', ""),
                        shown.map_or("nothing".to_string(), |s| format!("\"{s}\""))
                    ),
                ));
            }
        }
        for ((pre, fence), expected) in html.select(&blocks).zip(fences).zip(&expected) {
            // A transcript shows as the terminal does: no status line.
            let shows_transcript = fence
                .single_directive()
                .is_some_and(|d| d.path.file_name().is_some_and(|n| n == TRANSCRIPT));
            let code: String = pre.text().collect();
            if shows_transcript
                && let Some(status) = code.lines().find(|l| {
                    l.strip_prefix("? ")
                        .is_some_and(|s| s == "failed" || s.parse::<i32>().is_ok())
                })
            {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(fence.line),
                    format!(
                        "this block shows a transcript's status line `{status}`, which no \
                         terminal prints: book.toml needs `[preprocessor.{NAME}]` with \
                         `before = [\"links\"]`, which shows the transcript as the terminal does"
                    ),
                ));
            }
            let shown = beside(pre, Side::Before, CLASS);
            let shown_text = shown.map(|e| e.text().collect::<String>());
            let message = match (expected, shown_text) {
                (Some(label), Some(text)) if text == label.text() => continue,
                (None, None) => continue,
                (Some(label), Some(text)) => format!(
                    "this block shows {}/{}, so its label should read \"{}\", but the page \
                     shows \"{text}\"",
                    label.listing.display(),
                    label.file,
                    label.text()
                ),
                (Some(label), None) => format!(
                    "this block shows {}/{}, but the page has no label above it (\"{}\"): \
                     book.toml needs `[preprocessor.{NAME}]` with `before = [\"links\"]`",
                    label.listing.display(),
                    label.file,
                    label.text()
                ),
                (None, Some(text)) => {
                    format!("this block shows no listing's file, but the page labels it \"{text}\"")
                }
            };
            problems.push(Problem::new(&chapter.file, Some(fence.line), message));
        }
    }
    problems
}

/// Runs the preprocessor as mdBook runs a command: `supports RENDERER`
/// answers (every renderer is supported); no argument reads the book as
/// JSON on stdin and writes it back, labelled, on stdout.
pub fn run_as_command(args: &[String]) -> std::result::Result<(), String> {
    if args.first().is_some_and(|a| a == "supports") {
        return Ok(());
    }
    let (ctx, book) =
        mdbook_preprocessor::parse_input(std::io::stdin()).map_err(|e| format!("{e:#}"))?;
    let book = ListingLabels
        .run(&ctx, book)
        .map_err(|e| format!("{e:#}"))?;
    serde_json::to_writer(std::io::stdout(), &book).map_err(|e| e.to_string())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

enum Side {
    Before,
    After,
}

/// The element just before or after `element`, if it has `class` (a
/// block's label above it, its note under it).
fn beside<'a>(
    element: scraper::ElementRef<'a>,
    side: Side,
    class: &str,
) -> Option<scraper::ElementRef<'a>> {
    match side {
        Side::Before => element.prev_siblings().find_map(scraper::ElementRef::wrap),
        Side::After => element.next_siblings().find_map(scraper::ElementRef::wrap),
    }
    .filter(|e| {
        e.value()
            .has_class(class, scraper::CaseSensitivity::CaseSensitive)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_numbered_in_their_captions() {
        let text = "<figure>\n  <img src=\"a.svg\" alt=\"A.\">\n  <figcaption>A train.</figcaption>\n</figure>\n\n\
                    ```html\n<figcaption>not a figure</figcaption>\n```\n\n\
                    <figure>\n  <figcaption>\n\nA van.[^note]\n\n  </figcaption>\n</figure>\n";
        snapbox::assert_data_eq!(
            numbered_figures(text, Some(3)),
            snapbox::str![[r#"
<figure>
  <img src="a.svg" alt="A.">
  <figcaption><span class="cbh-figure-number">Figure 3-1.</span> A train.</figcaption>
</figure>

```html
<figcaption>not a figure</figcaption>
```

<figure>
  <figcaption>

<span class="cbh-figure-number">Figure 3-2.</span> A van.[^note]

  </figcaption>
</figure>

"#]]
        );
    }

    #[test]
    fn a_transcript_shows_as_the_terminal_does_and_a_range_counts_its_lines() {
        let dir = tempfile::tempdir().unwrap();
        let listing = dir.path().join("listings/ch12-x/listing-12-01");
        std::fs::create_dir_all(&listing).unwrap();
        std::fs::write(
            listing.join(TRANSCRIPT),
            "$ cargo run -- the poem.txt\nThe kettle hums\n$ cargo run -- the\n? 1\nProblem parsing arguments\n$ cargo run -- {{#x}}\n",
        )
        .unwrap();
        let text = "```console\n{{#include ../listings/ch12-x/listing-12-01/transcript.txt}}\n```\n\n\
                    ```console\n{{#rustdoc_include ../listings/ch12-x/listing-12-01/transcript.txt:3:4}}\n```\n";
        assert_eq!(
            terminals_as_shown(dir.path(), Path::new("src/ch12.md"), text),
            "```console\n$ cargo run -- the poem.txt\nThe kettle hums\n$ cargo run -- the\n\
             Problem parsing arguments\n$ cargo run -- \\{{#x}}\n```\n\n\
             ```console\n$ cargo run -- the\nProblem parsing arguments\n```\n"
        );
    }

    #[test]
    fn output_blocks_are_marked_with_their_listing() {
        let root = Path::new("/book");
        let chapter = Chapter::new(
            root,
            "src/ch01.md".into(),
            "ch01.md".into(),
            "```rust\n{{#rustdoc_include ../listings/ch01-x/listing-01-01/src/main.rs:sum}}\n```\n\n\
                   ```text\n{{#include ../listings/ch01-x/listing-01-01/output.txt}}\n```\n\n\
                   - A session:\n\n  ```console\n  {{#include ../listings/ch01-x/listing-01-02/transcript.txt}}\n  ```\n\n\
                   ```text,not-output\nnot a listing's output\n```\n"
                .into(),
        );
        snapbox::assert_data_eq!(
            outputs_marked(root, &chapter, &chapter.text, &|_| String::new()),
            snapbox::str![[r#"
```rust
{{#rustdoc_include ../listings/ch01-x/listing-01-01/src/main.rs:sum}}
```


<div hidden class="cbh-output-of" data-listing="listings/ch01-x/listing-01-01"></div>

```text
{{#include ../listings/ch01-x/listing-01-01/output.txt}}
```

- A session:


  <div hidden class="cbh-output-of" data-listing="listings/ch01-x/listing-01-02" data-kind="transcript"></div>

  ```console
  {{#include ../listings/ch01-x/listing-01-02/transcript.txt}}
  ```

```text,not-output
not a listing's output
```

"#]]
        );
    }

    #[test]
    fn numbers_come_from_the_directory() {
        assert_eq!(
            number(Path::new("listings/ch01-x/listing-01-01")),
            "Listing 1-1"
        );
        assert_eq!(
            number(Path::new("listings/ch12-x/listing-12-10")),
            "Listing 12-10"
        );
        assert_eq!(number(Path::new("listings/ch12-x/no-number")), "no-number");
    }

    #[test]
    fn every_block_of_a_listing_is_labelled_and_later_ones_continue() {
        let root = Path::new("/book");
        let chapter = Chapter::new(
            root,
            "src/ch01.md".into(),
            "ch01.md".into(),
            "Type this:\n\
                   ```rust\n{{#rustdoc_include ../listings/ch01-x/listing-01-01/src/main.rs:sum}}\n```\n\
                   It prints:\n\n\
                   ```text\n{{#include ../listings/ch01-x/listing-01-01/output.txt}}\n```\n\n\
                   - Then:\n\n  ```rust\n  {{#rustdoc_include ../listings/ch01-x/listing-01-01/src/main.rs:memory}}\n  ```\n\n\
                   ```toml\n{{#include ../listings/ch01-x/listing-01-02/Cargo.toml}}\n```\n\n\
                   ```rust\n{{#include ../listings/ch01-x/listing-01-02/src/lib.rs:part}}\n```\n"
                .into(),
        );
        let text = labelled(root, &chapter, &|_| String::new(), &|_| None);
        snapbox::assert_data_eq!(
            text,
            snapbox::str![[r#"
Type this:

<p class="cbh-listing-label" data-listing="listings/ch01-x/listing-01-01" data-file="src/main.rs"><span class="cbh-listing-number">Listing 1-1</span>: <code class="cbh-listing-file">src/main.rs</code></p>

```rust
{{#rustdoc_include ../listings/ch01-x/listing-01-01/src/main.rs:sum}}
```
It prints:

```text
{{#include ../listings/ch01-x/listing-01-01/output.txt}}
```

- Then:


  <p class="cbh-listing-label" data-listing="listings/ch01-x/listing-01-01" data-file="src/main.rs"><span class="cbh-listing-number">Listing 1-1</span>, continued: <code class="cbh-listing-file">src/main.rs</code></p>

  ```rust
  {{#rustdoc_include ../listings/ch01-x/listing-01-01/src/main.rs:memory}}
  ```


<p class="cbh-listing-label" data-listing="listings/ch01-x/listing-01-02" data-file="Cargo.toml"><span class="cbh-listing-number">Listing 1-2</span>: <code class="cbh-listing-file">Cargo.toml</code></p>

```toml
{{#include ../listings/ch01-x/listing-01-02/Cargo.toml}}
```


<p class="cbh-listing-label" data-listing="listings/ch01-x/listing-01-02" data-file="src/lib.rs"><span class="cbh-listing-number">Listing 1-2</span>, continued: <code class="cbh-listing-file">src/lib.rs</code><span class="cbh-listing-excerpt"> (an excerpt)</span></p>

```rust
{{#include ../listings/ch01-x/listing-01-02/src/lib.rs:part}}
```

"#]]
        );
    }
}
