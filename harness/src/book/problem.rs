//! A problem found by a check, said so that an author can go and fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// One thing wrong with the book: where it is, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The file to open, relative to the book's root where possible.
    pub file: PathBuf,
    /// The line in that file, when there is one to point at.
    pub line: Option<usize>,
    pub message: String,
    /// A failure of the machine, not of the book (a crate missing offline,
    /// a full disk, a sandbox that cannot start, a tool that is missing):
    /// reported with what to run, and never remembered as the book's
    /// verdict (cache.rs).
    #[serde(default)]
    pub machine: bool,
}

impl Problem {
    pub fn new(file: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            file: file.into(),
            line,
            message: message.into(),
            machine: false,
        }
    }

    /// A failure of the machine met while checking `file`; `message` says
    /// what failed and what to run.
    pub fn machine(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Problem {
            machine: true,
            ..Problem::new(file, None, message)
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
        if self.machine {
            return write!(
                f,
                "{}: the machine, not the book: {}",
                self.file.display(),
                self.message
            );
        }
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// `problems` with each one said once: a failure several listings meet
/// together (one build of them all) is reported once.
pub fn once_each(problems: Vec<Problem>) -> Vec<Problem> {
    let mut seen: Vec<Problem> = Vec::new();
    for problem in problems {
        if !seen.contains(&problem) {
            seen.push(problem);
        }
    }
    seen
}

/// `Ok` when there are no problems; otherwise all of them, one after another.
pub fn report(problems: Vec<Problem>) -> Result<(), String> {
    if problems.is_empty() {
        return Ok(());
    }
    let (machine, book): (Vec<&Problem>, Vec<&Problem>) = problems.iter().partition(|p| p.machine);
    let mut text = String::new();
    if !book.is_empty() {
        text.push_str(&format!("{} problem(s) in the book:\n", book.len()));
        for problem in &book {
            text.push_str(&format!("\n{problem}\n"));
        }
    }
    if !machine.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!(
            "{} failure(s) of this machine, not of the book (not remembered: the next run tries again):\n",
            machine.len()
        ));
        for problem in &machine {
            text.push_str(&format!("\n{problem}\n"));
        }
    }
    Err(text)
}
