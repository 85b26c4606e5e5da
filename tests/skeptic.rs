//! The harness's own proof of skeptic, as it runs the chapters' `rust`
//! blocks (tests/book.rs, through tests/support/blocks.rs): the vendored
//! skeptic's patches and the runner's wrapper. Not the book: `cargo test`
//! leaves this file out (`test = false` in Cargo.toml), and `cargo xtask
//! test` runs its `proof_` tests.

use std::path::Path;

#[path = "support/blocks.rs"]
mod blocks;

/// Runs one program as a chapter's block is run (`run_test`), its pass
/// kept; a failure names `origin`.
fn snippet(origin: &str, text: &str) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    blocks::run(origin, "run_test", root, blocks::inputs(root), text)
}

/// The blocks of tests/skeptic/ compile in the edition they are in: the
/// workspace's, 2024 (patch 1), or the one a block names (patch 7). Each
/// compiles in that edition only, so a wrong one fails.
#[test]
#[ignore = "the harness's own proof: `cargo xtask test` runs it"]
fn proof_blocks_compile_in_their_edition() {
    unless_skeptic_changed("blocks_compile_in_their_edition", || {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let checker = harness::engine::checker::Checker::new(root);
        let reader = harness::engine::trace::Reader::new(&checker.book);
        let files: Vec<std::path::PathBuf> = ["edition-2024.md", "edition-of-a-block.md"]
            .iter()
            .map(|f| Path::new("tests/skeptic").join(f))
            .collect();
        let snippets = harness::snippets::in_files(&reader, &files).unwrap();
        assert_eq!(snippets.len(), 2, "one block in each file");
        let failures = blocks::failures(root, blocks::inputs(root), &snippets);
        assert!(failures.is_empty(), "{failures:#?}");
    });
}

/// The failure of a block that does not compile names where the block is
/// and stays short: no rustc command line.
#[test]
#[ignore = "the harness's own proof: `cargo xtask test` runs it"]
fn proof_a_broken_block_fails_naming_its_origin() {
    unless_skeptic_changed("a_broken_block_fails_naming_its_origin", || {
        broken_block_fails_naming_its_origin()
    });
}

/// These tests prove the vendored skeptic and this file's wrapper, not the
/// book: they run again when either (or the toolchain) changes, and not on
/// every `cargo test` (see harness/src/cache.rs; `CBH_NO_CACHE=1` runs them).
fn unless_skeptic_changed(name: &str, test: impl FnOnce()) {
    harness::engine::cache::unless_passed(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        name,
        &[
            "vendor/skeptic/src",
            "vendor/skeptic/Cargo.toml",
            "tests/skeptic.rs",
            "tests/skeptic",
            "tests/support/blocks.rs",
        ],
        test,
    );
}

fn broken_block_fails_naming_its_origin() {
    let origin = "src/ch99-example.md:12 (listing listings/ch99-example/listing-99-01/src/main.rs)";
    let broken = "fn main() { let n: u64 = \"not a number\"; }\n";
    let message = block_failure(origin, broken).expect("a block that does not compile must fail");
    assert!(
        message.starts_with(origin),
        "the failure must name the block's origin: {message}"
    );
    assert!(message.contains("rustc could not compile"), "{message}");
    assert!(
        !message.contains("--extern"),
        "no rustc command line in: {message}"
    );
    assert!(message.len() < 300, "the failure must be short: {message}");
}

/// A block whose program never ends is stopped and fails, naming its origin,
/// instead of hanging `cargo test`. The test runs `endless_block` in a child
/// process with a 0.3-second limit.
#[test]
#[ignore = "the harness's own proof: `cargo xtask test` runs it"]
fn proof_a_block_that_never_ends_is_stopped() {
    unless_skeptic_changed("a_block_that_never_ends_is_stopped", || {
        endless_block_is_stopped()
    });
}

fn endless_block_is_stopped() {
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "endless_block", "--ignored", "--nocapture"])
        .env("SKEPTIC_TIME_LIMIT_SECS", "0.3")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&child.stdout).into_owned()
        + &String::from_utf8_lossy(&child.stderr);
    assert!(
        !child.status.success(),
        "an endless block must fail:\n{text}"
    );
    assert!(
        text.contains(
            "tests/endless.md:3: the snippet's program failed: used more than 0.3 s of processor time"
        ),
        "{text}"
    );
}

#[test]
#[ignore = "run by a_block_that_never_ends_is_stopped, with a short time limit"]
fn endless_block() {
    blocks::short_panic_messages();
    if let Err(failure) = snippet(
        "tests/endless.md:3",
        "fn main() { loop { std::hint::spin_loop(); } }\n",
    ) {
        panic!("{failure}");
    }
}

/// What a block's program did, if it failed: the failure's message.
fn block_failure(origin: &str, text: &str) -> Option<String> {
    snippet(origin, text).err()
}

/// A block's program runs contained, as a listing does (the sandbox
/// crate): it writes in a scratch directory of its own and nowhere else,
/// reads no input, and is stopped when it prints without end.
#[test]
#[ignore = "the harness's own proof: `cargo xtask test` runs it"]
fn proof_a_block_runs_contained() {
    unless_skeptic_changed("a_block_runs_contained", || {
        let writes_its_file = "fn main() {\n    std::fs::write(\"notes.txt\", \"kept\").unwrap();\n    \
             assert_eq!(std::fs::read_to_string(\"notes.txt\").unwrap(), \"kept\");\n}\n";
        assert_eq!(block_failure("src/ch98-files.md:3", writes_its_file), None);

        // The machine's temporary directory (the program has an empty one
        // of its own), the checkout (which it cannot see: where the
        // checkout is under /tmp, the write lands in the program's own /tmp,
        // and goes with it), and the root (read-only), which must fail.
        let escaped = std::env::temp_dir().join("escaped-by-a-block.txt");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let in_the_checkout = root.join("escaped-by-a-block.txt");
        let writes_outside = format!(
            "fn main() {{\n    let _ = std::fs::write(\"../../../../escaped-by-a-block.txt\", \"out\");\n    \
             let _ = std::fs::write({escaped:?}, \"out\");\n    \
             let _ = std::fs::write({in_the_checkout:?}, \"out\");\n    \
             std::fs::write(\"/escaped-by-a-block.txt\", \"out\").expect(\"writes outside\");\n}}\n"
        );
        let failure = block_failure("src/ch98-files.md:9", &writes_outside).unwrap();
        assert!(
            failure.starts_with("src/ch98-files.md:9: the snippet's program failed"),
            "{failure}"
        );
        for place in [escaped, in_the_checkout, "/escaped-by-a-block.txt".into()] {
            assert!(!place.exists(), "a block wrote {}", place.display());
        }

        let reads_input = "fn main() {\n    let mut line = String::new();\n    \
             std::io::stdin().read_line(&mut line).unwrap();\n}\n";
        let failure = block_failure("src/ch98-files.md:15", reads_input).unwrap();
        assert!(
            failure.contains("it waits for input, and a block in a chapter is given none"),
            "{failure}"
        );

        let floods = "fn main() {\n    let chunk = \"x\".repeat(64 * 1024);\n    loop {\n        println!(\"{chunk}\");\n    }\n}\n";
        let failure = block_failure("src/ch98-files.md:21", floods).unwrap();
        assert!(failure.contains("printed more than 1024 KB"), "{failure}");
    });
}

/// rustc compiles a block contained, as a listing's build is: a block that
/// includes a file of the machine does not compile (and its text is never
/// read), and a `const` whose evaluation never ends is stopped by rustc's
/// processor time (the test runs `endless_const_block` in a child process
/// with a 2-second limit) instead of hanging the run.
#[test]
#[ignore = "the harness's own proof: `cargo xtask test` runs it"]
fn proof_a_block_compiles_contained() {
    unless_skeptic_changed("a_block_compiles_contained", || {
        let secret = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(secret.path(), "a-secret-of-the-machine").unwrap();
        let reads_a_secret = format!(
            "fn main() {{\n    print!(\"{{}}\", include_str!({:?}));\n}}\n",
            secret.path()
        );
        let failure = block_failure("src/ch98-files.md:30", &reads_a_secret)
            .expect("a block that includes a file of the machine must not compile");
        assert!(failure.contains("rustc could not compile"), "{failure}");
        assert!(!failure.contains("a-secret-of-the-machine"), "{failure}");

        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "endless_const_block", "--ignored", "--nocapture"])
            .env("SKEPTIC_COMPILE_CPU_SECS", "2")
            .env("CBH_NO_CACHE", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&child.stdout).into_owned()
            + &String::from_utf8_lossy(&child.stderr);
        assert!(
            !child.status.success(),
            "an endless const must fail:\n{text}"
        );
        assert!(
            text.contains("tests/endless-const.md:3: rustc was stopped compiling the snippet: it used more than 2 s of processor time"),
            "{text}"
        );
    });
}

#[test]
#[ignore = "run by a_block_compiles_contained, with a short limit"]
fn endless_const_block() {
    blocks::short_panic_messages();
    if let Err(failure) = snippet(
        "tests/endless-const.md:3",
        "#![allow(long_running_const_eval)]\n\
         const N: u64 = { let mut i = 0u64; loop { i = i.wrapping_add(1); } };\n\
         fn main() { println!(\"{N}\"); }\n",
    ) {
        panic!("{failure}");
    }
}

/// A block sees the sandbox's environment, not the one `cargo test` was
/// started in: the test runs `block_in_a_fixed_environment` in a child
/// process with `RUST_BACKTRACE=full` and another locale.
#[test]
#[ignore = "the harness's own proof: `cargo xtask test` runs it"]
fn proof_a_block_does_not_inherit_the_environment() {
    unless_skeptic_changed("a_block_does_not_inherit_the_environment", || {
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "block_in_a_fixed_environment",
                "--ignored",
                "--nocapture",
            ])
            .env("RUST_BACKTRACE", "full")
            .env("LC_ALL", "fr_FR.UTF-8")
            .env("CBH_NO_CACHE", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&child.stdout).into_owned()
            + &String::from_utf8_lossy(&child.stderr);
        assert!(child.status.success(), "{text}");
        assert!(text.contains("1 passed"), "{text}");
    });
}

#[test]
#[ignore = "run by a_block_does_not_inherit_the_environment, in another environment"]
fn block_in_a_fixed_environment() {
    let text = "fn main() {\n    assert_eq!(std::env::var(\"RUST_BACKTRACE\").as_deref(), Ok(\"0\"));\n    \
         assert_eq!(std::env::var(\"LC_ALL\").as_deref(), Ok(\"C.UTF-8\"));\n}\n";
    assert_eq!(block_failure("tests/environment.md:3", text), None);
}
