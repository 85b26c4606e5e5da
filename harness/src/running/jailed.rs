//! Compiling is contained like running. Every cargo the checks start on a
//! listing (`cargo build`, `cargo clippy`, `cargo fmt`, a session's `cargo
//! run`) runs in the sandbox (the `sandbox` crate), so a listing's build
//! script, a proc-macro, or `include_str!` of a file outside runs with:
//!
//! - a fixed environment: none of the author's variables, the toolchain's
//!   own `cargo` and `rustc` (not the rustup proxies, which would need the
//!   author's home), offline;
//! - a read-only view of only what a build needs: the toolchain (its
//!   sysroot), cargo's registry cache (read-only, inside a `CARGO_HOME` of
//!   the checks' own, where cargo keeps its locks), and the listings to
//!   build; writes only to the build's target directory and a scratch
//!   directory;
//! - limits that grow with the number of listings built at once, and a stop
//!   that names the crate rustc was compiling when a build never ends.
//!
//! The registry crates are fetched before, outside the sandbox, by `cargo
//! fetch` (stage.rs), which downloads and runs nothing of the listings'.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use sandbox::{Jail, Limits, Scratch};

use crate::book::problem::Problem;

/// The toolchain the checks build with.
#[derive(Debug)]
pub struct Toolchain {
    /// `rustc --print sysroot`: its `bin/` holds cargo, rustc, clippy and
    /// rustfmt.
    pub sysroot: PathBuf,
}

/// The toolchain of the `rustc` that `RUSTC` or the `PATH` names, found
/// once.
pub fn toolchain() -> Result<&'static Toolchain, Problem> {
    static FOUND: OnceLock<Result<Toolchain, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
            let out = Command::new(&rustc)
                .args(["--print", "sysroot"])
                .output()
                .map_err(|e| format!("could not run {rustc}: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "`{rustc} --print sysroot` failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            Ok(Toolchain { sysroot })
        })
        .as_ref()
        .map_err(|e| {
            Problem::machine(
                "Cargo.toml",
                format!("the Rust toolchain could not be found: {e}"),
            )
        })
}

/// Where a contained cargo works: the directory it runs in (read-only to
/// it), the directories it may write (a target directory), and a
/// directory of the checks' own for its `CARGO_HOME`.
#[derive(Debug)]
pub struct Cargo<'a> {
    pub dir: &'a Path,
    /// Whose registry cache it reads.
    pub registry: &'a crate::running::settings::Registry,
    pub writable: Vec<&'a Path>,
    pub readable: Vec<&'a Path>,
    pub home: &'a Path,
}

impl Cargo<'_> {
    /// `cargo ARGS`, contained, in a fresh scratch directory (its working
    /// directory and `HOME`); the workspace is `dir`'s `Cargo.toml`. The
    /// scratch directory lives as long as the command is used.
    pub fn command(&self, args: &[&str]) -> Result<(Command, Scratch), Problem> {
        let toolchain = toolchain()?;
        let scratch = Scratch::new().map_err(|e| {
            Problem::machine("Cargo.toml", format!("a scratch directory for cargo: {e}"))
        })?;
        let bin = toolchain.sysroot.join("bin");
        std::fs::create_dir_all(self.home.join("registry"))
            .map_err(|e| Problem::machine("Cargo.toml", format!("{}: {e}", self.home.display())))?;
        let mut jail = Jail::new(scratch.path())
            .readable(&toolchain.sysroot)
            .writable(self.home)
            .mount_readonly(
                &self.registry.cargo_home.join("registry"),
                &self.home.join("registry"),
            )
            .env(
                "PATH",
                format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
            )
            .env("CARGO_HOME", self.home)
            .env("RUSTC", bin.join("rustc"))
            .env("CARGO_NET_OFFLINE", "true")
            .env("CARGO_TERM_COLOR", "never")
            .env("CARGO_TERM_PROGRESS_WHEN", "never");
        let _ = std::fs::create_dir_all(self.registry.cargo_home.join("registry"));
        for dir in &self.writable {
            let _ = std::fs::create_dir_all(dir);
            jail = jail.writable(dir);
        }
        jail = jail.readable(self.dir);
        for dir in &self.readable {
            jail = jail.readable(dir);
        }
        let mut cmd = Command::new(bin.join("cargo"));
        // The subcommand, then the workspace, then the rest (which may hold
        // a `--` for the tool cargo runs).
        let (sub, rest) = args.split_first().unwrap_or((&"build", &[]));
        cmd.arg(sub)
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .args(rest);
        jail.apply(&mut cmd).map_err(|e| {
            Problem::machine("Cargo.toml", format!("the sandbox could not start: {e}"))
        })?;
        Ok((cmd, scratch))
    }
}

/// What a contained cargo gave: what it wrote to stdout, to stderr, and how
/// it exited.
#[derive(Debug)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: std::process::ExitStatus,
}

impl Cargo<'_> {
    /// Runs `cargo ARGS` contained, within `limits`: what it printed, or
    /// the problem (a stop names what cargo was doing).
    pub fn run(&self, args: &[&str], limits: Limits) -> Result<Output, Problem> {
        let (cmd, _scratch) = self.command(args)?;
        match sandbox::terminal::run(cmd, &mut std::iter::empty(), false, limits) {
            Ok(ran) => Ok(Output {
                stdout: ran.shown,
                stderr: ran.stderr,
                status: ran.status,
            }),
            Err(sandbox::Stopped::CouldNotStart(e)) => Err(Problem::machine(
                "Cargo.toml",
                format!("`cargo {}` could not be started: {e}", args.join(" ")),
            )),
            Err(sandbox::Stopped::TimedOut { shown, limit, .. })
                if let Some(manifest) = build_script_that_never_finished(shown.as_bytes()) =>
            {
                // The listing's own path, from the staged copy's.
                let listing: std::path::PathBuf = manifest
                    .components()
                    .skip_while(|c| c.as_os_str() != "listings")
                    .collect();
                Err(Problem::new(
                    listing.with_file_name("build.rs"),
                    None,
                    format!(
                        "`cargo {}` was stopped: this build script had not finished, and the \
                         build had waited {} s with nothing of it running. Does it leave a \
                         process running (one that holds cargo's output open keeps the build \
                         waiting)? A build script waits for what it starts",
                        args.first().unwrap_or(&""),
                        limit.as_secs()
                    ),
                ))
            }
            Err(stopped) => Err(Problem::new(
                "Cargo.toml",
                None,
                format!(
                    "`cargo {}` was stopped: it {stopped}",
                    args.first().unwrap_or(&"")
                ),
            )),
        }
    }
}

/// The manifest of the package whose build script cargo built but never
/// reported as run, from cargo's JSON messages: the script still running
/// when the build was stopped.
pub fn build_script_that_never_finished(messages: &[u8]) -> Option<std::path::PathBuf> {
    let mut built = Vec::new();
    let mut ran = std::collections::BTreeSet::new();
    for message in cargo_metadata::Message::parse_stream(messages).flatten() {
        match message {
            cargo_metadata::Message::CompilerArtifact(a)
                if a.target.kind.iter().any(|k| k == "custom-build") =>
            {
                built.push((a.package_id, a.manifest_path));
            }
            cargo_metadata::Message::BuildScriptExecuted(b) => {
                ran.insert(b.package_id);
            }
            _ => {}
        }
    }
    built
        .into_iter()
        .find(|(id, _)| !ran.contains(id))
        .map(|(_, manifest)| manifest.into_std_path_buf())
}

/// What a build of `listings` listings at once may use (`settings` says
/// how much processor time): a busy machine is slow, so the time is
/// generous; a build that passes it never ends.
pub fn build_limits(listings: usize, settings: &crate::running::settings::Settings) -> Limits {
    let n = listings.max(1) as u64;
    let cpu = settings.build_cpu_base + settings.build_cpu_per_listing * n as u32;
    Limits {
        // Waiting (a build script that never returns): a build that
        // computes is held by its processor time, whatever the load.
        time: cpu * 4,
        cpu,
        // The last resort, far above: a busy machine may give a build a
        // small share of a processor.
        wall: (cpu * 20).max(std::time::Duration::from_secs(600)),
        output_bytes: (16 << 20) + (256 << 10) * n as usize,
        memory_bytes: 8 << 30,
        written_bytes: (1 << 30) + (64 << 20) * n,
        ..Limits::default()
    }
}

/// The crate rustc was compiling, from a stopped build's busiest command
/// line (`rustc --crate-name listing_03_05 …`), as the package's name.
pub fn crate_being_compiled(busiest: Option<&str>) -> Option<String> {
    let words: Vec<&str> = busiest?.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "--crate-name")?;
    Some(words.get(at + 1)?.replace('_', "-"))
}
