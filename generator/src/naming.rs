//! The one door every spec name goes through on its way to becoming a Rust identifier.
//!
//! Case conversion is heck's; this module adds what heck does not do: spelling out the
//! symbols that carry a name's meaning, dropping the characters that cannot stand in an
//! identifier, avoiding keywords, leading digits and the names of the standard prelude, and
//! keeping names unique within a scope.
//!
//! One rule for symbols, in every kind of name (types, variants, fields, parameters):
//!
//! - Operators are words, by what they mean: `<` `lt`, `<=` `le`, `>` `gt`, `>=` `ge`, `=` and
//!   `==` `eq`, `!=` and `<>` `ne`, `!` `not`, `+` `plus`, `&` `and`; so are `*` `star` and
//!   `%` `percent`. `StartTime<` is `start_time_lt`, `+1` is `plus_1`, `C++` is `c_plus_plus`.
//! - `-` is a sign, `minus`, where it starts the name (`-1`, `-created`) or starts a number
//!   after another symbol (`reactions--1` is `reactions_minus_1`); elsewhere it separates words
//!   (`x-request-id`).
//! - `@`, `#` and `$` are sigils: dropped where they start the name (`$select` is `select`,
//!   `@odata.type` is `odata_type`), unless a sibling (a field of the same object, a parameter
//!   of the same operation) has that name without it, when both spell it (`@id` beside `id` is
//!   `at_id`); elsewhere they are words: `at`, `hash`, `dollar`.
//! - Every other character that cannot be in an identifier (`.`, `/`, `:`, `[`, spaces...)
//!   separates words, and letters outside ASCII are dropped.
//!
//! A type never takes the name of a type, trait or variant of the standard prelude (`String`,
//! `Option`, `Result`, `Box`, `None`, `Default`...; [`reserved::STD_TYPES`]): it reads as
//! the standard one wherever it is used. It gets [`reserved::STD_SUFFIX`] after its name
//! instead (`StringValue`, `NoneValue`), or, inside an operation's module, a longer name from
//! its place (`SourceString`).
//!
//! Names a scope already holds get a numeric suffix (`Scope::claim`), the last resort.

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
        finish(spell_out(raw, false).to_upper_camel_case(), "Type")
    })
}

/// A `snake_case` name for a field, method, parameter or argument.
#[must_use]
pub fn value_name(raw: &str) -> String {
    remembered(&VALUE_NAMES, raw, |raw| {
        finish(spell_out(raw, false).to_snake_case(), "value")
    })
}

/// [`value_name`] of `raw` among its `siblings` (the properties of one object, the parameters
/// of one operation): a leading sigil (`@`, `#`, `$`) is spelled out instead of dropped when
/// dropping it gives the name another sibling has (`@id` beside `id` is `at_id`), so that
/// neither needs a numeric suffix, whatever their order.
#[must_use]
pub fn value_name_among<'a>(raw: &str, siblings: impl IntoIterator<Item = &'a str>) -> String {
    let plain = value_name(raw);
    if !starts_with_sigil(raw) {
        return plain;
    }
    if siblings
        .into_iter()
        .any(|other| other != raw && value_name(other) == plain)
    {
        finish(spell_out(raw, true).to_snake_case(), "value")
    } else {
        plain
    }
}

/// Whether the identifier `rust` reads as another name than `wire`, not only in case and
/// separators (`start_time_lt` for `StartTime<`, `path2` for `path`, `select` for `$select`,
/// but not `start_time` for `StartTime` or `r#type` for `type`): the docs of such an item say
/// its wire name.
#[must_use]
pub fn differs_from_wire(rust: &str, wire: &str) -> bool {
    let letters = |name: &str| -> String {
        name.chars()
            .filter(|c| c.is_ascii_alphanumeric() || SIGILS.contains(c))
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    letters(rust.trim_start_matches("r#")) != letters(wire)
}

/// Whether the first character of `raw` that is not a separator is a sigil.
fn starts_with_sigil(raw: &str) -> bool {
    raw.chars()
        .find(|c| c.is_alphanumeric() || SIGILS.contains(c))
        .is_some_and(|c| SIGILS.contains(&c))
}

/// The characters dropped where they start a name, and spelled out elsewhere.
const SIGILS: &[char] = &['@', '#', '$'];

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
    finish(spell_out(raw, false).to_shouty_snake_case(), "VALUE")
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

/// `raw` with its symbols as words (see the module's docs), and spaces for the characters
/// that only separate words; `spell_sigils` spells a leading sigil too.
fn spell_out(raw: &str, spell_sigils: bool) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let leading = !out.chars().any(char::is_alphanumeric);
        let after_symbol = i == 0 || !chars[i - 1].is_alphanumeric();
        let mut width = 1;
        let word = match (c, next) {
            _ if c.is_alphanumeric() => {
                out.push(c);
                i += 1;
                continue;
            }
            ('<', Some('=')) => {
                width = 2;
                "le"
            }
            ('>', Some('=')) => {
                width = 2;
                "ge"
            }
            ('!', Some('=')) | ('<', Some('>')) => {
                width = 2;
                "ne"
            }
            ('=', Some('=')) => {
                width = 2;
                "eq"
            }
            ('<', _) => "lt",
            ('>', _) => "gt",
            ('=', _) => "eq",
            ('!', _) => "not",
            ('+', _) => "plus",
            ('&', _) => "and",
            ('*', _) => "star",
            ('%', _) => "percent",
            ('-', _) if leading || (after_symbol && next.is_some_and(|n| n.is_ascii_digit())) => {
                "minus"
            }
            ('@' | '#' | '$', _) if leading && !spell_sigils => "",
            ('@', _) => "at",
            ('#', _) => "hash",
            ('$', _) => "dollar",
            _ => "",
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
        i += width;
    }
    out
}

fn finish(mut name: String, empty: &str) -> String {
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    // Letters outside ASCII are gone: the separators around them may now touch, or end the
    // name. One `_` between words, none at either end, as heck writes them.
    if name.contains("__") || name.starts_with('_') || name.ends_with('_') {
        name = name
            .split('_')
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join("_");
    }
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
        "client_credentials",
        "clone",
        "connect_timeout",
        "default_header",
        "fmt",
        "hooks",
        "http_client",
        "max_in_flight",
        "max_response_bytes",
        "new",
        "redirect_policy",
        "retry_policy",
        "secret",
        "timeout",
        "transport",
        "user_agent",
        "wrap_transport",
    ];

    /// Arguments of `Client::new` and `Client::builder` besides the credentials.
    pub const CONSTRUCTOR_ARGUMENTS: &[&str] = &["base_url"];

    /// The locals the generated operation methods and setters name themselves. Each ends in
    /// one `_`, which [`super::value_name`] never gives a name (only a keyword that cannot be
    /// raw, `self_`, ends so): no parameter can take one, so parameters keep their names
    /// (`path`, not `path2`), and no local can shadow a parameter.
    pub const OPERATION_LOCALS: &[&str] = &[
        "bytes_",
        "call_",
        "content_type_",
        "item_",
        "parts_",
        "path_",
        "value_",
    ];

    /// The argument of an operation method for its request body: a parameter called `body`
    /// takes another name.
    pub const BODY_ARGUMENT: &str = "body";

    /// The argument of a setter: a setter has no other, so a parameter may be called so.
    pub const SETTER_ARGUMENT: &str = "value";

    /// The parameters of the closures in an operation method (decoding a response by status,
    /// encoding a path's list). They capture nothing, so a parameter of the same name keeps
    /// it: the closure's shadows it harmlessly.
    pub const CLOSURE_LOCALS: &[&str] = &["body", "item", "raw"];

    /// The cargo features every generated crate defines itself, in the order its manifest
    /// lists them (`emit::crate_files` writes them from this list). A group of operations
    /// never takes one of these names for its feature.
    pub const CARGO_FEATURES: &[&str] = &[
        "blocking",
        "testing",
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

    /// The types, traits and variants of the standard prelude (every edition's), and the
    /// standard types a reader knows by name: a generated type never takes one of these
    /// names (a scope of types, [`super::Scope::of_types`], holds them), even though the
    /// generated code names its types by path.
    pub const STD_TYPES: &[&str] = &[
        "AsMut",
        "AsRef",
        "AsyncFn",
        "AsyncFnMut",
        "AsyncFnOnce",
        "Box",
        "Clone",
        "Copy",
        "Debug",
        "Default",
        "DoubleEndedIterator",
        "Drop",
        "Eq",
        "Err",
        "ExactSizeIterator",
        "Extend",
        "Fn",
        "FnMut",
        "FnOnce",
        "From",
        "FromIterator",
        "Future",
        "Hash",
        "Into",
        "IntoFuture",
        "IntoIterator",
        "Iterator",
        "None",
        "Ok",
        "Option",
        "Ord",
        "PartialEq",
        "PartialOrd",
        "Result",
        "Send",
        "Sized",
        "Some",
        "String",
        "Sync",
        "ToOwned",
        "ToString",
        "TryFrom",
        "TryInto",
        "Unpin",
        "Vec",
    ];

    /// What a type named like one of [`STD_TYPES`] gets after its name: `StringValue`.
    pub const STD_SUFFIX: &str = "Value";

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
    /// A scope of type names: the standard prelude's are taken, and a name that is one of them
    /// is claimed with [`reserved::STD_SUFFIX`] before any number.
    types: bool,
}

impl Scope {
    /// A scope of type names, in which `reserved` and [`reserved::STD_TYPES`] are taken.
    #[must_use]
    pub fn of_types(reserved: &[&str]) -> Self {
        let mut scope = Self::with_reserved(reserved);
        scope
            .taken
            .extend(reserved::STD_TYPES.iter().map(|name| (*name).to_owned()));
        scope.types = true;
        scope
    }

    /// A scope in which `reserved` are already taken.
    #[must_use]
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
            types: false,
        }
    }

    /// Whether `name` is still free here.
    #[must_use]
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Takes `name`, or the first free `name2`, `name3`... (in a scope of types, a name of
    /// the standard prelude is `{name}Value` first).
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        if self.types && reserved::STD_TYPES.contains(&name.as_str()) {
            return self.claim(format!("{name}{}", reserved::STD_SUFFIX));
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
    fn symbols_are_words() {
        // Twilio's inequalities, GitHub's reactions.
        assert_eq!(value_name("StartTime"), "start_time");
        assert_eq!(value_name("StartTime<"), "start_time_lt");
        assert_eq!(value_name("StartTime>"), "start_time_gt");
        assert_eq!(value_name("StartTime<="), "start_time_le");
        assert_eq!(value_name("StartTime>="), "start_time_ge");
        assert_eq!(value_name("reactions-+1"), "reactions_plus_1");
        assert_eq!(value_name("reactions--1"), "reactions_minus_1");
        assert_eq!(value_name("-1"), "minus_1");
        assert_eq!(value_name("+1"), "plus_1");
        assert_eq!(type_name("reactions--1"), "ReactionsMinus1");
        assert_eq!(type_name("-1"), "Minus1");
        // Operators alone, as enum values of a filter.
        let operators = ["<", "<=", ">", ">=", "=", "==", "!=", "<>", "!"];
        let words: Vec<String> = operators.iter().map(|o| type_name(o)).collect();
        assert_eq!(
            words,
            ["Lt", "Le", "Gt", "Ge", "Eq", "Eq", "Ne", "Ne", "Not"]
        );
        assert_eq!(value_name("amount=="), "amount_eq");
        assert_eq!(value_name("status!="), "status_ne");
        assert_eq!(value_name("C++"), "c_plus_plus");
        assert_eq!(value_name("R&D"), "r_and_d");
        assert_eq!(value_name("*"), "star");
        assert_eq!(value_name("image/*"), "image_star");
        assert_eq!(value_name("discount%"), "discount_percent");
        // `-` separates words, except as a sign.
        assert_eq!(value_name("x-request-id"), "x_request_id");
        assert_eq!(value_name("-created"), "minus_created");
        assert_eq!(value_name("utc-5"), "utc_5");
        assert_eq!(value_name("utc -5"), "utc_minus_5");
        assert_eq!(type_name("Payment - Card"), "PaymentCard");
        // Sigils: dropped where they start a name, words elsewhere.
        assert_eq!(value_name("$select"), "select");
        assert_eq!(value_name("$.xgafv"), "xgafv");
        assert_eq!(value_name("@odata.type"), "odata_type");
        assert_eq!(value_name("#text"), "text");
        assert_eq!(value_name("user@host"), "user_at_host");
        assert_eq!(value_name("price$"), "price_dollar");
        assert_eq!(value_name("item#"), "item_hash");
        // `.` and the rest separate words.
        assert_eq!(value_name("metadata.name"), "metadata_name");
        assert_eq!(value_name("filter[status]"), "filter_status");
    }

    #[test]
    fn a_sigil_is_spelled_beside_the_name_without_it() {
        let siblings = ["@id", "id", "$select", "@type"];
        let names: Vec<String> = siblings
            .iter()
            .map(|raw| value_name_among(raw, siblings))
            .collect();
        assert_eq!(names, ["at_id", "id", "select", "r#type"]);
        // Whatever their order.
        assert_eq!(value_name_among("@id", ["id", "@id"]), "at_id");
        // Two sigils for one name: both spelled.
        let siblings = ["$id", "@id"];
        let names: Vec<String> = siblings
            .iter()
            .map(|raw| value_name_among(raw, siblings))
            .collect();
        assert_eq!(names, ["dollar_id", "at_id"]);
    }

    /// Names `value_name` never makes, so the generated code's own locals can take them: no
    /// `__`, no leading `_`, and a trailing `_` only on a keyword that cannot be raw.
    #[test]
    fn value_names_have_single_inner_underscores() {
        for raw in [
            "path_", "_path", "path__", "__path__", "pa__th", "é_path", "path_é", "a_é_b", "_é_",
            "self", "crate", "super", "x--y", "--", "__", "$_", "@_a_",
        ] {
            let name = value_name(raw);
            assert!(
                !name.contains("__") && !name.starts_with('_'),
                "{raw:?} gave {name:?}"
            );
            if let Some(stem) = name.strip_suffix('_') {
                assert!(NOT_RAW.contains(&stem), "{raw:?} gave {name:?}");
            }
        }
        assert_eq!(value_name("path_"), "path");
        assert_eq!(value_name("a_é_b"), "a_b");
    }

    #[test]
    fn names_that_read_as_another_than_their_wire_name() {
        assert!(!differs_from_wire("start_time", "StartTime"));
        assert!(!differs_from_wire("r#type", "type"));
        assert!(!differs_from_wire("x_request_id", "X-Request-Id"));
        assert!(differs_from_wire("start_time_lt", "StartTime<"));
        assert!(differs_from_wire("path2", "path"));
        assert!(differs_from_wire("plus_1", "+1"));
        assert!(differs_from_wire("at_id", "@id"));
        assert!(differs_from_wire("r#type", "@type"));
        assert!(differs_from_wire("select", "$select"));
    }

    #[test]
    fn types_do_not_take_std_names() {
        let mut types = Scope::of_types(&["Client"]);
        assert!(!types.is_free("String"));
        assert_eq!(types.claim("String".into()), "StringValue");
        assert_eq!(types.claim("String".into()), "StringValue2");
        assert_eq!(types.claim("None".into()), "NoneValue");
        assert_eq!(types.claim("Client".into()), "Client2");
        assert_eq!(types.claim("Pet".into()), "Pet");
        // Values and variants may: `Some(x)` is not a type.
        let mut variants = Scope::default();
        assert_eq!(variants.claim("None".into()), "None");
        assert_eq!(variants.claim("String".into()), "String");
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
