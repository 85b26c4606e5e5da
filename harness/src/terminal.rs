//! Runs a listing's program (or a cargo command) the way a reader's
//! terminal does, and keeps it bounded whatever it does:
//!
//! - standard output and standard error go into one pipe, so they come out
//!   in the order a terminal shows them (or apart, when asked);
//! - the lines the reader types are fed one at a time, each when the
//!   program is waiting on standard input, and echoed where the terminal
//!   would show them; a program that waits for input the listing does not
//!   give fails at once, saying so;
//! - it runs in a process group of its own, which is killed when it ends,
//!   when it runs past the time limit, or when it prints more than the
//!   output limit, so nothing it started lives on.
//!
//! Whether the program waits on standard input is read from Linux's
//! `/proc/<pid>/task/*/syscall` (blocked in `read` on descriptor 0).

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How a run ended.
#[derive(Debug)]
pub struct Ran {
    /// What the terminal shows: output and echoed input, in order (stdout
    /// and the echo alone when `merge` was off).
    pub shown: String,
    /// Standard error on its own (empty when merged).
    pub stderr: String,
    pub status: ExitStatus,
}

/// Why a run was stopped.
#[derive(Debug)]
pub enum Stopped {
    /// It waited on standard input after the given input ran out.
    NeedsInput { shown: String },
    /// It ran past the time limit.
    TimedOut { shown: String, limit: Duration },
    /// It printed more than the limit.
    TooMuchOutput { limit: usize },
    /// It could not be started.
    CouldNotStart(String),
}

impl Stopped {
    /// The same, with `f` applied to what the program printed (to show its
    /// paths as the reader's).
    pub fn map_shown(self, f: impl Fn(&str) -> String) -> Stopped {
        match self {
            Stopped::NeedsInput { shown } => Stopped::NeedsInput { shown: f(&shown) },
            Stopped::TimedOut { shown, limit } => Stopped::TimedOut {
                shown: f(&shown),
                limit,
            },
            other => other,
        }
    }
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stopped::NeedsInput { shown } => write!(
                f,
                "it waits for input that the listing does not give: add the lines the reader \
                 types to its input.txt, one per line. What it printed before it waited:\n{}",
                last_lines(shown)
            ),
            Stopped::TimedOut { shown, limit } => write!(
                f,
                "still running after {} s, so it was stopped. Does it loop forever? What it \
                 printed last:\n{}",
                limit.as_secs_f64(),
                last_lines(shown)
            ),
            Stopped::TooMuchOutput { limit } => write!(
                f,
                "printed more than {} KB, so it was stopped. Does it print forever?",
                limit / 1024
            ),
            Stopped::CouldNotStart(e) => write!(f, "could not be started: {e}"),
        }
    }
}

fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(8);
    lines[from..].iter().map(|l| format!("    {l}\n")).collect()
}

/// Limits on a run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    pub output_bytes: usize,
}

/// Runs `cmd`, typing `input`'s lines when it waits on stdin. With `merge`,
/// stderr goes where stdout goes, as in a terminal.
pub fn run(
    mut cmd: Command,
    input: &mut dyn Iterator<Item = String>,
    merge: bool,
    limits: Limits,
) -> Result<Ran, Stopped> {
    let start_err = |e: std::io::Error| Stopped::CouldNotStart(e.to_string());
    let (out_read, out_write) = std::io::pipe().map_err(start_err)?;
    let (err_read, err_write) = std::io::pipe().map_err(start_err)?;
    let (in_read, mut in_write) = std::io::pipe().map_err(start_err)?;
    let in_probe = in_read.try_clone().map_err(start_err)?;
    let out_probe = out_read.try_clone().map_err(start_err)?;
    if merge {
        cmd.stderr(out_write.try_clone().map_err(start_err)?);
        drop(err_write);
    } else {
        cmd.stderr(err_write);
    }
    cmd.stdout(out_write).stdin(in_read).process_group(0);
    let mut child = cmd.spawn().map_err(start_err)?;
    // Our copies of the pipes' ends go with the command.
    drop(cmd);
    let pid = child.id();
    let group = rustix::process::Pid::from_raw(pid as i32);
    let kill_group = || {
        if let Some(group) = group {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
    };

    let shown = Arc::new(Mutex::new(Vec::<u8>::new()));
    let out_reader = spawn_reader(out_read, Arc::clone(&shown));
    let stderr = Arc::new(Mutex::new(Vec::<u8>::new()));
    let err_reader = (!merge).then(|| spawn_reader(err_read, Arc::clone(&stderr)));
    let text =
        |buf: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();

    let started = Instant::now();
    let mut waiting_since: Option<usize> = None;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(start_err)? {
            break status;
        }
        if started.elapsed() > limits.time {
            kill_group();
            let _ = child.wait();
            return Err(Stopped::TimedOut {
                shown: text(&shown),
                limit: limits.time,
            });
        }
        let printed = shown.lock().unwrap().len() + stderr.lock().unwrap().len();
        if printed > limits.output_bytes {
            kill_group();
            let _ = child.wait();
            return Err(Stopped::TooMuchOutput {
                limit: limits.output_bytes,
            });
        }
        // Waiting on stdin, with everything it printed read, twice in a row
        // with nothing new in between: time to type the next line.
        let settled = waits_on_stdin(pid)
            && rustix::io::ioctl_fionread(&in_probe).is_ok_and(|n| n == 0)
            && rustix::io::ioctl_fionread(&out_probe).is_ok_and(|n| n == 0);
        match (settled, waiting_since) {
            (true, Some(seen)) if seen == printed => {
                waiting_since = None;
                match input.next() {
                    Some(line) => {
                        // The terminal echoes what the reader types.
                        shown
                            .lock()
                            .unwrap()
                            .extend_from_slice(format!("{line}\n").as_bytes());
                        let _ = in_write.write_all(format!("{line}\n").as_bytes());
                    }
                    None => {
                        kill_group();
                        let _ = child.wait();
                        return Err(Stopped::NeedsInput {
                            shown: text(&shown),
                        });
                    }
                }
            }
            (true, _) => waiting_since = Some(printed),
            (false, _) => waiting_since = None,
        }
        std::thread::sleep(Duration::from_millis(3));
    };
    // Whatever it left behind goes too, so the pipes close; a process that
    // left the group and keeps them open is not waited for long.
    kill_group();
    for reader in std::iter::once(out_reader).chain(err_reader) {
        let until = Instant::now() + Duration::from_secs(1);
        while !reader.is_finished() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    Ok(Ran {
        shown: text(&shown),
        stderr: text(&stderr),
        status,
    })
}

fn spawn_reader(
    mut pipe: std::io::PipeReader,
    into: Arc<Mutex<Vec<u8>>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => into.lock().unwrap().extend_from_slice(&buf[..n]),
            }
        }
    })
}

/// The `read` system call's number, as `/proc/<pid>/syscall` shows it.
#[cfg(target_arch = "x86_64")]
const SYS_READ: &str = "0";
#[cfg(target_arch = "aarch64")]
const SYS_READ: &str = "63";
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
const SYS_READ: &str = "";

/// Whether a thread of process `pid` is blocked reading descriptor 0.
fn waits_on_stdin(pid: u32) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks.flatten().any(|task| {
        std::fs::read_to_string(task.path().join("syscall")).is_ok_and(|s| {
            let mut fields = s.split_whitespace();
            fields.next() == Some(SYS_READ) && fields.next() == Some("0x0")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        time: Duration::from_secs(5),
        output_bytes: 64 * 1024,
    };

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]);
        cmd
    }

    #[test]
    fn typed_lines_are_echoed_where_the_program_reads_them() {
        let mut input = ["6".to_string(), "50".to_string()].into_iter();
        let ran = run(
            sh("echo Guess?; read a; echo got $a; echo Again?; read b; echo got $b >&2"),
            &mut input,
            true,
            LIMITS,
        )
        .unwrap();
        assert_eq!(ran.shown, "Guess?\n6\ngot 6\nAgain?\n50\ngot 50\n");
        assert!(ran.status.success());
    }

    #[test]
    fn a_program_waiting_for_input_not_given_fails_at_once() {
        let started = Instant::now();
        let stopped = run(
            sh("echo Guess?; read a"),
            &mut std::iter::empty(),
            true,
            LIMITS,
        )
        .unwrap_err();
        assert!(matches!(&stopped, Stopped::NeedsInput { shown } if shown == "Guess?\n"));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_program_that_runs_forever_or_prints_forever_is_stopped() {
        let limits = Limits {
            time: Duration::from_millis(100),
            ..LIMITS
        };
        let stopped = run(
            sh("while :; do :; done"),
            &mut std::iter::empty(),
            true,
            limits,
        );
        assert!(matches!(stopped, Err(Stopped::TimedOut { .. })));
        let stopped = run(sh("yes"), &mut std::iter::empty(), true, LIMITS);
        assert!(matches!(stopped, Err(Stopped::TooMuchOutput { .. })));
    }

    #[test]
    fn stderr_apart_when_not_merged() {
        let ran = run(
            sh("echo out; echo err >&2"),
            &mut std::iter::empty(),
            false,
            LIMITS,
        )
        .unwrap();
        assert_eq!(
            (ran.shown.as_str(), ran.stderr.as_str()),
            ("out\n", "err\n")
        );
    }
}
