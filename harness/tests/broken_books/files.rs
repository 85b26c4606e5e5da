//! Every file of the book is a real file: links are refused and never written through.

use crate::fixture::*;
use crate::listings::*;

/// The files of a listing that are links (to a secret, to /dev/zero, to
/// git's configuration) are refused, naming them, and bless writes
/// through none of them.
#[test]
fn a_listing_file_that_is_a_link_is_refused_and_never_written_through() {
    proven(|| {
        let book = Book::new();
        let root = book.root().to_path_buf();
        // git's configuration, which a `core.fsmonitor` line would make the
        // next `git diff` run.
        let config = root.join(".git/config");
        std::fs::create_dir_all(config.parent().unwrap()).unwrap();
        std::fs::write(&config, "[core]\n").unwrap();
        let output = root.join(LISTING).join("output.txt");
        std::fs::remove_file(&output).unwrap();
        std::os::unix::fs::symlink("../../../.git/config", &output).unwrap();
        let input = root.join(LISTING).join("input.txt");
        std::os::unix::fs::symlink("/dev/zero", &input).unwrap();
        // The checks on the copy as it is now (`book.checker()` would mend it).
        let checker = Checker::with_work(&root, &root.join("target"));
        let problems = harness::checks::run(
            &checker,
            "every_listing_compiles_and_prints_what_the_book_shows",
        );
        let (bless, _) =
            harness::checks::outputs::bless(&checker, harness::checks::outputs::Bless::All);
        let files = harness::checks::files(&root);
        std::fs::remove_file(&output).unwrap();
        std::fs::remove_file(&input).unwrap();
        assert_eq!(std::fs::read_to_string(&config).unwrap(), "[core]\n");
        assert_problem(
            &problems,
            &format!("{LISTING}/input.txt"),
            "is a symbolic link (to /dev/zero)",
        );
        assert!(
            bless.iter().any(|p| p.message.contains("symbolic link")),
            "{bless:#?}"
        );
        assert_problem(
            &files,
            &format!("{LISTING}/output.txt"),
            "is a symbolic link",
        );
    });
}
