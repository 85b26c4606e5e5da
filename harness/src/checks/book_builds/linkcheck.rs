//! mdbook-linkcheck2, run in-process through its library as mdBook's
//! `linkcheck2` renderer: the same steps as its binary (load the chapters,
//! extract the links, validate them, turn the outcome into diagnostics under
//! the book's `warning-policy`), but its findings come back as data, each
//! with its chapter and line, instead of as a text report.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use codespan_reporting::diagnostic::Severity;
use mdbook_driver::errors::Result;
use mdbook_renderer::{RenderContext, Renderer};

/// One broken link: the chapter (inside `src/`), the line in the chapter
/// as mdBook expanded it, that line's text, and what is wrong.
#[derive(Debug, Clone)]
pub struct Finding {
    pub chapter: PathBuf,
    pub line: usize,
    pub line_text: String,
    pub message: String,
}

/// The renderer; what it finds is kept in `findings`.
#[derive(Default, Clone)]
pub struct Linkcheck2 {
    pub findings: Arc<Mutex<Vec<Finding>>>,
}

impl Linkcheck2 {
    /// What it found, so far.
    pub fn findings(&self) -> Vec<Finding> {
        self.findings.lock().unwrap().clone()
    }
}

impl Renderer for Linkcheck2 {
    fn name(&self) -> &str {
        "linkcheck2"
    }

    fn render(&self, ctx: &RenderContext) -> Result<()> {
        let cfg: mdbook_linkcheck2::Config =
            ctx.config.get("output.linkcheck2")?.unwrap_or_default();
        let mut files = codespan::Files::<String>::new();
        let (web, all) = mdbook_linkcheck2::load_files_into_memory(&ctx.book, &mut files, |_| true);
        let (links, incomplete) = mdbook_linkcheck2::extract_links(&cfg, all.clone(), &files);
        let src = ctx.source_dir().canonicalize()?;
        let mut cache = Default::default();
        let outcome = mdbook_linkcheck2::validate(
            &links, &cfg, &src, &mut cache, &files, &web, &all, incomplete,
        )?;
        let mut findings = self.findings.lock().unwrap();
        for diagnostic in outcome.generate_diagnostics(&files, cfg.warning_policy) {
            if diagnostic.severity < Severity::Error {
                continue;
            }
            for label in &diagnostic.labels {
                let Ok(location) = files.location(label.file_id, label.range.start as u32) else {
                    continue;
                };
                let line = location.line.to_usize();
                let line_text = files
                    .source(label.file_id)
                    .lines()
                    .nth(line)
                    .unwrap_or_default()
                    .to_string();
                findings.push(Finding {
                    chapter: PathBuf::from(files.name(label.file_id)),
                    line: line + 1,
                    line_text,
                    message: diagnostic.message.clone(),
                });
            }
        }
        Ok(())
    }
}
