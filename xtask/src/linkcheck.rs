//! Runs mdbook-linkcheck2 as mdBook's `linkcheck2` renderer, the way mdBook's
//! own command renderer does, but keeps what it prints so that a failing
//! check can show it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use mdbook_driver::errors::Result;
use mdbook_renderer::{RenderContext, Renderer};

pub struct Linkcheck2 {
    exe: PathBuf,
}

impl Linkcheck2 {
    pub fn new(exe: &Path) -> Self {
        Linkcheck2 {
            exe: exe.to_path_buf(),
        }
    }
}

impl Renderer for Linkcheck2 {
    fn name(&self) -> &str {
        "linkcheck2"
    }

    fn render(&self, ctx: &RenderContext) -> Result<()> {
        std::fs::create_dir_all(&ctx.destination)?;
        let mut child = Command::new(&self.exe)
            .args(["--colour", "never"])
            .env("RUST_BACKTRACE", "0")
            .current_dir(&ctx.destination)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {}", self.exe.display()))?;
        let mut stdin = child.stdin.take().expect("piped stdin");
        serde_json::to_writer(&mut stdin, ctx)?;
        stdin.flush()?;
        drop(stdin);
        let output = child.wait_with_output()?;
        if !output.status.success() {
            bail!(
                "mdbook-linkcheck2 found broken links (its paths are inside src/):\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

/// The first place mdbook-linkcheck2's report points at, as (file inside
/// `src/`, line). It marks each with ` ┌─ ch01.md:18:5`, then quotes the
/// line, `18 │ See [the …]`. Its line numbers count the chapter after
/// mdBook expanded the includes, so the line is found again, by its text,
/// in the chapter as written (`src`).
pub fn first_location(report: &str, src: &std::path::Path) -> Option<(String, Option<usize>)> {
    let mut lines = report.lines();
    let (file, line) = lines.by_ref().find_map(|line| {
        let (_, place) = line.split_once("┌─ ")?;
        let mut parts = place.trim().rsplitn(3, ':');
        let (_column, line, file) = (parts.next()?, parts.next()?, parts.next()?);
        Some((file.to_string(), line.to_string()))
    })?;
    let quoted = lines.find_map(|l| {
        let (number, text) = l.split_once('│')?;
        (number.trim() == line).then(|| text.strip_prefix(' ').unwrap_or(text).to_string())
    });
    let written = std::fs::read_to_string(src.join(&file)).unwrap_or_default();
    let found = quoted
        .and_then(|q| written.lines().position(|l| l == q))
        .map(|i| i + 1);
    Some((file, found))
}
