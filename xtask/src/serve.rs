//! `cargo xtask serve`: the book, served by the pinned `mdbook serve` (which
//! also watches `listings/`: `build.extra-watch-dirs`), with verdicts live
//! while the author writes. Every listing is checked when it starts, and a
//! listing is checked again as soon as one of its files changes: the
//! terminal prints the verdict (the diff, and the command that blesses it),
//! and the served page marks the output block that no longer matches. The
//! marking is a script that only this `mdbook serve` loads (through an
//! `MDBOOK_OUTPUT__HTML__ADDITIONAL_JS` override), from a small verdict
//! server on 127.0.0.1; it never reaches the built book.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::live::{self, Verdict};
use harness::book::listings::Listing;
use harness::engine::checker::Checker;

type Verdicts = Arc<Mutex<BTreeMap<String, Verdict>>>;

/// Where serve keeps its own files, inside the book's target directory.
const LIVE: &str = "target/live";

pub fn serve(root: &Path, mdbook: &Path, args: &[String]) -> Result<(), String> {
    // Judged before `mdbook serve` starts, or runs what book.toml names.
    crate::refuse_unless_publishable(&Checker::new(root), "serve")?;
    let verdicts: Verdicts = Arc::default();
    let port = verdict_server(Arc::clone(&verdicts))?;
    let script = Path::new(LIVE).join("cbh-live.js");
    std::fs::create_dir_all(root.join(LIVE)).map_err(|e| e.to_string())?;
    std::fs::write(root.join(&script), page_script(port)).map_err(|e| e.to_string())?;
    let mut scripts = additional_js(root)?;
    scripts.push(script.display().to_string());
    let scripts = format!(
        "[{}]",
        scripts
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut child = Command::new(mdbook)
        .arg("serve")
        .args(args)
        // Not book/: the served pages carry the verdict script.
        .arg("--dest-dir")
        .arg(Path::new(LIVE).join("book"))
        .env("MDBOOK_OUTPUT__HTML__ADDITIONAL_JS", scripts)
        // The listing labels from this binary, built already, rather than
        // through `cargo run` at each rebuild.
        .env(
            "MDBOOK_PREPROCESSOR__LISTING_LABELS__COMMAND",
            labels_command().unwrap_or_else(|| LABELS_COMMAND.into()),
        )
        .current_dir(root)
        .spawn()
        .map_err(|e| format!("could not run {}: {e}", mdbook.display()))?;
    eprintln!("Checking every listing; then each one again as you edit it.");
    let mut seen = modified_times(root);
    let mut checker = Checker::with_work(root, &root.join(LIVE));
    let mut pending: BTreeSet<PathBuf> = checker
        .book
        .listings()
        .iter()
        .map(|l| l.dir.clone())
        .collect();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return if status.success() {
                Ok(())
            } else {
                Err(format!("mdbook serve stopped ({status})"))
            };
        }
        if !pending.is_empty() {
            // The model of the book, read again, then the listings that
            // changed checked (their verdicts are kept as cargo test's are).
            checker.reload();
            check(&checker, &std::mem::take(&mut pending), &verdicts);
        }
        std::thread::sleep(Duration::from_millis(300));
        let now = modified_times(root);
        for (file, time) in &now {
            if seen.get(file) != Some(time) {
                pending.extend(listing_of(root, file));
            }
        }
        for file in seen.keys().filter(|f| !now.contains_key(*f)) {
            pending.extend(listing_of(root, file));
        }
        seen = now;
    }
}

/// The command book.toml gives for the listing labels.
const LABELS_COMMAND: &str = "cargo run --quiet --package xtask -- listing-labels";

/// This binary, run as the listing-labels preprocessor.
fn labels_command() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let exe = shlex::try_quote(exe.to_str()?).ok()?.into_owned();
    Some(format!("{exe} listing-labels"))
}

/// Checks the listings in `dirs`, prints each verdict, and keeps them for
/// the page.
fn check(checker: &Checker, dirs: &BTreeSet<PathBuf>, verdicts: &Verdicts) {
    let chapters = match checker.book.chapters() {
        Ok(chapters) => chapters,
        Err(problems) => {
            for problem in problems {
                eprintln!("{problem}");
            }
            return;
        }
    };
    let root = checker.book.root();
    for listing in checker
        .book
        .listings()
        .iter()
        .filter(|l| dirs.contains(&l.dir))
    {
        let started = Instant::now();
        let problems = harness::checks::outputs::check_listings(checker, &[listing]);
        let verdict = live::verdict(root, chapters, listing, problems);
        print(listing, &verdict, started.elapsed());
        verdicts
            .lock()
            .unwrap()
            .insert(verdict.listing.clone(), verdict);
    }
}

fn print(listing: &Listing, verdict: &Verdict, took: Duration) {
    if verdict.ok {
        eprintln!(
            "ok    {} prints what the book shows ({:.1} s)",
            verdict.listing,
            took.as_secs_f64()
        );
    } else {
        eprintln!(
            "FAIL  {} ({:.1} s)\n{}\nThe page marks its output block. If the new output of {} is right, \
             `cargo xtask bless` records it (review with `git diff listings/`).\n",
            verdict.listing,
            took.as_secs_f64(),
            verdict.report.trim_end(),
            listing.package
        );
    }
}

/// The listing directory a file is in: `listings/<chapter>/<listing>`.
fn listing_of(root: &Path, file: &Path) -> Option<PathBuf> {
    let rel = file.strip_prefix(root.join("listings")).ok()?;
    let mut parts = rel.components();
    let (chapter, listing) = (parts.next()?, parts.next()?);
    parts.next()?;
    Some(root.join("listings").join(chapter).join(listing))
}

/// Every file under listings/, with its time of last change (a link is not
/// followed: `DirEntry::metadata` reads the entry itself). 560 listings are a few thousand files: cheap to look at
/// three times a second.
fn modified_times(root: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut found = BTreeMap::new();
    let mut dirs = vec![root.join("listings")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => dirs.push(path),
                Ok(meta) => {
                    found.insert(path, meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
                }
                Err(_) => {}
            }
        }
    }
    found
}

/// book.toml's `output.html.additional-js`.
fn additional_js(root: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(root.join("book.toml")).map_err(|e| e.to_string())?;
    let table: toml::Table = text.parse().map_err(|e| format!("book.toml: {e}"))?;
    Ok(table
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("additional-js"))
        .and_then(|js| js.as_array())
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect())
}

/// Answers `GET /verdicts.json` on 127.0.0.1 with the failing verdicts, for
/// the page script. Returns its port.
fn verdict_server(verdicts: Verdicts) -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let failing: Vec<Verdict> = verdicts
                .lock()
                .unwrap()
                .values()
                .filter(|v| !v.ok)
                .cloned()
                .collect();
            let body = serde_json::to_string(&failing).unwrap_or_else(|_| "[]".into());
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                 Access-Control-Allow-Origin: *\r\nCache-Control: no-store\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(port)
}

/// The script the served pages load: it asks the verdict server every
/// second and a half, and marks this page's stale output blocks.
fn page_script(port: u16) -> String {
    format!(
        r#"// Written by `cargo xtask serve`; loaded only by the pages it serves.
(function () {{
  const url = 'http://127.0.0.1:{port}/verdicts.json';
  const page = location.pathname.split('/').pop() || 'index.html';
  const style = document.createElement('style');
  style.textContent = 'main pre.cbh-stale {{ outline: 3px solid #d1242f; outline-offset: 3px; }}' +
    ' main pre.cbh-stale::after {{ content: attr(data-cbh-verdict); display: block; margin-top: 0.6em;' +
    ' color: #d1242f; font: bold 0.8em sans-serif; white-space: normal; opacity: 1; }}';
  document.head.appendChild(style);
  async function poll() {{
    try {{
      const failing = await (await fetch(url, {{ cache: 'no-store' }})).json();
      const blocks = document.querySelectorAll('main pre');
      blocks.forEach((pre) => pre.classList.remove('cbh-stale'));
      for (const verdict of failing) {{
        for (const block of verdict.blocks) {{
          const pre = blocks[block.index];
          if (block.page !== page || !pre) continue;
          pre.classList.add('cbh-stale');
          pre.dataset.cbhVerdict = 'Out of date: ' + verdict.listing + ' no longer prints this. ' +
            'The terminal running cargo xtask serve shows the difference; cargo xtask bless accepts it.';
        }}
      }}
    }} catch (e) {{ /* the server is gone: serve has stopped */ }}
    setTimeout(poll, 1500);
  }}
  poll();
}})();
"#
    )
}
