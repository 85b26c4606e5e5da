//! theme/ files that stand in for mdBook's own (made by theme/tools/) say
//! which mdBook they were made from; after an upgrade of the pinned mdBook
//! they must be made again, or the book would mix two versions.

use std::path::Path;

use crate::book::problem::Problem;
use crate::engine::trace::Reader;

/// The files of theme/ that stand in for mdBook's own.
const STAND_INS: [&str; 12] = [
    "theme/book.js",
    "theme/highlight.js",
    "theme/clipboard.min.js",
    "theme/css/chrome.css",
    "theme/css/general.css",
    "theme/css/variables.css",
    "theme/css/print.css",
    "theme/highlight.css",
    "theme/tomorrow-night.css",
    "theme/ayu-highlight.css",
    "theme/toc.js.hbs",
    "theme/fonts/cbh-highlight-later.js",
];

pub fn check(book: &Reader) -> Vec<Problem> {
    let version = format!("mdBook {}", crate::running::tools::MDBOOK.version);
    let mut problems = Vec::new();
    for file in STAND_INS {
        let Some(text) = book.text(Path::new(file)) else {
            continue;
        };
        let first = text.lines().next().unwrap_or_default();
        if !first.contains(&version) {
            problems.push(Problem::new(
                file,
                Some(1),
                format!(
                    "expected a header naming {version}, the pinned mdBook, but it reads: {first:?}. \
                     Make it again from that mdBook (theme/tools/, see theme/README.md)."
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_stand_in_is_in_theme_and_names_the_pinned_mdbook() {
        let root = crate::book::checkout();
        for file in super::STAND_INS {
            assert!(root.join(file).is_file(), "{file} is listed but missing");
        }
        let book = crate::book::model::Book::load(root);
        let problems = super::check(&crate::engine::trace::Reader::new(&book));
        assert!(
            problems.is_empty(),
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
