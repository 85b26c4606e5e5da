//! The listings: one Cargo package per directory `listings/<chapter>/<listing>`.
//! Each is built, from the reader's copy (`stage.rs`: no anchor lines); each
//! with an `output.txt` is run, with a time limit, and what it prints must
//! match that file; each with a `transcript.txt` has its terminal session
//! replayed (`transcript.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use cargo_metadata::Message;
use cargo_metadata::diagnostic::DiagnosticLevel;
use sandbox::terminal::{self, Limits};
use sandbox::{Jail, Scratch};
use snapbox::assert::Action;
use snapbox::{Assert, Data};

use crate::Problem;
pub use crate::metadata::Outcome;
use crate::metadata::{self, Declared};
use crate::normalize::{reader_paths, tolerant};
use crate::transcript::{self, INPUT, TRANSCRIPT};
use crate::{shown, stage};

/// The expected-output file of a listing: exactly what its program prints.
pub const EXPECTED_OUTPUT: &str = "output.txt";

/// How long a listing may run before it is stopped and fails.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// How much a listing may print before it is stopped and fails.
pub const OUTPUT_LIMIT: usize = 1024 * 1024;

/// One listing directory.
#[derive(Debug, Clone)]
pub struct Listing {
    pub dir: PathBuf,
    /// Its package name (empty when its Cargo.toml could not be read).
    pub package: String,
    /// What it declares, or why its declaration could not be read.
    pub declared: Result<Declared, Problem>,
}

impl Listing {
    pub fn expected_output(&self) -> Option<PathBuf> {
        let path = self.dir.join(EXPECTED_OUTPUT);
        path.exists().then_some(path)
    }

    pub fn transcript(&self) -> Option<PathBuf> {
        let path = self.dir.join(TRANSCRIPT);
        path.exists().then_some(path)
    }

    /// What it declares to do; `Runs` when its declaration is broken.
    pub fn outcome(&self) -> Outcome {
        self.declared.as_ref().map_or(Outcome::Runs, |d| d.outcome)
    }

    /// The package as the reader made it (`cargo new NAME`).
    pub fn project(&self) -> String {
        self.declared
            .as_ref()
            .ok()
            .and_then(|d| d.project.clone())
            .unwrap_or_else(|| self.package.clone())
    }
}

/// Crates of the playground's list (the most downloaded ones) that courses
/// use; a listing that depends on another crate cannot run there.
const PLAYGROUND_CRATES: [&str; 14] = [
    "rand",
    "regex",
    "serde",
    "serde_json",
    "itertools",
    "chrono",
    "anyhow",
    "thiserror",
    "once_cell",
    "tokio",
    "futures",
    "rayon",
    "log",
    "clap",
];

/// The files a listing may have and still run on the playground.
const PLAYGROUND_FILES: [&str; 6] = [
    "Cargo.toml",
    "Cargo.lock",
    "src/main.rs",
    "output.txt",
    "transcript.txt",
    "rustfmt.toml",
];

impl Listing {
    /// Why the Rust playground cannot show the reader what the book prints
    /// for this listing, or `None` when it can: a single `src/main.rs`,
    /// with crates the playground has, run with no input, arguments,
    /// variables or files, and not by `cargo test`.
    pub fn not_on_the_playground(&self) -> Option<String> {
        let files = stage::reader_files(&self.dir).unwrap_or_default();
        for (file, _) in &files {
            let name = file.display().to_string();
            if PLAYGROUND_FILES.contains(&name.as_str()) {
                continue;
            }
            return Some(if name == INPUT {
                "it reads what the reader types".into()
            } else if file.extension().is_some_and(|e| e == "rs") {
                format!("it is more than one file ({name})")
            } else {
                format!("it reads {name}")
            });
        }
        let transcript = std::fs::read_to_string(self.dir.join(TRANSCRIPT)).unwrap_or_default();
        for step in transcript::steps(&transcript).unwrap_or_default() {
            if let Some((name, _)) = step.env.first() {
                return Some(format!("it is run with {name} set"));
            }
            match step.cargo_args.first().map(String::as_str) {
                Some("test") => return Some("its output is a `cargo test` run".into()),
                _ if step.cargo_args.iter().skip(1).any(|a| a != "--release") => {
                    return Some("it is run with arguments".into());
                }
                _ => {}
            }
        }
        let manifest = std::fs::read_to_string(self.dir.join("Cargo.toml")).unwrap_or_default();
        let manifest: toml::Table = manifest.parse().unwrap_or_default();
        let lacking = manifest
            .get("dependencies")
            .and_then(|d| d.as_table())
            .into_iter()
            .flat_map(|d| d.keys())
            .find(|name| !PLAYGROUND_CRATES.contains(&name.as_str()));
        lacking.map(|name| format!("it uses the crate `{name}`, which the playground lacks"))
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
            if !dir.is_dir() {
                continue;
            }
            let (package, declared) = match metadata::read(root, &dir.join("Cargo.toml")) {
                Ok((package, declared)) => (package, Ok(declared)),
                Err(problem) => (String::new(), Err(problem)),
            };
            found.push(Listing {
                dir,
                package,
                declared,
            });
        }
    }
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found
}

#[derive(Debug)]
pub struct Options {
    /// Where the listings are staged and their sessions run: a directory of
    /// the book's own.
    pub work_dir: PathBuf,
    /// cargo's target directory for the listings (books may share one).
    pub target_dir: PathBuf,
    pub time_limit: Duration,
    /// Write what each program printed into its expected-output file.
    pub bless: bool,
}

/// Builds every listing, runs those with an expected output or a
/// transcript, and compares. `shown_in` says which chapter shows each
/// listing, for the messages.
pub fn check(
    root: &Path,
    listings: &[Listing],
    shown_in: &BTreeMap<PathBuf, Vec<(PathBuf, usize)>>,
    options: &Options,
) -> Vec<Problem> {
    if options.bless {
        return check_now(
            root,
            &listings.iter().collect::<Vec<_>>(),
            shown_in,
            options,
        );
    }
    // A listing whose files, chapter place and the book's Cargo.lock did
    // not change keeps its verdict (see cache.rs).
    let lock = std::fs::read(root.join("Cargo.lock")).unwrap_or_default();
    crate::cache::per_listing(
        root,
        "listing-outputs",
        listings,
        |l| l.dir.strip_prefix(root).unwrap_or(&l.dir).to_path_buf(),
        |l| {
            let mut hasher = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(
                &(
                    crate::cache::files_hash(&l.dir),
                    &lock,
                    shown_in.get(&l.dir),
                    options.time_limit,
                ),
                &mut hasher,
            );
            std::hash::Hasher::finish(&hasher)
        },
        |to_check| {
            let to_check: Vec<&Listing> = to_check.to_vec();
            check_now(root, &to_check, shown_in, options)
        },
    )
}

/// Builds and runs `listings` now.
fn check_now(
    root: &Path,
    listings: &[&Listing],
    shown_in: &BTreeMap<PathBuf, Vec<(PathBuf, usize)>>,
    options: &Options,
) -> Vec<Problem> {
    let mut problems: Vec<Problem> = listings
        .iter()
        .filter_map(|l| l.declared.as_ref().err().cloned())
        .collect();
    let listings: Vec<&Listing> = listings
        .iter()
        .copied()
        .filter(|l| l.declared.is_ok())
        .collect();
    if listings.is_empty() {
        return problems;
    }
    let limits = Limits {
        time: options.time_limit,
        output_bytes: OUTPUT_LIMIT,
        ..Limits::default()
    };
    let staged = options.work_dir.join("stage");
    let built = match stage_and_build(root, &listings, &staged, &options.target_dir) {
        Ok(built) => built,
        Err(message) => {
            problems.push(Problem::new("Cargo.toml", None, message));
            return problems;
        }
    };
    let sessions = transcript::Workplace {
        work: options.work_dir.join("sessions"),
        target: options.target_dir.join("sessions"),
    };
    for listing in listings {
        let rel_dir = listing
            .dir
            .strip_prefix(root)
            .unwrap_or(&listing.dir)
            .to_path_buf();
        let name = match shown_in.get(&listing.dir).and_then(|s| s.first()) {
            Some((chapter, line)) => format!(
                "listing {} (shown in {}:{})",
                rel_dir.display(),
                chapter.display(),
                line
            ),
            None => format!("listing {}", rel_dir.display()),
        };
        let mut fail = |file: PathBuf, line: Option<usize>, message: String| {
            problems.push(Problem::new(file, line, message).relative_to(root))
        };
        let declared = listing.declared.as_ref().expect("kept only the readable");
        let manifest = listing.dir.join("Cargo.toml");
        let result = &built[&listing.package];
        // The declared outcome against what rustc said.
        let diagnostics = match (declared.outcome, &result.errors) {
            (Outcome::DoesNotCompile, None) => {
                let code = declared
                    .error
                    .as_ref()
                    .map(|c| format!(" (error {c})"))
                    .unwrap_or_default();
                fail(
                    manifest,
                    None,
                    format!("{name} is declared not to compile{code}, but it compiles"),
                );
                continue;
            }
            (Outcome::DoesNotCompile, Some(_)) => {
                let said = reader_paths(&result.diagnostics, &staged, &rel_dir);
                if let Some(code) = &declared.error
                    && !said.contains(&format!("error[{code}]"))
                {
                    fail(
                        manifest,
                        None,
                        format!("{name} is declared to fail with {code}, but rustc said:\n{said}"),
                    );
                    continue;
                }
                Some(said)
            }
            (_, Some(_)) => {
                let said = reader_paths(&result.diagnostics, &staged, &rel_dir);
                fail(
                    listing.dir.join("src/main.rs"),
                    None,
                    format!("{name} does not compile:\n{said}"),
                );
                continue;
            }
            (_, None) => None,
        };
        if let Some(path) = listing.transcript()
            && let Err((line, message)) = check_transcript(
                root,
                listing,
                declared,
                &path,
                &sessions,
                limits,
                options.bless,
            )
        {
            fail(path, line, format!("{name}: {message}"));
        }
        let Some(expected) = listing.expected_output() else {
            if declared.outcome != Outcome::Runs && listing.transcript().is_none() {
                fail(
                    listing.dir.clone(),
                    None,
                    format!(
                        "{name} fails on purpose, so it needs an {EXPECTED_OUTPUT} or a {TRANSCRIPT} that shows how"
                    ),
                );
            }
            continue;
        };
        let seen = match diagnostics {
            Some(said) => said.into_bytes(),
            None => {
                let Some(exe) = &result.executable else {
                    fail(
                        listing.dir.clone(),
                        None,
                        format!(
                            "{name} has {EXPECTED_OUTPUT} but builds no program; a library shows \
                             its output in a {TRANSCRIPT} (`$ cargo test`)"
                        ),
                    );
                    continue;
                };
                let input = std::fs::read_to_string(listing.dir.join(INPUT)).unwrap_or_default();
                let mut input = input
                    .lines()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
                    .into_iter();
                // In a fresh copy of the listing, beside the data files it
                // reads, which it alone may write to.
                let scratch = match stage::reader_files(&listing.dir)
                    .and_then(|files| Scratch::with_files(&files))
                {
                    Ok(scratch) => scratch,
                    Err(e) => {
                        fail(
                            listing.dir.clone(),
                            None,
                            format!("{name}: a scratch copy: {e}"),
                        );
                        continue;
                    }
                };
                let mut cmd = Command::new(exe);
                if let Err(e) = Jail::new(scratch.path()).apply(&mut cmd) {
                    fail(listing.dir.clone(), None, format!("{name}: a sandbox: {e}"));
                    continue;
                }
                let ran = match terminal::run(cmd, &mut input, false, limits) {
                    Ok(ran) => ran,
                    Err(stopped) => {
                        fail(listing.dir.clone(), None, format!("{name}: {stopped}"));
                        continue;
                    }
                };
                let panicked = ran.status.code() == Some(101);
                match (declared.outcome, ran.status.success()) {
                    (Outcome::Runs, true) => ran.shown,
                    (Outcome::Runs, false) => {
                        fail(
                            listing.dir.clone(),
                            None,
                            exited_with(&name, ran.status, &ran.stderr, &staged, &rel_dir),
                        );
                        continue;
                    }
                    (_, true) => {
                        fail(
                            manifest,
                            None,
                            format!("{name} is declared to panic, but it exited cleanly"),
                        );
                        continue;
                    }
                    (_, false) if !panicked => {
                        fail(
                            listing.dir.clone(),
                            None,
                            format!(
                                "{name} is declared to panic, but it exited with {}",
                                ran.status
                            ),
                        );
                        continue;
                    }
                    (_, false) => {
                        reader_paths(&shown::as_text(&ran.stderr), &staged, &rel_dir).into_bytes()
                    }
                }
            }
        };
        let tolerate = |text: &str| match &declared.varies {
            Some(varies) => transcript::apply_varies(&tolerant(text), varies, |_| true),
            None => tolerant(text),
        };
        if let Err(diff) = compare(&expected, &seen, tolerate, options.bless) {
            let what = match declared.outcome {
                Outcome::Runs => "printed",
                Outcome::DoesNotCompile => "got a diagnostic from rustc that is",
                Outcome::Panics => "panicked with a message that is",
            };
            let how = match &declared.varies {
                Some(v) if v.any_order => {
                    " (compared with its lines sorted: they may come in any order)"
                }
                Some(_) => " (compared with the spans that may differ as [..])",
                None => "",
            };
            fail(
                expected.clone(),
                None,
                format!(
                    "{name} {what} something else than its {EXPECTED_OUTPUT}{how}.\n{diff}\n\
                     If the new output is right, accept it with `cargo xtask bless`."
                ),
            );
        }
    }
    problems
}

/// A listing that should have run cleanly exited with `status`: what its
/// stderr said (paths as the reader's, thread ids as `tolerant` writes
/// them), and, when it was refused a write, where it may write.
fn exited_with(
    name: &str,
    status: std::process::ExitStatus,
    stderr: &[u8],
    staged: &Path,
    rel_dir: &Path,
) -> String {
    let said = tolerant(&reader_paths(&shown::as_text(stderr), staged, rel_dir));
    let hint = if said.contains("Permission denied") {
        "\nA listing runs in a fresh copy of its directory, and may write there and nowhere \
         else (README, \"What a listing may do\")."
    } else {
        ""
    };
    format!("{name} exited with {status}; its stderr:\n{said}{hint}")
}

/// Replays a listing's transcript and compares it: (line, message).
fn check_transcript(
    root: &Path,
    listing: &Listing,
    declared: &Declared,
    path: &Path,
    sessions: &transcript::Workplace,
    limits: Limits,
    bless: bool,
) -> Result<(), (Option<usize>, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| (None, e.to_string()))?;
    let steps = transcript::steps(&text).map_err(|(line, m)| (Some(line), m))?;
    let project = listing.project();
    let shown = transcript::record(&listing.dir, root, &project, &steps, sessions, limits)
        .map_err(|m| (None, m))?;
    let tolerate = |text: &str| transcript::tolerant(text, &project, declared.varies.as_ref());
    compare(path, shown.as_bytes(), tolerate, bless).map_err(|diff| {
        (
            None,
            format!(
                "the terminal shows something else than its {TRANSCRIPT} (compared after the \
                 tolerances of README's \"Terminal sessions\": [TIME], [DIR], [HASH], ...).\n{diff}\n\
                 If the new session is right, accept it with `cargo xtask bless`."
            ),
        )
    })
}

/// What building one listing gave.
#[derive(Debug, Default)]
struct Built {
    executable: Option<PathBuf>,
    /// Some when rustc reported an error.
    errors: Option<()>,
    /// rustc's warnings and errors, rendered, in order.
    diagnostics: String,
}

/// Writes the reader's copy of every listing into a workspace of its own at
/// `staged`, builds it with one `cargo build`, keeping going past a listing
/// that fails, and sorts cargo's messages out by listing.
fn stage_and_build(
    root: &Path,
    listings: &[&Listing],
    staged: &Path,
    target_dir: &Path,
) -> Result<BTreeMap<String, Built>, String> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut members = Vec::new();
    for listing in listings {
        let rel = listing.dir.strip_prefix(root).unwrap_or(&listing.dir);
        for (file, content) in stage::reader_files(&listing.dir).map_err(|e| e.to_string())? {
            files.push((rel.join(file), content));
        }
        members.push(format!("{:?}", rel.display().to_string()));
    }
    let workspace = format!(
        "# The reader's copy of every listing (see harness/src/stage.rs).\n\
         [workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    files.push(("Cargo.toml".into(), workspace.into_bytes()));
    // The book's Cargo.lock pins the registry crates' versions.
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        files.push(("Cargo.lock".into(), lock));
    }
    stage::mirror(staged, &files, &[]).map_err(|e| format!("{}: {e}", staged.display()))?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let packages = cargo_metadata::MetadataCommand::new()
        .cargo_path(&cargo)
        .manifest_path(staged.join("Cargo.toml"))
        .no_deps()
        .exec()
        .map_err(|e| format!("cargo could not read the listings: {e}"))?
        .packages;
    let name_of: BTreeMap<String, String> =
        packages.into_iter().map(|p| (p.id.repr, p.name)).collect();
    let output = Command::new(&cargo)
        .current_dir(staged)
        .args([
            "build",
            "--quiet",
            "--keep-going",
            "--message-format=json",
            "--workspace",
        ])
        .arg("--target-dir")
        .arg(target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let mut built: BTreeMap<String, Built> = listings
        .iter()
        .map(|l| (l.package.clone(), Built::default()))
        .collect();
    for message in Message::parse_stream(output.stdout.as_slice()).flatten() {
        match message {
            Message::CompilerArtifact(artifact) => {
                if let (Some(exe), Some(name)) =
                    (artifact.executable, name_of.get(&artifact.package_id.repr))
                    && let Some(entry) = built.get_mut(name)
                {
                    entry.executable = Some(exe.into_std_path_buf());
                }
            }
            Message::CompilerMessage(msg) => {
                let Some(entry) = name_of
                    .get(&msg.package_id.repr)
                    .and_then(|n| built.get_mut(n))
                else {
                    continue;
                };
                let diagnostic = msg.message;
                let counted = matches!(
                    diagnostic.level,
                    DiagnosticLevel::Error | DiagnosticLevel::Warning
                );
                if !counted || diagnostic.spans.is_empty() {
                    // "aborting due to …", "N warnings emitted": cargo's summary.
                    continue;
                }
                if diagnostic.level == DiagnosticLevel::Error {
                    entry.errors = Some(());
                }
                entry
                    .diagnostics
                    .push_str(diagnostic.rendered.as_deref().unwrap_or_default());
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

/// Compares what came with an expected-output file, both after `tolerate`;
/// on a difference, a readable diff of the two (or, when blessing, the
/// file rewritten with what came). As text when both are UTF-8, else byte
/// for byte, with the bytes that are not UTF-8 shown as `\xNN` (see
/// `shown::escaped`).
fn compare(
    expected: &Path,
    actual: &[u8],
    tolerate: impl Fn(&str) -> String,
    bless: bool,
) -> Result<(), String> {
    let wanted = std::fs::read(expected)
        .map_err(|e| format!("could not read {}: {e}", expected.display()))?;
    let as_text = std::str::from_utf8(&wanted).is_ok() && std::str::from_utf8(actual).is_ok();
    let text = |bytes: &[u8]| match as_text {
        true => String::from_utf8_lossy(bytes).into_owned(),
        false => shown::escaped(bytes),
    };
    let (wanted, came) = (tolerate(&text(&wanted)), tolerate(&text(actual)));
    if wanted == came {
        return Ok(());
    }
    if bless {
        return std::fs::write(expected, actual)
            .map_err(|e| format!("{}: {e}", expected.display()));
    }
    let assert = Assert::new().action(Action::Verify);
    let bytes_note = match as_text {
        true => "",
        false => {
            "\n(Not all of it is UTF-8, so it is compared byte for byte; a byte that is not \
             UTF-8 shows as \\xNN, and a backslash as \\\\.)"
        }
    };
    match assert.try_eq(
        Some(&"what came"),
        Data::text(came).raw(),
        Data::text(wanted).raw(),
    ) {
        Ok(()) => Err("the texts differ only in their line endings (CRLF against LF)".to_string()),
        Err(e) => Err(format!("{}{bytes_note}", e.to_string().trim_end())),
    }
}
