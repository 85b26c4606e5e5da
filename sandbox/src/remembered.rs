//! For the sandbox's own tests (its unit tests and `tests/walls.rs`
//! include this file): a test whose pass is remembered until the sandbox,
//! its tests or the toolchain change.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::LazyLock;

/// What the sandbox's tests prove depends on: every file of the crate, and
/// the toolchain (`rustc -vV`), hashed once per test run.
static INPUTS: LazyLock<u64> = LazyLock::new(|| {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![here.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    let mut hasher = std::hash::DefaultHasher::new();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout);
    version.ok().hash(&mut hasher);
    for file in &files {
        file.strip_prefix(here).unwrap_or(file).hash(&mut hasher);
        std::fs::read(file).ok().hash(&mut hasher);
    }
    hasher.finish()
});

/// The sandbox's tests prove the sandbox, not a book, and some are heavy (a fork
/// bomb, 6 GiB of memory, 2 GiB written, cargo builds): each runs again
/// when the sandbox's code, its tests or the toolchain change, and its pass
/// is remembered otherwise (in cargo's directory for test files), as the
/// book's harness remembers the tests of its vendored skeptic. A failure is
/// never remembered. `CBH_NO_CACHE=1` runs them all.
pub fn unless_passed(name: &str, test: impl FnOnce()) {
    let mut hasher = std::hash::DefaultHasher::new();
    (name, *INPUTS).hash(&mut hasher);
    // cargo's directory for test files (`target/tmp`); unit tests are not
    // told it, and find it from where their executable is
    // (`target/debug/deps/…`).
    let tmp = option_env!("CARGO_TARGET_TMPDIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            Some(exe.parent()?.parent()?.parent()?.join("tmp"))
        })
        .unwrap_or_else(std::env::temp_dir);
    let marker = tmp
        .join("sandbox-passed")
        .join(format!("{name}-{:016x}", hasher.finish()));
    let use_cache = std::env::var_os("CBH_NO_CACHE").is_none_or(|v| v.is_empty() || v == "0");
    if use_cache && marker.exists() {
        return;
    }
    test();
    let _ = std::fs::create_dir_all(marker.parent().unwrap());
    let _ = std::fs::write(marker, "");
}
