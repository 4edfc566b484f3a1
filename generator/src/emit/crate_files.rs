//! The crate around the code: `Cargo.toml`, `README.md` (also the crate documentation) and
//! `src/lib.rs`.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, example, type_tokens};
use crate::Settings;
use crate::config::DateTimeCrate;
use crate::model::{Api, Omission, Omitted, Payload};

/// The dependencies every generated crate needs; the runtime files are written against them.
pub(crate) const DEPENDENCIES: &str = r#"[dependencies]
# `Authorization: Basic` values; signatures in base64 (reqwest depends on it already).
base64 = "0.22"
# The transport seam's vocabulary: `http`'s request and response, `http-body`'s body, the
# bytes they hold (all of them reqwest's own dependencies: nothing more to compile).
bytes = "1"
http = "1"
http-body = "1"
http-body-util = "0.1"
# Jitter for retry backoff.
fastrand = "2"
# `Retry-After` given as an HTTP date.
httpdate = "1"
# `format: uri` checks by RFC 3986's grammar, strict and without repairs; no dependencies.
iri-string = { version = "0.7", default-features = false }
# Percent-encoding of path parameters and cookies.
percent-encoding = "2"
# (TLS, HTTP/2 and system proxies are features of this crate: see `[features]`.)
reqwest = { version = "0.13", default-features = false }
# rustls with the ring provider (feature `rustls-ring`), and the platform's certificate
# verifier reqwest uses with rustls: the same versions as reqwest's.
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }
rustls-platform-verifier = { version = "0.7", optional = true }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
# Backoff sleeps, on the runtime reqwest already uses; `sync`'s semaphore bounds the requests in
# flight; `rt` for the blocking client.
tokio = { version = "1", default-features = false, features = ["time", "sync"] }
# A span per request attempt; silent unless the application installs a subscriber.
tracing = { version = "0.1", default-features = false, features = ["std"] }
# The base URL and redirect targets; query strings and form bodies.
url = "2"
"#;

/// What a crate adds to [`DEPENDENCIES`] for `date-time` values with the `time` crate (the
/// default).
pub(crate) const TIME_DEPENDENCIES: &str = r#"# `date-time` values, parsed as RFC 3339 (`Z` and `+00:00` offsets, fractional seconds).
time = { version = "0.3", features = ["serde-well-known", "parsing", "formatting"] }
"#;

/// What a crate adds to [`DEPENDENCIES`] for `date-time` values with `chrono` (`[types]
/// date-time = "chrono"`).
pub(crate) const CHRONO_DEPENDENCIES: &str = r#"# `date-time` values (`[types] date-time = "chrono"` in the generator's settings), RFC 3339.
chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }
"#;

/// What a crate with a `pattern` to check adds to [`DEPENDENCIES`].
pub(crate) const PATTERN_DEPENDENCIES: &str = "# `pattern` checks.\nregex = \"1\"\n";

/// What a crate with list operations adds to [`DEPENDENCIES`].
pub(crate) const PAGING_DEPENDENCIES: &str = r#"# The `Stream` of pages of list operations, and `stream::unfold` to walk them.
futures-util = { version = "0.3", default-features = false }
"#;

/// What a crate with streamed responses adds to [`DEPENDENCIES`] (and [`PAGING_DEPENDENCIES`],
/// when it has no pager: both need `futures-util`).
pub(crate) const STREAM_DEPENDENCIES: &str = r#"# Server-sent events (`text/event-stream` responses), parsed as they arrive.
eventsource-stream = "0.2"
"#;

/// What a crate with signed callbacks adds to [`DEPENDENCIES`].
pub(crate) const SIGNATURE_DEPENDENCIES: &str = r#"# Signed callbacks: signatures in base64 (above) or hex,
hex = "0.4"
# the HMAC, with a constant-time `verify_slice` (RustCrypto, on `subtle`), over SHA-2.
hmac = "0.12"
sha2 = "0.10"
"#;

/// What a crate with signed callbacks adds for its example receiver.
const RECEIVER_DEV_DEPENDENCIES: &str = r#"
[dev-dependencies]
# The HTTP server of `examples/receive_deliveries.rs`: small and synchronous.
tiny_http = "0.12"
"#;

/// The definition of each of the cargo features every generated crate has (beside its
/// default set, which adds `full`, the groups of operations, where the crate has those): the
/// comment lines above it and what it enables. Written in the order of
/// [`reserved::CARGO_FEATURES`](crate::naming::reserved::CARGO_FEATURES), the list lowering
/// keeps groups' features off, so that no group can take one of these names.
fn feature_definition(name: &str) -> (&'static str, &'static str) {
    match name {
        "blocking" => (
            "# `blocking::Client`: the same operations for code without an async runtime.\n",
            r#"["tokio/rt"]"#,
        ),
        // Enables nothing: it compiles the `testing` module.
        "testing" => (
            "# `testing::MockTransport`: an in-memory transport for tests of code that uses the \
             client.\n",
            "[]",
        ),
        "rustls" => (
            "# TLS, one of (with several, the first listed here wins):\n\
             # rustls on aws-lc-rs, reqwest's own default (a C compiler builds aws-lc);\n",
            r#"["reqwest/rustls"]"#,
        ),
        "rustls-ring" => (
            "# rustls on ring (a C compiler builds ring's few C and assembly files);\n",
            r#"["reqwest/rustls-no-provider", "dep:rustls", "dep:rustls-platform-verifier"]"#,
        ),
        "native-tls" => (
            "# the platform's TLS: OpenSSL on Linux (its headers and pkg-config), Secure \
             Transport, SChannel.\n",
            r#"["reqwest/native-tls"]"#,
        ),
        "http2" => (
            "# HTTP/2, negotiated by TLS ALPN.\n",
            r#"["reqwest/http2"]"#,
        ),
        "system-proxy" => (
            "# Proxies from the system's configuration (`HTTPS_PROXY`, `NO_PROXY`, ...).\n",
            r#"["reqwest/system-proxy"]"#,
        ),
        // A name added to the list without a definition here: an empty feature, which the
        // unit test below refuses.
        _ => ("", "[]"),
    }
}

/// The `[features]` lines of the crate's own features, from the shared list.
fn crate_features() -> String {
    let mut out = String::new();
    for name in crate::naming::reserved::CARGO_FEATURES {
        let (comment, enables) = feature_definition(name);
        let _ = writeln!(out, "{comment}{name} = {enables}");
    }
    out
}

/// The lints a generated crate declares, the ones its code is checked against (the
/// generator's tests build every fixture crate with them and `-D warnings`). Its own, so that
/// a crate generated into a workspace does not inherit lints its code was never checked
/// against; pedantic is a warning, so a lint added by a newer clippy fails nothing unless
/// warnings are denied.
const LINTS: &str = r#"
[lints.rust]
unsafe_code = "forbid"
missing_docs = "warn"
missing_debug_implementations = "warn"

[lints.clippy]
pedantic = { level = "warn", priority = -1 }
# The API description's prose is quoted in docs as written: its CamelCase words are not code.
doc_markdown = "allow"
"#;

/// docs.rs builds every feature, with `--cfg docsrs` so that feature-gated items say so.
const DOCS_RS: &str = r#"
[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]
"#;

/// The least Rust version the generated crate builds with: edition 2024's (let-chains and other
/// later features stay out of generated and runtime code; clippy's `incompatible_msrv`, on by
/// default, checks the standard library items used against it).
pub(crate) const RUST_VERSION: &str = "1.85";

pub(crate) fn cargo_toml(api: &Api, settings: &Settings) -> String {
    let mut out = format!(
        "# @generated by the `generator` crate from `{}`.\n# Do not edit by hand: run `{}`.\n\n",
        settings.source_label, settings.regenerate_command
    );
    let description = format!(
        "Typed async client for the {}, generated from its OpenAPI description.",
        super::api_name(&api.title)
    );
    let _ = write!(
        out,
        "[package]\nname = {}\nversion = {}\nedition = \"2024\"\nrust-version = \"{RUST_VERSION}\"\ndescription = {}\nreadme = \"README.md\"\n",
        toml_string(&settings.crate_name),
        toml_string(&settings.crate_version),
        toml_string(&description),
    );
    match license(api, settings) {
        Some(license) => {
            let _ = writeln!(out, "license = {}", toml_string(&license));
        }
        // No license known: never published by accident.
        None => out.push_str("publish = false\n"),
    }
    if let Some(repository) = &settings.repository {
        let _ = writeln!(out, "repository = {}", toml_string(repository));
    }
    if let Some(homepage) = &api.homepage {
        let _ = writeln!(out, "homepage = {}", toml_string(homepage));
    }
    out.push_str(DOCS_RS);
    out.push('\n');
    out.push_str(DEPENDENCIES);
    out.push_str(match api.date_time {
        DateTimeCrate::Time => TIME_DEPENDENCIES,
        DateTimeCrate::Chrono => CHRONO_DEPENDENCIES,
    });
    if !api.external_dependencies.is_empty() {
        out.push_str("# Types the generator's settings (or `x-rust-type`) map schemas to.\n");
    }
    for dependency in &api.external_dependencies {
        let features: Vec<String> = dependency.features.iter().map(|f| toml_string(f)).collect();
        let _ = writeln!(
            out,
            "{} = {{ version = {}, features = [{}] }}",
            dependency.name,
            toml_string(&dependency.version),
            features.join(", ")
        );
    }
    if api.uses_patterns() {
        out.push_str(PATTERN_DEPENDENCIES);
    }
    if api.uses_paging() || api.uses_streams() || api.uses_uploads() {
        out.push_str(PAGING_DEPENDENCIES);
    }
    if api.uses_streams() {
        out.push_str(STREAM_DEPENDENCIES);
    }
    if api.uses_signatures() {
        out.push_str(SIGNATURE_DEPENDENCIES);
        out.push_str(RECEIVER_DEV_DEPENDENCIES);
    }
    out.push_str("\n[features]\n");
    if api.features.is_empty() {
        out.push_str("default = [\"rustls\", \"http2\", \"system-proxy\"]\n");
    } else {
        let names: Vec<String> = api.features.iter().map(|f| toml_string(&f.name)).collect();
        let _ = write!(
            out,
            "default = [\"rustls\", \"http2\", \"system-proxy\", \"full\"]\n\
             # Every group of operations: leave the defaults out and name the groups you use to\n\
             # compile only those and the types they reach.\nfull = [{}]\n",
            names.join(", ")
        );
        for feature in &api.features {
            let _ = writeln!(out, "# {}\n{} = []", feature.docs, toml_key(&feature.name));
        }
    }
    out.push_str(&crate_features());
    out.push_str(LINTS);
    out
}

/// The runtime's checked types (and their rule trait) some value of the API has.
fn checked_types(api: &Api) -> std::collections::BTreeSet<&'static str> {
    use crate::model::{Checked, TypeRef};
    let mut out = std::collections::BTreeSet::new();
    api.walk_refs(&mut |ty| {
        if let TypeRef::Checked(checked) = ty {
            out.extend(match checked {
                Checked::Length { .. } => &["BoundedString"][..],
                Checked::Uri { .. } => &["UriString"],
                Checked::Pattern(_) => &[],
                Checked::Integer { wide: true, .. } => &["BoundedI64"],
                Checked::Integer { wide: false, .. } => &["BoundedI32"],
                Checked::Float { wide: true, .. } => &["BoundedF64", "NumberRule"],
                Checked::Float { wide: false, .. } => &["BoundedF32", "NumberRule"],
            });
        }
    });
    out
}

/// A TOML key: bare where it can be (cargo feature names always can).
fn toml_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

/// The package's license: the one the settings name, else the API description's when it is an
/// SPDX expression (or a common spelling of one), else none.
pub(crate) fn license(api: &Api, settings: &Settings) -> Option<String> {
    if let Some(license) = &settings.license {
        return Some(license.clone());
    }
    let name = api.license.as_deref()?.trim();
    let known = [
        ("Apache 2.0", "Apache-2.0"),
        ("Apache License 2.0", "Apache-2.0"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("MIT License", "MIT"),
        ("BSD 3-Clause", "BSD-3-Clause"),
    ];
    if let Some((_, spdx)) = known.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some((*spdx).to_owned());
    }
    let spdx = !name.is_empty()
        && name.split_whitespace().all(|word| {
            matches!(word, "OR" | "AND" | "WITH")
                || word
                    .trim_matches(['(', ')'])
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
        })
        && name.split_whitespace().count() % 2 == 1;
    spdx.then(|| name.to_owned())
}

/// A TOML basic string.
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn readme(api: &Api, settings: &Settings) -> Result<String, String> {
    let lib = settings.crate_name.replace('-', "_");
    let mut out = format!("# {}\n\n", settings.crate_name);
    let _ = writeln!(
        out,
        "A typed async Rust client for the {} (version {}), generated from\n`{}`. Do not edit this crate by hand: run `{}`.\n",
        super::api_name(&api.title),
        api.version,
        settings.source_label,
        settings.regenerate_command
    );
    if let Some(description) = &api.description {
        out.push_str(&docs::markdown_safe(description));
        out.push_str("\n\n");
    }
    if !api.omissions.is_empty() {
        let _ = writeln!(
            out,
            "This crate does not have everything the description has: see [Not generated](#not-generated).\n"
        );
    }
    if let Some(selected) = &api.selected {
        let rules: Vec<String> = selected
            .rules
            .iter()
            .map(|(kind, value)| format!("{kind} `{value}`"))
            .collect();
        let _ = writeln!(
            out,
            "This crate has {} of the description's {} operations, selected by the generator's \
             settings (`[select]`): {}. The types only the others use are not generated.\n",
            selected.kept,
            selected.kept + selected.removed,
            rules.join(", ")
        );
    }
    out.push_str("## Usage\n\n```rust,no_run\n");
    out.push_str(&example::usage(api, &lib)?);
    out.push_str("```\n\n");
    let error_body = match &api.error_body {
        crate::model::TypeRef::Named(id) => format!("`types::{}`", api.type_path(*id)),
        _ => "JSON (`serde_json::Value`)".to_owned(),
    };
    let body_types = if api.operations.iter().all(|op| op.error == api.error_body) {
        format!(
            "Every operation returns `Result<T, {lib}::Error>`; error bodies decode as {error_body}."
        )
    } else {
        format!(
            "Operations return `Result<T, {lib}::Error<E>>`, where `E` is what their error \
             responses decode as: {error_body} by default (`{lib}::Error` alone), else the type \
             the operation's signature names: the one its error responses share, or an enum with \
             a variant per documented status (`types::<Operation>Error`) when their bodies differ."
        )
    };
    let examples = example::examples(api, &lib)?;
    let fence = |code: &str| format!("```rust,no_run\n{code}```\n");
    let _ = write!(
        out,
        "## Errors\n\n\
         {body_types} The variants of `Error` say what went wrong:\n\n\
         - `InvalidRequest`: a value was refused before anything was sent (it names the field and the rule);\n\
         - `Transport`: no response arrived (connection, TLS, timeout);\n\
         - `Api`: the server answered with an error status; `error_body()` gives the body decoded as\n  \
           documented for that status when it has that shape, `body()` the raw text either way;\n\
         - `Decode`: a success status whose body is not the documented type (the body text is kept);\n\
         - `ResponseTooLarge`: a success body over the client's limit;\n\
         {token_variant}\
         - `Config`: the client could not be built (building returns a `ConfigError`; this variant\n  \
           lets `?` carry it).\n\n\
         Each error's message says what went wrong at its level and leaves its cause to `source()`,\n\
         as the Rust API guidelines have it, so a report that walks the causes (`anyhow`'s `{{:#}}`)\n\
         shows each once:\n\n{errors}\n\
         ## Requests and responses\n\n\
         Request types check their values when they are built: lengths (counted in characters, as\n\
         JSON Schema does), `format: uri` (RFC 3986; the value is sent exactly as checked), required\n\
         fields, enumeration values. Response types are tolerant of what an API adds over time: unknown\n\
         fields are ignored, unknown enumeration values decode as `OrUnknown::Unknown`, and limits the\n\
         description states are documented rather than enforced, so that one over-long value from the\n\
         server does not lose the whole response.\n\n\
         Every generated struct and enum is `#[non_exhaustive]`, so that a field, variant or status the\n\
         API adds is not a breaking change of this crate: build request values with `new`,\n\
         `builder()` or `Default`, match enums with a `_` arm, and in tests build response values the\n\
         way they arrive, from JSON (`serde_json::from_value`).\n\n\
         Credentials are held in `SecretString`, which never appears in `Debug` or `Display` output.\n\n\
         {oauth}\
         ## Configuration\n\n\
         `Client::builder(..)` sets the base URL, timeouts (30 s per attempt and 10 s to connect by\n\
         default), default headers (their values are kept out of `Debug` output), the `User-Agent`\n\
         (`<crate>/<version>` by default), a response size limit (10 MiB by default), the retry and\n\
         redirect policies, a bound on the requests in flight at once (`max_in_flight`: reqwest's\n\
         pool has no per-host bound; a retry gives its place back while it waits), or your own\n\
         `reqwest::Client`. A setting it refuses is a `ConfigError` naming it.\n\n{configuration}\n\
         `RetryPolicy` retries connection failures and 429, 502, 503 and 504 responses with\n\
         exponential backoff and jitter, honouring `Retry-After` (seconds or an HTTP date), within\n\
         a number of attempts and a total deadline. Only requests that are safe to repeat are\n\
         retried by default: GET, HEAD, OPTIONS, PUT and DELETE. A POST is repeated only when it\n\
         never reached the server (the connection failed), when it carries an idempotency key (a\n\
         header the description declares, named `Idempotency-Key`, `X-Idempotency-Key` or\n\
         `Idempotency-Token`, or marked `x-idempotency-key: true`: the client makes one per call,\n\
         the same on every retry, unless you set your own), or when you opt in with\n\
         `RetryPolicy::retry_non_idempotent(true)`, for the client or for one call with\n\
         `client.with_retry_policy(..)`: without an idempotency key a repeated create can create\n\
         twice.\n\n\
         ## Redirects\n\n\
         Credentials are sent to the base URL's origin (its scheme, host and port) and nowhere else.\n\
         The client follows redirects itself, by its `RedirectPolicy`: up to 10 within that origin,\n\
         with every credential; none to another origin unless you allow it, and then without\n\
         credentials, default headers, header or cookie parameters; never from `https` to `http`. A\n\
         redirect it does not follow is returned as the `Error::Api` it is, saying why. A\n\
         `reqwest::Client` of your own should follow no redirect itself (it would do so before this\n\
         client could decide):\n\n{redirects}\n\
         ## Responses and tracing\n\n\
         An operation's method returns a `Call`, which sends nothing until it is awaited: `.await`\n\
         gives the decoded body, `.with_response().await` a `Response<T>` with the status and headers\n\
         too. Any 2xx status decodes as the documented body. The method checks its values when it is\n\
         called; a refused one is the call's error, before any request is made.\n\n\
         Every attempt is a `tracing` span, `http_request`, with the operation, method, path\n\
         template, attempt, status and latency; its events (the response, a failed attempt, a retry,\n\
         a redirect) are at `debug`. Nothing is emitted without a subscriber, and no credential or\n\
         body is ever recorded.\n\n\
         ## Your own transport, and hooks\n\n\
         Every request goes through a `transport::HttpTransport`: one method, from an\n\
         `http::Request` to an `http::Response`, each request carrying the operation it belongs to\n\
         (`transport::AttemptInfo`, in its extensions). The default is `reqwest`.\n\
         `ClientBuilder::wrap_transport` puts your own around it (to add a header, sign, count, or\n\
         put a `tower` service or another HTTP client under the client);\n\
         `ClientBuilder::transport` replaces it. Retries, redirects, the timeout, the size limit and\n\
         where credentials may go stay above the seam, so no transport can weaken them. Hooks\n\
         (`ClientBuilder::hooks`) run around each attempt with its operation id, method, path\n\
         template and attempt number, and see the request before the credentials are added:\n\n{transport}\n\
         ## Testing code that uses the client\n\n\
         The `testing` cargo feature (for your `[dev-dependencies]`) adds\n\
         `testing::MockTransport`, a transport that answers from memory: queue each operation's\n\
         replies by its type in `operations` (`.on::<operations::Op>().returns(200, &value)`, typed\n\
         by the operation's success body; or any `testing::Reply`: a status, a body, a header, a\n\
         transport failure), give it to the client with `ClientBuilder::transport`, run your code,\n\
         then assert on the requests it sent (`requests_for::<operations::Op>()`: method, path,\n\
         query, headers with the credentials redacted, the body decoded with `json()`). The client\n\
         above it is the real one: checks, retries and error decoding run as in production.{testing}\n\
         ## Blocking client\n\n\
         The `blocking` cargo feature adds `blocking::Client`, with the async client's surface\n\
         (`builder`, every operation, `with_retry_policy`, `Clone`), types and errors, for code\n\
         without an async runtime: an operation's `blocking::Call` blocks the calling thread in\n\
         `.send()` (the body) or `.with_response()` (with the status and headers):\n\n{blocking}\n\
         ## Cargo features\n\n\
         - `rustls` (default): TLS by rustls on aws-lc-rs, reqwest's own default (a C compiler builds\n  \
           aws-lc);\n\
         - `rustls-ring`: TLS by rustls on ring instead (with `default-features = false`);\n\
         - `native-tls`: the platform's TLS instead (OpenSSL on Linux, which needs its headers and\n  \
           pkg-config);\n\
         - `http2` (default): HTTP/2, negotiated by TLS;\n\
         - `system-proxy` (default): proxies from the system's configuration;\n\
         - `blocking`: `blocking::Client`;\n\
         - `testing`: `testing::MockTransport`, for tests of code that uses the client.\n\n\
         With several TLS features, the first of this list wins; with none, only `http://` base URLs\n\
         work.\n",
        errors = fence(&examples.errors),
        oauth = oauth_section(api),
        token_variant = if api.uses_client_credentials() {
            "- `Token`: no access token could be had from the token endpoint (a `TokenError` with its\n  \
             status, body and OAuth `error`);\n"
        } else {
            ""
        },
        configuration = fence(&examples.configuration),
        redirects = fence(&examples.redirects),
        blocking = fence(&examples.blocking),
        transport = fence(&examples.transport),
        testing = examples.testing.as_deref().map_or_else(
            || "\n".to_owned(),
            |code| format!("\n\n```rust\n{code}```\n")
        ),
    );
    let downloads = api.operations.iter().any(|op| op.success == Payload::Bytes);
    let uploads = api.sends_binary_bodies();
    if downloads || uploads || api.uses_multipart() {
        out.push_str("\n## Binary bodies\n");
    }
    if downloads {
        out.push_str(
            "\nA binary response is a `ByteStream`: its chunks as they arrive (a `futures::Stream`, or\n\
             `.chunk().await`), each held until you take it, so a download of any size costs the\n\
             memory of a chunk and has no size limit; `.bytes().await` collects it instead, within\n\
             the response size limit. The blocking client's is an iterator and a `std::io::Read`\n\
             (`std::io::copy` it to a file).\n",
        );
    }
    if uploads {
        out.push_str(
            "\nA binary request body is an `Upload`: bytes as they are (`Vec<u8>`, `&[u8]`, `&str`),\n\
             or `Upload::from_stream(stream)` for one sent as it is read (a file:\n\
             `tokio_util::io::ReaderStream::new(tokio::fs::File::open(path).await?)`;\n\
             `from_stream_with_length` sends its `Content-Length`).\n",
        );
    }
    if api.uses_multipart() {
        out.push_str(
            "\nA file part of a multipart body is bytes (`FilePart::new`) or a stream read as the\n\
             body is sent (`FilePart::from_stream`).\n",
        );
    }
    if uploads || api.uses_multipart() {
        out.push_str(
            "\nA stream can be read once: a call that sends one is never retried, whatever the\n\
             retry policy, and follows no redirect that asks for the body again (307, 308). Bytes\n\
             are sent again on a retry.\n",
        );
    }
    if !api.features.is_empty() {
        let _ = write!(
            out,
            "\n## Groups of operations\n\n\
             Each group of operations is a cargo feature, and so are the schemas no operation uses;\n\
             `full` (the default) is all of them. To compile only the groups you use, and the types\n\
             they reach:\n\n\
             ```toml\n{} = {{ version = \"{}\", default-features = false, features = [\"{}\"] }}\n```\n\n",
            settings.crate_name, settings.crate_version, api.features[0].name
        );
        for feature in &api.features {
            let _ = writeln!(
                out,
                "- `{}`: {}",
                feature.name,
                docs::markdown_safe(&feature.docs)
            );
        }
    }
    if let Some(op) = api.operations.iter().find(|op| op.pager.is_some()) {
        let plain = op.rust_name.trim_start_matches("r#");
        let _ = write!(
            out,
            "\n## Lists, page by page\n\n\
             The call of each list operation also has `.pages()` and `.items()` (for example\n\
             `client.{plain}(..).items()`): a `futures::Stream` of its pages, and of their items,\n\
             that fetches a page only when the one before has been consumed and ends after the last\n\
             page (or the first error). Every page is requested like the call itself, with the\n\
             optional parameters set on it: the same checks, retries and errors. A next page's URL\n\
             is followed only at the base URL's origin (scheme, host and port): one elsewhere ends\n\
             the stream with `Error::InvalidRequest`, so credentials never go to another origin; so\n\
             does a next page that was fetched before (a cycle), and `.max_pages(n)` bounds a walk.\n\
             Consume the streams with `futures::StreamExt` or `TryStreamExt`.\n"
        );
    }
    if let Some(callback) = api.callbacks.first() {
        let _ = write!(
            out,
            "\n## Receiving deliveries\n\n\
             The `webhooks` module checks the signature of each delivery the API sends to your\n\
             endpoint and decodes it: `webhooks::{}(body, signature, key)` takes the raw body bytes\n\
             (exactly as received), the `{}` header and the key, compares in constant time, and\n\
             returns the delivery or a `VerifyError` to answer with a 4xx status. Events the\n\
             description does not list decode as an `Unknown` variant that keeps their JSON.\n\
             `examples/receive_deliveries.rs` is a small receiver on a local port.\n",
            callback.verify_name.trim_start_matches("r#"),
            callback.header
        );
    }
    out.push_str(&not_generated(api, settings));
    Ok(out)
}

/// The section listing what the crate leaves out, each with its JSON pointer and reason; empty
/// for a complete crate.
fn not_generated(api: &Api, settings: &Settings) -> String {
    if api.omissions.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n## Not generated\n\n\
         The generator could not express these parts of `{}`; each names the place in the\n\
         description (a JSON pointer) and the reason.\n",
        settings.source_label
    );
    let line = |omission: &Omission| {
        let pointer = if omission.pointer.is_empty() {
            "/"
        } else {
            &omission.pointer
        };
        format!(
            "- {}: `{pointer}`: {}\n",
            omission.subject.markdown(),
            docs::markdown_safe(&omission.reason)
        )
    };
    let groups = [
        (
            "Operations left out (the client has no method for them):",
            (|o: &Omitted| matches!(o, Omitted::Operation { .. } | Omitted::Path { .. }))
                as fn(&Omitted) -> bool,
        ),
        (
            "Schemas typed as any JSON value (`serde_json::Value`); the operations that use \
             them work, without types for these values:",
            |o| matches!(o, Omitted::Schema { .. }),
        ),
        (
            "Signed callbacks without a verification function in `webhooks`:",
            |o| matches!(o, Omitted::Callback { .. }),
        ),
        (
            "Operations without a pager (their method works; walk the pages yourself):",
            |o| matches!(o, Omitted::Pager { .. }),
        ),
    ];
    for (heading, member) in groups {
        let lines: Vec<String> = api
            .omissions
            .iter()
            .filter(|o| member(&o.subject))
            .map(line)
            .collect();
        if !lines.is_empty() {
            let _ = write!(out, "\n{heading}\n\n{}", lines.concat());
        }
    }
    out
}

pub(crate) fn lib_rs(api: &Api) -> TokenStream {
    let error_body = type_tokens(api, &api.error_body);
    let default_body = match &api.error_body {
        crate::model::TypeRef::Named(id) => format!("[`types::{}`]", api.type_path(*id)),
        _ => "JSON values".to_owned(),
    };
    let error_doc = if api.operations.iter().all(|op| op.error == api.error_body) {
        format!(" The error every operation returns; error bodies decode as {default_body}.")
    } else {
        format!(
            " The error operations return. `E` is what an operation's error responses decode as: \
             {default_body} unless its signature names another type."
        )
    };
    let file_part = api.uses_multipart().then(|| {
        quote!(
            pub use runtime::multipart::{FilePart, MultipartForm};
        )
    });
    let upload = api.uses_uploads().then(|| {
        quote!(
            pub use runtime::upload::Upload;
        )
    });
    // The checked types the API's values use (all of them are in `runtime::checked`).
    let used = checked_types(api);
    let checked = (!used.is_empty()).then(|| {
        let names = used.iter().map(|name| super::ident(name));
        quote!(pub use runtime::checked::{#(#names),*};)
    });
    let client_credentials = api.uses_client_credentials().then(|| {
        quote!(
            pub use runtime::oauth::ClientCredentials;
        )
    });
    let pattern = api.uses_patterns().then(|| {
        quote!(
            pub use runtime::pattern::{Pattern, PatternString, StringPattern};
        )
    });
    let call_doc = format!(
        " One call of an operation, as its method returns it: its setters add the \
         operation's optional parameters, then `.await` gives the body, \
         `.with_response().await` the body with the response's status and headers. `E` is \
         what its error responses decode as, {default_body} unless its signature names \
         another type; `O` names the operation (a type of [`operations`])."
    );
    let paged = api.uses_paging().then(|| {
        let doc = format!(
            " A stream of the pages (or items) of a list operation; `E` is what its error \
             responses decode as, {default_body} unless its signature names another type."
        );
        quote! {
            #[doc = #doc]
            pub type Paged<T, E = #error_body> = runtime::paging::Paged<T, E>;
        }
    });
    let webhooks = api.uses_signatures().then(|| {
        quote!(
            pub mod webhooks;
        )
    });
    let streams = api.uses_streams().then(|| {
        let doc = format!(
            " The server-sent events of a streaming operation, as they arrive; `E` is what its \
             error responses decode as, {default_body} unless its signature names another type; \
             `D`, what each event's data is: the text sent, or the type the API description \
             gives it."
        );
        let values_doc = format!(
            " The JSON values of a streaming operation (JSON lines or a JSON text sequence), as \
             they arrive; `E` is what its error responses decode as, {default_body} unless its \
             signature names another type."
        );
        let bytes_doc = format!(
            " The body of a binary response, as it arrives: a stream of chunks, or collected \
             with `bytes()` up to the client's response size limit; `E` is what its error \
             responses decode as, {default_body} unless its signature names another type."
        );
        quote! {
            pub use runtime::streaming::Event;
            #[doc = #doc]
            pub type EventStream<E = #error_body, D = ::std::string::String> =
                runtime::streaming::EventStream<E, D>;
            #[doc = #values_doc]
            pub type JsonStream<T, E = #error_body> = runtime::streaming::JsonStream<T, E>;
            #[doc = #bytes_doc]
            pub type ByteStream<E = #error_body> = runtime::streaming::ByteStream<E>;
        }
    });
    let verify_error = api.uses_signatures().then(|| {
        quote!(
            pub use runtime::signature::VerifyError;
        )
    });
    let date_time = match api.date_time {
        DateTimeCrate::Time => quote!(::time),
        DateTimeCrate::Chrono => quote!(::chrono),
    };
    quote! {
        #![doc = include_str!("../README.md")]
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]
        // docs.rs (nightly, `--cfg docsrs`) marks feature-gated items with their feature.
        #![cfg_attr(docsrs, feature(doc_cfg))]

        #[cfg(feature = "blocking")]
        #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
        pub mod blocking;
        mod client;
        pub mod operations;
        mod runtime;
        pub mod types;
        #webhooks

        pub use client::Client;
        #checked
        pub use runtime::builder::IntoChecked;
        #client_credentials
        pub use runtime::config::ClientBuilder;
        pub use runtime::enums::{IntegerEnum, StringEnum};
        pub use runtime::error;
        // Documented where they are defined, in `error`.
        #[doc(no_inline)]
        pub use runtime::error::{ApiError, ConfigError, ConfigErrorKind, DecodeError, ResponseTooLarge, TokenError, TokenErrorKind, TransportError, TransportErrorKind};
        #file_part
        #upload
        pub use runtime::or_unknown::OrUnknown;
        #pattern
        pub use runtime::redirect::RedirectPolicy;
        pub use runtime::response::Response;
        pub use runtime::retry::RetryPolicy;
        pub use runtime::secret::SecretString;
        pub use runtime::validation::{ValidationError, ValidationErrorKind};
        #verify_error

        #[doc = #error_doc]
        pub type Error<E = #error_body> = error::Error<E>;
        pub use runtime::call;
        pub use runtime::seam as transport;
        #[cfg(feature = "testing")]
        #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
        pub use runtime::testing;
        #[doc = #call_doc]
        pub type Call<'a, T, E = #error_body, O = ()> = call::Call<'a, T, E, O>;

        // The crates whose types are part of this API (`reqwest::StatusCode`, `HeaderMap` and
        // `Client`; `http::Request` and `Response`, at the transport seam; `time::OffsetDateTime`; `serde_json::Value` and `Error`), so that callers
        // name them at the version this crate was built with.
        #[doc(no_inline)]
        pub use ::reqwest;
        #[doc(no_inline)]
        pub use ::http;
        #[doc(no_inline)]
        pub use ::serde_json;
        #[doc(no_inline)]
        pub use #date_time;
        #paged
        #streams
    }
}

/// The README's section on OAuth 2.0 client credentials, for an API with a `clientCredentials`
/// flow; empty otherwise.
fn oauth_section(api: &Api) -> String {
    let setters: Vec<String> = api
        .credentials
        .iter()
        .filter_map(|c| {
            let flow = c.token_flow.as_ref()?;
            Some(format!(
                "`{}` (`ClientBuilder::{}`, token URL `{}`)",
                c.scheme, flow.setter, flow.token_url
            ))
        })
        .collect();
    if setters.is_empty() {
        return String::new();
    }
    format!(
        "## OAuth 2.0 client credentials\n\n\
         For {}, the client fetches its access token itself (RFC 6749's client credentials\n\
         grant): given a `ClientCredentials` (the client id and secret; the scopes to ask for, none\n\
         by default, so that the server grants its default; the token URL, which a relative\n\
         `tokenUrl` resolves against the base URL the client is built with (`with_base_url` keeps\n\
         it), and which `ClientCredentials::token_url` replaces), it `POST`s `grant_type=client_credentials` to the token URL, authenticating\n\
         with HTTP Basic, and sends the token it gets as `Authorization: Bearer`.\n\n\
         The token is kept and shared by the client's clones (and the blocking client). It is renewed\n\
         before it expires, by the `expires_in` it came with: 60 seconds before by default\n\
         (`ClientCredentials::renew_before`), never earlier than half way through its lifetime.\n\
         One renewal at a time: calls that need a token while it is being fetched wait for that\n\
         one. When the API answers `401` to a token the client fetched, the token is renewed and the\n\
         request sent again, once, whatever its method (a `401` was not acted on); a second `401` is\n\
         the call's `Error::Api`. A refresh token, where the endpoint gives one, is used for the next\n\
         renewal (at the flow's `refreshUrl` if it has one), falling back to the client credentials.\n\
         A token the endpoint refuses, or that cannot be had, ends the call with `Error::Token`: a\n\
         `TokenError` with the endpoint's status, body and OAuth `error` and `error_description`.\n\n\
         The client secret goes only to the token URL (in the `Authorization` header, never in the\n\
         body), and the access token only to the base URL's origin. Token requests go through the\n\
         client's transport, with its timeout and response size limit, but not through its hooks\n\
         or its retry policy; they carry `(oauth2 token)` as their `AttemptInfo::operation`, and\n\
         `testing::MockTransport` answers them with the replies queued for\n\
         `testing::TokenRequest`. A token request takes no place under `max_in_flight`. A\n\
         token you obtain yourself can still be given instead, with the scheme's own setter: it is\n\
         sent as it is and never renewed.\n\n",
        setters.join(", ")
    )
}

/// `src/runtime/mod.rs`: the runtime modules this API needs.
pub(crate) fn runtime_mod(api: &Api) -> TokenStream {
    let modules = super::runtime_modules(api).map(|module| {
        let name = super::ident(module.name);
        let cfg = match module.needed {
            super::Need::Blocking => Some(quote!(#[cfg(feature = "blocking")])),
            super::Need::Testing => Some(quote!(#[cfg(feature = "testing")])),
            _ => None,
        };
        // `error` is public: the crate re-exports it as `error`, with its types.
        let vis = if matches!(module.name, "error" | "call" | "seam" | "testing") {
            quote!(pub)
        } else {
            quote!(pub(crate))
        };
        quote! {
            #cfg
            #vis mod #name;
        }
    });
    // With only some groups of operations compiled, some runtime code goes unused.
    let partial = (!api.features.is_empty())
        .then(|| quote!(#![cfg_attr(not(feature = "full"), allow(dead_code))]));
    quote! {
        //! The runtime: the code that is the same for every client this generator writes
        //! (configuration, transport, retries, errors, value checks, credentials).
        #partial

        #(#modules)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crate_feature_is_defined_from_the_shared_list() {
        for name in crate::naming::reserved::CARGO_FEATURES {
            let (comment, enables) = feature_definition(name);
            assert!(
                comment.starts_with("# ") && comment.ends_with('\n'),
                "{name}"
            );
            assert!(
                enables != "[]" || *name == "testing",
                "`{name}` has no definition"
            );
        }
        let features = crate_features();
        let defined: Vec<&str> = features
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split(" = ").next())
            .collect();
        assert_eq!(defined, crate::naming::reserved::CARGO_FEATURES);
    }
}
