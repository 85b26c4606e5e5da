//! `cargo xtask new-listing CHAPTER --kind KIND`: the next listing
//! directory of a chapter, with the files its kind needs, and the lines that
//! show it in the chapter. `cargo xtask bless` then records its output.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use harness::book::listings::EXPECTED_OUTPUT;
use harness::book::session::{INPUT, TRANSCRIPT};

/// The kinds of listing a course shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A program whose output (stdout) is shown as it prints it.
    Output,
    /// A terminal session: `$ cargo run`, cargo's lines, the program's output.
    Session,
    /// A session in which the reader types lines (input.txt).
    Input,
    /// A session with arguments and a data file the program reads.
    Args,
    /// A library with tests, shown by `$ cargo test`.
    Library,
    /// A program rustc rejects, shown with its error.
    DoesNotCompile,
    /// A program that panics, shown with its message.
    Panics,
    /// Output that differs from run to run (threads).
    Varies,
}

/// One file of a new listing: path in the listing, content.
type File = (&'static str, String);

/// The files of a listing of `kind` whose package is `name`.
pub fn files(kind: Kind, name: &str) -> Vec<File> {
    let manifest = |declared: &str, extra: &str| {
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\
             {declared}{extra}\n[dependencies]\n"
        )
    };
    let hello = "fn main() {\n    // ANCHOR: here\n    println!(\"Hello, world!\");\n    // ANCHOR_END: here\n}\n";
    match kind {
        Kind::Output => vec![
            ("Cargo.toml", manifest("", "")),
            ("src/main.rs", hello.into()),
            (EXPECTED_OUTPUT, String::new()),
        ],
        Kind::Session => vec![
            ("Cargo.toml", manifest("\n[package.metadata.listing]\nproject = \"hello\"\n", "")),
            ("src/main.rs", hello.into()),
            (TRANSCRIPT, "$ cargo run\n".into()),
        ],
        Kind::Input => vec![
            ("Cargo.toml", manifest("\n[package.metadata.listing]\nproject = \"greeter\"\n", "")),
            (
                "src/main.rs",
                "use std::io;\n\nfn main() {\n    // ANCHOR: here\n    println!(\"What is your name?\");\n    \
                 let mut name = String::new();\n    io::stdin()\n        .read_line(&mut name)\n        \
                 .expect(\"the terminal gives a line\");\n    println!(\"Hello, {}!\", name.trim());\n    \
                 // ANCHOR_END: here\n}\n"
                    .into(),
            ),
            (INPUT, "Ferris\n".into()),
            (TRANSCRIPT, "$ cargo run\n".into()),
        ],
        Kind::Args => vec![
            (
                "Cargo.toml",
                manifest(
                    "\n[package.metadata.listing]\nproject = \"count_lines\"\ncommand = \"cargo run -- notes.txt\"\n",
                    "",
                ),
            ),
            (
                "src/main.rs",
                "fn main() {\n    // ANCHOR: here\n    let path = std::env::args().nth(1).expect(\"a file to read\");\n    \
                 let text = std::fs::read_to_string(&path).expect(\"a file that exists\");\n    \
                 println!(\"{path}: {} lines\", text.lines().count());\n    // ANCHOR_END: here\n}\n"
                    .into(),
            ),
            ("notes.txt", "one\ntwo\nthree\n".into()),
            (EXPECTED_OUTPUT, String::new()),
        ],
        Kind::Library => vec![
            (
                "Cargo.toml",
                manifest(
                    "\n[package.metadata.listing]\nproject = \"adder\"\ncommand = \"cargo test\"\n",
                    "\n[lib]\nname = \"adder\"\n",
                ),
            ),
            (
                "src/lib.rs",
                "// ANCHOR: here\npub fn add(left: u64, right: u64) -> u64 {\n    left + right\n}\n\n\
                 #[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn two_and_two() {\n        \
                 assert_eq!(add(2, 2), 4);\n    }\n}\n// ANCHOR_END: here\n"
                    .into(),
            ),
            (EXPECTED_OUTPUT, String::new()),
        ],
        Kind::DoesNotCompile => vec![
            (
                "Cargo.toml",
                manifest("\n[package.metadata.listing]\noutcome = \"does-not-compile\"\nerror = \"E0382\"\n", ""),
            ),
            (
                "src/main.rs",
                "fn main() {\n    // ANCHOR: here\n    let name = String::from(\"Ferris\");\n    let moved = name;\n    \
                 println!(\"{name} {moved}\");\n    // ANCHOR_END: here\n}\n"
                    .into(),
            ),
            (EXPECTED_OUTPUT, String::new()),
        ],
        Kind::Panics => vec![
            ("Cargo.toml", manifest("\n[package.metadata.listing]\noutcome = \"panics\"\n", "")),
            (
                "src/main.rs",
                "fn main() {\n    // ANCHOR: here\n    let numbers = [1, 2, 3];\n    let index = numbers.len();\n    \
                 println!(\"{}\", numbers[index]);\n    // ANCHOR_END: here\n}\n"
                    .into(),
            ),
            (EXPECTED_OUTPUT, String::new()),
        ],
        Kind::Varies => vec![
            (
                "Cargo.toml",
                manifest(
                    "\n[package.metadata.listing.varies]\nwhy = \"two threads print at the same time\"\nany-order = true\n",
                    "",
                ),
            ),
            (
                "src/main.rs",
                "use std::thread;\n\nfn main() {\n    // ANCHOR: here\n    let handle = thread::spawn(|| println!(\"hello from a thread\"));\n    \
                 println!(\"hello from main\");\n    handle.join().expect(\"the thread ends\");\n    // ANCHOR_END: here\n}\n"
                    .into(),
            ),
            (EXPECTED_OUTPUT, String::new()),
        ],
    }
}

/// The Markdown that shows a listing of `kind` at `rel` in a chapter.
pub fn chapter_lines(kind: Kind, rel: &str) -> String {
    let (source, fence) = match kind {
        Kind::Library => ("src/lib.rs", "rust,noplayground"),
        Kind::Input | Kind::Args => ("src/main.rs", "rust,noplayground"),
        _ => ("src/main.rs", "rust"),
    };
    let output = match kind {
        Kind::Session | Kind::Input => {
            format!("```console\n{{{{#include ../{rel}/{TRANSCRIPT}}}}}\n```")
        }
        Kind::Varies => {
            format!("```text,may-differ\n{{{{#include ../{rel}/{EXPECTED_OUTPUT}}}}}\n```")
        }
        _ => format!("```text\n{{{{#include ../{rel}/{EXPECTED_OUTPUT}}}}}\n```"),
    };
    format!("```{fence}\n{{{{#rustdoc_include ../{rel}/{source}:here}}}}\n```\n\n{output}\n")
}

/// A chapter's name as `new-listing` takes it: `chNN-slug`, in lowercase
/// letters, digits and hyphens only (so never a path), whose page
/// `src/chNN-slug.md` exists. Returns NN.
fn chapter_number(root: &Path, chapter: &str) -> Result<String, String> {
    let nn: String = chapter
        .strip_prefix("ch")
        .unwrap_or("")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let slug = chapter.get(2 + nn.len()..).unwrap_or("");
    let well_formed = nn.len() == 2
        && slug.starts_with('-')
        && slug.len() > 1
        && slug
            .chars()
            .all(|c| c == '-' || c.is_ascii_lowercase() || c.is_ascii_digit());
    if !well_formed {
        return Err(format!(
            "`{chapter}` is not a chapter's name: it should look like `ch02-guessing-game` \
             (lowercase letters, digits and hyphens; no `/` or `..`)"
        ));
    }
    let page = root.join("src").join(format!("{chapter}.md"));
    if !page.is_file() {
        let mut known: Vec<String> = std::fs::read_dir(root.join("src"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_str()?.strip_suffix(".md")?.to_string();
                name.starts_with("ch").then_some(name)
            })
            .collect();
        known.sort();
        return Err(format!(
            "there is no chapter `{chapter}`: src/{chapter}.md does not exist. Write the \
             chapter first (create src/{chapter}.md and add it to src/SUMMARY.md as \
             `- [Its title]({chapter}.md)`), then add its listings. The chapters: {}",
            if known.is_empty() {
                "none yet".to_string()
            } else {
                known.join(", ")
            }
        ));
    }
    Ok(nn)
}

/// Creates `listings/CHAPTER/listing-NN-MM/`, the next number in the chapter.
pub fn create(root: &Path, chapter: &str, kind: Kind) -> Result<PathBuf, String> {
    let nn = chapter_number(root, chapter)?;
    let chapter_dir = root.join("listings").join(chapter);
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
    for (file, content) in files(kind, &name) {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::write(&path, content).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A book with one chapter, ch02-guessing-game.
    fn a_book() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("src")).unwrap();
        std::fs::write(
            root.path().join("src/ch02-guessing-game.md"),
            "# A guessing game\n",
        )
        .unwrap();
        root
    }

    /// Every file under `dir`, relative to it.
    fn files_in(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    found.push(e.path().strip_prefix(dir).unwrap().display().to_string());
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn a_name_that_is_a_path_is_refused_and_nothing_is_created() {
        let parent = tempfile::tempdir().unwrap();
        let root = parent.path().join("book");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("src/ch01-intro.md"), "# Intro\n").unwrap();
        for name in [
            "ch01-intro/../../../x",
            "../ch01-intro",
            "ch01-intro/sub",
            "/tmp/ch01-intro",
            "ch01-Intro",
            "ch1-intro",
            "ch01-",
        ] {
            let refused = create(&root, name, Kind::Output).unwrap_err();
            assert!(
                refused.contains("is not a chapter's name"),
                "{name}: {refused}"
            );
        }
        assert_eq!(files_in(parent.path()), ["book/src/ch01-intro.md"]);
    }

    #[test]
    fn a_chapter_that_does_not_exist_is_refused_with_what_to_do() {
        let root = a_book();
        let refused = create(root.path(), "ch09-does-not-exist", Kind::Output).unwrap_err();
        assert_eq!(
            refused,
            "there is no chapter `ch09-does-not-exist`: src/ch09-does-not-exist.md does not \
             exist. Write the chapter first (create src/ch09-does-not-exist.md and add it to \
             src/SUMMARY.md as `- [Its title](ch09-does-not-exist.md)`), then add its listings. \
             The chapters: ch02-guessing-game"
        );
        assert_eq!(files_in(root.path()), ["src/ch02-guessing-game.md"]);
    }

    #[test]
    fn a_chapter_that_exists_gets_its_next_listing() {
        let root = a_book();
        let first = create(root.path(), "ch02-guessing-game", Kind::Output).unwrap();
        let second = create(root.path(), "ch02-guessing-game", Kind::Input).unwrap();
        assert_eq!(
            first,
            root.path()
                .join("listings/ch02-guessing-game/listing-02-01")
        );
        assert_eq!(
            second,
            root.path()
                .join("listings/ch02-guessing-game/listing-02-02")
        );
    }

    /// Every kind's files declare what the harness reads, and its
    /// transcript, if any, is one the harness runs.
    #[test]
    fn every_kind_is_a_listing_the_harness_reads() {
        for kind in Kind::value_variants() {
            let dir = tempfile::tempdir().unwrap();
            for (file, content) in files(*kind, "listing-02-01") {
                let path = dir.path().join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, content).unwrap();
                if file == TRANSCRIPT {
                    let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
                    assert!(harness::book::session::steps(&text).is_ok(), "{kind:?}");
                }
            }
            let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
            let read =
                harness::book::metadata::parse(std::path::Path::new("Cargo.toml"), Ok(&manifest));
            assert!(read.is_ok(), "{kind:?}: {read:?}");
            let shown = chapter_lines(*kind, "listings/ch02-x/listing-02-01");
            assert!(shown.contains("listing-02-01/src/"), "{kind:?}");
        }
    }
}
