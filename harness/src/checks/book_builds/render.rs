//! mdBook on the book, once per run of the checks: the book's copy
//! (the snapshot) written, mdBook's preprocessors run, the pages rendered
//! by mdBook's HTML renderer and the links checked by mdbook-linkcheck2,
//! the two side by side. The active-content check, the build and skeptic's
//! blocks each ask for it; while the book's copy is the same, the one made
//! first serves them all (an edit to a chapter paid for mdBook three times,
//! four preprocessing passes of every chapter).
//!
//! With the verdicts off (`CBH_NO_CACHE=1`, the cache differential's
//! fresh side), nothing made is reused: each check runs mdBook itself, one
//! at a time.
//!
//! Each check still makes the copy's files itself, through its own
//! `Reader`, so its trace holds everything mdBook read; mdBook reads
//! nothing else (`snapshot_files`). What is shared is kept per work
//! directory, keyed by those files' bytes (and the pages by where they are
//! rendered).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use mdbook_driver::MDBook;
use mdbook_driver::book::Book as MdBook;
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use mdbook_driver::config::Config;
use mdbook_renderer::{RenderContext, Renderer};

use crate::book::chapters::Chapter;
use crate::book::problem::Problem;
use crate::checks::book_builds::linkcheck::{Finding, Linkcheck2};
use crate::checks::labels;
use crate::engine::checker::Checker;
use crate::engine::trace::Reader;

/// What mdBook made of the book.
#[derive(Debug)]
pub struct Rendered {
    /// The directory of the pages.
    pub html: PathBuf,
    /// mdbook-linkcheck2's findings, when book.toml names it.
    pub links: Option<Vec<Finding>>,
}

/// The book's copy after mdBook's preprocessors, for each renderer.
#[derive(Debug)]
pub struct Prepared {
    /// Each chapter after the preprocessors (the `{{#include}}` family
    /// expanded), as the Markdown renderer has it, in the book's order.
    pub expanded: Vec<String>,
    snapshot: PathBuf,
    config: Config,
    for_html: MdBook,
    titles: HashMap<PathBuf, String>,
    /// The book for mdbook-linkcheck2, when book.toml names it.
    for_links: Option<MdBook>,
    /// Whether each renderer has a directory of its own in the build
    /// directory (mdBook's `build_dir_for`: when there are two or more).
    nested: bool,
}

type Outcome<T> = Result<Arc<T>, Vec<Problem>>;

/// What was made last in one work directory, and for which copy of the
/// book (`snapshot_key`). Its lock is held while it is made, so one copy is
/// written and rendered at a time.
#[derive(Default)]
struct Slot {
    prepared: Option<(u64, Outcome<Prepared>)>,
    /// The pages: the copy's key, where, whether to publish, what came.
    rendered: Vec<(u64, PathBuf, bool, Outcome<Rendered>)>,
}

fn slot(cx: &Checker) -> Arc<Mutex<Slot>> {
    static SLOTS: OnceLock<Mutex<HashMap<PathBuf, Arc<Mutex<Slot>>>>> = OnceLock::new();
    let mut slots = SLOTS.get_or_init(Default::default).lock().unwrap();
    slots.entry(cx.work.clone()).or_default().clone()
}

/// The book's copy, written and preprocessed by mdBook: shared by every
/// check of this process that asks while the copy is the same.
pub fn prepared(cx: &Checker, book: &Reader) -> Outcome<Prepared> {
    let (key, files) = snapshot_key(book)?;
    let slot = slot(cx);
    let mut slot = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    prepared_in(&mut slot, cx, book, key, &files)
}

/// The book rendered into `dest` (its pages and its links), shared the
/// same way. The search index is made only `to_publish`: no check reads
/// it (it is the chapters' text as JSON data, not a page), and at hundreds
/// of listings it is a tenth of an edit's time.
pub fn rendered(cx: &Checker, book: &Reader, dest: &Path, to_publish: bool) -> Outcome<Rendered> {
    let (key, files) = snapshot_key(book)?;
    let slot = slot(cx);
    let mut slot = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let made = |(k, d, p, _): &&(u64, PathBuf, bool, _)| *k == key && d == dest && *p == to_publish;
    if let Some((_, _, _, outcome)) = slot.rendered.iter().find(made)
        && cx.store.is_used()
    {
        return outcome.clone();
    }
    let outcome = prepared_in(&mut slot, cx, book, key, &files)
        .and_then(|prepared| render(&prepared, dest, to_publish).map(Arc::new));
    slot.rendered.retain(|(k, d, _, _)| *k == key && d != dest);
    if !by_the_machine(&outcome) {
        let dest = dest.to_path_buf();
        slot.rendered.push((key, dest, to_publish, outcome.clone()));
    }
    outcome
}

fn prepared_in(
    slot: &mut Slot,
    cx: &Checker,
    book: &Reader,
    key: u64,
    files: &[(PathBuf, Vec<u8>)],
) -> Outcome<Prepared> {
    if let Some((made, outcome)) = &slot.prepared
        && *made == key
        && cx.store.is_used()
    {
        return outcome.clone();
    }
    let snapshot = cx.work.join("snapshot/book");
    let outcome = write_snapshot(&snapshot, files)
        .and_then(|()| prepare(book, &snapshot))
        .map(Arc::new);
    slot.prepared = (!by_the_machine(&outcome)).then(|| (key, outcome.clone()));
    slot.rendered.clear();
    outcome
}

/// A failure of the machine is not kept: the next that asks tries again.
fn by_the_machine<T>(outcome: &Outcome<T>) -> bool {
    matches!(outcome, Err(problems) if problems.iter().any(|p| p.machine))
}

/// The files of the book's copy and their key, read through `book` (so
/// each check that asks has them in its trace, whoever made the copy).
type Files = Vec<(PathBuf, Vec<u8>)>;
fn snapshot_key(book: &Reader) -> Result<(u64, Files), Vec<Problem>> {
    let chapters = book.chapters().map_err(<[Problem]>::to_vec)?;
    let files = snapshot_files(book, chapters)?;
    let mut hasher = std::hash::DefaultHasher::new();
    files.hash(&mut hasher);
    Ok((hasher.finish(), files))
}

/// The preprocessors once (once for each renderer only where book.toml
/// gives a preprocessor its renderers, as mdBook does).
fn prepare(book: &Reader, snapshot: &Path) -> Result<Prepared, Vec<Problem>> {
    let mdbook = load(book, snapshot)?;
    let preprocessed = |renderer: &dyn Renderer| {
        mdbook.preprocess_book(renderer).map_err(|e| {
            vec![Problem::new(
                "book.toml",
                None,
                format!("mdBook's preprocessors failed: {e:#}"),
            )]
        })
    };
    let (for_html, titles) = preprocessed(&mdbook_html::HtmlHandlebars::new())
        .map(|(b, cx)| (b, cx.chapter_titles.take()))?;
    let per_renderer = chooses_renderers(&mdbook);
    let expanded = if per_renderer {
        preprocessed(&MarkdownRenderer::new())?.0
    } else {
        for_html.clone()
    };
    let for_links = match checks_links(&mdbook.config) {
        true if per_renderer => Some(preprocessed(&Linkcheck2::default())?.0),
        true => Some(for_html.clone()),
        false => None,
    };
    let build_dir = mdbook.root.join(&mdbook.config.build.build_dir);
    Ok(Prepared {
        expanded: crate::book::chapters::contents(&expanded),
        snapshot: snapshot.to_path_buf(),
        nested: mdbook.build_dir_for("html") != build_dir,
        config: mdbook.config,
        for_html,
        titles,
        for_links,
    })
}

/// mdBook's HTML renderer and the link checker, side by side, into `dest`.
fn render(prepared: &Prepared, dest: &Path, search: bool) -> Result<Rendered, Vec<Problem>> {
    let mut config = prepared.config.clone();
    config
        .set("build.build-dir", dest.to_string_lossy().as_ref())
        .expect("build-dir is a string");
    if !search {
        config
            .set("output.html.search.enable", false)
            .expect("a boolean");
    }
    let context = |renderer: &str, book: &MdBook| {
        let dir = match prepared.nested {
            true => dest.join(renderer),
            false => dest.to_path_buf(),
        };
        let mut cx = RenderContext::new(&prepared.snapshot, book.clone(), config.clone(), dir);
        cx.chapter_titles.extend(prepared.titles.clone());
        cx
    };
    let html = mdbook_html::HtmlHandlebars::new();
    let html_cx = context("html", &prepared.for_html);
    let linkcheck = Linkcheck2::default();
    let links_cx = prepared
        .for_links
        .as_ref()
        .map(|book| context(linkcheck.name(), book));
    let (pages, links) = std::thread::scope(|s| {
        let links = s.spawn(|| match &links_cx {
            Some(cx) => linkcheck.render(cx).map(|()| Some(linkcheck.findings())),
            None => Ok(None),
        });
        (
            html.render(&html_cx),
            links.join().expect("the link check ran"),
        )
    });
    pages.map_err(|e| failed("mdBook could not render the pages", &e))?;
    let links = links.map_err(|e| failed("mdbook-linkcheck2 could not check the links", &e))?;
    Ok(Rendered {
        html: html_cx.destination,
        links,
    })
}

fn failed(what: &str, e: &mdbook_driver::errors::Error) -> Vec<Problem> {
    let io = e.chain().find_map(|c| c.downcast_ref::<std::io::Error>());
    let message = format!("{what}: {e:#}");
    vec![match io {
        Some(io) if crate::book::files::is_the_machines(io) => {
            Problem::machine("book.toml", message)
        }
        _ => Problem::new("book.toml", None, message),
    }]
}

/// Whether book.toml has an `[output.linkcheck2]` table.
pub fn checks_links(config: &Config) -> bool {
    matches!(
        config.get::<serde_json::Value>("output.linkcheck2"),
        Ok(Some(_))
    )
}

/// Whether book.toml names the renderers of a preprocessor: then each
/// renderer's book is preprocessed on its own, as mdBook does.
fn chooses_renderers(mdbook: &MDBook) -> bool {
    let Ok(Some(serde_json::Value::Object(preprocessors))) =
        mdbook.config.get::<serde_json::Value>("preprocessor")
    else {
        return false;
    };
    preprocessors.values().any(|p| p.get("renderers").is_some())
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

/// The files of the copy of the book mdBook runs on: what the pages are
/// made of, each read through `book` (and so in the verdict's trace).
/// Refuses while an include reaches outside the book or is refused (the
/// include check says why), since mdBook would read it.
fn snapshot_files(
    book: &Reader,
    chapters: &[Chapter],
) -> Result<Vec<(PathBuf, Vec<u8>)>, Vec<Problem>> {
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
    Ok(files)
}

/// Writes the copy into `dir`.
fn write_snapshot(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Vec<Problem>> {
    crate::book::files::mirror(dir, files, &[]).map_err(|e| {
        vec![Problem::machine(
            "book.toml",
            format!("could not write the book's copy in {}: {e}", dir.display()),
        )]
    })
}
