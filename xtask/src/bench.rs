//! `cargo xtask synthetic` and `cargo xtask bench`: the generator's speed, reported as
//! ratios against a baseline measured in the same run, and the size of what it writes.
//!
//! `synthetic` writes a deterministic OpenAPI description of several megabytes (the same
//! bytes on every machine), so the benchmark has a large input without the network. `bench`
//! writes it, runs the divan benchmark `generator/benches/generate.rs`, reads the medians it
//! prints, generates the crates of the large descriptions to count their lines and types,
//! and writes `BENCHMARKS.md` with a chart, `BENCHMARKS.svg`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// Where the synthetic description is written (ignored by git).
pub const SYNTHETIC: &str = ".tools/bench/synthetic.json";

/// The large inputs whose crates are measured, where they are when present.
const LARGE: &[(&str, &str)] = &[
    ("synthetic", SYNTHETIC),
    (
        "github",
        ".tools/corpus/packages/github/package/generated/api.github.com.json",
    ),
    (
        "stripe",
        ".tools/corpus/packages/directory/package/api/stripe.com.json",
    ),
];

/// One tag of GitHub's description selected (`[select] tags`), measured beside the whole crate:
/// what a user who calls one part of a big API ships and compiles. `(crate, input, tag)`.
const SELECTED: (&str, &str, &str) = ("github-issues", "github", "issues");

/// The settings of [`SELECTED`]'s crate.
fn selected_tag() -> generator::config::Selection {
    generator::config::Selection {
        tags: vec![SELECTED.2.to_owned()],
        ..generator::config::Selection::default()
    }
}

/// The phases the benchmark measures, in pipeline order, with what each one does.
const PHASES: &[(&str, &str)] = &[
    (
        "baseline_parse_to_value",
        "parse into `serde_json::Value` (baseline)",
    ),
    ("parse_to_openapiv3", "parse into `openapiv3`"),
    ("lower_model", "lower into the model"),
    ("emit_crate", "emit and format the crate"),
    ("generate_crate", "the whole pipeline"),
];

/// A description of `resources` resources, each with a schema of a dozen properties (strings
/// with limits, enums, nested objects, arrays, a `oneOf`) and five operations (list with
/// paging, create, get, update, delete). Deterministic: no clock, no randomness.
#[must_use]
pub fn synthetic(resources: usize) -> String {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "Error".to_owned(),
        json!({
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "A machine-readable error code."},
                "message": {"type": "string", "description": "What went wrong, for people."}
            }
        }),
    );
    for index in 0..resources {
        let name = format!("Resource{index}");
        let collection = format!("/v1/resource{index}s");
        let item = format!("{collection}/{{id}}");
        schemas.insert(name.clone(), resource_schema(index));
        schemas.insert(format!("{name}List"), json!({
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": true,
                         "description": "The next page, if there is one."},
                "results": {"type": "array", "items": {"$ref": format!("#/components/schemas/{name}")}}
            }
        }));
        let reference = |schema: &str| json!({"$ref": format!("#/components/schemas/{schema}")});
        let json_body = |schema: Value, description: &str| json!({"description": description, "content": {"application/json": {"schema": schema}}});
        let errors = json!({
            "400": json_body(reference("Error"), "The request is not valid."),
            "404": json_body(reference("Error"), "No such resource."),
        });
        let with_errors = |mut responses: Value, success: (&str, Value)| {
            responses[success.0] = success.1;
            responses
        };
        let id_param = json!([{"name": "id", "in": "path", "required": true,
                               "schema": {"type": "string", "maxLength": 64}}]);
        paths.insert(collection.clone(), json!({
            "get": {
                "operationId": format!("list_resource{index}s"),
                "summary": format!("List resource {index}s"),
                "description": format!("Lists every resource {index}, a page at a time."),
                "tags": [format!("group{}", index % 20)],
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "page_size", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "status", "in": "query", "schema": {"type": "string",
                     "enum": ["active", "archived", "pending"]}}
                ],
                "responses": with_errors(errors.clone(),
                    ("200", json_body(reference(&format!("{name}List")), "A page of them.")))
            },
            "post": {
                "operationId": format!("create_resource{index}"),
                "summary": format!("Create a resource {index}"),
                "tags": [format!("group{}", index % 20)],
                "requestBody": {"required": true, "content": {"application/json": {"schema": reference(&name)}}},
                "responses": with_errors(errors.clone(),
                    ("201", json_body(reference(&name), "The new resource.")))
            }
        }));
        paths.insert(
            item,
            json!({
                "parameters": id_param,
                "get": {
                    "operationId": format!("get_resource{index}"),
                    "summary": format!("Get a resource {index}"),
                    "tags": [format!("group{}", index % 20)],
                    "responses": with_errors(errors.clone(),
                        ("200", json_body(reference(&name), "The resource.")))
                },
                "patch": {
                    "operationId": format!("update_resource{index}"),
                    "summary": format!("Update a resource {index}"),
                    "tags": [format!("group{}", index % 20)],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "minLength": 1, "maxLength": 200},
                            "status": {"type": "string", "enum": ["active", "archived", "pending"]}
                        }
                    }}}},
                    "responses": with_errors(errors.clone(),
                        ("200", json_body(reference(&name), "The updated resource.")))
                },
                "delete": {
                    "operationId": format!("delete_resource{index}"),
                    "summary": format!("Delete a resource {index}"),
                    "tags": [format!("group{}", index % 20)],
                    "responses": with_errors(errors, ("204", json!({"description": "Deleted."})))
                }
            }),
        );
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1.0.0",
                 "description": "A large description written by `cargo xtask synthetic`."},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas}
    });
    let mut text = serde_json::to_string_pretty(&document).expect("a JSON value serializes");
    text.push('\n');
    text
}

/// The schema of resource `index`: properties of every common kind, described.
fn resource_schema(index: usize) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert(
        "id".to_owned(),
        json!({"type": "string", "readOnly": true,
        "description": format!("The identifier of resource {index}."), "example": "r_123"}),
    );
    properties.insert(
        "name".to_owned(),
        json!({"type": "string", "minLength": 1,
        "maxLength": 200, "description": "A name people read."}),
    );
    properties.insert(
        "status".to_owned(),
        json!({"type": "string",
        "enum": ["active", "archived", "pending"], "description": "Where it stands."}),
    );
    properties.insert(
        "created_at".to_owned(),
        json!({"type": "string", "format": "date-time",
        "readOnly": true, "description": "When it was created."}),
    );
    properties.insert(
        "count".to_owned(),
        json!({"type": "integer", "minimum": 0,
        "maximum": 1_000_000, "description": "How many there are."}),
    );
    properties.insert(
        "ratio".to_owned(),
        json!({"type": "number", "minimum": 0,
        "maximum": 1, "description": "A share, from 0 to 1."}),
    );
    properties.insert(
        "website".to_owned(),
        json!({"type": "string", "format": "uri",
        "description": "Where to read more."}),
    );
    properties.insert(
        "tags".to_owned(),
        json!({"type": "array", "maxItems": 20,
        "items": {"type": "string", "maxLength": 50}, "description": "Labels."}),
    );
    properties.insert(
        "metadata".to_owned(),
        json!({"type": "object",
        "additionalProperties": {"type": "string"}, "description": "Free-form pairs."}),
    );
    properties.insert(
        "owner".to_owned(),
        json!({"type": "object",
        "description": format!("Who owns resource {index}."),
        "required": ["login"],
        "properties": {
            "login": {"type": "string", "description": "Their handle."},
            "id": {"type": "integer", "description": "Their number."},
            "site_admin": {"type": "boolean", "description": "Whether they administer the site."}
        }}),
    );
    properties.insert(
        "target".to_owned(),
        json!({
        "description": "What it points at.",
        "oneOf": [
            {"type": "object", "title": "UrlTarget", "required": ["url"],
             "properties": {"url": {"type": "string", "format": "uri"}}},
            {"type": "object", "title": "EmailTarget", "required": ["email"],
             "properties": {"email": {"type": "string", "format": "email"}}}
        ]}),
    );
    properties.insert(
        format!("field_{index}"),
        json!({"type": "string",
        "pattern": "^[a-z0-9_]+$", "description": "A field of this resource alone."}),
    );
    json!({
        "type": "object",
        "description": format!("Resource number {index}, with properties of every kind."),
        "required": ["name", "status"],
        "properties": properties
    })
}

/// One row of the benchmark's output: a benchmark function, its argument (empty for a
/// function without arguments), its median in nanoseconds, and the median number of
/// allocations when the benchmark counts them.
#[derive(Debug, Clone, PartialEq)]
pub struct Median {
    pub phase: String,
    pub input: String,
    pub nanos: f64,
    pub allocations: Option<f64>,
}

/// Reads the medians from divan's table for the functions `names`: a line per function (with
/// its timings, when it takes no argument), then a line per argument with
/// `fastest │ slowest │ median │ mean │ samples │ iters`, and under a row the allocation
/// counts (`alloc:`, then the count's row) when divan's allocation profiler is on.
#[must_use]
pub fn parse_divan(output: &str, names: &[&str]) -> Vec<Median> {
    let mut medians: Vec<Median> = Vec::new();
    let mut phase = String::new();
    let mut counting = false;
    for line in output.lines() {
        // The tree's drawing first (`│  ├─ `), then the columns.
        let line = line.trim_start_matches(|c: char| c.is_whitespace() || "├╰│─".contains(c));
        let columns: Vec<&str> = line.split('│').collect();
        let label = columns[0].trim();
        let median = columns.get(2).map(|c| c.trim());
        if counting {
            counting = false;
            if let (Some(last), Some(count)) = (medians.last_mut(), label.parse::<f64>().ok()) {
                let count = median.and_then(|m| m.parse().ok()).unwrap_or(count);
                last.allocations = Some(count);
            }
            continue;
        }
        if label == "alloc:" {
            counting = true;
            continue;
        }
        let Some(first) = label.split_whitespace().next() else {
            continue;
        };
        let input = if names.contains(&first) {
            first.clone_into(&mut phase);
            ""
        } else {
            first
        };
        if phase.is_empty() {
            continue;
        }
        if let Some(nanos) = median.and_then(duration_nanos) {
            medians.push(Median {
                phase: phase.clone(),
                input: input.to_owned(),
                nanos,
                allocations: None,
            });
        }
    }
    medians
}

/// `12.5 ms` → 12 500 000.
fn duration_nanos(text: &str) -> Option<f64> {
    let (number, unit) = text.split_once(' ')?;
    let value: f64 = number.parse().ok()?;
    let scale = match unit.trim() {
        "ns" => 1.0,
        "µs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(value * scale)
}

/// The size of a generated crate: lines of Rust and named types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub lines: usize,
    pub types_lines: usize,
    pub client_lines: usize,
    pub types: usize,
}

/// The files of the crate generated from the description at `path`, leniently (as the CLI
/// does by default), named `crate_name`.
fn generate_file(
    path: &Path,
    crate_name: &str,
    command: &str,
    select: generator::config::Selection,
) -> Result<Vec<generator::GeneratedFile>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let settings = generator::Settings {
        crate_name: crate_name.to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: file.clone(),
        regenerate_command: command.to_owned(),
        license: None,
        repository: None,
        strict: false,
        select,
        types: generator::config::Types::default(),
    };
    Ok(generator::generate(&file, &text, &settings)
        .map_err(|d| d.to_string())?
        .files)
}

/// Generates the crate of `path` in memory and measures it.
///
/// # Errors
///
/// The file cannot be read, or the generator refuses it.
pub fn crate_size(path: &Path, select: generator::config::Selection) -> Result<Size, String> {
    let files = generate_file(path, "measured", "cargo xtask bench", select)?;
    let lines_of = |name: &str| {
        files
            .iter()
            .find(|f| f.path == name)
            .map_or(0, |f| f.contents.lines().count())
    };
    let lines = files
        .iter()
        .filter(|f| Path::new(&f.path).extension().is_some_and(|e| e == "rs"))
        .map(|f| f.contents.lines().count())
        .sum();
    // `types.rs` and the files of each feature's own types, which it re-exports.
    let in_types = |f: &&generator::GeneratedFile| {
        f.path == "src/types.rs" || f.path.starts_with("src/types/")
    };
    let types_lines = files
        .iter()
        .filter(in_types)
        .map(|f| f.contents.lines().count())
        .sum();
    let types = files
        .iter()
        .filter(in_types)
        .flat_map(|f| f.contents.lines())
        .filter(|line| {
            let line = line.trim_start();
            ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .any(|item| line.starts_with(item))
                || line.starts_with("string_enum!")
                || line.starts_with("crate::runtime::enums::string_enum!")
        })
        .count();
    Ok(Size {
        lines,
        types_lines,
        client_lines: lines_of("src/client.rs") + lines_of("src/blocking.rs"),
        types,
    })
}

/// Runs the benchmark and writes `BENCHMARKS.md` and `BENCHMARKS.svg` at `root`.
///
/// # Errors
///
/// The benchmark fails to run, or its output has no medians.
pub fn run(root: &Path, with_compile: bool) -> Result<(), String> {
    let synthetic_path = root.join(SYNTHETIC);
    write_synthetic(&synthetic_path)?;
    println!("running `cargo bench -p generator --bench generate` (a few minutes)");
    let stdout = cargo_bench(root, "generator", "generate")?;
    let phases: Vec<&str> = PHASES.iter().map(|(name, _)| *name).collect();
    let medians = parse_divan(&stdout, &phases);
    if medians.is_empty() {
        return Err(format!("no medians in the benchmark's output:\n{stdout}"));
    }
    println!("running `cargo bench -p tests --bench call`");
    let calls_output = cargo_bench(root, "tests", "call")?;
    let calls = parse_divan(&calls_output, &[CALL_BY_HAND, CALL_GENERATED]);
    let instructions = call_instructions(root)?;
    let mut sizes = Vec::new();
    for (input, relative) in LARGE {
        let path = root.join(relative);
        if path.exists() {
            let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
            sizes.push((
                (*input).to_owned(),
                bytes,
                crate_size(&path, generator::config::Selection::default())?,
            ));
            if *input == SELECTED.1 {
                let label = format!("{input}, tag `{}` selected", SELECTED.2);
                sizes.push((label, bytes, crate_size(&path, selected_tag())?));
            }
        }
    }
    let compiles = if with_compile {
        println!("checking the large crates and building clean clients (many minutes)");
        compile(root)?
    } else {
        Vec::new()
    };
    let mut report = report(&medians, &calls, &sizes);
    if let Some(counts) = instructions {
        report.push_str(&instructions_report(counts));
    }
    if !compiles.is_empty() {
        report.push_str(
            "\n## Compile times\n\nWall time on this machine (`cargo xtask bench --compile`), \
             which moves with the machine's load, and the CPU time of cargo and the compilers \
             (user and system, summed over cores), which moves less. The large crates are \
             checked alone, their dependencies built: cold (`CARGO_INCREMENTAL=0`, what a \
             first build and CI pay) and again reusing the incremental cache; the clean builds \
             start from an empty target directory (debug profile, default features).\n\n| what | command | crates \
             compiled | wall | CPU |\n|---|---|---:|---:|---:|\n",
        );
        for c in &compiles {
            let cpu = c
                .cpu_seconds
                .map_or("–".to_owned(), |s| format!("{s:.1} s"));
            let _ = writeln!(
                report,
                "| {} | `{}` | {} | {:.1} s | {cpu} |",
                c.what, c.command, c.crates, c.seconds
            );
        }
    }
    let _ = write!(report, "\nMachine: {}.\n", machine());
    std::fs::write(root.join("BENCHMARKS.md"), report)
        .map_err(|e| format!("cannot write BENCHMARKS.md: {e}"))?;
    std::fs::write(root.join("BENCHMARKS.svg"), chart(&medians))
        .map_err(|e| format!("cannot write BENCHMARKS.svg: {e}"))?;
    println!("wrote BENCHMARKS.md and BENCHMARKS.svg");
    Ok(())
}

/// One compile measurement: what was built, how, crates compiled and wall time.
#[derive(Debug, Clone, PartialEq)]
pub struct Compile {
    pub what: String,
    pub command: String,
    pub crates: usize,
    pub seconds: f64,
    /// CPU time of cargo and the compilers it ran (user and system), where the platform
    /// tells it: steadier than wall time on a shared machine.
    pub cpu_seconds: Option<f64>,
}

/// The hand-written client `truv-client`'s clean build is compared with: one POST with
/// `reqwest` on rustls and `serde_json`, the least a caller of the API would compile.
const BY_HAND_MANIFEST: &str = r#"[package]
name = "by-hand"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
reqwest = { version = "0.13", default-features = false, features = ["rustls", "http2", "json"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

const BY_HAND_MAIN: &str = r#"//! Truv's "Create a webhook", written by hand.
#[derive(serde::Serialize)]
struct Request<'a> {
    name: &'a str,
    webhook_url: &'a str,
    env_type: &'a str,
    events: &'a [&'a str],
}

#[tokio::main]
async fn main() -> Result<(), reqwest::Error> {
    let webhook: serde_json::Value = reqwest::Client::new()
        .post("https://prod.truv.com/v1/webhooks/")
        .header("X-Access-Client-Id", std::env::var("TRUV_CLIENT_ID").unwrap_or_default())
        .header("X-Access-Secret", std::env::var("TRUV_SECRET").unwrap_or_default())
        .json(&Request {
            name: "Payroll updates",
            webhook_url: "https://hooks.example.com/truv",
            env_type: "sandbox",
            events: &["task-status-updated"],
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("{webhook}");
    Ok(())
}
"#;

/// Checks the GitHub and Stripe crates (each alone, their dependencies built: the time of
/// the crate itself), one tag of GitHub, and builds `truv-client` and the hand-written client
/// from clean target directories, all under `.tools/bench/compile` (several minutes).
fn compile(root: &Path) -> Result<Vec<Compile>, String> {
    let work = root.join(".tools/bench/compile");
    let _ = std::fs::remove_dir_all(&work);
    let write = |path: &Path, text: &str| {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let mut members = Vec::new();
    for (name, relative) in LARGE {
        let path = root.join(relative);
        if !path.exists() || *name == "synthetic" {
            continue;
        }
        // The whole crate, and for GitHub also the crate of one tag.
        let mut crates = vec![(*name, generator::config::Selection::default())];
        if *name == SELECTED.1 {
            crates.push((SELECTED.0, selected_tag()));
        }
        for (member, select) in crates {
            let crate_name = format!("bench-{member}");
            let files = generate_file(&path, &crate_name, "cargo xtask bench --compile", select)?;
            for generated in files {
                write(
                    &work.join(member).join(&generated.path),
                    &generated.contents,
                )?;
            }
            members.push(member);
        }
    }
    write(&work.join("by-hand/Cargo.toml"), BY_HAND_MANIFEST)?;
    write(&work.join("by-hand/src/main.rs"), BY_HAND_MAIN)?;
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    write(
        &work.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            quoted.join(", ")
        ),
    )?;
    // The versions this repository pins.
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let mut results = Vec::new();
    let target = work.join("target");
    // Without an incremental cache, as a user's first build and CI pay it; a re-check that
    // reuses the cache (an edit in a warm work tree) is about three times faster and is a row
    // of its own.
    let cold: &[(&str, &str)] = &[("CARGO_INCREMENTAL", "0")];
    for name in &members {
        let package = format!("bench-{name}");
        // Dependencies first, untimed (this also fills the crate's incremental cache).
        timed_cargo(&work, &target, &["check", "-p", &package], &[])?;
        let mut row = |what: String, args: &[&str], env: &[(&str, &str)]| {
            touch(&work.join(name).join("src/lib.rs"))?;
            let (crates, seconds, cpu_seconds) = timed_cargo(&work, &target, args, env)?;
            let command = args.join(" ").replacen("check", "cargo check", 1);
            let command = match env {
                [] => command,
                _ => format!("CARGO_INCREMENTAL=0 {command}"),
            };
            results.push(Compile {
                what,
                command,
                crates,
                seconds,
                cpu_seconds,
            });
            Ok::<(), String>(())
        };
        let whole = ["check", "-p", &package];
        row(format!("{name}: the whole crate, cold"), &whole, cold)?;
        row(
            format!("{name}: the whole crate, re-checked with the incremental cache"),
            &whole,
            &[],
        )?;
        if *name == "github" {
            let args = [
                "check",
                "-p",
                &package,
                "--no-default-features",
                "--features",
                "emojis",
            ];
            row("github: one tag (`emojis`), cold".to_owned(), &args, cold)?;
        }
    }
    let clean = work.join("clean-truv");
    let (crates, seconds, cpu_seconds) =
        timed_cargo(root, &clean, &["build", "-p", "truv-client"], &[])?;
    results.push(Compile {
        what: "`truv-client`, clean build".to_owned(),
        command: "cargo build -p truv-client".to_owned(),
        crates,
        seconds,
        cpu_seconds,
    });
    let clean = work.join("clean-by-hand");
    let by_hand = work.join("by-hand");
    std::fs::copy(root.join("Cargo.lock"), by_hand.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    write(
        &by_hand.join("Cargo.toml"),
        &format!("{BY_HAND_MANIFEST}\n[workspace]\n"),
    )?;
    let (crates, seconds, cpu_seconds) = timed_cargo(&by_hand, &clean, &["build"], &[])?;
    results.push(Compile {
        what: "hand-written reqwest + rustls client, clean build".to_owned(),
        command: "cargo build".to_owned(),
        crates,
        seconds,
        cpu_seconds,
    });
    let _ = std::fs::remove_dir_all(&work);
    Ok(results)
}

/// Runs cargo in `dir` with `target` as its target directory: the crates it compiled and
/// the wall time.
fn timed_cargo(
    dir: &Path,
    target: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Result<(usize, f64, Option<f64>), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let cpu_before = children_cpu_seconds();
    let started = std::time::Instant::now();
    let output = Command::new(cargo)
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = match (cpu_before, children_cpu_seconds()) {
        (Some(before), Some(after)) => Some(after - before),
        _ => None,
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "cargo {} in {} failed:\n{stderr}",
            args.join(" "),
            dir.display()
        ));
    }
    let crates = stderr
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            line.starts_with("Compiling ") || line.starts_with("Checking ")
        })
        .count();
    Ok((crates, seconds, cpu))
}

/// The CPU time (user and system) of this process's children that have ended, on Linux:
/// fields 16 and 17 of `/proc/self/stat`, in clock ticks (100 a second there).
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name, in parentheses, may hold spaces: fields are counted after it.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): fields 16 and 17 are its 13th and 14th.
    let user: f64 = fields.get(13)?.parse().ok()?;
    let system: f64 = fields.get(14)?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Marks `path` changed, so that cargo checks its crate again.
fn touch(path: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The machine, for the report's header: cores, memory, the compiler.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info
                .lines()
                .find(|l| l.starts_with("MemTotal:"))?
                .to_owned();
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!(", {:.0} GiB of memory", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_default();
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            l.split_whitespace()
                .next()
                .map(|first| format!("; load average {first} when it ended"))
        })
        .unwrap_or_default();
    format!("{cores} cores{memory}, {rustc}{load}")
}

/// The call benchmark's functions (`tests/benches/call.rs`).
const CALL_BY_HAND: &str = "create_webhook_by_hand";
const CALL_GENERATED: &str = "create_webhook_generated";

/// Instructions per call of the two call benchmarks (by hand, generated), counted by
/// valgrind's cachegrind: exact and the same on every run, where the medians move with the
/// machine's load. Each runs at two sample counts and the difference is divided by the calls
/// between them, so that start-up and set-up cancel out. `None` without valgrind.
fn call_instructions(root: &Path) -> Result<Option<(u64, u64)>, String> {
    const FEWER: u64 = 100;
    const MORE: u64 = 600;
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("valgrind not found: no instruction counts for the call benchmark");
        return Ok(None);
    }
    println!("counting the call benchmark's instructions with valgrind (a minute)");
    let binary = bench_binary(root, "tests", "call")?;
    let count = |function: &str, samples: u64| -> Result<u64, String> {
        let output = Command::new("valgrind")
            .args([
                "--tool=cachegrind",
                "--cache-sim=no",
                "--cachegrind-out-file=/dev/null",
            ])
            .arg(&binary)
            .args([function, "--bench", "--sample-size", "1", "--sample-count"])
            .arg(samples.to_string())
            .current_dir(root.join("tests"))
            .output()
            .map_err(|e| format!("cannot run valgrind: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(format!("valgrind {}: {stderr}", binary.display()));
        }
        instruction_total(&stderr).ok_or_else(|| format!("no instruction count in:\n{stderr}"))
    };
    let per_call = |function: &str| -> Result<u64, String> {
        let (fewer, more) = (count(function, FEWER)?, count(function, MORE)?);
        Ok(more.saturating_sub(fewer) / (MORE - FEWER))
    };
    Ok(Some((per_call(CALL_BY_HAND)?, per_call(CALL_GENERATED)?)))
}

/// The total of cachegrind's summary line `I refs: 143,437,440`.
fn instruction_total(report: &str) -> Option<u64> {
    report.lines().find_map(|line| {
        let (_, count) = line
            .split_once("I   refs:")
            .or_else(|| line.split_once("I refs:"))?;
        count.trim().replace(',', "").parse().ok()
    })
}

/// The instruction counts of one call, for `BENCHMARKS.md`.
fn instructions_report((by_hand, generated): (u64, u64)) -> String {
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let ratio = generated as f64 / by_hand as f64;
    format!(
        "\nInstructions per call, counted by valgrind (`cachegrind`; exact, so steadier than the \
         medians; client and server together, as above): by hand {by_hand}, `truv-client` \
         {generated} ({ratio:.2}×).\n"
    )
}

/// The executable of `cargo bench -p <package> --bench <bench>`, built if need be.
fn bench_binary(root: &Path, package: &str, bench: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["bench", "-p", package, "--bench", bench, "--no-run"])
        .args(["--message-format", "json"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == bench)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| format!("cargo bench -p {package} --bench {bench} built no executable"))
}

/// Runs `cargo bench -p <package> --bench <bench>` and returns what it printed.
fn cargo_bench(root: &Path, package: &str, bench: &str) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["bench", "-p", package, "--bench", bench])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        Ok(stdout)
    } else {
        Err(format!(
            "cargo bench -p {package} failed:\n{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Writes the synthetic description to `path`.
///
/// # Errors
///
/// The file cannot be written.
pub fn write_synthetic(path: &Path) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, synthetic(400)).map_err(|e| format!("{}: {e}", path.display()))
}

/// The inputs in the order the medians name them, each once.
fn inputs(medians: &[Median]) -> Vec<&str> {
    let mut inputs: Vec<&str> = Vec::new();
    for median in medians {
        if !inputs.contains(&median.input.as_str()) {
            inputs.push(&median.input);
        }
    }
    inputs
}

fn median(medians: &[Median], phase: &str, input: &str) -> Option<f64> {
    medians
        .iter()
        .find(|m| m.phase == phase && m.input == input)
        .map(|m| m.nanos)
}

/// `BENCHMARKS.md`: each phase's median per input, as a ratio to the baseline.
fn report(medians: &[Median], calls: &[Median], sizes: &[(String, u64, Size)]) -> String {
    let mut out = String::from(
        "# Benchmarks\n\nWritten by `cargo xtask bench`; do not edit. Times are medians of the \
         divan benchmark `generator/benches/generate.rs`, all measured in one run on one \
         machine; compare the ratios (each phase against parsing the same text into a \
         `serde_json::Value`, the least any tool must do), not the absolute times, which \
         depend on the machine and its load.\n\n![Phases against the baseline](BENCHMARKS.svg)\n\n",
    );
    let inputs = inputs(medians);
    out.push_str("| phase |");
    for input in &inputs {
        let _ = write!(out, " {input} |");
    }
    out.push_str("\n|---|");
    for _ in &inputs {
        out.push_str("---:|");
    }
    out.push('\n');
    for (phase, label) in PHASES {
        let _ = write!(out, "| {label} |");
        for input in &inputs {
            let base = median(medians, PHASES[0].0, input);
            match (median(medians, phase, input), base) {
                (Some(nanos), Some(base)) => {
                    let _ = write!(out, " {} ({:.2}×) |", shown(nanos), nanos / base);
                }
                _ => out.push_str(" – |"),
            }
        }
        out.push('\n');
    }
    let call = |name: &str| calls.iter().find(|m| m.phase == name);
    if let (Some(by_hand), Some(generated)) = (call(CALL_BY_HAND), call(CALL_GENERATED)) {
        let allocations =
            |m: &Median| m.allocations.map_or("–".to_owned(), |a| format!("{a:.0}"));
        let _ = write!(
            out,
            "\n## One call\n\nTruv's \"Create a webhook\" through `truv-client` against the same \
             request written by hand with `reqwest` and `serde`, both to one local server \
             (`tests/benches/call.rs`, client and server on one thread).\n\n| call | median | \
             allocations |\n|---|---:|---:|\n| by hand | {} | {} |\n| `truv-client` | {} ({:.2}×) \
             | {} |\n",
            shown(by_hand.nanos),
            allocations(by_hand),
            shown(generated.nanos),
            generated.nanos / by_hand.nanos,
            allocations(generated),
        );
    }
    if !sizes.is_empty() {
        out.push_str(
            "\n## Generated crates\n\n| input | description | lines of Rust | `types.rs` + `types/` | \
             `client.rs` + `blocking.rs` | types |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for (input, bytes, size) in sizes {
            #[allow(clippy::cast_precision_loss)] // sizes far below 2^52
            let megabytes = *bytes as f64 / 1e6;
            let _ = writeln!(
                out,
                "| {input} | {megabytes:.1} MB | {} | {} | {} | {} |",
                size.lines, size.types_lines, size.client_lines, size.types
            );
        }
    }
    out
}

/// `1.23 s`, `45.6 ms`, `789 µs`.
fn shown(nanos: f64) -> String {
    if nanos >= 1e9 {
        format!("{:.2} s", nanos / 1e9)
    } else if nanos >= 1e6 {
        format!("{:.1} ms", nanos / 1e6)
    } else {
        format!("{:.0} µs", nanos / 1e3)
    }
}

/// A bar chart: per input, each phase's median as a multiple of the baseline.
fn chart(medians: &[Median]) -> String {
    const ROW: f64 = 18.0;
    const LEFT: f64 = 260.0;
    const WIDTH: f64 = 420.0;
    let inputs = inputs(medians);
    let mut rows: Vec<(String, f64)> = Vec::new();
    for input in &inputs {
        let Some(base) = median(medians, PHASES[0].0, input) else {
            continue;
        };
        for (phase, label) in PHASES {
            if let Some(nanos) = median(medians, phase, input) {
                rows.push((format!("{input}: {label}"), nanos / base));
            }
        }
    }
    let most = rows.iter().map(|(_, r)| *r).fold(1.0, f64::max);
    #[allow(clippy::cast_precision_loss)] // a few dozen rows
    let height = ROW * rows.len() as f64 + 30.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"11\">\n",
        LEFT + WIDTH + 70.0
    );
    let _ = writeln!(
        svg,
        "<text x=\"4\" y=\"14\" font-weight=\"bold\">Median time per phase, as a multiple of \
         parsing into serde_json::Value</text>"
    );
    for (index, (label, ratio)) in rows.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = 24.0 + ROW * index as f64;
        let width = (ratio / most * WIDTH).max(1.0);
        let label = label.replace('`', "");
        let _ = writeln!(
            svg,
            "<text x=\"4\" y=\"{:.0}\">{}</text><rect x=\"{LEFT}\" y=\"{y:.0}\" width=\"{width:.1}\" \
             height=\"{:.0}\" fill=\"#4a7ab0\"/><text x=\"{:.1}\" y=\"{:.0}\">{ratio:.2}×</text>",
            y + 12.0,
            label.replace('&', "&amp;").replace('<', "&lt;"),
            ROW - 4.0,
            LEFT + width + 4.0,
            y + 12.0,
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cachegrind_totals_are_read_from_its_summary() {
        let stderr = "==12118== Cachegrind, a high-precision tracing profiler\n\
                      ==12118== \n==12118== I   refs:      143,437,440\n";
        assert_eq!(instruction_total(stderr), Some(143_437_440));
        assert_eq!(instruction_total("==1== I refs: 12\n"), Some(12));
        assert_eq!(instruction_total("==1== no summary\n"), None);
        let report = instructions_report((122_500, 135_230));
        assert!(
            report.contains("by hand 122500, `truv-client` 135230 (1.10×)"),
            "{report}"
        );
    }

    #[test]
    fn synthetic_is_deterministic_large_and_generates() {
        let text = synthetic(400);
        assert_eq!(text, synthetic(400));
        assert!(text.len() > 2_000_000, "only {} bytes", text.len());
        let small = synthetic(3);
        let settings = generator::Settings {
            crate_name: "synthetic".to_owned(),
            crate_version: "0.0.0".to_owned(),
            source_label: "synthetic.json".to_owned(),
            regenerate_command: "cargo xtask synthetic".to_owned(),
            license: None,
            repository: None,
            strict: false,
            select: generator::config::Selection::default(),
            types: generator::config::Types::default(),
        };
        let files = generator::generate("synthetic.json", &small, &settings)
            .unwrap_or_else(|d| panic!("the synthetic description is refused: {d}"))
            .files;
        let client = files.iter().find(|f| f.path == "src/client.rs").unwrap();
        assert!(client.contents.contains("pub fn create_resource2("));
    }

    #[test]
    fn medians_of_functions_without_arguments_and_their_allocations() {
        let output = "\
call                         fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ create_webhook_by_hand    62.91 µs      │ 4.805 ms      │ 89.41 µs      │ 227.7 µs      │ 200     │ 200
│                            max alloc:    │               │               │               │         │
│                              36          │ 57            │ 36            │ 36.11         │         │
│                            alloc:        │               │               │               │         │
│                              58          │ 86            │ 57            │ 58.14         │         │
│                              10.54 KB    │ 38.15 KB      │ 10.54 KB      │ 10.72 KB      │         │
╰─ create_webhook_generated  81.64 µs      │ 4.363 ms      │ 94.45 µs      │ 230.8 µs      │ 200     │ 200
                             alloc:        │               │               │               │         │
                               77          │ 77            │ 77            │ 77.16         │         │
";
        let calls = parse_divan(output, &[CALL_BY_HAND, CALL_GENERATED]);
        let found: Vec<(&str, f64, Option<f64>)> = calls
            .iter()
            .map(|m| (m.phase.as_str(), m.nanos, m.allocations))
            .collect();
        assert_eq!(
            found,
            [
                (CALL_BY_HAND, 89.41e3, Some(57.0)),
                (CALL_GENERATED, 94.45e3, Some(77.0))
            ]
        );
        let report = report(&[], &calls, &[]);
        assert!(
            report.contains("| `truv-client` | 94 µs (1.06×) | 77 |"),
            "{report}"
        );
    }

    #[test]
    fn divan_medians_are_read_with_their_units() {
        let output = "\
generate                    fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ baseline_parse_to_value                │               │               │               │         │
│  ├─ github                120.1 ms      │ 130.2 ms      │ 125.5 ms      │ 126 ms        │ 10      │ 10
│  ╰─ truv                  48.2 µs       │ 60 µs         │ 50 µs         │ 51 µs         │ 10      │ 10
╰─ generate_crate                         │               │               │               │         │
   ╰─ github                2.9 s         │ 3.2 s         │ 3.05 s        │ 3 s           │ 10      │ 10
";
        let medians = parse_divan(output, &["baseline_parse_to_value", "generate_crate"]);
        assert_eq!(
            medians,
            [
                Median {
                    phase: "baseline_parse_to_value".into(),
                    input: "github".into(),
                    nanos: 125.5e6,
                    allocations: None,
                },
                Median {
                    phase: "baseline_parse_to_value".into(),
                    input: "truv".into(),
                    nanos: 50e3,
                    allocations: None,
                },
                Median {
                    phase: "generate_crate".into(),
                    input: "github".into(),
                    nanos: 3.05e9,
                    allocations: None,
                },
            ]
        );
        let report = report(&medians, &[], &[]);
        assert!(
            report.contains("| the whole pipeline | 3.05 s (24.30×) | – |"),
            "{report}"
        );
    }
}
