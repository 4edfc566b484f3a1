//! Emitting: from the [`model`](crate::model) to the files of a crate. Spec-specific code is
//! built as tokens with `quote!` and formatted by prettyplease; the runtime (code that is the
//! same for every API) is embedded from the runtime crate's sources.

mod blocking;
mod client;
mod crate_files;
mod docs;
mod example;
mod paths;
mod receiver;
mod types;
mod webhooks;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Checked, Operation, Payload, TypeId, TypeKind, TypeRef};
use crate::{GeneratedFile, Settings};

/// One module of the runtime crate (`runtime/src/`), embedded into every generated crate that
/// needs it under `src/runtime/`.
pub(crate) struct RuntimeModule {
    /// The module's name, and its file's (`<name>.rs`).
    pub name: &'static str,
    /// The module's source, as it is in the runtime crate.
    pub source: &'static str,
    /// Which generated crates carry it.
    pub needed: Need,
}

/// Which generated crates carry a runtime module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Always,
    /// Only with the `blocking` cargo feature.
    Blocking,
    /// Only with the `testing` cargo feature.
    Testing,
    /// Only crates whose API has a checked `pattern` (it needs the `regex` crate).
    Patterns,
    /// Only crates whose API sends form bodies.
    Forms,
    /// Only crates whose API sends multipart bodies.
    Multipart,
    /// Only crates whose API has list operations with pagers.
    Paging,
    /// Only crates whose API has signed callbacks.
    Signatures,
    /// Only crates whose API streams responses.
    Streams,
    /// Only crates whose API sends binary bodies.
    Uploads,
    /// Only crates with `time` timestamp parameters (the default crate for timestamps).
    Timestamps,
}

macro_rules! runtime_module {
    ($name:literal, $needed:expr) => {
        RuntimeModule {
            name: $name,
            // `generator/runtime` links to `runtime/src`, so that the packaged crate holds the
            // sources it embeds (`cargo package` follows the link).
            source: include_str!(concat!("../../runtime/", $name, ".rs")),
            needed: $needed,
        }
    };
}

/// The runtime's modules (every one but its `lib.rs`), in name order.
/// A fingerprint of the runtime sources this generator embeds: FNV-1a (64 bits) over every
/// module's name and text, in [`RUNTIME`] order, as 16 hex digits. Two generators with the same
/// fingerprint write the same runtime into the crates they generate.
pub(crate) fn runtime_fingerprint() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for module in RUNTIME {
        for byte in module.name.bytes().chain([0]).chain(module.source.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

pub(crate) const RUNTIME: &[RuntimeModule] = &[
    runtime_module!("auth", Need::Always),
    runtime_module!("blocking_runtime", Need::Blocking),
    runtime_module!("builder", Need::Always),
    runtime_module!("call", Need::Always),
    runtime_module!("checked", Need::Always),
    runtime_module!("config", Need::Always),
    runtime_module!("enums", Need::Always),
    runtime_module!("error", Need::Always),
    runtime_module!("form", Need::Forms),
    runtime_module!("multipart", Need::Multipart),
    runtime_module!("oauth", Need::Always),
    runtime_module!("or_unknown", Need::Always),
    runtime_module!("paging", Need::Paging),
    runtime_module!("pattern", Need::Patterns),
    runtime_module!("redirect", Need::Always),
    runtime_module!("response", Need::Always),
    runtime_module!("retry", Need::Always),
    runtime_module!("seam", Need::Always),
    runtime_module!("secret", Need::Always),
    runtime_module!("signature", Need::Signatures),
    runtime_module!("streaming", Need::Streams),
    runtime_module!("testing", Need::Testing),
    runtime_module!("timestamp", Need::Timestamps),
    runtime_module!("transport", Need::Always),
    runtime_module!("union", Need::Always),
    runtime_module!("upload", Need::Uploads),
    runtime_module!("validation", Need::Always),
];

/// The runtime modules `api` needs.
pub(crate) fn runtime_modules(api: &Api) -> impl Iterator<Item = &'static RuntimeModule> + '_ {
    RUNTIME.iter().filter(|module| match module.needed {
        Need::Always | Need::Blocking | Need::Testing => true,
        Need::Patterns => api.uses_patterns(),
        Need::Forms => api.uses_forms(),
        Need::Multipart => api.uses_multipart(),
        Need::Paging => api.uses_paging(),
        Need::Signatures => api.uses_signatures(),
        Need::Streams => api.uses_streams(),
        Need::Uploads => api.uses_uploads(),
        Need::Timestamps => api.sends_time_timestamps(),
    })
}

/// Where a runtime module's unit tests begin: they are tested once, in the runtime crate, and
/// not carried into every generated crate.
const TESTS_MARKER: &str = "\n#[cfg(test)]\nmod tests {\n";

/// A runtime module's source without its unit tests (by the runtime crate's convention, one
/// `mod tests` at the end of the file; a unit test here checks that every module keeps it).
fn without_tests(source: &str) -> String {
    let code = source.find(TESTS_MARKER).map_or(source, |at| &source[..at]);
    format!("{}\n", code.trim_end())
}

/// Every file of the generated crate, sorted by path.
pub(crate) fn emit(api: &Api, settings: &Settings) -> Result<Vec<GeneratedFile>, String> {
    // prettyplease formats the output; rustfmt is told to leave it alone, so that `cargo fmt`
    // on a workspace holding the generated crate does not make it stale.
    let header = format!(
        "// @generated by the `generator` crate from `{}`.\n// Do not edit by hand: run `{}`.\n#![cfg_attr(rustfmt, rustfmt::skip)]\n",
        settings.source_label, settings.regenerate_command
    );
    let rust = |code: String| format!("{header}\n{code}");
    // The big files (client, blocking, types and each feature's types) render in chunks, all
    // from one queue on every core.
    let units = type_units(api);
    let top_names = api
        .types
        .iter()
        .filter(|t| t.module.is_none())
        .map(|t| t.name.as_str());
    let in_types = paths::Shortening::types(top_names);
    let in_client = paths::Shortening::other(["Client", "SCHEMES"]);
    let in_blocking = paths::Shortening::other(["Client"]);
    // The clients' methods, one `impl` block per feature: each block rendered on its own, so
    // that only one is held as tokens and syntax at a time.
    let groups = feature_groups(api);
    let group_gate = |(feature, _): &(Option<usize>, Vec<&Operation>)| {
        feature.and_then(|feature| feature_gate(api, &[feature]))
    };
    let layout = types_layout(api, units);
    let client_methods =
        |(_, ops): &(Option<usize>, Vec<&Operation>)| in_client.apply(client::methods(api, ops));
    let blocking_methods = |(_, ops): &(Option<usize>, Vec<&Operation>)| {
        in_blocking.apply(blocking::methods(api, ops))
    };
    let operation_markers = |(_, ops): &(Option<usize>, Vec<&Operation>)| client::markers(api, ops);
    let type_item = |unit: &Unit<'_>| match unit {
        Unit::Type(def) => in_types.apply(types::item(api, def)),
        Unit::Module(op, defs) => types::operation_module(api, op, defs),
    };
    let type_gate = |unit: &Unit<'_>| feature_gate(api, unit.features());
    let no_gate = |_: &Unit<'_>| None;
    // One queue for every file, so that no core waits while another finishes a file alone.
    let mut queue = Renderer::default();
    let client = queue.module(
        || in_client.apply(client::module(api)),
        &groups,
        1,
        &client_methods,
        &group_gate,
    );
    let blocking = queue.module(
        || in_blocking.apply(blocking::module(api)),
        &groups,
        1,
        &blocking_methods,
        &group_gate,
    );
    let operations = queue.module(
        operations_header,
        &groups,
        1,
        &operation_markers,
        &group_gate,
    );
    let types = queue.module(
        || types::header(api, &layout.gated),
        &layout.shared,
        CHUNK,
        &type_item,
        &type_gate,
    );
    // A feature's own types: one file each, compiled with the feature, without a gate per
    // item.
    let gated: Vec<(String, usize)> = layout
        .gated
        .iter()
        .map(|group| {
            let file = queue.module(
                || types::gated_header(&group.feature),
                &group.units,
                CHUNK,
                &type_item,
                &no_gate,
            );
            (format!("src/types/{}.rs", group.module), file)
        })
        .collect();
    let mut texts = queue.run();
    let mut text = |file: usize| std::mem::replace(&mut texts[file], Ok(String::new()));
    let (types, client, blocking) = (text(types), text(client), text(blocking));
    let operations = text(operations);
    let gated: Vec<(String, Result<String, String>)> = gated
        .into_iter()
        .map(|(path, file)| (path, text(file)))
        .collect();
    let mut files = vec![
        GeneratedFile::new("Cargo.toml", crate_files::cargo_toml(api, settings)),
        GeneratedFile::new("README.md", crate_files::readme(api, settings)?),
        GeneratedFile::new("src/lib.rs", rust(render(&crate_files::lib_rs(api))?)),
        GeneratedFile::new("src/types.rs", rust(types?)),
        GeneratedFile::new("src/client.rs", rust(client?)),
        GeneratedFile::new("src/blocking.rs", rust(blocking?)),
        GeneratedFile::new("src/operations.rs", rust(operations?)),
    ];
    for (path, text) in gated {
        files.push(GeneratedFile::new(&path, rust(text?)));
    }
    if api.uses_signatures() {
        files.push(GeneratedFile::new(
            "src/webhooks.rs",
            rust(render(&webhooks::module(api))?),
        ));
        files.push(GeneratedFile::new(
            receiver::PATH,
            rust(render(&receiver::example(api, settings))?),
        ));
    }
    files.push(GeneratedFile::new(
        "src/runtime/mod.rs",
        rust(render(&crate_files::runtime_mod(api))?),
    ));
    for module in runtime_modules(api) {
        files.push(GeneratedFile::new(
            &format!("src/runtime/{}.rs", module.name),
            format!(
                "{header}// Embedded from `runtime/src/{}.rs` of the generator's repository.\n\n{}",
                module.name,
                without_tests(module.source)
            ),
        ));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The `operations` module's documentation, before its types.
fn operations_header() -> TokenStream {
    quote! {
        //! One type per operation, naming its calls: the setters of an operation's optional
        //! parameters are methods of [`Call`](crate::Call)`<'_, _, _, Operation>` (and of the
        //! blocking client's call), where `Operation` is its type here. They have no values:
        //! they only tell one operation's calls from another's.
    }
}

/// What the `types` module is made of: the types at its top, then a module per operation
/// with types of its own.
pub(crate) enum Unit<'a> {
    Type(&'a crate::model::TypeDef),
    Module(&'a crate::model::Operation, Vec<&'a crate::model::TypeDef>),
}

impl Unit<'_> {
    /// The features that compile it (none: every build does).
    fn features(&self) -> &[usize] {
        match self {
            Unit::Type(def) => &def.features,
            Unit::Module(op, _) => op.feature.as_slice(),
        }
    }
}

/// The types of one feature alone, in a file of their own (`src/types/<module>.rs`).
pub(crate) struct GatedTypes<'a> {
    /// The cargo feature.
    pub feature: String,
    /// The private module (and file) name; `types` re-exports its items.
    pub module: String,
    pub units: Vec<Unit<'a>>,
}

/// How `types` is laid out: the units one feature alone needs go to that feature's module;
/// the others (needed always, or by several features) stay in `types.rs`, each gated by its
/// features.
pub(crate) struct TypesLayout<'a> {
    pub shared: Vec<Unit<'a>>,
    pub gated: Vec<GatedTypes<'a>>,
}

fn types_layout<'a>(api: &'a Api, units: Vec<Unit<'a>>) -> TypesLayout<'a> {
    let mut shared = Vec::new();
    let mut by_feature: std::collections::BTreeMap<usize, Vec<Unit<'a>>> =
        std::collections::BTreeMap::new();
    for unit in units {
        match unit.features() {
            &[feature] if feature < api.features.len() => {
                by_feature.entry(feature).or_default().push(unit);
            }
            _ => shared.push(unit),
        }
    }
    // Module names beside the operations' modules (which are snake case too) and each other.
    let mut taken: std::collections::BTreeSet<String> = api
        .operations
        .iter()
        .map(|op| op.rust_name.trim_start_matches("r#").to_owned())
        .collect();
    let gated = by_feature
        .into_iter()
        .map(|(feature, units)| {
            let name = &api.features[feature].name;
            let base = crate::naming::feature_module(name);
            let mut module = base.clone();
            let mut n = 2;
            while !taken.insert(module.clone()) {
                module = format!("{base}{n}");
                n += 1;
            }
            GatedTypes {
                feature: name.clone(),
                module,
                units,
            }
        })
        .collect();
    TypesLayout { shared, gated }
}

/// The top types in model order, then each operation's module in operation order.
fn type_units(api: &Api) -> Vec<Unit<'_>> {
    let mut units: Vec<Unit<'_>> = api
        .types
        .iter()
        .filter(|t| t.module.is_none())
        .map(Unit::Type)
        .collect();
    let mut by_module: std::collections::BTreeMap<&str, Vec<&crate::model::TypeDef>> =
        std::collections::BTreeMap::new();
    for def in &api.types {
        if let Some(module) = &def.module {
            by_module.entry(module).or_default().push(def);
        }
    }
    for op in &api.operations {
        if let Some(defs) = by_module.remove(op.rust_name.as_str()) {
            units.push(Unit::Module(op, defs));
        }
    }
    units
}

/// Parses tokens as a file and pretty-prints them. A failure here is a generator bug: it is
/// reported as an error (never a panic), and never reaches the user's build.
pub(crate) fn render(tokens: &TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens.clone())
        .map_err(|error| format!("internal error: emitted code does not parse: {error}"))?;
    Ok(prettyplease::unparse(&file))
}

/// How many items one rendering job takes: enough to amortize a parse, few enough to share
/// the work evenly.
const CHUNK: usize = 64;

/// One rendering job: a file's header or a chunk of its items, as text.
type Job<'a> = Box<dyn Fn() -> Result<String, String> + Sync + 'a>;

/// Renders modules of many independent items on every core, from one queue of jobs: each
/// module's header (inner attributes and the first items), then its items in chunks, each
/// chunk parsed and printed on its own. A module's text is the same as one whole-file render
/// (prettyplease prints items one after another) whatever the number of threads or the order
/// the jobs finish in, so output stays byte-identical across machines.
#[derive(Default)]
pub(crate) struct Renderer<'a> {
    /// Each job with the module it belongs to, in the order the module's text joins them.
    jobs: Vec<(usize, Job<'a>)>,
    modules: usize,
}

impl<'a> Renderer<'a> {
    /// Queues a module: `header`, then `items`, `chunk` of them per job, each printed from
    /// `item` with the outer attributes `gate` gives it. Returns the index of the module's
    /// text in what [`Renderer::run`] returns.
    pub(crate) fn module<T: Sync, I, G>(
        &mut self,
        header: impl Fn() -> TokenStream + Sync + 'a,
        items: &'a [T],
        chunk: usize,
        item: &'a I,
        gate: &'a G,
    ) -> usize
    where
        I: Fn(&T) -> TokenStream + Sync,
        G: Fn(&T) -> Option<TokenStream> + Sync,
    {
        let module = self.modules;
        self.modules += 1;
        self.jobs
            .push((module, Box::new(move || render(&header()))));
        for part in items.chunks(chunk.max(1)) {
            self.jobs
                .push((module, Box::new(move || render_chunk(part, item, gate))));
        }
        module
    }

    /// Runs every job, on as many threads as there are cores (and jobs), and gives each
    /// module's text in the order they were queued; a panic in a job (a generator bug) becomes
    /// an error.
    pub(crate) fn run(self) -> Vec<Result<String, String>> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .clamp(1, self.jobs.len().max(1));
        let jobs = &self.jobs;
        let work = || {
            let mut done: Vec<(usize, Result<String, String>)> = Vec::new();
            loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((_, job)) = jobs.get(index) else {
                    return done;
                };
                done.push((index, job()));
            }
        };
        let mut rendered: Vec<(usize, Result<String, String>)> = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut all = work();
            for helper in helpers {
                match helper.join() {
                    Ok(done) => all.extend(done),
                    Err(_) => all.push((
                        usize::MAX,
                        Err("internal error: a rendering thread panicked".to_owned()),
                    )),
                }
            }
            all
        });
        rendered.sort_by_key(|(index, _)| *index);
        let mut texts: Vec<Result<String, String>> = vec![Ok(String::new()); self.modules];
        for (index, text) in rendered {
            // A panicked thread's jobs are missing: every module fails, none is cut short.
            let modules = match jobs.get(index) {
                Some((module, _)) => *module..*module + 1,
                None => 0..self.modules,
            };
            for module in modules {
                match (&mut texts[module], &text) {
                    (Ok(out), Ok(part)) => out.push_str(part),
                    (slot @ Ok(_), Err(error)) => *slot = Err(error.clone()),
                    (Err(_), _) => {}
                }
            }
        }
        texts
    }
}

/// Parses each of `chunk`'s items (adding the outer attributes `gate` gives it, a `#[cfg]`, to
/// every item it is made of) and prints them together.
fn render_chunk<T>(
    chunk: &[T],
    item: impl Fn(&T) -> TokenStream,
    gate: impl Fn(&T) -> Option<TokenStream>,
) -> Result<String, String> {
    let mut file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: Vec::new(),
    };
    for each in chunk {
        let parsed: syn::File = syn::parse2(item(each))
            .map_err(|error| format!("internal error: emitted code does not parse: {error}"))?;
        let mut items = parsed.items;
        if let Some(attrs) = gate(each) {
            let attrs = syn::parse::Parser::parse2(syn::Attribute::parse_outer, attrs)
                .map_err(|error| format!("internal error: a gate does not parse: {error}"))?;
            for item in &mut items {
                add_attrs(item, &attrs)?;
            }
        }
        file.items.extend(items);
    }
    Ok(prettyplease::unparse(&file))
}

/// Puts `attrs` first among an item's attributes.
fn add_attrs(item: &mut syn::Item, attrs: &[syn::Attribute]) -> Result<(), String> {
    let own = match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return Err("internal error: an emitted item cannot take attributes".to_owned()),
    };
    own.splice(0..0, attrs.iter().cloned());
    Ok(())
}

/// The `#[cfg]` of an item some of the crate's features need: any one of them compiles it.
pub(crate) fn feature_gate(api: &Api, features: &[usize]) -> Option<TokenStream> {
    let names: Vec<&str> = features
        .iter()
        .filter_map(|&f| api.features.get(f).map(|f| f.name.as_str()))
        .collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// How prose names the API: its title, with "API" added unless the title says it already.
pub(crate) fn api_name(title: &str) -> String {
    let title = title.trim();
    if title
        .split_whitespace()
        .last()
        .is_some_and(|w| w.eq_ignore_ascii_case("api"))
    {
        title.to_owned()
    } else {
        format!("{title} API")
    }
}

/// The operations grouped by the cargo feature that compiles them, each group in the order
/// its first operation appears, and the operations of a group in theirs.
pub(crate) fn feature_groups(api: &Api) -> Vec<(Option<usize>, Vec<&Operation>)> {
    let mut groups: Vec<(Option<usize>, Vec<&Operation>)> = Vec::new();
    for op in &api.operations {
        match groups
            .iter_mut()
            .find(|(feature, _)| *feature == op.feature)
        {
            Some((_, ops)) => ops.push(op),
            None => groups.push((op.feature, vec![op])),
        }
    }
    groups
}

/// The Rust type of a success payload (a stream's errors being the crate's default).
pub(crate) fn payload_type(api: &Api, payload: &Payload) -> TokenStream {
    payload_type_with(api, payload, &api.error_body)
}

/// The Rust type of a success payload of an operation whose error responses decode as
/// `error` (a stream's items carry the operation's error type).
pub(crate) fn payload_type_with(api: &Api, payload: &Payload, error: &TypeRef) -> TokenStream {
    let error = (*error != api.error_body).then(|| type_tokens(api, error));
    match payload {
        Payload::Empty => quote!(()),
        Payload::Json(ty) => type_tokens(api, ty),
        Payload::Text => quote!(::std::string::String),
        Payload::Bytes => match error {
            Some(error) => quote!(crate::ByteStream<#error>),
            None => quote!(crate::ByteStream),
        },
        Payload::Events(None) => match error {
            Some(error) => quote!(crate::EventStream<#error>),
            None => quote!(crate::EventStream),
        },
        Payload::Events(Some(data)) => {
            let data = type_tokens(api, data);
            let error = error.unwrap_or_else(|| type_tokens(api, &api.error_body));
            quote!(crate::EventStream<#error, #data>)
        }
        Payload::JsonStream(item, _) => {
            let item = type_tokens(api, item);
            match error {
                Some(error) => quote!(crate::JsonStream<#item, #error>),
                None => quote!(crate::JsonStream<#item>),
            }
        }
        Payload::Several(id) => type_tokens(api, &TypeRef::Named(*id)),
    }
}

/// An unsuffixed integer literal; negative values are a `-` token before the literal, as the
/// Rust grammar has them.
pub(crate) fn integer_literal(value: i64) -> TokenStream {
    let literal = proc_macro2::Literal::u64_unsuffixed(value.unsigned_abs());
    if value < 0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

/// An unsuffixed float literal (always with a decimal point or exponent).
pub(crate) fn float_literal(value: f64) -> TokenStream {
    let literal = proc_macro2::Literal::f64_unsuffixed(value.abs());
    if value < 0.0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

/// An identifier from a name the [`naming`](crate::naming) door produced.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type for a reference, fully qualified so that no schema name can shadow it.
pub(crate) fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => match api.date_time {
            crate::config::DateTimeCrate::Time => quote!(::time::OffsetDateTime),
            crate::config::DateTimeCrate::Chrono => {
                quote!(::chrono::DateTime<::chrono::Utc>)
            }
        },
        TypeRef::External(path) => {
            let path: syn::Path =
                syn::parse_str(path).expect("a mapped type's path is checked when it is read");
            if path.segments.first().is_some_and(|s| s.ident == "crate") {
                quote!(#path)
            } else {
                quote!(::#path)
            }
        }
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::File => quote!(crate::FilePart),
        TypeRef::MultipartForm => quote!(crate::MultipartForm),
        TypeRef::Named(id) => type_path(api, *id),
        TypeRef::OrUnknown(id) => {
            let path = type_path(api, *id);
            match &api.types[id.0].kind {
                TypeKind::Enum(e) if e.is_integer() => quote!(crate::OrUnknown<#path, i64>),
                _ => quote!(crate::OrUnknown<#path>),
            }
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(api, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(api, inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(api, inner);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Checked(checked) => checked_tokens(api, checked),
    }
}

/// The full path of a generated type: `crate::types::Pet`, `crate::types::create_pet::Body`.
pub(crate) fn type_path(api: &Api, id: TypeId) -> TokenStream {
    let def = &api.types[id.0];
    let name = ident(&def.name);
    match &def.module {
        Some(module) => {
            let module = ident(module);
            quote!(crate::types::#module::#name)
        }
        None => quote!(crate::types::#name),
    }
}

/// A checked value's runtime type, its rules as type parameters (the defaults left out).
fn checked_tokens(api: &Api, checked: &Checked) -> TokenStream {
    let size = |n: usize| proc_macro2::Literal::usize_unsuffixed(n);
    let lengths = |min: usize, max: Option<usize>| match max {
        Some(max) => {
            let (min, max) = (size(min), size(max));
            quote!(<#min, #max>)
        }
        None if min > 0 => {
            let min = size(min);
            quote!(<#min>)
        }
        None => quote!(),
    };
    let rule = |id: &TypeId| type_path(api, *id);
    match checked {
        Checked::Length { min, max } => {
            let params = match lengths(*min, *max) {
                params if params.is_empty() => quote!(<0>),
                params => params,
            };
            quote!(crate::BoundedString #params)
        }
        Checked::Uri { min, max } => {
            let params = lengths(*min, *max);
            quote!(crate::UriString #params)
        }
        Checked::Pattern(id) => {
            let rule = rule(id);
            quote!(crate::PatternString<#rule>)
        }
        Checked::Integer {
            wide,
            min,
            max,
            multiple_of,
        } => {
            let (ty, name) = if *wide {
                (quote!(i64), quote!(crate::BoundedI64))
            } else {
                (quote!(i32), quote!(crate::BoundedI32))
            };
            // Parameters up to the last one set; those before it that are not, as the type's
            // own extremes.
            let given = [min.is_some(), max.is_some(), multiple_of.is_some()];
            let count = given.iter().rposition(|g| *g).map_or(0, |last| last + 1);
            let params: Vec<TokenStream> = [
                min.map_or_else(|| quote!({ #ty::MIN }), integer_literal),
                max.map_or_else(|| quote!({ #ty::MAX }), integer_literal),
                multiple_of.map_or_else(|| quote!(1), integer_literal),
            ]
            .into_iter()
            .take(count)
            .collect();
            quote!(#name<#(#params),*>)
        }
        Checked::Float { wide, rule: id } => {
            let rule = rule(id);
            if *wide {
                quote!(crate::BoundedF64<#rule>)
            } else {
                quote!(crate::BoundedF32<#rule>)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runtime crate's directory.
    fn runtime_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime")
    }

    /// Every module of the runtime crate is embedded (and nothing else): a new runtime file
    /// must be listed in [`RUNTIME`], and the runtime's `lib.rs` declares the same modules.
    #[test]
    fn every_runtime_module_is_embedded() {
        let mut files: Vec<String> = std::fs::read_dir(runtime_dir().join("src"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|f| f.strip_suffix(".rs").map(str::to_owned))
            .filter(|f| f != "lib")
            .collect();
        files.sort();
        let embedded: Vec<&str> = RUNTIME.iter().map(|m| m.name).collect();
        assert_eq!(files, embedded);
        let lib = std::fs::read_to_string(runtime_dir().join("src/lib.rs")).unwrap();
        let declared: Vec<&str> = lib
            .lines()
            .filter_map(|l| {
                l.strip_prefix("mod ")
                    .or_else(|| l.strip_prefix("pub mod "))
            })
            .map(|l| l.trim_end_matches(';'))
            .collect();
        assert_eq!(declared, embedded);
    }

    /// Unit tests stay in the runtime crate: each module keeps them in one `mod tests` at its
    /// end, which embedding cuts off; nothing else is cut.
    #[test]
    fn runtime_tests_are_left_out_and_nothing_else() {
        for module in RUNTIME {
            let embedded = without_tests(module.source);
            assert!(!embedded.contains("#[cfg(test)]"), "{}", module.name);
            if let Some(at) = module.source.find(TESTS_MARKER) {
                let tests = &module.source[at..];
                assert_eq!(tests.matches("\nmod ").count(), 1, "{}", module.name);
                assert!(
                    tests.ends_with("\n}\n"),
                    "{}: tests must come last",
                    module.name
                );
                assert_eq!(
                    embedded.trim_end(),
                    module.source[..at].trim_end(),
                    "{}",
                    module.name
                );
            } else {
                assert_eq!(embedded, module.source, "{}", module.name);
            }
        }
    }

    /// A generated crate declares the runtime crate's dependencies, with the same versions and
    /// features: the runtime is compiled there exactly as here.
    #[test]
    fn generated_crates_declare_the_runtime_dependencies() {
        let manifest = std::fs::read_to_string(runtime_dir().join("Cargo.toml")).unwrap();
        let runtime: Vec<&str> = dependency_lines(&manifest);
        // Every optional dependency: the runtime compiles every module.
        let generated = [
            crate_files::DEPENDENCIES,
            crate_files::PATTERN_DEPENDENCIES,
            crate_files::PAGING_DEPENDENCIES,
            crate_files::SIGNATURE_DEPENDENCIES,
            crate_files::STREAM_DEPENDENCIES,
            crate_files::TIME_DEPENDENCIES,
        ]
        .concat();
        let mut generated = dependency_lines(&generated);
        // The runtime compiles the blocking client's module always; a generated crate
        // enables `tokio/rt` with its `blocking` feature.
        let tokio = generated
            .iter()
            .position(|l| l.starts_with("tokio"))
            .unwrap();
        assert_eq!(
            generated[tokio],
            r#"tokio = { version = "1", default-features = false, features = ["time", "sync"] }"#
        );
        generated[tokio] = r#"tokio = { version = "1", default-features = false, features = ["time", "sync", "rt"] }"#;
        let mut runtime = runtime;
        runtime.sort_unstable();
        generated.sort_unstable();
        assert_eq!(runtime, generated);
    }

    /// The `name = requirement` lines of a manifest's `[dependencies]`.
    fn dependency_lines(manifest: &str) -> Vec<&str> {
        manifest
            .lines()
            .skip_while(|l| l.trim() != "[dependencies]")
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .collect()
    }

    /// Chunked, multi-threaded rendering gives each module the text of one whole-file render,
    /// however many modules share the queue.
    #[test]
    fn rendering_in_chunks_matches_one_whole_render() {
        let names: Vec<String> = (0..CHUNK * 3 + 5).map(|i| format!("Item{i}")).collect();
        let item = |name: &String| {
            let name = ident(name);
            quote! {
                /// An item.
                #[derive(Debug)]
                pub struct #name { pub value: ::std::option::Option<u32> }
                impl #name { pub fn get(&self) -> u32 { self.value.unwrap_or(0) } }
            }
        };
        let header = || quote!(#![doc = " A module."]);
        let items: Vec<TokenStream> = names.iter().map(item).collect();
        let whole = render(&quote!(#![doc = " A module."] #(#items)*)).unwrap();
        let gate = |_: &String| None;
        let small = &names[..3];
        let mut queue = Renderer::default();
        let chunked = queue.module(header, &names, CHUNK, &item, &gate);
        let one_by_one = queue.module(header, &names, 1, &item, &gate);
        let other = queue.module(|| quote!(), small, CHUNK, &item, &gate);
        let texts: Vec<String> = queue.run().into_iter().map(Result::unwrap).collect();
        assert_eq!(texts[chunked], whole);
        assert_eq!(texts[one_by_one], whole);
        let small_items: Vec<TokenStream> = small.iter().map(item).collect();
        assert_eq!(texts[other], render(&quote!(#(#small_items)*)).unwrap());
    }
}
