//! The `generator` binary: a crate for a good spec, every problem of a bad one, nothing
//! written half-way.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn generator(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn writes_a_crate_and_then_only_what_changed() {
    let out = scratch("ok").join("my-client");
    let spec = root().join("spec/truv-webhooks.yaml");
    let first = generator(&[spec.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-client\""), "{manifest}");
    assert!(out.join("src/lib.rs").exists() && out.join("src/client.rs").exists());
    // Each file, then the summary.
    let stdout = String::from_utf8_lossy(&first.stdout);
    let (files, summary) = stdout.trim_end().rsplit_once('\n').unwrap();
    assert!(
        files
            .lines()
            .all(|line| line.trim_start().starts_with("written")),
        "{stdout}"
    );
    // Complete: as many generated as the description has.
    let counts: Vec<&str> = summary
        .strip_prefix("generated ")
        .and_then(|rest| rest.strip_suffix(" operations"))
        .map(|rest| rest.split(" of ").collect())
        .unwrap_or_default();
    assert!(counts.len() == 2 && counts[0] == counts[1], "{summary}");

    let second = generator(&[spec.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    let stdout = String::from_utf8_lossy(&second.stdout);
    let (files, _) = stdout.trim_end().rsplit_once('\n').unwrap();
    assert!(
        files
            .lines()
            .all(|line| line.trim_start().starts_with("unchanged")),
        "{stdout}"
    );
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn a_bad_spec_reports_every_problem_and_writes_nothing() {
    let out = scratch("bad");
    let spec = root().join("tests/fixtures/invalid/several_problems.yaml");
    let run = generator(&[
        spec.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--crate-name".as_ref(),
        "shop".as_ref(),
    ]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 2, "{stderr}");
    for line in lines {
        assert!(line.contains("several_problems.yaml: /paths/"), "{line}");
    }
    assert!(!out.exists(), "nothing is written when the spec is refused");
}

/// The `file: /pointer: message` lines of a report, each checked: the file and a pointer
/// lead, and the message names what it is about (a construct in backticks, or the kind of
/// node the loader could not read), with no empty subject (an empty code span, a doubled
/// space).
fn assert_lines_name_their_construct(file: &str, report: &str) {
    assert!(!report.trim().is_empty(), "no problem reported for {file}");
    for line in report.lines() {
        let rest = line
            .strip_prefix(&format!("{file}: /"))
            .unwrap_or_else(|| panic!("no file and pointer in: {line}"));
        let (_, message) = rest
            .split_once(": ")
            .unwrap_or_else(|| panic!("no message in: {line}"));
        let spans: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        let in_code = spans.iter().any(|span| !span.trim().is_empty());
        let unreadable = message.starts_with("not a valid ");
        assert!(in_code || unreadable, "names no construct: {line}");
        assert!(
            !spans.iter().any(|s| s.is_empty()),
            "an empty subject: {line}"
        );
        assert!(!message.contains("  "), "an empty subject: {line}");
    }
}

#[test]
fn every_invalid_fixture_is_reported_construct_by_construct() {
    let dir = root().join("tests/fixtures/invalid");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 5, "{fixtures:?}");
    for spec in fixtures {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let out = scratch(&format!("invalid-{name}"));
        let shown = spec.display().to_string();
        // Leniently, something is left out (exit 3) or nothing can be generated (exit 1).
        let lenient = generator(&[spec.as_os_str(), "--out".as_ref(), out.as_os_str()]);
        let code = lenient.status.code();
        assert!(matches!(code, Some(1 | 3)), "{name}: exit {code:?}");
        assert_lines_name_their_construct(&shown, &String::from_utf8_lossy(&lenient.stderr));
        let _ = std::fs::remove_dir_all(&out);
        // Strictly, the document is refused and nothing is written.
        let strict = generator(&[
            spec.as_os_str(),
            "--strict".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert_eq!(strict.status.code(), Some(1), "{name}");
        assert_lines_name_their_construct(&shown, &String::from_utf8_lossy(&strict.stderr));
        assert!(
            !out.exists(),
            "{name}: nothing is written when the spec is refused"
        );
    }
}

#[test]
fn what_cannot_be_generated_is_left_out_counted_and_listed_in_the_crate_docs() {
    let out = scratch("partial").join("orders");
    let spec = root().join("tests/fixtures/partial/partial_generation.yaml");
    let run = generator(&[spec.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(run.status.code(), Some(3), "generated, with omissions");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_lines_name_their_construct(&spec.display().to_string(), &stderr);
    // A problem in a shared parameter is printed once, with every operation it costs.
    assert!(
        stderr.contains("/components/parameters/Filter: parameter `filter`")
            && stderr.contains("(left out: GET /search, GET /search/advanced)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(typed as any JSON value: types::Weird)"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains(
            "generated 2 of 7 operations: 5 left out, 2 schema(s) typed as any JSON value, \
             1 pager(s) left out, 1 callback verification(s) left out"
        ),
        "{stdout}"
    );
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    let section = &readme[readme.find("## Not generated").expect("the section")..];
    for expected in [
        "- `GET /orders/{id}`: `/paths/~1orders~1{id}/get`: the path names `{id}`",
        "- `GET /search/advanced`: `/components/parameters/Filter`:",
        "- `types::OrderLegacy`: `/components/schemas/Order/properties/legacy`: `allOf` mixing",
        "- the pager of `GET /orders`: `/paths/~1orders/get/x-pagination`: style `next-url` \
         needs `next`",
        "- the verification of callback `outage`: \
         `/paths/~1health/get/callbacks/outage/{$request.query.notify}/post/x-callback-signature`",
    ] {
        assert!(section.contains(expected), "{expected}\n{section}");
    }
    let client = std::fs::read_to_string(out.join("src/client.rs")).unwrap();
    assert!(client.contains("pub fn list_orders("));
    assert!(
        !client.contains("list_orders_stream"),
        "its pager is left out"
    );
    assert!(!client.contains("pub fn get_order("), "left out");
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn a_complete_document_exits_zero_and_says_so() {
    let out = scratch("complete");
    let spec = root().join("tests/fixtures/parameters.yaml");
    let run = generator(&[
        spec.as_os_str(),
        "--strict".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--crate-name".as_ref(),
        "params".as_ref(),
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert!(
        run.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("generated ") && last.ends_with(" operations"),
        "{last}"
    );
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(!readme.contains("Not generated"));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn help_documents_the_exit_status() {
    let help = generator(&["--help".as_ref()]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for expected in [
        "--strict",
        "0  generated everything",
        "3  generated, with omissions",
        "1  refused",
        "2  bad command line",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
}

#[test]
fn a_settings_file_is_read_and_flags_override_it() {
    let dir = scratch("config");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = root().join("tests/fixtures/selection.yaml");
    let settings = dir.join("generator.toml");
    std::fs::write(
        &settings,
        format!(
            "input = {spec:?}\noutput = \"out\"\n\n[package]\nname = \"from-file\"\nversion = \"2.1.0\"\n\n\
             [select]\ntags = [\"pets\"]\n"
        ),
    )
    .unwrap();
    let run = generator(&[
        "--config".as_ref(),
        settings.as_os_str(),
        "--crate-name".as_ref(),
        "from-flag".as_ref(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // `output` is relative to the settings file; the flag beats `[package] name`.
    let out = dir.join("out");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"from-flag\""), "{manifest}");
    assert!(manifest.contains("version = \"2.1.0\""), "{manifest}");
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        readme.contains("This crate has 3 of the description's 6 operations, selected by the generator's settings (`[select]`): tag `pets`."),
        "{readme}"
    );
    assert!(
        readme.contains("generator --config generator.toml"),
        "{readme}"
    );
    let types = std::fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(types.contains("pub struct Pet "), "{types}");
    assert!(
        !types.contains("pub struct Store ") && !types.contains("AuditEvent"),
        "{types}"
    );
}

#[test]
fn unknown_settings_keys_are_refused_naming_the_key_the_file_and_the_line() {
    let dir = scratch("config-typo");
    std::fs::create_dir_all(&dir).unwrap();
    let settings = dir.join("generator.toml");
    std::fs::write(&settings, "output = \"out\"\n[select]\ntgas = [\"pets\"]\n").unwrap();
    let spec = root().join("tests/fixtures/selection.yaml");
    let run = generator(&[spec.as_os_str(), "--config".as_ref(), settings.as_os_str()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let expected = format!("{}:3: unknown field `tgas`", settings.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(!dir.join("out").exists(), "nothing is written");
    // A rule that matches nothing is refused too, before anything is written.
    std::fs::write(&settings, "output = \"out\"\n[select]\ntags = [\"pest\"]\n").unwrap();
    let run = generator(&[spec.as_os_str(), "--config".as_ref(), settings.as_os_str()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("select: tag `pest` matches no operation"),
        "{stderr}"
    );
    assert!(!dir.join("out").exists(), "nothing is written");
}

#[test]
fn version_names_the_runtime_it_embeds() {
    let run = generator(&["--version".as_ref()]);
    assert!(run.status.success());
    let stdout = String::from_utf8_lossy(&run.stdout);
    let expected = format!("generator {} (runtime ", env!("CARGO_PKG_VERSION"));
    let fingerprint = stdout
        .trim_end()
        .strip_prefix(&expected)
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(fingerprint.len(), 16, "{stdout}");
    assert!(
        fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{stdout}"
    );
}
