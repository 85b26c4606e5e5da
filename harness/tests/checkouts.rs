//! A run checks the checkout it runs in. Two checkouts may share one
//! CARGO_TARGET_DIR (benchmarks and CI caches do); cargo names the builds
//! of a workspace's own crates without their path, so without care, a
//! `cargo test` in one checkout would run the test binaries built in the
//! other, which check the other's book. `.cargo/config.toml` sets
//! CBH_CHECKOUT, which the harness reads when it is compiled: cargo sees
//! the value change and rebuilds.

use std::path::{Path, PathBuf};
use std::process::Command;

fn real(path: impl AsRef<Path>) -> PathBuf {
    path.as_ref().canonicalize().unwrap()
}

/// The harness these tests run was built in the checkout cargo runs them
/// in (cargo sets CARGO_MANIFEST_DIR when it runs a test, not only when it
/// builds one).
#[test]
fn the_tests_were_built_in_the_checkout_they_run_in() {
    let running_in = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo");
    // This test is the harness package's: the checkout is its parent.
    let running_in = Path::new(&running_in).parent().unwrap().to_path_buf();
    assert_eq!(
        real(harness::checkout()),
        real(&running_in),
        "these test binaries were built in another checkout ({}), which shares this target \
         directory; cargo should have rebuilt them here (.cargo/config.toml's CBH_CHECKOUT)",
        harness::checkout().display()
    );
}

/// Two clones of this repository on one target directory: a listing's
/// output broken in the second must fail the second's `cargo test`, after
/// the first's passed. The directory starts with what this checkout built,
/// as a shared cache would (`seed`), so each clone builds only what is its
/// own. A minute of building, so `.ci/run` runs it (`cargo xtask test
/// --long`); `cargo test` does not.
#[test]
#[ignore = "builds the book's tests in a target directory of its own; .ci/run runs it"]
fn two_clones_on_one_target_dir_each_check_their_own_book() {
    let here = real(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap());
    let work = tempfile::tempdir().unwrap();
    let target = work.path().join("shared-target");
    seed(&target);
    let clone = |name: &str| {
        let dir = work.path().join(name);
        let status = Command::new("git")
            .args(["clone", "--quiet", "--no-hardlinks"])
            .arg(&here)
            .arg(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "git clone");
        dir
    };
    let (first, second) = (clone("first"), clone("second"));
    let listing = "listings/ch01-why-systems-programming/listing-01-01/output.txt";
    let output = second.join(listing);
    let text = std::fs::read_to_string(&output).unwrap();
    std::fs::write(
        &output,
        format!("{text}a line the program does not print\n"),
    )
    .unwrap();

    let cargo_test = |dir: &Path| {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["test", "--test", "book"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("CBH_CHECKOUT")
            .env_remove("CARGO_MANIFEST_DIR")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    };
    let (passed, text) = cargo_test(&first);
    assert!(passed, "the first clone, unbroken, must pass:\n{text}");
    let (passed, text) = cargo_test(&second);
    assert!(
        !passed,
        "the second clone's broken output passed: its run checked the first clone"
    );
    assert!(text.contains(listing), "{text}");
}

/// Fills `target` with a copy of this checkout's debug builds (the
/// dependencies' and this checkout's own crates, with cargo's records of
/// them; `cp -a` keeps their times), as a CI cache shared by checkouts
/// would: a few seconds of copying instead of a minute of compiling the
/// dependencies again. The clones must still rebuild their own crates.
fn seed(target: &Path) {
    let ours = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("cargo's tmp directory is in the target directory")
        .join("debug");
    let debug = target.join("debug");
    std::fs::create_dir_all(&debug).unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .args(["deps", "build", ".fingerprint"].map(|d| ours.join(d)))
        .arg(&debug)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "copying {} into {}",
        ours.display(),
        debug.display()
    );
}
