//! Every `{{#include}}`-style directive must name a file of the book that
//! exists and an anchor that the file has. mdBook itself only logs a
//! missing file and keeps building, and includes nothing at all for a
//! missing anchor.
//!
//! And the file must be one of the book's (model.rs): mdBook includes any
//! file the machine has (`/etc/hostname`, `../../../../home/…`, or a
//! symlink in the repository that points out of it) and publishes it in
//! the HTML. So an include of a file outside the book, or of a link, fails,
//! whatever block it is in and however it is marked.
//!
//! And the expansion is bounded: mdBook expands an include inside an
//! included file again, ten levels deep, so a chapter that includes itself
//! a few times grows exponentially. Here an included file may not include
//! another (one level, which is all a course needs), and what a chapter
//! pulls in is at most [`EXPANSION_LIMIT`].

use std::sync::LazyLock;

use regex::Regex;

use crate::book::chapters::{Directive, directives_of};
use crate::book::problem::Problem;
use crate::engine::trace::{Reader, State};

// The same anchor syntax as mdBook's links preprocessor.
static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*(?P<name>[\w_-]+)").unwrap());
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*(?P<name>[\w_-]+)").unwrap());

/// The most a chapter may pull in through its includes (each file counted
/// in 4 KiB steps, rounded up, each time it is included).
pub const EXPANSION_LIMIT: u64 = 64 * 1024 * 1024;

pub fn check(book: &Reader) -> Vec<Problem> {
    let chapters = match book.chapters() {
        Ok(chapters) => chapters,
        Err(problems) => return problems.to_vec(),
    };
    let mut problems = Vec::new();
    for chapter in chapters {
        let mut pulled_in = 0;
        for d in &chapter.directives {
            match included(book, d) {
                Ok(bytes) => pulled_in += bytes,
                Err(message) => problems.push(Problem::new(&chapter.file, Some(d.line), message)),
            }
        }
        if pulled_in > EXPANSION_LIMIT {
            problems.push(Problem::new(
                &chapter.file,
                None,
                format!(
                    "its includes pull in about {} MB, more than the {} MB a page may hold: \
                     include less, or split the chapter",
                    pulled_in / 1_000_000,
                    EXPANSION_LIMIT / 1024 / 1024
                ),
            ));
        }
    }
    problems
}

/// What is wrong with directive `d` of `chapter`, or how much it pulls in.
pub fn included(book: &Reader, d: &Directive) -> Result<u64, String> {
    let root = book.root();
    let Some(rel) = d
        .path
        .strip_prefix(root)
        .ok()
        .filter(|_| !d.written.starts_with('/'))
    else {
        return Err(format!(
            "`{}` includes {}, which is outside the book's repository: the page would \
             publish a file of the machine that builds it. Include a file of the book (a \
             listing's, or one under src/)",
            d.text,
            d.path.display()
        ));
    };
    let shape = book.shape(rel, d.range);
    let shown = rel.display();
    match &shape.state {
        State::Text => {}
        State::Missing => {
            return Err(if !book.book().holds(rel) {
                format!(
                    "`{}` includes {shown}, which is not one of the book's files (book.toml, \
                     {}/, listings/, theme/): include a file under one of those",
                    d.text,
                    book.book().src().display()
                )
            } else {
                format!("`{}` includes {shown}, which does not exist", d.text)
            });
        }
        State::Refused(why) => {
            return Err(format!("`{}` includes {shown}, which {why}", d.text));
        }
        State::NotText(at) => {
            return Err(format!(
                "`{}` includes {shown}, which is not UTF-8 text ({at}), and mdBook can \
                 include only text. If the program prints such bytes on purpose, show them as \
                 the reader can read them (print them with `{{:?}}`), or leave that output out \
                 of the chapter",
                d.text
            ));
        }
    }
    // An include in the included file: mdBook would expand it too.
    for (line, content) in &shape.lines {
        if let Some(nested) = directives_of(root, rel, content).first() {
            return Err(format!(
                "`{}` includes {shown}, which includes another file in turn ({shown}:{line}: \
                 `{}`). An included file may not include others: mdBook expands them ten \
                 levels deep, and a file that includes itself grows the page without bound. \
                 Include each file from the chapter",
                d.text, nested.text
            ));
        }
    }
    if let Some(anchor) = &d.anchor {
        let names = |re: &Regex| -> Vec<String> {
            shape
                .lines
                .iter()
                .flat_map(|(_, l)| {
                    re.captures_iter(l)
                        .map(|c| c["name"].to_string())
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let starts = names(&ANCHOR_START);
        if !starts.contains(anchor) {
            return Err(format!(
                "`{}`: {shown} has no `ANCHOR: {anchor}` (its anchors: {})",
                d.text,
                if starts.is_empty() {
                    "none".to_string()
                } else {
                    starts.join(", ")
                }
            ));
        }
        if !names(&ANCHOR_END).contains(anchor) {
            return Err(format!(
                "`{}`: {shown} has `ANCHOR: {anchor}` but no `ANCHOR_END: {anchor}`",
                d.text
            ));
        }
    }
    Ok(shape.blocks * 4096)
}
