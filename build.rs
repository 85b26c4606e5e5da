//! Writes one test of `tests/book.rs` for each check of the book
//! (`harness::checks::ALL`). Nothing here reads the book: the checks and
//! skeptic's blocks find what they check when the tests run, so an edited
//! chapter or listing runs no build script and compiles no test again.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    // The target skeptic compiles the chapters' blocks for.
    println!(
        "cargo:rustc-env=SKEPTIC_TARGET={}",
        std::env::var("TARGET").unwrap()
    );
    let checks: String = harness::checks::ALL
        .iter()
        .map(|c| format!("#[test]\nfn {0}() {{\n    check({0:?});\n}}\n\n", c.proves))
        .collect();
    std::fs::write(out_dir.join("book-checks.rs"), checks).unwrap();
}
