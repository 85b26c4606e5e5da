//! Runs a program under test contained. The book's checks run programs
//! that contributors wrote (listings, and the `rust` blocks of chapters
//! that skeptic compiles), and soon their builds too (build scripts,
//! proc-macros, rustc itself); whatever such a program does, the
//! repository, the machine and the run stay clean and bounded:
//!
//! - [`scratch`]: it starts in a fresh scratch directory, outside the
//!   repository, holding a copy of its listing's files;
//! - [`jail`]: it sees only the system's programs and libraries, the
//!   paths its caller shows it, and a fresh `/dev`, `/proc` and `/tmp`; it
//!   may write to its scratch directory and the directories its caller
//!   adds, and nowhere else; it has no network, no privilege, a fixed
//!   environment, and (when asked) fixed randomness. Linux namespaces, set
//!   up by a small supervisor program of this crate (`supervisor/main.rs`,
//!   built by `build.rs`), with Landlock as the fallback where the kernel
//!   refuses namespaces;
//! - [`terminal`]: it is fed the input the listing declares (else none),
//!   and stopped, failing with a message that names the limit, past a time
//!   limit, a processor-time limit, an output limit, a memory limit, a
//!   limit on bytes written and one on processes; nothing it started
//!   outlives it.
//!
//! The harness's output and transcript checks and the vendored skeptic use
//! it alike, so a listing behaves the same under each:
//!
//! ```no_run
//! # use std::process::Command;
//! # use sandbox::{Jail, Limits, Scratch, terminal};
//! let scratch = Scratch::new()?;
//! let mut cmd = Command::new("/path/to/the/listing's/program");
//! Jail::new(scratch.path()).apply(&mut cmd)?;
//! let ran = terminal::run(cmd, &mut std::iter::empty(), false, Limits::default());
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod jail;
pub mod scratch;
pub mod terminal;

#[cfg(test)]
mod remembered;

pub use jail::Jail;
pub use scratch::Scratch;
pub use terminal::{Limits, Ran, Stopped};
