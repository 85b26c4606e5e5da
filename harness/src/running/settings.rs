//! How listings are run: the limits and where registry crates come from.

use std::path::PathBuf;
use std::time::Duration;

/// How long a listing may run before it is stopped and fails.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// How the listings are run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a listing's program (or a session's command) may run.
    pub time_limit: Duration,
    /// Where the listings' registry crates come from.
    pub registry: Registry,
    /// The processor time a build may take: this much, and more for each
    /// listing it builds (a busy machine compiles slowly; a build past it
    /// never ends, and is stopped naming the crate).
    pub build_cpu_base: Duration,
    pub build_cpu_per_listing: Duration,
    /// Whether long work shows its progress (on a terminal).
    pub progress: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            time_limit: TIME_LIMIT,
            registry: Registry::default(),
            build_cpu_base: Duration::from_secs(60),
            build_cpu_per_listing: Duration::from_secs(5),
            progress: false,
        }
    }
}

/// Where the listings' registry crates come from: the author's cargo home
/// (`CARGO_HOME`, else `~/.cargo`), whose registry cache a contained build
/// reads; and whether cargo may reach the registry to fetch what is
/// missing (not when `CARGO_NET_OFFLINE` is set).
#[derive(Debug, Clone)]
pub struct Registry {
    pub cargo_home: PathBuf,
    pub offline: bool,
}

impl Default for Registry {
    fn default() -> Registry {
        Registry {
            cargo_home: std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
                .unwrap_or_default(),
            offline: std::env::var_os("CARGO_NET_OFFLINE")
                .is_some_and(|v| !v.is_empty() && v != "false" && v != "0"),
        }
    }
}
