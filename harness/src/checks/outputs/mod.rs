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

use cargo_metadata::Message;
use cargo_metadata::diagnostic::DiagnosticLevel;
use sandbox::terminal::{self, Limits};
use sandbox::{Jail, Scratch};
use snapbox::assert::Action;
use snapbox::{Assert, Data};

use crate::book::listings::{EXPECTED_OUTPUT, Files, Listing, Outcome};
use crate::book::metadata::Declared;
use crate::book::printed;
use crate::book::problem::Problem;
use crate::book::session::{self, INPUT, TRANSCRIPT};
use crate::engine::checker::Checker;
use crate::engine::each::each_remembered;
use crate::engine::trace::Reader;
use crate::engine::trace::reader_files;
use crate::running::normalize::{reader_paths, tolerant};
use crate::running::transcript;

pub use crate::running::settings::TIME_LIMIT;

/// How much a listing may print before it is stopped and fails.
pub const OUTPUT_LIMIT: usize = 1024 * 1024;

/// The check's name in the verdict store.
const NAME: &str = "outputs";

mod exercise;
pub use exercise::SOLUTION;

/// Where a listing's program runs, as a reader's project would be: the
/// program is `/home/reader/NAME/target/debug/NAME`, run as
/// `target/debug/NAME` in `/home/reader/NAME`, with `HOME=/home/reader`,
/// whatever the machine that checks it.
pub const READERS_HOME: &str = "/home/reader";

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
    let scope = |l: &&Listing| format!("{} {:?}", l.rel.display(), cx.settings.time_limit);
    let notes = std::sync::Mutex::new(Vec::new());
    each_remembered(cx, NAME, listings, scope, |pending, readers| {
        let pending: Vec<&Listing> = pending.iter().map(|l| **l).collect();
        run(cx, &pending, readers, Bless::No, &notes)
    })
}

/// Whether a run records what came, and what of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bless {
    /// Compare only.
    No,
    /// Record what came wherever it differs.
    All,
    /// Record what came only where all that changed is the toolchain's
    /// text (drift.rs): never a change of the program's own output.
    Drift,
}

/// What blessing did with one recorded file.
#[derive(Debug, Clone)]
pub struct Blessed {
    /// The file (`output.txt`, `transcript.txt`), in the book.
    pub file: PathBuf,
    /// The lines that changed, and whose they are.
    pub changed: Vec<(crate::running::drift::Whose, String)>,
    /// Whether it was written (not, under `Bless::Drift`, when the
    /// program's own output changed).
    pub written: bool,
}

/// Runs every listing and writes what it prints into its `output.txt` or
/// `transcript.txt` where it differs beyond the tolerances (never through a
/// link: see files.rs), and the running toolchain into the book's
/// `listings/recorded-with.txt`; returns the problems blessing cannot mend,
/// and what it changed, listing by listing.
pub fn bless(cx: &Checker, mode: Bless) -> (Vec<Problem>, Vec<Blessed>) {
    let listings: Vec<&Listing> = cx.book.listings().iter().collect();
    let readers: Vec<Reader> = listings.iter().map(|_| Reader::new(&cx.book)).collect();
    let notes = std::sync::Mutex::new(Vec::new());
    let problems: Vec<Problem> = run(cx, &listings, &readers, mode, &notes)
        .into_iter()
        .flatten()
        .collect();
    let mut problems = crate::book::problem::once_each(problems);
    let notes = notes.into_inner().unwrap();
    problems.extend(record_toolchain(cx, &listings, &notes));
    (problems, notes)
}

/// After a bless: each `recorded-with.txt` that governs a listing says the
/// running rustc, but where a listing was left as it was (under
/// `Bless::Drift`, its program's own output changed): that listing keeps
/// what it was recorded with, in a `recorded-with.txt` of its own.
fn record_toolchain(cx: &Checker, listings: &[&Listing], notes: &[Blessed]) -> Vec<Problem> {
    use crate::running::drift;
    let running = drift::running_rustc();
    let read = |p: &Path| cx.book.text(p);
    let mut writes: BTreeMap<PathBuf, String> = BTreeMap::new();
    let left = |l: &Listing| {
        notes
            .iter()
            .any(|n| !n.written && n.file.starts_with(&l.rel))
    };
    for listing in listings {
        let own = listing.rel.join(drift::FILE_NAME);
        if left(listing) {
            if let Some((_, rustc)) = drift::recorded_for(&listing.rel, read) {
                writes.insert(own.clone(), drift::with_rustc(read(&own), &rustc));
            }
            continue;
        }
        for file in drift::governing(&listing.rel) {
            let book_wide = file == Path::new(drift::RECORDED_WITH);
            if (book_wide || read(&file).is_some()) && !writes.contains_key(&file) {
                writes.insert(file.clone(), drift::with_rustc(read(&file), &running));
            }
        }
    }
    writes
        .into_iter()
        .filter_map(|(file, text)| {
            crate::book::files::write(cx.book.root(), &file, text.as_bytes())
                .err()
                .map(|e| Problem::new(&file, None, format!("could not write it: {e}")))
        })
        .collect()
}

/// Builds and runs `listings` now, each read through its reader: each
/// one's problems.
fn run<'b>(
    cx: &'b Checker,
    listings: &[&'b Listing],
    readers: &[Reader<'b>],
    bless: Bless,
    notes: &std::sync::Mutex<Vec<Blessed>>,
) -> Vec<Vec<Problem>> {
    let (mut found, staged) = readers_copies(listings, readers);
    let stage_dir = cx.work.join(if bless == Bless::No {
        "listings"
    } else {
        "listings-bless"
    });
    let target_dir = cx.work.join("listings/build");
    // Listings with no code of their own that runs at build time are built
    // together; one with a build script or a procedural macro is built
    // alone, in a directory and a target directory of its own, which is
    // all its build may write (`builds_alone`).
    let mut groups: Vec<(Vec<usize>, PathBuf, PathBuf)> =
        vec![(Vec::new(), stage_dir.join("stage"), target_dir.clone())];
    for (j, (i, files)) in staged.iter().enumerate() {
        if crate::book::listings::builds_alone(files) {
            let package = &listings[*i].package;
            groups.push((
                vec![j],
                stage_dir.join("alone").join(package).join("stage"),
                cx.work.join("listings/alone").join(package),
            ));
        } else {
            groups[0].0.push(j);
        }
    }
    let mut built: BTreeMap<String, (Built, PathBuf, PathBuf)> = BTreeMap::new();
    for (members, staged_dir, target) in &groups {
        let to_build: Vec<(&Listing, &Files)> = members
            .iter()
            .map(|&j| (listings[staged[j].0], &staged[j].1))
            .collect();
        if to_build.is_empty() {
            continue;
        }
        match stage_and_build(&cx.book, &to_build, staged_dir, target, &cx.settings) {
            Ok((results, refused)) => {
                for (k, problem) in refused {
                    found[staged[members[k]].0].push(problem);
                }
                for (package, result) in results {
                    built.insert(package, (result, staged_dir.clone(), target.clone()));
                }
            }
            Err(problem) => {
                for &j in members {
                    found[staged[j].0].push(problem.clone());
                }
            }
        }
    }
    // A program that computes is held by its processor time, one that
    // waits by the time it waits: neither depends on how busy the machine
    // is (sandbox::Limits).
    let limits = Limits {
        time: cx.settings.time_limit,
        cpu: cx.settings.time_limit,
        output_bytes: OUTPUT_LIMIT,
        ..Limits::default()
    };
    let progress =
        crate::running::progress::Bar::new(cx.settings.progress, staged.len(), "running");
    for (i, files) in &staged {
        progress.at(&listings[*i].rel.display().to_string());
        let Some((result, staged_dir, target)) = built.get(&listings[*i].package) else {
            continue;
        };
        // A session's cargo builds in the target directory of the
        // listing's group: one that runs code at build time, its own.
        let sessions = transcript::Workplace {
            settings: cx.settings.clone(),
            work: staged_dir.with_file_name("sessions"),
            target: target.join("sessions"),
        };
        let one = One {
            root: cx.book.root(),
            listing: listings[*i],
            book: &readers[*i],
            files,
            staged: staged_dir,
            sessions: &sessions,
            limits,
            bless,
            notes,
            executable: result.executable.as_deref(),
        };
        found[*i].extend(one.check(result));
        progress.done_one();
    }
    progress.finish();
    found
}

/// Each listing's problems so far (a declaration that cannot be read, a
/// package name another listing has, a file the harness does not read),
/// and the reader's copy of every listing that has none, by its index.
fn readers_copies(
    listings: &[&Listing],
    readers: &[Reader],
) -> (Vec<Vec<Problem>>, Vec<(usize, Files)>) {
    let mut found: Vec<Vec<Problem>> = listings
        .iter()
        .zip(readers)
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
    let mut staged: Vec<(usize, Files)> = Vec::new();
    for (i, (listing, reader)) in listings.iter().zip(readers).enumerate() {
        if !found[i].is_empty() {
            continue;
        }
        match reader_files(reader, listing).and_then(|files| with_recorded_lints(listing, files)) {
            Ok(files) => {
                reader.crates(&listing.package);
                reader.tool("rustc");
                reader.tool("cargo");
                staged.push((i, files));
            }
            Err(problem) => found[i].push(problem),
        }
    }
    (found, staged)
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
    bless: Bless,
    notes: &'a std::sync::Mutex<Vec<Blessed>>,
    /// Its program, if it builds one.
    executable: Option<&'a Path>,
}

impl One<'_, '_> {
    /// The listing's problems. A problem names where a chapter shows the
    /// listing, so only a verdict with problems depends on the chapters'
    /// lines: a listing that passes is not checked again when an edit
    /// above it in its chapter moves its lines.
    fn check(&self, result: &Built) -> Vec<Problem> {
        let problems = self.problems(result);
        if !problems.is_empty() {
            self.book.shown_in(&self.listing.dir);
        }
        problems
    }

    fn problems(&self, result: &Built) -> Vec<Problem> {
        let name = self.name();
        let declared = self
            .listing
            .declared
            .as_ref()
            .expect("kept only the readable");
        let diagnostics = match self.declared_against_rustc(declared, result, &name) {
            Ok(diagnostics) => diagnostics,
            Err(problem) => return vec![problem],
        };
        let mut problems = Vec::new();
        if diagnostics.is_none() {
            problems.extend(self.shown_but_not_built(result, &name));
        }
        let rel_dir = &self.listing.rel;
        let transcript_path = rel_dir.join(TRANSCRIPT);
        let book = self.book;
        if let Some(text) = book
            .entry(&transcript_path)
            .map(|_| book.text(&transcript_path))
            && let Err((line, message)) = self.check_transcript(declared, &transcript_path, text)
        {
            problems.push(Problem::new(
                transcript_path.clone(),
                line,
                format!("{name}: {message}"),
            ));
        }
        let expected = rel_dir.join(EXPECTED_OUTPUT);
        if let Some(command) = &declared.command {
            problems.extend(self.command_problems(declared, command, &name));
            return problems;
        }
        if let Some(exercise) = &declared.exercise {
            problems.extend(self.exercise_problems(declared, exercise, &name));
            return problems;
        }
        let Some(wanted) = book.bytes(&expected) else {
            if declared.outcome != Outcome::Runs && book.entry(&transcript_path).is_none() {
                problems.push(Problem::new(
                    rel_dir.clone(),
                    None,
                    format!(
                        "{name} fails on purpose, so it needs an {EXPECTED_OUTPUT} or a {TRANSCRIPT} that shows how"
                    ),
                ));
            }
            return problems;
        };
        let seen = match diagnostics {
            Some(said) => said.into_bytes(),
            None => match self.what_it_printed(declared, result, &name) {
                Ok(seen) => seen,
                Err(problem) => {
                    problems.push(problem);
                    return problems;
                }
            },
        };
        problems.extend(self.differs(declared, result, &name, wanted, &seen));
        problems
    }

    /// The listing as a failure names it: `listing DIR (shown in CHAPTER:LINE)`.
    fn name(&self) -> String {
        let rel_dir = &self.listing.rel;
        match self.book.shown_files(&self.listing.dir).first() {
            Some(first) => format!(
                "listing {} (shown in {}:{})",
                rel_dir.display(),
                first.chapter.display(),
                first.line
            ),
            None => format!("listing {}", rel_dir.display()),
        }
    }

    /// The declared outcome against what rustc said: rustc's diagnostics
    /// when the listing is declared not to compile (and so they are its
    /// output), none when it compiled; or the problem, when they disagree.
    fn declared_against_rustc(
        &self,
        declared: &Declared,
        result: &Built,
        name: &str,
    ) -> Result<Option<String>, Problem> {
        let rel_dir = &self.listing.rel;
        let manifest = rel_dir.join("Cargo.toml");
        match (declared.outcome, &result.errors) {
            (Outcome::DoesNotCompile, None) => {
                let code = declared
                    .error
                    .as_ref()
                    .map(|c| format!(" (error {c})"))
                    .unwrap_or_default();
                Err(Problem::new(
                    manifest,
                    None,
                    format!("{name} is declared not to compile{code}, but it compiles"),
                ))
            }
            (Outcome::DoesNotCompile, Some(_)) => {
                let said = reader_paths(&result.diagnostics, self.staged, rel_dir);
                match &declared.error {
                    Some(code) if !said.contains(&format!("error[{code}]")) => Err(Problem::new(
                        manifest,
                        None,
                        format!("{name} is declared to fail with {code}, but rustc said:\n{said}"),
                    )),
                    _ => Ok(Some(said)),
                }
            }
            (_, Some(_)) => {
                let said = reader_paths(&result.diagnostics, self.staged, rel_dir);
                Err(Problem::new(
                    rel_dir.join("src/main.rs"),
                    None,
                    format!("{name} does not compile:\n{said}"),
                ))
            }
            (_, None) => Ok(None),
        }
    }

    /// What the chapter shows of its sources is what rustc compiled (its
    /// dep-info says what it read): no `[[bin]] path`, no module left out,
    /// built instead of the shown file. A problem at each chapter's line
    /// that shows a file rustc did not read.
    fn shown_but_not_built(&self, result: &Built, name: &str) -> Vec<Problem> {
        if result.read.is_empty() {
            return Vec::new();
        }
        let rel_dir = &self.listing.rel;
        let mut problems = Vec::new();
        for place in self.book.shown_files(&self.listing.dir) {
            let Ok(file) = place.file.strip_prefix(self.root) else {
                continue;
            };
            let in_src = file
                .strip_prefix(rel_dir)
                .is_ok_and(|f| f.starts_with("src") && f.extension().is_some_and(|e| e == "rs"));
            if !in_src || result.read.contains(&self.staged.join(file)) {
                continue;
            }
            let read: Vec<String> = result
                .read
                .iter()
                .filter_map(|r| r.strip_prefix(self.staged.join(rel_dir)).ok())
                .map(|r| r.display().to_string())
                .collect();
            problems.push(Problem::new(
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
            ));
        }
        problems
    }

    /// What the listing's program printed, run as the reader runs it: its
    /// stdout when it runs, what it panicked with when it is declared to
    /// panic; or the problem, when it does not do as declared.
    fn what_it_printed(
        &self,
        declared: &Declared,
        result: &Built,
        name: &str,
    ) -> Result<Vec<u8>, Problem> {
        let rel_dir = &self.listing.rel;
        let Some(exe) = &result.executable else {
            return Err(Problem::new(
                rel_dir.clone(),
                None,
                format!(
                    "{name} has {EXPECTED_OUTPUT} but builds no program; a library shows \
                     its output in a {TRANSCRIPT} (`$ cargo test`)"
                ),
            ));
        };
        let ran = self.run_program(exe, name)?;
        let panicked = ran.status.code() == Some(101);
        match (declared.outcome, ran.status.success()) {
            (Outcome::Runs, true) => Ok(ran.shown),
            (Outcome::Runs, false) => Err(Problem::new(
                rel_dir.clone(),
                None,
                exited_with(name, ran.status, &ran.stderr, self.staged, rel_dir),
            )),
            (_, true) => Err(Problem::new(
                rel_dir.join("Cargo.toml"),
                None,
                format!("{name} is declared to panic, but it exited cleanly"),
            )),
            (_, false) if !panicked => Err(Problem::new(
                rel_dir.clone(),
                None,
                format!(
                    "{name} is declared to panic, but it exited with {}",
                    ran.status
                ),
            )),
            (_, false) => {
                Ok(reader_paths(&printed::as_text(&ran.stderr), self.staged, rel_dir).into_bytes())
            }
        }
    }

    /// `seen` against the recorded `wanted`, with the tolerances the
    /// listing declares: the problem, with a diff, when they differ.
    fn differs(
        &self,
        declared: &Declared,
        result: &Built,
        name: &str,
        wanted: &[u8],
        seen: &[u8],
    ) -> Option<Problem> {
        let expected = self.listing.rel.join(EXPECTED_OUTPUT);
        let tolerate = |text: &str| match &declared.varies {
            Some(varies) => transcript::apply_varies(&tolerant(text), varies, |_| true),
            None => tolerant(text),
        };
        let (diff, drift) = match self.compare(&expected, wanted, seen, tolerate) {
            Ok(()) => return None,
            Err(Differs::Machine(problem) | Differs::Refused(problem)) => return Some(problem),
            Err(Differs::Diff(diff, drift)) => (diff, drift),
        };
        let what = match declared.outcome {
            Outcome::Runs => "printed",
            Outcome::DoesNotCompile => "got a diagnostic from rustc that is",
            Outcome::Panics => "panicked with a message that is",
        };
        let how = match &declared.varies {
            Some(v) if v.any_order => {
                " (compared with its lines sorted: they may come in any order)"
            }
            Some(v) if v.elided_lines => " (compared with each `...` line as any lines)",
            Some(_) => " (compared with the spans that may differ as [..])",
            None => "",
        };
        // A program that prints something else at each run, and says
        // neither how nor with which seed, is named as such.
        let varies_unsaid = declared.outcome != Outcome::DoesNotCompile
            && result
                .executable
                .as_ref()
                .is_some_and(|exe| self.varies_unsaid(exe, name));
        let varies_note = if varies_unsaid { VARIES_UNSAID } else { "" };
        Some(Problem::new(
            expected,
            None,
            format!(
                "{name} {what} something else than its {EXPECTED_OUTPUT}{how}.\n{diff}\n\
                 If the new output is right, accept it with `cargo xtask bless`.{varies_note}{drift}"
            ),
        ))
    }

    /// Runs the listing's program as the reader does (`cargo run` with its
    /// `input.txt` typed), in a fresh copy of the listing, contained, with
    /// its declared seed.
    fn run_program(&self, exe: &Path, name: &str) -> Result<sandbox::Ran, Problem> {
        let rel_dir = &self.listing.rel;
        let seed = self.listing.declared.as_ref().ok().and_then(|d| d.seed);
        match self.run_once(exe, name, seed)? {
            Ok(ran) => Ok(ran),
            Err(terminal::Stopped::CouldNotStart(e)) => Err(Problem::machine(
                rel_dir,
                format!("{name} could not be started: {e}"),
            )),
            Err(stopped) => Err(Problem::new(rel_dir, None, format!("{name}: {stopped}"))),
        }
    }

    /// One run of the listing's program, its randomness from `seed` if
    /// given: how it ended.
    fn run_once(
        &self,
        exe: &Path,
        name: &str,
        seed: Option<u64>,
    ) -> Result<Result<sandbox::Ran, terminal::Stopped>, Problem> {
        let rel_dir = &self.listing.rel;
        let input = self.book.text(&rel_dir.join(INPUT)).unwrap_or_default();
        let mut input = input
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .into_iter();
        // In a fresh copy of the listing, beside the data files it reads,
        // which it alone may write to.
        let scratch = Scratch::with_files(self.files)
            .map_err(|e| machine(rel_dir, &format!("{name}: a scratch copy"), &e))?;
        let mut cmd = Command::new(exe);
        // It sees its own program (read-only), and nothing of the build
        // beside it; and runs as under the reader's `cargo run`, in a
        // project directory that names nothing of this machine.
        let bin = exe.file_name().unwrap_or_default();
        let project = Path::new(READERS_HOME).join(bin);
        let mut jail = Jail::new(scratch.path())
            .readable(exe)
            .shown_at(&project)
            .program_at(
                &project.join("target/debug").join(bin),
                Path::new("target/debug").join(bin),
            );
        if let Some(seed) = seed {
            jail = jail.seeded(seed);
        }
        jail.apply(&mut cmd)
            .map_err(|e| machine(rel_dir, &format!("{name}: a sandbox"), &e))?;
        Ok(terminal::run(cmd, &mut input, false, self.limits))
    }

    /// Whether the listing's program prints something else from run to
    /// run, though it declares neither a seed nor how its output varies:
    /// runs with three fixed seeds of randomness (so the answer is the same
    /// every time it is asked) print something else, wherever they stop.
    fn varies_unsaid(&self, exe: &Path, name: &str) -> bool {
        let declared = self
            .listing
            .declared
            .as_ref()
            .expect("kept only the readable");
        if declared.seed.is_some() || declared.varies.is_some() {
            return false;
        }
        let printed = |seed: u64| -> Option<String> {
            let text = match self.run_once(exe, name, Some(seed)).ok()? {
                Ok(ran) => printed::as_text(&ran.shown) + &printed::as_text(&ran.stderr),
                Err(terminal::Stopped::NeedsInput { shown })
                | Err(terminal::Stopped::TimedOut { shown, .. }) => shown,
                Err(_) => return None,
            };
            Some(tolerant(&text))
        };
        let runs: Vec<Option<String>> = [1, 2, 3].into_iter().map(printed).collect();
        runs.iter()
            .flatten()
            .any(|run| Some(run) != runs[0].as_ref())
    }

    /// Compares what came with the recorded file `path` of the book (which
    /// holds `wanted`), both after `tolerate`, a `...` line standing for
    /// any lines where the listing declares `elided-lines`. On a
    /// difference: a readable diff of the two, and, when the book was
    /// recorded with another rustc, which of the lines that changed are the
    /// toolchain's text (drift.rs); or, when blessing, the file written
    /// with what came (never through a link), as the bless mode allows. As
    /// text when both are UTF-8, else byte for byte, with the bytes that
    /// are not UTF-8 shown as `\xNN` (see `printed::escaped`).
    fn compare(
        &self,
        path: &Path,
        wanted: &[u8],
        actual: &[u8],
        tolerate: impl Fn(&str) -> String,
    ) -> Result<(), Differs> {
        let declared = self
            .listing
            .declared
            .as_ref()
            .expect("kept only the readable");
        let as_text = std::str::from_utf8(wanted).is_ok() && std::str::from_utf8(actual).is_ok();
        let text = |bytes: &[u8]| match as_text {
            true => String::from_utf8_lossy(bytes).into_owned(),
            false => printed::escaped(bytes),
        };
        if let Some(problem) = self.machine_path(path, &text(actual), &text(wanted)) {
            return Err(Differs::Refused(problem));
        }
        if let Some(problem) = self.optional_unmatched(path, &text(wanted)) {
            return Err(Differs::Refused(problem));
        }
        let (wanted, came) = (tolerate(&text(wanted)), tolerate(&text(actual)));
        let same = match &declared.varies {
            Some(v) if v.elided_lines => transcript::matches_elided(&wanted, &came, v.any_order),
            _ => wanted == came,
        };
        if same {
            return Ok(());
        }
        let sources: Vec<String> = self
            .files
            .iter()
            .filter(|(f, _)| f.extension().is_some_and(|e| e == "rs"))
            .map(|(_, content)| String::from_utf8_lossy(content).into_owned())
            .collect();
        let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
        let elided = declared.varies.as_ref().is_some_and(|v| v.elided_lines);
        let changed = crate::running::drift::changed_lines(&wanted, &came, &sources, elided);
        let write = match self.bless {
            Bless::No => false,
            Bless::All => true,
            Bless::Drift => changed.iter().all(|(whose, _)| whose.is_the_toolchains()),
        };
        if self.bless != Bless::No {
            self.notes.lock().unwrap().push(Blessed {
                file: path.to_path_buf(),
                changed,
                written: write,
            });
            if !write {
                return Ok(());
            }
            return crate::book::files::write(self.root, path, actual).map_err(|e| {
                let problem = Problem::new(path, None, format!("could not write it: {e}"));
                Differs::Machine(Problem {
                    machine: crate::book::files::is_the_machines(&e),
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
        let words = crate::running::normalize::whitespace_words(&wanted, &came);
        let diff = if elided {
            crate::running::drift::elided_diff(&wanted, &came)
        } else {
            match assert.try_eq(
                Some(&"what came"),
                Data::text(came).raw(),
                Data::text(wanted.clone()).raw(),
            ) {
                Ok(()) => {
                    "the texts differ only in their line endings (CRLF against LF)".to_string()
                }
                Err(e) => format!("{}{bytes_note}", e.to_string().trim_end()),
            }
        };
        let diff = match words {
            Some(words) => format!(
                "They differ only in whitespace: {}.\n{diff}",
                words.join("; ")
            ),
            None => diff,
        };
        let diff = if diff.contains('∅') {
            format!("{diff}\n(∅ marks the end of a text that has no final newline.)")
        } else {
            diff
        };
        Err(Differs::Diff(diff, self.drift_note(&changed)))
    }

    /// An `optional-lines` text that no line of the recorded file `path`
    /// (which holds `wanted`) holds: it makes nothing optional, and says
    /// something of the output that is not so.
    fn optional_unmatched(&self, path: &Path, wanted: &str) -> Option<Problem> {
        let varies = self.listing.declared.as_ref().ok()?.varies.as_ref()?;
        let unmatched = varies
            .optional_lines
            .iter()
            .find(|o| !wanted.lines().any(|l| l.contains(o.as_str())))?;
        let manifest = self.listing.rel.join("Cargo.toml");
        let line = self
            .book
            .text(&manifest)
            .and_then(|t| t.lines().position(|l| l.contains("optional-lines")))
            .map(|i| i + 1);
        Some(Problem::new(
            manifest,
            line,
            format!(
                "`optional-lines` names `{unmatched}`, which no line of {} holds: name \
                 text the lines that may be missing hold",
                path.display()
            ),
        ))
    }

    /// A path of this machine in what the program printed (`came`) or in
    /// the recorded file `path` (`wanted`): the checkout's, or the author's
    /// home. Outputs are published; the program runs in a project that
    /// names nothing of this machine (`READERS_HOME`), so a path of it
    /// came from somewhere else (a path compiled in, say).
    fn machine_path(&self, path: &Path, came: &str, wanted: &str) -> Option<Problem> {
        let mut paths = vec![(self.root.display().to_string(), "the book's directory")];
        paths.extend(
            std::env::var("HOME")
                .ok()
                .filter(|h| h.len() > 1 && h.starts_with('/'))
                .map(|h| (h, "your home directory")),
        );
        for (whose, text) in [
            ("what the program printed", came),
            ("the recorded file", wanted),
        ] {
            for (machine, named) in &paths {
                let Some(line) = text.lines().position(|l| {
                    l.contains(&format!("{machine}/")) || l.ends_with(machine.as_str())
                }) else {
                    continue;
                };
                return Some(Problem::new(
                    path,
                    (whose == "the recorded file").then_some(line + 1),
                    format!(
                        "{whose} holds a path of this machine ({named}, at line {}), and \
                         outputs are published: a reader's machine has other paths. The \
                         program runs in `{READERS_HOME}/NAME`, as a reader's project, with \
                         `target/debug/NAME` as its name; print paths relative to it, and not \
                         ones compiled in (`env!(\"CARGO_MANIFEST_DIR\")`, `file!()` of a \
                         dependency)",
                        line + 1
                    ),
                ));
            }
        }
        None
    }

    /// When the book was recorded with another rustc than the one checking
    /// it: which, and whose the lines that changed are.
    fn drift_note(&self, changed: &[(crate::running::drift::Whose, String)]) -> String {
        let recorded =
            crate::running::drift::recorded_for(&self.listing.rel, |p| self.book.text(p));
        let running = crate::running::drift::running_rustc();
        let Some((file, recorded)) = recorded.filter(|(_, r)| *r != running) else {
            return String::new();
        };
        let verdict = if changed.iter().all(|(whose, _)| whose.is_the_toolchains()) {
            "Only the toolchain's text changed: this is drift. `cargo xtask bless --drift` \
             records again every listing whose output only drifted, and says what changed."
        } else {
            "The program's own output changed, which drift never explains: check the change, \
             then `cargo xtask bless`."
        };
        format!(
            "\nRecorded with {recorded} ({}), checked with {running}. What changed: {}. {verdict}",
            file.display(),
            crate::running::drift::summary(changed)
        )
    }

    /// Runs `steps` in a reader's copy of the listing, as a session does:
    /// what the terminal showed, or why it stopped.
    fn replay(&self, declared: &Declared, steps: &[session::Step]) -> Result<String, String> {
        self.replay_with(declared, self.files, steps)
    }

    /// [`Self::replay`], in a copy of `files` (an exercise's solution).
    fn replay_with(
        &self,
        declared: &Declared,
        files: &[(PathBuf, Vec<u8>)],
        steps: &[session::Step],
    ) -> Result<String, String> {
        let project = self.listing.project();
        let input = self
            .book
            .text(&self.listing.rel.join(INPUT))
            .unwrap_or_default();
        let lock = self.book.bytes(Path::new(crate::book::listings::LOCK));
        let session = transcript::Session {
            files,
            lock,
            input,
            project: &project,
            seed: declared.seed,
        };
        transcript::record(&session, steps, self.sessions, self.limits).map_err(|m| {
            // Stopped (waiting for input it lacks, say), by a program that
            // prints something else at each run, and says neither how nor
            // with which seed.
            let varies_unsaid = self
                .executable
                .is_some_and(|exe| self.varies_unsaid(exe, "the listing"));
            if varies_unsaid {
                format!("{m}{VARIES_UNSAID}")
            } else {
                m
            }
        })
    }

    /// A listing that declares the reader's `command`: its `output.txt`
    /// against what the terminal shows for it, less cargo's own lines.
    fn command_problems(&self, declared: &Declared, command: &str, name: &str) -> Vec<Problem> {
        let rel_dir = &self.listing.rel;
        let expected = rel_dir.join(EXPECTED_OUTPUT);
        let at =
            |message: String| vec![Problem::new(&expected, None, format!("{name}: {message}"))];
        if self.book.entry(&rel_dir.join(TRANSCRIPT)).is_some() {
            return at(format!(
                "it declares `command = \"{command}\"` and has a {TRANSCRIPT}: one way to say \
                 what the terminal shows. Keep the {TRANSCRIPT} for a whole session, or \
                 `command` with an {EXPECTED_OUTPUT}"
            ));
        }
        let wanted = match self.book.bytes(&expected) {
            Some(wanted) => wanted,
            // Blessing writes it.
            None if self.bless != Bless::No => &[],
            None => {
                return at(format!(
                    "it declares `command = \"{command}\"`, so it needs an {EXPECTED_OUTPUT}: \
                     what the terminal shows for it (`cargo xtask bless` writes it)"
                ));
            }
        };
        let Ok(mut steps) = session::steps(&format!("$ {command}\n")) else {
            return Vec::new(); // refused where the declaration is read
        };
        if declared.outcome != Outcome::Runs {
            steps[0].status = session::Status::Failed;
        }
        let shown = match self.replay(declared, &steps) {
            Ok(shown) => transcript::without_cargos_lines(&shown),
            Err(m) => return at(m),
        };
        let project = self.listing.project();
        let tolerate =
            |text: &str| transcript::comparable(text, &project, declared.varies.as_ref());
        match self.compare(&expected, wanted, shown.as_bytes(), tolerate) {
            Ok(()) => Vec::new(),
            Err(Differs::Machine(problem) | Differs::Refused(problem)) => vec![problem],
            Err(Differs::Diff(diff, drift)) => at(format!(
                "the terminal shows something else for `{command}` than its {EXPECTED_OUTPUT} \
                 (cargo's own lines left out: `Compiling`, `Finished`, `Running`, its summary \
                 of warnings).\n{diff}\nIf the new output is right, accept it with `cargo \
                 xtask bless`.{drift}"
            )),
        }
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
        let steps = session::steps(text).map_err(|(line, m)| (Some(line), m))?;
        let project = self.listing.project();
        let shown = self.replay(declared, &steps).map_err(|m| (None, m))?;
        let tolerate =
            |text: &str| transcript::comparable(text, &project, declared.varies.as_ref());
        match self.compare(path, text.as_bytes(), shown.as_bytes(), tolerate) {
            Ok(()) => Ok(()),
            Err(Differs::Machine(problem) | Differs::Refused(problem)) => {
                Err((None, problem.message))
            }
            Err(Differs::Diff(diff, drift)) => {
                // A session that shows something else at each run, and
                // says neither how nor with which seed, is named as such.
                let varies_unsaid = self
                    .executable
                    .is_some_and(|exe| self.varies_unsaid(exe, "the listing"));
                Err((
                    None,
                    format!(
                        "the terminal shows something else than its {TRANSCRIPT} (compared after the \
                         tolerances of README's \"Terminal sessions\": [TIME], [DIR], [HASH], ...).\n{diff}\n\
                         If the new session is right, accept it with `cargo xtask bless`.{}{drift}",
                        if varies_unsaid { VARIES_UNSAID } else { "" }
                    ),
                ))
            }
        }
    }
}

/// What a failure adds when a second run differed from the first, and the
/// listing declares neither a seed nor how its output varies.
const VARIES_UNSAID: &str = "\nIt prints something else from one run to the next (three runs, \
    each given other random numbers, differed). If it draws random numbers, declare a seed (`seed = 7` under \
    [package.metadata.listing]), so that its numbers are the same in every check; if it varies \
    otherwise (threads, time), declare how ([package.metadata.listing.varies]).";

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
    let said = tolerant(&reader_paths(&printed::as_text(stderr), staged, rel_dir));
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
/// The build is tried first on the files as written, and staged with
/// cargo's checks (stage.rs) only when it fails so.
fn stage_and_build(
    book: &crate::book::model::Book,
    listings: &[(&Listing, &Files)],
    staged: &Path,
    target_dir: &Path,
    settings: &crate::engine::checker::Settings,
) -> Result<Builds, Problem> {
    use crate::running::stage::Staging;
    let build = |staging| staged_build(book, listings, staged, target_dir, settings, staging);
    match build(Staging::Written) {
        Err(problem) if problem.machine => build(Staging::Checked),
        built => built,
    }
}

/// [`stage_and_build`], the workspace staged as `staging` says.
fn staged_build(
    book: &crate::book::model::Book,
    listings: &[(&Listing, &Files)],
    staged: &Path,
    target_dir: &Path,
    settings: &crate::engine::checker::Settings,
    staging: crate::running::stage::Staging,
) -> Result<Builds, Problem> {
    let registry = &settings.registry;
    let lock = book.bytes(Path::new(crate::book::listings::LOCK));
    let stage = |chosen: &[(&Listing, &Files)]| {
        let what = "the reader's copy of every listing";
        crate::running::stage::workspace(staged, chosen, lock, what, registry, staging)
    };
    let mut refused = stage(listings)?;
    crate::running::stage::pin(book, registry, &staged.with_file_name("pinned"));
    if refused.len() == listings.len() {
        return Ok((BTreeMap::new(), refused));
    }
    let home = staged.with_file_name("cargo-home");
    let cargo = crate::running::jailed::Cargo {
        dir: staged,
        registry,
        writable: vec![target_dir],
        readable: Vec::new(),
        home: &home,
    };
    let mut left: Vec<usize> = (0..listings.len())
        .filter(|i| !refused.iter().any(|(r, _)| r == i))
        .collect();
    let spinner = crate::running::progress::Bar::spinner(
        settings.progress,
        &format!("building {} listing(s)", left.len()),
    );
    let output = loop {
        let stopped = match build_once(&cargo, target_dir, left.len(), settings)? {
            Ok(ran) => {
                spinner.finish();
                break ran;
            }
            Err(stopped) => stopped,
        };
        // A build that never ends: the listing it was building is named,
        // left out, and the others built again.
        let Some((i, problem)) = stopped_culprit(&stopped, listings, &left) else {
            return Err(Problem::new(
                "Cargo.toml",
                None,
                format!("the build of the listings was stopped: cargo {stopped}"),
            ));
        };
        refused.push((i, problem));
        left.retain(|&l| l != i);
        if left.is_empty() {
            return Ok((BTreeMap::new(), refused));
        }
        let kept: Vec<(&Listing, &Files)> = left.iter().map(|&i| listings[i]).collect();
        stage(&kept)?;
    };
    let built = sorted_out(&output, listings, &left, staged);
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

/// One `cargo build` of the staged workspace, contained, keeping going past
/// a listing that fails: what it printed, or how it was stopped.
fn build_once(
    cargo: &crate::running::jailed::Cargo,
    target_dir: &Path,
    listings: usize,
    settings: &crate::engine::checker::Settings,
) -> Result<Result<sandbox::Ran, sandbox::Stopped>, Problem> {
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
    let limits = crate::running::jailed::build_limits(listings, settings);
    Ok(sandbox::terminal::run(
        cmd,
        &mut std::iter::empty(),
        false,
        limits,
    ))
}

/// The listing (of those `left`) whose build stopped the build, and what
/// to tell its author: the crate rustc was compiling, or, with no rustc
/// busy, a build script that never finished (cargo said it was built,
/// never that it ran), e.g. one that left a process holding cargo's pipe.
fn stopped_culprit(
    stopped: &sandbox::Stopped,
    listings: &[(&Listing, &Files)],
    left: &[usize],
) -> Option<(usize, Problem)> {
    let busiest = match stopped {
        sandbox::Stopped::TooMuchCpu { busiest, .. }
        | sandbox::Stopped::TimedOut { busiest, .. } => busiest.as_deref(),
        _ => None,
    };
    let culprit = crate::running::jailed::crate_being_compiled(busiest).and_then(|name| {
        left.iter()
            .copied()
            .find(|&i| listings[i].0.package.replace('-', "_") == name.replace('-', "_"))
    });
    let script = match (stopped, culprit) {
        (sandbox::Stopped::TimedOut { shown, .. }, None) => {
            crate::running::jailed::build_script_that_never_finished(shown.as_bytes()).and_then(
                |manifest| {
                    left.iter()
                        .copied()
                        .find(|&i| manifest.ends_with(listings[i].0.rel.join("Cargo.toml")))
                },
            )
        }
        _ => None,
    };
    if let (Some(i), sandbox::Stopped::TimedOut { limit, .. }) = (script, stopped) {
        let message = format!(
            "its build was stopped: its build script had not finished, and the build had \
             waited {} s with nothing of it running. Does it leave a process running (one \
             that holds cargo's output open keeps the build waiting)? A build script waits \
             for what it starts",
            limit.as_secs()
        );
        return Some((
            i,
            Problem::new(listings[i].0.rel.join("build.rs"), None, message),
        ));
    }
    let i = culprit?;
    let message = match stopped {
        sandbox::Stopped::TooMuchCpu { limit, .. } => format!(
            "its build was stopped: rustc was still compiling it after {} s of processor time. \
             Does a `const` evaluation never end (or its build script, or a proc-macro)?",
            limit.as_secs()
        ),
        sandbox::Stopped::TimedOut {
            limit, wall, shown, ..
        } => format!(
            "its build was stopped: rustc was still compiling it after {} s{}.{}",
            limit.as_secs(),
            if *wall {
                " of the clock"
            } else {
                " of waiting with nothing running"
            },
            rustc_said_last(shown)
        ),
        other => format!("its build was stopped while rustc was compiling it: {other}"),
    };
    Some((
        i,
        Problem::new(listings[i].0.rel.join("src/main.rs"), None, message),
    ))
}

/// The last lines rustc printed in a build's JSON messages, as rustc
/// prints them (never cargo's JSON), if it printed any.
fn rustc_said_last(json: &str) -> String {
    let rendered: String = Message::parse_stream(json.as_bytes())
        .flatten()
        .filter_map(|m| match m {
            Message::CompilerMessage(msg) => msg.message.rendered,
            _ => None,
        })
        .collect();
    let lines: Vec<&str> = rendered.lines().collect();
    if lines.is_empty() {
        return String::new();
    }
    let last = lines[lines.len().saturating_sub(8)..].join("\n");
    format!(" What rustc printed last:\n{last}")
}

/// cargo's messages sorted out by listing (of those `left`): what each
/// built, what rustc read to build it, and its diagnostics.
fn sorted_out(
    output: &sandbox::Ran,
    listings: &[(&Listing, &Files)],
    left: &[usize],
    staged: &Path,
) -> BTreeMap<String, Built> {
    let mut built: BTreeMap<String, Built> = left
        .iter()
        .map(|&i| (listings[i].0.package.clone(), Built::default()))
        .collect();
    // Whose a message is: the listing whose directory holds the source of
    // the target it is about (a registry crate's is no listing's).
    let real = staged
        .canonicalize()
        .unwrap_or_else(|_| staged.to_path_buf());
    let owner = |target: &cargo_metadata::Target| -> Option<String> {
        let src = target.src_path.as_std_path();
        let rel = src
            .strip_prefix(staged)
            .or_else(|_| src.strip_prefix(&real))
            .ok()?;
        let listing = left
            .iter()
            .map(|&i| listings[i].0)
            .filter(|l| rel.starts_with(&l.rel))
            .max_by_key(|l| l.rel.components().count())?;
        Some(listing.package.clone())
    };
    for message in Message::parse_stream(output.shown.as_slice()).flatten() {
        match message {
            Message::CompilerArtifact(artifact) => {
                let Some(entry) = owner(&artifact.target).and_then(|n| built.get_mut(&n)) else {
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
                let Some(entry) = owner(&msg.target).and_then(|n| built.get_mut(&n)) else {
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
    built
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
    let Ok(Some(bytes)) = crate::book::files::read(&deps, Path::new(&file)) else {
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
    /// A readable diff, and what it says of drift (drift.rs), if anything.
    Diff(String, String),
    /// What came, or what is recorded, may not be published.
    Refused(Problem),
    /// Blessing could not write the file.
    Machine(Problem),
}

/// The listing's files with its recording settings applied (metadata.rs,
/// `[package.metadata.listing.recorded]`): the rustc lints it is recorded
/// without are allowed in its copy's manifest (`[lints.rust]`), as
/// `RUSTFLAGS="-A …"` would for the reader; the book's own manifest says
/// no `[lints]` (metadata.rs refuses one there).
fn with_recorded_lints(listing: &Listing, mut files: Files) -> Result<Files, Problem> {
    let Some(recorded) = listing
        .declared
        .as_ref()
        .ok()
        .and_then(|d| d.recorded.as_ref())
    else {
        return Ok(files);
    };
    for (rel, content) in files.iter_mut() {
        if rel != Path::new("Cargo.toml") {
            continue;
        }
        let manifest = listing.rel.join("Cargo.toml");
        let mut table: toml::Table = String::from_utf8_lossy(content)
            .parse()
            .map_err(|e| Problem::new(&manifest, None, format!("{e}")))?;
        let rust: toml::Table = recorded
            .allow
            .iter()
            .map(|lint| (lint.clone(), toml::Value::String("allow".into())))
            .collect();
        let mut lints = toml::Table::new();
        lints.insert("rust".into(), rust.into());
        table.insert("lints".into(), lints.into());
        *content = toml::to_string(&table)
            .map_err(|e| Problem::new(&manifest, None, format!("{e}")))?
            .into_bytes();
    }
    Ok(files)
}
