//! The root workspace never resolves a listing: cargo resolves every
//! member's dependencies before `cargo test` runs anything, so a listing
//! that were a member could make `cargo test` fetch a contributor's git
//! repository before the checks refuse it. The listings are a workspace of
//! their own (listings/Cargo.toml), pinned by listings/Cargo.lock.

use std::path::Path;

use cargo_metadata::MetadataCommand;

#[test]
fn no_listing_is_a_member_of_the_root_workspace() {
    let root = harness::checkout();
    let metadata = MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .other_options(vec!["--offline".into()])
        .exec()
        .expect("cargo metadata of the root workspace");
    let listings = root.join("listings");
    let members: Vec<_> = metadata
        .workspace_packages()
        .into_iter()
        .filter(|p| Path::new(p.manifest_path.as_std_path()).starts_with(&listings))
        .map(|p| p.name.clone())
        .collect();
    assert!(
        members.is_empty(),
        "listings are members of the root workspace: {members:?}"
    );
    // And the listings' own workspace holds every listing.
    let own = MetadataCommand::new()
        .manifest_path(listings.join("Cargo.toml"))
        .no_deps()
        .other_options(vec!["--offline".into()])
        .exec()
        .expect("cargo metadata of listings/");
    let book = harness::book::model::Book::load(root);
    for listing in book.listings() {
        assert!(
            own.workspace_packages()
                .iter()
                .any(|p| p.name == listing.package),
            "{} is not in listings/Cargo.toml's workspace",
            listing.rel.display()
        );
    }
}
