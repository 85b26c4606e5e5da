//! Builds the two programs the sandbox runs beside the program under test,
//! each from one std-only source file, with the same `rustc` as the crate:
//!
//! - `supervisor/main.rs`, the supervisor (see its docs), which
//!   `Jail::apply` finds by `env!("CBH_SANDBOX_SUPERVISOR")`;
//! - `supervisor/seed.rs`, the seeded-randomness shim (a `cdylib`), found
//!   by `env!("CBH_SANDBOX_SEED_SHIM")`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let supervisor = out.join("cbh-supervisor");
    let shim = out.join("libcbh_seed.so");
    compile(Path::new("supervisor/main.rs"), "bin", &[], &supervisor);
    compile(
        Path::new("supervisor/seed.rs"),
        "cdylib",
        &["-C", "panic=abort"],
        &shim,
    );
    println!(
        "cargo:rustc-env=CBH_SANDBOX_SUPERVISOR={}",
        supervisor.display()
    );
    println!("cargo:rustc-env=CBH_SANDBOX_SEED_SHIM={}", shim.display());
    println!("cargo:rerun-if-changed=supervisor");
    println!("cargo:rerun-if-changed=build.rs");
}

fn compile(source: &Path, crate_type: &str, extra: &[&str], output: &Path) {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let status = Command::new(rustc)
        .arg(source)
        .args(["--edition", "2024", "--crate-type", crate_type])
        .args(["--target", &target, "-C", "opt-level=2", "-D", "warnings"])
        .args(extra)
        .arg("-o")
        .arg(output)
        .status()
        .unwrap_or_else(|e| panic!("running rustc for {}: {e}", source.display()));
    assert!(status.success(), "rustc failed on {}", source.display());
}
