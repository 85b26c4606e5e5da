//! The seeded-randomness shim of the sandbox crate, a `cdylib` that a
//! jail made with `Jail::seeded` preloads (`LD_PRELOAD`) into every program
//! it runs. It stands in for the C library's `getrandom`, `getentropy` and
//! `arc4random*`: what the program gets from them is a deterministic
//! function of the seed, so two runs with one seed see the same "random"
//! bytes (a `HashMap`'s iteration order, a `rand` crate's first draw).
//!
//! The seed is read from the jail's `/dev/urandom`, which the supervisor
//! fills from the seed: the shim needs no variable of its own. Bytes come
//! from a counter hashed with the seed (SplitMix64): fine for a repeatable
//! run, useless for cryptography, which a program under test has no use
//! for.
//!
//! What it cannot reach: a statically linked program (nothing to preload
//! into), a `getrandom` system call made without the C library, the 16
//! bytes the kernel hands every program at start (`AT_RANDOM`, which the C
//! library uses for its stack guard), and the C library's own internal
//! calls.
//!
//! Built by `build.rs` with `$RUSTC`, outside the workspace (no crates, no
//! workspace lints), `no_std` so that it adds no second standard library
//! to the programs it is loaded into.

#![no_std]

use core::sync::atomic::{AtomicU64, Ordering};

#[link(name = "c")]
unsafe extern "C" {
    fn open(path: *const u8, flags: i32, ...) -> i32;
    fn read(fd: i32, buf: *mut u8, count: usize) -> isize;
    fn close(fd: i32) -> i32;
}

const O_RDONLY_CLOEXEC: i32 = 0o2000000;

/// The seed, read once; 0 means not read yet (a seed that hashes to 0 is
/// taken as 1).
static SEED: AtomicU64 = AtomicU64::new(0);
/// How many 8-byte blocks this process (and the one it was forked from)
/// has handed out.
static COUNTER: AtomicU64 = AtomicU64::new(0);

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn seed() -> u64 {
    let known = SEED.load(Ordering::Relaxed);
    if known != 0 {
        return known;
    }
    let mut bytes = [0u8; 8];
    // SAFETY: the path is a NUL-terminated literal; `read` writes at most
    // 8 bytes into an 8-byte buffer; the descriptor is ours and closed once.
    unsafe {
        let fd = open(c"/dev/urandom".as_ptr().cast(), O_RDONLY_CLOEXEC);
        if fd >= 0 {
            let _ = read(fd, bytes.as_mut_ptr(), bytes.len());
            close(fd);
        }
    }
    let seed = splitmix(u64::from_le_bytes(bytes)).max(1);
    SEED.store(seed, Ordering::Relaxed);
    seed
}

/// Fills `len` bytes at `buf` with the seeded stream.
///
/// # Safety
/// `buf` must be valid for writes of `len` bytes.
unsafe fn fill(buf: *mut u8, len: usize) {
    let seed = seed();
    let mut done = 0;
    while done < len {
        let block = splitmix(seed ^ splitmix(COUNTER.fetch_add(1, Ordering::Relaxed)));
        let bytes = block.to_le_bytes();
        let n = bytes.len().min(len - done);
        // SAFETY: `done + n <= len`, and the caller vouches for `len`.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.add(done), n) };
        done += n;
    }
}

/// `ssize_t getrandom(void *buf, size_t len, unsigned flags)`.
///
/// # Safety
/// As the C function: `buf` is valid for writes of `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getrandom(buf: *mut u8, len: usize, _flags: u32) -> isize {
    // SAFETY: the caller's contract is `fill`'s.
    unsafe { fill(buf, len) };
    len as isize
}

/// `int getentropy(void *buf, size_t len)`.
///
/// # Safety
/// As the C function: `buf` is valid for writes of `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn getentropy(buf: *mut u8, len: usize) -> i32 {
    // SAFETY: the caller's contract is `fill`'s.
    unsafe { fill(buf, len) };
    0
}

/// `void arc4random_buf(void *buf, size_t len)`.
///
/// # Safety
/// As the C function: `buf` is valid for writes of `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn arc4random_buf(buf: *mut u8, len: usize) {
    // SAFETY: the caller's contract is `fill`'s.
    unsafe { fill(buf, len) };
}

/// `uint32_t arc4random(void)`.
#[unsafe(no_mangle)]
pub extern "C" fn arc4random() -> u32 {
    let mut bytes = [0u8; 4];
    // SAFETY: a 4-byte buffer of our own.
    unsafe { fill(bytes.as_mut_ptr(), bytes.len()) };
    u32::from_le_bytes(bytes)
}

/// `uint32_t arc4random_uniform(uint32_t bound)`: uniform below `bound`
/// (rejection sampling, as the C library does).
#[unsafe(no_mangle)]
pub extern "C" fn arc4random_uniform(bound: u32) -> u32 {
    if bound < 2 {
        return 0;
    }
    let floor = bound.wrapping_neg() % bound;
    loop {
        let r = arc4random();
        if r >= floor {
            return r % bound;
        }
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}
