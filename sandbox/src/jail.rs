//! The walls around one run of a program under test, set up by the kernel
//! between fork and exec:
//!
//! - **Writes** only under the run's scratch directory (and the few
//!   directories a caller adds, such as cargo's target directory for a
//!   `cargo run` session), and to `/dev/null`: Landlock, a Linux security
//!   module any process may use on itself, through the `landlock` crate.
//!   Reading and executing stay allowed everywhere, as on the reader's
//!   machine.
//! - **No network**: a network namespace of its own, with nothing in it (not
//!   even a loopback that is up), inside a user namespace of its own, which
//!   an unprivileged user may create. Landlock also refuses TCP.
//! - **No signals** to processes outside the run (Landlock's scopes).
//! - **A fixed environment**: nothing inherited but `PATH`; `HOME` and
//!   `TMPDIR` are the scratch directory, the locale is `C.UTF-8`,
//!   `RUST_BACKTRACE` is 0, plus what the caller adds.
//! - **A process group** of its own, and files of at most 128 MiB.
//!
//! Every process the program starts is in its user namespace and cannot
//! leave it, so [`Jail::leftovers`] finds them all after it exits, even the
//! ones that left its process group.
//!
//! Where the kernel refuses a part (an old kernel without Landlock, user
//! namespaces turned off), [`support`] says so once and the run goes on with
//! the rest: it still starts in its scratch directory, outside the repo.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use landlock::{
    ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreated, RulesetCreatedAttr, Scope,
};

/// The largest file a program under test may write.
pub const FILE_SIZE_LIMIT: u64 = 128 * 1024 * 1024;

/// The newest Landlock this code asks for (ABI 6: scopes). Older kernels
/// get what they have; [`support`] checks what is really enforced.
const LANDLOCK: ABI = ABI::V6;

/// How one run is contained.
#[derive(Debug, Clone)]
pub struct Jail {
    scratch: PathBuf,
    writable: Vec<PathBuf>,
    env: Vec<(OsString, OsString)>,
}

/// What this machine's kernel lets the jail do; see [`support`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Support {
    /// Writes outside the scratch directory are refused (Landlock).
    pub landlock: bool,
    /// A user and a network namespace of its own.
    pub namespaces: bool,
}

impl Jail {
    /// A jail whose program starts in, and may write to, `scratch`.
    pub fn new(scratch: &Path) -> Jail {
        Jail {
            scratch: scratch.to_path_buf(),
            writable: Vec::new(),
            env: Vec::new(),
        }
    }

    /// Lets the program write under `dir` too.
    pub fn writable(mut self, dir: &Path) -> Jail {
        self.writable.push(dir.to_path_buf());
        self
    }

    /// Sets a variable of the program's environment.
    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Jail {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Makes `cmd` run in this jail (as far as [`support`] allows).
    pub fn apply(&self, cmd: &mut Command) -> std::io::Result<()> {
        self.apply_with(cmd, *support())
    }

    fn apply_with(&self, cmd: &mut Command, support: Support) -> std::io::Result<()> {
        cmd.current_dir(&self.scratch).env_clear().process_group(0);
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", &self.scratch)
            .env("TMPDIR", &self.scratch)
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .env("TERM", "dumb")
            .env("RUST_BACKTRACE", "0");
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        let ruleset = if support.landlock {
            Some(self.ruleset().map_err(std::io::Error::other)?)
        } else {
            None
        };
        let maps = support.namespaces.then(IdMaps::of_this_process);
        between_fork_and_exec(cmd, ruleset, maps);
        Ok(())
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

    /// The processes of the run that `pid` started, other than those
    /// already gone, as (pid, name): every process in `pid`'s user
    /// namespace. Empty where the jail has no namespaces.
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
        if !found.landlock || !found.namespaces {
            let mut missing = Vec::new();
            if !found.landlock {
                missing.push(
                    "Landlock (Linux 5.13 or later, enabled at boot), so listings may write \
                     outside their scratch directory",
                );
            }
            if !found.namespaces {
                missing.push(
                    "unprivileged user namespaces, so listings may use the network and leave \
                     processes that left their process group",
                );
            }
            eprintln!(
                "warning: programs under test run less contained here. This kernel refuses {}. \
                 They still start in a scratch directory outside the repository.",
                missing.join("; and ")
            );
        }
        found
    })
}

fn probe() -> Support {
    let tries = [
        Support {
            landlock: true,
            namespaces: true,
        },
        Support {
            landlock: true,
            namespaces: false,
        },
        Support {
            landlock: false,
            namespaces: true,
        },
    ];
    for support in tries {
        if contains_a_writer(support) {
            return support;
        }
    }
    Support {
        landlock: false,
        namespaces: false,
    }
}

/// Whether a jail with `support` starts, and (with Landlock) stops a
/// program from writing beside its scratch directory.
fn contains_a_writer(support: Support) -> bool {
    let Ok(dir) = tempfile::Builder::new().prefix("cbh-probe-").tempdir() else {
        return false;
    };
    let scratch = dir.path().join("scratch");
    let outside = dir.path().join("outside");
    if std::fs::create_dir(&scratch).is_err() {
        return false;
    }
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "echo > \"$1\"; echo > inside", "sh"])
        .arg(&outside)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if Jail::new(&scratch).apply_with(&mut cmd, support).is_err() {
        return false;
    }
    if cmd.status().is_err() {
        return false;
    }
    scratch.join("inside").exists() && (!support.landlock || !outside.exists())
}
