//! Exercises: a listing whose chapter shows a starter (its `src/`), with a
//! goal the reader's program must reach: an output (`output.txt`) or tests
//! (its `tests/`). Its solution (`solution/`: files that replace `src/`'s of
//! the same name) is kept out of the page. The check proves that the
//! solution reaches the goal and that the starter does not yet, so the
//! answer is a program the checks run, never a key typed by hand that
//! drifts: a solution that misses its goal fails, naming it; so does a
//! starter that already reaches it (the exercise would ask nothing).

use std::path::{Path, PathBuf};

use super::{Bless, Differs, One};
use crate::book::listings::{EXPECTED_OUTPUT, Files};
use crate::book::metadata::{Declared, Exercise, Goal};
use crate::book::problem::Problem;
use crate::book::session;
use crate::running::normalize::tolerant;

/// Where an exercise keeps its solution, beside `src/`.
pub const SOLUTION: &str = "solution";

impl One<'_, '_> {
    /// The exercise's problems: its solution against the goal, then its
    /// starter.
    pub(super) fn exercise_problems(
        &self,
        declared: &Declared,
        exercise: &Exercise,
        name: &str,
    ) -> Vec<Problem> {
        let rel_dir = &self.listing.rel;
        let Some(solution) = solved(self.files) else {
            return vec![Problem::new(
                rel_dir.join(SOLUTION),
                None,
                format!(
                    "{name} is an exercise, so it needs its solution in {SOLUTION}/: files that \
                     replace src/'s of the same name ({SOLUTION}/main.rs for src/main.rs), kept \
                     out of the page"
                ),
            )];
        };
        let command = match exercise.goal {
            Goal::Output => "cargo run --quiet",
            Goal::Tests => "cargo test --quiet",
        };
        let steps = session::steps(&format!("$ {command}\n")).expect("a command of the checks");
        let at =
            |file: PathBuf, message: String| Problem::new(file, None, format!("{name}: {message}"));
        let solved = match self.replay_with(declared, &solution, &steps) {
            Ok(shown) => shown,
            Err(m) => return vec![at(rel_dir.join(SOLUTION), format!("its solution: {m}"))],
        };
        let started = self.replay(declared, &steps);
        match exercise.goal {
            Goal::Output => self.output_goal(&solved, started, name),
            Goal::Tests => {
                let mut problems = Vec::new();
                if failed(&solved) {
                    problems.push(at(
                        rel_dir.join(SOLUTION),
                        format!(
                            "its solution does not pass the goal's tests (`cargo test`):\n{}",
                            failures(&tolerant(&program_output(&solved)))
                        ),
                    ));
                }
                if started.is_ok_and(|s| !failed(&s)) {
                    problems.push(at(
                        rel_dir.join("src"),
                        "its starter already passes the goal's tests: the exercise would ask \
                         nothing of the reader"
                            .into(),
                    ));
                }
                problems
            }
        }
    }

    /// An output goal: the solution prints `output.txt` (bless records it
    /// from the solution), and the starter does not.
    fn output_goal(
        &self,
        solved: &str,
        started: Result<String, String>,
        name: &str,
    ) -> Vec<Problem> {
        let expected = self.listing.rel.join(EXPECTED_OUTPUT);
        let wanted = match self.book.bytes(&expected) {
            Some(wanted) => wanted,
            None if self.bless != Bless::No => &[],
            None => {
                return vec![Problem::new(
                    &expected,
                    None,
                    format!(
                        "{name} is an exercise whose goal is an output, so it needs an \
                         {EXPECTED_OUTPUT}: what its solution prints (`cargo xtask bless` writes it)"
                    ),
                )];
            }
        };
        let printed = program_output(solved);
        let mut problems = Vec::new();
        match self.compare(&expected, wanted, printed.as_bytes(), tolerant) {
            Ok(()) => {}
            Err(Differs::Machine(problem) | Differs::Refused(problem)) => problems.push(problem),
            Err(Differs::Diff(diff, _)) => problems.push(Problem::new(
                &expected,
                None,
                format!(
                    "{name}: its solution ({SOLUTION}/) does not reach the goal: it prints \
                     something else than {EXPECTED_OUTPUT}.\n{diff}\nFix the solution; or, if \
                     the goal is what it prints now, `cargo xtask bless`."
                ),
            )),
        }
        let goal = tolerant(&String::from_utf8_lossy(wanted));
        if started.is_ok_and(|s| !failed(&s) && tolerant(&program_output(&s)) == goal) {
            problems.push(Problem::new(
                self.listing.rel.join("src"),
                None,
                format!(
                    "{name}: its starter already prints the goal ({EXPECTED_OUTPUT}): the \
                     exercise would ask nothing of the reader"
                ),
            ));
        }
        problems
    }
}

/// The listing's files with its solution in place of the starter: each
/// file under `solution/` replaces `src/`'s of the same name; none when
/// there is no solution.
fn solved(files: &[(PathBuf, Vec<u8>)]) -> Option<Files> {
    let solution: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .filter_map(|(path, content)| {
            let rest = path.strip_prefix(SOLUTION).ok()?;
            Some((Path::new("src").join(rest), content.clone()))
        })
        .collect();
    if solution.is_empty() {
        return None;
    }
    let mut out: Files = files
        .iter()
        .filter(|(path, _)| !path.starts_with(SOLUTION) && !solution.iter().any(|(s, _)| s == path))
        .cloned()
        .collect();
    out.extend(solution);
    Some(out)
}

/// What a failed `cargo test` says of its failures (from `failures:` to
/// its `test result:` line, the same at every run), or all it printed.
fn failures(printed: &str) -> String {
    let lines: Vec<&str> = printed.lines().collect();
    let Some(start) = lines.iter().position(|l| *l == "failures:") else {
        return printed.trim_end().to_string();
    };
    let end = lines[start..]
        .iter()
        .position(|l| l.starts_with("test result:"))
        .map_or(lines.len(), |i| start + i + 1);
    lines[start..end].join("\n")
}

/// Whether a command of the session failed (it shows a `? ` status line).
fn failed(shown: &str) -> bool {
    shown.lines().any(|l| l.starts_with("? "))
}

/// What the command printed, without its `$` and status lines.
fn program_output(shown: &str) -> String {
    shown
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("$ ") && !l.starts_with("? "))
        .collect()
}
