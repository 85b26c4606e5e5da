//! What a contribution may not bring into a listing: a dependency from
//! anywhere but the registry (a git repository, another registry, a path
//! out of the listing), refused before anything is fetched; and cargo or
//! rustup configuration, which the reader's `cargo run` would not obey.

use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_dependency_from_elsewhere_is_refused_before_anything_is_fetched() {
    proven(|| {
        let book = Book::new();
        let manifest = format!("{LISTING}/Cargo.toml");
        let original = std::fs::read_to_string(book.root().join(&manifest)).unwrap();
        for (spec, said) in [
            (
                r#"rand = { git = "https://127.0.0.1:9/rand.git" }"#,
                "comes from a git repository",
            ),
            (
                r#"rand = { version = "0.8", registry = "elsewhere" }"#,
                "comes from another registry",
            ),
            (
                r#"helper = { path = "../listing-01-02" }"#,
                "comes from a path out of the listing",
            ),
        ] {
            let with = original.replace("[dependencies]\n", &format!("[dependencies]\n{spec}\n"));
            book.write(&manifest, &with);
            let problems = book.outputs(Duration::from_secs(10));
            let line = with.lines().position(|l| l == spec).unwrap() + 1;
            assert_problem(&problems, &format!("{manifest}:{line}"), said);
            let report = harness::book::problem::report(problems).unwrap_err();
            assert!(
                !report.contains("could not fetch"),
                "nothing is fetched: {report}"
            );
        }
    });
}

#[test]
fn cargo_or_rustup_configuration_in_a_listing_is_refused() {
    proven(|| {
        let book = Book::new();
        for file in [".cargo/config.toml", "rust-toolchain.toml"] {
            let path = format!("{LISTING}/{file}");
            book.write(&path, "[build]\nrustflags = [\"--cfg\", \"forged\"]\n");
            assert_problem(
                &book.outputs(Duration::from_secs(10)),
                &path,
                "a listing may not carry cargo or rustup configuration",
            );
            assert_problem(
                &book.lints(),
                &path,
                "a listing may not carry cargo or rustup configuration",
            );
            book.remove(&path);
        }
    });
}

/// A program runs as the reader's `cargo run` runs it, in a project that
/// names nothing of this machine: its working directory, home, name and
/// path are the same on every machine, so they may be recorded.
#[test]
fn a_program_sees_a_readers_project_and_nothing_of_this_machine() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(
                "    println!(\"{}\", std::env::current_dir().unwrap().display());\n\
                 \x20   println!(\"{}\", std::env::args().next().unwrap());\n\
                 \x20   println!(\"{}\", std::env::var(\"HOME\").unwrap());\n\
                 \x20   println!(\"{}\", std::env::current_exe().unwrap().display());\n",
            ),
        );
        book.write(
            &format!("{LISTING}/output.txt"),
            "/home/reader/listing-01-01\ntarget/debug/listing-01-01\n/home/reader\n\
             /home/reader/listing-01-01/target/debug/listing-01-01\n",
        );
        let problems: Vec<_> = outputs(&book)
            .into_iter()
            .filter(|p| p.file.starts_with(LISTING))
            .collect();
        assert!(problems.is_empty(), "{problems:?}");
    });
}

/// A path of this machine compiled into the program (the listing's
/// directory, as the checks build it) is refused before it is recorded:
/// outputs are published.
#[test]
fn an_output_that_holds_a_path_of_this_machine_is_refused() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing("    println!(\"built in {}\", env!(\"CARGO_MANIFEST_DIR\"));\n"),
        );
        let problems = outputs(&book);
        assert_problem(&problems, LISTING, "holds a path of this machine");
        let report = harness::book::problem::report(problems).unwrap_err();
        assert!(report.contains("/home/reader/NAME"), "{report}");
    });
}

/// A listing's build script waits for another listing's program to be
/// built, then swaps it for one that prints what the book recorded for it.
/// Built alone, in a target directory of its own, it never sees the other
/// listings' build: the listing it aimed at, broken, fails as it should.
#[test]
fn a_build_script_cannot_swap_another_listings_program() {
    proven(|| {
        let book = Book::new();
        // Listing 1-1, broken: it prints 4 cars, its output.txt says 3.
        book.edit(
            &format!("{LISTING}/src/main.rs"),
            "let cars = 3;",
            "let cars = 4;",
        );
        book.write(
            &format!("{PANICS}/build.rs"),
            r##"use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let victim = out.join("../../../listing-01-01");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(6) {
        if victim.exists() {
            std::thread::sleep(Duration::from_millis(300));
            let _ = std::fs::remove_file(&victim);
            let _ = std::fs::write(&victim, "#!/bin/sh\necho 'a train of 3 cars'\n");
            let _ = std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o755));
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
"##,
        );
        let problems = outputs(&book);
        assert_problem(
            &problems,
            &format!("{LISTING}/output.txt"),
            "a train of 4 cars",
        );
    });
}
