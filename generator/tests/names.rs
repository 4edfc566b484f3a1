//! Every Rust name in the generated code is chosen in one place. The emitted code for the
//! Truv spec and every fixture is walked: each method of the clients and builders, and each
//! local and argument of an operation method, must be a name lowering chose (and stored in the
//! model) or one of the names the generated code declares for itself
//! (`generator::naming::reserved`), which lowering keeps spec names away from. A name `emit`
//! makes up on its own fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generator::model::{Api, TypeKind};
use generator::naming::reserved;
use syn::visit::Visit;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The Truv spec and every fixture.
fn specs() -> Vec<PathBuf> {
    let mut specs = vec![root().join("spec/truv-webhooks.yaml")];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    specs.extend(fixtures);
    specs
}

/// The model and the emitted files of one spec.
fn generate(spec: &Path) -> (Api, Vec<generator::GeneratedFile>) {
    let text = std::fs::read_to_string(spec).unwrap();
    let label = spec.display().to_string();
    let document = generator::load::parse(&text, generator::load::Syntax::detect(&label, &text))
        .unwrap_or_else(|d| panic!("{label}: {d:?}"));
    let api = generator::lower::lower(&document);
    assert!(api.omissions.is_empty(), "{label}: {:?}", api.omissions);
    let settings = generator::Settings {
        crate_name: "names".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: label.clone(),
        regenerate_command: "test".to_owned(),
        license: None,
        repository: None,
        strict: true,
        select: generator::config::Selection::default(),
        types: generator::config::Types::default(),
    };
    let files = generator::generate(&label, &text, &settings).unwrap().files;
    (api, files)
}

fn parse(files: &[generator::GeneratedFile], path: &str) -> syn::File {
    let file = files.iter().find(|f| f.path == path).unwrap();
    syn::parse_file(&file.contents).unwrap()
}

/// `src/types.rs` with the items of the files of each feature's own types (`src/types/`),
/// which it re-exports: the `types` module as users see it.
fn parse_types(files: &[generator::GeneratedFile]) -> syn::File {
    let mut types = parse(files, "src/types.rs");
    for file in files.iter().filter(|f| f.path.starts_with("src/types/")) {
        types
            .items
            .extend(syn::parse_file(&file.contents).unwrap().items);
    }
    types
}

/// The last segment of an impl's self type (`Client`, `ClientBuilder`, `PetBuilder`).
fn impl_name(item: &syn::ItemImpl) -> Option<String> {
    match item.self_ty.as_ref() {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The items of `file`, and of the modules in it.
fn all_items(items: &[syn::Item]) -> Vec<&syn::Item> {
    let mut out = Vec::new();
    for item in items {
        out.push(item);
        if let syn::Item::Mod(module) = item {
            if let Some((_, inner)) = &module.content {
                out.extend(all_items(inner));
            }
        }
    }
    out
}

/// The inherent impls of `file` (its modules included) named `name`.
fn impls<'a>(file: &'a syn::File, name: &str) -> Vec<&'a syn::ItemImpl> {
    all_items(&file.items)
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() && impl_name(i).as_deref() == Some(name) => {
                Some(i)
            }
            _ => None,
        })
        .collect()
}

/// The inherent impls named `name` at the top of `file`, or in its module `module`.
fn impls_in<'a>(file: &'a syn::File, module: Option<&str>, name: &str) -> Vec<&'a syn::ItemImpl> {
    let items: &[syn::Item] = match module {
        None => &file.items,
        Some(module) => file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == module => m.content.as_ref().map(|(_, i)| &i[..]),
                _ => None,
            })
            .unwrap_or_default(),
    };
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() && impl_name(i).as_deref() == Some(name) => {
                Some(i)
            }
            _ => None,
        })
        .collect()
}

fn methods<'a>(impls: &[&'a syn::ItemImpl]) -> Vec<&'a syn::ImplItemFn> {
    impls
        .iter()
        .flat_map(|i| i.items.iter())
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        })
        .collect()
}

/// Every name a function binds: its arguments, and its locals (`let`, `for`, `if let`, match
/// arms, closure arguments).
#[derive(Default)]
struct Bindings(BTreeSet<String>);

impl<'ast> Visit<'ast> for Bindings {
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        self.0.insert(pat.ident.to_string());
        syn::visit::visit_pat_ident(self, pat);
    }
}

fn bindings(function: &syn::ImplItemFn) -> BTreeSet<String> {
    let mut found = Bindings::default();
    found.visit_impl_item_fn(function);
    found.0
}

/// Fails naming `what` and the names that are neither chosen nor declared.
fn assert_known(
    spec: &Path,
    what: &str,
    found: impl IntoIterator<Item = String>,
    chosen: &BTreeSet<String>,
    declared: &[&str],
) {
    let unknown: Vec<String> = found
        .into_iter()
        .filter(|name| !chosen.contains(name) && !declared.contains(&name.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "{}: {what} defines {unknown:?}, which lowering did not choose and `naming::reserved` \
         does not declare",
        spec.display()
    );
}

/// The names the generated operation methods and call methods bind themselves.
fn declared_locals() -> Vec<&'static str> {
    reserved::OPERATION_LOCALS
        .iter()
        .chain(reserved::CLOSURE_LOCALS)
        .chain(reserved::PAGER_LOCALS)
        .copied()
        .chain([reserved::BODY_ARGUMENT, reserved::SETTER_ARGUMENT])
        .collect()
}

fn owned(name: &str) -> String {
    name.to_owned()
}

#[test]
fn generated_code_defines_only_chosen_or_declared_names() {
    for spec in specs() {
        let (api, files) = generate(&spec);
        let ops: BTreeSet<String> = api.operations.iter().map(|o| owned(&o.rust_name)).collect();
        let client = parse(&files, "src/client.rs");
        let client_methods = methods(&impls(&client, "Client"));
        let chosen = ops.clone();
        assert_known(
            &spec,
            "Client",
            client_methods.iter().map(|f| f.sig.ident.to_string()),
            &chosen,
            reserved::CLIENT_METHODS,
        );

        let blocking = parse(&files, "src/blocking.rs");
        let blocking_methods = methods(&impls(&blocking, "Client"));
        assert_known(
            &spec,
            "blocking::Client",
            blocking_methods.iter().map(|f| f.sig.ident.to_string()),
            &chosen,
            reserved::CLIENT_METHODS,
        );

        // Operation methods: their arguments and locals, which never share a name.
        for op in &api.operations {
            for param in &op.params {
                for name in [&param.rust_name, &param.local] {
                    assert!(
                        !reserved::OPERATION_LOCALS.contains(&name.as_str()),
                        "{}: parameter `{}` is named `{name}`, a local of the method",
                        spec.display(),
                        param.wire_name
                    );
                }
            }
            let names: BTreeSet<String> = op
                .params
                .iter()
                .flat_map(|p| [owned(&p.rust_name), owned(&p.local)])
                .collect();
            let own = [owned(&op.rust_name)];
            let declared = declared_locals();
            for function in client_methods
                .iter()
                .chain(&blocking_methods)
                .filter(|f| own.contains(&f.sig.ident.to_string()))
            {
                assert_known(
                    &spec,
                    &format!("operation method `{}`", function.sig.ident),
                    bindings(function),
                    &names,
                    &declared,
                );
            }
        }

        // The calls' methods: the setters of optional parameters (their locals the operation
        // methods' own), beside the call's own methods and `pages`/`items` of lists.
        let setters: BTreeSet<String> = api
            .operations
            .iter()
            .flat_map(|o| o.params.iter().map(|p| owned(&p.setter)))
            .collect();
        for module in [&client, &blocking] {
            let call_methods = methods(&impls(module, "Call"));
            assert_known(
                &spec,
                "Call",
                call_methods.iter().map(|f| f.sig.ident.to_string()),
                &setters,
                reserved::CALL_METHODS,
            );
            let declared = declared_locals();
            for function in &call_methods {
                assert_known(
                    &spec,
                    &format!("call method `{}`", function.sig.ident),
                    bindings(function),
                    &BTreeSet::new(),
                    &declared,
                );
            }
        }

        // The constructors' arguments: credentials, and the base URL.
        let args: BTreeSet<String> = api
            .credentials
            .iter()
            .flat_map(|c| c.args.iter().map(|a| owned(a)))
            .collect();
        for function in client_methods
            .iter()
            .chain(&blocking_methods)
            .filter(|f| ["new", "builder"].contains(&f.sig.ident.to_string().as_str()))
        {
            assert_known(
                &spec,
                &format!("`Client::{}`", function.sig.ident),
                bindings(function),
                &args,
                reserved::CONSTRUCTOR_ARGUMENTS,
            );
        }

        // Credential setters beside the runtime's own builder methods.
        let setters: BTreeSet<String> = api
            .credentials
            .iter()
            .flat_map(|c| {
                let client_credentials = c.token_flow.as_ref().map(|f| owned(&f.setter));
                std::iter::once(owned(&c.rust_name)).chain(client_credentials)
            })
            .collect();
        // `build` in the client module, `build_blocking` in the blocking one.
        for module in [&client, &blocking] {
            assert_known(
                &spec,
                "ClientBuilder",
                methods(&impls(module, "ClientBuilder"))
                    .iter()
                    .map(|f| f.sig.ident.to_string()),
                &setters,
                reserved::BUILDER_METHODS,
            );
        }

        // The `webhooks` module: a header constant and a verification function per signed
        // callback, whose arguments are the declared ones and the key's.
        if let Some(webhooks) = files.iter().find(|f| f.path == "src/webhooks.rs") {
            let webhooks = syn::parse_file(&webhooks.contents).unwrap();
            let chosen: BTreeSet<String> = api
                .callbacks
                .iter()
                .flat_map(|c| [owned(&c.verify_name), owned(&c.header_const)])
                .collect();
            let mut defined = Vec::new();
            for item in &webhooks.items {
                match item {
                    syn::Item::Fn(function) => {
                        defined.push(function.sig.ident.to_string());
                        let keys: BTreeSet<String> =
                            api.callbacks.iter().map(|c| owned(&c.key_arg)).collect();
                        let mut found = Bindings::default();
                        found.visit_item_fn(function);
                        assert_known(
                            &spec,
                            "a verification function",
                            found.0,
                            &keys,
                            reserved::VERIFY_ARGUMENTS,
                        );
                    }
                    syn::Item::Const(constant) => defined.push(constant.ident.to_string()),
                    _ => {}
                }
            }
            assert_known(&spec, "the `webhooks` module", defined, &chosen, &[]);
        }

        // Each request struct's builder: its setters and `build`.
        let types = parse_types(&files);
        for def in &api.types {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            let Some(builder) = &s.builder else {
                continue;
            };
            let setters: BTreeSet<String> = s
                .fields
                .iter()
                .filter_map(|f| f.setter.as_deref().map(owned))
                .collect();
            assert_eq!(
                setters.len(),
                s.fields.len(),
                "{}: a setter per field",
                def.name
            );
            let found = methods(&impls_in(&types, def.module.as_deref(), builder));
            assert!(
                !found.is_empty(),
                "{}: no impl of {builder}",
                spec.display()
            );
            assert_known(
                &spec,
                builder,
                found.iter().map(|f| f.sig.ident.to_string()),
                &setters,
                reserved::STRUCT_BUILDER_METHODS,
            );
        }
    }
}

/// The runtime's own `ClientBuilder` methods are declared too: a credential setter cannot
/// take one.
#[test]
fn the_runtime_builder_methods_are_declared() {
    let source = std::fs::read_to_string(root().join("runtime/src/config.rs")).unwrap();
    let file = syn::parse_file(&source).unwrap();
    let defined = methods(&impls(&file, "ClientBuilder"));
    assert!(!defined.is_empty());
    for function in defined {
        let name = function.sig.ident.to_string();
        assert!(
            reserved::BUILDER_METHODS.contains(&name.as_str()),
            "runtime `ClientBuilder::{name}` is not in `naming::reserved::BUILDER_METHODS`"
        );
    }
}

/// The fixture made for this: operations named like the clients' own methods (`builder`,
/// `retryPolicy`, `new`, `clone`, `default`, `send`, `foo` beside `fooWithResponse`), locals and
/// keywords as parameters, schemes named like builder settings, schemas named like std and
/// runtime types (those of the prelude get `Value` after their name). Every name is distinct; the crate itself is compiled and called by
/// `tests/fixtures/reserved_names.rs`.
#[test]
fn reserved_names_get_names_of_their_own() {
    let (api, _) = generate(&root().join("tests/fixtures/reserved_names.yaml"));
    let method = |id: &str| {
        let op = api.operations.iter().find(|o| o.id == id).unwrap();
        op.rust_name.as_str()
    };
    assert_eq!(method("builder"), "builder2");
    assert_eq!(method("retryPolicy"), "retry_policy2");
    // No method of the client's own ends in `_with_response` (that is the call's): the two
    // keep their names.
    assert_eq!(method("foo"), "foo");
    assert_eq!(method("fooWithResponse"), "foo_with_response");
    assert_eq!(method("send"), "send");
    assert_eq!(method("clone"), "clone2");
    assert_eq!(method("new"), "new2");
    assert_eq!(method("default"), "default");

    let params = &api
        .operations
        .iter()
        .find(|o| o.id == "fromAsync")
        .unwrap()
        .params;
    let names: Vec<(&str, &str)> = params
        .iter()
        .map(|p| (p.rust_name.as_str(), p.local.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("r#type", "type_"),
            ("type2", "type2"),
            ("path", "path"),
            ("query", "query"),
            ("parts", "parts"),
            ("value", "value"),
            ("item", "item"),
            ("raw", "raw"),
            ("start", "start"),
            ("set", "set"),
            ("with_response", "with_response"),
            ("send", "send"),
            ("pages", "pages"),
        ]
    );
    // The optional ones are setters of the call: named apart from the call's own methods,
    // and from nothing else (the runtime's helpers are functions, `start` and `set` among them).
    let setters: Vec<&str> = params
        .iter()
        .filter(|p| !p.required)
        .map(|p| p.setter.as_str())
        .collect();
    assert_eq!(
        setters,
        [
            "query",
            "parts",
            "value",
            "item",
            "raw",
            "start",
            "set",
            "with_response2",
            "send2",
            "pages2"
        ]
    );

    let credentials: Vec<(&str, Vec<&str>)> = api
        .credentials
        .iter()
        .map(|c| {
            (
                c.rust_name.as_str(),
                c.args.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        credentials,
        [
            ("timeout2", vec!["timeout"]),
            ("base_url2", vec!["base_url_username", "base_url_password"]),
        ]
    );

    let type_names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    // The crate's own names are reached by path: a schema may keep one.
    for schema in ["Client", "ClientBuilder", "Response"] {
        assert!(
            type_names.contains(&schema),
            "{schema} keeps its name: {type_names:?}"
        );
    }
    // A name of the prelude would read as the standard type wherever it is used.
    for schema in ["Option", "Result", "String", "Box"] {
        let renamed = format!("{schema}{}", reserved::STD_SUFFIX);
        assert!(
            !type_names.contains(&schema) && type_names.contains(&renamed.as_str()),
            "{schema} is {renamed}: {type_names:?}"
        );
    }
    // The derived builder name yields to the schema called `ClientBuilder`.
    let client = api.types.iter().find(|t| t.name == "Client").unwrap();
    let TypeKind::Struct(s) = &client.kind else {
        panic!("Client is a struct")
    };
    assert_eq!(s.builder.as_deref(), Some("ClientBuilder2"));
}

/// No generated type, in any module, is named like a type, trait or variant of the prelude:
/// the generated code would compile (it names types by path) but read as the standard one.
#[test]
fn no_type_takes_a_prelude_name() {
    for spec in specs() {
        let (_, files) = generate(&spec);
        for file in files.iter().filter(|f| {
            Path::new(&f.path).extension().is_some_and(|e| e == "rs")
                && !f.path.starts_with("src/runtime/")
        }) {
            let parsed = syn::parse_file(&file.contents).unwrap();
            for item in all_items(&parsed.items) {
                let name = match item {
                    syn::Item::Struct(s) => &s.ident,
                    syn::Item::Enum(e) => &e.ident,
                    syn::Item::Type(t) => &t.ident,
                    syn::Item::Trait(t) => &t.ident,
                    _ => continue,
                };
                assert!(
                    !reserved::STD_TYPES.contains(&name.to_string().as_str()),
                    "{}: {} defines `{name}`",
                    spec.display(),
                    file.path
                );
            }
        }
    }
}
