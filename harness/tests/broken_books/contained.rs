//! Hostile and careless listings: whatever a program under test (or its build) does, the
//! repository, the machine and the run stay clean and bounded, and the author reads what it did.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::fixture::*;
use crate::listings::*;

#[test]
fn a_listing_that_writes_its_own_file_passes_and_leaves_the_book_clean() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(
                "    std::fs::write(\"train.txt\", \"3 cars\").expect(\"writes its file\");\n    \
             let cars = std::fs::read_to_string(\"train.txt\").expect(\"reads it back\");\n    \
             println!(\"a train of {cars}\");\n",
            ),
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert!(problems.is_empty(), "{problems:#?}");
        let mut files = BTreeMap::new();
        read_tree(book.root(), Path::new(""), &mut files);
        let litter: Vec<_> = files.keys().filter(|p| p.ends_with("train.txt")).collect();
        assert!(
            litter.is_empty(),
            "the listing's file landed in the book: {litter:?}"
        );
    });
}

#[test]
fn a_listing_that_writes_outside_its_directory_fails_and_writes_nothing() {
    proven(|| {
        let book = Book::new();
        // Beside the book (which the program cannot see), and at the root of
        // the file system (which it sees read-only, or not at all).
        let beside = book.root().join("escaped-absolute.txt");
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(&format!(
            "    let _ = std::fs::write(\"../../../../escaped-relative.txt\", \"out\");\n    \
             let _ = std::fs::write({beside:?}, \"out\");\n    \
             std::fs::write(\"/escaped-absolute.txt\", \"out\").expect(\"writes beside the book\");\n    \
             println!(\"a train of 3 cars\");\n",
        )),
    );
        let problems = book.outputs(Duration::from_secs(10));
        for name in ["escaped-relative.txt", "escaped-absolute.txt"] {
            let landed = landing_places(&book, name);
            for path in &landed {
                let _ = std::fs::remove_file(path);
            }
            assert!(landed.is_empty(), "the listing wrote {landed:?}");
        }
        assert_problem(&problems, LISTING, "writes beside the book: Os {");
        assert_problem(&problems, LISTING, "may write there and nowhere else");
    });
}

#[test]
fn a_listing_that_leaves_a_process_running_fails_at_once_and_leaves_nothing() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(
                "    std::process::Command::new(\"sleep\")\n        .arg(\"613\")\n        \
             .spawn()\n        .expect(\"starts sleep\");\n    println!(\"a train of 3 cars\");\n",
            ),
        );
        // Stopped because it left `sleep` running (not by the time limit).
        let problems = book.outputs(Duration::from_secs(20));
        assert_problem(&problems, LISTING, "left a process running (sleep)");
        let sleeping = std::fs::read_dir("/proc").unwrap().flatten().any(|p| {
            std::fs::read(p.path().join("cmdline")).is_ok_and(|c| c == b"sleep\x00613\x00")
        });
        assert!(!sleeping, "the listing's `sleep 613` still runs");
    });
}

#[test]
fn a_listing_that_prints_without_end_is_stopped_at_the_output_limit() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    let chunk = \"x\".repeat(64 * 1024);\n    loop {\n        println!(\"{chunk}\");\n    }\n",
        ),
    );
        // Stopped by the output limit, not the time limit.
        let problems = book.outputs(Duration::from_secs(20));
        assert_problem(&problems, LISTING, "printed more than 1024 KB");
    });
}

/// A build script runs in the sandbox: it reads no file of the machine,
/// writes nothing outside the build, has no network, and what it leaves
/// running is killed and named.
#[test]
fn a_build_script_is_contained() {
    proven(|| {
        let book = Book::new();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "a-secret-of-the-machine").unwrap();
        let planted = outside.path().join("planted.txt");
        book.write(
            &format!("{LISTING}/build.rs"),
            &format!(
                "fn main() {{\n    \
             let read = std::fs::read_to_string({secret:?}).is_ok();\n    \
             let wrote = std::fs::write({planted:?}, \"x\").is_ok();\n    \
             let net = std::net::TcpStream::connect(\"1.1.1.1:443\").is_ok();\n    \
             println!(\"cargo:rustc-env=LEAK=read={{read}} wrote={{wrote}} net={{net}}\");\n}}\n"
            ),
        );
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing("    println!(\"a train of 3 cars {}\", env!(\"LEAK\"));\n"),
        );
        let problems = book.outputs(Duration::from_secs(10));
        assert_problem(
            &problems,
            &format!("{LISTING}/output.txt"),
            "a train of 3 cars read=false wrote=false net=false",
        );
        assert!(!planted.exists(), "the build script wrote outside");
    });
}

/// `include_str!` of a file of the machine does not compile: the build
/// sees only the toolchain, the registry and the listing.
#[test]
fn a_listing_that_includes_a_file_of_the_machine_does_not_compile() {
    proven(|| {
        let book = Book::new();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, "a-secret-of-the-machine").unwrap();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(&format!(
                "    println!(\"a train of 3 cars{{}}\", include_str!({secret:?}));\n"
            )),
        );
        let problems = book.outputs(Duration::from_secs(10));
        let report = harness::book::problem::report(problems.clone()).unwrap_err();
        assert!(report.contains("does not compile"), "{report}");
        assert!(!report.contains("a-secret-of-the-machine"), "{report}");
    });
}

/// A `const` whose evaluation never ends is stopped by rustc's processor
/// time, and the listing it was compiling is named.
#[test]
fn an_endless_const_is_stopped_naming_its_listing() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        "#![allow(long_running_const_eval)]\n\nconst CARS: u64 = {\n    let mut i = 0u64;\n    \
         loop {\n        i = i.wrapping_add(1);\n    }\n};\n\nfn main() {\n    // ANCHOR: here\n    \
         println!(\"a train of {CARS} cars\");\n    // ANCHOR_END: here\n}\n",
    );
        let mut checker = book.checker();
        checker.settings.build_cpu_per_listing = Duration::ZERO;
        checker.settings.build_cpu_base = Duration::from_secs(3);
        let problems = harness::checks::run(
            &checker,
            "every_listing_compiles_and_prints_what_the_book_shows",
        );
        assert_problem(
            &problems,
            &format!("{LISTING}/src/main.rs"),
            "its build was stopped: rustc was still compiling it after 3 s of processor time",
        );
    });
}

/// A build script that leaves a process holding cargo's output open keeps
/// the build waiting: it is stopped at the build's time limit, naming the
/// listing's build.rs (not the workspace, nor a line of cargo's JSON), and
/// what it started is gone.
#[test]
fn a_build_script_that_leaves_a_process_running_is_stopped_naming_it() {
    proven(|| {
        let book = Book::new();
        book.write(
            &format!("{LISTING}/build.rs"),
            "fn main() {\n    // A helper left running, as a careless build script might.\n    \
             let _ = std::process::Command::new(\"sh\")\n        .args([\"-c\", \"sleep 300 &\"])\n        \
             .status();\n}\n",
        );
        let mut checker = book.checker();
        checker.settings.build_cpu_per_listing = Duration::ZERO;
        checker.settings.build_cpu_base = Duration::from_secs(2);
        for check in [
            "every_listing_compiles_and_prints_what_the_book_shows",
            "every_listing_is_rustfmt_and_clippy_clean_or_says_why_not",
        ] {
            let problems = harness::checks::run(&checker, check);
            assert_problem(
                &problems,
                &format!("{LISTING}/build.rs"),
                "build script had not finished, and the build had waited 8 s with nothing of it running",
            );
            let report = harness::book::problem::report(problems).unwrap_err();
            assert!(!report.contains("compiler-artifact"), "{report}");
        }
    });
}

/// A program that holds more memory than the limit, or writes more than
/// its limit into its directory, is stopped naming the limit.
#[test]
fn a_program_over_its_memory_or_its_writes_is_stopped_naming_it() {
    proven(|| {
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    let mut kept: Vec<Vec<u8>> = Vec::new();\n    for _ in 0..6 * 1024 {\n        \
             kept.push(vec![1; 1 << 20]);\n    }\n    println!(\"a train of {} cars\", kept.len());\n",
        ),
    );
        assert_problem(
            &book.outputs(Duration::from_secs(60)),
            LISTING,
            "used more than 4 GiB of memory",
        );
        // Small files written again and again: 2 GiB in all.
        let book = Book::new();
        book.write(
            &format!("{LISTING}/src/main.rs"),
            &tiny_listing(
                "    let chunk = vec![0u8; 1 << 20];\n    for i in 0..2048 {\n        \
             std::fs::write(format!(\"car-{}.bin\", i % 64), &chunk).unwrap();\n    }\n    \
             println!(\"a train of 3 cars\");\n",
            ),
        );
        assert_problem(
            &book.outputs(Duration::from_secs(60)),
            LISTING,
            "wrote more than 1 GiB",
        );
        // One file that grows without end.
        let book = Book::new();
        book.write(
        &format!("{LISTING}/src/main.rs"),
        &tiny_listing(
            "    use std::io::Write;\n    let mut file = std::fs::File::create(\"cars.bin\").unwrap();\n    \
             let chunk = vec![0u8; 1 << 20];\n    loop {\n        file.write_all(&chunk).unwrap();\n    }\n",
        ),
    );
        assert_problem(
            &book.outputs(Duration::from_secs(60)),
            LISTING,
            "wrote a file larger than 128 MiB",
        );
    });
}
