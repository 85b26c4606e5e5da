//! The walls of the sandbox against hostile programs, through the crate's
//! public API as the harness uses it: each test is a thing a contribution
//! tried (see the crate docs), and what stopped it.
//!
//! No test here asserts how long anything took: the time limit is far
//! away, and a test proves that a run was stopped by the limit it was
//! meant to hit by the `Stopped` it gets. A test that needs what a kernel
//! may refuse (the supervisor's namespaces) says it skipped, and passes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use sandbox::terminal::{self, Limits, Ran, Stopped};

#[path = "../src/remembered.rs"]
mod remembered;
use remembered::unless_passed;
use sandbox::{Jail, Scratch};

/// Far above what any test needs, even on a machine whose cores are busy.
const LIMITS: Limits = Limits {
    time: Duration::from_secs(300),
    ..Limits::DEFAULT
};

fn supervised() -> bool {
    let yes = sandbox::jail::support().supervisor;
    if !yes {
        eprintln!("skipped: this kernel refuses the sandbox's namespaces");
    }
    yes
}

fn run(jail: Jail, program: &str, args: &[&str], limits: Limits) -> Result<Ran, Stopped> {
    let mut cmd = Command::new(program);
    cmd.args(args);
    jail.apply(&mut cmd).unwrap();
    terminal::run(cmd, &mut std::iter::empty(), true, limits)
}

fn sh(jail: Jail, script: &str) -> Result<Ran, Stopped> {
    run(jail, "sh", &["-c", script], LIMITS)
}

fn shown(ran: &Ran) -> String {
    String::from_utf8_lossy(&ran.shown).into_owned()
}

/// A directory outside every jail, standing for the machine's own files
/// (`/root`, an author's home): removed at the end of the test.
fn outside() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("cbh-outside-")
        .tempdir()
        .unwrap()
}

/// `tests/fixtures/hostile.rs`, compiled once into cargo's temporary directory
/// for tests.
fn hostile() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let exe = dir.join("cbh-hostile");
        let partial = dir.join(format!("cbh-hostile-{}", std::process::id()));
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile.rs");
        let status = Command::new(rustc())
            .arg(&source)
            .args(["--edition", "2024", "-o"])
            .arg(&partial)
            .status()
            .unwrap();
        assert!(status.success(), "compiling {}", source.display());
        std::fs::rename(&partial, &exe).unwrap();
        exe
    })
}

fn rustc() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())
}

#[test]
fn a_write_outside_fails_and_lands_nowhere() {
    unless_passed("a_write_outside_fails_and_lands_nowhere", || {
        if !supervised() {
            return;
        }
        let outside = outside();
        let scratch = Scratch::new().unwrap();
        let target = outside.path().join("escaped.txt");
        let script = format!(
            "echo in > inside.txt; echo out > '{}'; echo out > /usr/escaped.txt; \
             echo out > /escaped.txt; echo out > ../escaped.txt",
            target.display()
        );
        let ran = sh(Jail::new(scratch.path()), &script).unwrap();
        let shown = shown(&ran);
        assert!(shown.contains("Read-only file system"), "{shown}");
        assert!(scratch.path().join("inside.txt").exists());
        assert!(!target.exists());
        assert!(!Path::new("/usr/escaped.txt").exists());
        assert!(!Path::new("/escaped.txt").exists());
        let beside = scratch.path().parent().unwrap().join("escaped.txt");
        assert!(!beside.exists());
    });
}

#[test]
fn files_outside_the_readable_set_cannot_be_read() {
    unless_passed("files_outside_the_readable_set_cannot_be_read", || {
        if !supervised() {
            return;
        }
        let home = outside();
        let secret = home.path().join("secret.txt");
        std::fs::write(&secret, "hunter2").unwrap();
        let shared = outside();
        std::fs::write(shared.path().join("shared.txt"), "shared").unwrap();
        let own_source = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let scratch = Scratch::new().unwrap();
        let script = format!(
            "cat '{}' '{}' /etc/shadow /etc/hostname; ls /root /home /run /sys /var; \
             cat '{}/shared.txt'",
            secret.display(),
            own_source.display(),
            shared.path().display()
        );
        let jail = Jail::new(scratch.path()).readable(shared.path());
        let shown = shown(&sh(jail, &script).unwrap());
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("[package]"), "{shown}");
        assert!(shown.ends_with("shared"), "{shown}");
    });
}

#[test]
fn a_unix_socket_outside_cannot_be_connected_to() {
    unless_passed("a_unix_socket_outside_cannot_be_connected_to", || {
        if !supervised() {
            return;
        }
        let dir = outside();
        let path = dir.path().join("agent.sock");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        listener.set_nonblocking(true).unwrap();
        let scratch = Scratch::new().unwrap();
        let exe = hostile().to_str().unwrap();
        let ran = run(
            Jail::new(scratch.path()),
            exe,
            &["connect", path.to_str().unwrap()],
            LIMITS,
        )
        .unwrap();
        assert!(shown(&ran).starts_with("refused"), "{}", shown(&ran));
        assert!(listener.accept().is_err(), "a connection came through");
    });
}

#[test]
fn chmod_and_utime_outside_fail() {
    unless_passed("chmod_and_utime_outside_fail", || {
        if !supervised() {
            return;
        }
        use std::os::unix::fs::PermissionsExt;
        let hidden = outside();
        let shown_dir = outside();
        let files = [hidden.path().join("a.txt"), shown_dir.path().join("b.txt")];
        for file in &files {
            std::fs::write(file, "x").unwrap();
        }
        let before: Vec<_> = files
            .iter()
            .map(|f| std::fs::metadata(f).unwrap())
            .collect();
        let scratch = Scratch::new().unwrap();
        let mut script = String::new();
        for file in &files {
            let f = file.display();
            script.push_str(&format!(
                "chmod 777 '{f}' && echo chmod worked; touch -d 2000-01-01 '{f}' && echo utime worked; "
            ));
        }
        let jail = Jail::new(scratch.path()).readable(shown_dir.path());
        let shown = shown(&sh(jail, &script).unwrap());
        assert!(!shown.contains("worked"), "{shown}");
        for (file, before) in files.iter().zip(before) {
            let after = std::fs::metadata(file).unwrap();
            assert_eq!(after.permissions().mode(), before.permissions().mode());
            assert_eq!(after.modified().unwrap(), before.modified().unwrap());
        }
    });
}

#[test]
fn a_fork_bomb_is_stopped_and_named() {
    unless_passed("a_fork_bomb_is_stopped_and_named", || {
        if !supervised() {
            return;
        }
        let scratch = Scratch::new().unwrap();
        // Its processor time bounded far above what it takes to pass the
        // process limit: on a busy machine, a run that reached the
        // kernel's own bound (twice the limit) and churned there between
        // two of the watch's looks was once stopped by its 20 s first.
        let limits = Limits {
            cpu: Duration::from_secs(600),
            ..LIMITS
        };
        let bomb = "f() { f & f & wait; }; f";
        let stopped = run(Jail::new(scratch.path()), "sh", &["-c", bomb], limits).unwrap_err();
        assert!(
            matches!(stopped, Stopped::TooManyProcesses { limit: 1000 }),
            "{stopped:?}"
        );
        assert!(stopped.to_string().contains("1000 processes"), "{stopped}");
    });
}

#[test]
fn touching_6_gib_is_stopped_and_named() {
    unless_passed("touching_6_gib_is_stopped_and_named", || {
        if !supervised() {
            return;
        }
        let scratch = Scratch::new().unwrap();
        let exe = hostile().to_str().unwrap();
        let stopped = run(Jail::new(scratch.path()), exe, &["touch-gib", "6"], LIMITS).unwrap_err();
        assert!(
            matches!(stopped, Stopped::TooMuchMemory { limit } if limit == 4 << 30),
            "{stopped:?}"
        );
        assert!(stopped.to_string().contains("4 GiB of memory"), "{stopped}");
    });
}

#[test]
fn writing_2_gib_into_the_scratch_directory_is_stopped_and_named() {
    unless_passed(
        "writing_2_gib_into_the_scratch_directory_is_stopped_and_named",
        || {
            if !supervised() {
                return;
            }
            let scratch = Scratch::new().unwrap();
            // In files of 64 MiB, below the limit on one file.
            let script = "for i in $(seq 32); do head -c 67108864 /dev/zero > f$i || exit 1; done";
            let stopped = sh(Jail::new(scratch.path()), script).unwrap_err();
            assert!(
                matches!(stopped, Stopped::TooMuchWritten { limit } if limit == 1 << 30),
                "{stopped:?}"
            );
            assert!(stopped.to_string().contains("1 GiB"), "{stopped}");
        },
    );
}

/// No network: a namespace with nothing in it but a loopback that is
/// down, so that not even 127.0.0.1 answers.
#[test]
fn there_is_no_network() {
    unless_passed("there_is_no_network", || {
        if !supervised() {
            return;
        }
        let scratch = Scratch::new().unwrap();
        let ran = sh(
            Jail::new(scratch.path()),
            "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; cat /proc/net/if_inet6; \
             cat /proc/net/route | tail -n +2",
        )
        .unwrap();
        assert_eq!(shown(&ran), "lo\n");
    });
}

/// The program's environment is the jail's alone, whatever the test
/// process has (cargo sets many variables for tests): not even the
/// author's `PATH`, which names their machine.
#[test]
fn the_environment_is_exactly_the_fixed_one() {
    unless_passed("the_environment_is_exactly_the_fixed_one", || {
        let scratch = Scratch::new().unwrap();
        let jail = Jail::new(scratch.path()).env("EXTRA", "1");
        let ran = sh(jail, "env | sort").unwrap();
        let dir = scratch.path().display();
        let path = sandbox::jail::FIXED_PATH;
        assert_ne!(
            std::env::var("PATH").unwrap(),
            path,
            "the test needs a PATH of its own"
        );
        let shown = shown(&ran);
        let pwd = if shown.contains("PWD=") {
            format!("PWD={dir}\n")
        } else {
            String::new()
        };
        assert_eq!(
            shown,
            format!(
                "EXTRA=1\nHOME={dir}\nLANG=C.UTF-8\nLC_ALL=C.UTF-8\nPATH={path}\n{pwd}\
                 RUST_BACKTRACE=0\nTERM=dumb\nTMPDIR={dir}\n"
            )
        );
    });
}

/// The honest path: a build in the jail, with the toolchain readable and a
/// target directory writable, succeeds; its build script may write to
/// OUT_DIR and nowhere else (not the crate's sources, not the machine).
#[test]
fn cargo_builds_a_crate_whose_build_script_writes_only_to_its_target() {
    unless_passed(
        "cargo_builds_a_crate_whose_build_script_writes_only_to_its_target",
        || {
            if !supervised() {
                return;
            }
            let sysroot = sysroot();
            let bin = sysroot.join("bin");
            let source = outside();
            let outside = outside();
            let target = outside.path().join("target");
            let cargo_home = outside.path().join("cargo-home");
            std::fs::create_dir_all(&target).unwrap();
            std::fs::create_dir_all(&cargo_home).unwrap();
            let escaped = outside.path().join("escaped.txt");
            let files = [
                (
                    "Cargo.toml",
                    "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
                ),
                (
                    "Cargo.lock",
                    "version = 4\n\n[[package]]\nname = \"tiny\"\nversion = \"0.1.0\"\n",
                ),
                (
                    "build.rs",
                    r#"fn main() {
        let out = std::env::var("OUT_DIR").unwrap();
        std::fs::write(format!("{out}/made.txt"), "made").expect("OUT_DIR is writable");
        let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
        let escaped = std::env::var("ESCAPED").unwrap();
        for path in [format!("{manifest}/src/made.rs"), escaped, "/tmp/made.txt".into()] {
            if std::fs::write(&path, "made").is_ok() && !path.starts_with("/tmp/") {
                panic!("the build script wrote {path}");
            }
        }
    }
    "#,
                ),
                (
                    "src/main.rs",
                    "fn main() {\n    println!(\"{}\", include_str!(concat!(env!(\"OUT_DIR\"), \"/made.txt\")));\n}\n",
                ),
            ];
            for (name, text) in files {
                let path = source.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            let scratch = Scratch::new().unwrap();
            let jail = Jail::new(scratch.path())
                .readable(&sysroot)
                .readable(source.path())
                .writable(&target)
                .writable(&cargo_home)
                .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
                .env("CARGO_HOME", &cargo_home)
                .env("CARGO_TARGET_DIR", &target)
                .env("RUSTC", bin.join("rustc"))
                .env("ESCAPED", &escaped);
            let manifest = source.path().join("Cargo.toml");
            let limits = Limits {
                cpu: Duration::from_secs(300),
                ..LIMITS
            };
            let ran = run(
                jail,
                bin.join("cargo").to_str().unwrap(),
                &[
                    "build",
                    "--offline",
                    "--locked",
                    "--manifest-path",
                    manifest.to_str().unwrap(),
                ],
                limits,
            )
            .unwrap();
            assert!(ran.status.success(), "{}", shown(&ran));
            let built = std::process::Command::new(target.join("debug/tiny"))
                .output()
                .unwrap();
            assert_eq!(built.stdout, b"made\n");
            assert!(!escaped.exists());
            assert!(!source.path().join("src/made.rs").exists());
            assert!(!source.path().join("target").exists());
        },
    );
}

/// A build with a dependency, as a session builds: cargo's registry cache
/// read-only inside a `CARGO_HOME` of the jail's own (writable, for its
/// locks), offline. It succeeds, well within the memory and process
/// limits, and cannot change the cache.
#[test]
fn cargo_builds_a_crate_with_a_dependency_from_a_read_only_registry() {
    unless_passed(
        "cargo_builds_a_crate_with_a_dependency_from_a_read_only_registry",
        || {
            if !supervised() {
                return;
            }
            let sysroot = sysroot();
            let bin = sysroot.join("bin");
            let host_home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"));
            let registry = host_home.join("registry");
            let source = outside();
            let outside = outside();
            let target = outside.path().join("target");
            let cargo_home = outside.path().join("cargo-home");
            std::fs::create_dir_all(&target).unwrap();
            std::fs::create_dir_all(&cargo_home).unwrap();
            // fastrand: a dependency of this crate's own, so in the cache.
            std::fs::write(
                source.path().join("Cargo.toml"),
                "[package]\nname = \"withdep\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [dependencies]\nfastrand = \"2\"\n",
            )
            .unwrap();
            std::fs::create_dir_all(source.path().join("src")).unwrap();
            std::fs::write(
                source.path().join("src/main.rs"),
                "fn main() {\n    println!(\"{}\", fastrand::Rng::with_seed(7).u8(..) < 255);\n}\n",
            )
            .unwrap();
            let manifest = source.path().join("Cargo.toml");
            let locked = Command::new(bin.join("cargo"))
                .args(["generate-lockfile", "--offline", "--manifest-path"])
                .arg(&manifest)
                .env("CARGO_HOME", &host_home)
                .env("RUSTC", bin.join("rustc"))
                .status()
                .unwrap();
            assert!(locked.success());
            let scratch = Scratch::new().unwrap();
            let jail = Jail::new(scratch.path())
                .readable(&sysroot)
                .readable(source.path())
                .writable(&target)
                .writable(&cargo_home)
                .mount_readonly(&registry, &cargo_home.join("registry"))
                .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
                .env("CARGO_HOME", &cargo_home)
                .env("CARGO_TARGET_DIR", &target)
                .env("RUSTC", bin.join("rustc"));
            let limits = Limits {
                cpu: Duration::from_secs(300),
                ..LIMITS
            };
            let ran = run(
                jail.clone(),
                bin.join("cargo").to_str().unwrap(),
                &[
                    "build",
                    "--offline",
                    "--locked",
                    "--manifest-path",
                    manifest.to_str().unwrap(),
                ],
                limits,
            )
            .unwrap();
            assert!(ran.status.success(), "{}", shown(&ran));
            assert!(target.join("debug/deps").exists());
            // The cache is there to read, not to write.
            let tamper = format!(
                "touch '{}/CACHEDIR.TAG' && echo CHANGED; echo x > '{}/planted' && echo PLANTED",
                cargo_home.join("registry").display(),
                cargo_home.join("registry").display()
            );
            let shown = shown(&sh(jail, &tamper).unwrap());
            assert!(
                !shown.contains("CHANGED") && !shown.contains("PLANTED"),
                "{shown}"
            );
            assert!(!registry.join("planted").exists());
        },
    );
}

/// The toolchain's directory (`rustc --print sysroot`).
fn sysroot() -> PathBuf {
    let out = Command::new(rustc())
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// Compiles `source` (a `main.rs`) with rustc in a jail that can read the
/// toolchain, with `limits`.
fn rustc_in_jail(source: &str, limits: Limits) -> Result<Ran, Stopped> {
    let sysroot = sysroot();
    let scratch = Scratch::new().unwrap();
    std::fs::write(scratch.path().join("main.rs"), source).unwrap();
    let jail = Jail::new(scratch.path()).readable(&sysroot);
    let rustc = sysroot.join("bin/rustc");
    run(jail, rustc.to_str().unwrap(), &["main.rs"], limits)
}

/// `include_str!` of a secret finds nothing to bake into the program.
#[test]
fn a_compiled_program_cannot_include_a_secret() {
    unless_passed("a_compiled_program_cannot_include_a_secret", || {
        if !supervised() {
            return;
        }
        let home = outside();
        let secret = home.path().join("secret.txt");
        std::fs::write(&secret, "hunter2").unwrap();
        let source = format!(
            "fn main() {{ print!(\"{{}}\", include_str!({:?})); }}\n",
            secret.display().to_string()
        );
        let ran = rustc_in_jail(&source, LIMITS).unwrap();
        assert!(!ran.status.success());
        let shown = shown(&ran);
        assert!(shown.contains("No such file or directory"), "{shown}");
    });
}

/// A `const` whose evaluation never ends burns processor time, and is
/// stopped by it (the wall-clock limit is far away).
#[test]
fn an_endless_const_evaluation_is_stopped_by_its_processor_time() {
    unless_passed(
        "an_endless_const_evaluation_is_stopped_by_its_processor_time",
        || {
            if !supervised() {
                return;
            }
            // (rustc stops such a `const` itself, unless the lint is allowed.)
            let source = "#![allow(long_running_const_eval)]\n\
                      const N: u64 = { let mut i = 0u64; loop { i = i.wrapping_add(1); } };\n\
                      fn main() { println!(\"{N}\"); }\n";
            let limits = Limits {
                cpu: Duration::from_secs(3),
                ..LIMITS
            };
            let stopped = rustc_in_jail(source, limits).unwrap_err();
            // The stop names what was using the processor: rustc.
            assert!(
                matches!(&stopped, Stopped::TooMuchCpu { limit, busiest: Some(busiest) }
                if *limit == Duration::from_secs(3) && busiest.contains("rustc")),
                "{stopped:?}"
            );
        },
    );
}

/// With a seed, every source of randomness a program has gives the same
/// bytes in every run; another seed gives others, and no seed differs from
/// run to run.
#[test]
fn a_seeded_run_gets_the_same_randomness_every_time() {
    unless_passed("a_seeded_run_gets_the_same_randomness_every_time", || {
        if !supervised() {
            return;
        }
        let exe = hostile().to_str().unwrap();
        let random = |seed: Option<u64>| {
            let scratch = Scratch::new().unwrap();
            let mut jail = Jail::new(scratch.path());
            if let Some(seed) = seed {
                jail = jail.seeded(seed);
            }
            let ran = run(jail, exe, &["random"], LIMITS).unwrap();
            assert!(ran.status.success(), "{}", shown(&ran));
            shown(&ran)
        };
        let first = random(Some(1));
        let lines: Vec<&str> = first.lines().collect();
        assert_eq!(lines.len(), 3, "{first}");
        assert_eq!(random(Some(1)), first);
        let other = random(Some(2));
        for (a, b) in first.lines().zip(other.lines()) {
            assert_ne!(a, b);
        }
        let (a, b) = (random(None), random(None));
        for (a, b) in a.lines().zip(b.lines()) {
            assert_ne!(a, b);
        }
    });
}
