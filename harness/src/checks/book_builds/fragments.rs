//! `#fragment` links must point at an element that exists. mdbook-linkcheck2
//! checks that a linked page exists, but not the part of the page after `#`.
//! This reads the built HTML, where mdBook has given every heading its id.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::book::chapters::Chapter;
use crate::book::problem::Problem;

/// Checks the chapters' pages as built (parsed).
pub fn check(built: &[(&Chapter, Html)]) -> Vec<Problem> {
    let mut pages: BTreeMap<PathBuf, (BTreeSet<String>, Vec<String>)> = BTreeMap::new();
    let ids = Selector::parse("[id]").unwrap();
    let links = Selector::parse("main a[href]").unwrap();
    for (chapter, html) in built {
        let page = chapter.page();
        let found_ids = html
            .select(&ids)
            .filter_map(|e| e.value().attr("id"))
            .map(str::to_string)
            .collect();
        let hrefs = html
            .select(&links)
            .filter_map(|e| e.value().attr("href"))
            .map(str::to_string)
            .collect();
        pages.insert(page.clone(), (found_ids, hrefs));
    }
    let mut problems = Vec::new();
    for (chapter, _) in built {
        let page = &chapter.page();
        let Some((_, hrefs)) = pages.get(page) else {
            continue;
        };
        for href in hrefs {
            let Some((target, fragment)) = href.split_once('#') else {
                continue;
            };
            if target.contains("://") || target.starts_with("mailto:") || fragment.is_empty() {
                continue;
            }
            let target_page = if target.is_empty() {
                page.clone()
            } else {
                crate::book::chapters::normalize(
                    &page.parent().unwrap_or(Path::new("")).join(target),
                )
            };
            // A page that does not exist at all is mdbook-linkcheck2's to report.
            let Some((target_ids, _)) = pages.get(&target_page) else {
                continue;
            };
            let fragment = percent_encoding::percent_decode_str(fragment)
                .decode_utf8_lossy()
                .into_owned();
            if !target_ids.contains(&fragment) {
                let line = chapter
                    .text
                    .lines()
                    .position(|l| l.contains(&format!("#{fragment}")))
                    .map(|i| i + 1);
                problems.push(Problem::new(
                    &chapter.file,
                    line,
                    format!(
                        "the link `{href}` points at `#{fragment}`, but {} has no element with that id",
                        target_page.display()
                    ),
                ));
            }
        }
    }
    problems
}
