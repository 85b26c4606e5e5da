//! What `book.toml` may say: every key the guide lists, each with a hostile
//! value, is refused at its line before mdBook (or anything book.toml
//! names) runs; a key the list does not name is refused too.

use std::path::Path;

use crate::fixture::*;
use harness::book::config_keys::{KEYS, May};

/// A hostile value for every key of `KEYS`, as `book.toml` would say it:
/// script in text, addresses that run script or leave the book, paths out
/// of the book, the wrong kind of value.
const HOSTILE: &[(&str, &str)] = &[
    ("book.title", "\"<script>alert(1)</script>\""),
    ("book.description", "\"<img src=x onerror=alert(1)>\""),
    ("book.authors", "[\"<b onmouseover=alert(1)>x</b>\"]"),
    ("book.language", "\"en\\\"><script>\""),
    ("book.text-direction", "\"javascript:alert(1)\""),
    ("book.src", "\"../../etc\""),
    ("build.build-dir", "\"/tmp/elsewhere\""),
    ("build.create-missing", "\"yes\""),
    ("build.extra-watch-dirs", "[\"/home\"]"),
    ("build.use-default-preprocessors", "\"yes\""),
    ("rust.edition", "\"2099\""),
    ("preprocessor.*.before", "[\"<script>\"]"),
    ("preprocessor.*.after", "\"links\""),
    ("output.html.theme", "\"/usr/share\""),
    ("output.html.default-theme", "\"x\\\" onload=\\\"alert(1)\""),
    ("output.html.preferred-dark-theme", "\"../evil\""),
    ("output.html.additional-css", "[\"src/evil.css\"]"),
    ("output.html.additional-js", "[\"src/figures/evil.js\"]"),
    ("output.html.sidebar-header-nav", "\"javascript:alert(1)\""),
    ("output.html.smart-punctuation", "1"),
    ("output.html.no-section-label", "\"x\""),
    ("output.html.hash-files", "\"x\""),
    ("output.html.git-repository-url", "\"javascript:alert(1)\""),
    (
        "output.html.edit-url-template",
        "\"http://example.org/{path}\"",
    ),
    ("output.html.site-url", "\"//example.org/\""),
    ("output.html.input-404", "\"../../404.md\""),
    (
        "output.html.redirect",
        "{ \"/old.html\" = \"javascript:alert(1)\" }",
    ),
    ("output.html.print.enable", "\"x\""),
    ("output.html.print.page-break", "\"x\""),
    ("output.html.playground.runnable", "\"x\""),
    ("output.html.playground.editable", "\"x\""),
    ("output.html.playground.copyable", "\"x\""),
    ("output.html.playground.line-numbers", "\"x\""),
    ("output.html.search.enable", "\"x\""),
    ("output.html.search.limit-results", "\"x\""),
    ("output.html.fold.enable", "\"x\""),
    ("output.html.fold.level", "\"x\""),
    ("output.linkcheck2.optional", "\"x\""),
    ("output.linkcheck2.follow-web-links", "true"),
    ("output.linkcheck2.warning-policy", "\"x\""),
    ("output.linkcheck2.traverse-parent-directories", "true"),
    ("output.linkcheck2.exclude", "\"x\""),
    // Keys the list does not name.
    ("output.html.mathjax-support", "true"),
    (
        "output.html.live-reload-endpoint",
        "\"javascript:alert(1)\"",
    ),
];

/// The tiny book's book.toml with `key` set to `value`.
fn with(key: &str, value: &str) -> String {
    let base =
        std::fs::read_to_string(repository().join("tests/fixtures/tiny-book/book.toml")).unwrap();
    let mut table: toml::Table = base.parse().unwrap();
    let value: toml::Value = format!("v = {value}").parse::<toml::Table>().unwrap()["v"].clone();
    let key = key.replace('*', "listing-labels");
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap();
    let mut at = &mut table;
    for part in parts {
        at = at
            .entry(part)
            .or_insert_with(|| toml::Table::new().into())
            .as_table_mut()
            .unwrap();
    }
    at.insert(last.into(), value);
    toml::to_string(&table).unwrap()
}

#[test]
fn every_key_book_toml_may_hold_is_refused_at_its_line_with_a_hostile_value() {
    proven(|| {
        for (key, may) in KEYS {
            assert!(
                matches!(may, May::Judged) || HOSTILE.iter().any(|(k, _)| k == key),
                "{key} is allowed but has no hostile value here"
            );
        }
        let book = Book::new();
        // One report of every refusal, as one snapshot.
        let mut all = Vec::new();
        for (key, value) in HOSTILE {
            let text = with(key, value);
            let last = key.rsplit('.').next().unwrap();
            let line = text
                .lines()
                .position(|l| {
                    let l = l.trim_start().trim_start_matches('"');
                    l.starts_with(last) && l[last.len()..].trim_start().starts_with(['=', '"'])
                })
                .or_else(|| text.lines().position(|l| l.contains(last)))
                .unwrap()
                + 1;
            book.write("book.toml", &text);
            let problems = harness::checks::includes(book.root());
            // mdBook's own reading refuses some values first, at the line.
            let mdbook_refused = problems.iter().any(|p| {
                p.message.contains("mdBook could not read it")
                    && p.message.contains(&format!("at line {line},"))
            });
            let named = format!("`{}`", key.replace('*', "listing-labels"));
            let at_its_line = problems.iter().any(|p| {
                p.to_string().starts_with(&format!("book.toml:{line}:"))
                    && p.message.contains(&named)
            });
            assert!(
                mdbook_refused || at_its_line,
                "{key} = {value} was not refused at book.toml:{line}: {problems:?}"
            );
            all.extend(problems);
        }
        assert_report(&all);
    });
}

/// mdBook writes each redirect's page under the build directory: a `..`
/// would write a page outside the repository, during the test and the
/// build. It is refused before mdBook runs, and nothing is written.
#[test]
fn a_redirect_out_of_the_book_writes_nothing_and_is_refused() {
    proven(|| {
        let book = Book::new();
        let outside = std::env::temp_dir().join("cbh-redirect-escape.html");
        let _ = std::fs::remove_file(&outside);
        let ups = "../".repeat(40);
        book.write(
            "book.toml",
            &with(
                "output.html.redirect",
                &format!(
                    "{{ \"/{ups}{}\" = \"index.html\" }}",
                    &outside.display().to_string()[1..]
                ),
            ),
        );
        let checker = Checker::new(book.root());
        let problems = harness::checks::run(
            &checker,
            "the_book_builds_with_no_broken_link_figure_or_run_button",
        );
        assert_problem(&problems, "book.toml", "must be a page inside the book");
        assert!(!outside.exists(), "{} was written", outside.display());
        assert!(!Path::new(&outside).exists());
    });
}
