//! Every listing compiles, and every one with an expected output or a
//! transcript prints it. Each listing is built from the reader's copy
//! (`stage.rs`: no anchor lines); each with an `output.txt` is run, with a
//! time limit, and what it prints must match that file; each with a
//! `transcript.txt` has its terminal session replayed (`transcript.rs`).
//! Each listing's verdict is kept with what it read (its files, where it
//! is shown, the crates it resolves to, the toolchain), so after an edit
//! only the listings that changed are built and run again.

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
use crate::check::Checker;
use crate::listings::{EXPECTED_OUTPUT, Files, Listing, Outcome, reader_files};
use crate::metadata::Declared;
use crate::normalize::{reader_paths, tolerant};
use crate::shown;
use crate::trace::Reader;
use crate::transcript::{self, INPUT, TRANSCRIPT};

/// How long a listing may run before it is stopped and fails.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// How much a listing may print before it is stopped and fails.
pub const OUTPUT_LIMIT: usize = 1024 * 1024;

/// The check's name in the verdict store.
const NAME: &str = "outputs";

/// Every listing compiles; every one with an expected output or a
/// transcript prints it. A listing whose verdict still holds is not built
/// or run again.
pub fn check(cx: &Checker) -> Vec<Problem> {
    let listings: Vec<&Listing> = cx.book.listings().iter().collect();
    check_listings(cx, &listings)
}

/// The check, on `listings` only (`cargo xtask serve` checks the one that
/// changed).
pub fn check_listings(cx: &Checker, listings: &[&Listing]) -> Vec<Problem> {
    let scope = |l: &Listing| format!("{} {:?}", l.rel.display(), cx.settings.time_limit);
    let mut problems = Vec::new();
    let mut pending = Vec::new();
    for &listing in listings {
        match cx.store.lookup(&cx.book, NAME, &scope(listing)) {
            Some(kept) => problems.extend(kept),
            None => pending.push(listing),
        }
    }
    cx.store
        .summary(NAME, listings.len() - pending.len(), pending.len());
    if pending.is_empty() {
        return problems;
    }
    for (listing, reader, found) in run(cx, &pending, false) {
        cx.store.keep(NAME, &scope(listing), &reader, &found);
        problems.extend(found);
    }
    crate::problem::once_each(problems)
}

/// Runs every listing and writes what it prints into its `output.txt` or
/// `transcript.txt` where it differs beyond the tolerances (never through a
/// link: see files.rs); returns the problems that blessing cannot mend.
pub fn bless(cx: &Checker) -> Vec<Problem> {
    let listings: Vec<&Listing> = cx.book.listings().iter().collect();
    crate::problem::once_each(
        run(cx, &listings, true)
            .into_iter()
            .flat_map(|(_, _, problems)| problems)
            .collect(),
    )
}

/// Builds and runs `listings` now: each one's problems, with what was read
/// to find them.
fn run<'b>(
    cx: &'b Checker,
    listings: &[&'b Listing],
    bless: bool,
) -> Vec<(&'b Listing, Reader<'b>, Vec<Problem>)> {
    let root = cx.book.root();
    let readers: Vec<Reader<'b>> = listings.iter().map(|_| Reader::new(&cx.book)).collect();
    let mut found: Vec<Vec<Problem>> = listings
        .iter()
        .zip(&readers)
        .map(|(l, r)| {
            let shared_name = r.listing(l);
            l.declared
                .as_ref()
                .err()
                .cloned()
                .into_iter()
                .chain(shared_name)
                .collect()
        })
        .collect();
    // The reader's copy of every listing whose declaration could be read.
    let mut staged: Vec<(usize, Files)> = Vec::new();
    for (i, (listing, reader)) in listings.iter().zip(&readers).enumerate() {
        if !found[i].is_empty() {
            continue;
        }
        match reader_files(reader, listing) {
            Ok(files) => {
                reader.crates(&listing.package);
                reader.tool("rustc");
                reader.tool("cargo");
                staged.push((i, files));
            }
            Err(problem) => found[i].push(problem),
        }
    }
    let limits = Limits {
        time: cx.settings.time_limit,
        output_bytes: OUTPUT_LIMIT,
        ..Limits::default()
    };
    let stage_dir = cx
        .work
        .join(if bless { "listings-bless" } else { "listings" });
    let staged_dir = stage_dir.join("stage");
    let target_dir = cx.work.join("listings/build");
    let to_build: Vec<(&Listing, &Files)> = staged
        .iter()
        .map(|(i, files)| (listings[*i], files))
        .collect();
    let built = if to_build.is_empty() {
        Ok((BTreeMap::new(), Vec::new()))
    } else {
        stage_and_build(&cx.book, &to_build, &staged_dir, &target_dir, &cx.settings)
    };
    let built = match built {
        Ok((built, refused)) => {
            for (j, problem) in refused {
                let i = staged[j].0;
                found[i].push(problem);
            }
            built
        }
        Err(problem) => {
            for (i, _) in &staged {
                found[*i].push(problem.clone());
            }
            return listings
                .iter()
                .copied()
                .zip(readers)
                .zip(found)
                .map(|((l, r), p)| (l, r, p))
                .collect();
        }
    };
    let sessions = transcript::Workplace {
        settings: cx.settings.clone(),
        work: stage_dir.join("sessions"),
        target: target_dir.join("sessions"),
    };
    for (i, files) in &staged {
        let listing = listings[*i];
        let reader = &readers[*i];
        let Some(result) = built.get(&listing.package) else {
            continue;
        };
        let one = One {
            root,
            listing,
            book: reader,
            files,
            staged: &staged_dir,
            sessions: &sessions,
            limits,
            bless,
        };
        found[*i].extend(one.check(result));
    }
    listings
        .iter()
        .copied()
        .zip(readers)
        .zip(found)
        .map(|((l, r), p)| (l, r, p))
        .collect()
}

/// One listing, built, to be run and compared.
struct One<'a, 'b> {
    root: &'a Path,
    listing: &'a Listing,
    book: &'a Reader<'b>,
    /// Its files, as the reader has them.
    files: &'a [(PathBuf, Vec<u8>)],
    staged: &'a Path,
    sessions: &'a transcript::Workplace,
    limits: Limits,
    bless: bool,
}

impl One<'_, '_> {
    fn check(&self, result: &Built) -> Vec<Problem> {
        let listing = self.listing;
        let book = self.book;
        let rel_dir = listing.rel.clone();
        let mut problems = Vec::new();
        let shown = book.shown_in(&listing.dir);
        let name = match shown.first() {
            Some(first) => format!(
                "listing {} (shown in {}:{})",
                rel_dir.display(),
                first.chapter.display(),
                first.line
            ),
            None => format!("listing {}", rel_dir.display()),
        };
        let mut fail = |file: PathBuf, line: Option<usize>, message: String| {
            problems.push(Problem::new(file, line, message))
        };
        let declared = listing.declared.as_ref().expect("kept only the readable");
        let manifest = rel_dir.join("Cargo.toml");
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
                return problems;
            }
            (Outcome::DoesNotCompile, Some(_)) => {
                let said = reader_paths(&result.diagnostics, self.staged, &rel_dir);
                if let Some(code) = &declared.error
                    && !said.contains(&format!("error[{code}]"))
                {
                    fail(
                        manifest,
                        None,
                        format!("{name} is declared to fail with {code}, but rustc said:\n{said}"),
                    );
                    return problems;
                }
                Some(said)
            }
            (_, Some(_)) => {
                let said = reader_paths(&result.diagnostics, self.staged, &rel_dir);
                fail(
                    rel_dir.join("src/main.rs"),
                    None,
                    format!("{name} does not compile:\n{said}"),
                );
                return problems;
            }
            (_, None) => None,
        };
        // What the chapter shows of its sources is what rustc compiled
        // (its dep-info says what it read): no `[[bin]] path`, no module
        // left out, built instead of the shown file.
        if diagnostics.is_none() && !result.read.is_empty() {
            for place in shown {
                let Ok(file) = place.file.strip_prefix(self.root) else {
                    continue;
                };
                let in_src = file.strip_prefix(&rel_dir).is_ok_and(|f| {
                    f.starts_with("src") && f.extension().is_some_and(|e| e == "rs")
                });
                if in_src && !result.read.contains(&self.staged.join(file)) {
                    let read: Vec<String> = result
                        .read
                        .iter()
                        .filter_map(|r| r.strip_prefix(self.staged.join(&rel_dir)).ok())
                        .map(|r| r.display().to_string())
                        .collect();
                    fail(
                        place.chapter.clone(),
                        Some(place.line),
                        format!(
                            "{name}: the chapter shows {}, but cargo does not compile it: rustc \
                             read {}. A listing builds what its chapter shows: put the program \
                             in the file shown, or show the file that is built",
                            file.display(),
                            if read.is_empty() {
                                "nothing of the listing".to_string()
                            } else {
                                read.join(", ")
                            }
                        ),
                    );
                }
            }
        }
        let transcript_path = rel_dir.join(TRANSCRIPT);
        if let Some(text) = book
            .entry(&transcript_path)
            .map(|_| book.text(&transcript_path))
            && let Err((line, message)) = self.check_transcript(declared, &transcript_path, text)
        {
            fail(transcript_path.clone(), line, format!("{name}: {message}"));
        }
        let expected = rel_dir.join(EXPECTED_OUTPUT);
        let Some(wanted) = book.bytes(&expected) else {
            if declared.outcome != Outcome::Runs && book.entry(&transcript_path).is_none() {
                fail(
                    rel_dir.clone(),
                    None,
                    format!(
                        "{name} fails on purpose, so it needs an {EXPECTED_OUTPUT} or a {TRANSCRIPT} that shows how"
                    ),
                );
            }
            return problems;
        };
        let seen = match diagnostics {
            Some(said) => said.into_bytes(),
            None => {
                let Some(exe) = &result.executable else {
                    fail(
                        rel_dir.clone(),
                        None,
                        format!(
                            "{name} has {EXPECTED_OUTPUT} but builds no program; a library shows \
                             its output in a {TRANSCRIPT} (`$ cargo test`)"
                        ),
                    );
                    return problems;
                };
                let input = book.text(&rel_dir.join(INPUT)).unwrap_or_default();
                let mut input = input
                    .lines()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
                    .into_iter();
                // In a fresh copy of the listing, beside the data files it
                // reads, which it alone may write to.
                let scratch = match Scratch::with_files(self.files) {
                    Ok(scratch) => scratch,
                    Err(e) => {
                        problems.push(machine(&rel_dir, &format!("{name}: a scratch copy"), &e));
                        return problems;
                    }
                };
                let mut cmd = Command::new(exe);
                // It sees its own program (read-only), and nothing of the
                // build beside it.
                if let Err(e) = Jail::new(scratch.path()).readable(exe).apply(&mut cmd) {
                    problems.push(machine(&rel_dir, &format!("{name}: a sandbox"), &e));
                    return problems;
                }
                let ran = match terminal::run(cmd, &mut input, false, self.limits) {
                    Ok(ran) => ran,
                    Err(terminal::Stopped::CouldNotStart(e)) => {
                        problems.push(Problem::machine(
                            &rel_dir,
                            format!("{name} could not be started: {e}"),
                        ));
                        return problems;
                    }
                    Err(stopped) => {
                        fail(rel_dir.clone(), None, format!("{name}: {stopped}"));
                        return problems;
                    }
                };
                let panicked = ran.status.code() == Some(101);
                match (declared.outcome, ran.status.success()) {
                    (Outcome::Runs, true) => ran.shown,
                    (Outcome::Runs, false) => {
                        fail(
                            rel_dir.clone(),
                            None,
                            exited_with(&name, ran.status, &ran.stderr, self.staged, &rel_dir),
                        );
                        return problems;
                    }
                    (_, true) => {
                        fail(
                            manifest,
                            None,
                            format!("{name} is declared to panic, but it exited cleanly"),
                        );
                        return problems;
                    }
                    (_, false) if !panicked => {
                        fail(
                            rel_dir.clone(),
                            None,
                            format!(
                                "{name} is declared to panic, but it exited with {}",
                                ran.status
                            ),
                        );
                        return problems;
                    }
                    (_, false) => reader_paths(&shown::as_text(&ran.stderr), self.staged, &rel_dir)
                        .into_bytes(),
                }
            }
        };
        let tolerate = |text: &str| match &declared.varies {
            Some(varies) => transcript::apply_varies(&tolerant(text), varies, |_| true),
            None => tolerant(text),
        };
        match compare(self.root, &expected, wanted, &seen, tolerate, self.bless) {
            Ok(()) => {}
            Err(Differs::Machine(problem)) => problems.push(problem),
            Err(Differs::Diff(diff)) => {
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

    /// Replays the listing's transcript and compares it: (line, message).
    fn check_transcript(
        &self,
        declared: &Declared,
        path: &Path,
        text: Option<&str>,
    ) -> Result<(), (Option<usize>, String)> {
        let Some(text) = text else {
            return Err((None, format!("{TRANSCRIPT} must be UTF-8 text")));
        };
        let steps = transcript::steps(text).map_err(|(line, m)| (Some(line), m))?;
        let project = self.listing.project();
        let input = self
            .book
            .text(&self.listing.rel.join(INPUT))
            .unwrap_or_default();
        let lock = self.book.bytes(Path::new("Cargo.lock"));
        let session = transcript::Session {
            files: self.files,
            lock,
            input,
            project: &project,
        };
        let shown = transcript::record(&session, &steps, self.sessions, self.limits)
            .map_err(|m| (None, m))?;
        let tolerate = |text: &str| transcript::tolerant(text, &project, declared.varies.as_ref());
        match compare(
            self.root,
            path,
            text.as_bytes(),
            shown.as_bytes(),
            tolerate,
            self.bless,
        ) {
            Ok(()) => Ok(()),
            Err(Differs::Machine(problem)) => Err((None, problem.message)),
            Err(Differs::Diff(diff)) => Err((
                None,
                format!(
                    "the terminal shows something else than its {TRANSCRIPT} (compared after the \
                     tolerances of README's \"Terminal sessions\": [TIME], [DIR], [HASH], ...).\n{diff}\n\
                     If the new session is right, accept it with `cargo xtask bless`."
                ),
            )),
        }
    }
}

/// A failure of the machine met while checking the listing in `dir`.
fn machine(dir: &Path, what: &str, error: &std::io::Error) -> Problem {
    Problem::machine(dir, format!("{what}: {error}"))
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
    let refused_a_write = ["Permission denied", "Read-only file system"]
        .iter()
        .any(|e| said.contains(e));
    let hint = if refused_a_write {
        "\nA listing runs in a fresh copy of its directory, and may write there and nowhere \
         else (README, \"What a listing may do\")."
    } else {
        ""
    };
    use std::os::unix::process::ExitStatusExt;
    // SIGXFSZ: the kernel stopped a write past the largest file a listing
    // may write.
    if status.signal() == Some(25) {
        return format!(
            "{name} wrote a file larger than {} MiB, the most a listing may write, so it was \
             stopped. Does it write forever? A listing writes small files.",
            sandbox::Limits::DEFAULT.file_bytes / 1024 / 1024
        );
    }
    format!("{name} exited with {status}; its stderr:\n{said}{hint}")
}

/// What building the listings gave: each one's build, by package, and
/// the listings cargo refused to load, with why.
type Builds = (BTreeMap<String, Built>, Vec<(usize, Problem)>);

/// What building one listing gave.
#[derive(Debug, Default)]
struct Built {
    executable: Option<PathBuf>,
    /// What rustc read to build its programs and library (their dep-info,
    /// cargo's `.d` files beside them).
    read: Vec<PathBuf>,
    /// Some when rustc reported an error.
    errors: Option<()>,
    /// rustc's warnings and errors, rendered, in order.
    diagnostics: String,
}

/// Writes the reader's copy of every listing into a workspace of its own at
/// `staged`, builds it with one `cargo build`, keeping going past a listing
/// that fails, and sorts cargo's messages out by listing. A failure that
/// is no listing's (cargo could not run, or failed with no diagnostic for
/// any listing: a crate missing offline, a full disk) is the machine's.
fn stage_and_build(
    book: &crate::model::Book,
    listings: &[(&Listing, &Files)],
    staged: &Path,
    target_dir: &Path,
    settings: &crate::check::Settings,
) -> Result<Builds, Problem> {
    let registry = &settings.registry;
    let refused = crate::stage::workspace(
        staged,
        listings,
        book.bytes(Path::new("Cargo.lock")),
        "the reader's copy of every listing",
        registry,
    )?;
    if refused.len() == listings.len() {
        return Ok((BTreeMap::new(), refused));
    }
    let home = staged.with_file_name("cargo-home");
    let cargo = crate::jailed::Cargo {
        dir: staged,
        registry,
        writable: vec![target_dir],
        readable: Vec::new(),
        home: &home,
    };
    let packages = metadata(&cargo, settings)?;
    let name_of: BTreeMap<String, String> =
        packages.into_iter().map(|p| (p.id.repr, p.name)).collect();
    let mut refused = refused;
    let mut left: Vec<usize> = (0..listings.len())
        .filter(|i| !refused.iter().any(|(r, _)| r == i))
        .collect();
    let output = loop {
        let (cmd, _scratch) = cargo.command(&[
            "build",
            "--quiet",
            "--frozen",
            "--keep-going",
            "--message-format=json",
            "--workspace",
            "--target-dir",
            &target_dir.display().to_string(),
        ])?;
        let limits = crate::jailed::build_limits(left.len(), settings);
        match sandbox::terminal::run(cmd, &mut std::iter::empty(), false, limits) {
            Ok(ran) => break ran,
            Err(stopped) => {
                // A build that never ends: the crate rustc was compiling is
                // named, left out, and the others built again.
                let busiest = match &stopped {
                    sandbox::Stopped::TooMuchCpu { busiest, .. }
                    | sandbox::Stopped::TimedOut { busiest, .. } => busiest.as_deref(),
                    _ => None,
                };
                let culprit = crate::jailed::crate_being_compiled(busiest).and_then(|name| {
                    left.iter().copied().find(|&i| {
                        listings[i].0.package.replace('-', "_") == name.replace('-', "_")
                    })
                });
                match culprit {
                    Some(i) => {
                        refused.push((
                            i,
                            Problem::new(
                                listings[i].0.rel.join("src/main.rs"),
                                None,
                                match &stopped {
                                    sandbox::Stopped::TooMuchCpu { limit, .. } => format!(
                                        "its build was stopped: rustc was still compiling it \
                                         after {} s of processor time. Does a `const` evaluation \
                                         never end (or its build script, or a proc-macro)?",
                                        limit.as_secs()
                                    ),
                                    other => format!(
                                        "its build was stopped: rustc was still compiling it \
                                         when the build {other}"
                                    ),
                                },
                            ),
                        ));
                        left.retain(|&l| l != i);
                        if left.is_empty() {
                            return Ok((BTreeMap::new(), refused));
                        }
                        let kept: Vec<(&Listing, &Files)> =
                            left.iter().map(|&i| listings[i]).collect();
                        crate::stage::workspace(
                            staged,
                            &kept,
                            book.bytes(Path::new("Cargo.lock")),
                            "the reader's copy of every listing",
                            registry,
                        )?;
                        continue;
                    }
                    None => {
                        return Err(Problem::new(
                            "Cargo.toml",
                            None,
                            format!("the build of the listings was stopped: cargo {stopped}"),
                        ));
                    }
                }
            }
        }
    };
    let mut built: BTreeMap<String, Built> = left
        .iter()
        .map(|&i| (listings[i].0.package.clone(), Built::default()))
        .collect();
    for message in Message::parse_stream(output.shown.as_slice()).flatten() {
        match message {
            Message::CompilerArtifact(artifact) => {
                let Some(entry) = name_of
                    .get(&artifact.package_id.repr)
                    .and_then(|n| built.get_mut(n))
                else {
                    continue;
                };
                for file in &artifact.filenames {
                    entry
                        .read
                        .extend(dep_info(file.as_std_path(), &artifact.target.name, staged));
                }
                if let Some(exe) = artifact.executable {
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
        return Err(Problem::machine(
            "Cargo.toml",
            format!(
                "cargo could not build the listings, and rustc reported nothing about any of \
                 them:\n{}",
                String::from_utf8_lossy(&output.stderr).trim_end()
            ),
        ));
    }
    Ok((built, refused))
}

/// The packages of the workspace `cargo` builds (`cargo metadata`,
/// contained like the build).
pub(crate) fn metadata(
    cargo: &crate::jailed::Cargo,
    settings: &crate::check::Settings,
) -> Result<Vec<cargo_metadata::Package>, Problem> {
    let (cmd, _scratch) =
        cargo.command(&["metadata", "--no-deps", "--frozen", "--format-version", "1"])?;
    let limits = crate::jailed::build_limits(1, settings);
    let ran =
        sandbox::terminal::run(cmd, &mut std::iter::empty(), false, limits).map_err(|stopped| {
            Problem::machine(
                "Cargo.toml",
                format!("cargo could not read the listings: it {stopped}"),
            )
        })?;
    if !ran.status.success() {
        return Err(Problem::machine(
            "Cargo.toml",
            format!(
                "cargo could not read the listings:\n{}",
                String::from_utf8_lossy(&ran.stderr).trim_end()
            ),
        ));
    }
    serde_json::from_slice::<cargo_metadata::Metadata>(&ran.shown)
        .map(|m| m.packages)
        .map_err(|e| Problem::machine("Cargo.toml", format!("cargo's metadata: {e}")))
}

/// The files rustc read to make a target named `name` (the crate's name)
/// whose built file is `artifact`: the dep-info rustc wrote beside it in
/// `deps/` (make's syntax, `OUT: DEP DEP …`, a space in a path escaped as
/// `\ `; paths relative to the workspace at `staged`), the newest if an
/// older build left others.
fn dep_info(artifact: &Path, name: &str, staged: &Path) -> Vec<PathBuf> {
    let Some(deps) = artifact.parent().map(|d| d.join("deps")) else {
        return Vec::new();
    };
    let prefix = format!("{}-", name.replace('-', "_"));
    let newest = std::fs::read_dir(&deps)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            file.starts_with(&prefix) && file.ends_with(".d")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.file_name())))
        .max();
    let Some((_, file)) = newest else {
        return Vec::new();
    };
    let Ok(Some(bytes)) = crate::files::read(&deps, Path::new(&file)) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let first = text.split("\n\n").next().unwrap_or("");
    let Some((_, listed)) = first.split_once(": ") else {
        return Vec::new();
    };
    let listed = listed.replace("\\\n", " ").replace("\\ ", "\u{0}");
    listed
        .split_whitespace()
        .map(|d| staged.join(d.replace('\u{0}', " ")))
        .collect()
}

/// How what came differs from what the book holds.
enum Differs {
    /// A readable diff.
    Diff(String),
    /// Blessing could not write the file.
    Machine(Problem),
}

/// Compares what came with an expected-output file (`path` in the book,
/// holding `wanted`), both after `tolerate`; on a difference, a readable
/// diff of the two (or, when blessing, the file rewritten with what came,
/// never through a link). As text when both are UTF-8, else byte for byte,
/// with the bytes that are not UTF-8 shown as `\xNN` (see
/// `shown::escaped`).
fn compare(
    root: &Path,
    path: &Path,
    wanted: &[u8],
    actual: &[u8],
    tolerate: impl Fn(&str) -> String,
    bless: bool,
) -> Result<(), Differs> {
    let as_text = std::str::from_utf8(wanted).is_ok() && std::str::from_utf8(actual).is_ok();
    let text = |bytes: &[u8]| match as_text {
        true => String::from_utf8_lossy(bytes).into_owned(),
        false => shown::escaped(bytes),
    };
    let (wanted, came) = (tolerate(&text(wanted)), tolerate(&text(actual)));
    if wanted == came {
        return Ok(());
    }
    if bless {
        return crate::files::write(root, path, actual).map_err(|e| {
            let problem = Problem::new(path, None, format!("could not write it: {e}"));
            Differs::Machine(Problem {
                machine: crate::files::is_the_machines(&e),
                ..problem
            })
        });
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
        Ok(()) => Err(Differs::Diff(
            "the texts differ only in their line endings (CRLF against LF)".to_string(),
        )),
        Err(e) => Err(Differs::Diff(format!(
            "{}{bytes_note}",
            e.to_string().trim_end()
        ))),
    }
}
