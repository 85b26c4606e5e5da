//! `cargo xtask new-listing CHAPTER --kind KIND`: the next listing
//! directory of a chapter, with the files its kind needs, and the lines that
//! show it in the chapter. `cargo xtask bless` then records its output.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use harness::listings::EXPECTED_OUTPUT;
use harness::transcript::{INPUT, TRANSCRIPT};

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
            ("Cargo.toml", manifest("\n[package.metadata.listing]\nproject = \"count_lines\"\n", "")),
            (
                "src/main.rs",
                "fn main() {\n    // ANCHOR: here\n    let path = std::env::args().nth(1).expect(\"a file to read\");\n    \
                 let text = std::fs::read_to_string(&path).expect(\"a file that exists\");\n    \
                 println!(\"{path}: {} lines\", text.lines().count());\n    // ANCHOR_END: here\n}\n"
                    .into(),
            ),
            ("notes.txt", "one\ntwo\nthree\n".into()),
            (TRANSCRIPT, "$ cargo run -- notes.txt\n".into()),
        ],
        Kind::Library => vec![
            ("Cargo.toml", manifest("\n[package.metadata.listing]\nproject = \"adder\"\n", "\n[lib]\nname = \"adder\"\n")),
            (
                "src/lib.rs",
                "// ANCHOR: here\npub fn add(left: u64, right: u64) -> u64 {\n    left + right\n}\n\n\
                 #[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn two_and_two() {\n        \
                 assert_eq!(add(2, 2), 4);\n    }\n}\n// ANCHOR_END: here\n"
                    .into(),
            ),
            (TRANSCRIPT, "$ cargo test\n".into()),
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
        Kind::Session | Kind::Input | Kind::Args | Kind::Library => {
            format!("```console\n{{{{#include ../{rel}/{TRANSCRIPT}}}}}\n```")
        }
        Kind::Varies => {
            format!("```text,may-differ\n{{{{#include ../{rel}/{EXPECTED_OUTPUT}}}}}\n```")
        }
        _ => format!("```text\n{{{{#include ../{rel}/{EXPECTED_OUTPUT}}}}}\n```"),
    };
    format!("```{fence}\n{{{{#rustdoc_include ../{rel}/{source}:here}}}}\n```\n\n{output}\n")
}

/// Creates `listings/CHAPTER/listing-NN-MM/`, the next number in the chapter.
pub fn create(root: &Path, chapter: &str, kind: Kind) -> Result<PathBuf, String> {
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
                    assert!(harness::transcript::steps(&text).is_ok(), "{kind:?}");
                }
            }
            let read = harness::metadata::read(dir.path(), &dir.path().join("Cargo.toml"));
            assert!(read.is_ok(), "{kind:?}: {read:?}");
            let shown = chapter_lines(*kind, "listings/ch02-x/listing-02-01");
            assert!(shown.contains("listing-02-01/src/"), "{kind:?}");
        }
    }
}
