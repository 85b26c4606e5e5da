//! The sandbox crate's supervisor: it runs one program under test inside
//! Linux namespaces, and says how it ended.
//!
//! `build.rs` compiles this file with `$RUSTC` (no crates: the few C
//! library functions std lacks are declared below), and `Jail::apply`
//! makes a command run it as
//!
//! ```text
//! cbh-supervisor [--option value]... -- PROGRAM [ARG]...
//! ```
//!
//! It is a fresh, single-threaded process, so ordinary Rust (allocation
//! included) is safe between its forks, which it would not be in the
//! multi-threaded test binaries that start it. Three processes:
//!
//! - **S**, this one, in the caller's mount namespace: makes a user
//!   namespace (its own uid and gid mapped to themselves) with new PID,
//!   network, IPC and UTS namespaces, forks C, waits for it, reads C's
//!   report from a pipe, writes it where the caller asked (`--report`),
//!   removes the empty directory the new root was mounted on, and exits as
//!   the program did.
//! - **C**, PID 1 of the new PID namespace, dies with S
//!   (`PR_SET_PDEATHSIG`); when it dies the kernel kills everything in the
//!   namespace, nested namespaces included. It makes a mount namespace and
//!   a new root (see [`build_root`]), pivots into it, forks G, reaps every
//!   process whose parent went before it, and when G exits names whatever
//!   is still running, kills it, and reports.
//! - **G**, the program: rlimits, no capabilities, `PR_SET_NO_NEW_PRIVS`,
//!   then exec.

use std::ffi::{CString, OsString};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

/// The C library functions std does not wrap, and their constants (the
/// same on x86_64 and aarch64 Linux unless marked).
mod sys {
    use std::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void};

    #[repr(C)]
    #[derive(Default)]
    pub struct Timeval {
        pub sec: i64,
        pub usec: i64,
    }

    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub utime: Timeval,
        pub stime: Timeval,
        pub maxrss: c_long,
        pub rest: [c_long; 13],
    }

    #[repr(C)]
    pub struct Rlimit {
        pub cur: u64,
        pub max: u64,
    }

    #[repr(C)]
    pub struct Pollfd {
        pub fd: c_int,
        pub events: i16,
        pub revents: i16,
    }

    #[repr(C)]
    pub struct MountAttr {
        pub set: u64,
        pub clr: u64,
        pub propagation: u64,
        pub userns_fd: u64,
    }

    #[repr(C)]
    pub struct CapHeader {
        pub version: u32,
        pub pid: c_int,
    }

    #[repr(C)]
    #[derive(Default, Clone, Copy)]
    pub struct CapData {
        pub effective: u32,
        pub permitted: u32,
        pub inheritable: u32,
    }

    unsafe extern "C" {
        pub fn unshare(flags: c_int) -> c_int;
        pub fn mount(
            src: *const c_char,
            target: *const c_char,
            fstype: *const c_char,
            flags: c_ulong,
            data: *const c_void,
        ) -> c_int;
        pub fn umount2(target: *const c_char, flags: c_int) -> c_int;
        pub fn syscall(number: c_long, ...) -> c_long;
        pub fn fork() -> c_int;
        pub fn wait4(pid: c_int, status: *mut c_int, options: c_int, usage: *mut Rusage) -> c_int;
        pub fn getrusage(who: c_int, usage: *mut Rusage) -> c_int;
        pub fn prctl(option: c_int, ...) -> c_int;
        pub fn setrlimit(resource: c_int, limit: *const Rlimit) -> c_int;
        pub fn kill(pid: c_int, sig: c_int) -> c_int;
        pub fn _exit(code: c_int) -> !;
        pub fn setsid() -> c_int;
        pub fn sethostname(name: *const c_char, len: usize) -> c_int;
        pub fn poll(fds: *mut Pollfd, n: c_ulong, timeout: c_int) -> c_int;
        pub fn getuid() -> u32;
        pub fn getgid() -> u32;
        pub fn getppid() -> c_int;
        pub fn getpid() -> c_int;
    }

    pub const CLONE_NEWNS: c_int = 0x0002_0000;
    pub const CLONE_NEWUTS: c_int = 0x0400_0000;
    pub const CLONE_NEWIPC: c_int = 0x0800_0000;
    pub const CLONE_NEWUSER: c_int = 0x1000_0000;
    pub const CLONE_NEWPID: c_int = 0x2000_0000;
    pub const CLONE_NEWNET: c_int = 0x4000_0000;

    pub const MS_RDONLY: c_ulong = 1;
    pub const MS_NOSUID: c_ulong = 2;
    pub const MS_NODEV: c_ulong = 4;
    pub const MS_NOEXEC: c_ulong = 8;
    pub const MS_REMOUNT: c_ulong = 32;
    pub const MS_NOATIME: c_ulong = 1024;
    pub const MS_BIND: c_ulong = 4096;
    pub const MS_REC: c_ulong = 16384;
    pub const MS_PRIVATE: c_ulong = 1 << 18;
    pub const MS_RELATIME: c_ulong = 1 << 21;
    pub const MS_STRICTATIME: c_ulong = 1 << 24;
    pub const MNT_DETACH: c_int = 2;

    pub const MOUNT_ATTR_RDONLY: u64 = 1;
    pub const MOUNT_ATTR_NOSUID: u64 = 2;
    pub const MOUNT_ATTR_NODEV: u64 = 4;
    pub const AT_FDCWD: c_int = -100;
    pub const AT_RECURSIVE: c_uint = 0x8000;

    pub const SYS_MOUNT_SETATTR: c_long = 442;
    #[cfg(target_arch = "x86_64")]
    pub const SYS_PIVOT_ROOT: c_long = 155;
    #[cfg(target_arch = "aarch64")]
    pub const SYS_PIVOT_ROOT: c_long = 41;
    #[cfg(target_arch = "x86_64")]
    pub const SYS_CAPSET: c_long = 126;
    #[cfg(target_arch = "aarch64")]
    pub const SYS_CAPSET: c_long = 91;

    pub const PR_SET_PDEATHSIG: c_int = 1;
    pub const PR_CAPBSET_DROP: c_int = 24;
    pub const PR_SET_SECUREBITS: c_int = 28;
    pub const PR_SET_NO_NEW_PRIVS: c_int = 38;
    pub const PR_CAP_AMBIENT: c_int = 47;
    pub const PR_CAP_AMBIENT_CLEAR_ALL: c_ulong = 4;
    /// SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP, SECBIT_KEEP_CAPS (off) and
    /// SECBIT_NO_CAP_AMBIENT_RAISE, each with its lock: uid 0 gains no
    /// capability on exec, ever again.
    pub const SECUREBITS_LOCKED_DOWN: c_ulong = 0b1110_1111;
    pub const CAP_VERSION_3: u32 = 0x2008_0522;

    pub const RLIMIT_CPU: c_int = 0;
    pub const RLIMIT_FSIZE: c_int = 1;
    pub const RLIMIT_CORE: c_int = 4;
    pub const RLIMIT_NPROC: c_int = 6;
    pub const RLIMIT_AS: c_int = 9;

    pub const RUSAGE_CHILDREN: c_int = -1;
    pub const SIGKILL: c_int = 9;
    pub const POLLHUP: i16 = 0x10;
    pub const EINTR: i32 = 4;
}

/// What the caller asked for.
#[derive(Default)]
struct Config {
    /// Where to make the (empty) directory the new root is mounted on.
    tmp: PathBuf,
    /// The working directory, outside.
    cwd: PathBuf,
    /// Where it is shown inside, if not at its own path.
    cwd_at: Option<PathBuf>,
    readable: Vec<PathBuf>,
    writable: Vec<PathBuf>,
    /// (host path, path inside), read-only.
    binds: Vec<(PathBuf, PathBuf)>,
    seed: Option<u64>,
    /// The seeded-randomness shim, preloaded when `seed` is set.
    preload: Option<PathBuf>,
    report: Option<PathBuf>,
    memory: u64,
    cpu_ms: u64,
    written: u64,
    processes: u64,
    file_bytes: u64,
    argv0: Option<OsString>,
    program: OsString,
    args: Vec<OsString>,
}

const GIB: u64 = 1024 * 1024 * 1024;

impl Config {
    fn parse(mut args: impl Iterator<Item = OsString>) -> Result<Config, String> {
        let mut cfg = Config {
            tmp: std::env::temp_dir(),
            cwd: PathBuf::from("/"),
            memory: 4 * GIB,
            cpu_ms: 20_000,
            written: GIB,
            processes: 1000,
            file_bytes: 128 * 1024 * 1024,
            ..Config::default()
        };
        let number = |v: OsString| -> Result<u64, String> {
            v.to_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("not a number: {v:?}"))
        };
        while let Some(arg) = args.next() {
            if arg == "--" {
                cfg.program = args.next().ok_or("no program after --")?;
                cfg.args = args.collect();
                return Ok(cfg);
            }
            let mut value = || args.next().ok_or(format!("{arg:?} needs a value"));
            match arg.to_str().unwrap_or("") {
                "--tmp" => cfg.tmp = value()?.into(),
                "--cwd" => cfg.cwd = value()?.into(),
                "--cwd-at" => cfg.cwd_at = Some(value()?.into()),
                "--ro" => cfg.readable.push(value()?.into()),
                "--rw" => cfg.writable.push(value()?.into()),
                "--bind" => {
                    let host = value()?.into();
                    let at = value()?.into();
                    cfg.binds.push((host, at));
                }
                "--seed" => cfg.seed = Some(number(value()?)?),
                "--preload" => cfg.preload = Some(value()?.into()),
                "--report" => cfg.report = Some(value()?.into()),
                "--argv0" => cfg.argv0 = Some(value()?),
                "--memory" => cfg.memory = number(value()?)?,
                "--cpu-ms" => cfg.cpu_ms = number(value()?)?,
                "--written" => cfg.written = number(value()?)?,
                "--processes" => cfg.processes = number(value()?)?,
                "--file-bytes" => cfg.file_bytes = number(value()?)?,
                _ => return Err(format!("unknown option {arg:?}")),
            }
        }
        Err("no -- before the program".into())
    }
}

fn main() {
    let cfg = match Config::parse(std::env::args_os().skip(1)) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("cbh-supervisor: {e}");
            std::process::exit(125);
        }
    };
    // SAFETY: plain system calls on this process; the values are ours.
    unsafe {
        let parent = sys::getppid();
        sys::prctl(sys::PR_SET_PDEATHSIG, sys::SIGKILL as std::ffi::c_ulong);
        if sys::getppid() != parent {
            // The caller died before we could follow it.
            sys::_exit(125);
        }
        // No core dump when S mirrors a program's crash.
        sys::setrlimit(sys::RLIMIT_CORE, &sys::Rlimit { cur: 0, max: 0 });
    }
    let root = cfg.tmp.join(format!("cbh-root-{}", std::process::id()));
    let result = std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&root)
        .map_err(|e| format!("{}: {e}", root.display()))
        .and_then(|()| supervise(&cfg, &root));
    let _ = std::fs::remove_dir(&root);
    let report = match result {
        Ok(report) => report,
        Err(e) => format!("error {}\n", one_line(&e)),
    };
    if let Some(path) = &cfg.report {
        let _ = std::fs::write(path, &report);
    }
    let status = report
        .lines()
        .find_map(|l| l.strip_prefix("status "))
        .and_then(|s| s.parse::<i32>().ok());
    match status {
        Some(status) => exit_as(status),
        None => {
            if let Some(e) = report.lines().find_map(|l| l.strip_prefix("error ")) {
                eprintln!("cbh-supervisor: {e}");
            }
            std::process::exit(125)
        }
    }
}

/// Exits the way a process with wait status `status` did.
fn exit_as(status: i32) -> ! {
    let signal = status & 0x7f;
    if signal == 0 {
        std::process::exit((status >> 8) & 0xff);
    }
    // SAFETY: signals ourselves; if the signal does not kill (ignored,
    // stopped), the exit below does.
    unsafe { sys::kill(sys::getpid(), signal) };
    std::process::exit(128 + signal)
}

fn one_line(text: &str) -> String {
    text.replace('\n', " ")
}

fn os_error(what: impl std::fmt::Display) -> String {
    format!("{what}: {}", std::io::Error::last_os_error())
}

/// S: namespaces, C, and C's report (with C's own status added).
fn supervise(cfg: &Config, root: &Path) -> Result<String, String> {
    let (mut report_r, report_w) = std::io::pipe().map_err(|e| e.to_string())?;
    let (alive_r, alive_w) = std::io::pipe().map_err(|e| e.to_string())?;
    // SAFETY: getuid and getgid cannot fail.
    let (uid, gid) = unsafe { (sys::getuid(), sys::getgid()) };
    let flags = sys::CLONE_NEWUSER
        | sys::CLONE_NEWPID
        | sys::CLONE_NEWNET
        | sys::CLONE_NEWIPC
        | sys::CLONE_NEWUTS;
    // SAFETY: this process has one thread, as unshare(CLONE_NEWUSER)
    // requires.
    if unsafe { sys::unshare(flags) } != 0 {
        return Err(os_error("namespaces (user, PID, network)"));
    }
    std::fs::write("/proc/self/setgroups", "deny").map_err(|e| format!("setgroups: {e}"))?;
    std::fs::write("/proc/self/uid_map", format!("{uid} {uid} 1"))
        .map_err(|e| format!("uid_map: {e}"))?;
    std::fs::write("/proc/self/gid_map", format!("{gid} {gid} 1"))
        .map_err(|e| format!("gid_map: {e}"))?;
    // SAFETY: single-threaded, so the child may do anything.
    match unsafe { sys::fork() } {
        -1 => Err(os_error("fork")),
        0 => {
            drop(report_r);
            drop(alive_w);
            let code = container(cfg, root, report_w, alive_r);
            // SAFETY: leaving C without running S's destructors.
            unsafe { sys::_exit(code) }
        }
        c => {
            drop(report_w);
            drop(alive_r);
            let mut report = String::new();
            let _ = report_r.read_to_string(&mut report);
            let mut status = 0;
            // SAFETY: waits for our own child; `status` is ours.
            while unsafe { sys::wait4(c, &mut status, 0, std::ptr::null_mut()) } < 0 {
                if std::io::Error::last_os_error().raw_os_error() != Some(sys::EINTR) {
                    break;
                }
            }
            drop(alive_w);
            report.push_str(&format!("container {status}\n"));
            Ok(report)
        }
    }
}

/// C: the new root, G, the reaping and the report.
fn container(
    cfg: &Config,
    root: &Path,
    mut report: std::io::PipeWriter,
    alive: std::io::PipeReader,
) -> i32 {
    use std::os::fd::AsRawFd;
    // SAFETY: prctl on ourselves; poll on a descriptor we own.
    let orphaned = unsafe {
        sys::prctl(sys::PR_SET_PDEATHSIG, sys::SIGKILL as std::ffi::c_ulong);
        let mut fd = sys::Pollfd {
            fd: alive.as_raw_fd(),
            events: 0,
            revents: 0,
        };
        sys::poll(&mut fd, 1, 0) > 0 && fd.revents & sys::POLLHUP != 0
    };
    if orphaned {
        // S died before PR_SET_PDEATHSIG could follow it.
        return 125;
    }
    let (text, code) = match contain_and_run(cfg, root) {
        Ok(text) => (text, 0),
        Err(e) => (format!("error {}\n", one_line(&e)), 125),
    };
    let _ = report.write_all(text.as_bytes());
    code
}

fn contain_and_run(cfg: &Config, root: &Path) -> Result<String, String> {
    // SAFETY: plain system calls on this process.
    unsafe {
        // No controlling terminal: /dev/tty opens nothing.
        sys::setsid();
        let name = b"sandbox";
        sys::sethostname(name.as_ptr().cast(), name.len());
        if sys::unshare(sys::CLONE_NEWNS) != 0 {
            return Err(os_error("a mount namespace"));
        }
    }
    mount(
        None,
        Path::new("/"),
        None,
        sys::MS_REC | sys::MS_PRIVATE,
        None,
    )?;
    build_root(cfg, root)?;
    pivot_root(root)?;
    let cwd = cfg.cwd_at.as_ref().unwrap_or(&cfg.cwd);
    std::env::set_current_dir(cwd)
        .map_err(|e| format!("the working directory {}: {e}", cwd.display()))?;
    // SAFETY: single-threaded, so the child may do anything.
    let program = match unsafe { sys::fork() } {
        -1 => return Err(os_error("fork")),
        0 => {
            let e = exec_program(cfg);
            eprintln!("cbh-supervisor: {e}");
            // SAFETY: leaving G, whose exec failed.
            unsafe { sys::_exit(127) }
        }
        pid => pid,
    };
    let status = reap_until(program);
    let (left, left_count) = leftovers();
    // SAFETY: from PID 1 of the namespace, kill(-1) reaches every other
    // process in it, and nothing outside.
    unsafe { sys::kill(-1, sys::SIGKILL) };
    reap_until(-1);
    let mut usage = sys::Rusage::default();
    // SAFETY: `usage` is ours and of the C layout.
    unsafe { sys::getrusage(sys::RUSAGE_CHILDREN, &mut usage) };
    let cpu_us =
        (usage.utime.sec + usage.stime.sec) * 1_000_000 + usage.utime.usec + usage.stime.usec;
    // Includes every process this one reaped (and those they reaped).
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    let field = |name: &str| -> u64 {
        io.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    let written = field("wchar:").max(field("write_bytes:"));
    let mut text = format!(
        "status {status}\ncpu_us {cpu_us}\nmaxrss_kb {}\nwritten {written}\n",
        usage.maxrss
    );
    // How many it left running at once: a fork bomb whose first process
    // exited between two of the caller's looks is still over the limit.
    text.push_str(&format!("left_processes {left_count}\n"));
    for name in left {
        text.push_str(&format!("left {}\n", one_line(&name)));
    }
    Ok(text)
}

/// Reaps children until `pid` exits (its wait status), or, for -1, until
/// there are none.
fn reap_until(pid: i32) -> i32 {
    loop {
        let mut status = 0;
        // SAFETY: `status` is ours.
        let got = unsafe { sys::wait4(-1, &mut status, 0, std::ptr::null_mut()) };
        if got < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(sys::EINTR) {
                continue;
            }
            return 0;
        }
        if got == pid {
            return status;
        }
    }
}

/// The names of the processes still running in the namespace, but for
/// this one, and how many they are. One that was forked a moment ago gets a moment to become the
/// program it runs, so that it is named after that (`sleep`, not `sh`).
fn leftovers() -> (Vec<String>, usize) {
    let running = || -> (Vec<String>, usize) {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return (Vec::new(), 0);
        };
        let mut names = Vec::new();
        let mut count = 0;
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if pid == 1 {
                continue;
            }
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let state = stat[close + 1..].split_whitespace().next().unwrap_or("");
            let name = stat[open + 1..close].to_string();
            if state != "Z" {
                count += 1;
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        (names, count)
    };
    if running().0.is_empty() {
        return (Vec::new(), 0);
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    running()
}

/// G: limits, no privileges, then the program. Returns only on failure.
fn exec_program(cfg: &Config) -> String {
    let cpu_secs = cfg.cpu_ms.div_ceil(1000) + 1;
    let limits = [
        (sys::RLIMIT_CORE, 0, 0),
        // A backstop for the caller's memory watch, per process.
        (sys::RLIMIT_AS, cfg.memory + 2 * GIB, cfg.memory + 2 * GIB),
        // A backstop for the caller's CPU watch: SIGXCPU, then SIGKILL.
        (sys::RLIMIT_CPU, cpu_secs, cpu_secs + 1),
        (sys::RLIMIT_FSIZE, cfg.file_bytes, cfg.file_bytes),
        // Counted in this user namespace alone (Linux 5.14 or later), but
        // not enforced on uid 0: there, pid_max does it (see build_proc).
        // Twice the caller's limit, as pid_max: a fork bomb held at the
        // kernel's bound churns below it, and the caller's watch must see
        // it pass its own.
        (sys::RLIMIT_NPROC, 2 * cfg.processes, 2 * cfg.processes),
    ];
    for (resource, cur, max) in limits {
        // SAFETY: a limit of our own making, on this process.
        if unsafe { sys::setrlimit(resource, &sys::Rlimit { cur, max }) } != 0 {
            return os_error(format!("setrlimit({resource})"));
        }
    }
    if let Err(e) = drop_privileges() {
        return e;
    }
    let mut cmd = std::process::Command::new(&cfg.program);
    cmd.args(&cfg.args);
    if let Some(argv0) = &cfg.argv0 {
        cmd.arg0(argv0);
    }
    if let (Some(_), Some(shim)) = (cfg.seed, &cfg.preload) {
        cmd.env("LD_PRELOAD", shim);
    }
    let e = cmd.exec();
    format!("cannot run {}: {e}", cfg.program.to_string_lossy())
}

/// No capability now or after exec, in this user namespace or any, and no
/// gaining one through a set-uid file: a program that is uid 0 here (when
/// the caller is root) stays as powerless as any other user.
fn drop_privileges() -> Result<(), String> {
    // SAFETY: prctl and capset on this process, with arguments of the
    // documented types; the capability structs are ours and of the C layout.
    unsafe {
        if sys::prctl(sys::PR_SET_SECUREBITS, sys::SECUREBITS_LOCKED_DOWN) != 0 {
            return Err(os_error("securebits"));
        }
        for cap in 0..64 as std::ffi::c_ulong {
            // Fails (EINVAL) past the last capability this kernel knows.
            sys::prctl(sys::PR_CAPBSET_DROP, cap);
        }
        sys::prctl(
            sys::PR_CAP_AMBIENT,
            sys::PR_CAP_AMBIENT_CLEAR_ALL,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        );
        let mut header = sys::CapHeader {
            version: sys::CAP_VERSION_3,
            pid: 0,
        };
        let data = [sys::CapData::default(); 2];
        if sys::syscall(sys::SYS_CAPSET, &mut header, data.as_ptr()) != 0 {
            return Err(os_error("capset"));
        }
        if sys::prctl(
            sys::PR_SET_NO_NEW_PRIVS,
            1 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
            0 as std::ffi::c_ulong,
        ) != 0
        {
            return Err(os_error("no_new_privs"));
        }
    }
    Ok(())
}

/// The read-only system directories, at their own paths. A top-level one
/// that is a symbolic link (merged /usr) is made again as the same link.
const SYSTEM: &[&str] = &["usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"];

/// What programs, rustc, cargo and the C linker read in /etc: the dynamic
/// linker's cache, users and groups, name-service switch, time zone,
/// alternatives (cc, ld). Not shadow, ssh, hostname, machine-id...
const ETC: &[&str] = &[
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "alternatives",
    "passwd",
    "group",
    "nsswitch.conf",
    "localtime",
    "timezone",
];

/// The devices bound in from the host's /dev (those it has).
const DEVICES: &[&str] = &["null", "zero", "full", "random", "urandom", "tty"];

/// Parts of the new /proc made read-only, as bubblewrap does: kernel
/// settings and triggers that file permissions alone would leave to uid 0.
const PROC_READ_ONLY: &[&str] = &["sys", "sysrq-trigger", "irq", "bus"];

/// The new root, on a tmpfs mounted on `root` (an empty directory of the
/// caller's): the system directories, a curated /etc, a fresh /dev, /proc
/// and /tmp, the caller's paths, nothing else; then the tmpfs itself goes
/// read-only.
fn build_root(cfg: &Config, root: &Path) -> Result<(), String> {
    mount_tmpfs(root, "size=16m,mode=0755")?;
    for name in SYSTEM {
        let host = Path::new("/").join(name);
        let inside = root.join(name);
        match std::fs::symlink_metadata(&host) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&host).map_err(|e| e.to_string())?;
                std::os::unix::fs::symlink(target, &inside)
                    .map_err(|e| format!("{}: {e}", inside.display()))?;
            }
            Ok(m) if m.is_dir() => {
                make_mount_point(&inside, true)?;
                bind(&host, &inside, true)?;
            }
            _ => {}
        }
    }
    make_dir(&root.join("etc"))?;
    for name in ETC {
        let host = Path::new("/etc").join(name);
        if let Ok(meta) = std::fs::metadata(&host) {
            let inside = root.join("etc").join(name);
            make_mount_point(&inside, meta.is_dir())?;
            bind(&host, &inside, true)?;
        }
    }
    build_dev(cfg, &root.join("dev"))?;
    build_proc(cfg, &root.join("proc"))?;
    let tmp = root.join("tmp");
    make_dir(&tmp)?;
    mount_tmpfs(&tmp, &format!("size={},mode=1777", cfg.written))?;
    // The caller's paths, parents before children (a writable directory
    // inside a readable one; a read-only cache inside a writable home).
    let mut mounts: Vec<(&Path, &Path, bool)> = Vec::new();
    mounts.extend(
        cfg.readable
            .iter()
            .map(|p| (p.as_path(), p.as_path(), true)),
    );
    mounts.extend(
        cfg.writable
            .iter()
            .map(|p| (p.as_path(), p.as_path(), false)),
    );
    mounts.push((&cfg.cwd, cfg.cwd_at.as_ref().unwrap_or(&cfg.cwd), false));
    mounts.extend(
        cfg.binds
            .iter()
            .map(|(h, a)| (h.as_path(), a.as_path(), true)),
    );
    if let (Some(_), Some(shim)) = (cfg.seed, &cfg.preload) {
        mounts.push((shim, shim, true));
    }
    mounts.sort_by_key(|(_, at, _)| at.components().count());
    for (host, at, read_only) in mounts {
        let meta = std::fs::metadata(host).map_err(|e| format!("{}: {e}", host.display()))?;
        let inside = root
            .join(at.strip_prefix("/").map_err(|_| {
                format!("{}: a path in the sandbox must be absolute", at.display())
            })?);
        make_mount_point(&inside, meta.is_dir())?;
        bind(host, &inside, read_only)?;
    }
    // Nothing but the mounts in it may be written.
    mount(
        None,
        root,
        None,
        sys::MS_REMOUNT | sys::MS_BIND | sys::MS_RDONLY | sys::MS_NOSUID | sys::MS_NODEV,
        None,
    )
}

/// A fresh /dev: the harmless devices (bound from the host's), the
/// standard links, a /dev/shm of its own; with a seed, random and urandom
/// are files of seeded bytes instead.
fn build_dev(cfg: &Config, dev: &Path) -> Result<(), String> {
    make_dir(dev)?;
    mount_tmpfs(dev, "size=4m,mode=0755")?;
    for name in DEVICES {
        let host = Path::new("/dev").join(name);
        let inside = dev.join(name);
        let random = *name == "random" || *name == "urandom";
        match cfg.seed {
            Some(seed) if random => {
                std::fs::write(&inside, seeded_bytes(seed, 1024 * 1024))
                    .map_err(|e| format!("{}: {e}", inside.display()))?;
                let _ = std::fs::set_permissions(&inside, std::fs::Permissions::from_mode(0o444));
            }
            _ if host.exists() => {
                make_mount_point(&inside, false)?;
                bind(&host, &inside, false)?;
            }
            _ => {}
        }
    }
    for (name, target) in [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ] {
        std::os::unix::fs::symlink(target, dev.join(name)).map_err(|e| e.to_string())?;
    }
    let shm = dev.join("shm");
    make_dir(&shm)?;
    mount_tmpfs(&shm, &format!("size={},mode=1777", cfg.written))?;
    // No more devices may be made in it.
    mount(
        None,
        dev,
        None,
        sys::MS_REMOUNT | sys::MS_BIND | sys::MS_RDONLY | sys::MS_NOSUID | sys::MS_NOEXEC,
        None,
    )
}

/// `len` bytes that are a function of `seed` alone (SplitMix64 of a
/// counter): the jail's /dev/urandom and /dev/random. The shim
/// (`seed.rs`) takes its own seed from their first 8 bytes.
fn seeded_bytes(seed: u64, len: usize) -> Vec<u8> {
    fn splitmix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let mut bytes = Vec::with_capacity(len + 8);
    let mut i = 0u64;
    while bytes.len() < len {
        bytes.extend_from_slice(&splitmix(seed.rotate_left(17) ^ splitmix(i)).to_le_bytes());
        i += 1;
    }
    bytes
}

/// A /proc for the new PID namespace, its kernel settings read-only; and
/// the namespace's own pid_max (Linux 6.14 or later), a kernel bound on how
/// many processes and threads the run may have at once, even as uid 0.
fn build_proc(cfg: &Config, proc: &Path) -> Result<(), String> {
    make_dir(proc)?;
    mount(
        Some(Path::new("proc")),
        proc,
        Some("proc"),
        sys::MS_NOSUID | sys::MS_NODEV | sys::MS_NOEXEC,
        None,
    )?;
    // Twice the caller's limit (see RLIMIT_NPROC in exec_program). The
    // kernel's least is 301; pids below 300 are not reused.
    let pid_max = (2 * cfg.processes).max(302);
    let _ = std::fs::write(proc.join("sys/kernel/pid_max"), pid_max.to_string());
    for name in PROC_READ_ONLY {
        let path = proc.join(name);
        if path.exists() {
            bind(&path, &path, true)?;
        }
    }
    Ok(())
}

/// pivot_root into `root`, and the old root detached: from here on only
/// the new tree exists for this process and its children.
fn pivot_root(root: &Path) -> Result<(), String> {
    std::env::set_current_dir(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let dot = c".";
    // SAFETY: both paths are NUL-terminated; pivot_root(".", ".") stacks
    // the old root on the new one, and the umount detaches it.
    unsafe {
        if sys::syscall(sys::SYS_PIVOT_ROOT, dot.as_ptr(), dot.as_ptr()) != 0 {
            return Err(os_error("pivot_root"));
        }
        if sys::umount2(dot.as_ptr(), sys::MNT_DETACH) != 0 {
            return Err(os_error("detaching the old root"));
        }
    }
    std::env::set_current_dir("/").map_err(|e| e.to_string())
}

fn cstring(path: &Path) -> Result<CString, String> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| format!("{path:?} has a NUL byte"))
}

fn mount(
    src: Option<&Path>,
    target: &Path,
    fstype: Option<&str>,
    flags: std::ffi::c_ulong,
    data: Option<&str>,
) -> Result<(), String> {
    let src = src.map(cstring).transpose()?;
    let target_c = cstring(target)?;
    let fstype = fstype.map(|s| CString::new(s).unwrap_or_default());
    let data = data.map(|s| CString::new(s).unwrap_or_default());
    let ptr = |c: &Option<CString>| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
    // SAFETY: every pointer is null or a NUL-terminated string that lives
    // across the call.
    let got = unsafe {
        sys::mount(
            ptr(&src),
            target_c.as_ptr(),
            ptr(&fstype),
            flags,
            ptr(&data).cast(),
        )
    };
    if got != 0 {
        return Err(os_error(format!("mounting {}", target.display())));
    }
    Ok(())
}

fn mount_tmpfs(target: &Path, options: &str) -> Result<(), String> {
    mount(
        Some(Path::new("tmpfs")),
        target,
        Some("tmpfs"),
        sys::MS_NOSUID | sys::MS_NODEV,
        Some(options),
    )
}

/// Binds `host` (with what is mounted under it) at `target`; read-only
/// where asked. No set-uid programs and no devices through it, except for
/// the devices themselves.
fn bind(host: &Path, target: &Path, read_only: bool) -> Result<(), String> {
    mount(Some(host), target, None, sys::MS_BIND | sys::MS_REC, None)
        .map_err(|e| format!("{e} (from {})", host.display()))?;
    let mut set = 0;
    if read_only {
        set |= sys::MOUNT_ATTR_RDONLY | sys::MOUNT_ATTR_NOSUID | sys::MOUNT_ATTR_NODEV;
    }
    if set == 0 {
        return Ok(());
    }
    let attr = sys::MountAttr {
        set,
        clr: 0,
        propagation: 0,
        userns_fd: 0,
    };
    let target_c = cstring(target)?;
    // SAFETY: a NUL-terminated path and a mount_attr of the kernel's
    // layout, both living across the call.
    let got = unsafe {
        sys::syscall(
            sys::SYS_MOUNT_SETATTR,
            sys::AT_FDCWD,
            target_c.as_ptr(),
            sys::AT_RECURSIVE,
            &attr,
            std::mem::size_of::<sys::MountAttr>(),
        )
    };
    if got == 0 {
        return Ok(());
    }
    remount_read_only(target)
}

/// Before Linux 5.12 (no mount_setattr): a read-only remount of the top
/// mount alone (mounts under it stay writable), keeping the flags a user
/// namespace may not change: the remount must repeat the source's locked
/// nosuid, nodev, noexec and atime flags, so try them in turn.
fn remount_read_only(target: &Path) -> Result<(), String> {
    let base = sys::MS_REMOUNT | sys::MS_BIND | sys::MS_RDONLY | sys::MS_NOSUID | sys::MS_NODEV;
    for exec in [0, sys::MS_NOEXEC] {
        for atime in [0, sys::MS_RELATIME, sys::MS_NOATIME, sys::MS_STRICTATIME] {
            if mount(None, target, None, base | exec | atime, None).is_ok() {
                return Ok(());
            }
        }
    }
    Err(os_error(format!("making {} read-only", target.display())))
}

fn make_dir(path: &Path) -> Result<(), String> {
    std::fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// An empty directory or file to mount on, and its parents.
fn make_mount_point(path: &Path, dir: bool) -> Result<(), String> {
    if dir {
        return make_dir(path);
    }
    if let Some(parent) = path.parent() {
        make_dir(parent)?;
    }
    if path.exists() {
        return Ok(());
    }
    std::fs::File::create(path)
        .map(drop)
        .map_err(|e| format!("{}: {e}", path.display()))
}
