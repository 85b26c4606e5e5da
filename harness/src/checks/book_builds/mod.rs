//! The book builds, with mdBook's own crates, and what it builds holds
//! together: no broken link (mdbook-linkcheck2, in-process: linkcheck.rs),
//! no `#fragment` that points at nothing, every image in a captioned figure
//! with alt text, every listing's label, and a Run button where the
//! playground can run the listing and none where not.
//!
//! mdBook runs on a copy of the book made from the model (the snapshot):
//! `book.toml`, the chapters' directory, `theme/`, and the files the
//! chapters include, nothing else. So mdBook reads exactly what the model
//! read (never a link, never a file outside the book), and the verdict
//! depends on exactly that. A listing's file or output, which reaches a
//! page only inside a code block, counts only by what of it can change the
//! page's structure (its anchors, fences, directives and size:
//! `trace::Shape`), so an edit inside a listing's code does not build the
//! book again. The preprocessors and renderers are the ones book.toml may
//! name (model.rs), run in-process: no command of a contributor's runs.

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;

use crate::book::chapters::Chapter;
use crate::book::problem::Problem;
use crate::checks::book_builds::linkcheck::Finding;
use crate::checks::labels;
use crate::engine::checker::Checker;
use crate::engine::trace::Reader;

pub mod figures;
pub mod fragments;
pub mod linkcheck;
pub mod render;
pub mod runnable;

/// The book builds into the checks' own directory, and holds together.
/// Its pages' active content is the active-content check's to judge: in
/// one run, both checks render the same bytes (the model, read once for
/// every check) with the same mdBook, so judging them here again would only
/// double the work of every edit.
pub fn check(cx: &Checker, book: &Reader) -> Vec<Problem> {
    build_and_judge(cx, book, &cx.work.join("html-check"), false)
}

/// Builds the book into `dest` (its HTML in `dest/html`) to be published,
/// and checks what was built, its pages' active content included.
pub fn build_into(cx: &Checker, book: &Reader, dest: &Path) -> Vec<Problem> {
    build_and_judge(cx, book, dest, true)
}

fn build_and_judge(cx: &Checker, book: &Reader, dest: &Path, active: bool) -> Vec<Problem> {
    let chapters = match book.chapters() {
        Ok(chapters) => chapters,
        Err(problems) => return problems.to_vec(),
    };
    match book.book().config() {
        Ok(config) if !render::checks_links(config) => {
            return vec![Problem::new(
                "book.toml",
                None,
                "add an `[output.linkcheck2]` table with `warning-policy = \"error\"`, so broken links fail the build",
            )];
        }
        Err(problems) => return problems.to_vec(),
        Ok(_) => {}
    }
    let rendered = match render::rendered(cx, book, dest, active) {
        Ok(rendered) => rendered,
        Err(problems) => return problems,
    };
    let links = linkcheck_problems(
        book,
        chapters,
        rendered.links.as_deref().unwrap_or_default(),
    );
    if !links.is_empty() {
        return links;
    }
    let html = &rendered.html;
    let root = book.root();
    let manifest = |listing: &Path| {
        book.text(&listing.join("Cargo.toml"))
            .unwrap_or_default()
            .to_string()
    };
    let note = |listing: &Path| {
        labels::note_in(book.text(&listing.join("Cargo.toml")).unwrap_or_default())
    };
    // What is published is judged, not only what was written.
    let mut problems = Vec::new();
    if active {
        problems.extend(crate::checks::active_content::pages::check(
            book, html, chapters,
        ));
    }
    let pages = parse_pages(html, chapters);
    problems.extend(fragments::check(&pages));
    problems.extend(figures::check(html, &pages));
    problems.extend(labels::check(root, &pages, &manifest, &note));
    problems.extend(runnable::check(book, &pages));
    problems
}

/// The pages of `chapters` in `html_dir`, in the chapters' order, each
/// parsed once for every judge of it (a page of a chapter with hundreds of
/// listings takes a while to parse); a chapter without a page is left out
/// (mdBook's own error says why).
fn parse_pages<'a>(html_dir: &Path, chapters: &'a [Chapter]) -> Vec<(&'a Chapter, scraper::Html)> {
    chapters
        .iter()
        .filter_map(|chapter| {
            let text = std::fs::read_to_string(html_dir.join(chapter.page())).ok()?;
            Some((chapter, scraper::Html::parse_document(&text)))
        })
        .collect()
}

/// mdbook-linkcheck2's findings at their lines in the chapters as written.
fn linkcheck_problems(book: &Reader, chapters: &[Chapter], found: &[Finding]) -> Vec<Problem> {
    found
        .iter()
        .map(|found| {
            // linkcheck2 numbers the lines of the chapter as mdBook expanded
            // it; find the same line, by its text, in the chapter as written.
            let file = book.book().src().join(&found.chapter);
            let written = chapters
                .iter()
                .find(|c| c.file == file)
                .map(|c| c.text.as_str())
                .unwrap_or_default();
            let line = written
                .lines()
                .position(|l| l == found.line_text)
                .map(|i| i + 1);
            Problem::new(
                file,
                line,
                format!("{}\n    {}", found.message, found.line_text.trim()),
            )
        })
        .collect()
}

/// The pages as mdBook's HTML renderer makes them, into the build's own
/// directory; returns where the pages are.
pub fn render_html(cx: &Checker, book: &Reader) -> Result<PathBuf, Vec<Problem>> {
    render::rendered(cx, book, &cx.work.join("html-check"), false).map(|r| r.html.clone())
}

/// Each chapter as written, beside the same chapter after mdBook's
/// preprocessors (the `{{#include}}` family expanded), as a reader sees it.
pub fn expanded_chapters(
    cx: &Checker,
    book: &Reader,
) -> Result<Vec<(Chapter, String)>, Vec<Problem>> {
    let chapters = book.chapters().map_err(<[Problem]>::to_vec)?;
    let prepared = render::prepared(cx, book)?;
    Ok(chapters
        .iter()
        .cloned()
        .zip(prepared.expanded.iter().cloned())
        .collect())
}

/// Builds the book at `root` into `dest` as a plain mdBook would, with its
/// default renderer (HTML) only: the page-weight benchmark's baseline.
pub fn build_default(root: &Path, dest: &Path) -> Result<(), Problem> {
    let mut book = MDBook::load(root).map_err(|e| Problem::new(root, None, format!("{e:#}")))?;
    book.config
        .set("build.build-dir", dest.to_string_lossy().as_ref())
        .expect("build-dir is a string");
    book.build()
        .map_err(|e| Problem::new(root, None, format!("mdBook could not build it: {e:#}")))
}
