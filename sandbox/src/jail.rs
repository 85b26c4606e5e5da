//! The walls around one run of a program under test. Two ways, the first
//! where the kernel allows it (see [`support`]):
//!
//! **The supervisor** (`supervisor/main.rs`, built by `build.rs`): the
//! command runs a small program of ours that puts the program under test
//! in namespaces of its own before it runs it:
//!
//! - **A root of its own** (mount namespace): `/usr`, `/bin`, `/lib*` and
//!   a few files of `/etc` (the dynamic linker's, users and groups, the
//!   time zone) read-only at their own paths; the paths the caller makes
//!   [readable](Jail::readable) read-only, the scratch directory and the
//!   [writable](Jail::writable) ones read-write; a fresh `/dev` (null,
//!   zero, full, random, urandom, tty), a fresh `/proc`, an empty `/tmp`.
//!   Nothing else exists for it: not `/home` or `/root` (secrets, ssh
//!   keys, the author's checkout), not `/run` (the sockets of D-Bus, docker
//!   or an ssh agent), not `/sys` or `/var`. So a write elsewhere, a read
//!   of a secret, a connection to a socket, `chmod` or `utime` on a file
//!   outside all fail: the file is not there, or is on a read-only mount.
//! - **Every process countable** (PID namespace): whatever it starts,
//!   nested namespaces included, is in the run's PID namespace, and dies
//!   with it; it cannot see or signal anything outside.
//! - **No network** (network namespace): a loopback that is down, nothing
//!   else; no abstract Unix sockets of the machine's either.
//! - **No privilege** (user namespace, its uid and gid mapped to the
//!   caller's): no capability, no set-uid gain, `PR_SET_NO_NEW_PRIVS`; the
//!   kernel settings in `/proc/sys` read-only. A caller who is root (as CI
//!   is) gives the program a uid of 0 with none of root's powers.
//! - **A fixed environment**: nothing inherited (`PATH` is the system's
//!   directories); `HOME` and
//!   `TMPDIR` are the scratch directory, the locale is `C.UTF-8`,
//!   `RUST_BACKTRACE` is 0, plus what the caller adds. The host name is
//!   `sandbox`.
//! - **Kernel backstops** for the limits the terminal watches (see
//!   [`crate::terminal`]): per-process address space, CPU time and file
//!   size (rlimits), and the PID namespace's own `pid_max` (Linux 6.14 or
//!   later) for the number of processes.
//! - **Fixed randomness**, when [seeded](Jail::seeded).
//!
//! **The fallback**, where the kernel refuses namespaces: Landlock (writes
//! only under the scratch and writable directories, no TCP, no signals
//! out) and, if it can, user and network namespaces, set up between fork
//! and exec. Reads stay allowed everywhere, and sockets, `chmod` and
//! `utime` are not covered: [`support`] says so once.
//!
//! Either way the program starts in its scratch directory, outside the
//! repository.

use std::ffi::{OsStr, OsString};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use landlock::{
    ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreated, RulesetCreatedAttr, Scope,
};

/// The largest file a program under test may write, under the fallback
/// (the supervisor takes [`crate::Limits::file_bytes`]).
pub const FILE_SIZE_LIMIT: u64 = 128 * 1024 * 1024;

/// The supervisor, built by `build.rs`.
pub(crate) const SUPERVISOR: &str = env!("CBH_SANDBOX_SUPERVISOR");

/// The seeded-randomness shim, built by `build.rs`.
const SEED_SHIM: &str = env!("CBH_SANDBOX_SEED_SHIM");

/// The newest Landlock this code asks for (ABI 6: scopes). Older kernels
/// get what they have; [`support`] checks what is really enforced.
const LANDLOCK: ABI = ABI::V6;

/// How one run is contained.
#[derive(Debug, Clone)]
pub struct Jail {
    scratch: PathBuf,
    writable: Vec<PathBuf>,
    readable: Vec<PathBuf>,
    binds: Vec<(PathBuf, PathBuf)>,
    env: Vec<(OsString, OsString)>,
    seed: Option<u64>,
    /// Where the scratch directory is shown, if not at its own path.
    shown_at: Option<PathBuf>,
    /// Where the program is shown, and the name it is run by.
    program_at: Option<(PathBuf, OsString)>,
}

/// What this machine's kernel lets the jail do; see [`support`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    /// The supervisor runs: every wall of the module's docs.
    pub supervisor: bool,
    /// Why it does not, when it does not (the kernel's refusal).
    pub refused: Option<String>,
    /// Fallback: writes outside the scratch directory are refused
    /// (Landlock).
    pub landlock: bool,
    /// Fallback: a user and a network namespace of its own.
    pub namespaces: bool,
}

impl Jail {
    /// A jail whose program starts in, and may write to, `scratch`.
    pub fn new(scratch: &Path) -> Jail {
        Jail {
            scratch: scratch.to_path_buf(),
            writable: Vec::new(),
            readable: Vec::new(),
            binds: Vec::new(),
            env: Vec::new(),
            seed: None,
            shown_at: None,
            program_at: None,
        }
    }

    /// Shows the scratch directory at `at` inside the jail (an absolute
    /// path that names nothing of this machine, like a reader's
    /// `/home/reader/NAME`): the program starts there, `HOME` is its parent
    /// (there, read-only) and `TMPDIR` the jail's own `/tmp`. So what it
    /// prints of where it runs is the same on every machine. Under the
    /// fallback nothing is mounted: it starts in the scratch directory.
    pub fn shown_at(mut self, at: &Path) -> Jail {
        self.shown_at = Some(at.to_path_buf());
        self
    }

    /// Shows the program (named by its path) read-only at `at` inside the
    /// jail, and runs it from there as `argv0`: as `cargo run` runs
    /// `target/debug/NAME`. Under the fallback it runs from its own path,
    /// as `argv0`.
    pub fn program_at(mut self, at: &Path, argv0: impl Into<OsString>) -> Jail {
        self.program_at = Some((at.to_path_buf(), argv0.into()));
        self
    }

    /// Lets the program write under `dir` too (at the same path).
    pub fn writable(mut self, dir: &Path) -> Jail {
        self.writable.push(dir.to_path_buf());
        self
    }

    /// Lets the program read `path` (a directory or a file), at the same
    /// path, read-only: a toolchain, say (`rustc --print sysroot`). Under
    /// the fallback everything is readable anyway.
    pub fn readable(mut self, path: &Path) -> Jail {
        self.readable.push(path.to_path_buf());
        self
    }

    /// Shows the host's `host` (a directory or a file) read-only at `at`
    /// inside the jail: cargo's registry cache inside a `CARGO_HOME` of
    /// the jail's own, say, which is writable, so that cargo can take its
    /// locks but not change the cache. `at` may lie inside a writable
    /// directory (its mount point is made there if missing) or elsewhere.
    /// Under the fallback nothing is mounted: `host` is only readable.
    pub fn mount_readonly(mut self, host: &Path, at: &Path) -> Jail {
        self.binds.push((host.to_path_buf(), at.to_path_buf()));
        self
    }

    /// Sets a variable of the program's environment.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Jail {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Fixes the program's randomness: every random byte it asks the
    /// operating system for (`getrandom` and `getentropy` through the C
    /// library, which is what std's `HashMap` keys and the `getrandom` and
    /// `rand` crates use, and reads of `/dev/urandom` and `/dev/random`) is
    /// a function of `seed`, so that two runs with one seed print the same.
    ///
    /// How: a shim preloaded into every dynamically linked program
    /// (`LD_PRELOAD`, which is then in its environment), and the two
    /// devices replaced by a 1 MiB file of seeded bytes (each open reads
    /// it from the start). Not covered: statically linked programs, the
    /// `getrandom` system call made directly, the 16 bytes the kernel gives
    /// every program at start (`AT_RANDOM`), and randomness the C library
    /// takes for itself. Needs the supervisor: under the fallback, a
    /// seeded jail refuses to apply.
    pub fn seeded(mut self, seed: u64) -> Jail {
        self.seed = Some(seed);
        self
    }

    /// Makes `cmd` run in this jail (as far as [`support`] allows).
    ///
    /// Under the supervisor, `*cmd` is replaced by a command that runs the
    /// supervisor with `cmd`'s program and arguments: arguments and
    /// variables added after `apply` still reach the program, but set its
    /// standard input and output (and anything else) after `apply`, not
    /// before. Variables set before `apply` are dropped, as the
    /// environment is the jail's.
    pub fn apply(&self, cmd: &mut Command) -> std::io::Result<()> {
        self.apply_with(cmd, support())
    }

    fn apply_with(&self, cmd: &mut Command, support: &Support) -> std::io::Result<()> {
        if support.supervisor {
            *cmd = self.supervised(cmd)?;
            return Ok(());
        }
        if self.seed.is_some() {
            return Err(std::io::Error::other(
                "a seeded run needs the supervisor, which this kernel refuses",
            ));
        }
        self.fixed_environment(cmd);
        if let Some((_, argv0)) = &self.program_at {
            cmd.arg0(argv0);
        }
        cmd.current_dir(&self.scratch).process_group(0);
        let ruleset = if support.landlock {
            Some(self.ruleset().map_err(std::io::Error::other)?)
        } else {
            None
        };
        let maps = support.namespaces.then(IdMaps::of_this_process);
        between_fork_and_exec(cmd, ruleset, maps);
        Ok(())
    }

    /// Nothing inherited: a `PATH` of the system's directories only (the
    /// author's own `PATH` names their machine, and a program may print
    /// it), then the jail's variables, then the caller's (a build names
    /// its toolchain's directory).
    fn fixed_environment(&self, cmd: &mut Command) {
        cmd.env_clear();
        cmd.env("PATH", FIXED_PATH)
            .env("HOME", &self.scratch)
            .env("TMPDIR", &self.scratch)
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .env("TERM", "dumb")
            .env("RUST_BACKTRACE", "0");
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
    }

    /// The command that runs `cmd`'s program and arguments under the
    /// supervisor (its options, then `--`, then the program's: so that
    /// arguments added later go to the program).
    fn supervised(&self, cmd: &Command) -> std::io::Result<Command> {
        let real = |path: &Path| {
            std::fs::canonicalize(path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
        };
        let scratch = real(&self.scratch)?;
        let mut sup = Command::new(SUPERVISOR);
        self.fixed_environment(&mut sup);
        if let Some(at) = &self.shown_at {
            sup.env("HOME", at.parent().unwrap_or(Path::new("/")))
                .env("TMPDIR", "/tmp");
            sup.arg("--cwd-at").arg(at);
        }
        sup.current_dir(&scratch).process_group(0);
        sup.arg("--tmp").arg(std::env::temp_dir());
        sup.arg("--cwd").arg(&scratch);
        for dir in &self.writable {
            sup.arg("--rw").arg(real(dir)?);
        }
        for path in &self.readable {
            sup.arg("--ro").arg(real(path)?);
        }
        for (host, at) in &self.binds {
            sup.arg("--bind")
                .arg(real(host)?)
                .arg(std::path::absolute(at)?);
        }
        if let Some(seed) = self.seed {
            sup.arg("--seed").arg(seed.to_string());
            sup.arg("--preload").arg(SEED_SHIM);
        }
        // A program named by its path is shown to the jail, read-only.
        let program = cmd.get_program();
        let program = if let (Some((at, argv0)), true) = (
            &self.program_at,
            Path::new(program).components().count() > 1,
        ) {
            sup.arg("--bind").arg(real(Path::new(program))?).arg(at);
            sup.arg("--argv0").arg(argv0);
            at.clone().into_os_string()
        } else if Path::new(program).components().count() > 1 {
            let path = real(Path::new(program))?;
            sup.arg("--ro").arg(&path);
            sup.arg("--argv0").arg(program);
            path.into_os_string()
        } else {
            program.to_owned()
        };
        sup.arg("--").arg(program);
        sup.args(cmd.get_args());
        Ok(sup)
    }

    /// Read and execute everywhere; write under the scratch directory and
    /// the added ones, and to /dev/null; no TCP; no signals out.
    fn ruleset(&self) -> Result<RulesetCreated, String> {
        self.landlock_ruleset().map_err(|e| e.to_string())
    }

    fn landlock_ruleset(&self) -> Result<RulesetCreated, Box<dyn std::error::Error>> {
        let file_rights = AccessFs::from_file(LANDLOCK);
        let mut ruleset = Ruleset::default()
            .set_compatibility(CompatLevel::BestEffort)
            .handle_access(AccessFs::from_all(LANDLOCK))?
            .handle_access(AccessNet::from_all(LANDLOCK))?
            .scope(Scope::from_all(LANDLOCK))?
            .create()?
            .add_rule(PathBeneath::new(
                PathFd::new("/")?,
                AccessFs::from_read(LANDLOCK),
            ))?;
        for dir in std::iter::once(&self.scratch).chain(&self.writable) {
            ruleset = ruleset.add_rule(PathBeneath::new(
                PathFd::new(dir)?,
                AccessFs::from_all(LANDLOCK),
            ))?;
        }
        for device in ["/dev/null", "/dev/zero", "/dev/urandom"] {
            if let Ok(fd) = PathFd::new(device) {
                ruleset = ruleset.add_rule(PathBeneath::new(fd, file_rights))?;
            }
        }
        Ok(ruleset)
    }

    /// Under the fallback, the processes of the run that `pid` started,
    /// other than those already gone, as (pid, name): every process in
    /// `pid`'s user namespace. Empty where the jail has no namespaces.
    pub fn members(pid: u32) -> Members {
        let Ok(ns) = std::fs::read_link(format!("/proc/{pid}/ns/user")) else {
            return Members { ns: None };
        };
        let mine = std::fs::read_link("/proc/self/ns/user").ok();
        Members {
            ns: (Some(&ns) != mine.as_ref()).then_some(ns),
        }
    }
}

/// Whether `cmd` runs the supervisor (a jail applied it).
pub(crate) fn is_supervised(cmd: &Command) -> bool {
    cmd.get_program() == OsStr::new(SUPERVISOR)
}

/// A run's user namespace, to find what it left running.
#[derive(Debug)]
pub struct Members {
    ns: Option<PathBuf>,
}

impl Members {
    /// The processes still in the namespace, as (pid, name).
    pub fn alive(&self) -> Vec<(u32, String)> {
        let Some(ns) = &self.ns else {
            return Vec::new();
        };
        let Ok(procs) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        procs
            .flatten()
            .filter_map(|entry| {
                let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
                let theirs = std::fs::read_link(entry.path().join("ns/user")).ok()?;
                (&theirs == ns).then(|| {
                    let name = std::fs::read_to_string(entry.path().join("comm"))
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    (pid, name)
                })
            })
            .collect()
    }

    /// Kills every process still in the namespace; returns their names.
    pub fn kill_all(&self) -> Vec<String> {
        let mut names = Vec::new();
        // A process may start another while we kill: a few rounds.
        for _ in 0..10 {
            let alive = self.alive();
            if alive.is_empty() {
                break;
            }
            for (pid, name) in alive {
                if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        names
    }
}

/// The lines for `/proc/self/uid_map` and `gid_map`: the same user and
/// group inside the namespace as outside, so files it writes are ours.
struct IdMaps {
    uid: Vec<u8>,
    gid: Vec<u8>,
}

impl IdMaps {
    fn of_this_process() -> IdMaps {
        let uid = rustix::process::getuid().as_raw();
        let gid = rustix::process::getgid().as_raw();
        IdMaps {
            uid: format!("{uid} {uid} 1").into_bytes(),
            gid: format!("{gid} {gid} 1").into_bytes(),
        }
    }
}

/// The hook std runs in the child, after fork and before exec. Between the
/// two, in a child of a process with many threads, only system calls are
/// safe: no allocation, no lock. Everything it needs (the Landlock ruleset,
/// already built; the id maps, already formatted) is made before the fork,
/// and the hook only hands it to the kernel.
#[allow(unsafe_code)]
fn between_fork_and_exec(cmd: &mut Command, ruleset: Option<RulesetCreated>, maps: Option<IdMaps>) {
    let mut ruleset = ruleset;
    let hook = move || -> std::io::Result<()> {
        if let Some(maps) = &maps {
            use rustix::thread::UnshareFlags;
            // SAFETY: the child has one thread and shares nothing with its
            // parent that a new user or network namespace would break.
            unsafe {
                rustix::thread::unshare_unsafe(UnshareFlags::NEWUSER | UnshareFlags::NEWNET)
            }?;
            write_proc(c"/proc/self/setgroups", b"deny")?;
            write_proc(c"/proc/self/uid_map", &maps.uid)?;
            write_proc(c"/proc/self/gid_map", &maps.gid)?;
        }
        let limit = rustix::process::Rlimit {
            current: Some(FILE_SIZE_LIMIT),
            maximum: Some(FILE_SIZE_LIMIT),
        };
        rustix::process::setrlimit(rustix::process::Resource::Fsize, limit)?;
        if let Some(ruleset) = ruleset.take() {
            ruleset
                .restrict_self()
                .map_err(|_| std::io::Error::from_raw_os_error(1))?;
        }
        Ok(())
    };
    // SAFETY: the hook makes system calls only (see above).
    unsafe {
        cmd.pre_exec(hook);
    }
}

fn write_proc(path: &std::ffi::CStr, line: &[u8]) -> std::io::Result<()> {
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(path, OFlags::WRONLY | OFlags::CLOEXEC, Mode::empty())?;
    rustix::io::write(&fd, line)?;
    Ok(())
}

/// What the kernel here lets the jail do, found once by trying: a program
/// in a jail tries to write outside its scratch directory. The first time
/// a part is missing, it is said on stderr.
pub fn support() -> &'static Support {
    static SUPPORT: OnceLock<Support> = OnceLock::new();
    SUPPORT.get_or_init(|| {
        let found = probe();
        if !found.supervisor {
            let mut missing = Vec::new();
            if !found.landlock {
                missing.push(
                    "nor Landlock (Linux 5.13 or later, enabled at boot), so they may write \
                     outside their scratch directory",
                );
            }
            if !found.namespaces {
                missing.push(
                    "nor unprivileged user namespaces, so they may use the network and leave \
                     processes that left their process group",
                );
            }
            eprintln!(
                "warning: programs under test run less contained here. The sandbox's \
                 namespaces were refused ({}), so programs may read the whole machine, reach \
                 its Unix sockets, and chmod files outside{}{}. They still start in a scratch \
                 directory outside the repository, with their time, output, memory and \
                 processes bounded. To contain them fully, allow unprivileged user \
                 namespaces (sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu \
                 kernel.apparmor_restrict_unprivileged_userns=0).",
                found.refused.as_deref().unwrap_or("no reason given"),
                if missing.is_empty() { "" } else { "; " },
                missing.join("; ")
            );
        }
        found
    })
}

fn probe() -> Support {
    let supervisor = Support {
        supervisor: true,
        refused: None,
        landlock: false,
        namespaces: true,
    };
    let refused = match contains_a_writer(&supervisor) {
        Ok(()) => return supervisor,
        Err(why) => Some(why),
    };
    let tries = [(true, true), (true, false), (false, true)];
    for (landlock, namespaces) in tries {
        let support = Support {
            supervisor: false,
            refused: refused.clone(),
            landlock,
            namespaces,
        };
        if contains_a_writer(&support).is_ok() {
            return support;
        }
    }
    Support {
        supervisor: false,
        refused,
        landlock: false,
        namespaces: false,
    }
}

/// Whether a jail with `support` starts, and (with the supervisor or
/// Landlock) stops a program from writing beside its scratch directory;
/// if not, why.
fn contains_a_writer(support: &Support) -> Result<(), String> {
    let dir = tempfile::Builder::new()
        .prefix("cbh-probe-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let scratch = dir.path().join("scratch");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&scratch).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "echo > \"$1\"; echo > inside", "sh"])
        .arg(&outside);
    Jail::new(&scratch)
        .apply_with(&mut cmd, support)
        .map_err(|e| e.to_string())?;
    let report = dir.path().join("report");
    if support.supervisor {
        let mut args: Vec<OsString> = vec!["--report".into(), report.clone().into()];
        args.extend(cmd.get_args().map(OsStr::to_owned));
        let mut with_report = Command::new(cmd.get_program());
        with_report.args(args).env_clear();
        with_report.envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
        cmd = with_report;
    }
    let status = cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if let Some(why) = std::fs::read_to_string(&report).ok().and_then(|r| {
        r.lines()
            .find_map(|l| l.strip_prefix("error ").map(str::to_string))
    }) {
        return Err(why);
    }
    let walled = support.supervisor || support.landlock;
    if status.success() && scratch.join("inside").exists() && (!walled || !outside.exists()) {
        Ok(())
    } else {
        Err(format!("a test program ended with {status}"))
    }
}

/// The `PATH` every jailed command starts with: the system's directories,
/// nothing of the author's.
pub const FIXED_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::{self, Limits};

    const FALLBACK: Support = Support {
        supervisor: false,
        refused: None,
        landlock: true,
        namespaces: true,
    };

    /// Where the kernel refuses the supervisor's namespaces, the fallback
    /// still keeps writes inside the scratch directory.
    #[test]
    fn the_fallback_still_keeps_writes_inside() {
        crate::remembered::unless_passed("the_fallback_still_keeps_writes_inside", || {
            if contains_a_writer(&FALLBACK).is_err() {
                eprintln!("skipped: this kernel has no Landlock");
                return;
            }
            let scratch = crate::Scratch::new().unwrap();
            let outside = tempfile::Builder::new()
                .prefix("cbh-outside-")
                .tempdir()
                .unwrap();
            let escaped = outside.path().join("escaped.txt");
            let mut cmd = Command::new("sh");
            cmd.args(["-c", "echo out > \"$1\"; echo in > inside.txt", "sh"])
                .arg(&escaped);
            Jail::new(scratch.path())
                .apply_with(&mut cmd, &FALLBACK)
                .unwrap();
            assert!(!is_supervised(&cmd));
            let limits = Limits {
                time: std::time::Duration::from_secs(120),
                ..Limits::DEFAULT
            };
            let ran = terminal::run(cmd, &mut std::iter::empty(), true, limits).unwrap();
            let shown = String::from_utf8_lossy(&ran.shown);
            assert!(shown.contains("Permission denied"), "{shown}");
            assert!(scratch.path().join("inside.txt").exists());
            assert!(!escaped.exists());
        });
    }

    /// Fixed randomness needs the supervisor: the fallback says so rather
    /// than run a program whose output would vary.
    #[test]
    fn a_seeded_jail_refuses_the_fallback() {
        crate::remembered::unless_passed("a_seeded_jail_refuses_the_fallback", || {
            let scratch = crate::Scratch::new().unwrap();
            let mut cmd = Command::new("true");
            let refused = Jail::new(scratch.path())
                .seeded(1)
                .apply_with(&mut cmd, &FALLBACK)
                .unwrap_err();
            assert!(refused.to_string().contains("seeded"), "{refused}");
        });
    }

    /// Under the supervisor, arguments added after `apply` still go to the
    /// program, and a program named by its path runs (it is made readable).
    #[test]
    fn arguments_added_after_apply_reach_the_program() {
        crate::remembered::unless_passed("arguments_added_after_apply_reach_the_program", || {
            if !support().supervisor {
                eprintln!("skipped: this kernel refuses the sandbox's namespaces");
                return;
            }
            let scratch = crate::Scratch::new().unwrap();
            let mut cmd = Command::new("/bin/sh");
            cmd.args(["-c", "echo \"$0\" \"$@\""]);
            Jail::new(scratch.path()).apply(&mut cmd).unwrap();
            cmd.args(["one", "two"]);
            let limits = Limits {
                time: std::time::Duration::from_secs(120),
                ..Limits::DEFAULT
            };
            let ran = terminal::run(cmd, &mut std::iter::empty(), true, limits).unwrap();
            assert_eq!(ran.shown, b"one two\n");
        });
    }
}
