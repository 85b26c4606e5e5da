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
  install-tools       install the pinned mdbook and mdbook-linkcheck2
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
        Some("install-tools") => install_tools().map(|_| ()),
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
