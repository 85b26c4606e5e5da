//! Gives the harness an identity for its cache (src/cache.rs): a hash of its
//! own sources and manifest, the sandbox crate's (how listings are
//! contained), and the workspace's Cargo.lock (the versions of mdBook,
//! typos, linkcheck2 it is built with). A verdict depends on
//! this code, not on the test binary that happens to run it, which cargo
//! relinks whenever the book's build script runs again.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

fn main() {
    // Run again in another checkout sharing this target directory, whose
    // files are elsewhere (see .cargo/config.toml).
    println!("cargo:rerun-if-env-changed=CBH_CHECKOUT");
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    // The sandbox is part of what a verdict depends on: how a listing's
    // build and program are contained decides what they can do.
    let sandbox = here.join("../sandbox");
    let mut files = vec![
        here.join("Cargo.toml"),
        here.join("build.rs"),
        here.join("../Cargo.lock"),
        sandbox.join("Cargo.toml"),
        sandbox.join("build.rs"),
    ];
    collect(&here.join("src"), &mut files);
    collect(&sandbox.join("src"), &mut files);
    collect(&sandbox.join("supervisor"), &mut files);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        file.strip_prefix(&here).unwrap_or(file).hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    println!(
        "cargo:rustc-env=HARNESS_SOURCE_HASH={:016x}",
        hasher.finish()
    );
}

fn collect(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, into);
        } else {
            into.push(path);
        }
    }
}
