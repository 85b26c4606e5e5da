//! Feeds skeptic. Each `rust` block of each chapter, as the reader sees it
//! (expanded by mdBook's own preprocessors), goes into a Markdown file of
//! its own, so that every skeptic test is one block whose origin (chapter,
//! line, listing) we know and can name when it fails.
//!
//! A block that shows a listing declared not to compile, or to panic, is
//! not given to skeptic: skeptic would compile a `compile_fail` block as if
//! it should succeed, and counts a `should_panic` block that fails to
//! compile as a pass. The listings check (`listings.rs`) checks those for
//! their real outcome. A block tagged `compile_fail` or `should_panic` that
//! shows no such listing is an error, since nothing would check it.

use std::path::{Path, PathBuf};

use crate::book;
use crate::chapters::{Chapter, CodeBlock, code_blocks, directives};

pub struct Snippet {
    /// Where the block comes from, e.g. `src/ch01.md:52 (listings/…/src/main.rs)`.
    pub origin: String,
    /// The one-block Markdown file written for skeptic.
    pub markdown: PathBuf,
}

/// Writes the book's `rust` blocks, and those of `extra` Markdown files
/// (relative to `root`, used as they are), into `out_dir`.
pub fn write_for_skeptic(
    root: &Path,
    extra: &[PathBuf],
    out_dir: &Path,
) -> Result<Vec<Snippet>, String> {
    std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    let mut snippets = Vec::new();
    let listings = crate::listings::discover(root);
    let declared_to_fail = |dir: &Path| {
        listings
            .iter()
            .any(|l| dir.starts_with(&l.dir) && l.outcome() != crate::listings::Outcome::Runs)
    };
    let mut sources: Vec<(Chapter, String)> =
        book::expanded_chapters(root).map_err(|p| p.to_string())?;
    for file in extra {
        let text = std::fs::read_to_string(root.join(file))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let chapter = Chapter {
            file: file.clone(),
            source_path: file.clone(),
            text: text.clone(),
        };
        sources.push((chapter, text));
    }
    for (chapter, expanded) in &sources {
        let written: Vec<CodeBlock> = code_blocks(&chapter.text)
            .into_iter()
            .filter(CodeBlock::is_rust)
            .collect();
        let seen: Vec<CodeBlock> = code_blocks(expanded)
            .into_iter()
            .filter(CodeBlock::is_rust)
            .collect();
        if written.len() != seen.len() {
            return Err(format!(
                "{}: {} `rust` blocks as written but {} once mdBook expanded the includes",
                chapter.file.display(),
                written.len(),
                seen.len()
            ));
        }
        let stem = chapter
            .file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for (source, block) in written.iter().zip(seen) {
            let probe = Chapter {
                text: source.body.clone(),
                ..chapter.clone()
            };
            let found = directives(root, &probe);
            let fails_on_purpose = found.iter().any(|d| declared_to_fail(&d.path));
            let tagged = source
                .tags()
                .iter()
                .any(|t| *t == "compile_fail" || *t == "should_panic");
            if tagged && !fails_on_purpose {
                return Err(format!(
                    "{}:{}: a `{}` block must show a listing declared to fail that way \
                     (`[package.metadata.listing]` in its Cargo.toml), so that its real outcome is checked",
                    chapter.file.display(),
                    source.line,
                    source.info
                ));
            }
            if fails_on_purpose {
                continue;
            }
            let included: Vec<String> = found
                .iter()
                .map(|d| {
                    d.path
                        .strip_prefix(root)
                        .unwrap_or(&d.path)
                        .display()
                        .to_string()
                })
                .collect();
            let mut origin = format!("{}:{}", chapter.file.display(), source.line);
            if !included.is_empty() {
                origin.push_str(&format!(" (listing {})", included.join(", ")));
            }
            let markdown = out_dir.join(format!("{stem}_line_{}.md", source.line));
            let text = format!("````{}\n{}````\n", block.info, block.body);
            write_if_changed(&markdown, &text)?;
            snippets.push(Snippet { origin, markdown });
        }
    }
    Ok(snippets)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Rewrites skeptic's generated tests so that each one reports where its
/// block comes from: the n-th call to skeptic's runner is the n-th snippet.
pub fn annotate(generated: &str, snippets: &[Snippet]) -> Result<String, String> {
    let mut out = String::with_capacity(generated.len());
    let mut rest = generated;
    let mut origins = snippets.iter().map(|s| &s.origin);
    while let Some(at) = rest.find("skeptic::rt::") {
        let call = &rest[at..];
        let runner = if call.starts_with("skeptic::rt::run_test(") {
            "skeptic::rt::run_test"
        } else if call.starts_with("skeptic::rt::compile_test(") {
            "skeptic::rt::compile_test"
        } else {
            return Err(format!(
                "unexpected skeptic call: {}",
                &call[..call.len().min(40)]
            ));
        };
        let origin = origins
            .next()
            .ok_or("skeptic made more tests than there are snippets")?;
        out.push_str(&rest[..at]);
        out.push_str(&format!("crate::snippet(r#\"{origin}\"#, {runner}, "));
        rest = &call[runner.len() + 1..];
    }
    out.push_str(rest);
    if origins.next().is_some() {
        return Err("skeptic made fewer tests than there are snippets".into());
    }
    Ok(out)
}
