//! How fast the generator is, against the cost of merely parsing the same document.
//!
//! Each document is measured phase by phase in the same run: the baseline (parsing the text
//! into a generic `serde_json::Value`, the least any tool must do), parsing it into
//! `openapiv3`, lowering the parsed document into the model, emitting the model (code,
//! formatting), and the whole pipeline. Compare each to the baseline as a ratio; absolute
//! times depend on the machine. `cargo xtask bench` runs this and writes `BENCHMARKS.md`.
//!
//! Documents: the Truv spec; a synthetic description of several megabytes when
//! `cargo xtask synthetic` has written it (`.tools/bench/synthetic.json`); GitHub's 13 MB
//! description and Stripe's when `cargo xtask corpus` has fetched them into `.tools/corpus`
//! (none of them is committed).

use std::path::{Path, PathBuf};

// The allocator the CLI runs with: generation is allocation-bound.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// (name, path) of every document available.
fn documents() -> Vec<(&'static str, PathBuf)> {
    let candidates = [
        ("truv", root().join("spec/truv-webhooks.yaml")),
        ("synthetic", root().join(".tools/bench/synthetic.json")),
        (
            "github",
            root().join(".tools/corpus/packages/github/package/generated/api.github.com.json"),
        ),
        (
            "stripe",
            root().join(".tools/corpus/packages/directory/package/api/stripe.com.json"),
        ),
    ];
    candidates
        .into_iter()
        .filter(|(_, path)| path.exists())
        .collect()
}

fn text(name: &str) -> (String, String) {
    let (_, path) = documents()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a known document");
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    (file, std::fs::read_to_string(path).unwrap())
}

fn names() -> Vec<&'static str> {
    documents().into_iter().map(|(name, _)| name).collect()
}

fn settings() -> generator::Settings {
    generator::Settings {
        crate_name: "bench".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: "bench".to_owned(),
        regenerate_command: "cargo bench".to_owned(),
        license: None,
        repository: None,
        strict: false,
        select: generator::config::Selection::default(),
        types: generator::config::Types::default(),
    }
}

#[divan::bench(args = names(), sample_count = 10)]
fn baseline_parse_to_value(bencher: divan::Bencher, name: &str) {
    let (file, text) = text(name);
    let syntax = generator::load::Syntax::detect(&file, &text);
    bencher.bench(|| {
        if syntax == generator::load::Syntax::Json {
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        } else {
            serde_yaml::from_str::<serde_json::Value>(&text).unwrap()
        }
    });
}

#[divan::bench(args = names(), sample_count = 10)]
fn parse_to_openapiv3(bencher: divan::Bencher, name: &str) {
    let (file, text) = text(name);
    let syntax = generator::load::Syntax::detect(&file, &text);
    bencher.bench(|| generator::load::parse(&text, syntax).unwrap());
}

#[divan::bench(args = names(), sample_count = 10)]
fn lower_model(bencher: divan::Bencher, name: &str) {
    let (file, text) = text(name);
    let syntax = generator::load::Syntax::detect(&file, &text);
    let document = generator::load::parse(&text, syntax).unwrap();
    bencher.bench(|| generator::lower::lower(&document));
}

#[divan::bench(args = names(), sample_count = 10)]
fn emit_crate(bencher: divan::Bencher, name: &str) {
    let (file, text) = text(name);
    let syntax = generator::load::Syntax::detect(&file, &text);
    let document = generator::load::parse(&text, syntax).unwrap();
    let api = generator::lower::lower(&document);
    let settings = settings();
    bencher.bench(|| generator::emit(&api, &settings).unwrap());
}

#[divan::bench(args = names(), sample_count = 10)]
fn generate_crate(bencher: divan::Bencher, name: &str) {
    let (file, text) = text(name);
    let settings = settings();
    bencher.bench(|| generator::generate(&file, &text, &settings).unwrap());
}
