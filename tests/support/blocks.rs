//! Runs `rust` blocks through skeptic, each naming where it comes from when
//! it fails, and remembering its pass: the chapters' blocks for
//! `tests/book.rs`, and the harness's own proof blocks for
//! `tests/skeptic.rs` (both include this file).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use harness::engine::cache;
use harness::snippets::Snippet;

/// What a block's pass is kept with, besides its text: the workspace's
/// manifest and lock file (the crates a block may use), skeptic and this
/// runner (and, in the key, the toolchain and the harness).
const INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "vendor/skeptic/src",
    "tests/support/blocks.rs",
];

/// The key a block's pass is kept with, for the book at `root`.
pub fn inputs(root: &Path) -> u64 {
    cache::inputs_key(root, INPUTS)
}

/// Compiles and runs (or, for `no_run`, compiles) each of `snippets`, a
/// few at once; the failures, each naming its block, in the book's order.
pub fn failures(root: &Path, inputs: u64, snippets: &[Snippet]) -> Vec<String> {
    let next = AtomicUsize::new(0);
    let found = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(snippets.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, Ordering::Relaxed);
                    let Some(snippet) = snippets.get(at) else {
                        break;
                    };
                    if let Err(failure) = block(root, inputs, snippet) {
                        found.lock().unwrap().push((at, failure));
                    }
                }
            });
        }
    });
    let mut found = found.into_inner().unwrap();
    found.sort();
    found.into_iter().map(|(_, failure)| failure).collect()
}

/// One block, as skeptic finds it in the block's Markdown: its pass kept,
/// or its failure.
fn block(root: &Path, inputs: u64, snippet: &Snippet) -> Result<(), String> {
    let tests = skeptic::tests_in_markdown(&snippet.markdown, &snippet.name)
        .map_err(|e| format!("{}: {e}", snippet.origin))?;
    let [test] = tests.as_slice() else {
        return Err(format!(
            "{}: skeptic found {} tests in this block, not one",
            snippet.origin,
            tests.len()
        ));
    };
    let kind = if test.no_run {
        "compile_test"
    } else {
        "run_test"
    };
    run(&snippet.origin, kind, root, inputs, &test.text)
}

/// Runs one program with skeptic's runner `kind` (`run_test` or
/// `compile_test`), unless it passed before with the same text, kind and
/// inputs; its failure names `origin`.
pub fn run(origin: &str, kind: &str, root: &Path, inputs: u64, text: &str) -> Result<(), String> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    (kind, text).hash(&mut hasher);
    let name = format!("snippet-{:016x}", hasher.finish());
    if cache::has_passed(root, &name, inputs) {
        return Ok(());
    }
    let runner = match kind {
        "compile_test" => skeptic::rt::compile_test,
        _ => skeptic::rt::run_test,
    };
    short_panic_messages();
    let root_dir = root.to_string_lossy();
    let ran = catch_unwind(AssertUnwindSafe(|| {
        runner(&root_dir, env!("OUT_DIR"), env!("SKEPTIC_TARGET"), text)
    }));
    match ran {
        Ok(()) => {
            cache::remember_pass(root, &name, inputs);
            Ok(())
        }
        Err(payload) => Err(format!("{origin}: {}", message_of(payload.as_ref()))),
    }
}

pub fn message_of(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// A failure here is for an author: rustc's diagnostic (printed by skeptic)
/// and one line naming the block. So panics print their message alone, not
/// the thread, the source location or a backtrace; and skeptic's own panic,
/// which `run` turns into a failure that names the block, prints nothing.
pub fn short_panic_messages() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            if info
                .location()
                .is_some_and(|l| l.file().contains("skeptic/src/"))
            {
                return;
            }
            eprintln!("{}", message_of(info.payload()));
        }));
    });
}
