//! `cargo xtask <command>`: the author's commands. See README.md.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use xtask::check::{self, OutputSettings};
use xtask::listings::{EXPECTED_OUTPUT, TIME_LIMIT};
use xtask::tools::{MDBOOK, MDBOOK_LINKCHECK2};

const USAGE: &str = "\
usage: cargo xtask <command>

  serve [ARGS]        serve the book with live reload (mdbook serve ARGS);
                      installs the pinned mdbook and mdbook-linkcheck2 first
  build               build the HTML into book/, with link checking
  bless [BOOK_DIR]    run every listing and write what it prints into its
                      output.txt (review the change with git diff); BOOK_DIR
                      is another book, e.g. tests/fixtures/tiny-book
  new-listing CHAPTER add the next listing to listings/CHAPTER/
  install-tools       install the pinned mdbook, mdbook-linkcheck2 and typos
  page-weight         build the book, and a default mdBook build of the same
                      chapters, and print what each page downloads (benchmark;
                      needs node, chromium and `npm ci --prefix tests/browser`)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let result = match args.first().map(String::as_str) {
        Some("serve") => mdbook(&root, "serve", &args[1..]),
        Some("build") => mdbook(&root, "build", &args[1..]),
        Some("bless") => bless(&args.get(1).map_or(root.clone(), |dir| root.join(dir))),
        Some("new-listing") => match args.get(1) {
            Some(chapter) => new_listing(&root, chapter),
            None => Err(format!(
                "name the chapter directory under listings/\n\n{USAGE}"
            )),
        },
        Some("install-tools") => xtask::tools::TYPOS
            .ensure()
            .and(install_tools())
            .map(|_| ()),
        Some("page-weight") => page_weight(&root),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn install_tools() -> Result<PathBuf, String> {
    MDBOOK_LINKCHECK2.ensure()?;
    MDBOOK.ensure()
}

/// Runs the pinned mdbook; its renderers include mdbook-linkcheck2, which
/// it finds beside it in cargo's bin directory.
fn mdbook(root: &Path, command: &str, args: &[String]) -> Result<(), String> {
    let exe = install_tools()?;
    let bin_dir = exe.parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .map_err(|e| e.to_string())?;
    let status = Command::new(&exe)
        .arg(command)
        .args(args)
        .current_dir(root)
        .env("PATH", path)
        .status()
        .map_err(|e| format!("could not run {}: {e}", exe.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("mdbook {command} failed ({status})"))
    }
}

/// The page-weight benchmark: this book against a default mdBook build (the
/// same chapters and listings, a book.toml with nothing but the title and
/// the edition), measured in Chromium by benches/page-weight/weight.mjs.
fn page_weight(root: &Path) -> Result<(), String> {
    mdbook(root, "build", &[])?;
    let work = root.join("target/page-weight");
    let plain = work.join("default-book");
    let _ = std::fs::remove_dir_all(&work);
    for dir in ["src", "listings"] {
        copy_tree(&root.join(dir), &plain.join(dir)).map_err(|e| format!("copying {dir}/: {e}"))?;
    }
    std::fs::write(
        plain.join("book.toml"),
        "[book]\ntitle = \"Coding by Hand: Rust\"\nsrc = \"src\"\n\n[rust]\nedition = \"2024\"\n",
    )
    .map_err(|e| e.to_string())?;
    let html = work.join("default-html");
    let status = Command::new(MDBOOK.ensure()?)
        .args(["build", "--dest-dir"])
        .arg(&html)
        .current_dir(&plain)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("the default mdBook build failed".into());
    }
    if !root.join("tests/browser/node_modules").exists() {
        run(Command::new("npm")
            .args(["ci", "--prefix", "tests/browser", "--no-audit", "--no-fund"])
            .current_dir(root))?;
    }
    run(Command::new("node")
        .arg("benches/page-weight/weight.mjs")
        .arg("book/html")
        .arg(&html)
        .current_dir(root))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("could not run {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_name() == "target" {
            continue;
        }
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

fn bless(root: &Path) -> Result<(), String> {
    let settings = OutputSettings {
        target_dir: Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/listings-bless"),
        time_limit: TIME_LIMIT,
        bless: true,
    };
    xtask::problem::report(check::outputs(root, &settings))?;
    eprintln!(
        "Every listing's {EXPECTED_OUTPUT} now holds what it prints. Review with `git diff listings/`."
    );
    Ok(())
}

/// Creates `listings/CHAPTER/listing-NN-MM/`, the next number in the chapter.
fn new_listing(root: &Path, chapter: &str) -> Result<(), String> {
    let chapter_dir = root.join("listings").join(chapter);
    let nn: String = chapter
        .trim_start_matches("ch")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if nn.is_empty() {
        return Err(format!("`{chapter}` should look like `ch02-some-slug`"));
    }
    let next = std::fs::read_dir(&chapter_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .rsplit('-')
                .next()?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0)
        + 1;
    let name = format!("listing-{nn}-{next:02}");
    let dir = chapter_dir.join(&name);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n"
    );
    let main = "fn main() {\n    // ANCHOR: here\n    println!(\"Hello, world!\");\n    // ANCHOR_END: here\n}\n";
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/main.rs"), main).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(EXPECTED_OUTPUT), "Hello, world!\n").map_err(|e| e.to_string())?;
    let rel = dir.strip_prefix(root).unwrap().display().to_string();
    println!(
        "Created {rel}/. Show it in the chapter (src/{chapter}.md) with:\n\n\
         ```rust\n{{{{#rustdoc_include ../{rel}/src/main.rs:here}}}}\n```\n\n\
         ```text\n{{{{#include ../{rel}/{EXPECTED_OUTPUT}}}}}\n```\n\n\
         Then write the program, and run `cargo xtask bless` to record what it prints."
    );
    Ok(())
}
