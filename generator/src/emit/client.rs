//! Emitting the `Client`: its construction, and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::model::{
    Api, BodyMedia, CursorSource, FormField, NextPage, Operation, Pager, ParamEncoding,
    ParamLocation, Parameter, PathStyle, Payload, Placement, ResponseCase, StreamFraming, TypeId,
    TypeKind, TypeRef,
};

/// The constructor arguments for the default credentials, their names, and how the builder
/// stores them.
pub(crate) struct CredentialArgs {
    pub declared: Vec<TokenStream>,
    pub passed: Vec<TokenStream>,
    pub stored: Vec<TokenStream>,
    pub docs: Vec<String>,
}

pub(crate) fn credential_args(api: &Api) -> CredentialArgs {
    let mut args = CredentialArgs {
        declared: Vec::new(),
        passed: Vec::new(),
        stored: Vec::new(),
        docs: Vec::new(),
    };
    for &index in &api.default_credentials {
        let credential = &api.credentials[index];
        let slot = proc_macro2::Literal::usize_unsuffixed(index);
        // Paragraphs as sentences: "Client ID" and "Sent in the ... header." read as two.
        let summary = credential
            .docs
            .paragraphs
            .iter()
            .map(|paragraph| sentence(&docs::markdown_safe(paragraph)))
            .collect::<Vec<_>>()
            .join(" ");
        match credential.args.as_slice() {
            [id_arg, secret_arg] if credential.token_flow.is_some() => {
                let id = ident(id_arg);
                let secret = ident(secret_arg);
                args.declared
                    .push(quote!(#id: impl ::std::convert::Into<::std::string::String>));
                args.declared
                    .push(quote!(#secret: impl ::std::convert::Into<crate::SecretString>));
                args.passed.push(quote!(#id));
                args.passed.push(quote!(#secret));
                args.stored.push(quote!(.client_credentials(
                    #slot,
                    crate::ClientCredentials::new(#id, #secret),
                )));
                args.docs.push(format!(
                    "- `{}`, `{}`: the client id and secret of `{}`. {summary}",
                    plain(id_arg),
                    plain(secret_arg),
                    credential.scheme,
                ));
            }
            [username_arg, password_arg] => {
                let username = ident(username_arg);
                let password = ident(password_arg);
                args.declared
                    .push(quote!(#username: impl ::std::convert::Into<::std::string::String>));
                args.declared
                    .push(quote!(#password: impl ::std::convert::Into<crate::SecretString>));
                args.passed.push(quote!(#username));
                args.passed.push(quote!(#password));
                args.stored
                    .push(quote!(.basic(#slot, #username.into(), #password.into())));
                args.docs.push(format!(
                    "- `{}`, `{}`: {summary}",
                    plain(username_arg),
                    plain(password_arg)
                ));
            }
            [] => args
                .docs
                .push(format!("- `{}`: {summary}", credential.scheme)),
            secret => {
                for secret_arg in secret {
                    let name = ident(secret_arg);
                    args.declared
                        .push(quote!(#name: impl ::std::convert::Into<crate::SecretString>));
                    args.passed.push(quote!(#name));
                    args.stored.push(quote!(.secret(#slot, #name.into())));
                    args.docs
                        .push(format!("- `{}`: {summary}", plain(secret_arg)));
                }
            }
        }
    }
    args
}

/// A paragraph on one line, ending as a sentence does (a title such as "Client ID" gets its
/// full stop).
fn sentence(paragraph: &str) -> String {
    let mut text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.ends_with(['.', '!', '?', ':', ')', '`']) {
        text.push('.');
    }
    text
}

/// A name as prose shows it: without the `r#` of a raw identifier.
fn plain(name: &str) -> &str {
    name.trim_start_matches("r#")
}

/// The schemes the runtime needs to know: name and placement, by index.
fn schemes(api: &Api) -> TokenStream {
    let schemes = api.credentials.iter().map(|c| {
        let name = &c.scheme;
        let placement = match &c.placement {
            Placement::Header(header) => quote!(crate::runtime::auth::Placement::Header(#header)),
            Placement::Query(query) => quote!(crate::runtime::auth::Placement::Query(#query)),
            Placement::Cookie(cookie) => quote!(crate::runtime::auth::Placement::Cookie(#cookie)),
            Placement::Bearer => match &c.token_flow {
                Some(flow) => {
                    let token_url = &flow.token_url;
                    let refresh_url = match &flow.refresh_url {
                        Some(url) => quote!(::std::option::Option::Some(#url)),
                        None => quote!(::std::option::Option::None),
                    };
                    quote!(crate::runtime::auth::Placement::OAuth2 {
                        token_url: #token_url,
                        refresh_url: #refresh_url,
                    })
                }
                None => quote!(crate::runtime::auth::Placement::Bearer),
            },
            Placement::Basic => quote!(crate::runtime::auth::Placement::Basic),
            Placement::Authorization(_) => quote!(crate::runtime::auth::Placement::Authorization),
            Placement::Transport => quote!(crate::runtime::auth::Placement::Transport),
        };
        quote!(crate::runtime::auth::Scheme { name: #name, placement: #placement })
    });
    quote! {
        /// The API description's security schemes, in the order operations refer to them.
        static SCHEMES: &[crate::runtime::auth::Scheme] = &[#(#schemes),*];
    }
}

/// A builder method per credential, for the ones `Client::new` does not take (alternative
/// schemes, optional ones) and to replace those it does.
fn credential_setters(api: &Api) -> Vec<TokenStream> {
    api.credentials
        .iter()
        .enumerate()
        // TLS client authentication is the HTTP client's: nothing to set.
        .filter(|(_, credential)| credential.placement != Placement::Transport)
        .map(|(index, credential)| {
            let slot = proc_macro2::Literal::usize_unsuffixed(index);
            let name = ident(&credential.rust_name);
            let doc = docs::attrs(&credential.docs);
            if credential.placement == Placement::Basic {
                quote! {
                    #doc
                    pub fn #name(
                        self,
                        username: impl ::std::convert::Into<::std::string::String>,
                        password: impl ::std::convert::Into<crate::SecretString>,
                    ) -> Self {
                        self.basic(#slot, username.into(), password.into())
                    }
                }
            } else {
                let client_credentials = credential.token_flow.as_ref().map(|flow| {
                    let setter = ident(&flow.setter);
                    let doc = docs::lines_to_attrs(&[
                        format!(
                            "The client credentials of `{}`: the client fetches its access tokens \
                             from the token endpoint (`{}`, unless",
                            credential.scheme,
                            flow.token_url,
                        ),
                        "[`ClientCredentials::token_url`](crate::ClientCredentials::token_url) \
                         says otherwise), keeps each until shortly before it expires, and renews it"
                            .to_owned(),
                        "then, or once when the API answers `401`. The client secret goes only to \
                         the token endpoint."
                            .to_owned(),
                        String::new(),
                        "Replaces a token given for this scheme.".to_owned(),
                    ]);
                    quote! {
                        #doc
                        pub fn #setter(self, credentials: crate::ClientCredentials) -> Self {
                            self.client_credentials(#slot, credentials)
                        }
                    }
                });
                let replaces = credential.token_flow.as_ref().map(|_| {
                    quote! {
                        ///
                        /// An access token you obtained, sent as it is (never renewed): replaces
                        /// client credentials given for this scheme.
                    }
                });
                quote! {
                    #doc
                    #replaces
                    pub fn #name(self, value: impl ::std::convert::Into<crate::SecretString>) -> Self {
                        self.secret(#slot, value.into())
                    }
                    #client_credentials
                }
            }
        })
        .collect()
}

/// The client module, but for the operations' methods ([`methods`]).
pub(crate) fn module(api: &Api) -> TokenStream {
    let title = super::api_name(&api.title);
    let struct_doc = format!(" Client for the {title}.");
    let CredentialArgs {
        declared: credential_args,
        passed: credential_names,
        stored: credential_entries,
        docs: credential_docs,
    } = credential_args(api);
    let mut args_doc = Vec::new();
    if !credential_docs.is_empty() {
        args_doc.push(String::new());
        args_doc.extend(credential_docs);
    }
    let (base_const, base_arg, base_name, base_value, target) = match &api.default_base_url {
        Some(url) => (
            quote! {
                /// The API's server, from the API description's `servers`.
                pub const DEFAULT_BASE_URL: &'static str = #url;
            },
            quote!(),
            quote!(),
            quote!(::std::option::Option::Some(Self::DEFAULT_BASE_URL)),
            "[`Self::DEFAULT_BASE_URL`]",
        ),
        None => (
            quote!(),
            quote!(base_url: &str,),
            quote!(base_url,),
            quote!(::std::option::Option::Some(base_url)),
            "`base_url`",
        ),
    };
    let with_credentials = if api.default_credentials.is_empty() {
        ""
    } else {
        " with these credentials"
    };
    let mut builder_doc = vec![format!(
        "A [`ClientBuilder`](crate::ClientBuilder) for {target}{with_credentials}, to set \
         timeouts, retries, headers or your own `reqwest::Client` before `build()`."
    )];
    builder_doc.extend(args_doc.iter().cloned());
    let builder_doc = docs::lines_to_attrs(&builder_doc);
    let mut new_doc = vec![format!(
        "A client for {target}{with_credentials} and the default configuration \
         (see [`ClientBuilder`](crate::ClientBuilder))."
    )];
    new_doc.extend(args_doc);
    new_doc.extend(
        [
            "",
            "# Errors",
            "",
            "A [`ConfigError`](crate::ConfigError) for a credential that cannot be sent in a",
            "header, or when the HTTP client cannot be built.",
        ]
        .map(str::to_owned),
    );
    let new_doc = docs::lines_to_attrs(&new_doc);
    let module_doc = format!(" The client for the {title}.");
    let schemes = schemes(api);
    let setters = credential_setters(api);
    // Schemes with nothing to set on the builder are described where the client is.
    let mut transport_lines = Vec::new();
    for credential in api
        .credentials
        .iter()
        .filter(|c| c.placement == Placement::Transport)
    {
        let how = credential.docs.paragraphs.last().map_or("", String::as_str);
        transport_lines.push(String::new());
        transport_lines.push(docs::markdown_safe(&format!(
            "The `{}` scheme: {how}",
            credential.scheme
        )));
    }
    let transport_docs = docs::lines_to_attrs(&transport_lines);
    // What every operation's method names, imported once.
    let uses = (!api.operations.is_empty()).then(|| {
        quote!(
            use crate::operations as ops;
            use crate::runtime::transport::{Operation, RequestParts};
        )
    });
    quote! {
        #![doc = #module_doc]
        // Parameter names are the API description's: `shelf` next to `self` is not ours to fix.
        // One argument per required parameter, as the API description lists them: clippy's
        // limit of seven is a style choice the description made for us.
        #![allow(clippy::similar_names, clippy::too_many_arguments)]

        #uses

        #[doc = #struct_doc]
        ///
        /// Cheap to clone: clones share one connection pool. Credentials are kept as sensitive
        /// header values and never appear in `Debug` output, errors or logs.
        #transport_docs
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: crate::runtime::transport::Transport,
        }

        impl Client {
            #base_const

            #new_doc
            pub fn new(#base_arg #(#credential_args),*) -> ::std::result::Result<Self, crate::ConfigError> {
                Self::builder(#base_name #(#credential_names),*).build()
            }

            #builder_doc
            pub fn builder(#base_arg #(#credential_args),*) -> crate::ClientBuilder {
                crate::ClientBuilder::new(
                    #base_value,
                    ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION")),
                    SCHEMES,
                )
                #(#credential_entries)*
            }

            /// The same client sending to `base_url` instead (a proxy, a mock server, a test
            /// server). A path in it is kept: `http://127.0.0.1:8080/proxy` serves
            /// `http://127.0.0.1:8080/proxy/<operation path>`.
            ///
            /// # Errors
            ///
            /// A [`ConfigError`](crate::ConfigError) when `base_url` is not an absolute `http`
            /// or `https` URL without query or fragment.
            pub fn with_base_url(&self, base_url: &str) -> ::std::result::Result<Self, crate::ConfigError> {
                ::std::result::Result::Ok(Self {
                    transport: self.transport.with_base_url(base_url)?,
                })
            }

            /// The same client (sharing its connections) with another retry policy: for one
            /// call, `client.with_retry_policy(policy).operation(..)`, or for a scope.
            #[must_use]
            pub fn with_retry_policy(&self, retry: crate::RetryPolicy) -> Self {
                Self {
                    transport: self.transport.with_retry_policy(retry),
                }
            }

            /// The base URL requests are sent to, without a trailing slash.
            #[must_use]
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            /// The retry policy calls use.
            #[must_use]
            pub fn retry_policy(&self) -> &crate::RetryPolicy {
                self.transport.retry_policy()
            }
        }

        #schemes

        impl crate::ClientBuilder {
            #(#setters)*

            /// Checks the configuration and builds the [`Client`].
            ///
            /// # Errors
            ///
            /// A [`ConfigError`](crate::ConfigError) naming the setting: a missing or bad base
            /// URL, a header or credential that cannot be sent, an HTTP client that cannot be
            /// built (its TLS backend failed to start).
            pub fn build(self) -> ::std::result::Result<Client, crate::ConfigError> {
                ::std::result::Result::Ok(Client {
                    transport: self.build_transport()?,
                })
            }
        }
    }
}

/// The methods of `ops` (one cargo feature's operations, which [`super::feature_groups`]
/// gives): one `impl` block, after the module [`module`] writes.
pub(crate) fn methods(api: &Api, ops: &[&Operation]) -> TokenStream {
    let methods = ops.iter().map(|op| operation(api, op));
    let setters = ops.iter().filter_map(|op| setters(api, op));
    let pagers = ops
        .iter()
        .filter_map(|op| op.pager.as_ref().map(|pager| pager_methods(api, op, pager)));
    quote! {
        impl Client {
            #(#methods)*
        }
        #(#setters)*
        #(#pagers)*
    }
}

/// The types naming `ops`' calls (one cargo feature's operations), in the crate's
/// `operations` module.
pub(crate) fn markers(api: &Api, ops: &[&Operation]) -> TokenStream {
    let markers = ops.iter().map(|op| {
        let name = ident(&op.marker);
        let id = &op.id;
        let output = super::payload_type_with(api, &op.success, &op.error);
        let plain = op.rust_name.trim_start_matches("r#");
        let doc = format!(
            " Names the calls of [`Client::{plain}`](crate::Client::{plain}): the setters of \
             its optional parameters are on `Call<'_, _, _, {}>`.",
            op.marker
        );
        // What the test double (feature `testing`) knows of it: its id, and the type its
        // replies are written in.
        quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub enum #name {}
            #[cfg(feature = "testing")]
            impl crate::testing::Operation for #name {
                const ID: &'static str = #id;
                type Output = #output;
            }
        }
    });
    quote!(#(#markers)*)
}

/// The type naming an operation's calls, as the client modules name it (`crate::operations`
/// imported as `ops`: no type of the crate is named from these modules without its path).
pub(crate) fn marker_path(op: &Operation) -> TokenStream {
    let name = ident(&op.marker);
    quote!(ops::#name)
}

/// The setters of an operation's optional parameters, on its calls (async and blocking
/// alike): one `impl` block, or none for an operation without optional parameters.
fn setters(api: &Api, op: &Operation) -> Option<TokenStream> {
    let optional: Vec<&Parameter> = op.params.iter().filter(|p| !p.required).collect();
    if optional.is_empty() {
        return None;
    }
    let marker = marker_path(op);
    let setters = optional.iter().map(|param| {
        let name = ident(&param.setter);
        let wire = &param.wire_name;
        let ty = param_type(api, param);
        let mut lines = docs::lines(&param.docs);
        if param.setter.trim_start_matches("r#") != param.wire_name {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!(
                "Sets the {} parameter `{}`.",
                location_word(param.location),
                param.wire_name
            ));
        }
        if param.idempotency_key {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(
                "An idempotency key: unless one is set here, the client sends one of its own (a \
                 random UUID), one per call and the same on every retry of it, and may retry \
                 the call whatever its method."
                    .to_owned(),
            );
        }
        let doc = docs::lines_to_attrs(&lines);
        let checked = checked_scalar(api, param);
        let scalar = param.encoding == ParamEncoding::Scalar;
        // The common shapes through the runtime's helpers: one line each.
        let body = match param.location {
            ParamLocation::Query if scalar && checked => {
                quote!(crate::runtime::call::checked_query(self, #wire, value))
            }
            ParamLocation::Query if scalar && !param.is_timestamp() => {
                quote!(crate::runtime::call::query(self, #wire, value))
            }
            ParamLocation::Header if scalar && param.ty == TypeRef::String => {
                quote!(crate::runtime::call::header(self, #wire, value))
            }
            _ => {
                let check = conversion(api, param, &ident("value"));
                let set = parameter_statements(param, &quote!(value));
                quote! {
                    crate::runtime::call::set(self, #wire, |parts_| {
                        #check
                        #set
                        ::std::result::Result::Ok(())
                    })
                }
            }
        };
        quote! {
            #doc
            pub fn #name(self, value: #ty) -> Self {
                #body
            }
        }
    });
    Some(quote! {
        impl<T, E, M> crate::call::Call<'_, T, E, #marker, M> {
            #(#setters)*
        }
    })
}

/// How prose names a parameter's place in the request.
fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The parameters of an operation's method, in order: path parameters, then the others,
/// then the body.
pub(crate) fn arguments(api: &Api, op: &Operation) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let path_params = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path);
    let other_params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && p.required);
    let mut declared = Vec::new();
    let mut passed = Vec::new();
    for param in path_params.chain(other_params) {
        let param_name = ident(&param.rust_name);
        let ty = param_type(api, param);
        declared.push(quote!(#param_name: #ty));
        passed.push(quote!(#param_name));
    }
    if let Some(body) = &op.body {
        let ty = match &body.media {
            BodyMedia::Json | BodyMedia::Form(_) | BodyMedia::Multipart => {
                let ty = type_tokens(api, &body.ty);
                quote!(&#ty)
            }
            BodyMedia::Text(_) => quote!(&str),
            // Bytes as they are, or a stream; an optional one as the type itself, so that
            // `None` needs no annotation.
            BodyMedia::Bytes(_) if body.required => {
                quote!(impl ::std::convert::Into<crate::Upload>)
            }
            BodyMedia::Bytes(_) => quote!(crate::Upload),
        };
        if body.required {
            declared.push(quote!(body: #ty));
        } else {
            declared.push(quote!(body: ::std::option::Option<#ty>));
        }
        passed.push(quote!(body));
    }
    (declared, passed)
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let mut doc_lines = docs::lines(&op.docs);
    if let Some(name) = error_enum_name(api, op) {
        doc_lines.push(String::new());
        doc_lines.push(format!(
            "Error bodies decode by status as [`{name}`](crate::types::{name})."
        ));
    }
    for param in op
        .params
        .iter()
        .filter(|p| p.required && crate::naming::differs_from_wire(&p.rust_name, &p.wire_name))
    {
        doc_lines.push(String::new());
        doc_lines.push(format!(
            "`{}` is the {} parameter `{}`.",
            param.rust_name.trim_start_matches("r#"),
            location_word(param.location),
            param.wire_name
        ));
    }
    let optional: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("`{}`", p.setter.trim_start_matches("r#")))
        .collect();
    if !optional.is_empty() {
        doc_lines.push(String::new());
        doc_lines.push(format!(
            "Optional parameters are set on the call before it is awaited, one method each: {}.",
            optional.join(", ")
        ));
    }
    if op.pager.is_some() {
        doc_lines.push(String::new());
        doc_lines.push(
            "A list: `.pages()` on the call walks its pages, `.items()` their items.".to_owned(),
        );
    }
    let doc = docs::lines_to_attrs(&doc_lines);
    let (args, _) = arguments(api, op);
    let operation_static = operation_static(api, op);
    let build = request_statements(api, op);
    let output = super::payload_type_with(api, &op.success, &op.error);
    let call_type = call_type(api, op, &output);
    // The request is built (and its values checked) when the method is called; the call
    // sends it when awaited.
    let (helper, receive) = match &op.success {
        Payload::Empty => (quote!(call_empty), quote!()),
        Payload::Json(_) => (quote!(call_json), quote!()),
        Payload::Text => (quote!(call_text), quote!()),
        Payload::Bytes => (
            quote!(call_live),
            quote!(crate::runtime::streaming::bytes_stream,),
        ),
        Payload::Events(None) => (
            quote!(call_live),
            quote!(crate::runtime::streaming::events,),
        ),
        Payload::Events(Some(_)) => (
            quote!(call_live),
            quote!(crate::runtime::streaming::typed_events,),
        ),
        Payload::JsonStream(_, StreamFraming::Lines) => (
            quote!(call_live),
            quote!(crate::runtime::streaming::json_lines,),
        ),
        Payload::JsonStream(_, StreamFraming::Records) => (
            quote!(call_live),
            quote!(crate::runtime::streaming::json_records,),
        ),
        Payload::Several(id) => {
            let decode = several(api, *id);
            (quote!(call_raw), quote!(#decode,))
        }
    };

    // A request with a value that may be refused is built in a closure, so that `?` ends it.
    let (build, parts) = if fallible(&build) {
        (
            quote! {
                let parts_ = crate::runtime::transport::build(|| {
                    #build
                    ::std::result::Result::Ok(parts_)
                });
            },
            quote!(parts_),
        )
    } else {
        (build, quote!(::std::result::Result::Ok(parts_)))
    };
    quote! {
        #doc
                pub fn #name(&self, #(#args),*) -> #call_type {
            #operation_static
            #build
            self.transport.#helper(&OPERATION, #receive #parts)
        }
    }
}

/// Whether statements use `?`: building the request can refuse a value.
fn fallible(statements: &TokenStream) -> bool {
    statements.clone().into_iter().any(|token| match token {
        proc_macro2::TokenTree::Punct(punct) => punct.as_char() == '?',
        proc_macro2::TokenTree::Group(group) => fallible(&group.stream()),
        _ => false,
    })
}

/// The type an operation's method returns: `crate::Call` of its body, with the error body
/// when it is not the crate's default.
fn call_type(api: &Api, op: &Operation, output: &TokenStream) -> TokenStream {
    let body = type_tokens(api, &op.error);
    let marker = marker_path(op);
    quote!(crate::Call<'_, #output, #body, #marker>)
}

/// The `static OPERATION` an operation's requests are sent with, and its error bodies decoded.
fn operation_static(api: &Api, op: &Operation) -> TokenStream {
    let id = &op.id;
    let template = &op.path;
    let accept = &op.accept;
    let method = op.method.as_str();
    let body = type_tokens(api, &op.error);
    let errors = error_decoder(api, op);
    quote! {
        static OPERATION: Operation<#body> = Operation {
            id: #id,
            method: #method,
            path: #template,
            accept: #accept,
            errors: #errors,
        };
    }
}

/// A list operation's `_pages` and `_stream` methods: its first request is the operation's
/// own, the next ones follow the pager's rule.
fn pager_methods(api: &Api, op: &Operation, pager: &Pager) -> TokenStream {
    let plain = op.rust_name.trim_start_matches("r#");
    let page = super::payload_type(api, &op.success);
    let item = type_tokens(api, &pager.item);
    let stream_of = |ty: &TokenStream| {
        if op.error == api.error_body {
            quote!(crate::Paged<#ty>)
        } else {
            let body = type_tokens(api, &op.error);
            quote!(crate::Paged<#ty, #body>)
        }
    };
    let pages_type = stream_of(&page);
    let stream_type = stream_of(&item);
    let error = type_tokens(api, &op.error);
    let marker = marker_path(op);
    let next = match &pager.next {
        NextPage::BodyUrl(pointer) => quote!(crate::runtime::paging::Next::BodyUrl(#pointer)),
        NextPage::LinkHeader => quote!(crate::runtime::paging::Next::LinkHeader),
        NextPage::Cursor {
            parameter,
            cursor,
            has_more,
        } => {
            let cursor = match cursor {
                CursorSource::Pointer(pointer) => {
                    quote!(crate::runtime::paging::Cursor::Pointer(#pointer))
                }
                CursorSource::LastItem { items, property } => quote! {
                    crate::runtime::paging::Cursor::LastItem { items: #items, property: #property }
                },
            };
            let has_more = match has_more {
                Some(pointer) => quote!(::std::option::Option::Some(#pointer)),
                None => quote!(::std::option::Option::None),
            };
            quote! {
                crate::runtime::paging::Next::Cursor {
                    parameter: #parameter,
                    cursor: #cursor,
                    has_more: #has_more,
                }
            }
        }
    };
    let how = match &pager.next {
        NextPage::BodyUrl(pointer) => format!(
            "Each next page is the URL at `{pointer}` of the page before; the last page has none."
        ),
        NextPage::LinkHeader => {
            "Each next page is the `Link` header's `rel=\"next\"` URL; the last page has none."
                .to_owned()
        }
        NextPage::Cursor {
            parameter,
            cursor,
            has_more,
        } => {
            let from = match cursor {
                CursorSource::Pointer(pointer) => {
                    format!("the value at `{pointer}` of the page before")
                }
                CursorSource::LastItem { property, .. } => {
                    format!("the `{property}` of the last item of the page before")
                }
            };
            let until = match has_more {
                Some(pointer) => format!(", while `{pointer}` is true"),
                None => String::new(),
            };
            format!("Each next page is the same request with `{parameter}` set to {from}{until}.")
        }
    };
    let pages_doc = docs::lines_to_attrs(&[
        format!(
            "The pages of [`{plain}`](crate::Client::{plain}), with the parameters set on this call: a stream of the pages, each fetched when the one before has been consumed."
        ),
        String::new(),
        how,
        "A next page's URL is followed only at the base URL's origin: one elsewhere ends the"
            .to_owned(),
        "stream with [`Error::InvalidRequest`](crate::Error), so credentials never leave it; so"
            .to_owned(),
        "does a next page fetched before (a cycle). `max_pages` on the stream".to_owned(),
        "bounds the walk. Every request has the operation's checks, retries and errors; an"
            .to_owned(),
        "error ends the stream.".to_owned(),
    ]);
    let stream_doc = docs::lines_to_attrs(&[
        format!(
            "Every item of every page of [`{plain}`](crate::Client::{plain}), in order: a stream"
        ),
        "fetching each page when the items before are consumed (see [`pages`](Self::pages))."
            .to_owned(),
    ]);
    let blocking_doc = " As the async call's, as an iterator: each `next` blocks the calling \
         thread until the next element is there.";
    let take_items = if pager.items.is_empty() {
        quote!(::std::convert::identity)
    } else {
        let fields: Vec<_> = pager
            .items
            .iter()
            .map(|step| ident(&step.rust_name))
            .collect();
        let unwrap = pager
            .items
            .last()
            .is_some_and(|step| step.optional)
            .then(|| quote!(.unwrap_or_default()));
        quote!(|page: #page| page #(.#fields)* #unwrap)
    };
    quote! {
        impl crate::Call<'_, #page, #error, #marker> {
            #pages_doc
            pub fn pages(self) -> #pages_type {
                static NEXT: crate::runtime::paging::Next = #next;
                crate::runtime::paging::walk(self, &NEXT)
            }

            #stream_doc
            pub fn items(self) -> #stream_type {
                crate::runtime::paging::items(self.pages(), #take_items)
            }
        }

        #[cfg(feature = "blocking")]
        impl<'a> crate::blocking::Call<'a, #page, #error, #marker> {
            #[doc = #blocking_doc]
            pub fn pages(self) -> crate::blocking::Paged<'a, #page, #error> {
                crate::runtime::paging::blocking(self, crate::Call::<#page, #error, #marker>::pages)
            }

            #[doc = #blocking_doc]
            pub fn items(self) -> crate::blocking::Paged<'a, #item, #error> {
                crate::runtime::paging::blocking(self, crate::Call::<#page, #error, #marker>::items)
            }
        }
    }
}

/// The statements that build an operation's request into `parts`: its path, query, headers
/// and body.
fn request_statements(api: &Api, op: &Operation) -> TokenStream {
    let path_params: Vec<&Parameter> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    // The optional parameters are set on the call, by its setters.
    let other_params: Vec<&Parameter> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && p.required)
        .collect();
    let checks = op
        .params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| conversion(api, p, &ident(&p.rust_name)));
    let path = path_expr(api, op, &path_params);
    let security = op.security.iter().map(|set| {
        let set = set
            .iter()
            .map(|&i| proc_macro2::Literal::usize_unsuffixed(i));
        quote!(&[#(#set),*])
    });
    // Each set from its argument: the query's pairs first, then headers and cookies.
    let set = |param: &&Parameter| {
        let name = ident(&param.rust_name);
        parameter_statements(param, &quote!(#name))
    };
    let query = other_params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(set);
    let headers = other_params
        .iter()
        .filter(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie))
        .map(set);
    let body = op.body.as_ref().map(|body| {
        let set = match &body.media {
            BodyMedia::Json => quote!(parts_.json_body(body);),
            BodyMedia::Form(fields) => {
                let fields = fields.iter().map(|field| {
                    let FormField {
                        name,
                        deep,
                        explode,
                        separator,
                    } = field;
                    quote! {
                        crate::runtime::form::FormField {
                            name: #name,
                            deep: #deep,
                            explode: #explode,
                            separator: #separator,
                        }
                    }
                });
                quote!(crate::runtime::form::form_body(&mut parts_, body, &[#(#fields),*])?;)
            }
            BodyMedia::Multipart => quote!(body.to_multipart()?.set_on(&mut parts_)?;),
            BodyMedia::Text(media) => quote!(parts_.raw_body(#media, body.as_bytes().to_vec())?;),
            BodyMedia::Bytes(media) => quote!(parts_.upload_body(#media, body.into())?;),
        };
        if body.required {
            set
        } else {
            quote! {
                if let ::std::option::Option::Some(body) = body {
                    #set
                }
            }
        }
    });
    let mutable = if op.body.is_some()
        || op.params.iter().any(|p| p.idempotency_key)
        || other_params.iter().any(|p| {
            matches!(
                p.location,
                ParamLocation::Header | ParamLocation::Cookie | ParamLocation::Query
            )
        }) {
        quote!(mut)
    } else {
        quote!()
    };
    // An idempotency key: one per call, made here so that every retry sends the same one
    // (a key the caller gives replaces it); the call may then be retried whatever its method.
    let key = op.params.iter().find(|p| p.idempotency_key).map(|param| {
        let wire = &param.wire_name;
        let make = !param.required;
        quote!(parts_.idempotency_key(#wire, #make);)
    });
    quote! {
        #(#checks)*
        #path
        let #mutable parts_ = RequestParts::new(path_, &[#(#security),*]);
        #key
        #(#query)*
        #(#headers)*
        #body
    }
}

/// The statements adding a query, header or cookie parameter whose value is the expression
/// `value` (the method's argument, or a setter's) to `parts`.
fn parameter_statements(param: &Parameter, value: &TokenStream) -> TokenStream {
    let wire = &param.wire_name;
    let setter = match param.location {
        ParamLocation::Query | ParamLocation::Path => return query_statement(param, value),
        ParamLocation::Cookie => quote!(cookie),
        ParamLocation::Header => quote!(header),
    };
    let text = text_ref(param, value);
    quote!(parts_.#setter(#wire, #text)?;)
}

/// The name of an operation's enum of error responses, when its error bodies differ by status.
fn error_enum_name(api: &Api, op: &Operation) -> Option<String> {
    match &op.error {
        TypeRef::Named(id) if op.error.error_enum(&api.types).is_some() => Some(api.type_path(*id)),
        _ => None,
    }
}

/// How an operation's error responses decode: its enum's `from_response` when they differ
/// by status, else the JSON decoder for the type they share.
fn error_decoder(api: &Api, op: &Operation) -> TokenStream {
    if op.error.error_enum(&api.types).is_some() {
        let path = type_tokens(api, &op.error);
        return quote!(#path::from_response);
    }
    let body = type_tokens(api, &op.error);
    quote!(crate::runtime::error::json_error::<#body>)
}

/// The function decoding a response whose body depends on its status: the case for the
/// status, else the `2XX` case, else the first.
fn several(api: &Api, id: TypeId) -> TokenStream {
    let def = &api.types[id.0];
    let TypeKind::Responses(cases) = &def.kind else {
        return quote!(compile_error!("a response enum that is not one"));
    };
    let name = super::type_path(api, id);
    let decode = |case: &ResponseCase| {
        let variant = ident(&case.rust_name);
        match &case.payload {
            Payload::Empty | Payload::Several(_) => quote!(#name::#variant),
            Payload::Json(_) => quote!(#name::#variant(raw.json()?)),
            // One case of several is read whole: a stream's is text or bytes (lowering).
            Payload::Text | Payload::Events(_) => quote!(#name::#variant(raw.text())),
            Payload::Bytes | Payload::JsonStream(..) => quote!(#name::#variant(raw.bytes())),
        }
    };
    // The `2XX` case, else the first, also takes the statuses no case names.
    let fallback_index = cases
        .iter()
        .position(|case| case.status.is_none())
        .unwrap_or(0);
    let arms = cases.iter().enumerate().filter_map(|(index, case)| {
        let status = proc_macro2::Literal::u16_unsuffixed(case.status?);
        (index != fallback_index).then(|| {
            let body = decode(case);
            quote!(#status => #body,)
        })
    });
    let fallback = cases
        .get(fallback_index)
        .map_or_else(|| quote!(#name::OtherSuccess), decode);
    quote! {
        |raw| {
            let body = match raw.status().as_u16() {
                #(#arms)*
                _ => #fallback,
            };
            ::std::result::Result::Ok(raw.into_response(body))
        }
    }
}

/// The type a parameter's value is given as (to the method, or to its setter).
fn param_type(api: &Api, param: &Parameter) -> TokenStream {
    if checked_scalar(api, param) {
        let ty = type_tokens(api, &param.ty);
        return quote!(impl crate::IntoChecked<#ty>);
    }
    match &param.ty {
        TypeRef::String => quote!(&str),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(api, inner);
            quote!(&[#inner])
        }
        // Enumerations and checked numbers are `Copy`; strings and others go by reference.
        ty if by_reference(api, ty) => {
            let ty = type_tokens(api, ty);
            quote!(&#ty)
        }
        other => type_tokens(api, other),
    }
}

/// Whether a parameter is one checked value (a bounded string or number, a URI, a pattern):
/// the method or setter then takes anything that converts into it (`&str`, an integer, the
/// checked type), and checks it when the call is made.
fn checked_scalar(api: &Api, param: &Parameter) -> bool {
    param.encoding == ParamEncoding::Scalar && matches!(api.resolve(&param.ty), TypeRef::Checked(_))
}

/// The statement converting a parameter's value (named `name`) before it is encoded, where it
/// needs one: a checked value into its checked type, a timestamp into its RFC 3339 text; each
/// refused naming the parameter.
fn conversion(api: &Api, param: &Parameter, name: &proc_macro2::Ident) -> Option<TokenStream> {
    let wire = &param.wire_name;
    if checked_scalar(api, param) {
        Some(quote!(let #name = crate::runtime::builder::checked(#wire, #name)?;))
    } else if param.is_timestamp() {
        Some(match api.date_time {
            crate::config::DateTimeCrate::Time => {
                quote!(let #name = crate::runtime::timestamp::text(#wire, #name)?;)
            }
            // Every `chrono` UTC time has an RFC 3339 form.
            crate::config::DateTimeCrate::Chrono => quote! {
                let #name = #name.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true);
            },
        })
    } else {
        None
    }
}

/// Whether a parameter of this type is taken by reference (it is not a small `Copy` value).
pub(crate) fn by_reference(api: &Api, ty: &TypeRef) -> bool {
    match api.resolve(ty) {
        TypeRef::Named(id) => !matches!(api.types[id.0].kind, TypeKind::Enum(_)),
        TypeRef::Checked(checked) => !checked.is_number(),
        TypeRef::Map(_) | TypeRef::Json => true,
        _ => false,
    }
}

/// The path, with path parameters percent-encoded into their places.
fn path_expr(api: &Api, op: &Operation, path_params: &[&Parameter]) -> TokenStream {
    if path_params.is_empty() {
        let path = &op.path;
        return quote!(let path_ = ::std::string::String::from(#path););
    }
    if let Some(values) = plain_segments(api, op, path_params) {
        return quote! {
            let path_ = crate::runtime::transport::fill_path(OPERATION.path, &[#(#values),*]);
        };
    }
    // Each parameter's text is bound first (shadowing the parameter) and named in the format
    // string: prettyplease leaves macro arguments unformatted, and clippy wants them inline.
    let mut format = String::new();
    let mut bound: Vec<&str> = Vec::new();
    let mut lets = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        format.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let wire = &rest[open + 1..close];
        match path_params.iter().find(|p| p.wire_name == wire) {
            Some(param) => {
                format.push('{');
                format.push_str(&param.local);
                format.push('}');
                if !bound.contains(&param.rust_name.as_str()) {
                    bound.push(&param.rust_name);
                    let value = path_value(api, param);
                    let name = ident(&param.local);
                    lets.push(quote!(let #name = #value;));
                }
            }
            None => format.push_str(&rest[open..=close].replace('{', "{{").replace('}', "}}")),
        }
        rest = &rest[close + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    quote! {
        #(#lets)*
        let path_ = ::std::format!(#format);
    }
}

/// The texts of the path's placeholders, in order, when each is a plain segment (a scalar of
/// the `simple` style whose text needs no check): the runtime then fills the template itself.
/// `None` for a placeholder no parameter fills, or one with a style or encoding of its own.
fn plain_segments(
    api: &Api,
    op: &Operation,
    path_params: &[&Parameter],
) -> Option<Vec<TokenStream>> {
    let mut values = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        let wire = &rest[open + 1..close];
        let param = path_params.iter().find(|p| p.wire_name == wire)?;
        if param.path_style != PathStyle::Simple || param.encoding != ParamEncoding::Scalar {
            return None;
        }
        let name = ident(&param.rust_name);
        values.push(match api.resolve(&param.ty) {
            TypeRef::String => quote!(#name),
            // Its RFC 3339 text already (`conversion`).
            TypeRef::DateTime => quote!(#name.as_str()),
            TypeRef::Checked(checked) if !checked.is_number() => quote!(#name.as_str()),
            _ => quote!(&#name.to_string()),
        });
        rest = &rest[close + 1..];
    }
    // A stray brace is left to the general form, which keeps it as written.
    (!rest.contains('}')).then_some(values)
}

/// A path parameter's text in the path: each value percent-encoded, list items joined by the
/// style's separator, behind the style's prefix (`.` for `label`, `;name=` for `matrix`).
fn path_value(api: &Api, param: &Parameter) -> TokenStream {
    let param_name = ident(&param.rust_name);
    let matrix = format!(";{}=", param.wire_name);
    let prefix = match param.path_style {
        PathStyle::Simple => "",
        PathStyle::Label => ".",
        PathStyle::Matrix => &matrix,
    };
    let encoded = match param.encoding {
        ParamEncoding::List { explode, .. } => {
            let separator = match (explode, param.path_style) {
                (true, PathStyle::Label) => ".",
                (true, PathStyle::Matrix) => &matrix,
                _ => ",",
            };
            let item = if matches!(&param.ty, TypeRef::Vec(inner) if **inner == TypeRef::String) {
                quote!(item)
            } else {
                quote!(&item.to_string())
            };
            quote! {
                #param_name
                    .iter()
                    .map(|item| crate::runtime::transport::encode_path_segment(#item))
                    .collect::<::std::vec::Vec<_>>()
                    .join(#separator)
            }
        }
        ParamEncoding::Scalar if param.ty == TypeRef::String => {
            quote!(crate::runtime::transport::encode_path_segment(#param_name))
        }
        // A checked string is text already.
        ParamEncoding::Scalar if matches!(api.resolve(&param.ty), TypeRef::Checked(checked) if !checked.is_number()) =>
        {
            quote!(crate::runtime::transport::encode_path_segment(#param_name.as_str()))
        }
        _ => {
            let text = joined_text(param, &quote!(#param_name));
            quote!(crate::runtime::transport::encode_path_segment(&#text))
        }
    };
    if prefix.is_empty() {
        encoded
    } else {
        quote!(::std::string::String::from(#prefix) + &#encoded)
    }
}

/// The text of a scalar or list parameter `value` (an expression), as an owned `String`.
fn joined_text(param: &Parameter, value: &TokenStream) -> TokenStream {
    match param.encoding {
        ParamEncoding::List { separator, .. } => {
            let separator = separator.to_string();
            quote! {
                #value
                    .iter()
                    .map(::std::string::ToString::to_string)
                    .collect::<::std::vec::Vec<_>>()
                    .join(#separator)
            }
        }
        ParamEncoding::Text { explode } => {
            let wire = &param.wire_name;
            quote!(crate::runtime::transport::value_text(#wire, #explode, &#value)?)
        }
        ParamEncoding::Json => {
            let wire = &param.wire_name;
            quote!(crate::runtime::transport::json_text(#wire, &#value)?)
        }
        // `&str` already: no round trip through `Display`.
        _ if param.ty == TypeRef::String => quote!(#value.to_owned()),
        // Its RFC 3339 text already (`conversion`).
        _ if param.ty == TypeRef::DateTime => quote!(#value),
        _ => quote!(#value.to_string()),
    }
}

/// The same text as a `&str` expression, borrowing where the value is a string already.
fn text_ref(param: &Parameter, value: &TokenStream) -> TokenStream {
    if param.ty == TypeRef::String && param.encoding == ParamEncoding::Scalar {
        value.clone()
    } else if param.is_timestamp() {
        // Its RFC 3339 text already (`conversion`).
        quote!(&#value)
    } else if param.encoding == ParamEncoding::Scalar
        && matches!(&param.ty, TypeRef::Checked(checked) if !checked.is_number())
    {
        // A checked string is text already.
        quote!(#value.as_str())
    } else {
        let text = joined_text(param, value);
        quote!(&#text)
    }
}

/// The statements adding a query parameter whose value is the expression `value` (the
/// method's argument, or a setter's) to `parts`.
fn query_statement(param: &Parameter, value: &TokenStream) -> TokenStream {
    let wire = &param.wire_name;
    match param.encoding {
        // A scalar is its text.
        ParamEncoding::Scalar => quote!(parts_.add_query(#wire, #value);),
        ParamEncoding::List { explode: true, .. } => {
            let item = if matches!(&param.ty, TypeRef::Vec(inner) if **inner == TypeRef::String) {
                quote!(item_.clone())
            } else {
                quote!(item_.to_string())
            };
            quote! {
                for item_ in #value {
                    parts_.push_query(#wire, #item);
                }
            }
        }
        ParamEncoding::Object { deep, explode } => quote! {
            parts_.add_query_value(#wire, #deep, #explode, &#value)?;
        },
        ParamEncoding::Form => quote! {
            parts_.add_query_form(#wire, &#value)?;
        },
        _ => {
            let text = joined_text(param, value);
            quote!(parts_.push_query(#wire, #text);)
        }
    }
}
