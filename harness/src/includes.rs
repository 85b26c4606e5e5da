//! Every `{{#include}}`-style directive must name a file that exists and an
//! anchor that the file has. mdBook itself only logs a missing file and
//! keeps building, and includes nothing at all for a missing anchor.
//!
//! And the file must be in the book's repository: mdBook includes any file
//! the machine has (`/etc/hostname`, `../../../../home/…`, or a symlink in
//! the repository that points out of it) and publishes it in the HTML. So
//! an include whose file, symlinks resolved, is outside the repository
//! fails, whatever block it is in and however it is marked.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::Problem;
use crate::chapters::{Chapter, directives};

// The same anchor syntax as mdBook's links preprocessor.
static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*(?P<name>[\w_-]+)").unwrap());
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*(?P<name>[\w_-]+)").unwrap());

pub fn check(root: &Path, chapters: &[Chapter]) -> Vec<Problem> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let root = root.as_path();
    let mut problems = Vec::new();
    for chapter in chapters {
        for d in directives(root, chapter) {
            if let Some(outside) = outside_the_book(root, &d.path) {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(d.line),
                    format!(
                        "`{}` includes {outside}, which is outside the book's repository: the \
                         page would publish a file of the machine that builds it. Include a file \
                         of the book (a listing's, or one under src/)",
                        d.text
                    ),
                ));
                continue;
            }
            let shown = d
                .path
                .strip_prefix(root)
                .unwrap_or(&d.path)
                .display()
                .to_string();
            let Ok(bytes) = std::fs::read(&d.path) else {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(d.line),
                    format!("`{}` includes {shown}, which does not exist", d.text),
                ));
                continue;
            };
            let Ok(text) = String::from_utf8(bytes.clone()) else {
                let at = crate::shown::first_not_utf8(&bytes).unwrap_or_default();
                problems.push(Problem::new(
                    &chapter.file,
                    Some(d.line),
                    format!(
                        "`{}` includes {shown}, which is not UTF-8 text ({at}), and mdBook \
                         can include only text. If the program prints such bytes on purpose, \
                         show them as the reader can read them (print them with `{{:?}}`), or \
                         leave that output out of the chapter",
                        d.text
                    ),
                ));
                continue;
            };
            let Some(anchor) = &d.anchor else { continue };
            let has = |re: &Regex| re.captures_iter(&text).any(|c| &c["name"] == anchor);
            if !has(&ANCHOR_START) {
                let known: Vec<String> = ANCHOR_START
                    .captures_iter(&text)
                    .map(|c| c["name"].to_string())
                    .collect();
                problems.push(Problem::new(
                    &chapter.file,
                    Some(d.line),
                    format!(
                        "`{}`: {shown} has no `ANCHOR: {anchor}` (its anchors: {})",
                        d.text,
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            } else if !has(&ANCHOR_END) {
                problems.push(Problem::new(
                    &chapter.file,
                    Some(d.line),
                    format!(
                        "`{}`: {shown} has `ANCHOR: {anchor}` but no `ANCHOR_END: {anchor}`",
                        d.text
                    ),
                ));
            }
        }
    }
    problems
}

/// Where `path` really is, if that is outside `root` (canonical): `..` past
/// the root, an absolute path elsewhere, or a symlink that points out.
fn outside_the_book(root: &Path, path: &Path) -> Option<String> {
    let real = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    (!real.starts_with(root)).then(|| real.display().to_string())
}
