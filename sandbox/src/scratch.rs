//! A run's scratch directory: a fresh, empty directory outside the
//! repository (under the system's temporary directory), or a fresh copy of
//! a listing's files there, removed when the run is over. The jail shows
//! it to the program at the same path, writable, as its working directory,
//! `HOME` and `TMPDIR`: the one place of the machine it may write to
//! unless its caller adds others.

use std::path::{Path, PathBuf};

/// A fresh directory, removed on drop.
#[derive(Debug)]
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// An empty scratch directory.
    pub fn new() -> std::io::Result<Scratch> {
        Ok(Scratch {
            dir: tempfile::Builder::new().prefix("cbh-run-").tempdir()?,
        })
    }

    /// A scratch directory holding `files` (path relative to it, content).
    pub fn with_files<'a>(
        files: impl IntoIterator<Item = &'a (PathBuf, Vec<u8>)>,
    ) -> std::io::Result<Scratch> {
        let scratch = Scratch::new()?;
        for (rel, content) in files {
            let path = scratch.path().join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, content)?;
        }
        Ok(scratch)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}
