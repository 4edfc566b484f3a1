//! The usage example in the generated README (compiled as a doctest): a client, and a call
//! of the first operation with values taken from the spec's examples.

use crate::config::DateTimeCrate;
use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{ident, render};
use crate::model::{
    Api, BodyMedia, Checked, EnumValue, Operation, ParamLocation, Payload, Struct, TypeKind,
    TypeRef,
};

/// The name recorded in the `use` set for the multipart file type.
const FILE_PART: &str = "FilePart";
/// The name recorded in the `use` set for the multipart form a caller assembles.
const MULTIPART_FORM: &str = "MultipartForm";

/// How deep nested builders may go before the example gives up on an operation.
const MAX_DEPTH: usize = 4;

pub(crate) fn usage(api: &Api, lib: &str) -> Result<String, String> {
    let lib = ident(lib);
    let mut uses = BTreeSet::new();
    let args = constructor_args(api);
    let call = api
        .operations
        .iter()
        .find_map(|op| Some((operation_call(api, op, &mut uses)?, op)));
    // `?` converts into the crate's `Error` only when the operation's error body is the
    // default one; otherwise any error will do.
    let error = match call {
        Some((_, op)) if op.error != api.error_body => quote!(Box<dyn std::error::Error>),
        _ => quote!(#lib::Error),
    };
    let call = call.map(|(call, _)| call).unwrap_or_default();
    // `FilePart` lives at the crate root, the other names in `types`.
    let file_part = uses.remove(FILE_PART).then(|| quote!(use #lib::FilePart;));
    let multipart_form = uses
        .remove(MULTIPART_FORM)
        .then(|| quote!(use #lib::MultipartForm;));
    let uses = (!uses.is_empty()).then(|| {
        let uses = uses.iter().map(|name| ident(name));
        quote!(use #lib::types::{#(#uses),*};)
    });
    let tokens = super::paths::in_crate(
        &lib,
        quote! {
        use #lib::Client;
        #file_part
        #multipart_form
        #uses

        async fn example() -> Result<(), #error> {
            let client = Client::new(#(#args),*)?;
            #call
            Ok(())
        }
        },
    );
    render(&tokens)
}

/// The arguments of `Client::new` and `Client::builder` in examples: a base URL where the
/// description has no server, then placeholder credentials.
fn constructor_args(api: &Api) -> Vec<TokenStream> {
    let mut args = Vec::new();
    if api.default_base_url.is_none() {
        args.push(quote!("https://api.example.com"));
    }
    args.extend(
        super::client::credential_args(api)
            .passed
            .into_iter()
            .map(|arg| {
                let value = format!("your-{}", arg.to_string().replace('_', "-"));
                quote!(#value)
            }),
    );
    args
}

/// The README's examples beside the usage one, each compiled as a doctest: configuration,
/// redirects, errors, the blocking client. Keyed by the section they illustrate.
pub(crate) struct Examples {
    pub configuration: String,
    pub redirects: String,
    pub errors: String,
    pub blocking: String,
    /// A wrapping transport and a hook.
    pub transport: String,
    /// A test of code that uses the client, with the `testing` feature's transport; `None`
    /// for an API without an operation callable with no argument.
    pub testing: Option<String>,
}

pub(crate) fn examples(api: &Api, lib: &str) -> Result<Examples, String> {
    let lib = ident(lib);
    let args = constructor_args(api);
    let configuration = render(&quote! {
        use std::time::Duration;
        use #lib::{Client, ConfigError, RetryPolicy};

        fn client() -> Result<Client, ConfigError> {
            Client::builder(#(#args),*)
                .timeout(Some(Duration::from_secs(10)))
                .connect_timeout(Duration::from_secs(3))
                .retry_policy(RetryPolicy::default().max_attempts(4))
                .default_header("X-Team", "payments")
                .max_response_bytes(1024 * 1024)
                .build()
        }
    })?;
    let redirects = render(&quote! {
        use #lib::{Client, ConfigError, RedirectPolicy};

        fn client() -> Result<Client, ConfigError> {
            Client::builder(#(#args),*)
                // Follow redirects to other origins too (downloads from a CDN), without credentials.
                .redirect_policy(RedirectPolicy::default().follow_other_origins(true))
                .build()
        }

        // Your own HTTP client: let it follow no redirect, so that the policy above decides.
        fn with_my_http_client() -> Result<Client, Box<dyn std::error::Error>> {
            let http = #lib::reqwest::Client::builder()
                .redirect(#lib::reqwest::redirect::Policy::none())
                .build()?;
            Ok(Client::builder(#(#args),*).http_client(http).build()?)
        }
    })?;
    let errors = render(&quote! {
        /// Prints what went wrong, then each cause once.
        fn report<E: std::fmt::Debug>(error: &#lib::Error<E>) {
            match error {
                #lib::Error::Api(api) => {
                    eprintln!("the API answered {}: {}", api.status(), api.body());
                    if let Some(wait) = api.retry_after() {
                        eprintln!("try again in {wait:?}");
                    }
                }
                #lib::Error::InvalidRequest(invalid) => {
                    eprintln!("not sent: `{}` broke {:?}", invalid.field(), invalid.kind());
                }
                other => eprintln!("{other}"),
            }
            let mut cause = std::error::Error::source(error);
            while let Some(inner) = cause {
                eprintln!("  caused by: {inner}");
                cause = inner.source();
            }
        }
    })?;
    let blocking = render(&quote! {
        #[cfg(feature = "blocking")]
        fn blocking() -> Result<(), #lib::ConfigError> {
            let client = #lib::blocking::Client::builder(#(#args),*)
                .timeout(Some(std::time::Duration::from_secs(5)))
                .build_blocking()?;
            // Clones share the connection pool and the runtime.
            let for_another_thread = client.clone();
            std::thread::spawn(move || drop(for_another_thread)).join().unwrap();
            Ok(())
        }
    })?;
    let transport = render(&quote! {
        use std::sync::Arc;
        use #lib::transport::{AttemptInfo, Hooks, HttpTransport, RequestBody, Sending};
        use #lib::{http, Client, ConfigError};

        /// Adds a header to every request, then sends it through the transport it wraps.
        struct Tagged(Arc<dyn HttpTransport>);

        impl HttpTransport for Tagged {
            fn send(&self, mut request: http::Request<RequestBody>) -> Sending<'_> {
                request
                    .headers_mut()
                    .insert("x-team", http::HeaderValue::from_static("payments"));
                self.0.send(request)
            }
        }

        /// Logs each attempt: its operation, path template and number, never a credential.
        struct Log;

        impl Hooks for Log {
            fn before_send(&self, attempt: &AttemptInfo, _: &mut http::Request<RequestBody>) {
                eprintln!("{} {} attempt {}", attempt.operation, attempt.path, attempt.attempt);
            }
        }

        fn client() -> Result<Client, ConfigError> {
            Client::builder(#(#args),*)
                .wrap_transport(Tagged)
                .hooks(Log)
                .build()
        }
    })?;
    let testing = testing_example(api, &lib, &args)?;
    Ok(Examples {
        configuration,
        redirects,
        errors,
        blocking,
        transport,
        testing,
    })
}

/// A test of code that calls the first operation that takes no argument (and is in the
/// blocking client: not a stream), answered by the `testing` feature's transport. It runs as
/// a doctest where both features are on.
fn testing_example(
    api: &Api,
    lib: &proc_macro2::Ident,
    args: &[TokenStream],
) -> Result<Option<String>, String> {
    let Some(op) = api.operations.iter().find(|op| {
        op.params.iter().all(|p| !p.required)
            && op.body.as_ref().is_none_or(|body| !body.required)
            && matches!(
                op.success,
                Payload::Empty | Payload::Json(_) | Payload::Text
            )
    }) else {
        return Ok(None);
    };
    let method = ident(&op.rust_name);
    let marker = ident(&op.marker);
    let verb = op.method.as_str();
    render(&quote! {
        #[cfg(all(feature = "testing", feature = "blocking"))]
        fn main() {
            use #lib::testing::{MockTransport, Reply};
            use #lib::{blocking::Client, operations::#marker, Error};

            // The API's answers, queued by operation: no server, no socket, no port.
            let mock = MockTransport::new();
            let _ = mock
                .on::<#marker>()
                .reply(Reply::status(500).body("down for maintenance"));
            let client = Client::builder(#(#args),*)
                .transport(mock.clone())
                .build_blocking()
                .unwrap();

            // The code under test calls the client as in production...
            let error = client.#method().send().unwrap_err();

            // ...and gets what the client makes of the answer.
            assert!(matches!(error, Error::Api(ref api) if api.status().as_u16() == 500));
            // Every request sent is kept (its credentials redacted) to assert on.
            let sent = mock.requests_for::<#marker>();
            assert_eq!(sent.len(), 1);
            assert_eq!(sent[0].method().as_str(), #verb);
        }

        #[cfg(not(all(feature = "testing", feature = "blocking")))]
        fn main() {}
    })
    .map(Some)
}

fn operation_call(api: &Api, op: &Operation, uses: &mut BTreeSet<String>) -> Option<TokenStream> {
    let mut local_uses = BTreeSet::new();
    let mut statements = Vec::new();
    let mut args = Vec::new();
    let ordered = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .chain(
            op.params
                .iter()
                .filter(|p| p.location != ParamLocation::Path),
        );
    // The first optional parameter that has an example value shows how setters read.
    let mut setter = None;
    for param in ordered {
        if !param.required {
            if setter.is_none() {
                if let Some(value) = param_value(api, &param.ty, &mut local_uses) {
                    let name = ident(&param.setter);
                    setter = Some(quote!(.#name(#value)));
                }
            }
            continue;
        }
        let value = param_value(api, &param.ty, &mut local_uses)?;
        args.push(value);
    }
    if let Some(body) = &op.body {
        let value = match &body.media {
            BodyMedia::Json | BodyMedia::Form(_) | BodyMedia::Multipart => {
                owned_value(api, &body.ty, None, 0, &mut local_uses)?
            }
            BodyMedia::Text(_) => quote!("example"),
            BodyMedia::Bytes(_) => quote!(b"example"),
        };
        statements.push(quote!(let body = #value;));
        let body_ref = match &body.media {
            BodyMedia::Json | BodyMedia::Form(_) | BodyMedia::Multipart => quote!(&body),
            BodyMedia::Text(_) | BodyMedia::Bytes(_) => quote!(body),
        };
        args.push(if body.required {
            body_ref
        } else {
            quote!(Some(#body_ref))
        });
    }
    let name = ident(&op.rust_name);
    let result = if op.success == Payload::Empty {
        quote!(client.#name(#(#args),*) #setter.await?;)
    } else {
        quote! {
            let response = client.#name(#(#args),*) #setter.await?;
            println!("{response:?}");
        }
    };
    uses.extend(local_uses);
    Some(quote! {
        #(#statements)*
        #result
    })
}

fn param_value(api: &Api, ty: &TypeRef, uses: &mut BTreeSet<String>) -> Option<TokenStream> {
    // A checked value is given plain (`"cus_123"`, `10`), and checked by the call.
    if let TypeRef::Checked(checked) = api.resolve(ty) {
        return Some(checked_example(api, checked, type_example(api, ty)));
    }
    match ty {
        TypeRef::String => Some(quote!("example")),
        TypeRef::Vec(inner) => {
            let item = owned_value(api, inner, None, 0, uses)?;
            Some(quote!(&[#item]))
        }
        ty if super::client::by_reference(api, ty) => {
            let value = owned_value(api, ty, None, 0, uses)?;
            Some(quote!(&#value))
        }
        _ => owned_value(api, ty, None, 0, uses),
    }
}

/// An expression of exactly type `ty`.
fn owned_value(
    api: &Api,
    ty: &TypeRef,
    example: Option<&Value>,
    depth: usize,
    uses: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match ty {
        TypeRef::String => {
            let text = example.and_then(Value::as_str).unwrap_or("example");
            quote!(#text.to_owned())
        }
        TypeRef::Bool => {
            let value = example.and_then(Value::as_bool).unwrap_or(false);
            quote!(#value)
        }
        TypeRef::I32 | TypeRef::I64 => {
            let value = example.and_then(Value::as_i64).unwrap_or(1);
            let literal = super::integer_literal(value);
            quote!(#literal)
        }
        TypeRef::F32 | TypeRef::F64 => {
            let value = example.and_then(Value::as_f64).unwrap_or(1.0);
            let literal = super::float_literal(value);
            quote!(#literal)
        }
        TypeRef::DateTime => match api.date_time {
            DateTimeCrate::Time => quote!(::time::OffsetDateTime::UNIX_EPOCH),
            DateTimeCrate::Chrono => quote!(::chrono::DateTime::<::chrono::Utc>::default()),
        },
        // Built by the user's crate, in ways the description does not know.
        TypeRef::External(_) => return None,
        TypeRef::Json => quote!(::serde_json::json!({})),
        TypeRef::Bytes => quote!(::std::vec::Vec::<u8>::new()),
        TypeRef::File => {
            uses.insert(FILE_PART.to_owned());
            quote!(FilePart::new(b"example".to_vec()))
        }
        TypeRef::MultipartForm => {
            uses.insert(FILE_PART.to_owned());
            uses.insert(MULTIPART_FORM.to_owned());
            quote!(MultipartForm::new().file("file", FilePart::new(b"example".to_vec())))
        }
        TypeRef::Map(_) => quote!(::std::collections::BTreeMap::new()),
        TypeRef::Nullable(inner) => {
            let value = owned_value(api, inner, example, depth + 1, uses)?;
            quote!(::std::option::Option::Some(#value))
        }
        TypeRef::Vec(inner) => {
            let items: Vec<TokenStream> = match example.and_then(Value::as_array) {
                Some(values) if !values.is_empty() => values
                    .iter()
                    .map(|v| owned_value(api, inner, Some(v), depth + 1, uses))
                    .collect::<Option<_>>()?,
                _ => vec![owned_value(api, inner, None, depth + 1, uses)?],
            };
            quote!(vec![#(#items),*])
        }
        TypeRef::Named(id) if api.types[id.0].kind == TypeKind::Untyped => {
            quote!(::serde_json::json!({}))
        }
        TypeRef::Checked(checked) => {
            let ty = super::type_tokens(api, &TypeRef::Checked(checked.clone()));
            let value = checked_example(api, checked, example);
            quote!(<#ty>::new(#value)?)
        }
        TypeRef::OrUnknown(id) | TypeRef::Named(id) => {
            let def = &api.types[id.0];
            let example = example.or(def.example.as_ref());
            // A type of the top of `types` is imported; an operation's own by its path.
            let name = if def.module.is_some() {
                super::type_path(api, *id)
            } else {
                uses.insert(def.name.clone());
                let name = ident(&def.name);
                quote!(#name)
            };
            // Another name for a type is built as that type.
            let kind = match &def.kind {
                TypeKind::Alias(TypeRef::Named(target)) => &api.types[target.0].kind,
                kind => kind,
            };
            match kind {
                TypeKind::Alias(TypeRef::Checked(checked)) => {
                    let value = checked_example(api, checked, example);
                    quote!(#name::new(#value)?)
                }
                TypeKind::Enum(e) => {
                    let variant = e
                        .variants
                        .iter()
                        .find(|v| example.is_some_and(|x| enum_matches(&v.wire, x)))
                        .or_else(|| e.variants.first())?;
                    let variant = ident(&variant.rust_name);
                    quote!(#name::#variant)
                }
                TypeKind::Struct(s) => builder_chain(api, &name, s, depth, uses)?,
                TypeKind::Responses(_)
                | TypeKind::Errors(_)
                | TypeKind::Events(_)
                | TypeKind::Alias(_)
                | TypeKind::StringRule(_)
                | TypeKind::NumberRule(_)
                | TypeKind::Untyped => return None,
                TypeKind::Union(union) => {
                    let first = union.variants.first()?;
                    let variant = ident(&first.rust_name);
                    let value = owned_value(api, &first.ty, None, depth + 1, uses)?;
                    let value = if super::types::boxed_variant(api, &first.ty) {
                        quote!(::std::boxed::Box::new(#value))
                    } else {
                        value
                    };
                    quote!(#name::#variant(#value))
                }
            }
        }
    })
}

/// `Type::builder().field(value)....build()?`, setting the required fields and the optional
/// ones the spec gives an example for.
fn builder_chain(
    api: &Api,
    name: &TokenStream,
    s: &Struct,
    depth: usize,
    uses: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    s.builder.as_ref()?;
    let mut setters = Vec::new();
    for field in &s.fields {
        let field_example = field
            .example
            .as_ref()
            .or_else(|| type_example(api, &field.ty));
        if !field.required && field_example.is_none() {
            continue;
        }
        let setter = ident(field.setter.as_deref()?);
        // String-like fields take a literal; the builder checks it.
        let value = match &field.ty {
            TypeRef::String => {
                let text = field_example.and_then(Value::as_str).unwrap_or("example");
                quote!(#text)
            }
            ty if matches!(api.resolve(ty), TypeRef::Checked(checked) if !checked.is_number()) => {
                let text = field_example
                    .or_else(|| type_example(api, ty))
                    .and_then(Value::as_str)
                    .unwrap_or("example");
                quote!(#text)
            }
            ty => owned_value(api, ty, field_example, depth + 1, uses)?,
        };
        setters.push(quote!(.#setter(#value)));
    }
    Some(quote!(#name::builder() #(#setters)* .build()?))
}

fn enum_matches(wire: &EnumValue, example: &Value) -> bool {
    match wire {
        EnumValue::String(s) => example.as_str() == Some(s),
        EnumValue::Integer(n) => example.as_i64() == Some(*n),
    }
}

/// A value for a checked value's `new`: its example, else one inside its rules.
fn checked_example(api: &Api, checked: &Checked, example: Option<&Value>) -> TokenStream {
    match checked {
        Checked::Length { .. } | Checked::Uri { .. } | Checked::Pattern(_) => {
            let fallback = if matches!(checked, Checked::Uri { .. }) {
                "https://example.com/"
            } else {
                "example"
            };
            let text = example.and_then(Value::as_str).unwrap_or(fallback);
            quote!(#text)
        }
        Checked::Integer {
            min,
            max,
            multiple_of,
            ..
        } => {
            let inside = min.or(*max).unwrap_or(0);
            let value = example.and_then(Value::as_i64).unwrap_or(inside);
            let value = match multiple_of {
                Some(factor) if *factor != 0 => value.div_euclid(*factor) * factor,
                _ => value,
            };
            super::integer_literal(value)
        }
        Checked::Float { rule, .. } => {
            let inside = match &api.types[rule.0].kind {
                TypeKind::NumberRule(rules) => match (rules.minimum, rules.maximum) {
                    (Some(min), _) if min.exclusive => min.value + 1.0,
                    (Some(min), _) => min.value,
                    (None, Some(max)) if max.exclusive => max.value - 1.0,
                    (None, Some(max)) => max.value,
                    (None, None) => 0.0,
                },
                _ => 0.0,
            };
            super::float_literal(example.and_then(Value::as_f64).unwrap_or(inside))
        }
    }
}

/// The example a named type carries, for fields that have none of their own.
fn type_example<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a Value> {
    match ty {
        TypeRef::Named(id) | TypeRef::OrUnknown(id) => api.types[id.0].example.as_ref(),
        _ => None,
    }
}
