//! The one door every spec name goes through on its way to becoming a Rust identifier.
//!
//! Case conversion is heck's; this module adds what heck does not do: dropping characters
//! that cannot stand in an identifier, spelling out names that have no letters (`+1`),
//! avoiding keywords and leading digits, and keeping names unique within a scope.

use std::collections::BTreeSet;

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition (strict and reserved), which cannot be identifiers as they are.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// A `UpperCamelCase` name for a type or enum variant.
#[must_use]
pub fn type_name(raw: &str) -> String {
    remembered(&TYPE_NAMES, raw, |raw| {
        finish(spell_out(raw).to_upper_camel_case(), "Type")
    })
}

/// A `snake_case` name for a field, method, parameter or argument.
#[must_use]
pub fn value_name(raw: &str) -> String {
    remembered(&VALUE_NAMES, raw, |raw| {
        finish(spell_out(raw).to_snake_case(), "value")
    })
}

type Made = std::cell::RefCell<std::collections::HashMap<Box<str>, String>>;

thread_local! {
    // The names made on this thread: a big document asks for the same few (`id`, `url`,
    // `name`) tens of thousands of times, and case conversion is a tenth of lowering.
    static TYPE_NAMES: Made = Made::default();
    static VALUE_NAMES: Made = Made::default();
}

/// How many names each cache holds before it starts again (a bound for long-lived callers).
const REMEMBERED: usize = 1 << 16;

/// `make(raw)`, made once per thread while the cache holds it (the functions are pure, so the
/// result is the same either way).
fn remembered(
    cache: &'static std::thread::LocalKey<Made>,
    raw: &str,
    make: impl FnOnce(&str) -> String,
) -> String {
    cache.with(|made| {
        if let Some(name) = made.borrow().get(raw) {
            return name.clone();
        }
        let name = make(raw);
        let mut all = made.borrow_mut();
        if all.len() >= REMEMBERED {
            all.clear();
        }
        all.insert(raw.into(), name.clone());
        name
    })
}

/// A `SCREAMING_SNAKE_CASE` name for a constant.
#[must_use]
pub fn const_name(raw: &str) -> String {
    finish(spell_out(raw).to_shouty_snake_case(), "VALUE")
}

/// A cargo feature name for a group of operations (a tag, or a path's first segment):
/// kebab case, of letters, digits, `-` and `_`, starting with a letter or a digit. Not made
/// unique here: lowering claims it among the names taken, [`reserved::CARGO_FEATURES`] and
/// [`reserved::FEATURE_SETS`] first.
#[must_use]
pub fn feature_name(group: &str) -> String {
    let mut name: String = group
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.insert_str(0, "group-");
    }
    name
}

/// The module of the types only the feature `feature` needs (`pets_types`): an identifier
/// whatever the feature is called, as a feature may start with a digit (`2fa` gives
/// `n_2fa_types`) where an identifier may not.
#[must_use]
pub fn feature_module(feature: &str) -> String {
    value_name(&format!("{feature} types"))
}

/// Replaces the sign characters that carry the meaning of names like `+1` and `-1` with words,
/// so that they do not all collapse to the same identifier.
fn spell_out(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '+' => out.push_str(" plus "),
            '-' if !out.chars().any(char::is_alphanumeric) => out.push_str(" minus "),
            '*' if raw.len() == 1 => out.push_str("star"),
            _ if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

fn finish(mut name: String, empty: &str) -> String {
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        return empty.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        // `V404` for types; `n_2fa` for values (a leading `_` would mean "unused" to lints).
        name.insert_str(0, if empty == "Type" { "V" } else { "n_" });
    }
    if KEYWORDS.contains(&name.as_str()) {
        if NOT_RAW.contains(&name.as_str()) {
            name.push('_');
        } else {
            name.insert_str(0, "r#");
        }
    }
    name
}

/// The names the generated code defines itself, declared once: lowering reserves them, so
/// that no name from the spec can take one, and a test (`tests/tests/names.rs`) fails when the
/// emitted code defines a method or local that is neither here nor chosen by lowering.
pub mod reserved {
    /// Methods of `Client` and `blocking::Client` besides the operations, and the std trait
    /// methods a caller uses on them (an inherent `clone` would shadow `Clone::clone`).
    pub const CLIENT_METHODS: &[&str] = &[
        "as_async",
        "base_url",
        "borrow",
        "builder",
        "clone",
        "clone_from",
        "fmt",
        "from_async",
        "into",
        "new",
        "retry_policy",
        "to_owned",
        "try_into",
        "type_id",
        "with_base_url",
        "with_retry_policy",
    ];

    /// Methods of a call (`Call`, async or blocking) besides the setters of its operation's
    /// optional parameters, and the std trait methods a caller uses on it.
    pub const CALL_METHODS: &[&str] = &[
        "fmt",
        "into_future",
        "items",
        "pages",
        "send",
        "type_id",
        "with_response",
    ];

    /// What a list operation's method returning a stream of its items adds to its name.
    pub const STREAM: &str = "_stream";

    /// The parameter of the closure a call's `items` takes a page's items out with. It
    /// captures nothing, so an operation parameter of the same name (GitHub's `page`) may keep
    /// its name: the closure's shadows it harmlessly.
    pub const PAGER_LOCALS: &[&str] = &["page"];

    /// The variant of a callback's enum of deliveries for event types the description does
    /// not list.
    pub const UNKNOWN_EVENT: &str = "Unknown";

    /// What a signed callback's verification function (in the `webhooks` module) adds
    /// before the callback's name, and its constant naming the header after it.
    pub const VERIFY_PREFIX: &str = "verify_";
    pub const SIGNATURE_HEADER_SUFFIX: &str = "_SIGNATURE_HEADER";

    /// The verification function's arguments besides the key.
    pub const VERIFY_ARGUMENTS: &[&str] = &["body", "signature"];

    /// Methods of `ClientBuilder`: the runtime's, and the generated `build`. Credential
    /// setters share its namespace.
    pub const BUILDER_METHODS: &[&str] = &[
        "base_url",
        "basic",
        "build",
        "build_blocking",
        "build_transport",
        "clone",
        "connect_timeout",
        "default_header",
        "fmt",
        "http_client",
        "max_response_bytes",
        "new",
        "redirect_policy",
        "retry_policy",
        "secret",
        "timeout",
        "user_agent",
    ];

    /// Arguments of `Client::new` and `Client::builder` besides the credentials.
    pub const CONSTRUCTOR_ARGUMENTS: &[&str] = &["base_url"];

    /// Locals and arguments the generated operation methods name themselves (the request body
    /// is `body`); parameters take other names.
    pub const OPERATION_LOCALS: &[&str] = &[
        "body",
        "bytes",
        "call",
        "content_type",
        "item",
        "parts",
        "path",
        "query",
        "raw",
        "value",
    ];

    /// The cargo features every generated crate defines itself, in the order its manifest
    /// lists them (`emit::crate_files` writes them from this list). A group of operations
    /// never takes one of these names for its feature.
    pub const CARGO_FEATURES: &[&str] = &[
        "blocking",
        "rustls",
        "rustls-ring",
        "native-tls",
        "http2",
        "system-proxy",
    ];

    /// The feature sets a generated crate's manifest defines beside them: `default`, `full`
    /// (every group of operations) and `schemas` (the types no operation uses), which groups'
    /// features do not take either.
    pub const FEATURE_SETS: &[&str] = &["default", "full", SCHEMAS_FEATURE];

    /// The feature of the types no operation uses.
    pub const SCHEMAS_FEATURE: &str = "schemas";

    /// Methods of a request struct's builder besides its setters. (Its trait methods,
    /// `default` among them, are called through their traits, which a setter cannot shadow.)
    pub const STRUCT_BUILDER_METHODS: &[&str] = &["build"];
}

/// The names taken in one scope (the types of a crate, the fields of a struct...). A second
/// spec name that maps to a taken identifier gets a numeric suffix, so every run picks the
/// same names for the same document.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    #[must_use]
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// Whether `name` is still free here.
    #[must_use]
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Takes `name`, or the first free `name2`, `name3`...
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.trim_start_matches("r#");
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut n = 2;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_modules_are_identifiers() {
        assert_eq!(feature_name("Pet Store"), "pet-store");
        assert_eq!(feature_name("2FA"), "2fa");
        assert_eq!(feature_name("3d Secure"), "3d-secure");
        assert_eq!(feature_name("+"), "group-");
        assert_eq!(feature_module("pets"), "pets_types");
        assert_eq!(feature_module("pet-store"), "pet_store_types");
        assert_eq!(feature_module("2fa"), "n_2fa_types");
        assert_eq!(feature_module("3d-secure"), "n_3d_secure_types");
        for group in [
            "2FA",
            "3d Secure",
            "self",
            "crate",
            "_",
            "-",
            "é",
            "http2-2",
        ] {
            let module = feature_module(&feature_name(group));
            assert!(
                syn::parse_str::<syn::Ident>(&module).is_ok(),
                "{group:?} gave {module:?}"
            );
        }
    }

    #[test]
    fn cases() {
        assert_eq!(type_name("task-status-updated"), "TaskStatusUpdated");
        assert_eq!(type_name("webhook_create_request"), "WebhookCreateRequest");
        assert_eq!(value_name("X-Access-Client-Id"), "x_access_client_id");
        assert_eq!(value_name("createWebhook"), "create_webhook");
        assert_eq!(value_name("invalid-params"), "invalid_params");
    }

    #[test]
    fn keywords_digits_and_symbols() {
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("404"), "V404");
        assert_eq!(value_name("2fa"), "n_2fa");
        assert_eq!(type_name("+1"), "Plus1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name("é"), "Type");
        assert_eq!(value_name("$"), "value");
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(scope.claim("Client".into()), "Client2");
        assert_eq!(scope.claim("Pet".into()), "Pet");
        assert_eq!(scope.claim("Pet".into()), "Pet2");
        assert_eq!(scope.claim("V1".into()), "V1");
        assert_eq!(scope.claim("V1".into()), "V1_2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type2");
    }
}
