//! The normalization rules (xtask/src/normalize.rs), one example each.

use std::path::Path;

use harness::normalize::normalize;

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
        "error[E0382]: borrow of moved value\n --> src/main.rs:4:20\n\
         thread 'main' panicked at src/main.rs:3:5:\n\
         see /rustc/[HASH]/library/core/src/ops.rs\n\
         and src/lib.rs; Finished in [TIME]"
    );
}
