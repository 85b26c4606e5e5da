//! What each key of `book.toml` may hold: an allow-list of keys *and*
//! values (harness/guides/writing-the-book.md, "What `book.toml` may say").
//! A key the list does not name is refused, so a key that mdBook adds
//! later (or one that loads a script, like `mathjax-support`) is not
//! published before somebody decides what it may hold. Each value is held
//! to what it is for: an address is `https:`, a redirect stays inside the
//! book, a file is inside the book (and a script or a style sheet is one of
//! the theme's own, under `theme/`), a title is plain text.

use std::path::{Component, Path};

/// What a key's value may be.
#[derive(Clone, Copy, Debug)]
pub enum May {
    Bool,
    /// `false` and nothing else.
    False,
    Number,
    /// Plain text: no `<`, no `>`, no control character.
    Text,
    /// A list of plain texts.
    Texts,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// A path inside the book: relative, never `..`.
    Inside,
    /// A list of paths inside the book.
    InsideList,
    /// A list of the theme's own files (under `theme/`), ending so.
    ThemeFiles(&'static str),
    /// An `https:` address.
    Https,
    /// Where the published book lives, as a path from the site's root.
    SitePath,
    /// A table of redirects: each key a page of the book, each value a
    /// page of the book.
    Redirects,
    /// Judged by config.rs (a preprocessor's command).
    Judged,
}

const THEMES: &[&str] = &["light", "rust", "coal", "navy", "ayu"];

/// Every key `book.toml` may hold, and what its value may be. `*` stands
/// for any one name (a preprocessor's).
pub const KEYS: &[(&str, May)] = &[
    ("book.title", May::Text),
    ("book.description", May::Text),
    ("book.authors", May::Texts),
    ("book.language", May::Text),
    ("book.text-direction", May::OneOf(&["ltr", "rtl"])),
    ("book.src", May::Inside),
    ("build.build-dir", May::Inside),
    ("build.create-missing", May::Bool),
    ("build.extra-watch-dirs", May::InsideList),
    ("build.use-default-preprocessors", May::Bool),
    (
        "rust.edition",
        May::OneOf(&["2015", "2018", "2021", "2024"]),
    ),
    ("preprocessor.*.command", May::Judged),
    ("preprocessor.*.before", May::Texts),
    ("preprocessor.*.after", May::Texts),
    ("output.html.theme", May::Inside),
    ("output.html.default-theme", May::OneOf(THEMES)),
    ("output.html.preferred-dark-theme", May::OneOf(THEMES)),
    ("output.html.additional-css", May::ThemeFiles(".css")),
    ("output.html.additional-js", May::ThemeFiles(".js")),
    ("output.html.sidebar-header-nav", May::Bool),
    ("output.html.smart-punctuation", May::Bool),
    ("output.html.no-section-label", May::Bool),
    ("output.html.hash-files", May::Bool),
    ("output.html.git-repository-url", May::Https),
    ("output.html.edit-url-template", May::Https),
    ("output.html.site-url", May::SitePath),
    ("output.html.input-404", May::Inside),
    ("output.html.redirect", May::Redirects),
    ("output.html.print.enable", May::Bool),
    ("output.html.print.page-break", May::Bool),
    ("output.html.playground.runnable", May::Bool),
    ("output.html.playground.editable", May::Bool),
    ("output.html.playground.copyable", May::Bool),
    ("output.html.playground.line-numbers", May::Bool),
    ("output.html.search.enable", May::Bool),
    ("output.html.search.limit-results", May::Number),
    ("output.html.fold.enable", May::Bool),
    ("output.html.fold.level", May::Number),
    ("output.linkcheck2.optional", May::Bool),
    ("output.linkcheck2.follow-web-links", May::False),
    (
        "output.linkcheck2.warning-policy",
        May::OneOf(&["error", "warn", "ignore"]),
    ),
    ("output.linkcheck2.traverse-parent-directories", May::False),
    ("output.linkcheck2.exclude", May::Texts),
];

/// Each key of `table` that is not allowed, or whose value
/// is not what it may be: the dotted key, and why.
pub fn refused(table: &toml::Table) -> Vec<(String, String)> {
    let mut found = Vec::new();
    walk(table, "", &mut found);
    found
}

fn walk(table: &toml::Table, prefix: &str, found: &mut Vec<(String, String)>) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match rule(&key) {
            Some(may) => {
                if let Err(why) = holds(may, value) {
                    found.push((key, why));
                }
            }
            None => match value.as_table() {
                Some(inner) if has_rules_under(&key) => walk(inner, &key, found),
                _ => found.push((
                    key.clone(),
                    "the book does not use this key: only the keys the guide lists are \
                     allowed, each with what it may hold"
                        .into(),
                )),
            },
        }
    }
}

/// The rule for dotted `key`, `*` matching one name.
fn rule(key: &str) -> Option<May> {
    KEYS.iter()
        .find(|(pattern, _)| matches(pattern, key))
        .map(|(_, may)| *may)
}

fn has_rules_under(key: &str) -> bool {
    let depth = key.split('.').count();
    KEYS.iter().any(|(pattern, _)| {
        let head: Vec<&str> = pattern.split('.').take(depth).collect();
        pattern.split('.').count() > depth && matches(&head.join("."), key)
    })
}

fn matches(pattern: &str, key: &str) -> bool {
    let (p, k): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), key.split('.').collect());
    p.len() == k.len() && p.iter().zip(&k).all(|(p, k)| *p == "*" || p == k)
}

/// Whether `value` is what `may` allows, or why not.
fn holds(may: May, value: &toml::Value) -> Result<(), String> {
    use toml::Value as V;
    let texts = |value: &V| -> Option<Vec<String>> {
        match value {
            V::Array(items) => items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => None,
        }
    };
    match may {
        May::Judged => Ok(()),
        May::Bool => value
            .as_bool()
            .map(drop)
            .ok_or("must be true or false".into()),
        May::False => match value.as_bool() {
            Some(false) => Ok(()),
            _ => Err("must be false".into()),
        },
        May::Number => value
            .as_integer()
            .map(drop)
            .ok_or("must be a number".into()),
        May::Text => value.as_str().ok_or("must be text".into()).and_then(plain),
        May::Texts => texts(value)
            .ok_or("must be a list of texts".to_string())?
            .iter()
            .try_for_each(|t| plain(t)),
        May::OneOf(words) => match value.as_str() {
            Some(word) if words.contains(&word) => Ok(()),
            _ => Err(format!("must be one of {}", words.join(", "))),
        },
        May::Inside => value
            .as_str()
            .ok_or("must be a path".into())
            .and_then(inside),
        May::InsideList => texts(value)
            .ok_or("must be a list of paths".to_string())?
            .iter()
            .try_for_each(|p| inside(p)),
        May::ThemeFiles(ending) => {
            let paths = match value {
                V::String(s) => vec![s.clone()],
                _ => texts(value).ok_or("must be a list of paths".to_string())?,
            };
            paths.iter().try_for_each(|p| theme_file(p, ending))
        }
        May::Https => value.as_str().ok_or("must be text".into()).and_then(https),
        May::SitePath => value
            .as_str()
            .ok_or("must be a path".into())
            .and_then(site_path),
        May::Redirects => redirects(value),
    }
}

fn plain(text: &str) -> Result<(), String> {
    if text.contains(['<', '>']) || text.chars().any(char::is_control) {
        Err(format!(
            "`{text}` must be plain text (no `<`, `>` or control character)"
        ))
    } else {
        Ok(())
    }
}

fn inside(path: &str) -> Result<(), String> {
    let p = Path::new(path);
    if path.is_empty()
        || p.is_absolute()
        || path.starts_with('\\')
        || p.components().any(|c| matches!(c, Component::ParentDir))
    {
        Err(format!(
            "`{path}` must name a path inside the book (relative, never `..`): mdBook would \
             read or write a file of the machine that builds it"
        ))
    } else {
        Ok(())
    }
}

fn theme_file(path: &str, ending: &str) -> Result<(), String> {
    inside(path)?;
    let p = Path::new(path);
    if p.starts_with("theme") && path.ends_with(ending) {
        Ok(())
    } else {
        Err(format!(
            "`{path}` must be one of the theme's own `{ending}` files, under theme/: the \
             page loads it on every page, so it is the book's look, reviewed as code"
        ))
    }
}

/// The scheme of `address` (lowercase, as a browser reads it: blanks and
/// control characters dropped), if it has one.
pub fn scheme(address: &str) -> Option<String> {
    let cleaned: String = address
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let (head, _) = cleaned.split_once(':')?;
    let is_scheme = !head.is_empty()
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !head.contains('/');
    is_scheme.then(|| head.to_string())
}

fn https(address: &str) -> Result<(), String> {
    match scheme(address) {
        Some(s) if s == "https" && address.starts_with("https://") => plain(address),
        _ => Err(format!("`{address}` must be an https:// address")),
    }
}

fn site_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') && !path.starts_with("//") && scheme(path).is_none() {
        plain(path)
    } else {
        Err(format!(
            "`{path}` must be a path from the site's root, like `/book/`"
        ))
    }
}

/// `[output.html.redirect]`: `"/old.html" = "new.html"`, both pages of
/// the book. mdBook writes each key as a page under the build directory,
/// so a key with `..` would write outside it; a value with a scheme or
/// `//` would send the reader off the book, or run script.
fn redirects(value: &toml::Value) -> Result<(), String> {
    let table = value
        .as_table()
        .ok_or("must be a table of \"/old-page.html\" = \"new-page.html\"")?;
    for (from, to) in table {
        inside(from.trim_start_matches('/'))
            .map_err(|_| format!("the redirect from `{from}` must be a page inside the book"))?;
        let to = to
            .as_str()
            .ok_or(format!("the redirect from `{from}` must name a page"))?;
        let leaves = to.starts_with("//") || to.starts_with("\\\\") || scheme(to).is_some();
        if leaves || plain(to).is_err() {
            return Err(format!(
                "the redirect from `{from}` to `{to}` must stay inside the book: a page of \
                 it, with no scheme"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every key with a hostile value: harness/tests/broken_books/book_toml.rs.
    #[test]
    fn the_books_own_values_and_unknown_keys() {
        let good: toml::Table = "[output.html]\nadditional-js = [\"theme/a.min.js\"]\n\
             git-repository-url = \"https://example.org/book\"\n\
             [output.html.redirect]\n\"/old/page.html\" = \"../new/page.html\"\n"
            .parse()
            .unwrap();
        assert!(refused(&good).is_empty(), "{:?}", refused(&good));
        let unknown: toml::Table = "[output.html]\nmathjax-support = true\n[evil]\nx = 1\n"
            .parse()
            .unwrap();
        let mut keys: Vec<String> = refused(&unknown).into_iter().map(|(k, _)| k).collect();
        keys.sort();
        assert_eq!(keys, ["evil", "output.html.mathjax-support"]);
        let out: toml::Table = "[output.html.redirect]\n\"/../../../tmp/x.html\" = \"a.html\"\n"
            .parse()
            .unwrap();
        assert_eq!(refused(&out).len(), 1);
    }
}
