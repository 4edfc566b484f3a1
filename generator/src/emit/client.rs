//! Emitting the `Client`: its construction, and one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::model::{Api, Method, Operation, ParamLocation, Parameter, TypeKind, TypeRef};

pub(crate) fn module(api: &Api) -> TokenStream {
    let title = super::api_name(&api.title);
    let struct_doc = format!(" Client for the {title}.");
    let credential_fields = api.credentials.iter().map(|c| {
        let name = ident(&c.rust_name);
        quote!(#name: crate::SecretString,)
    });
    let credential_args = api.credentials.iter().map(|c| {
        let name = ident(&c.rust_name);
        quote!(#name: impl ::std::convert::Into<crate::SecretString>)
    });
    let credential_inits = api.credentials.iter().map(|c| {
        let name = ident(&c.rust_name);
        quote!(#name: #name.into(),)
    });
    let mut new_doc = Vec::new();
    let (base_const, base_arg, base_value) = match &api.default_base_url {
        Some(url) => {
            new_doc.push(
                "Creates a client for [`Self::DEFAULT_BASE_URL`] with these credentials."
                    .to_owned(),
            );
            (
                quote! {
                    /// The API's server, from the API description's `servers`.
                    pub const DEFAULT_BASE_URL: &'static str = #url;
                },
                quote!(),
                quote!(Self::DEFAULT_BASE_URL),
            )
        }
        None => {
            new_doc.push(
                "Creates a client for the server at `base_url` with these credentials.".to_owned(),
            );
            (quote!(), quote!(base_url: &str,), quote!(base_url))
        }
    };
    if !api.credentials.is_empty() {
        new_doc.push(String::new());
        for credential in &api.credentials {
            new_doc.push(format!(
                "- `{}`: {}",
                credential.rust_name,
                docs::lines(&credential.docs)
                    .into_iter()
                    .filter(|line| !line.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    }
    new_doc.extend(
        [
            "",
            "# Errors",
            "",
            "[`Error::Transport`](crate::Error) when the HTTP client cannot be built (its TLS",
            "backend failed to start), [`Error::InvalidRequest`](crate::Error) for a bad base URL.",
        ]
        .map(str::to_owned),
    );
    let new_doc = docs::lines_to_attrs(&new_doc);
    let operations = api.operations.iter().map(|op| operation(api, op));
    let module_doc = format!(" The client for the {title}.");
    quote! {
        #![doc = #module_doc]

        #[doc = #struct_doc]
        ///
        /// Cheap to clone: clones share one connection pool. Credentials are kept in
        /// [`SecretString`](crate::SecretString)s and never appear in `Debug` output.
        #[derive(Debug, Clone)]
        #[allow(clippy::struct_field_names)] // Credential fields are named after the spec's schemes.
        pub struct Client {
            transport: crate::transport::Transport,
            #(#credential_fields)*
        }

        impl Client {
            #base_const

            #new_doc
            pub fn new(#base_arg #(#credential_args),*) -> ::std::result::Result<Self, crate::Error> {
                let http = ::reqwest::Client::builder()
                    .user_agent(::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(crate::Error::Transport)?;
                ::std::result::Result::Ok(Self {
                    transport: crate::transport::Transport::new(http, #base_value)?,
                    #(#credential_inits)*
                })
            }

            /// Sends requests to `base_url` instead (a proxy, a mock server, a test server).
            /// A path in it is kept: `http://127.0.0.1:8080/proxy` serves
            /// `http://127.0.0.1:8080/proxy/<operation path>`.
            ///
            /// # Errors
            ///
            /// When `base_url` is not an absolute `http` or `https` URL without query or fragment.
            pub fn with_base_url(mut self, base_url: &str) -> ::std::result::Result<Self, crate::ValidationError> {
                self.transport.set_base_url(base_url)?;
                ::std::result::Result::Ok(self)
            }

            /// Sends requests through `http` (your own timeouts, proxies, middleware).
            #[must_use]
            pub fn with_http_client(mut self, http: ::reqwest::Client) -> Self {
                self.transport.set_http_client(http);
                self
            }

            /// The base URL requests are sent to, without a trailing slash.
            #[must_use]
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            #(#operations)*
        }
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let mut doc_lines = docs::lines(&op.docs);
    doc_lines.extend(
        [
            "",
            "# Errors",
            "",
            "[`Error::Api`](crate::Error) for a status that is not a success (with the parsed",
            "error body where it has the documented shape), [`Error::Decode`](crate::Error) for a",
            "success body that is not the documented type, [`Error::Transport`](crate::Error)",
            "when no response arrived, [`Error::InvalidRequest`](crate::Error) for a value refused",
            "before sending.",
        ]
        .map(str::to_owned),
    );
    let doc = docs::lines_to_attrs(&doc_lines);

    let path_params: Vec<&Parameter> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let other_params: Vec<&Parameter> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    let mut args = Vec::new();
    for param in path_params.iter().chain(&other_params) {
        let param_name = ident(&param.rust_name);
        let ty = param_type(api, param);
        args.push(quote!(#param_name: #ty));
    }
    if let Some(body) = &op.body {
        let ty = type_tokens(api, &body.ty);
        if body.required {
            args.push(quote!(body: &#ty));
        } else {
            args.push(quote!(body: ::std::option::Option<&#ty>));
        }
    }

    let path = path_expr(op, &path_params);
    let method = method_tokens(op.method);
    let query = query_statements(&other_params);
    let headers = other_params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|param| {
            let param_name = ident(&param.rust_name);
            let wire = &param.wire_name;
            if param.required {
                quote!(let request = request.header(#wire, #param_name.to_string());)
            } else {
                quote! {
                    let request = match #param_name {
                        ::std::option::Option::Some(value) => request.header(#wire, value.to_string()),
                        ::std::option::Option::None => request,
                    };
                }
            }
        });
    let credentials = op.credentials.iter().map(|&index| {
        let credential = &api.credentials[index];
        let field = ident(&credential.rust_name);
        let header = &credential.header;
        quote! {
            let request = request.header(#header, crate::transport::secret_header(#header, &self.#field)?);
        }
    });
    let body = op.body.as_ref().map(|body| {
        if body.required {
            quote!(let request = crate::transport::with_json_body(request, "body", body)?;)
        } else {
            quote! {
                let request = match body {
                    ::std::option::Option::Some(body) => crate::transport::with_json_body(request, "body", body)?,
                    ::std::option::Option::None => request,
                };
            }
        }
    });
    let (output, send) = match &op.success {
        Some(ty) => {
            let ty = type_tokens(api, ty);
            (ty, quote!(self.transport.send_json(request).await))
        }
        None => (quote!(()), quote!(self.transport.send_empty(request).await)),
    };
    quote! {
        #doc
        pub async fn #name(&self, #(#args),*) -> ::std::result::Result<#output, crate::Error> {
            let path = #path;
            #query
            let request = self.transport.request(#method, &path, &query);
            #(#credentials)*
            #(#headers)*
            #body
            #send
        }
    }
}

fn param_type(api: &Api, param: &Parameter) -> TokenStream {
    let base = match &param.ty {
        TypeRef::String => quote!(&str),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(api, inner);
            quote!(&[#inner])
        }
        // Enumerations and checked numbers are `Copy`; strings and others go by reference.
        TypeRef::Named(id)
            if !matches!(
                api.types[id.0].kind,
                TypeKind::Enum(_) | TypeKind::ValidatedNumber(_)
            ) =>
        {
            let ty = type_tokens(api, &param.ty);
            quote!(&#ty)
        }
        other => type_tokens(api, other),
    };
    if param.required {
        base
    } else {
        quote!(::std::option::Option<#base>)
    }
}

/// The path, with path parameters percent-encoded into their places.
fn path_expr(op: &Operation, path_params: &[&Parameter]) -> TokenStream {
    if path_params.is_empty() {
        let path = &op.path;
        return quote!(::std::string::String::from(#path));
    }
    let mut format = String::new();
    let mut values = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            break;
        };
        format.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let wire = &rest[open + 1..close];
        match path_params.iter().find(|p| p.wire_name == wire) {
            Some(param) => {
                format.push_str("{}");
                let param_name = ident(&param.rust_name);
                values.push(if param.ty == TypeRef::String {
                    quote!(crate::transport::encode_path_segment(#param_name))
                } else {
                    quote!(crate::transport::encode_path_segment(&#param_name.to_string()))
                });
            }
            None => format.push_str(&rest[open..=close].replace('{', "{{").replace('}', "}}")),
        }
        rest = &rest[close + 1..];
    }
    format.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    quote!(::std::format!(#format, #(#values),*))
}

fn query_statements(params: &[&Parameter]) -> TokenStream {
    let pushes: Vec<TokenStream> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|param| {
            let param_name = ident(&param.rust_name);
            let wire = &param.wire_name;
            let push = if matches!(param.ty, TypeRef::Vec(_)) {
                quote! {
                    for item in value {
                        query.push((#wire, item.to_string()));
                    }
                }
            } else {
                quote!(query.push((#wire, value.to_string()));)
            };
            if param.required {
                quote! {
                    let value = #param_name;
                    #push
                }
            } else {
                quote! {
                    if let ::std::option::Option::Some(value) = #param_name {
                        #push
                    }
                }
            }
        })
        .collect();
    if pushes.is_empty() {
        quote!(let query: [(&str, ::std::string::String); 0] = [];)
    } else {
        quote! {
            let mut query: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec::Vec::new();
            #(#pushes)*
        }
    }
}

fn method_tokens(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(::reqwest::Method::GET),
        Method::Put => quote!(::reqwest::Method::PUT),
        Method::Post => quote!(::reqwest::Method::POST),
        Method::Delete => quote!(::reqwest::Method::DELETE),
        Method::Options => quote!(::reqwest::Method::OPTIONS),
        Method::Head => quote!(::reqwest::Method::HEAD),
        Method::Patch => quote!(::reqwest::Method::PATCH),
        Method::Trace => quote!(::reqwest::Method::TRACE),
    }
}
