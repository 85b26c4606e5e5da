//! Generates one skeptic test for every `rust` block of every chapter, as the
//! reader sees it: mdBook's own preprocessors expand `{{#rustdoc_include}}`
//! first, then skeptic compiles and runs each block (see tests/skeptic.rs).

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    // The checkout: another one sharing this target directory has other
    // chapters (see .cargo/config.toml).
    println!("cargo:rerun-if-env-changed=CBH_CHECKOUT");
    println!(
        "cargo:rustc-env=SKEPTIC_TARGET={}",
        std::env::var("TARGET").unwrap()
    );

    // The book, read once; what decides which blocks skeptic gets, and
    // what they say, is what was read of it (below).
    // One test of tests/book.rs for each check of the book.
    let checks: String = harness::checks::ALL
        .iter()
        .map(|c| format!("#[test]\nfn {0}() {{\n    check({0:?});\n}}\n\n", c.proves))
        .collect();
    std::fs::write(out_dir.join("book-checks.rs"), checks).unwrap();

    let checker = harness::engine::checker::Checker::with_work(&root, &out_dir.join("work"));
    let book = harness::engine::trace::Reader::new(&checker.book);
    // Markdown files of the harness's own, with blocks that test skeptic itself.
    println!("cargo:rerun-if-changed=tests/skeptic");
    let extra = markdown_in(&root, Path::new("tests/skeptic"));
    let generated = out_dir.join("skeptic-tests.rs");
    let snippets =
        harness::snippets::write_for_skeptic(&checker, &book, &extra, &out_dir.join("snippets"));
    // Run again when what decides the blocks changes: book.toml, the
    // chapters, each listing's Cargo.toml (its declared outcome), and the
    // files the skeptic-bound blocks include (below); not the listings'
    // sources: a block that shows a listing's file is left to the listings
    // check, so editing a listing does not rebuild the tests.
    println!("cargo:rerun-if-changed=book.toml");
    println!("cargo:rerun-if-changed={}", checker.book.src().display());
    for listing in checker.book.listings() {
        println!(
            "cargo:rerun-if-changed={}",
            listing.rel.join("Cargo.toml").display()
        );
    }
    let snippets = match snippets {
        Ok(snippets) => snippets,
        Err(problem) => {
            // Report it as a failing test rather than a failed build, so the
            // other checks still run and say more about what is wrong.
            let test = format!(
                "#[test]\nfn skeptic_could_not_read_the_book() {{\n    panic!(\"{{}}\", {problem:?});\n}}\n"
            );
            std::fs::write(&generated, test).unwrap();
            return;
        }
    };
    for included in snippets.iter().flat_map(|s| &s.includes) {
        println!("cargo:rerun-if-changed={}", included.display());
    }
    let files: Vec<&Path> = snippets.iter().map(|s| s.markdown.as_path()).collect();
    skeptic::generate_doc_tests(&files);
    let text = std::fs::read_to_string(&generated).unwrap();
    let annotated = harness::snippets::annotate(&text, &snippets).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&generated, annotated).unwrap();
}

fn markdown_in(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| dir.join(e.file_name()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}
