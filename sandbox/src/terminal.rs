//! Runs a listing's program (or a cargo command) the way a reader's
//! terminal does, and keeps it bounded whatever it does:
//!
//! - standard output and standard error go into one pipe, so they come out
//!   in the order a terminal shows them (or apart, when asked);
//! - the lines the reader types are fed one at a time, each when the
//!   program is waiting on standard input, and echoed where the terminal
//!   would show them; a program that waits for input the listing does not
//!   give fails at once, saying so;
//! - it is stopped, and the run fails naming the limit, when it runs past
//!   the wall-clock [time](Limits::time) (a program that sleeps forever) or
//!   the [processor time](Limits::cpu) of all its processes together (a
//!   busy loop, an endless `const` evaluation: processor time is what a
//!   busy machine does not inflate), when it prints more than the output
//!   limit (what it printed is kept up to that limit, so memory stays
//!   bounded), when its processes together hold more than the
//!   [memory](Limits::memory_bytes) limit, write more than the
//!   [written](Limits::written_bytes) limit, or number more than the
//!   [process](Limits::processes) limit (a fork bomb);
//! - a process it started that is still running when it exits (even one
//!   that left its process group or made namespaces of its own: see
//!   [`crate::jail`]) is killed, and the run fails naming it: a listing
//!   waits for what it starts.
//!
//! Output is kept as bytes: a program may print bytes that are not UTF-8.
//!
//! The run's processes are the one it starts and all its descendants
//! (every process of the run, under the supervisor, whose PID namespace
//! makes orphans children of its PID 1). They are read from `/proc` a few
//! times a second: their memory, processor time and bytes written (which
//! include those of the children they reaped), and whether one of them is
//! blocked reading standard input. The kernel backstops each limit in case
//! this watch is late on a busy machine (see [`crate::jail`]), and at the
//! end the supervisor reports the totals of everything it reaped, so that
//! a limit passed between two looks still fails the run.
//!
//! Whether the program waits on standard input is read from Linux's
//! `/proc/<pid>/task/*/syscall`: a thread of a process of the run blocked
//! in `read` on descriptor 0, which is the run's input pipe (not a pipe of
//! the program's own, nor the supervisor, which never reads it).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::jail::{self, Jail};

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
    /// It waited past the time limit with none of its processes running
    /// ([`Limits::time`]), or, with `wall`, ran past the wall-clock limit
    /// that backs every other ([`Limits::wall`]). `busiest` is the command
    /// line of the process that had used the most processor time (for a
    /// build: the compiler and the crate it was compiling).
    TimedOut {
        shown: String,
        limit: Duration,
        busiest: Option<String>,
        wall: bool,
    },
    /// Its processes used more processor time, together, than the limit.
    TooMuchCpu {
        limit: Duration,
        busiest: Option<String>,
    },
    /// It printed more than the limit.
    TooMuchOutput { limit: usize },
    /// Its processes held more memory, together, than the limit.
    TooMuchMemory { limit: u64 },
    /// Its processes wrote more bytes, together, than the limit.
    TooMuchWritten { limit: u64 },
    /// It had more processes and threads at once than the limit.
    TooManyProcesses { limit: usize },
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
            Stopped::TimedOut {
                shown,
                limit,
                busiest,
                wall,
            } => Stopped::TimedOut {
                shown: f(&shown),
                limit,
                busiest,
                wall,
            },
            other => other,
        }
    }
}

/// `bytes` as the reader says it: 4 GiB, 512 MiB, 64 KiB.
fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let whole = bytes as f64 / unit as f64;
            return format!("{} {name}", (whole * 10.0).round() / 10.0);
        }
    }
    format!("{bytes} bytes")
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
            Stopped::TimedOut {
                shown,
                limit,
                wall: false,
                ..
            } => write!(
                f,
                "waited {} s with nothing of it running, so it was stopped. Does it sleep, or \
                 wait for something that never comes? What it printed last:\n{}",
                limit.as_secs_f64(),
                last_lines(shown)
            ),
            Stopped::TimedOut {
                shown,
                limit,
                wall: true,
                ..
            } => write!(
                f,
                "still running after {} s of the clock, so it was stopped. What it printed \
                 last:\n{}",
                limit.as_secs_f64(),
                last_lines(shown)
            ),
            Stopped::TooMuchCpu { limit, .. } => write!(
                f,
                "used more than {} s of processor time, so it was stopped. Does it loop \
                 forever (or evaluate a `const` that never ends)?",
                limit.as_secs_f64()
            ),
            Stopped::TooMuchOutput { limit } => write!(
                f,
                "printed more than {} KB, so it was stopped. Does it print forever?",
                limit / 1024
            ),
            Stopped::TooMuchMemory { limit } => write!(
                f,
                "used more than {} of memory, so it was stopped. Does it keep everything it \
                 makes, or grow a collection forever?",
                size(*limit)
            ),
            Stopped::TooMuchWritten { limit } => write!(
                f,
                "wrote more than {}, so it was stopped. Does it write forever? A listing \
                 writes small files.",
                size(*limit)
            ),
            Stopped::TooManyProcesses { limit } => write!(
                f,
                "ran more than {limit} processes and threads at once, so it was stopped. Does \
                 it start them in a loop that never ends?"
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

/// Limits on a run, each far above what an honest listing needs (builds
/// get more from their caller). None depends on how busy the machine is
/// but `wall`, the last resort far above the others: a program that
/// computes is held by its processor time, one that waits by the time it
/// waits, and time spent waiting for a processor on a busy machine counts
/// as neither.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time spent waiting: wall-clock time during which none of its
    /// processes' threads was running, ready to run or in the kernel on its
    /// behalf (a program that sleeps forever, a build kept waiting by a
    /// process that holds its pipe).
    pub time: Duration,
    /// Wall-clock time, whatever it did: the last resort.
    pub wall: Duration,
    /// Processor time of all its processes together (a busy loop).
    pub cpu: Duration,
    /// What it prints, stdout and stderr together.
    pub output_bytes: usize,
    /// Memory its processes hold at once (resident), together; each
    /// process's address space is also capped at 2 GiB more than this.
    pub memory_bytes: u64,
    /// Bytes its processes write, together (files, pipes; what a program
    /// writes into its scratch directory, a build into its target).
    pub written_bytes: u64,
    /// Processes and threads at once.
    pub processes: usize,
    /// The largest file it may write.
    pub file_bytes: u64,
}

impl Limits {
    /// 10 s of waiting, 20 s of processor time, 10 min of the clock, 1 MiB
    /// of output, 4 GiB of memory, 1 GiB written, 1000 processes and
    /// threads, files of 128 MiB.
    pub const DEFAULT: Limits = Limits {
        time: Duration::from_secs(10),
        wall: Duration::from_secs(600),
        cpu: Duration::from_secs(20),
        output_bytes: 1024 * 1024,
        memory_bytes: 4 << 30,
        written_bytes: 1 << 30,
        processes: 1000,
        file_bytes: jail::FILE_SIZE_LIMIT,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// Runs `cmd` (contained by a [`Jail`] the caller applied), typing
/// `input`'s lines when it waits on stdin. With `merge`, stderr goes where
/// stdout goes, as in a terminal.
pub fn run(
    cmd: Command,
    input: &mut dyn Iterator<Item = String>,
    merge: bool,
    limits: Limits,
) -> Result<Ran, Stopped> {
    // The supervisor's report, and the directory it mounts the run's root
    // on, are in a directory of the run's own, removed at the end.
    let own = tempfile::Builder::new()
        .prefix("cbh-run-")
        .tempdir()
        .map_err(could_not_start)?;
    let report = own.path().join("report");
    let (mut running, out_read, err_read) =
        Running::spawn(cmd, merge, &limits, own.path(), &report)?;
    // Each pipe keeps at most one byte more than the limit: enough to know
    // that the limit was passed.
    let output = Output::start_reading(out_read, err_read, limits.output_bytes + 1);
    let status = Watch::new().until_exit(&mut running, &output, input, &limits)?;
    finish(&running, output, status, &report, &limits)
}

/// How often the run's processes are looked at for the limits.
const LOOK_EVERY: Duration = Duration::from_millis(50);

/// Why a run could not be started, from the error that stopped it.
fn could_not_start(e: std::io::Error) -> Stopped {
    Stopped::CouldNotStart(e.to_string())
}

/// The run's first process (the supervisor, or the program itself under
/// the fallback), and the ends of its pipes that the watch uses.
struct Running {
    child: std::process::Child,
    pid: u32,
    /// Whether `child` is the supervisor.
    supervised: bool,
    /// Under the fallback, the processes of the run.
    members: jail::Members,
    /// Where the reader's lines are typed.
    in_write: std::io::PipeWriter,
    /// The input and output pipes, to see whether they hold unread bytes.
    in_probe: std::io::PipeReader,
    out_probe: std::io::PipeReader,
    /// The inode of the input pipe.
    stdin_pipe: u64,
}

impl Running {
    /// Starts `cmd` (with the run's limits and report added when it is the
    /// supervisor) in a process group of its own, its standard input a pipe
    /// of ours, its standard output (and, with `merge`, its standard error)
    /// another. Returns it with the read ends of its output and, without
    /// `merge`, of its standard error.
    fn spawn(
        cmd: Command,
        merge: bool,
        limits: &Limits,
        own: &Path,
        report: &Path,
    ) -> Result<(Running, std::io::PipeReader, Option<std::io::PipeReader>), Stopped> {
        let supervised = jail::is_supervised(&cmd);
        let mut cmd = if supervised {
            with_limits(&cmd, limits, own, report)
        } else {
            cmd
        };
        let (out_read, out_write) = std::io::pipe().map_err(could_not_start)?;
        let (err_read, err_write) = std::io::pipe().map_err(could_not_start)?;
        let (in_read, in_write) = std::io::pipe().map_err(could_not_start)?;
        let in_probe = in_read.try_clone().map_err(could_not_start)?;
        let out_probe = out_read.try_clone().map_err(could_not_start)?;
        let stdin_pipe = rustix::fs::fstat(&in_probe)
            .map_err(|e| could_not_start(e.into()))?
            .st_ino;
        if merge {
            cmd.stderr(out_write.try_clone().map_err(could_not_start)?);
            drop(err_write);
        } else {
            cmd.stderr(err_write);
        }
        cmd.stdout(out_write).stdin(in_read).process_group(0);
        let child = cmd.spawn().map_err(could_not_start)?;
        // Our copies of the pipes' ends go with the command.
        drop(cmd);
        let pid = child.id();
        let running = Running {
            child,
            pid,
            supervised,
            members: Jail::members(pid),
            in_write,
            in_probe,
            out_probe,
            stdin_pipe,
        };
        Ok((running, out_read, (!merge).then_some(err_read)))
    }

    /// Kills every process of the run; returns the names of those the
    /// fallback found left in the run's namespace.
    fn kill_all(&self) -> Vec<String> {
        if self.supervised {
            // PID 1 of the run's namespace: the kernel kills the rest.
            for p in tree(self.pid).iter().filter(|p| p.ppid == self.pid) {
                kill(p.pid);
            }
        }
        if let Some(group) = rustix::process::Pid::from_raw(self.pid as i32) {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        self.members.kill_all()
    }

    /// Stops the run for `why`: kills it, reaps it, and fails with `why`.
    fn stop(&mut self, why: Stopped) -> Result<ExitStatus, Stopped> {
        self.kill_all();
        let _ = self.child.wait();
        Err(why)
    }

    /// Whether one of `procs` (the supervisor and its first child aside)
    /// is blocked reading the run's input, with nothing unread in the input
    /// pipe nor in the output pipe.
    fn settled(&self, procs: &[Proc]) -> bool {
        procs
            .iter()
            .filter(|p| !self.supervised || (p.pid != self.pid && p.ppid != self.pid))
            .any(|p| waits_on(p.pid, self.stdin_pipe))
            && rustix::io::ioctl_fionread(&self.in_probe).is_ok_and(|n| n == 0)
            && rustix::io::ioctl_fionread(&self.out_probe).is_ok_and(|n| n == 0)
    }

    /// Under the fallback, whatever the run left behind goes too, so the
    /// pipes close; returns their names (none when supervised).
    fn kill_what_it_left(&self) -> Vec<String> {
        // A child it forked a moment ago gets a moment to become the
        // program it runs, so that the failure names that program (`sleep`,
        // not `sh`). (The supervisor did all this before it exited, and its
        // pid, reaped, may already be another process's.)
        if self.supervised {
            return Vec::new();
        }
        if !self.members.alive().is_empty() {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill_all()
    }
}

/// What the run prints, as the threads that read its pipes keep it.
struct Output {
    /// Standard output (and error, when merged) and the echoed input.
    shown: Arc<Mutex<Vec<u8>>>,
    /// Standard error on its own (empty when merged).
    stderr: Arc<Mutex<Vec<u8>>>,
    /// The threads reading standard output, then standard error.
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Output {
    /// Starts reading `out_read` and, if given, `err_read`, each keeping at
    /// most `cap` bytes.
    fn start_reading(
        out_read: std::io::PipeReader,
        err_read: Option<std::io::PipeReader>,
        cap: usize,
    ) -> Output {
        let shown = Arc::new(Mutex::new(Vec::<u8>::new()));
        let out_reader = spawn_reader(out_read, Arc::clone(&shown), cap);
        let stderr = Arc::new(Mutex::new(Vec::<u8>::new()));
        let err_reader = err_read.map(|pipe| spawn_reader(pipe, Arc::clone(&stderr), cap));
        Output {
            shown,
            stderr,
            readers: std::iter::once(out_reader).chain(err_reader).collect(),
        }
    }

    /// How many bytes have been kept, standard output and error together.
    fn printed(&self) -> usize {
        self.shown.lock().unwrap().len() + self.stderr.lock().unwrap().len()
    }

    /// What the terminal shows so far, as text.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.shown.lock().unwrap()).into_owned()
    }

    /// Shows `line` and its newline, as the terminal echoes what the
    /// reader types.
    fn echo(&self, line: &str) {
        self.shown
            .lock()
            .unwrap()
            .extend_from_slice(format!("{line}\n").as_bytes());
    }

    /// Gives each reader up to a second to read its pipe to the end.
    fn wait_for_readers(&self) {
        for reader in &self.readers {
            let until = Instant::now() + Duration::from_secs(1);
            while !reader.is_finished() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    /// What was shown and what went to standard error, taken out.
    fn take(self) -> (Vec<u8>, Vec<u8>) {
        let take = |buf: Arc<Mutex<Vec<u8>>>| std::mem::take(&mut *buf.lock().unwrap());
        (take(self.shown), take(self.stderr))
    }
}

/// What the watch over a run carries from one look to the next.
struct Watch {
    started: Instant,
    /// When the run's processes were last read from `/proc`.
    looked: Option<Instant>,
    /// The run's processes, as last read.
    procs: Vec<Proc>,
    /// What had been printed when the run was last seen waiting on its
    /// input, with nothing unread.
    waiting_since: Option<usize>,
    /// How long none of its threads has been running, ready to run or in
    /// the kernel, as seen at each look.
    waited: Duration,
}

impl Watch {
    /// A watch starting now.
    fn new() -> Watch {
        Watch {
            started: Instant::now(),
            looked: None,
            procs: Vec::new(),
            waiting_since: None,
            waited: Duration::ZERO,
        }
    }

    /// Watches `running` until it exits, typing `input` when it waits on
    /// it; returns how it exited, or stops it at the first limit it passes.
    fn until_exit(
        mut self,
        running: &mut Running,
        output: &Output,
        input: &mut dyn Iterator<Item = String>,
        limits: &Limits,
    ) -> Result<ExitStatus, Stopped> {
        loop {
            if let Some(status) = running.child.try_wait().map_err(could_not_start)? {
                return Ok(status);
            }
            if let Some(why) = self.step(running, output, input, limits) {
                return running.stop(why);
            }
            std::thread::sleep(Duration::from_millis(3));
        }
    }

    /// One look at a run still running: the reason to stop it, if it
    /// passed a limit or waits for input that is not given; otherwise the
    /// next line is typed if it is time to.
    fn step(
        &mut self,
        running: &mut Running,
        output: &Output,
        input: &mut dyn Iterator<Item = String>,
        limits: &Limits,
    ) -> Option<Stopped> {
        let (limit, wall) = if self.started.elapsed() > limits.wall {
            (limits.wall, true)
        } else {
            (limits.time, false)
        };
        if wall || self.waited > limits.time {
            return Some(Stopped::TimedOut {
                shown: output.text(),
                limit,
                busiest: busiest(&tree(running.pid), running.pid, running.supervised),
                wall,
            });
        }
        let printed = output.printed();
        if printed > limits.output_bytes {
            return Some(Stopped::TooMuchOutput {
                limit: limits.output_bytes,
            });
        }
        if let Some(why) = self.look(running, limits) {
            return Some(why);
        }
        self.type_when_waiting(running, output, input, printed)
    }

    /// Every [`LOOK_EVERY`], reads the run's processes again: the limit
    /// they passed together, if any (naming the busiest process when it is
    /// the processor time).
    fn look(&mut self, running: &Running, limits: &Limits) -> Option<Stopped> {
        // Less than `LOOK_EVERY` since the last look.
        if self.looked.is_some_and(|at| at.elapsed() < LOOK_EVERY) {
            return None;
        }
        let since = self.looked.map_or(Duration::ZERO, |at| at.elapsed());
        self.looked = Some(Instant::now());
        self.procs = tree(running.pid);
        if !self.procs.iter().any(Proc::busy) {
            self.waited += since;
        }
        let why = over(&usage(&self.procs), limits)?;
        Some(match why {
            Stopped::TooMuchCpu { limit, .. } => Stopped::TooMuchCpu {
                limit,
                busiest: busiest(&self.procs, running.pid, running.supervised),
            },
            other => other,
        })
    }

    /// Types the next line of `input` (echoing it) when the run has waited
    /// on its input, with everything it printed read, twice in a row with
    /// nothing new in between (`printed` bytes); the reason to stop it when
    /// there is no next line.
    fn type_when_waiting(
        &mut self,
        running: &mut Running,
        output: &Output,
        input: &mut dyn Iterator<Item = String>,
        printed: usize,
    ) -> Option<Stopped> {
        // The supervisor (the run's first process and its child) never
        // reads.
        match (running.settled(&self.procs), self.waiting_since) {
            (true, Some(seen)) if seen == printed => {
                self.waiting_since = None;
                let Some(line) = input.next() else {
                    return Some(Stopped::NeedsInput {
                        shown: output.text(),
                    });
                };
                output.echo(&line);
                let _ = running.in_write.write_all(format!("{line}\n").as_bytes());
            }
            (true, _) => self.waiting_since = Some(printed),
            (false, _) => self.waiting_since = None,
        }
        None
    }
}

/// How a run that exited (with `status`) ended: what it left running is
/// killed (under the fallback) and its output read to the end, then the
/// supervisor's `report` (when supervised), what it left running and what
/// it printed decide, against `limits`.
fn finish(
    running: &Running,
    output: Output,
    status: ExitStatus,
    report: &Path,
    limits: &Limits,
) -> Result<Ran, Stopped> {
    let mut left = running.kill_what_it_left();
    output.wait_for_readers();
    let mut status = status;
    if running.supervised {
        (status, left) = supervisor_said(report, status, limits)?;
    }
    if !left.is_empty() {
        return Err(Stopped::LeftRunning { names: left });
    }
    if output.printed() > limits.output_bytes {
        return Err(Stopped::TooMuchOutput {
            limit: limits.output_bytes,
        });
    }
    let (shown, stderr) = output.take();
    Ok(Ran {
        shown,
        stderr,
        status,
    })
}

/// The supervisor's `report` (`supervisor` being how the supervisor
/// exited): the program's exit status and what it left running, or why
/// the run failed (it could not start, or its totals passed a limit).
fn supervisor_said(
    report: &Path,
    supervisor: ExitStatus,
    limits: &Limits,
) -> Result<(ExitStatus, Vec<String>), Stopped> {
    let report = Report::read(report, supervisor);
    if let Some(e) = report.error {
        return Err(Stopped::CouldNotStart(e));
    }
    if let Some(why) = over(&report.usage, limits) {
        return Err(why);
    }
    Ok((report.status, report.left))
}

/// The supervisor command `cmd` with the run's limits and report added
/// before its `--` (the same program, arguments, variables and directory).
fn with_limits(cmd: &Command, limits: &Limits, dir: &Path, report: &Path) -> Command {
    let mut args: Vec<OsString> = cmd.get_args().map(ToOwned::to_owned).collect();
    let at = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let ours: Vec<OsString> = vec![
        "--tmp".into(),
        dir.into(),
        "--report".into(),
        report.into(),
        "--memory".into(),
        limits.memory_bytes.to_string().into(),
        "--cpu-ms".into(),
        limits.cpu.as_millis().to_string().into(),
        "--written".into(),
        limits.written_bytes.to_string().into(),
        "--processes".into(),
        limits.processes.to_string().into(),
        "--file-bytes".into(),
        limits.file_bytes.to_string().into(),
    ];
    args.splice(at..at, ours);
    let mut new = Command::new(cmd.get_program());
    new.args(args).env_clear();
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => new.env(key, value),
            None => new.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        new.current_dir(dir);
    }
    new
}

/// What the supervisor said at the end.
struct Report {
    status: ExitStatus,
    usage: Usage,
    left: Vec<String>,
    error: Option<String>,
}

impl Report {
    /// The report at `path`; `supervisor` is how the supervisor exited.
    fn read(path: &Path, supervisor: ExitStatus) -> Report {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut report = Report {
            status: supervisor,
            usage: Usage::default(),
            left: Vec::new(),
            error: None,
        };
        let mut saw_status = false;
        for line in text.lines() {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            let number = value.parse::<u64>().unwrap_or(0);
            match key {
                "status" => {
                    saw_status = true;
                    report.status = ExitStatus::from_raw(value.parse().unwrap_or(0));
                }
                "cpu_us" => report.usage.cpu = Duration::from_micros(number),
                "maxrss_kb" => report.usage.memory = number * 1024,
                "written" => report.usage.written = number,
                "left" => report.left.push(value.to_string()),
                "left_processes" => report.usage.processes = number as usize,
                "error" => report.error = Some(value.to_string()),
                _ => {}
            }
        }
        if !saw_status && report.error.is_none() {
            report.error = Some(format!("the sandbox's supervisor ended with {supervisor}"));
        }
        report
    }
}

/// What a run's processes use, together.
#[derive(Debug, Default)]
struct Usage {
    cpu: Duration,
    memory: u64,
    written: u64,
    processes: usize,
}

/// The first limit `usage` passes, as the reason to stop.
fn over(usage: &Usage, limits: &Limits) -> Option<Stopped> {
    if usage.processes > limits.processes {
        return Some(Stopped::TooManyProcesses {
            limit: limits.processes,
        });
    }
    if usage.memory > limits.memory_bytes {
        return Some(Stopped::TooMuchMemory {
            limit: limits.memory_bytes,
        });
    }
    if usage.cpu > limits.cpu {
        return Some(Stopped::TooMuchCpu {
            limit: limits.cpu,
            busiest: None,
        });
    }
    if usage.written > limits.written_bytes {
        return Some(Stopped::TooMuchWritten {
            limit: limits.written_bytes,
        });
    }
    None
}

/// One process, from `/proc/<pid>/stat`.
#[derive(Debug)]
struct Proc {
    pid: u32,
    ppid: u32,
    /// Its processor time and that of the children it reaped, in ticks.
    ticks: u64,
    /// Its own processor time, in ticks.
    own_ticks: u64,
    threads: u64,
    /// Resident pages.
    rss: u64,
    /// Its state: `R` running or ready to run, `D` in the kernel, `S`
    /// sleeping, …
    state: char,
}

impl Proc {
    /// Whether any of its threads is running, ready to run, or in the
    /// kernel on its behalf: the run is not waiting. (A process's own state
    /// is its first thread's: a compiler's first thread may wait on the
    /// others.)
    fn busy(&self) -> bool {
        let busy = |state: char| matches!(state, 'R' | 'D');
        if busy(self.state) {
            return true;
        }
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", self.pid)) else {
            return false;
        };
        tasks.flatten().any(|task| {
            std::fs::read_to_string(task.path().join("stat"))
                .ok()
                .and_then(|stat| state_of(&stat))
                .is_some_and(busy)
        })
    }
}

/// The state field of a `/proc/…/stat` line: the first after the name.
fn state_of(stat: &str) -> Option<char> {
    stat[stat.rfind(')')? + 1..]
        .split_whitespace()
        .next()?
        .chars()
        .next()
}

fn read_proc(pid: u32) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name, in parentheses, may hold anything; the fields follow it.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    let field = |n: usize| -> u64 { fields.get(n - 3).and_then(|f| f.parse().ok()).unwrap_or(0) };
    Some(Proc {
        pid,
        ppid: field(4) as u32,
        ticks: field(14) + field(15) + field(16) + field(17),
        own_ticks: field(14) + field(15),
        threads: field(20),
        rss: field(24),
        state: state_of(&stat).unwrap_or('S'),
    })
}

/// The process `root` and all its descendants, from one pass over /proc.
fn tree(root: u32) -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let all: Vec<Proc> = dir
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .filter_map(read_proc)
        .collect();
    let mut ours = vec![root];
    let mut i = 0;
    while i < ours.len() {
        let parent = ours[i];
        ours.extend(all.iter().filter(|p| p.ppid == parent).map(|p| p.pid));
        i += 1;
    }
    all.into_iter().filter(|p| ours.contains(&p.pid)).collect()
}

/// The command line of the process of `procs` that used the most
/// processor time itself, but the supervisor (`pid`) and its first child.
fn busiest(procs: &[Proc], pid: u32, supervised: bool) -> Option<String> {
    let program = procs
        .iter()
        .filter(|p| !supervised || (p.pid != pid && p.ppid != pid))
        .max_by_key(|p| p.own_ticks)?;
    let line = std::fs::read(format!("/proc/{}/cmdline", program.pid)).ok()?;
    let words: Vec<String> = line
        .split(|b| *b == 0)
        .filter(|w| !w.is_empty())
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// What `procs` use together: the processor time and bytes written of a
/// process include those of the children it reaped, so each is counted
/// once.
fn usage(procs: &[Proc]) -> Usage {
    static TICK: std::sync::LazyLock<(u64, u64)> = std::sync::LazyLock::new(|| {
        (
            rustix::param::clock_ticks_per_second().max(1),
            rustix::param::page_size() as u64,
        )
    });
    let (hz, page) = *TICK;
    let (mut wchar, mut write_bytes) = (0, 0);
    for p in procs {
        let io = std::fs::read_to_string(format!("/proc/{}/io", p.pid)).unwrap_or_default();
        let field = |name: &str| -> u64 {
            io.lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        wchar += field("wchar:");
        write_bytes += field("write_bytes:");
    }
    let ticks: u64 = procs.iter().map(|p| p.ticks).sum();
    Usage {
        cpu: Duration::from_millis(ticks * 1000 / hz),
        memory: procs.iter().map(|p| p.rss * page).sum(),
        written: wchar.max(write_bytes),
        processes: procs.iter().map(|p| p.threads as usize).sum(),
    }
}

fn kill(pid: u32) {
    if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
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

/// Whether a thread of process `pid` is blocked reading descriptor 0, and
/// descriptor 0 is the pipe whose inode is `stdin_pipe`.
fn waits_on(pid: u32, stdin_pipe: u64) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    let reading = tasks.flatten().any(|task| {
        std::fs::read_to_string(task.path().join("syscall")).is_ok_and(|s| {
            let mut fields = s.split_whitespace();
            fields.next() == Some(SYS_READ) && fields.next() == Some("0x0")
        })
    });
    reading
        && std::fs::read_link(format!("/proc/{pid}/fd/0"))
            .is_ok_and(|l| l.as_os_str() == format!("pipe:[{stdin_pipe}]").as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scratch;

    /// Wall-clock time far above what any test here needs, even on a
    /// machine whose cores are all busy: a test proves that a run was
    /// stopped at once by what stopped it, never by how long it took.
    const LIMITS: Limits = Limits {
        time: Duration::from_secs(120),
        output_bytes: 64 * 1024,
        ..Limits::DEFAULT
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
        crate::remembered::unless_passed(
            "typed_lines_are_echoed_where_the_program_reads_them",
            || {
                let ran = run_sh_with(
                    "echo Guess?; read a; echo got $a; echo Again?; read b; echo got $b >&2",
                    &["6", "50"],
                    true,
                    LIMITS,
                )
                .unwrap();
                assert_eq!(ran.shown, b"Guess?\n6\ngot 6\nAgain?\n50\ngot 50\n");
                assert!(ran.status.success());
            },
        );
    }

    /// A process the program starts reads the input too (as `cargo run`'s
    /// program does).
    #[test]
    fn a_child_of_the_program_is_typed_to_as_well() {
        crate::remembered::unless_passed("a_child_of_the_program_is_typed_to_as_well", || {
            let ran = run_sh_with("sh -c 'read a; echo got $a'", &["7"], true, LIMITS).unwrap();
            assert_eq!(ran.shown, b"7\ngot 7\n");
        });
    }

    /// Reading descriptor 0 is waiting for the reader only when it is the
    /// run's input: a pipe of the program's own is not typed into.
    #[test]
    fn a_pipe_of_the_programs_own_is_not_the_readers_input() {
        crate::remembered::unless_passed(
            "a_pipe_of_the_programs_own_is_not_the_readers_input",
            || {
                let ran = run_sh("(sleep 1; echo piped) | (read a; echo got $a)").unwrap();
                assert_eq!(ran.shown, b"got piped\n");
            },
        );
    }

    /// Stopped at once: by the missing input, not by the (long) time limit.
    #[test]
    fn a_program_waiting_for_input_not_given_fails_at_once() {
        crate::remembered::unless_passed(
            "a_program_waiting_for_input_not_given_fails_at_once",
            || {
                let stopped = run_sh("echo Guess?; read a").unwrap_err();
                assert!(
                    matches!(&stopped, Stopped::NeedsInput { shown } if shown == "Guess?\n"),
                    "{stopped:?}"
                );
            },
        );
    }

    #[test]
    fn a_program_that_sleeps_forever_is_stopped_by_the_clock() {
        crate::remembered::unless_passed(
            "a_program_that_sleeps_forever_is_stopped_by_the_clock",
            || {
                let limits = Limits {
                    time: Duration::from_millis(300),
                    ..LIMITS
                };
                let stopped = run_sh_with("sleep 610", &[], true, limits);
                assert!(
                    matches!(stopped, Err(Stopped::TimedOut { .. })),
                    "{stopped:?}"
                );
                assert!(!sleeping("610"));
            },
        );
    }

    /// A busy loop is never stopped by the waiting clock, however short:
    /// computing (or waiting for a processor on a busy machine) is not
    /// waiting. Its processor time stops it.
    #[test]
    fn a_busy_loop_is_not_waiting() {
        crate::remembered::unless_passed("a_busy_loop_is_not_waiting", || {
            let limits = Limits {
                time: Duration::from_millis(200),
                cpu: Duration::from_secs(1),
                ..LIMITS
            };
            let stopped = run_sh_with("while :; do :; done", &[], true, limits).unwrap_err();
            assert!(matches!(stopped, Stopped::TooMuchCpu { .. }), "{stopped:?}");
        });
    }

    /// A busy loop is stopped by the processor time it burns, whatever the
    /// clock says: the wall-clock limit here is far away.
    #[test]
    fn a_busy_loop_is_stopped_by_its_processor_time() {
        crate::remembered::unless_passed("a_busy_loop_is_stopped_by_its_processor_time", || {
            let limits = Limits {
                cpu: Duration::from_secs(1),
                ..LIMITS
            };
            let stopped = run_sh_with("while :; do :; done", &[], true, limits).unwrap_err();
            assert!(matches!(stopped, Stopped::TooMuchCpu { .. }), "{stopped:?}");
            assert!(
                stopped.to_string().contains("1 s of processor time"),
                "{stopped}"
            );
        });
    }

    /// Stopped at once: by the output limit, not by the (long) time limit.
    #[test]
    fn a_program_that_prints_forever_is_stopped() {
        crate::remembered::unless_passed("a_program_that_prints_forever_is_stopped", || {
            let stopped = run_sh("yes");
            assert!(
                matches!(stopped, Err(Stopped::TooMuchOutput { .. })),
                "{stopped:?}"
            );
        });
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
        crate::remembered::unless_passed("stderr_apart_when_not_merged", || {
            let ran = run_sh_with("echo out; echo err >&2", &[], false, LIMITS).unwrap();
            assert_eq!(
                (&ran.shown[..], &ran.stderr[..]),
                (&b"out\n"[..], &b"err\n"[..])
            );
        });
    }

    /// Bytes that are not UTF-8 come back as they were printed.
    #[test]
    fn output_is_kept_as_bytes() {
        crate::remembered::unless_passed("output_is_kept_as_bytes", || {
            let ran = run_sh("printf 'caf\\351\\n'").unwrap();
            assert_eq!(ran.shown, b"caf\xe9\n");
        });
    }

    /// The program's exit status is the program's, not the supervisor's.
    #[test]
    fn the_exit_status_is_the_programs() {
        crate::remembered::unless_passed("the_exit_status_is_the_programs", || {
            let ran = run_sh("exit 3").unwrap();
            assert_eq!(ran.status.code(), Some(3));
            let ran = run_sh("kill -9 $$").unwrap();
            assert_eq!(ran.status.signal(), Some(9));
        });
    }

    /// A background process, in the group or out of it (setsid), or in
    /// namespaces of its own, is killed when the program exits, and the run
    /// fails naming it; no such process is left on the machine.
    #[test]
    fn a_process_left_running_is_killed_and_named() {
        crate::remembered::unless_passed("a_process_left_running_is_killed_and_named", || {
            let mut scripts = vec!["sleep 600 &", "setsid sleep 601 &"];
            if crate::jail::support().supervisor {
                scripts.push("unshare --user setsid sleep 602 &");
                scripts.push("unshare --user --pid --fork sleep 603 &");
            }
            for script in scripts {
                let stopped = run_sh(script).unwrap_err();
                assert!(
                    // (On a busy machine, `sh`, `setsid` or `unshare` may not
                    // have become `sleep` yet.)
                    matches!(&stopped, Stopped::LeftRunning { names }
                        if ["sleep", "setsid", "sh", "unshare"].contains(&names[0].as_str())),
                    "{script}: {stopped:?}"
                );
                let arg = script
                    .split_whitespace()
                    .find(|w| w.starts_with("60"))
                    .unwrap();
                assert!(!sleeping(arg), "{script}: still running");
            }
        });
    }

    /// Whether a `sleep SECS` runs on this machine.
    fn sleeping(secs: &str) -> bool {
        std::fs::read_dir("/proc").unwrap().flatten().any(|p| {
            std::fs::read(p.path().join("cmdline"))
                .is_ok_and(|c| c == format!("sleep\0{secs}\0").as_bytes())
        })
    }

    /// The environment is the jail's, whatever the parent's.
    #[test]
    fn the_environment_is_fixed() {
        crate::remembered::unless_passed("the_environment_is_fixed", || {
            let scratch = Scratch::new().unwrap();
            let ran = run(
                sh_in(&scratch, "env | grep -v '^PWD=' | sort"),
                &mut std::iter::empty(),
                true,
                LIMITS,
            )
            .unwrap();
            let dir = scratch.path().display();
            assert_eq!(
                String::from_utf8(ran.shown).unwrap(),
                format!(
                    "HOME={dir}\nLANG=C.UTF-8\nLC_ALL=C.UTF-8\n\
                     PATH=/usr/local/bin:/usr/bin:/bin\nRUST_BACKTRACE=0\nTERM=dumb\nTMPDIR={dir}\n"
                )
            );
        });
    }

    #[test]
    fn sizes_are_said_as_a_reader_says_them() {
        assert_eq!(size(4 << 30), "4 GiB");
        assert_eq!(size(1536 << 20), "1.5 GiB");
        assert_eq!(size(64 << 10), "64 KiB");
        assert_eq!(size(12), "12 bytes");
    }
}
