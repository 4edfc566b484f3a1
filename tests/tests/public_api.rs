//! The public API of `truv-client`, as one readable listing (`snapshots/public_api__*.snap`):
//! a pull request that changes it shows every public change there, and this test fails while
//! the listing is stale (`cargo insta review`, or rename the `.snap.new`, accepts a change).
//!
//! The listing comes from rustdoc's JSON output, read by the `public-api` crate (pinned in
//! `tests/Cargo.toml` to the release that reads this toolchain's JSON format). rustdoc JSON is
//! unstable, so it takes `RUSTC_BOOTSTRAP=1` on the stable toolchain: an escape hatch, taken
//! here only to read the API, never to build what users get. When the toolchain moves, the
//! format version moves with it and this test says so; the pin moves then.

#[test]
fn the_public_api_is_as_committed() {
    let root = tests::workspace_root();
    let target = xtask::fixtures::target_dir(&root).join("outside");
    let json = tests::rustdoc_json(
        &root,
        &["--locked", "--package", "truv-client"],
        &target,
        "truv_client",
    );
    // Blanket impls (`Into`, `Borrow`, every `T: ?Sized` trait of every dependency) are the
    // same for every type and say nothing about this API; auto traits (`Send`, `Sync`) do.
    let api = public_api::Builder::from_rustdoc_json(&json)
        .omit_blanket_impls(true)
        .build()
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (does the `public-api` pin in tests/Cargo.toml read this toolchain's \
                 rustdoc JSON format?)",
                json.display()
            )
        });
    insta::assert_snapshot!("truv_client", api.to_string());
}
