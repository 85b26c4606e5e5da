//! The harness's layers, held to ARCHITECTURE.md's rule: imports point
//! down only, and no file imports another that (through others) imports it
//! back. A file's layer is its folder under `harness/src/`:
//!
//! 1. `book/`: the book's files, chapters, listings, `Problem`;
//! 2. `running/`: the jail, staging, sessions, normalising, drift, tools;
//! 3. `engine/`: facts, the `Reader`, the verdict store, the `Checker`;
//! 4. `checks/`: one module per check;
//! 5. the list of checks (`checks/mod.rs`) and what uses the checks
//!    (`snippets.rs`, for build.rs);
//! 6. `lib.rs`, the crate's face.
//!
//! An import is any `crate::…` path in a file (a `use`, or a path written
//! inline), resolved to the file that defines it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layer of a file, by its path relative to `src/`.
fn layer(file: &str) -> Option<(usize, &'static str)> {
    Some(match file {
        "lib.rs" => (6, "the crate's face"),
        "checks/mod.rs" | "snippets.rs" => (5, "the list of checks and what uses it"),
        f if f.starts_with("checks/") => (4, "checks"),
        f if f.starts_with("engine/") => (3, "engine"),
        f if f.starts_with("running/") => (2, "running"),
        f if f.starts_with("book/") => (1, "book"),
        _ => return None,
    })
}

/// Every `crate::` path in `text`, with `use crate::{a, b::{c, d}}` groups
/// spelled out (`a`, `b::c`, `b::d`).
fn crate_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue; // `$crate::`, `other_crate::`, `a::crate::`
        }
        paths.extend(spelled_out(rest, ""));
    }
    paths
}

/// The paths that begin at `text` (just after `crate::` or a `{`), each
/// prefixed with `prefix`.
fn spelled_out(text: &str, prefix: &str) -> Vec<String> {
    let head: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let path = format!("{prefix}{head}");
    let after = &text[head.len()..];
    let group = head.is_empty() || head.ends_with("::");
    if !group || !after.starts_with('{') {
        return vec![path.trim_end_matches(':').to_string()];
    }
    // A group: split its top level at commas.
    let mut depth = 0;
    let mut items = Vec::new();
    let mut start = 1;
    for (i, c) in after.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    items.push(&after[start..i]);
                    break;
                }
            }
            ',' if depth == 1 => {
                items.push(&after[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty() && *item != "self")
        .flat_map(|item| spelled_out(item, &path))
        .collect()
}

/// The file of `src/` that a `crate::` path names: the longest prefix of
/// it that is a module file (`a/b.rs` or `a/b/mod.rs`).
fn file_of(path: &str, files: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().find_map(|n| {
        let module = parts[..n].join("/");
        [format!("{module}.rs"), format!("{module}/mod.rs")]
            .into_iter()
            .find(|f| files.contains(f))
    })
}

/// Each file of `src/` (relative), with its text.
fn sources(dir: &Path, rel: &Path, into: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let rel = rel.join(entry.file_name());
        if path.is_dir() {
            sources(&path, &rel, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            into.insert(rel.to_string_lossy().into_owned(), text);
        }
    }
}

/// Every import that breaks the rule, said in words: an import up, a
/// file of no layer, and each circle of files.
fn broken(sources: &BTreeMap<String, String>) -> Vec<String> {
    let files: BTreeSet<String> = sources.keys().cloned().collect();
    let mut wrong = Vec::new();
    let mut graph: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in sources {
        let Some((mine, my_name)) = layer(file) else {
            wrong.push(format!("{file} is in no layer (ARCHITECTURE.md)"));
            continue;
        };
        // Unit tests (`mod tests`) may use anything of their crate, and a
        // comment may name anything: only code imports.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or(text)
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .map(|line| format!("{line}\n"))
            .collect();
        for path in crate_paths(&code) {
            let Some(target) = file_of(&path, &files) else {
                continue;
            };
            if target == *file {
                continue;
            }
            let (theirs, their_name) = layer(&target).unwrap_or((0, "none"));
            if theirs > mine {
                wrong.push(format!(
                    "{file} ({my_name}, layer {mine}) imports `crate::{path}` of {target} \
                     ({their_name}, layer {theirs}): imports point down only"
                ));
            }
            graph.entry(file).or_default().insert(target);
        }
    }
    wrong.extend(
        circles(&graph)
            .into_iter()
            .map(|circle| format!("a circle of imports: {}", circle.join(" -> "))),
    );
    wrong
}

/// Each circle of the graph, as the files along it, back to the first.
fn circles(graph: &BTreeMap<&str, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn walk(
        at: &str,
        graph: &BTreeMap<&str, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(start) = path.iter().position(|f| f == at) {
            let mut circle = path[start..].to_vec();
            circle.push(at.to_string());
            found.push(circle);
            return;
        }
        if !done.insert(at.to_string()) {
            return;
        }
        path.push(at.to_string());
        for next in graph.get(at).into_iter().flatten() {
            walk(next, graph, path, done, found);
        }
        path.pop();
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        walk(start, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

#[test]
fn imports_point_down_and_never_in_a_circle() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    sources(&src, Path::new(""), &mut files);
    assert!(
        files.len() > 20,
        "the harness's sources: {:?}",
        files.keys()
    );
    let wrong = broken(&files);
    assert!(
        wrong.is_empty(),
        "the harness's layers are broken (ARCHITECTURE.md):\n  {}",
        wrong.join("\n  ")
    );
}

/// The rule can fail: the book importing a check, a check importing the
/// list of checks, and two files of one layer importing each other.
#[test]
fn an_import_up_or_a_circle_is_named() {
    let files: BTreeMap<String, String> = [
        ("lib.rs", "pub mod book;"),
        ("book/mod.rs", "pub mod model; pub mod listings;"),
        ("book/model.rs", "use crate::checks::labels::NAME;\nuse crate::book::listings::Listing;"),
        ("book/listings.rs", "use crate::{book::model::Book, book::files};"),
        ("book/files.rs", ""),
        ("running/stage.rs", "use crate::book::{listings::Listing, files};"),
        ("checks/labels.rs", "fn f() { crate::checks::ALL.len(); }"),
        ("checks/mod.rs", "pub mod labels;"),
        ("engine/trace.rs", "//! The [`ALL`](crate::checks::ALL)\n#[cfg(test)]\nmod tests { use crate::checks::ALL; }"),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_string(), t.to_string()))
    .collect();
    let wrong = broken(&files);
    let said = wrong.join("\n");
    assert!(
        said.contains("book/model.rs (book, layer 1) imports `crate::checks::labels::NAME` of checks/labels.rs"),
        "{said}"
    );
    assert!(
        said.contains(
            "checks/labels.rs (checks, layer 4) imports `crate::checks::ALL` of checks/mod.rs"
        ),
        "{said}"
    );
    assert!(
        said.contains("a circle of imports: book/listings.rs -> book/model.rs -> book/listings.rs"),
        "{said}"
    );
    assert!(
        !said.contains("running/stage.rs"),
        "an import down is no fault: {said}"
    );
    assert!(
        !said.contains("engine/trace.rs"),
        "a unit test may use anything, a comment name anything: {said}"
    );
    assert_eq!(wrong.len(), 3, "{said}");
}
