//! Generates one skeptic test for every `rust` block of every chapter, as the
//! reader sees it: mdBook's own preprocessors expand `{{#rustdoc_include}}`
//! first, then skeptic compiles and runs each block (see tests/skeptic.rs).

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    // What decides which blocks skeptic gets, and what they say: the
    // chapters, each listing's Cargo.toml (its declared outcome), and the
    // files the skeptic-bound blocks include (below). Not the listings'
    // sources: a block that shows a listing's file is left to the listings
    // check, so editing a listing does not rebuild the tests.
    // And the checkout: another one sharing this target directory has other
    // chapters (see .cargo/config.toml).
    println!("cargo:rerun-if-env-changed=CBH_CHECKOUT");
    for watched in ["book.toml", "src", "tests/skeptic"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    for chapter in std::fs::read_dir(root.join("listings"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for listing in std::fs::read_dir(chapter.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            println!(
                "cargo:rerun-if-changed={}",
                listing.path().join("Cargo.toml").display()
            );
        }
    }
    println!(
        "cargo:rustc-env=SKEPTIC_TARGET={}",
        std::env::var("TARGET").unwrap()
    );

    // Markdown files of the harness's own, with blocks that test skeptic itself.
    let extra = markdown_in(&root, Path::new("tests/skeptic"));
    let generated = out_dir.join("skeptic-tests.rs");
    let snippets = match harness::snippets::write_for_skeptic(
        &root,
        &extra,
        &out_dir.join("snippets"),
    ) {
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
