//! What a chapter's Markdown source holds: its fenced code blocks and its
//! `{{#include}}`-style directives. This only reads; expanding the
//! directives is left to mdBook (see `book.rs`).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};
use regex::Regex;

/// A chapter as its author wrote it, parsed once: its code blocks (each
/// with the directives in it) and every directive in its text.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The chapter's file, relative to the book's root (`src/ch01-….md`).
    pub file: PathBuf,
    /// Its path inside `src/`, as SUMMARY.md names it.
    pub source_path: PathBuf,
    pub text: String,
    pub blocks: Vec<CodeBlock>,
    pub directives: Vec<Directive>,
}

impl Chapter {
    /// The chapter `file` (relative to `book_root`) holding `text`, parsed.
    pub fn new(book_root: &Path, file: PathBuf, source_path: PathBuf, text: String) -> Chapter {
        let mut chapter = Chapter {
            file,
            source_path,
            text,
            blocks: Vec::new(),
            directives: Vec::new(),
        };
        chapter.directives = directives(book_root, &chapter);
        let mut blocks = code_blocks(&chapter.text);
        for block in &mut blocks {
            block.directives = directives_in(book_root, &chapter, &block.body);
            for d in &mut block.directives {
                d.in_block = true;
            }
        }
        for d in &mut chapter.directives {
            d.in_block = blocks
                .iter()
                .any(|b| b.line <= d.line && d.line <= b.end_line);
        }
        chapter.blocks = blocks;
        chapter
    }

    /// The HTML page mdBook makes of it (a `README.md` becomes `index.html`).
    pub fn page(&self) -> PathBuf {
        if self.source_path.file_stem().is_some_and(|s| s == "README") {
            self.source_path.with_file_name("index.html")
        } else {
            self.source_path.with_extension("html")
        }
    }
}

/// The text of every chapter of a (preprocessed) book, in order.
pub fn contents(book: &mdbook_driver::book::Book) -> Vec<String> {
    book.iter()
        .filter_map(|item| match item {
            mdbook_driver::book::BookItem::Chapter(ch) if ch.source_path.is_some() => {
                Some(ch.content.clone())
            }
            _ => None,
        })
        .collect()
}

/// A fenced code block.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// The info string after the opening fence, e.g. `rust,no_run`.
    pub info: String,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// 1-based line of its last line (the closing fence, if it has one).
    pub end_line: usize,
    pub body: String,
    /// The directives in its body (lines counted from the body's first).
    pub directives: Vec<Directive>,
}

impl CodeBlock {
    /// The one directive the block is, alone (a block that shows a file).
    pub fn single_directive(&self) -> Option<&Directive> {
        match self.directives.as_slice() {
            [d] if d.text.trim() == self.body.trim() => Some(d),
            _ => None,
        }
    }
}

impl CodeBlock {
    /// The block's info string, split the way rustdoc and skeptic split it.
    pub fn tags(&self) -> Vec<&str> {
        self.info
            .split(|c: char| !(c == '_' || c == '-' || c.is_alphanumeric()))
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Whether skeptic compiles this block (it needs an explicit `rust`).
    pub fn is_rust(&self) -> bool {
        self.tags().contains(&"rust")
    }
}

/// The fenced code blocks of a Markdown text, in order, as mdBook's own
/// parser, with its options, finds them.
pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<CodeBlock> = None;
    let lines = LineIndex::new(text);
    for (event, range) in new_cmark_parser(text, &MarkdownOptions::default()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = Some(CodeBlock {
                    info: info.to_string(),
                    line: lines.line(range.start),
                    end_line: lines.line(range.end.saturating_sub(1).max(range.start)),
                    body: String::new(),
                    directives: Vec::new(),
                });
            }
            Event::Text(t) => {
                if let Some(block) = current.as_mut() {
                    block.body.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// A hash of a Markdown text as mdBook's parser reads it, but the text
/// inside its code blocks: what a page's links, headings, figures and
/// blocks depend on. Code, and the output printed in a block, shows on the
/// page but can add no link, heading or block (a line that closes the
/// fence early changes the events, and so the hash).
pub fn shape_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    let mut in_code = false;
    for event in new_cmark_parser(text, &MarkdownOptions::default()) {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if in_code => continue,
            _ => {}
        }
        format!("{event:?}").hash(&mut hasher);
    }
    hasher.finish()
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].bytes().filter(|&b| b == b'\n').count() + 1
}

/// The line numbers of one text's byte offsets, for many lookups: counting
/// from the start for each would make a long chapter's blocks quadratic.
pub struct LineIndex {
    /// The offset where each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        }
    }

    /// 1-based line number of a byte offset, as [`line_of`] counts it.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// An mdBook `{{#include}}`, `{{#rustdoc_include}}` or `{{#playground}}`.
#[derive(Debug, Clone)]
pub struct Directive {
    pub kind: String,
    /// The path as written.
    pub written: String,
    /// The path it names, resolved against the chapter's directory.
    pub path: PathBuf,
    /// The anchor after `:`, if it is a name rather than a line range.
    pub anchor: Option<String>,
    /// Whether it takes a range of lines (`:3:7`, `:3:`, `::7`).
    pub range: bool,
    /// Those lines: the first (1-based) and the last (included), if given.
    pub lines: Option<(usize, Option<usize>)>,
    /// Whether it is inside a fenced code block (set by `Chapter::new`).
    pub in_block: bool,
    /// 1-based line in the chapter.
    pub line: usize,
    /// The directive's text, for messages.
    pub text: String,
}

/// A directive, from its `{{`: a pattern that starts with a literal is
/// found by a fast scan for it (one that started with an optional `\`
/// was a fifth of the time of a listing edit's check of skeptic's blocks).
/// Whether a backslash escapes it is asked apart (`escaped`).
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{\s*#(?P<kind>include|rustdoc_include|playground)\s+(?P<path>[^\s:}]+)(?::(?P<rest>[^\s}]*))?[^}]*\}\}")
        .unwrap()
});

/// The directives in `text`, a part of `chapter` (a code block's body),
/// with paths resolved as the chapter's are.
pub fn directives_in(book_root: &Path, chapter: &Chapter, text: &str) -> Vec<Directive> {
    directives_of(book_root, &chapter.file, text)
}

/// The directives in a chapter. `book_root` is the book's root directory.
pub fn directives(book_root: &Path, chapter: &Chapter) -> Vec<Directive> {
    directives_of(book_root, &chapter.file, &chapter.text)
}

/// The directives in `text`, a file of the book at `file` (relative to
/// `book_root`), with paths resolved against its directory as mdBook does.
pub fn directives_of(book_root: &Path, file: &Path, text: &str) -> Vec<Directive> {
    let lines = LineIndex::new(text);
    DIRECTIVE
        .captures_iter(text)
        .filter(|c| !escaped(text, c))
        .map(|c| directive(book_root, file, &lines, &c))
        .collect()
}

/// `text` (the file `file` of the book) with each directive that `with`
/// gives a replacement for replaced by it.
pub fn replace_directives(
    book_root: &Path,
    file: &Path,
    text: &str,
    with: impl Fn(&Directive) -> Option<String>,
) -> String {
    let lines = LineIndex::new(text);
    DIRECTIVE
        .replace_all(text, |c: &regex::Captures| {
            let whole = c.get(0).unwrap().as_str().to_string();
            if escaped(text, c) {
                return whole;
            }
            with(&directive(book_root, file, &lines, c)).unwrap_or(whole)
        })
        .into_owned()
}

/// Whether the directive `c` found in `text` is escaped (`\{{#include …}}`),
/// which mdBook shows as written.
fn escaped(text: &str, c: &regex::Captures) -> bool {
    text[..c.get(0).unwrap().start()].ends_with('\\')
}

fn directive(book_root: &Path, file: &Path, index: &LineIndex, c: &regex::Captures) -> Directive {
    let dir = book_root
        .join(file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let whole = c.get(0).unwrap();
    let rest = c.name("rest").map(|r| r.as_str()).unwrap_or("");
    let anchor = Some(rest.split(':').next().unwrap_or("").to_string())
        .filter(|a| !a.is_empty() && !a.chars().all(|ch| ch.is_ascii_digit()));
    // `:3:7`, `:3:`, `::7`, `:3`: lines, not an anchor (1-based, the end
    // included, as mdBook reads them).
    let lines = match (anchor.is_none() && !rest.is_empty()).then(|| rest.split_once(':')) {
        Some(Some((from, to))) => Some((from.parse().unwrap_or(1), to.parse().ok())),
        Some(None) => Some((rest.parse().unwrap_or(1), None)),
        None => None,
    };
    Directive {
        kind: c["kind"].to_string(),
        written: c["path"].to_string(),
        path: normalize(&dir.join(&c["path"])),
        anchor,
        range: lines.is_some(),
        lines,
        in_block: false,
        line: index.line(whole.start()),
        text: whole.as_str().to_string(),
    }
}

/// Removes `.` and `..` from a path without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_index_counts_as_line_of_does() {
        let text = "one\n\nthree\nfour";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            assert_eq!(index.line(offset), line_of(text, offset), "at {offset}");
        }
    }

    #[test]
    fn an_escaped_directive_is_neither_found_nor_replaced() {
        let text = "See \\{{#include a.rs}} and {{#include b.rs:main}}, \\{{ #playground c.rs }}.";
        let found = directives_of(Path::new("/book"), Path::new("src/ch.md"), text);
        let paths: Vec<_> = found.iter().map(|d| d.path.clone()).collect();
        assert_eq!(paths, [PathBuf::from("/book/src/b.rs")]);
        assert_eq!(found[0].anchor.as_deref(), Some("main"));
        let replaced = replace_directives(Path::new("/book"), Path::new("src/ch.md"), text, |_| {
            Some("X".to_string())
        });
        assert_eq!(
            replaced,
            "See \\{{#include a.rs}} and X, \\{{ #playground c.rs }}."
        );
    }
}

/// `text` (a chapter) with `edition{year}` added to each `rust` block's
/// info that names no edition: a chapter recorded in an older edition has
/// its blocks compiled, and run by the playground, in it.
pub fn with_edition(text: &str, year: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        match &fence {
            Some(open) if marker.len() >= open.len() && marker.starts_with(&open[..1]) => {
                fence = None;
            }
            None if marker.len() >= 3 => {
                fence = Some(marker.clone());
                let info = trimmed[marker.len()..].trim_end();
                let tags: Vec<&str> = info.split([',', ' ']).filter(|t| !t.is_empty()).collect();
                if tags.first() == Some(&"rust") && !tags.iter().any(|t| t.starts_with("edition")) {
                    let end = line.trim_end_matches(['\n', '\r']);
                    out.push_str(&format!(
                        "{},edition{year}{}",
                        end.trim_end(),
                        &line[end.len()..]
                    ));
                    continue;
                }
            }
            _ => {}
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod edition_tests {
    #[test]
    fn rust_blocks_get_the_edition_and_others_do_not() {
        let text = "```rust\nfn main() {}\n```\n\n```text\nx\n```\n\n```rust,edition2021\n```\n";
        let out = super::with_edition(text, "2018");
        assert!(out.starts_with("```rust,edition2018\n"), "{out}");
        assert!(out.contains("```text\n"), "{out}");
        assert!(out.contains("```rust,edition2021\n"), "{out}");
    }
}
