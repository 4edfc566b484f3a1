//! Emitting the blocking client (cargo feature `blocking`): the same operations, types and
//! errors, each call run to completion on a runtime of the client's own.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::{Api, Operation};

pub(crate) fn module(api: &Api) -> TokenStream {
    let title = super::api_name(&api.title);
    let module_doc = format!(
        " A blocking client for the {title} (cargo feature `blocking`), for CLI tools and scripts."
    );
    let struct_doc = format!(" Blocking client for the {title}.");
    let super::client::CredentialArgs {
        declared: credential_args,
        passed: credential_names,
        ..
    } = super::client::credential_args(api);
    let (base_arg, base_name) = if api.default_base_url.is_some() {
        (quote!(), quote!())
    } else {
        (quote!(base_url: &str,), quote!(base_url,))
    };
    let paged_alias = api.uses_paging().then(|| {
        let error_body = super::type_tokens(api, &api.error_body);
        quote! {
            /// The pages (or items) of a list operation, as an iterator that blocks for each one.
            pub type Paged<'a, T, E = #error_body> = crate::runtime::paging::BlockingPaged<'a, T, E>;
        }
    });
    let streamed_alias = api.uses_streams().then(|| {
        quote! {
            /// A streamed response (server-sent events or JSON values) as an iterator that
            /// blocks for each item; `get_ref` reaches the stream (status, headers, last event id).
            pub type Streamed<'a, S> = crate::runtime::streaming::BlockingStream<'a, S>;
        }
    });
    quote! {
        #![doc = #module_doc]
        //!
        //! Example: [blocking client](crate#blocking-client) in the crate documentation.
        // Parameter names are the API description's: `shelf` next to `self` is not ours to fix.
        #![allow(clippy::similar_names)]

        #paged_alias
        #streamed_alias

        #[doc = #struct_doc]
        ///
        /// The same surface as the async [`crate::Client`]: every method blocks the calling
        /// thread until its call ends (retries included). Configure it with
        /// [`Client::builder`] and [`crate::ClientBuilder::build_blocking`], or wrap an async
        /// client with [`Client::from_async`]. Cheap to clone: clones share the connection
        /// pool and the runtime.
        ///
        /// Example: [blocking client](crate#blocking-client) in the crate documentation.
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: crate::Client,
            runtime: ::std::sync::Arc<crate::runtime::blocking_runtime::BlockingRuntime>,
        }

        impl Client {
            /// A blocking client with the default configuration.
            ///
            /// # Errors
            ///
            /// As [`crate::Client::new`], and a [`ConfigError`](crate::ConfigError) when the
            /// client's runtime cannot start.
            pub fn new(#base_arg #(#credential_args),*) -> ::std::result::Result<Self, crate::ConfigError> {
                Self::from_async(crate::Client::new(#base_name #(#credential_names),*)?)
            }

            /// A [`ClientBuilder`](crate::ClientBuilder), as [`crate::Client::builder`] gives;
            /// finish it with [`build_blocking`](crate::ClientBuilder::build_blocking).
            pub fn builder(#base_arg #(#credential_args),*) -> crate::ClientBuilder {
                crate::Client::builder(#base_name #(#credential_names),*)
            }

            /// A blocking client making its calls through `client`.
            ///
            /// # Errors
            ///
            /// A [`ConfigError`](crate::ConfigError) when the client's runtime cannot start.
            pub fn from_async(client: crate::Client) -> ::std::result::Result<Self, crate::ConfigError> {
                let runtime = crate::runtime::blocking_runtime::BlockingRuntime::new()?;
                ::std::result::Result::Ok(Self {
                    inner: client,
                    runtime: ::std::sync::Arc::new(runtime),
                })
            }

            /// The async client underneath.
            #[must_use]
            pub fn as_async(&self) -> &crate::Client {
                &self.inner
            }

            /// As [`crate::Client::with_base_url`].
            ///
            /// # Errors
            ///
            /// A [`ConfigError`](crate::ConfigError) when `base_url` is not an absolute `http`
            /// or `https` URL without query or fragment.
            pub fn with_base_url(&self, base_url: &str) -> ::std::result::Result<Self, crate::ConfigError> {
                ::std::result::Result::Ok(Self {
                    inner: self.inner.with_base_url(base_url)?,
                    runtime: ::std::sync::Arc::clone(&self.runtime),
                })
            }

            /// As [`crate::Client::with_retry_policy`]: the same client (sharing its
            /// connections and runtime) with another retry policy.
            #[must_use]
            pub fn with_retry_policy(&self, retry: crate::RetryPolicy) -> Self {
                Self {
                    inner: self.inner.with_retry_policy(retry),
                    runtime: ::std::sync::Arc::clone(&self.runtime),
                }
            }

            /// The base URL requests are sent to, without a trailing slash.
            #[must_use]
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// The retry policy calls use.
            #[must_use]
            pub fn retry_policy(&self) -> &crate::RetryPolicy {
                self.inner.retry_policy()
            }
        }


        impl crate::ClientBuilder {
            /// Checks the configuration and builds a blocking [`Client`].
            ///
            /// # Errors
            ///
            /// As [`build`](crate::ClientBuilder::build), and a
            /// [`ConfigError`](crate::ConfigError) when the client's runtime cannot start.
            pub fn build_blocking(self) -> ::std::result::Result<Client, crate::ConfigError> {
                Client::from_async(self.build()?)
            }
        }
    }
}

/// The blocking methods of `ops` (one cargo feature's operations, which
/// [`super::feature_groups`] gives): one `impl` block, after the module [`module`] writes.
pub(crate) fn methods(api: &Api, ops: &[&Operation]) -> TokenStream {
    let methods = ops.iter().map(|op| method(api, op));
    quote! {
        impl Client {
            #(#methods)*
        }
    }
}

// A streamed response is read as it arrives, on the client's runtime: the blocking method
// returns an iterator whose `next` blocks until the next item is there.
fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let raw_name = ident(&op.raw_name);
    let (declared, passed) = super::client::arguments(api, op);
    let many = (declared.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let output = super::payload_type(api, &op.success);
    let error = super::client::error_type(api, op);
    let plain = op.rust_name.trim_start_matches("r#");
    let raw_plain = op.raw_name.trim_start_matches("r#");
    let doc = format!(
        " [`crate::Client::{plain}`] (which has an example), blocking the calling thread \
         until it ends."
    );
    let raw_doc = format!(
        " [`crate::Client::{raw_plain}`], blocking the calling thread until it ends: the \
         body with the response's status and headers."
    );
    let pager = op.pager.as_ref().map(|pager| {
        let iterator = |name: &str, ty: &TokenStream| {
            let method = ident(name);
            let plain = name.trim_start_matches("r#");
            let doc = format!(
                " [`crate::Client::{plain}`] as an iterator: each `next` blocks the calling \
                 thread until the next element is there."
            );
            let ty = if op.error == api.error_body {
                quote!(Paged<'_, #ty>)
            } else {
                let body = super::type_tokens(api, &op.error);
                quote!(Paged<'_, #ty, #body>)
            };
            quote! {
                #[doc = #doc]
                #many
                #[must_use]
                pub fn #method(&self, #(#declared),*) -> #ty {
                    crate::runtime::paging::BlockingPaged::new(self.inner.#method(#(#passed),*), &self.runtime)
                }
            }
        };
        let page = super::payload_type(api, &op.success);
        let item = super::type_tokens(api, &pager.item);
        let pages = iterator(&pager.pages_name, &page);
        let stream = iterator(&pager.stream_name, &item);
        quote!(#pages #stream)
    });
    let streamed = op.success.is_stream();
    let (doc, raw_doc) = if streamed {
        (
            format!(
                " [`crate::Client::{plain}`], blocking the calling thread until the response \
                 starts: its items are an iterator whose `next` blocks until the next one \
                 is there."
            ),
            format!(
                " [`crate::Client::{raw_plain}`], blocking the calling thread until the \
                 response starts: the iterator of its items with the response's status and \
                 headers."
            ),
        )
    } else {
        (doc, raw_doc)
    };
    let (output, wrap, wrap_response) = if streamed {
        // A stream's items carry the operation's error type, as the async method's do.
        let stream = super::payload_type_with(api, &op.success, &op.error);
        (
            quote!(Streamed<'_, #stream>),
            quote!(crate::runtime::streaming::blocking),
            quote!(crate::runtime::streaming::blocking_response),
        )
    } else {
        (output, quote!(), quote!())
    };
    // A stream's result is wrapped for the runtime (no closure: no local to name).
    let call = quote!(self.runtime.block_on(self.inner.#name(#(#passed),*)));
    let raw_call = quote!(self.runtime.block_on(self.inner.#raw_name(#(#passed),*)));
    let (call, raw_call) = if streamed {
        (
            quote!(#wrap(#call, &self.runtime)),
            quote!(#wrap_response(#raw_call, &self.runtime)),
        )
    } else {
        (call, raw_call)
    };
    quote! {
        #[doc = #doc]
        ///
        /// # Errors
        ///
        /// As the async method.
        #many
        pub fn #name(&self, #(#declared),*) -> ::std::result::Result<#output, #error> {
            #call
        }

        #[doc = #raw_doc]
        ///
        /// # Errors
        ///
        /// As the async method.
        #many
        pub fn #raw_name(&self, #(#declared),*) -> ::std::result::Result<crate::Response<#output>, #error> {
            #raw_call
        }

        #pager
    }
}
