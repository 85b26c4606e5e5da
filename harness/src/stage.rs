//! The reader's copy of a listing. mdBook strips the `// ANCHOR:` marker
//! lines from what the reader sees, but rustc, compiling the file as it is,
//! counts them: every line number in a diagnostic would be off. So the
//! listings are built and run from a copy of their directories in which the
//! marker lines are gone, exactly as the reader has the program. Files are
//! written only when their text changes, so cargo rebuilds only what did.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// A line mdBook treats as an anchor marker (its own pattern).
static ANCHOR_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bANCHOR(_END)?\s*:\s*[\w_-]+").unwrap());

/// What cargo and the checks make inside a listing's directory; not copied.
const GENERATED: [&str; 2] = ["target", "Cargo.lock"];

/// `text` as the reader sees it: without the anchor marker lines.
pub fn as_the_reader_sees_it(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|line| !ANCHOR_LINE.is_match(line))
        .collect()
}

/// Every file of a listing directory, relative to it, with its content as
/// the reader has it (Rust files without anchor lines).
pub fn reader_files(listing_dir: &Path) -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for rel in files_under(listing_dir, &GENERATED)? {
        let bytes = std::fs::read(listing_dir.join(&rel))?;
        let bytes = if rel.extension().is_some_and(|e| e == "rs") {
            match String::from_utf8(bytes) {
                Ok(text) => as_the_reader_sees_it(&text).into_bytes(),
                Err(e) => e.into_bytes(),
            }
        } else {
            bytes
        };
        files.push((rel, bytes));
    }
    Ok(files)
}

/// Every file under `dir`, relative to it and sorted, but under the
/// top-level names in `skip`.
fn files_under(dir: &Path, skip: &[&str]) -> std::io::Result<Vec<PathBuf>> {
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || !skip.iter().any(|s| e.file_name() == *s));
    let mut files = Vec::new();
    for entry in walk {
        let entry = entry?;
        if entry.file_type().is_file() {
            files.push(
                entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .to_path_buf(),
            );
        }
    }
    Ok(files)
}

/// Makes `dir` hold exactly `files` (relative path → content), writing a
/// file only when it changed and removing what is no longer there, except
/// under the top-level names in `keep`.
pub fn mirror(dir: &Path, files: &[(PathBuf, Vec<u8>)], keep: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let there = files_under(dir, keep)?;
    for (rel, content) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == *content) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content)?;
    }
    for rel in there {
        if !files.iter().any(|(f, _)| *f == rel) {
            std::fs::remove_file(dir.join(rel))?;
        }
    }
    Ok(())
}

/// A manifest with a new `[package] name`: the name the reader gave their
/// project, which cargo prints in its `Compiling` line. It is made its own
/// workspace, as `cargo new` makes it.
pub fn renamed(manifest: &str, new_name: &str) -> Result<String, String> {
    let mut table: toml::Table = manifest.parse().map_err(|e| format!("{e}"))?;
    let package = table
        .get_mut("package")
        .and_then(|p| p.as_table_mut())
        .ok_or("no [package] table")?;
    package.insert("name".into(), toml::Value::String(new_name.into()));
    table.insert("workspace".into(), toml::Value::Table(toml::Table::new()));
    toml::to_string(&table).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_lines_are_gone_and_nothing_else() {
        let text = "fn main() {\n    // ANCHOR: here\n    let x = 1; // ANCHORED\n    // ANCHOR_END: here\n}\n";
        assert_eq!(
            as_the_reader_sees_it(text),
            "fn main() {\n    let x = 1; // ANCHORED\n}\n"
        );
    }

    #[test]
    fn a_package_is_renamed_and_only_the_package() {
        let manifest = "[package]\nname = \"listing-02-01\"\nversion = \"0.1.0\"\n\n[dependencies]\nrand = \"0.8\"\n";
        let renamed: toml::Table = renamed(manifest, "guessing_game").unwrap().parse().unwrap();
        assert_eq!(renamed["package"]["name"].as_str(), Some("guessing_game"));
        assert_eq!(renamed["package"]["version"].as_str(), Some("0.1.0"));
        assert_eq!(renamed["dependencies"]["rand"].as_str(), Some("0.8"));
        assert!(renamed["workspace"].is_table());
    }
}
