//! The normalization rules (harness/src/normalize.rs), one example each.

use std::path::Path;

use harness::running::normalize::normalize;

#[test]
fn each_rule() {
    let root = Path::new("/path/to/book");
    let listing = Path::new("listings/ch04-x/listing-04-02");
    let raw = "error[E0382]: borrow of moved value\n --> listings/ch04-x/listing-04-02/src/main.rs:4:20\n\
               thread 'main' (81234) panicked at /path/to/book/listings/ch04-x/listing-04-02/src/main.rs:3:5:\n\
               see /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/ops.rs\n\
               and /path/to/book/src/lib.rs; Finished in 0.52s";
    assert_eq!(
        normalize(raw, root, listing),
        "error[E0382]: borrow of moved value\n--> src/main.rs:4:20\n\
         thread 'main' panicked at src/main.rs:3:5:\n\
         see /rustc/[HASH]/library/core/src/ops.rs\n\
         and src/lib.rs; Finished in [TIME]"
    );
}

/// A diagnostic that points into the standard library compares the same
/// with rust-src installed (source lines quoted, a wider gutter) or not.
#[test]
fn the_standard_library_source_lines_are_not_compared() {
    let root = Path::new("/path/to/book");
    let listing = Path::new("listings/ch02-x/listing-02-04");
    let with_rust_src = "error[E0061]: this method takes 1 argument but 0 arguments were supplied\n   --> src/main.rs:3:10\n    |\n3   |     line.push();\n    |          ^^^^-- argument missing\n    |\nnote: method defined here\n   --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/alloc/src/string.rs:1372:12\n    |\n1372|     pub fn push(&mut self, ch: char) {\n    |            ^^^^\n";
    let without = "error[E0061]: this method takes 1 argument but 0 arguments were supplied\n --> src/main.rs:3:10\n  |\n3 |     line.push();\n  |          ^^^^-- argument missing\n  |\nnote: method defined here\n --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/alloc/src/string.rs:1372:12\n";
    assert_eq!(
        normalize(with_rust_src, root, listing),
        normalize(without, root, listing)
    );
    assert_ne!(
        normalize(with_rust_src, root, listing),
        normalize(
            &without.replace("argument missing", "argument gone"),
            root,
            listing
        )
    );
}
