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
//!   output limit (what it printed is kept up to that limit, so memory
//!   stays bounded);
//! - a process it started that is still running when it exits (even one
//!   that left its process group: see [`crate::jail`]) is killed, and the
//!   run fails naming it: a listing waits for what it starts.
//!
//! Output is kept as bytes: a program may print bytes that are not UTF-8.
//!
//! Whether the program waits on standard input is read from Linux's
//! `/proc/<pid>/task/*/syscall` (blocked in `read` on descriptor 0).

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::jail::Jail;

/// How a run ended.
#[derive(Debug)]
pub struct Ran {
    /// What the terminal shows: output and echoed input, in order (stdout
    /// and the echo alone when `merge` was off).
    pub shown: Vec<u8>,
    /// Standard error on its own (empty when merged).
    pub stderr: Vec<u8>,
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
    /// It exited, leaving these processes running (they were killed).
    LeftRunning { names: Vec<String> },
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
            Stopped::LeftRunning { names } => write!(
                f,
                "it exited but left {} running ({}), so they were stopped. A listing waits \
                 for the processes and threads it starts (`child.wait()`, `handle.join()`)",
                if names.len() == 1 {
                    "a process"
                } else {
                    "processes"
                },
                names.join(", ")
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

/// Runs `cmd` (contained by a [`Jail`] the caller applied), typing
/// `input`'s lines when it waits on stdin. With `merge`, stderr goes where
/// stdout goes, as in a terminal.
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
    let members = Jail::members(pid);
    let group = rustix::process::Pid::from_raw(pid as i32);
    let kill_group = || {
        if let Some(group) = group {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
    };

    let kill_all = || {
        kill_group();
        members.kill_all()
    };

    // Each pipe keeps at most one byte more than the limit: enough to know
    // that the limit was passed.
    let cap = limits.output_bytes + 1;
    let shown = Arc::new(Mutex::new(Vec::<u8>::new()));
    let out_reader = spawn_reader(out_read, Arc::clone(&shown), cap);
    let stderr = Arc::new(Mutex::new(Vec::<u8>::new()));
    let err_reader = (!merge).then(|| spawn_reader(err_read, Arc::clone(&stderr), cap));
    let text =
        |buf: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();

    let started = Instant::now();
    let mut waiting_since: Option<usize> = None;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(start_err)? {
            break status;
        }
        if started.elapsed() > limits.time {
            kill_all();
            let _ = child.wait();
            return Err(Stopped::TimedOut {
                shown: text(&shown),
                limit: limits.time,
            });
        }
        let printed = shown.lock().unwrap().len() + stderr.lock().unwrap().len();
        if printed > limits.output_bytes {
            kill_all();
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
                        kill_all();
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
    // Whatever it left behind goes too, so the pipes close. A child it
    // forked a moment ago gets a moment to become the program it runs, so
    // that the failure names that program (`sleep`, not `sh`).
    if !members.alive().is_empty() {
        std::thread::sleep(Duration::from_millis(50));
    }
    kill_group();
    let left = members.kill_all();
    for reader in std::iter::once(out_reader).chain(err_reader) {
        let until = Instant::now() + Duration::from_secs(1);
        while !reader.is_finished() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    if !left.is_empty() {
        return Err(Stopped::LeftRunning { names: left });
    }
    let printed = shown.lock().unwrap().len() + stderr.lock().unwrap().len();
    if printed > limits.output_bytes {
        return Err(Stopped::TooMuchOutput {
            limit: limits.output_bytes,
        });
    }
    let take = |buf: Arc<Mutex<Vec<u8>>>| std::mem::take(&mut *buf.lock().unwrap());
    Ok(Ran {
        shown: take(shown),
        stderr: take(stderr),
        status,
    })
}

/// Reads `pipe` into `into`, keeping at most `cap` bytes; the rest is read
/// and dropped, so the writer is never blocked on a full pipe.
fn spawn_reader(
    mut pipe: std::io::PipeReader,
    into: Arc<Mutex<Vec<u8>>>,
    cap: usize,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let mut into = into.lock().unwrap();
                    let room = cap.saturating_sub(into.len()).min(n);
                    into.extend_from_slice(&buf[..room]);
                }
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
    use crate::Scratch;

    const LIMITS: Limits = Limits {
        time: Duration::from_secs(5),
        output_bytes: 64 * 1024,
    };

    /// `sh -c script`, contained in `scratch`.
    fn sh_in(scratch: &Scratch, script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]);
        Jail::new(scratch.path()).apply(&mut cmd).unwrap();
        cmd
    }

    /// Runs `sh -c script` in a scratch directory of its own, typing
    /// `input`, with `merge` and `limits`.
    fn run_sh_with(
        script: &str,
        input: &[&str],
        merge: bool,
        limits: Limits,
    ) -> Result<Ran, Stopped> {
        let scratch = Scratch::new().unwrap();
        let mut input = input.iter().map(|s| s.to_string());
        run(sh_in(&scratch, script), &mut input, merge, limits)
    }

    fn run_sh(script: &str) -> Result<Ran, Stopped> {
        run_sh_with(script, &[], true, LIMITS)
    }

    #[test]
    fn typed_lines_are_echoed_where_the_program_reads_them() {
        let ran = run_sh_with(
            "echo Guess?; read a; echo got $a; echo Again?; read b; echo got $b >&2",
            &["6", "50"],
            true,
            LIMITS,
        )
        .unwrap();
        assert_eq!(ran.shown, b"Guess?\n6\ngot 6\nAgain?\n50\ngot 50\n");
        assert!(ran.status.success());
    }

    #[test]
    fn a_program_waiting_for_input_not_given_fails_at_once() {
        let started = Instant::now();
        let stopped = run_sh("echo Guess?; read a").unwrap_err();
        assert!(matches!(&stopped, Stopped::NeedsInput { shown } if shown == "Guess?\n"));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_program_that_runs_forever_or_prints_forever_is_stopped() {
        let limits = Limits {
            time: Duration::from_millis(100),
            ..LIMITS
        };
        let stopped = run_sh_with("while :; do :; done", &[], true, limits);
        assert!(matches!(stopped, Err(Stopped::TimedOut { .. })));
        let started = Instant::now();
        let stopped = run_sh("yes");
        assert!(matches!(stopped, Err(Stopped::TooMuchOutput { .. })));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    /// What a pipe's reader keeps stops at its cap, however much comes.
    #[test]
    fn output_past_the_limit_is_read_but_not_kept() {
        let (read, mut write) = std::io::pipe().unwrap();
        let kept = Arc::new(Mutex::new(Vec::new()));
        let reader = spawn_reader(read, Arc::clone(&kept), 1000);
        for _ in 0..100 {
            write.write_all(&[b'x'; 64 * 1024]).unwrap();
        }
        drop(write);
        reader.join().unwrap();
        assert_eq!(kept.lock().unwrap().len(), 1000);
    }

    #[test]
    fn stderr_apart_when_not_merged() {
        let ran = run_sh_with("echo out; echo err >&2", &[], false, LIMITS).unwrap();
        assert_eq!(
            (&ran.shown[..], &ran.stderr[..]),
            (&b"out\n"[..], &b"err\n"[..])
        );
    }

    /// Bytes that are not UTF-8 come back as they were printed.
    #[test]
    fn output_is_kept_as_bytes() {
        let ran = run_sh("printf 'caf\\351\\n'").unwrap();
        assert_eq!(ran.shown, b"caf\xe9\n");
    }

    /// A background process, in the group or out of it (setsid), is killed
    /// when the program exits, and the run fails naming it, at once.
    #[test]
    fn a_process_left_running_is_killed_and_named() {
        for script in ["sleep 600 &", "setsid sleep 601 &"] {
            let started = Instant::now();
            let stopped = run_sh(script).unwrap_err();
            assert!(
                // (On a busy machine, `sh` or `setsid` may not have become
                // `sleep` yet.)
                matches!(&stopped, Stopped::LeftRunning { names }
                    if ["sleep", "setsid", "sh"].contains(&names[0].as_str())),
                "{script}: {stopped:?}"
            );
            assert!(started.elapsed() < Duration::from_secs(2), "{script}");
            let arg = script
                .split_whitespace()
                .find(|w| w.starts_with("60"))
                .unwrap();
            assert!(!sleeping(arg), "{script}: still running");
        }
    }

    /// Whether a `sleep SECS` runs on this machine.
    fn sleeping(secs: &str) -> bool {
        std::fs::read_dir("/proc").unwrap().flatten().any(|p| {
            std::fs::read(p.path().join("cmdline"))
                .is_ok_and(|c| c == format!("sleep\0{secs}\0").as_bytes())
        })
    }

    /// Writes land in the scratch directory and nowhere else.
    #[test]
    fn writes_outside_the_scratch_directory_are_refused() {
        if !crate::jail::support().landlock {
            eprintln!("skipped: this kernel has no Landlock");
            return;
        }
        let outside = tempfile::tempdir().unwrap();
        let scratch = Scratch::new().unwrap();
        let target = outside.path().join("escaped.txt");
        let script = format!(
            "echo in > inside.txt; echo out > ../escaped.txt; echo out > '{}'; echo $?",
            target.display()
        );
        let ran = run(
            sh_in(&scratch, &script),
            &mut std::iter::empty(),
            true,
            LIMITS,
        )
        .unwrap();
        let shown = String::from_utf8_lossy(&ran.shown);
        assert!(shown.contains("Permission denied"), "{shown}");
        assert!(scratch.path().join("inside.txt").exists());
        assert!(!target.exists());
        assert!(
            !scratch
                .path()
                .parent()
                .unwrap()
                .join("escaped.txt")
                .exists()
        );
    }

    /// The environment is the jail's, whatever the parent's.
    #[test]
    fn the_environment_is_fixed() {
        let scratch = Scratch::new().unwrap();
        let ran = run(
            sh_in(&scratch, "env | grep -v '^PATH=' | grep -v '^PWD=' | sort"),
            &mut std::iter::empty(),
            true,
            LIMITS,
        )
        .unwrap();
        let dir = scratch.path().display();
        assert_eq!(
            String::from_utf8(ran.shown).unwrap(),
            format!(
                "HOME={dir}\nLANG=C.UTF-8\nLC_ALL=C.UTF-8\nRUST_BACKTRACE=0\n\
                 TERM=dumb\nTMPDIR={dir}\n"
            )
        );
    }

    /// No network: a namespace with nothing in it but a loopback that is
    /// down.
    #[test]
    fn there_is_no_network() {
        if !crate::jail::support().namespaces {
            eprintln!("skipped: this kernel refuses user namespaces");
            return;
        }
        let ran = run_sh("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '").unwrap();
        assert_eq!(ran.shown, b"lo\n");
    }
}
