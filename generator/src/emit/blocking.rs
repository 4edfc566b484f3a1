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
    let error_body = super::type_tokens(api, &api.error_body);
    let paged_alias = api.uses_paging().then(|| {
        quote! {
            /// The pages (or items) of a list operation, as an iterator that blocks for each one.
            pub type Paged<'a, T, E = #error_body> = crate::runtime::paging::BlockingPaged<'a, T, E>;
        }
    });
    let streamed_alias = api.uses_streams().then(|| {
        quote! {
            /// A streamed response (server-sent events, JSON values, or a binary body's chunks)
            /// as an iterator that blocks for each item; `get_ref` reaches the stream (status,
            /// headers, last event id). A binary body's is also a `std::io::Read`, and
            /// `bytes()` collects it.
            pub type Streamed<'a, S> = crate::runtime::streaming::BlockingStream<'a, S>;

            /// A blocking call of a streamed operation: [`send`](Call::send) waits for the
            /// response to start and gives its items as a [`Streamed`] iterator.
            pub type StreamCall<'a, S, E = #error_body, O = ()> =
                crate::runtime::call::BlockingCall<'a, S, E, O, Streamed<'a, S>>;
        }
    });
    let uses = (!api.operations.is_empty()).then(|| {
        quote!(
            use crate::operations as ops;
        )
    });
    let call_alias = quote! {
        /// A blocking call of one operation, returned by its method: its setters add the
        /// operation's optional parameters, then [`send`](crate::call::Call::send) blocks the
        /// calling thread until the call ends (retries included) and gives the body,
        /// [`with_response`](crate::call::Call::with_response) gives it with the response's
        /// status and headers. `E` is what the operation's error bodies decode as; `O` names
        /// the operation (a type of [`crate::operations`]).
        pub type Call<'a, T, E = #error_body, O = ()> = crate::runtime::call::BlockingCall<'a, T, E, O>;
    };
    quote! {
        #![doc = #module_doc]
        //!
        //! Example: [blocking client](crate#blocking-client) in the crate documentation.
        // Parameter names are the API description's: `shelf` next to `self` is not ours to fix.
        // One argument per parameter, as the API description lists them: clippy's limit of
        // seven is a style choice the description made for us.
        #![allow(clippy::similar_names, clippy::too_many_arguments)]

        #uses
        #call_alias
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

// A streamed response is read as it arrives, on the client's runtime: the blocking call
// gives an iterator whose `next` blocks until the next item is there.
fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let (declared, passed) = super::client::arguments(api, op);
    let plain = op.rust_name.trim_start_matches("r#");
    let error_body = {
        let body = super::type_tokens(api, &op.error);
        let marker = super::client::marker_path(op);
        quote!(, #body, #marker)
    };
    // `self.runtime.call(self.inner.op(..))` on one line where it fits; where it would not,
    // the async call first, so that its arguments are not wrapped twice over.
    let arguments: usize = passed.iter().map(|arg| arg.to_string().len() + 2).sum();
    let wrap_inner = |wrapper: &str, method: &proc_macro2::Ident| {
        let wrapper = ident(wrapper);
        let passed = &passed;
        if 8 + "self.runtime.(self.inner.())".len()
            + wrapper.to_string().len()
            + method.to_string().len()
            + arguments
            <= 89
        {
            quote!(self.runtime.#wrapper(self.inner.#method(#(#passed),*)))
        } else {
            quote! {
                let call_ = self.inner.#method(#(#passed),*);
                self.runtime.#wrapper(call_)
            }
        }
    };
    let (doc, ty, body) = if op.success.is_stream() {
        // A stream's items carry the operation's error type, as the async method's do.
        let stream = super::payload_type_with(api, &op.success, &op.error);
        (
            format!(
                " [`crate::Client::{plain}`] as a blocking [`StreamCall`]: the response's \
                 items are an iterator whose `next` blocks until the next one is there."
            ),
            quote!(StreamCall<'_, #stream #error_body>),
            wrap_inner("streamed", &name),
        )
    } else {
        let output = super::payload_type(api, &op.success);
        (
            format!(" [`crate::Client::{plain}`] (which has an example) as a blocking [`Call`]."),
            quote!(Call<'_, #output #error_body>),
            wrap_inner("call", &name),
        )
    };
    quote! {
        #[doc = #doc]
                pub fn #name(&self, #(#declared),*) -> #ty {
            #body
        }
    }
}
