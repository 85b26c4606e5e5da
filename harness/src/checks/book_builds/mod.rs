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
use mdbook_driver::builtin_renderers::MarkdownRenderer;

use crate::book::chapters::Chapter;
use crate::book::problem::Problem;
use crate::checks::book_builds::linkcheck::Linkcheck2;
use crate::checks::labels;
use crate::engine::checker::Checker;
use crate::engine::trace::Reader;

pub mod figures;
pub mod fragments;
pub mod linkcheck;
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
    let snapshot = cx.work.join("snapshot/build");
    if let Err(problems) = make_snapshot(book, chapters, &snapshot) {
        return problems;
    }
    if let Err(problems) = render(book, chapters, &snapshot, dest) {
        return problems;
    }
    let html = dest.join("html");
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
            book, &html, chapters,
        ));
    }
    let pages = parse_pages(&html, chapters);
    problems.extend(fragments::check(&pages));
    problems.extend(figures::check(&html, &pages));
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

/// The book's pages as mdBook's HTML renderer makes them, and nothing
/// else run (no link check), into `dest`; returns where the pages are.
pub fn render_html(cx: &Checker, book: &Reader, dest: &Path) -> Result<PathBuf, Vec<Problem>> {
    let chapters = book.chapters().map_err(<[Problem]>::to_vec)?;
    let snapshot = cx.work.join("snapshot/pages");
    make_snapshot(book, chapters, &snapshot)?;
    let mut mdbook = load(book, &snapshot)?;
    mdbook
        .config
        .set("build.build-dir", dest.to_string_lossy().as_ref())
        .expect("build-dir is a string");
    mdbook
        .execute_build_process(&mdbook_html::HtmlHandlebars::new())
        .map_err(|e| {
            vec![Problem::new(
                "book.toml",
                None,
                format!("mdBook could not render the pages: {e:#}"),
            )]
        })?;
    Ok(mdbook.build_dir_for("html"))
}

/// Writes the copy of the book mdBook runs on into `dir`: what the pages
/// are made of, each read through `book` (and so in the verdict's trace).
/// Refuses while an include reaches outside the book or is refused (the
/// include check says why), since mdBook would read it.
fn make_snapshot(book: &Reader, chapters: &[Chapter], dir: &Path) -> Result<(), Vec<Problem>> {
    let model = book.book();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut problems = Vec::new();
    if let Some(toml) = book.bytes(Path::new("book.toml")) {
        files.push(("book.toml".into(), toml.to_vec()));
    }
    for top in [model.src(), Path::new("theme")] {
        for (path, entry) in book.tree(top) {
            if let crate::book::files::Entry::File(bytes) = entry {
                files.push((path.to_path_buf(), bytes.to_vec()));
            }
        }
    }
    for chapter in chapters {
        // The edition its blocks are shown in, if it was recorded in another.
        let recorded = crate::running::drift::chapter_file(&chapter.source_path);
        if let Some(bytes) = book.bytes(&recorded) {
            files.push((recorded, bytes.to_vec()));
        }
        for d in &chapter.directives {
            if let Err(message) = crate::checks::includes::included(book, d) {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(d.line),
                    format!("the book is not built while this include is refused: {message}"),
                ));
                continue;
            }
            let Some(rel) = book.book().relative(&d.path) else {
                continue;
            };
            // In a code block, what the page shows of it cannot change the
            // page's structure but through its shape (noted by `included`);
            // in the prose, all of it counts.
            let bytes = if d.in_block {
                model.bytes(rel)
            } else {
                book.bytes(rel)
            };
            if let Some(bytes) = bytes {
                files.push((rel.to_path_buf(), bytes.to_vec()));
            }
            // The listing's label reads its caption from its manifest.
            if let Some(listing) = crate::book::listings::listing_dir_of(book.root(), &d.path)
                .and_then(|dir| model.relative(&dir).map(Path::to_path_buf))
            {
                let manifest = listing.join("Cargo.toml");
                if let Some(bytes) = book.bytes(&manifest) {
                    files.push((manifest, bytes.to_vec()));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    crate::book::files::mirror(dir, &files, &[]).map_err(|e| {
        vec![Problem::machine(
            "book.toml",
            format!("could not write the book's copy in {}: {e}", dir.display()),
        )]
    })
}

/// mdBook on the snapshot at `snapshot`, with book.toml's configuration as
/// the model holds it (no `MDBOOK_*` variable of the author's), the
/// listing labels in-process, and mdbook-linkcheck2 in-process: its
/// findings at their lines in the chapters as written.
fn render(
    book: &Reader,
    chapters: &[Chapter],
    snapshot: &Path,
    dest: &Path,
) -> Result<(), Vec<Problem>> {
    let mut mdbook = load(book, snapshot)?;
    mdbook
        .config
        .set("build.build-dir", dest.to_string_lossy().as_ref())
        .expect("build-dir is a string");
    if !matches!(
        mdbook.config.get::<serde_json::Value>("output.linkcheck2"),
        Ok(Some(_))
    ) {
        return Err(vec![Problem::new(
            "book.toml",
            None,
            "add an `[output.linkcheck2]` table with `warning-policy = \"error\"`, so broken links fail the build",
        )]);
    }
    let linkcheck = Linkcheck2::default();
    mdbook.with_renderer(linkcheck.clone());
    mdbook.build().map_err(|e| {
        let io = e.chain().find_map(|c| c.downcast_ref::<std::io::Error>());
        let message = format!("the book did not build: {e:#}");
        vec![match io {
            Some(io) if crate::book::files::is_the_machines(io) => {
                Problem::machine("book.toml", message)
            }
            _ => Problem::new("book.toml", None, message),
        }]
    })?;
    let problems: Vec<Problem> = linkcheck
        .findings
        .lock()
        .unwrap()
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
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// mdBook's own loader on the snapshot, with the model's configuration,
/// and the listing labels run in-process where book.toml names them.
fn load(book: &Reader, snapshot: &Path) -> Result<MDBook, Vec<Problem>> {
    let config = book.book().config().map_err(<[Problem]>::to_vec)?.clone();
    let mut mdbook = MDBook::load_with_config(snapshot, config).map_err(|e| {
        vec![Problem::new(
            book.book().src().join("SUMMARY.md"),
            None,
            format!("mdBook could not load the book: {e:#}"),
        )]
    })?;
    if matches!(
        mdbook
            .config
            .get::<serde_json::Value>(&format!("preprocessor.{}", labels::NAME)),
        Ok(Some(_))
    ) {
        mdbook.with_preprocessor(labels::ListingLabels);
    }
    Ok(mdbook)
}

/// Each chapter as written, beside the same chapter after mdBook's
/// preprocessors (the `{{#include}}` family expanded), as a reader sees it.
pub fn expanded_chapters(
    cx: &Checker,
    book: &Reader,
) -> Result<Vec<(Chapter, String)>, Vec<Problem>> {
    let chapters = book.chapters().map_err(<[Problem]>::to_vec)?;
    let snapshot = cx.work.join("snapshot/expanded");
    make_snapshot(book, chapters, &snapshot)?;
    let mdbook = load(book, &snapshot)?;
    let (expanded, _) = mdbook
        .preprocess_book(&MarkdownRenderer::new())
        .map_err(|e| {
            vec![Problem::new(
                "book.toml",
                None,
                format!("mdBook's preprocessors failed: {e:#}"),
            )]
        })?;
    let expanded: Vec<String> = crate::book::chapters::contents(&expanded);
    Ok(chapters.iter().cloned().zip(expanded).collect())
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
