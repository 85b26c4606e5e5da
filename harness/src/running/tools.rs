//! The tools the harness runs: the pinned mdbook that `cargo xtask serve`
//! installs with `cargo install --locked` on first use, and the toolchain's
//! own (rustc, cargo, clippy, rustfmt), whose versions are facts a verdict
//! rests on. (Link checking and spelling need no binary: they run through
//! their libraries, pinned in harness/Cargo.toml.)

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

pub struct Tool {
    /// The crate `cargo install` takes.
    pub name: &'static str,
    /// The program it installs.
    pub binary: &'static str,
    pub version: &'static str,
}

pub const MDBOOK: Tool = Tool {
    name: "mdbook",
    binary: "mdbook",
    version: "0.5.4",
};
/// The bin directory where `cargo install` puts tools: under
/// `CARGO_INSTALL_ROOT`, else `CARGO_HOME`, else `~/.cargo`.
fn cargo_bin_dir() -> PathBuf {
    let root = std::env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| std::env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    root.join("bin")
}

impl Tool {
    /// Path of the installed binary at the pinned version, installing it if
    /// it is missing or at another version.
    pub fn ensure(&self) -> Result<PathBuf, String> {
        // Tests that need a tool run in parallel; one of them installs it.
        static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one_at_a_time = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
        let exe = cargo_bin_dir().join(self.binary);
        if self.installed_version(&exe) {
            return Ok(exe);
        }
        eprintln!(
            "Installing {} {} (first use; this takes a few minutes)...",
            self.name, self.version
        );
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["install", "--locked", self.name, "--version", self.version])
            .status()
            .map_err(|e| format!("could not run cargo install: {e}"))?;
        if !status.success() || !self.installed_version(&exe) {
            return Err(format!(
                "`cargo install --locked {} --version {}` failed",
                self.name, self.version
            ));
        }
        Ok(exe)
    }

    fn installed_version(&self, exe: &std::path::Path) -> bool {
        Command::new(exe).arg("--version").output().is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .any(|w| w.trim_start_matches('v') == self.version)
        })
    }
}

/// A tool's account of its version, asked once per run (a test thread
/// that asks while another is asking waits for its answer). cargo is asked
/// `-V`, which names its release and commit: `-vV` also asks the system
/// for its name (`lsb_release`), a process tree per run that no verdict
/// needs.
pub fn tool_version(name: &str) -> String {
    type Once = std::sync::Arc<std::sync::OnceLock<String>>;
    static VERSIONS: LazyLock<std::sync::Mutex<BTreeMap<String, Once>>> =
        LazyLock::new(Default::default);
    let once = Once::clone(
        VERSIONS
            .lock()
            .unwrap()
            .entry(name.to_string())
            .or_default(),
    );
    once.get_or_init(|| ask_version(name)).clone()
}

fn ask_version(name: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let (program, args): (String, &[&str]) = match name {
        "rustc" => (
            std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()),
            &["-vV"],
        ),
        "cargo" => (cargo, &["-V"]),
        "clippy" => (cargo, &["clippy", "-V"]),
        "rustfmt" => (cargo, &["fmt", "--version"]),
        other => (other.to_string(), &["--version"]),
    };
    match std::process::Command::new(&program).args(args).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => format!("{program} failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => format!("{program}: {e}"),
    }
}
