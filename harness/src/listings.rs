//! The listings: one Cargo package per directory `listings/<chapter>/<listing>`.
//! Each is built; each that has an expected-output file is run, with a time
//! limit, and what it prints must match that file byte for byte.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use snapbox::assert::Action;
use snapbox::{Assert, Data};
use wait_timeout::ChildExt;

use crate::Problem;

/// The expected-output file of a listing: exactly what its program prints.
pub const EXPECTED_OUTPUT: &str = "output.txt";

/// How long a listing may run before it is stopped and fails.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// One listing directory.
#[derive(Debug, Clone)]
pub struct Listing {
    pub dir: PathBuf,
    pub package: String,
    /// What it is declared to do, or what is wrong with the declaration.
    pub outcome: Result<Outcome, String>,
    /// `[package.metadata.listing.lints]`: lint name → why it is skipped
    /// (see `lints.rs`).
    pub lint_opt_outs: toml::Table,
}

/// What a listing does, declared in its own `Cargo.toml`:
///
/// ```toml
/// [package.metadata.listing]
/// outcome = "does-not-compile"   # or "panics"; "runs" when left out
/// error = "E0382"                # the error code it must fail with
/// ```
///
/// Its `output.txt` then holds what the reader sees: the program's stdout
/// for `runs`, rustc's diagnostic for `does-not-compile`, and the panic
/// message (stderr) for `panics`, each normalized (see `normalize.rs`).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Runs,
    DoesNotCompile { error: String },
    Panics,
}

fn outcome_of(manifest: &toml::Table) -> Result<Outcome, String> {
    let declared = manifest
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("listing"));
    let Some(declared) = declared else {
        return Ok(Outcome::Runs);
    };
    let field = |name: &str| declared.get(name).and_then(|v| v.as_str());
    match field("outcome") {
        None | Some("runs") => Ok(Outcome::Runs),
        Some("panics") => Ok(Outcome::Panics),
        Some("does-not-compile") => match field("error") {
            Some(code) if code.len() == 5 && code.starts_with('E') => {
                Ok(Outcome::DoesNotCompile { error: code.to_string() })
            }
            _ => Err("`outcome = \"does-not-compile\"` needs the error code it fails with, e.g. `error = \"E0382\"`".into()),
        },
        Some(other) => Err(format!(
            "unknown `outcome = \"{other}\"`: say \"runs\", \"does-not-compile\" or \"panics\""
        )),
    }
}

impl Outcome {
    pub fn runs(&self) -> bool {
        *self == Outcome::Runs
    }
}

impl Listing {
    pub fn expected_output(&self) -> Option<PathBuf> {
        let path = self.dir.join(EXPECTED_OUTPUT);
        path.exists().then_some(path)
    }
}

/// Every listing of the book at `root`, sorted by path.
pub fn discover(root: &Path) -> Vec<Listing> {
    let mut found = Vec::new();
    let chapters = std::fs::read_dir(root.join("listings"))
        .into_iter()
        .flatten()
        .flatten();
    for chapter in chapters.filter(|e| e.path().is_dir()) {
        for listing in std::fs::read_dir(chapter.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let dir = listing.path();
            let manifest = dir.join("Cargo.toml");
            if !dir.is_dir() {
                continue;
            }
            let table = std::fs::read_to_string(&manifest)
                .ok()
                .and_then(|text| text.parse::<toml::Table>().ok())
                .unwrap_or_default();
            let package = table
                .get("package")
                .and_then(|p| p.get("name")?.as_str().map(str::to_string))
                .unwrap_or_default();
            let outcome = outcome_of(&table);
            let lint_opt_outs = table
                .get("package")
                .and_then(|p| p.get("metadata")?.get("listing")?.get("lints")?.as_table())
                .cloned()
                .unwrap_or_default();
            found.push(Listing {
                dir,
                package,
                outcome,
                lint_opt_outs,
            });
        }
    }
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found
}

pub struct Options {
    /// Cargo's target directory for the listings' builds.
    pub target_dir: PathBuf,
    pub time_limit: Duration,
    /// Write what each program printed into its expected-output file.
    pub bless: bool,
}

/// Builds every listing, runs those with an expected output, and compares.
/// `shown_in` says which chapter shows each listing, for the messages.
pub fn check(
    root: &Path,
    listings: &[Listing],
    shown_in: &BTreeMap<PathBuf, Vec<(PathBuf, usize)>>,
    options: &Options,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let named = |listing: &Listing| {
        let rel = listing.dir.strip_prefix(root).unwrap_or(&listing.dir);
        match shown_in.get(&listing.dir).and_then(|s| s.first()) {
            Some((chapter, line)) => {
                format!(
                    "listing {} (shown in {}:{})",
                    rel.display(),
                    chapter.display(),
                    line
                )
            }
            None => format!("listing {}", rel.display()),
        }
    };
    for listing in listings.iter().filter(|l| l.package.is_empty()) {
        problems.push(
            Problem::new(
                listing.dir.join("Cargo.toml"),
                None,
                "every listing directory needs a Cargo.toml with a `[package] name`",
            )
            .relative_to(root),
        );
    }
    let listings: Vec<&Listing> = listings.iter().filter(|l| !l.package.is_empty()).collect();
    if listings.is_empty() {
        return problems;
    }
    let built = match build(root, &listings, &options.target_dir) {
        Ok(built) => built,
        Err(message) => {
            problems.push(Problem::new("Cargo.toml", None, message));
            return problems;
        }
    };
    for listing in listings {
        let name = named(listing);
        let rel_dir = listing
            .dir
            .strip_prefix(root)
            .unwrap_or(&listing.dir)
            .to_path_buf();
        let mut fail = |file: PathBuf, message: String| {
            problems.push(Problem::new(file, None, message).relative_to(root))
        };
        let outcome = match &listing.outcome {
            Ok(outcome) => outcome,
            Err(message) => {
                fail(listing.dir.join("Cargo.toml"), format!("{name}: {message}"));
                continue;
            }
        };
        let result = &built[&listing.package];
        let seen: Vec<u8> = match (outcome, &result.errors) {
            (Outcome::DoesNotCompile { error }, None) => {
                fail(
                    listing.dir.join("Cargo.toml"),
                    format!("{name} is declared not to compile (error {error}), but it compiles"),
                );
                continue;
            }
            (Outcome::DoesNotCompile { error }, Some(errors)) => {
                if !errors.contains(&format!("error[{error}]")) {
                    fail(
                        listing.dir.join("Cargo.toml"),
                        format!(
                            "{name} is declared to fail with {error}, but rustc said:\n{errors}"
                        ),
                    );
                    continue;
                }
                crate::normalize::normalize(errors, root, &rel_dir).into_bytes()
            }
            (_, Some(errors)) => {
                fail(
                    listing.dir.join("src/main.rs"),
                    format!("{name} does not compile:\n{errors}"),
                );
                continue;
            }
            (Outcome::Runs | Outcome::Panics, None) => {
                if listing.expected_output().is_none() {
                    continue;
                }
                let Some(exe) = &result.executable else {
                    fail(
                        listing.dir.clone(),
                        format!("{name} has {EXPECTED_OUTPUT} but builds no program"),
                    );
                    continue;
                };
                let run = match run(exe, &listing.dir, options.time_limit) {
                    Ok(run) => run,
                    Err(message) => {
                        fail(listing.dir.clone(), format!("{name}: {message}"));
                        continue;
                    }
                };
                match (outcome, run.success) {
                    (Outcome::Runs, true) => run.stdout,
                    (Outcome::Runs, false) => {
                        fail(
                            listing.dir.clone(),
                            format!(
                                "{name} exited with {}; its stderr:\n{}",
                                run.status, run.stderr
                            ),
                        );
                        continue;
                    }
                    (_, true) => {
                        fail(
                            listing.dir.join("Cargo.toml"),
                            format!("{name} is declared to panic, but it exited cleanly"),
                        );
                        continue;
                    }
                    (_, false) if !run.panicked => {
                        fail(
                            listing.dir.clone(),
                            format!(
                                "{name} is declared to panic, but it exited with {}",
                                run.status
                            ),
                        );
                        continue;
                    }
                    (_, false) => {
                        crate::normalize::normalize(&run.stderr, root, &rel_dir).into_bytes()
                    }
                }
            }
        };
        let Some(expected) = listing.expected_output() else {
            continue;
        };
        if let Err(diff) = compare(&expected, seen, options.bless) {
            let what = match outcome {
                Outcome::Runs => "printed",
                Outcome::DoesNotCompile { .. } => "got a diagnostic from rustc that is",
                Outcome::Panics => "panicked with a message that is",
            };
            fail(
                expected.clone(),
                format!(
                    "{name} {what} something else than its {EXPECTED_OUTPUT}.\n{diff}\n\
                     If the new output is right, accept it with `cargo xtask bless`."
                ),
            );
        }
    }
    problems
}

struct Built {
    executable: Option<PathBuf>,
    errors: Option<String>,
}

/// One `cargo build` for all the listings, keeping going past a listing that
/// fails, and sorting cargo's messages out by listing.
fn build(
    root: &Path,
    listings: &[&Listing],
    target_dir: &Path,
) -> Result<BTreeMap<String, Built>, String> {
    let mut cmd = cargo_on(
        root,
        &["build", "--quiet", "--keep-going", "--message-format=json"],
        listings,
    );
    let output = cmd
        .arg("--target-dir")
        .arg(target_dir)
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let mut built: BTreeMap<String, Built> = listings
        .iter()
        .map(|l| {
            (
                l.package.clone(),
                Built {
                    executable: None,
                    errors: None,
                },
            )
        })
        .collect();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(package) = package_name(&msg) else {
            continue;
        };
        let Some(entry) = built.get_mut(&package) else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(exe) = msg["executable"].as_str() {
                    entry.executable = Some(PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                let rendered = msg["message"]["rendered"].as_str().unwrap_or_default();
                entry
                    .errors
                    .get_or_insert_with(String::new)
                    .push_str(rendered);
            }
            _ => {}
        }
    }
    if !output.status.success() && built.values().all(|b| b.errors.is_none()) {
        return Err(format!(
            "cargo could not build the listings:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(built)
}

/// `cargo ARGS --package …` for the given listings, run in the book's root
/// (the cargo that runs the tests, when there is one).
pub(crate) fn cargo_on(root: &Path, args: &[&str], listings: &[&Listing]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root).args(args);
    for listing in listings {
        cmd.arg("--package").arg(&listing.package);
    }
    cmd
}

/// The package name in a cargo JSON message's `package_id`.
fn package_name(msg: &serde_json::Value) -> Option<String> {
    let id = msg["package_id"].as_str()?;
    // `path+file:///…/listing-01-01#0.1.0` or `path+file:///…#name@0.1.0`
    let (path, fragment) = id.rsplit_once('#')?;
    let name = match fragment.split_once('@') {
        Some((name, _)) => name,
        None => path.rsplit('/').next()?,
    };
    Some(name.to_string())
}

struct Run {
    success: bool,
    /// Exited the way a Rust panic exits (status 101).
    panicked: bool,
    status: String,
    stdout: Vec<u8>,
    stderr: String,
}

/// Runs a program, stopping it if it runs past `limit`.
fn run(exe: &Path, dir: &Path, limit: Duration) -> Result<Run, String> {
    let mut child = Command::new(exe)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", exe.display()))?;
    let out = read_all(child.stdout.take().expect("piped"));
    let err = read_all(child.stderr.take().expect("piped"));
    let status = match child.wait_timeout(limit).map_err(|e| e.to_string())? {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "still running after {} s, so it was stopped. Does it loop forever?",
                limit.as_secs()
            ));
        }
    };
    Ok(Run {
        success: status.success(),
        panicked: status.code() == Some(101),
        status: status.to_string(),
        stdout: out.join().unwrap_or_default(),
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
    })
}

/// Reads a pipe to its end on a thread of its own, so that a program that
/// fills one pipe while we wait on the other cannot stall.
fn read_all(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

/// Compares a program's stdout with its expected-output file, byte for byte;
/// on a difference, a readable diff (or, when blessing, the file rewritten).
fn compare(expected: &Path, actual: Vec<u8>, bless: bool) -> Result<(), String> {
    let wanted = std::fs::read(expected)
        .map_err(|e| format!("could not read {}: {e}", expected.display()))?;
    if wanted == actual {
        return Ok(());
    }
    let assert = Assert::new().action(if bless {
        Action::Overwrite
    } else {
        Action::Verify
    });
    let result = assert.try_eq(
        Some(&"what the program printed"),
        Data::binary(actual.clone()).raw(),
        Data::read_from(expected, None).raw(),
    );
    match result {
        Ok(()) if bless => Ok(()),
        Ok(()) => Err("the texts differ only in their line endings (CRLF against LF)".to_string()),
        Err(e) => Err(e.to_string()),
    }
}
