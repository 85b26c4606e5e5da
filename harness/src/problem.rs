//! A problem found by a check, said so that an author can go and fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One thing wrong with the book: where it is, and what is wrong.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The file to open, relative to the book's root where possible.
    pub file: PathBuf,
    /// The line in that file, when there is one to point at.
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    /// Shows `file` relative to `root`, if it is inside it.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.file.strip_prefix(root) {
            self.file = rel.to_path_buf();
        }
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// `Ok` when there are no problems; otherwise all of them, one after another.
pub fn report(problems: Vec<Problem>) -> Result<(), String> {
    if problems.is_empty() {
        return Ok(());
    }
    let mut text = format!("{} problem(s) in the book:\n", problems.len());
    for problem in &problems {
        text.push_str(&format!("\n{problem}\n"));
    }
    Err(text)
}
