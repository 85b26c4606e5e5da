//! Where the checkout is.

/// The root of the checkout this harness was built in. `.cargo/config.toml`
/// sets `CBH_CHECKOUT` for every build; reading it here makes it part of
/// what cargo compares before it reuses a build, so a target directory
/// shared by two checkouts never runs one checkout's tests on the other
/// (tests/checkouts.rs). Without the variable (cargo run from outside the
/// repository), the harness's own directory's parent.
pub fn checkout() -> &'static std::path::Path {
    let harness = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    match option_env!("CBH_CHECKOUT") {
        Some(dir) => std::path::Path::new(dir),
        None => harness.parent().unwrap_or(harness),
    }
}
