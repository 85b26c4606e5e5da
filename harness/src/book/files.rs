//! The harness's own reads and writes, which never follow a link.
//!
//! A book takes contributions, so a file of the book may be a symbolic link
//! to a secret of the machine, a FIFO that never answers, or `/dev/zero`.
//! Every file the harness reads is opened relative to its directory, with
//! `O_NOFOLLOW` at every step (a link anywhere on the way is refused, not
//! followed), `O_NONBLOCK` (a FIFO cannot stall the read), checked to be a
//! regular file, and read up to a size bound. Every file it writes (a
//! blessed `output.txt`, a staged copy of a listing) is written the same
//! way: into a directory reached without following a link, under a
//! temporary name, then renamed over the old one, so a link that a program
//! or a contributor left in its place is replaced, never written through.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

/// The largest file of a book the harness reads (a chapter, a listing's
/// source or data file, an expected output).
pub const FILE_LIMIT: u64 = 8 * 1024 * 1024;

/// The most a whole book may hold (every file read, together).
pub const BOOK_LIMIT: u64 = 512 * 1024 * 1024;

/// What the harness found at a path of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A regular file, and its bytes.
    File(Arc<[u8]>),
    /// Something the harness does not read, and why.
    Refused(Refusal),
}

/// Why a path of the book is not read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// A symbolic link (to where it points).
    Link(String),
    /// A FIFO, a socket, a device.
    NotAFile(&'static str),
    /// Larger than [`FILE_LIMIT`] (its size).
    TooLarge(u64),
    /// Reading the book would pass [`BOOK_LIMIT`].
    BookTooLarge,
    /// The system refused to read it.
    Unreadable(String),
}

impl Refusal {
    /// Why, in a sentence an author can act on.
    pub fn explain(&self) -> String {
        match self {
            Refusal::Link(to) => format!(
                "is a symbolic link (to {to}). The book holds only real files, and the checks \
                 never follow a link: put the file itself here"
            ),
            Refusal::NotAFile(kind) => {
                format!("is a {kind}, not a file. The book holds only real files: remove it")
            }
            Refusal::TooLarge(size) => format!(
                "is {} MB; a file of the book may hold at most {} MB. Make it smaller",
                size / 1_000_000,
                FILE_LIMIT / 1024 / 1024
            ),
            Refusal::BookTooLarge => format!(
                "was not read: the book's files passed {} MB in all",
                BOOK_LIMIT / 1024 / 1024
            ),
            Refusal::Unreadable(e) => format!("could not be read: {e}"),
        }
    }
}

/// Files under a root, read without following any link: every regular
/// file's bytes, and what was refused, by path relative to the root; and
/// every directory met on the way.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub entries: BTreeMap<PathBuf, Entry>,
    pub dirs: BTreeSet<PathBuf>,
    read: u64,
    /// Paths under the tops that are not read at all (nor refused).
    except: Vec<PathBuf>,
}

impl Tree {
    /// Reads `tops` (relative paths: files or directories) under `root`.
    /// A top that does not exist is left out; a link on the way to it is
    /// refused.
    pub fn read(root: &Path, tops: &[PathBuf]) -> std::io::Result<Tree> {
        Tree::read_except(root, tops, &[])
    }

    /// Reads `tops` as [`Tree::read`] does, but nothing at or under
    /// `except`.
    pub fn read_except(root: &Path, tops: &[PathBuf], except: &[PathBuf]) -> std::io::Result<Tree> {
        let root_fd = rustix::fs::open(
            root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        let mut tree = Tree {
            except: except.to_vec(),
            ..Tree::default()
        };
        for top in tops {
            tree.read_top(&root_fd, top);
        }
        Ok(tree)
    }

    fn read_top(&mut self, root: &OwnedFd, top: &Path) {
        let Some(parts) = plain_parts(top) else {
            return;
        };
        let (last, dirs) = parts.split_last().expect("a top has a name");
        let mut dir = match rustix::io::dup(root) {
            Ok(fd) => fd,
            Err(_) => return,
        };
        let mut rel = PathBuf::new();
        for part in dirs {
            rel.push(part);
            match open_dir_nofollow(&dir, part) {
                Ok(Some(next)) => dir = next,
                Ok(None) => return,
                Err(refusal) => {
                    self.entries.insert(rel, Entry::Refused(refusal));
                    return;
                }
            }
        }
        rel.push(last);
        self.read_at(&dir, last, rel);
    }

    /// Reads `name` in `dir` (a file, or a directory and all under it).
    fn read_at(&mut self, dir: &OwnedFd, name: &str, rel: PathBuf) {
        if self.except.iter().any(|e| rel.starts_with(e)) {
            return;
        }
        let stat = match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => stat,
            Err(rustix::io::Errno::NOENT) => return,
            Err(e) => {
                self.entries
                    .insert(rel, Entry::Refused(Refusal::Unreadable(e.to_string())));
                return;
            }
        };
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::Directory => {
                let fd = match open_dir_nofollow(dir, name) {
                    Ok(Some(fd)) => fd,
                    Ok(None) => return,
                    Err(refusal) => {
                        self.entries.insert(rel, Entry::Refused(refusal));
                        return;
                    }
                };
                self.dirs.insert(rel.clone());
                let mut names = match names_in(&fd) {
                    Ok(names) => names,
                    Err(e) => {
                        self.entries
                            .insert(rel, Entry::Refused(Refusal::Unreadable(e.to_string())));
                        return;
                    }
                };
                names.sort();
                for child in names {
                    let child_rel = rel.join(&child);
                    self.read_at(&fd, &child, child_rel);
                }
            }
            FileType::Symlink => {
                let to = rustix::fs::readlinkat(dir, name, Vec::new())
                    .map(|t| t.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.entries.insert(rel, Entry::Refused(Refusal::Link(to)));
            }
            FileType::RegularFile => {
                let entry = if self.read + stat.st_size as u64 > BOOK_LIMIT {
                    Entry::Refused(Refusal::BookTooLarge)
                } else {
                    match read_file_nofollow(dir, name) {
                        Ok(bytes) => {
                            self.read += bytes.len() as u64;
                            Entry::File(bytes.into())
                        }
                        Err(refusal) => Entry::Refused(refusal),
                    }
                };
                self.entries.insert(rel, entry);
            }
            other => {
                self.entries
                    .insert(rel, Entry::Refused(Refusal::NotAFile(kind_name(other))));
            }
        }
    }
}

fn kind_name(kind: FileType) -> &'static str {
    match kind {
        FileType::Fifo => "FIFO",
        FileType::Socket => "socket",
        FileType::CharacterDevice => "character device",
        FileType::BlockDevice => "block device",
        _ => "special file",
    }
}

/// The names in a directory, but `.` and `..`.
fn names_in(dir: &OwnedFd) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in rustix::fs::Dir::read_from(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "." && name != ".." {
            names.push(name);
        }
    }
    Ok(names)
}

/// The parts of a relative path with no `.`, `..` or root: `None` if it
/// has any.
fn plain_parts(path: &Path) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    for part in path.components() {
        match part {
            Component::Normal(name) => parts.push(name.to_str()?.to_string()),
            _ => return None,
        }
    }
    (!parts.is_empty()).then_some(parts)
}

/// Opens directory `name` in `dir` without following a link: `None` when
/// it does not exist.
fn open_dir_nofollow(dir: &OwnedFd, name: &str) -> Result<Option<OwnedFd>, Refusal> {
    match rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => Ok(Some(fd)),
        Err(rustix::io::Errno::NOENT) => Ok(None),
        Err(rustix::io::Errno::LOOP) | Err(rustix::io::Errno::NOTDIR) => {
            let to = rustix::fs::readlinkat(dir, name, Vec::new())
                .map(|t| t.to_string_lossy().into_owned());
            match to {
                Ok(to) => Err(Refusal::Link(to)),
                Err(_) => Err(Refusal::NotAFile("file where a directory was expected")),
            }
        }
        Err(e) => Err(Refusal::Unreadable(e.to_string())),
    }
}

/// Reads regular file `name` in `dir`, up to [`FILE_LIMIT`], without
/// following a link or waiting on a FIFO.
fn read_file_nofollow(dir: &OwnedFd, name: &str) -> Result<Vec<u8>, Refusal> {
    let fd = rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| match e {
        rustix::io::Errno::LOOP => Refusal::Link(String::new()),
        e => Refusal::Unreadable(e.to_string()),
    })?;
    let stat = rustix::fs::fstat(&fd).map_err(|e| Refusal::Unreadable(e.to_string()))?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
        return Err(Refusal::NotAFile(kind_name(FileType::from_raw_mode(
            stat.st_mode,
        ))));
    }
    let mut bytes = Vec::new();
    std::fs::File::from(fd)
        .take(FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Refusal::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > FILE_LIMIT {
        return Err(Refusal::TooLarge(stat.st_size as u64));
    }
    Ok(bytes)
}

/// Reads one file at `rel` under `root` as the book's files are read: no
/// link followed on the way or at the end, bounded. `Ok(None)` when it does
/// not exist.
pub fn read(root: &Path, rel: &Path) -> Result<Option<Vec<u8>>, Refusal> {
    let tree =
        Tree::read(root, &[rel.to_path_buf()]).map_err(|e| Refusal::Unreadable(e.to_string()))?;
    match tree.entries.into_iter().next() {
        None => Ok(None),
        Some((_, Entry::File(bytes))) => Ok(Some(bytes.to_vec())),
        Some((_, Entry::Refused(refusal))) => Err(refusal),
    }
}

/// Opens (making them where missing) the directories of `rel`'s parent
/// under `root`, never following a link; returns the parent's descriptor
/// and the file's name.
fn parent_of(root: &Path, rel: &Path) -> std::io::Result<(OwnedFd, String)> {
    let parts = plain_parts(rel).ok_or_else(|| {
        std::io::Error::other(format!("{} is not a plain relative path", rel.display()))
    })?;
    let (name, dirs) = parts.split_last().expect("a plain path has a name");
    let mut dir = rustix::fs::open(
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut so_far = PathBuf::new();
    for part in dirs {
        so_far.push(part);
        match rustix::fs::mkdirat(&dir, part.as_str(), Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => {}
            Err(e) => return Err(e.into()),
        }
        dir = match rustix::fs::openat(
            &dir,
            part.as_str(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::LOOP) | Err(rustix::io::Errno::NOTDIR) => {
                return Err(std::io::Error::other(format!(
                    "{} is not a directory (a link or a file is in its place), so nothing \
                     is written through it",
                    so_far.display()
                )));
            }
            Err(e) => return Err(e.into()),
        };
    }
    Ok((dir, name.clone()))
}

/// Writes `bytes` to `rel` under `root`: directories made as needed, none
/// followed if it is a link, and the file replaced by a rename, so a link
/// in its place is replaced rather than written through.
pub fn write(root: &Path, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (dir, name) = parent_of(root, rel)?;
    let temp = format!(".{name}.cbh-{}", std::process::id());
    let fd = rustix::fs::openat(
        &dir,
        temp.as_str(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o644),
    )?;
    let written = std::io::Write::write_all(&mut std::fs::File::from(fd), bytes);
    if let Err(e) = written {
        let _ = rustix::fs::unlinkat(&dir, temp.as_str(), AtFlags::empty());
        return Err(e);
    }
    rustix::fs::renameat(&dir, temp.as_str(), &dir, name.as_str())?;
    Ok(())
}

/// Opens `rel` under `root` (made if missing, directories too, no link
/// followed) and holds an exclusive lock on it until the returned
/// descriptor is dropped: the writers of one file of the harness's own
/// (a check's verdicts) take turns, across threads and processes. The
/// kernel lets go of it when its process ends, however it ends.
pub fn locked(root: &Path, rel: &Path) -> std::io::Result<OwnedFd> {
    let (dir, name) = parent_of(root, rel)?;
    let fd = rustix::fs::openat(
        &dir,
        name.as_str(),
        OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o644),
    )?;
    rustix::fs::flock(&fd, rustix::fs::FlockOperation::LockExclusive)?;
    Ok(fd)
}

/// Removes `rel` under `root` (a file, a link, or a directory and all in
/// it) without following a link.
pub fn remove(root: &Path, rel: &Path) -> std::io::Result<()> {
    let Some(parts) = plain_parts(rel) else {
        return Ok(());
    };
    let (name, dirs) = parts.split_last().expect("a plain path has a name");
    let mut dir = rustix::fs::open(
        root,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    for part in dirs {
        match open_dir_nofollow(&dir, part) {
            Ok(Some(next)) => dir = next,
            _ => return Ok(()),
        }
    }
    remove_at(&dir, name)
}

fn remove_at(dir: &OwnedFd, name: &str) -> std::io::Result<()> {
    match rustix::fs::unlinkat(dir, name, AtFlags::empty()) {
        Ok(()) | Err(rustix::io::Errno::NOENT) => return Ok(()),
        Err(rustix::io::Errno::ISDIR) | Err(rustix::io::Errno::PERM) => {}
        Err(e) => return Err(e.into()),
    }
    if let Ok(Some(sub)) = open_dir_nofollow(dir, name) {
        for child in names_in(&sub)? {
            remove_at(&sub, &child)?;
        }
    }
    match rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR) {
        Ok(()) | Err(rustix::io::Errno::NOENT) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Makes directory `dir` hold exactly `files` (relative path → content):
/// a file is written only when its content changed, and anything else
/// there (a file, a directory, a link a program left) is removed, but the
/// top-level names in `keep`. Nothing is followed or written through.
pub fn mirror(dir: &Path, files: &[(PathBuf, Vec<u8>)], keep: &[&str]) -> std::io::Result<()> {
    mirror_emptying(dir, files, keep).map(drop)
}

/// [`mirror`], and the thread that empties its trash, if one was started.
fn mirror_emptying(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    keep: &[&str],
) -> std::io::Result<Option<std::thread::JoinHandle<()>>> {
    std::fs::create_dir_all(dir)?;
    let wanted = Wanted {
        files: files.iter().map(|(p, c)| (p.as_path(), &c[..])).collect(),
        // Every directory a wanted file is in, found once: hundreds of
        // listings make thousands of both.
        dirs: files
            .iter()
            .flat_map(|(f, _)| f.ancestors().skip(1))
            .collect(),
        keep,
    };
    let root = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let trash = Trash::beside(dir);
    let mut same = BTreeSet::new();
    wanted.prune(&root, Path::new(""), &trash, &mut same)?;
    for (rel, content) in files {
        if !same.contains(rel.as_path()) {
            write(dir, rel, content)?;
        }
    }
    Ok(trash.empty_in_the_background())
}

/// Where [`mirror`] moves a directory no longer wanted (`DIR.trash`,
/// beside it, so that a rename moves it): one rename takes a listing out
/// of a staged workspace, where removing it is a call per file. It is made
/// only when something goes in it, and a thread of its own then removes
/// it; what that thread has not removed when the process ends, the next
/// mirror's thread does.
struct Trash {
    path: PathBuf,
    dir: std::sync::OnceLock<Option<OwnedFd>>,
}

impl Trash {
    fn beside(dir: &Path) -> Trash {
        let mut name = dir.file_name().unwrap_or_default().to_os_string();
        name.push(".trash");
        Trash {
            path: dir.with_file_name(name),
            dir: std::sync::OnceLock::new(),
        }
    }

    /// The trash's directory, made if `make` and missing; never a link.
    fn open(path: &Path, make: bool) -> Option<OwnedFd> {
        let (parent, name) = (path.parent()?, path.file_name()?.to_str()?);
        let parent = rustix::fs::open(
            parent,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        if make {
            let _ = rustix::fs::mkdirat(&parent, name, Mode::from_raw_mode(0o755));
        }
        open_dir_nofollow(&parent, name).ok()?
    }

    /// Takes `name` out of `at`: into the trash, or removed here.
    fn take(&self, at: &OwnedFd, name: &str) -> std::io::Result<()> {
        static TAKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        if let Some(trash) = self.dir.get_or_init(|| Trash::open(&self.path, true)) {
            let n = TAKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let new = format!("{}-{n}", std::process::id());
            if rustix::fs::renameat(at, name, trash, new.as_str()).is_ok() {
                return Ok(());
            }
        }
        remove_at(at, name)
    }

    /// Removes the trash (made now, or left by a run that ended first) on
    /// a thread of its own.
    fn empty_in_the_background(self) -> Option<std::thread::JoinHandle<()>> {
        let path = self.path;
        if self.dir.get().is_none() && !path.is_dir() {
            return None;
        }
        std::thread::Builder::new()
            .name("trash".into())
            .spawn(move || {
                let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                    return;
                };
                if let (Ok(root), Some(name)) = (
                    rustix::fs::open(
                        parent,
                        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                        Mode::empty(),
                    ),
                    name.to_str(),
                ) {
                    let _ = remove_at(&root, name);
                }
            })
            .ok()
    }
}

/// What [`mirror`] makes a directory hold.
struct Wanted<'a> {
    files: BTreeMap<&'a Path, &'a [u8]>,
    dirs: BTreeSet<&'a Path>,
    keep: &'a [&'a str],
}

impl Wanted<'_> {
    /// Removes from `at` (the directory `rel`) all that is not wanted:
    /// a directory no wanted file is in goes whole, unread, to the trash,
    /// and a link is removed, never followed. The wanted files already there with
    /// their content go into `same`.
    fn prune(
        &self,
        at: &OwnedFd,
        rel: &Path,
        trash: &Trash,
        same: &mut BTreeSet<PathBuf>,
    ) -> std::io::Result<()> {
        for name in names_in(at)? {
            if rel.as_os_str().is_empty() && self.keep.contains(&name.as_str()) {
                continue;
            }
            let child = rel.join(&name);
            let kind = match rustix::fs::statat(at, name.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => FileType::from_raw_mode(stat.st_mode),
                Err(rustix::io::Errno::NOENT) => continue,
                Err(e) => return Err(e.into()),
            };
            match (kind, self.files.get(child.as_path())) {
                (FileType::Directory, None) if self.dirs.contains(child.as_path()) => {
                    if let Ok(Some(sub)) = open_dir_nofollow(at, &name) {
                        self.prune(&sub, &child, trash, same)?;
                    }
                }
                (FileType::RegularFile, Some(content)) => {
                    if read_file_nofollow(at, &name).is_ok_and(|old| old[..] == content[..]) {
                        same.insert(child);
                    }
                }
                (FileType::Directory, _) => trash.take(at, &name)?,
                _ => remove_at(at, &name)?,
            }
        }
        Ok(())
    }
}

/// Whether an I/O error is the machine's (a full disk, a read-only file
/// system, a failing device) rather than anything the book did.
pub fn is_the_machines(error: &std::io::Error) -> bool {
    matches!(
        error
            .raw_os_error()
            .map(rustix::io::Errno::from_raw_os_error),
        Some(
            rustix::io::Errno::NOSPC
                | rustix::io::Errno::DQUOT
                | rustix::io::Errno::ROFS
                | rustix::io::Errno::IO
                | rustix::io::Errno::NOMEM
                | rustix::io::Errno::MFILE
                | rustix::io::Errno::NFILE
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_excepted_is_not_read_nor_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("theme/tools/node_modules/.bin")).unwrap();
        std::fs::write(root.join("theme/book.js"), "// js").unwrap();
        std::fs::write(root.join("theme/tools/minify.mjs"), "// mjs").unwrap();
        std::os::unix::fs::symlink(
            "../terser/bin",
            root.join("theme/tools/node_modules/.bin/terser"),
        )
        .unwrap();
        let tree = Tree::read_except(
            root,
            &[PathBuf::from("theme")],
            &[PathBuf::from("theme/tools")],
        )
        .unwrap();
        assert_eq!(
            tree.entries.keys().collect::<Vec<_>>(),
            vec![Path::new("theme/book.js")]
        );
        let all = Tree::read(root, &[PathBuf::from("theme")]).unwrap();
        assert_eq!(
            all.entries
                .get(Path::new("theme/tools/node_modules/.bin/terser")),
            Some(&Entry::Refused(Refusal::Link("../terser/bin".into())))
        );
    }

    #[test]
    fn links_fifos_and_large_files_are_refused_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/inner")).unwrap();
        std::fs::write(root.join("src/ch01.md"), "# One\n").unwrap();
        std::fs::write(root.join("src/inner/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("src/leak.md")).unwrap();
        std::os::unix::fs::symlink("/etc", root.join("src/etc")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("src/zero.txt")).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            root.join("src/pipe"),
            FileType::Fifo,
            Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        let big = std::fs::File::create(root.join("src/big.bin")).unwrap();
        big.set_len(FILE_LIMIT + 1).unwrap();

        let tree = Tree::read(root, &[PathBuf::from("src"), PathBuf::from("missing")]).unwrap();
        let get = |p: &str| tree.entries.get(Path::new(p)).cloned();
        assert_eq!(
            get("src/ch01.md"),
            Some(Entry::File(b"# One\n".to_vec().into()))
        );
        assert_eq!(
            get("src/inner/a.txt"),
            Some(Entry::File(b"a".to_vec().into()))
        );
        assert_eq!(
            get("src/leak.md"),
            Some(Entry::Refused(Refusal::Link("/etc/passwd".into())))
        );
        assert_eq!(
            get("src/etc"),
            Some(Entry::Refused(Refusal::Link("/etc".into())))
        );
        assert_eq!(
            get("src/zero.txt"),
            Some(Entry::Refused(Refusal::Link("/dev/zero".into())))
        );
        assert_eq!(
            get("src/pipe"),
            Some(Entry::Refused(Refusal::NotAFile("FIFO")))
        );
        assert_eq!(
            get("src/big.bin"),
            Some(Entry::Refused(Refusal::TooLarge(FILE_LIMIT + 1)))
        );
        assert!(
            !tree
                .entries
                .keys()
                .any(|p| p.starts_with("src/etc") && p != Path::new("src/etc"))
        );
        assert_eq!(tree.entries.len(), 7);
    }

    #[test]
    fn a_top_reached_through_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("listings")).unwrap();
        let tree = Tree::read(dir.path(), &[PathBuf::from("listings/secret.txt")]).unwrap();
        assert!(matches!(
            tree.entries.get(Path::new("listings")),
            Some(Entry::Refused(Refusal::Link(_)))
        ));
        assert!(!tree.entries.values().any(|e| matches!(e, Entry::File(_))));
    }

    #[test]
    fn writes_replace_a_link_and_never_write_through_one() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("config");
        std::fs::write(&secret, "kept").unwrap();
        std::fs::create_dir_all(dir.path().join("l")).unwrap();
        std::os::unix::fs::symlink(&secret, dir.path().join("l/output.txt")).unwrap();
        write(dir.path(), Path::new("l/output.txt"), b"blessed").unwrap();
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "kept");
        assert!(!dir.path().join("l/output.txt").is_symlink());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("l/output.txt")).unwrap(),
            "blessed"
        );
        // A directory that is a link is not written through either.
        std::os::unix::fs::symlink(outside.path(), dir.path().join("data")).unwrap();
        let refused = write(dir.path(), Path::new("data/poem.txt"), b"x");
        assert!(refused.is_err());
        assert!(!outside.path().join("poem.txt").exists());
    }

    #[test]
    fn a_mirror_removes_a_link_a_program_left_instead_of_writing_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let files = vec![
            (PathBuf::from("a/data/poem.txt"), b"poem".to_vec()),
            (PathBuf::from("a/src/main.rs"), b"fn main() {}".to_vec()),
        ];
        mirror(dir.path(), &files, &[]).unwrap();
        std::fs::remove_dir_all(dir.path().join("a/data")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("a/data")).unwrap();
        std::fs::write(dir.path().join("a/stray.txt"), "stray").unwrap();
        mirror(dir.path(), &files, &[]).unwrap();
        assert!(!outside.path().join("poem.txt").exists());
        assert!(!dir.path().join("a/data").is_symlink());
        assert_eq!(
            std::fs::read(dir.path().join("a/data/poem.txt")).unwrap(),
            b"poem"
        );
        assert!(!dir.path().join("a/stray.txt").exists());
    }

    /// A mirror leaves a file it keeps as it was (cargo sees no change),
    /// takes a listing that is no longer wanted away whole, puts a file
    /// where a directory stood, and leaves the names it is told to keep.
    #[test]
    fn a_mirror_keeps_what_is_the_same_and_removes_the_rest() {
        let work = tempfile::tempdir().unwrap();
        let stage = work.path().join("stage");
        let at = |rel: &str| stage.join(rel);
        let before = vec![
            (PathBuf::from("one/src/main.rs"), b"fn main() {}".to_vec()),
            (PathBuf::from("two/src/main.rs"), b"fn main() {}".to_vec()),
            (PathBuf::from("two/data/poem.txt"), b"poem".to_vec()),
        ];
        mirror(&stage, &before, &[]).unwrap();
        std::fs::create_dir_all(at("target")).unwrap();
        std::fs::create_dir_all(at("one/notes.txt")).unwrap();
        let old = std::fs::metadata(at("one/src/main.rs"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let after = vec![
            (PathBuf::from("one/src/main.rs"), b"fn main() {}".to_vec()),
            (PathBuf::from("one/notes.txt"), b"notes".to_vec()),
        ];
        let emptying = mirror_emptying(&stage, &after, &["target"]).unwrap();
        let now = std::fs::metadata(at("one/src/main.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(old, now, "an unchanged file was written again");
        assert!(
            !at("two").exists(),
            "a listing no longer wanted is still there"
        );
        assert_eq!(std::fs::read(at("one/notes.txt")).unwrap(), b"notes");
        assert!(at("target").is_dir(), "a name to keep was removed");
        // What was taken away went to the trash beside, which a thread of
        // its own removes.
        emptying
            .expect("a thread emptying the trash")
            .join()
            .unwrap();
        assert!(
            !work.path().join("stage.trash").exists(),
            "the trash was left"
        );
    }
}
