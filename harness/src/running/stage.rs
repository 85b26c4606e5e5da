//! The reader's copy of a listing. mdBook strips the `// ANCHOR:` marker
//! lines from what the reader sees, but rustc, compiling the file as it is,
//! counts them: every line number in a diagnostic would be off. So the
//! listings are built and run from a copy of their directories in which the
//! marker lines are gone, exactly as the reader has the program
//! (`listings::reader_files`). Files are written only when their text
//! changes (`files::mirror`), so cargo rebuilds only what did.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::book::listings::{Files, Listing};
use crate::book::problem::Problem;

/// How far a workspace is made ready before cargo is asked to build it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staging {
    /// Its files written, and nothing asked of cargo: the build that
    /// follows is the first to read it. A build staged so that fails for
    /// no listing's reason (cargo could not load the workspace, a crate is
    /// not fetched yet) is staged again `Checked` and tried again, so what
    /// it finds is what `Checked` finds, two cargo runs sooner on an edit.
    Written,
    /// Written, loaded by cargo (the listings it refuses left out, each
    /// with its reason), and the registry crates it uses fetched.
    Checked,
}

/// Writes `listings` (each with its files, relative to its directory) as
/// one Cargo workspace at `dir`, with the book's Cargo.lock, and, when
/// `Checked`, fetches the registry crates they use (the builds run
/// offline). Returns the listings cargo cannot load (a manifest it
/// refuses, a package with no target), each with cargo's reason: they are
/// left out of the workspace, so one broken listing does not stop the
/// others. A failure that is no listing's (cargo missing, the registry out
/// of reach, a full disk) is the machine's.
pub fn workspace(
    dir: &Path,
    listings: &[(&Listing, &Files)],
    lock: Option<&[u8]>,
    what: &str,
    registry: &crate::running::settings::Registry,
    staging: Staging,
) -> Result<Vec<(usize, Problem)>, Problem> {
    let all: Vec<usize> = (0..listings.len()).collect();
    write_workspace(dir, listings, &all, lock, what)?;
    if staging == Staging::Written {
        return Ok(Vec::new());
    }
    let mut refused = Vec::new();
    if let Err(whole) = loads(dir) {
        refused = refused_alone(dir, listings);
        if refused.is_empty() {
            return Err(Problem::machine(
                "Cargo.toml",
                format!(
                    "cargo could not read {what}:\n{}",
                    whole.replace(&format!("{}/", dir.display()), "")
                ),
            ));
        }
        let kept: Vec<usize> = all
            .iter()
            .copied()
            .filter(|i| !refused.iter().any(|(r, _)| r == i))
            .collect();
        write_workspace(dir, listings, &kept, lock, what)?;
        if kept.is_empty() {
            return Ok(refused);
        }
    }
    fetch(dir, registry)?;
    Ok(refused)
}

/// Writes the `chosen` listings (each with its files) as one Cargo
/// workspace at `dir`, with the book's Cargo.lock.
fn write_workspace(
    dir: &Path,
    listings: &[(&Listing, &Files)],
    chosen: &[usize],
    lock: Option<&[u8]>,
    what: &str,
) -> Result<(), Problem> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut members = Vec::new();
    for &i in chosen {
        let (listing, listing_files) = listings[i];
        for (file, content) in listing_files {
            files.push((listing.rel.join(file), content.clone()));
        }
        members.push(format!("{:?}", listing.rel.display().to_string()));
    }
    files.push((
        "Cargo.toml".into(),
        format!(
            "# {what} (see harness/src/running/stage.rs).\n[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        )
        .into_bytes(),
    ));
    if let Some(lock) = lock {
        files.push(("Cargo.lock".into(), lock.to_vec()));
    }
    crate::book::files::mirror(dir, &files, &[]).map_err(|e| {
        Problem::machine(
            "Cargo.toml",
            format!("could not write {what} in {}: {e}", dir.display()),
        )
    })
}

/// The listings cargo refuses to load, each tried alone beside `dir`,
/// with cargo's reason.
fn refused_alone(dir: &Path, listings: &[(&Listing, &Files)]) -> Vec<(usize, Problem)> {
    let alone = dir.with_extension("alone");
    let mut refused = Vec::new();
    for (i, (listing, files)) in listings.iter().enumerate() {
        let mut files = files.to_vec();
        for (rel, content) in files.iter_mut() {
            if rel == Path::new("Cargo.toml") {
                let text = String::from_utf8_lossy(content).into_owned();
                if let Ok(own) = renamed(&text, &listing.package) {
                    *content = own.into_bytes();
                }
            }
        }
        if crate::book::files::mirror(&alone, &files, &[]).is_ok()
            && let Err(said) = loads(&alone)
        {
            let said = said.replace(
                &format!("{}/", alone.display()),
                &format!("{}/", listing.rel.display()),
            );
            refused.push((
                i,
                Problem::new(
                    listing.rel.join("Cargo.toml"),
                    None,
                    format!("cargo cannot load this listing:\n{said}"),
                ),
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&alone);
    refused
}

/// Fetches the registry crates the workspace at `dir` uses into the
/// author's cargo home (the builds run offline).
fn fetch(dir: &Path, registry: &crate::running::settings::Registry) -> Result<(), Problem> {
    let mut fetch = cargo(dir);
    fetch
        .args(["fetch", "--quiet"])
        .env("CARGO_HOME", &registry.cargo_home);
    if registry.offline {
        fetch.arg("--offline");
    }
    let fetched = fetch
        .output()
        .map_err(|e| Problem::machine("Cargo.toml", format!("could not run cargo: {e}")))?;
    if fetched.status.success() {
        return Ok(());
    }
    Err(Problem::machine(
        crate::book::listings::LOCK,
        format!(
            "cargo could not fetch the registry crates the listings use, and the checks \
             build offline. Run `cargo fetch --manifest-path listings/Cargo.toml` where \
             the registry can be reached, then `cargo test` again. cargo said:\n{}",
            String::from_utf8_lossy(&fetched.stderr)
                .trim_end()
                .replace(&format!("{}/", dir.display()), "")
        ),
    ))
}

/// Keeps the book's `listings/Cargo.lock` pinning what the listings use,
/// as cargo keeps a workspace's lock: once the registry crates are fetched,
/// `cargo metadata --offline` on the listings' own workspace adds a new
/// listing or crate to it (and changes nothing else). Offline, so it never
/// reaches the network: a listing whose dependency is refused (a git
/// repository, say) makes it fail, which the checks report anyway.
///
/// cargo reads every listing's manifest for it (a tenth of a second at 560
/// listings), so it is asked only when what it reads has changed since it
/// was last asked: the `stamp` file holds a hash of every manifest under
/// `listings/`, the lock and cargo's version, as they were after it.
pub fn pin(
    book: &crate::book::model::Book,
    registry: &crate::running::settings::Registry,
    stamp: &Path,
) {
    let root = book.root();
    let manifest = root.join("listings/Cargo.toml");
    if !manifest.is_file() {
        return;
    }
    let inputs = || pin_inputs(book, registry).to_string();
    if std::fs::read_to_string(stamp).is_ok_and(|s| s == inputs()) {
        return;
    }
    let pinned = cargo(root)
        .args(["metadata", "--offline", "--format-version", "1"])
        .arg("--manifest-path")
        .arg(&manifest)
        .env("CARGO_HOME", &registry.cargo_home)
        .output()
        .is_ok_and(|o| o.status.success());
    if pinned {
        let _ = std::fs::write(stamp, inputs());
    } else {
        let _ = std::fs::remove_file(stamp);
    }
}

/// What `cargo metadata` reads to pin the lock: the manifests under
/// `listings/` (as the book was read), the lock as it is now on disk, where
/// the registry is, and cargo's version.
fn pin_inputs(
    book: &crate::book::model::Book,
    registry: &crate::running::settings::Registry,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for (rel, entry) in &book.tree().entries {
        if rel.starts_with("listings") && rel.file_name() == Some("Cargo.toml".as_ref()) {
            (rel, entry).hash(&mut hasher);
        }
    }
    std::fs::read(book.root().join(crate::book::listings::LOCK))
        .ok()
        .hash(&mut hasher);
    (&registry.cargo_home, registry.offline).hash(&mut hasher);
    crate::running::tools::tool_version("cargo").hash(&mut hasher);
    hasher.finish()
}

/// `cargo` in `dir`, its messages without colour.
pub fn cargo(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir).env("CARGO_TERM_COLOR", "never");
    cmd
}

/// Whether cargo can load the workspace at `dir` (offline, its own
/// packages only), or what it said.
fn loads(dir: &Path) -> Result<(), String> {
    let out = cargo(dir)
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim_end().to_string())
    }
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
            crate::book::listings::without_anchor_lines(text),
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
