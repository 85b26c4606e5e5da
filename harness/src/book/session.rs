//! Terminal sessions. A listing's `transcript.txt` is what the reader's
//! terminal shows when they type the commands in it, in the project they
//! made with `cargo new` (the listing's `project`):
//!
//! ```text
//! $ cargo run -- to poem.txt
//!    Compiling minigrep v0.1.0 (/projects/minigrep)
//!     Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.28s
//!      Running `target/debug/minigrep to poem.txt`
//! Searching for to
//! ```
//!
//! Each `$ ` line is a command (`cargo run|build|check|test`, with its
//! arguments, maybe after `NAME=value` environment variables); the lines
//! under it are what it prints, stdout and stderr in the order a terminal
//! shows them, with the lines of `input.txt` typed where the program reads
//! them. As in trycmd, a command that exits with a failure says so on the
//! line after it: `? failed` (any failure) or `? 101` (that exit code);
//! a command without one must succeed.
//!
//! The check runs the commands in a copy of the listing named as the
//! reader named it, and compares. What differs from machine to machine is
//! matched tolerantly (see `tolerant`); the rest byte for byte.

/// A listing's terminal session.
pub const TRANSCRIPT: &str = "transcript.txt";
/// The lines the reader types, in order.
pub const INPUT: &str = "input.txt";

/// The cargo commands a transcript may run.
const COMMANDS: [&str; 4] = ["run", "build", "check", "test"];

/// One command of a transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// 1-based line of its `$ ` line.
    pub line: usize,
    /// The command as written after `$ `.
    pub written: String,
    pub env: Vec<(String, String)>,
    /// cargo's arguments: `run -- to poem.txt`.
    pub cargo_args: Vec<String>,
    pub status: Status,
}

/// How a command is expected to exit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    /// `? failed`: any failure.
    Failed,
    /// `? N`: that exit code.
    Code(i32),
}

impl Status {
    /// The line that says so in a transcript, if any.
    pub fn line(self) -> Option<String> {
        match self {
            Status::Success => None,
            Status::Failed => Some("? failed".into()),
            Status::Code(code) => Some(format!("? {code}")),
        }
    }
}

/// A transcript as the reader's terminal shows it: without its status
/// lines (`? 1`, `? failed`), which say how a command exited and which no
/// terminal prints. This is what a page shows, and what a line range of it
/// counts.
pub fn as_shown(text: &str) -> String {
    let mut after_command = false;
    text.split_inclusive('\n')
        .filter(|line| {
            let status = after_command
                && line
                    .trim_end()
                    .strip_prefix("? ")
                    .is_some_and(|s| s == "failed" || s.parse::<i32>().is_ok());
            after_command = line.starts_with("$ ");
            !status
        })
        .collect()
}

/// The commands of a transcript, or (line, what is wrong).
pub fn steps(text: &str) -> Result<Vec<Step>, (usize, String)> {
    let mut steps: Vec<Step> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if let Some(status) = line.strip_prefix("? ") {
            let after_command = i > 0 && lines[i - 1].starts_with("$ ");
            let status = match status.trim() {
                "failed" => Some(Status::Failed),
                code => code.parse().ok().map(Status::Code),
            };
            match (after_command, status, steps.last_mut()) {
                (true, Some(status), Some(step)) => step.status = status,
                _ => {
                    return Err((
                        i + 1,
                        "a status line goes right after its command: `? failed`, or `? 101` for \
                         an exit code"
                            .into(),
                    ));
                }
            }
            continue;
        }
        let Some(written) = line.strip_prefix("$ ") else {
            if i == 0 {
                return Err((
                    1,
                    "a transcript starts with a command: `$ cargo run`".into(),
                ));
            }
            continue;
        };
        let words = shlex::split(written).ok_or((
            i + 1,
            format!("cannot split `{written}` into words (unclosed quote?)"),
        ))?;
        let mut env = Vec::new();
        let mut rest = words.as_slice();
        while let Some((name, value)) = rest.first().and_then(|w| w.split_once('=')) {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                break;
            }
            env.push((name.to_string(), value.to_string()));
            rest = &rest[1..];
        }
        match rest {
            [cargo, sub, ..] if cargo == "cargo" && COMMANDS.contains(&sub.as_str()) => {}
            _ => {
                return Err((
                    i + 1,
                    format!(
                        "`{written}`: a transcript runs `cargo run`, `cargo build`, `cargo check` \
                         or `cargo test`, with their arguments, maybe after NAME=value variables"
                    ),
                ));
            }
        }
        steps.push(Step {
            line: i + 1,
            written: written.to_string(),
            env,
            cargo_args: rest[1..].to_vec(),
            status: Status::Success,
        });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_with_arguments_and_variables_are_read() {
        let text = "$ IGNORE_CASE=1 cargo run -- to poem.txt\nAre you nobody, too?\n$ cargo test\n";
        let steps = steps(text).unwrap();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].env, vec![("IGNORE_CASE".into(), "1".into())]);
        assert_eq!(steps[0].cargo_args, ["run", "--", "to", "poem.txt"]);
        assert_eq!(
            (steps[1].line, steps[1].cargo_args.as_slice()),
            (3, &["test".to_string()][..])
        );
    }

    #[test]
    fn other_commands_are_refused_at_their_line() {
        let (line, message) = steps("$ cargo run\nhi\n$ rm -rf /\n").unwrap_err();
        assert_eq!(line, 3);
        assert!(message.contains("`rm -rf /`"), "{message}");
    }
}
