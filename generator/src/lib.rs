//! An OpenAPI 3.0, 3.1 and 3.2 to Rust client generator.
//!
//! The pipeline is pure: [`generate`] takes a document's text and [`Settings`] and returns
//! the generated crate's files as strings, with what it left out. It reads no files and no
//! environment; the CLI (`src/main.rs`) and `cargo xtask codegen` own paths and writing.
//!
//! # What cannot be generated is left out, not fatal
//!
//! One construct the generator cannot express costs that construct, not the document: an
//! operation with a problem of its own (in its parameters, body, responses or security, or a
//! parameter or response component it uses) has no method; a schema that cannot be typed is
//! any JSON value (`serde_json::Value`, under the schema's name, with docs that say why) for
//! every operation that uses it, so that they stay callable; an `x-pagination` that cannot be
//! followed costs the operation its pager, not its method; a signed callback with a problem
//! has no verification function (a callback whose registering operation is left out keeps
//! its own: deliveries are verified whoever registered them). Each is an [`Omission`], with its
//! JSON pointer and reason, returned in [`Generated::omissions`] and listed in the crate's
//! README under "Not generated". [`Settings::strict`] refuses the document instead; a
//! document whose every operation is left out, or that cannot be read, is refused either
//! way.
//!
//! 1. [`load`] parses YAML or JSON into `openapiv3`, locating errors by JSON pointer; a 3.1 or
//!    3.2 document is first rewritten into the 3.0 shape (see below).
//! 2. [`lower`] resolves references and names into the [`model`].
//! 3. `emit` turns the model into tokens (`quote!`), formatted by prettyplease, and embeds the
//!    runtime (the `runtime` crate's modules: code that is the same for every API) under
//!    `src/runtime/`, without its unit tests, so that every generated crate stands on its own.
//!
//! Every Rust name is chosen while lowering and stored in the model; `emit` only reads names.
//! The names the generated code defines itself are declared once, in [`naming::reserved`],
//! and lowering keeps spec names away from them.
//!
//! # OpenAPI 3.1 and 3.2
//!
//! The version comes from the `openapi` field: a 3.0.x document is read as it is; a 3.1.x or
//! 3.2.x one is parsed as a JSON tree and rewritten, in one pass, into the 3.0 shape
//! `openapiv3` reads, then lowered like any other. We chose a pass over the tree over a model
//! of our own because nearly everything 3.1 changed is spelling with an exact 3.0 form, and
//! lowering (with its diagnostics and tests) is written against `openapiv3`: a second model
//! would mean a second lowering to keep in step. The pass records every node it moves, so that
//! problems found later are still reported at the pointer of the text the user wrote.
//!
//! | 3.1 / 3.2                                          | read as (3.0)                          |
//! |----------------------------------------------------|----------------------------------------|
//! | `type: [T, "null"]`; an `anyOf`/`oneOf` `null` member | `type: T`, `nullable: true`          |
//! | `type: [T, U]`                                     | `anyOf` of one schema per type         |
//! | `const: v`                                         | `enum: [v]`                            |
//! | `examples: [a, ...]` in a schema                   | `example: a`                           |
//! | `exclusiveMinimum: n` (and maximum)                | `minimum: n`, `exclusiveMinimum: true`; the tighter bound beside `minimum` |
//! | `$ref` with keywords beside it                     | `allOf: [{$ref}]` with them (the description is kept) |
//! | `$defs`                                            | `components.schemas` (named after the entry) |
//! | `contentEncoding: base64`; a non-text `contentMediaType` | `format: byte`; `format: binary` (a file in multipart) |
//! | `components.pathItems`, referenced from `paths`    | the path item, in place                |
//! | top-level `webhooks`                               | `x-webhooks`: signed ones become verifiers, as signed callbacks do |
//! | `info.summary`; `license.identifier`               | before the description; the crate's `license` |
//! | `jsonSchemaDialect`                                | the default dialects only; another is refused |
//! | `mutualTLS` security schemes                       | left to the HTTP client's TLS configuration |
//! | boolean schemas                                    | `{}` (`true`), `{not: {}}` (`false`)   |
//!
//! What 3.0 cannot say becomes a looser type, and its documentation says what was loosened:
//! `prefixItems` (a tuple: an array of JSON values), `patternProperties` (additional
//! properties, names unchecked), `if`/`then`/`else`, `unevaluatedProperties`/`Items`,
//! `dependentSchemas`, `dependentRequired`, `contains` and `propertyNames` (not checked).
//! `$dynamicRef` is refused.
//!
//! 3.2 adds: `$self`, the base for relative references (a reference that resolves to the
//! document itself is a local one); responses without a `description`. Read and set aside,
//! because they change nothing a client sends: tag `parent`, `kind` and `summary`,
//! `oauth2MetadataUrl`, the device authorization flow, `deprecated` on security schemes.
//! Generated: the `query` field (a `QUERY` request, with a body, retried like a `GET`: it is
//! safe and idempotent) and `additionalOperations` (each sent with its method exactly as
//! written; a key that is not an HTTP token, or that names a method with a field of its own,
//! costs that operation alone). In a webhook or callback, a signed delivery sent with such a
//! method has no verifier yet: it is listed under "Not generated" and the rest is read. An `in: querystring` parameter whose `content` is an object
//! sent `application/x-www-form-urlencoded` is the whole query string (each property a
//! `key=value` pair, arrays repeated); any other media type leaves out the operations using
//! it, with the reason.
//!
//! # Streamed responses
//!
//! In every version, a success response whose media type is `text/event-stream` returns `crate::EventStream<E>`, a `futures::Stream` of
//! `Result<Event, Error<E>>` where an `Event` has the `id`, `event` (type), `data` and
//! `retry` the server sent, parsed by the `eventsource-stream` crate; `last_event_id()` is the
//! value to send as `Last-Event-ID` when reconnecting. `application/jsonl`,
//! `application/x-ndjson` (one value per line) and `application/json-seq` (RFC 7464 records)
//! return `crate::JsonStream<T, E>`, a stream of `Result<T, Error<E>>` where `T` is the type of
//! the media type's `schema` (3.2: its `itemSchema`). Bodies are read as they arrive, never
//! buffered whole: the client's response size limit applies to each event or value (a larger
//! one ends the stream with `Error::ResponseTooLarge`), and its timeout to the wait for the
//! response's headers, not to the stream. Retries and error responses are as for any
//! operation. A success response that offers JSON as well (the operation's only success
//! status) gets two methods: `<name>` asks for JSON and returns the whole value,
//! `<name>_stream` asks for the stream. Among several success statuses, a stream is read whole
//! (events as text, values as bytes), as one case of the statuses' enum. The blocking client
//! returns the same streams as iterators (`blocking::Streamed`)
//! whose `next` blocks until the next item is there.
//!
//! A 3.2 `itemSchema` of a `text/event-stream` describes each event; where it types the
//! `data` field (its `contentSchema`, or a schema that is more than a string, in the item
//! schema or the component it refers to), events are `Event<D>` with `data` decoded as JSON of that type, and
//! the stream is `crate::EventStream<E, D>`; data that does not decode ends the stream with an
//! error naming the event type. An item schema that is a `oneOf` (or `anyOf`) of kinds of event,
//! each typing its data, gives the union of their data types (each tried in turn; `event`
//! still names the kind). Otherwise `data` is the text sent (`Event::json` decodes it).
//!
//! # Requests are strict, responses are tolerant
//!
//! One schema can be sent and received. The generator lowers each schema for the side it is
//! used on:
//!
//! - **Requests** check values before anything is sent: strings with `minLength`,
//!   `maxLength`, `pattern` or `format: uri` and numbers with `minimum`/`maximum` (exclusive
//!   or not) or an integer `multipleOf` become newtypes whose constructors check them (lengths
//!   count Unicode characters, as JSON Schema does; patterns are unanchored, as JSON Schema has
//!   them, and one Rust's `regex` cannot run is documented instead of checked); enumerations
//!   (of strings or integers) are exact Rust enums, so a caller can only send values the
//!   description allows; `readOnly` properties are left out.
//! - **Responses** accept what the server sends that fits the shape: enumeration fields are
//!   `OrUnknown<E>` (`OrUnknown<E, i64>` for integer enumerations), so a value added to the API
//!   tomorrow decodes as `Unknown(..)` and serializes back unchanged instead of failing the
//!   whole response; string limits are
//!   documented but not enforced (an over-long value from the server is the server's bug, not a
//!   reason to lose the caller's data); `writeOnly` properties are left out; unknown properties
//!   are ignored.
//!
//! One enum type serves both sides (exact in requests, wrapped in `OrUnknown` in responses),
//! so callers match on the same variants everywhere. An object schema that is used on both
//! sides and would lower differently (it contains `readOnly`/`writeOnly` properties,
//! enumerations or checked strings) becomes two types: `Name` for responses and `NameInput`
//! for requests.
//!
//! # Success responses
//!
//! An operation whose success responses share one body returns it for any 2xx status (APIs
//! drift between 200 and 201). One whose success statuses carry different bodies returns a
//! generated enum with a variant per status; a 2xx status it does not declare decodes as its
//! `2XX` case, else its first.
//!
//! # Error responses
//!
//! Every operation returns `Error<E>`, where `E` is what its error responses decode as: the
//! JSON type its documented error statuses share (statuses without a body aside), free-form
//! JSON when none documents a JSON body, and otherwise a generated enum `<Operation>Error` with
//! a variant per documented status. That enum decodes a response by its exact status, then by
//! its range (`4XX`), then as `default`; a body that does not have the documented shape leaves
//! `error_body()` empty, with the raw text still in `body()`. The crate's `Error` alias
//! defaults `E` to the type most operations share, so most signatures read `Error`.
//!
//! # A public API that can grow
//!
//! A new version of the API description must not break code written against the crate
//! generated from the old one, where the change is an addition. So every generated struct with
//! public fields and every generated enum (string and integer enumerations, `oneOf`/`anyOf`
//! unions, the per-operation enums of success and error responses) is `#[non_exhaustive]`:
//!
//! - request types stay constructible: `new` (the required fields), `builder()` (every field,
//!   checked) and, where every field is optional, `Default`, whose fields can then be set;
//! - response types are decoded, not built: code reads their fields and matches their enums
//!   with a `_` arm; tests build them from JSON (`serde_json::from_value`), as they arrive;
//! - checked newtypes and builders keep their fields private, so they can grow already.
//!
//! Removing or renaming something stays a breaking change, and shows as one in the listing of
//! the public API that the repository's tests keep (`tests/tests/public_api.rs`). What each
//! kind of change to a description is for the crate's users (major, minor or patch), and the
//! version bump it needs, is written down once, in [`diff`], which reports it for two
//! descriptions. The crate also re-exports `reqwest`, `serde_json` and `time`, whose types appear in its API, so that callers
//! name them at the version it was built with.
//!
//! # Security
//!
//! Credentials are set once on the client (`Client::new` takes the requirement most operations
//! use; every scheme has a builder method) and sent per operation: the first of its alternative
//! requirements that the client can satisfy, checked before any network I/O. They are sent to the
//! base URL's origin and nowhere else: the client follows redirects itself (`RedirectPolicy`),
//! within that origin with credentials, to another only when allowed and then without any, never
//! from `https` to `http`.
//!
//! # Errors read well
//!
//! Errors follow the Rust API guidelines' convention: an error's `Display` describes its own
//! level and its cause is returned by `source()`, never both; `Error` is transparent. A bad
//! client configuration is a `ConfigError` naming the setting, not a refused request.
//!
//! # The crate around the code
//!
//! The generated `Cargo.toml` declares the crate's own `[lints]` (those its code is checked
//! against), never `workspace = true`; `license` from [`Settings::license`] or the description's
//! `info.license`, else `publish = false`; `homepage` from `externalDocs` or `info.contact`;
//! docs.rs metadata; TLS (`rustls` by default, `rustls-ring`, `native-tls`), `http2` and
//! `system-proxy` as features, as reqwest has them.
//!
//! # Pagination
//!
//! A list operation gets two more methods: `<operation>_pages`, a stream of its pages (the
//! operation's success type), and `<operation>_stream`, a stream of their items. Both are
//! `crate::Paged<T, E>`, a `futures::Stream` of `Result<T, Error<E>>` that fetches a page only
//! when the one before has been consumed, stops after the last page, and ends after the first
//! error. Every page is requested as the operation itself is (its checks, credentials,
//! retries, limits, tracing and error type). A next page's URL is resolved against the page
//! it came from and followed only at the base URL's origin (scheme, host and port); one
//! elsewhere ends the stream with `Error::InvalidRequest` (`ValidationErrorKind::OtherOrigin`)
//! without a request to it, so credentials never leave their origin. A next page that would
//! repeat the request just made ends the stream.
//!
//! How an operation pages is said by the `x-pagination` extension on the operation:
//!
//! ```yaml
//! x-pagination:
//!   style: next-url       # next-url | cursor | link-header
//!   items: /results       # JSON pointer to the array of items in the success body;
//!                         # absent or "": the body is the array
//!   next: /next           # next-url: JSON pointer to the next page's URL (absent, null or
//!                         # empty on the last page)
//!   # cursor:
//!   parameter: starting_after    # the query parameter the cursor goes in (the operation's own)
//!   cursor: /next_cursor         # JSON pointer to the cursor in the body, or instead
//!   cursor-from-last-item: id    # the property of the page's last item that is the cursor
//!   has-more: /has_more          # optional: JSON pointer to a boolean, false on the last page
//! ```
//!
//! `link-header` follows the `Link` response header's `rel="next"` target. The pointers run
//! through properties of the success type (each but the last required); the extension is
//! checked when lowering and its problems are reported at its JSON pointer. It is honoured on
//! any method (a search by `POST` sends its body with every page).
//!
//! Without the extension, a `GET` operation gets a pager when its shape leaves no doubt:
//!
//! - `{next, results}` in the body, `next` a string (Django REST Framework, Truv): follow
//!   `next`;
//! - `{data, has_more}` and a `starting_after` query parameter (Stripe's lists): the last
//!   item's `id` is the next `starting_after`, while `has_more`;
//! - `{data, has_more, next_page}` and a `page` query parameter (Stripe's searches): the next
//!   `page` is `next_page`, while `has_more`;
//! - a success response that declares a `Link` header, with an array body or an object body
//!   with exactly one array property (GitHub): follow `rel="next"`.
//!
//! Other shapes (a `page` number without a `Link` header, an `offset`) get no pager: walking
//! them would need a guess about where the list ends.
//!
//! # Deliveries: signed callbacks
//!
//! OpenAPI 3.0 describes the requests an API sends to its users (webhooks) as `callbacks` of
//! the operation that registers them. The `x-callback-signature` extension on a callback
//! operation says how each delivery is signed:
//!
//! ```yaml
//! x-callback-signature:
//!   header: X-WEBHOOK-SIGN   # the request header carrying the signature
//!   algorithm: hmac-sha256   # hmac-sha256 | hmac-sha512, of the raw request body
//!   encoding: hex            # hex (either case) | base64 (standard, padded)
//!   prefix: "v1="            # optional: what precedes the encoded MAC in the header
//!   key: AccessSecret        # the security scheme whose credential is the HMAC key
//! ```
//!
//! For every callback that has it, the generated crate's `webhooks` module has a constant
//! naming the header (`<CALLBACK>_SIGNATURE_HEADER`) and a function `verify_<callback>(body,
//! signature, key)` that checks the signature of the raw body bytes in constant time and
//! returns the decoded delivery, or a `VerifyError` saying what was wrong (missing or empty
//! header, missing prefix, malformed encoding, mismatch, an empty key, or a body that is not a
//! documented delivery). When the delivery body is a `oneOf` with a discriminator, it decodes
//! as an enum with a variant per value of the discriminator (values the mapping sends to one
//! schema each keep a variant of their own) and an `Unknown` variant holding the JSON of a
//! value the description does not list; `<property>()` returns the value as sent. The crate
//! also gets `examples/receive_deliveries.rs`, a small server (`tiny_http`, a dev-dependency)
//! that checks and prints deliveries on a local port.

pub mod build_script;
pub mod config;
pub mod diagnostics;
pub mod diff;
mod emit;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod select;
pub mod write;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use model::{Omission, Omitted};

/// What to call the generated crate, and how its files describe their origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The package name (`truv-client`); the library is the same with `_`.
    pub crate_name: String,
    /// The package version.
    pub crate_version: String,
    /// How generated files name their source (a path relative to the repository, so that
    /// output is the same on every machine).
    pub source_label: String,
    /// The command generated files tell readers to run instead of editing them.
    pub regenerate_command: String,
    /// The package's `license`, an SPDX expression. `None`: the API description's
    /// `info.license` where it names an SPDX license, else no license, and `publish = false`
    /// (a crate without one cannot go to crates.io by accident).
    pub license: Option<String>,
    /// The package's `repository`, where the crate's source is kept (unknown to the API
    /// description, so only given here).
    pub repository: Option<String>,
    /// Refuse the document when any part of it cannot be generated, instead of leaving that
    /// part out (the committed clients and the fixtures are generated so).
    pub strict: bool,
    /// Which operations the crate has (`[select]` of the settings file): all by default.
    pub select: config::Selection,
    /// Types used instead of generated ones, and the date-time crate (`[types]`).
    pub types: config::Types,
}

/// A generated crate, and what of the document it does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The crate's files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Operations left out and schemas typed as any JSON value, with where and why, in the
    /// document's order; empty when the crate is complete.
    pub omissions: Vec<Omission>,
    /// How many operations the crate has.
    pub operations: usize,
    /// How many operations it left out.
    pub operations_left_out: usize,
}

impl Generated {
    /// Whether the crate has everything the document describes.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.omissions.is_empty()
    }
}

/// One file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the crate's root, with `/` separators.
    pub path: String,
    pub contents: String,
}

impl GeneratedFile {
    fn new(path: &str, contents: String) -> Self {
        Self {
            path: path.to_owned(),
            contents,
        }
    }
}

/// Generates a client crate from the document `text`, named `file_name` in errors.
///
/// Refused (every problem, by JSON pointer) when the document cannot be read, when no
/// operation of it can be generated, or, with [`Settings::strict`], when anything is left out.
pub fn generate(
    file_name: &str,
    text: &str,
    settings: &Settings,
) -> Result<Generated, Diagnostics> {
    let fail = |message: String| Diagnostics {
        file: file_name.to_owned(),
        items: vec![Diagnostic::new("", message)],
    };
    if let Some(problem) = check_crate_name(&settings.crate_name) {
        return Err(fail(problem));
    }
    let (api, loaded) = lowered(file_name, text, settings)?;
    let operations_left_out = api.operations_left_out();
    // The document is no longer needed: freeing it (tens of milliseconds for a big one) runs
    // beside the emit instead of after it.
    let files = std::thread::scope(|scope| {
        scope.spawn(move || drop(loaded));
        emit::emit(&api, settings)
    })
    .map_err(fail)?;
    Ok(Generated {
        files,
        operations: api.operations.len(),
        operations_left_out,
        omissions: api.omissions,
    })
}

/// Reads the document, keeps the operations [`Settings::select`] selects and lowers it with
/// [`Settings::types`]: the model [`generate`] emits and [`diff`] compares, with the document
/// (pointers of what was left out are the text's). Refused as [`generate`] refuses.
pub(crate) fn lowered(
    file_name: &str,
    text: &str,
    settings: &Settings,
) -> Result<(model::Api, load::Loaded), Diagnostics> {
    let fail = |items| Diagnostics {
        file: file_name.to_owned(),
        items,
    };
    let syntax = load::Syntax::detect(file_name, text);
    let mut loaded = load::read(text, syntax).map_err(fail)?;
    let selected = if settings.select.is_empty() {
        None
    } else {
        Some(select::apply(&mut loaded.document, &settings.select).map_err(fail)?)
    };
    let options = lower::Options {
        types: Some(&settings.types),
        selected: selected.is_some(),
    };
    let mut api = lower::lower_with(&loaded.document, &options);
    api.selected = selected;
    // Pointers into the text the user wrote, where a 3.1/3.2 document was rewritten.
    for omission in &mut api.omissions {
        omission.pointer = loaded.pointers.original(&omission.pointer);
    }
    let nothing_left = api.operations.is_empty() && api.operations_left_out() > 0;
    if (settings.strict && !api.omissions.is_empty()) || nothing_left {
        return Err(fail(problems(&api.omissions)));
    }
    Ok((api, loaded))
}

/// The omissions as problems: each once (a shared component's costs several operations), in
/// the document's order.
fn problems(omissions: &[Omission]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for omission in omissions {
        let problem = Diagnostic::new(&omission.pointer, &omission.reason);
        if !out.contains(&problem) {
            out.push(problem);
        }
    }
    out
}

/// Emits the crate for a lowered API: the last phase of [`generate`] alone, for benchmarks
/// and tools that build or change the model themselves.
///
/// # Errors
///
/// An internal error when the emitted code does not parse (a generator bug).
pub fn emit(api: &model::Api, settings: &Settings) -> Result<Vec<GeneratedFile>, String> {
    emit::emit(api, settings)
}

/// The generator's version and the runtime it embeds in every crate it writes (a fingerprint
/// of the runtime's sources): `0.1.0 (runtime 1f2e3d4c5b6a7988)`, what `generator --version`
/// prints.
#[must_use]
pub fn version() -> String {
    format!(
        "{} (runtime {})",
        env!("CARGO_PKG_VERSION"),
        emit::runtime_fingerprint()
    )
}

/// Why `name` cannot be a crate name, if it cannot.
fn check_crate_name(name: &str) -> Option<String> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (!valid).then(|| {
        format!("crate name `{name}` is not valid: use ASCII letters, digits, `-` and `_`, starting with a letter")
    })
}
