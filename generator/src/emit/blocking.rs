//! Emitting the blocking client (cargo feature `blocking`): the same operations, types and
//! errors, each call run to completion on a runtime of the client's own.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::model::Api;

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
    let operations = api.operations.iter().map(|op| {
        let name = ident(&op.rust_name);
        let (declared, passed) = super::client::arguments(api, op);
        let many = (declared.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let output = super::payload_type(api, &op.success);
        let error = super::client::error_type(api, op);
        let doc = format!(
            " [`crate::Client::{0}`], blocking the calling thread until it ends.",
            op.rust_name.trim_start_matches("r#")
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
        quote! {
            #[doc = #doc]
            ///
            /// # Errors
            ///
            /// As the async method.
            #many
            pub fn #name(&self, #(#declared),*) -> ::std::result::Result<#output, #error> {
                self.runtime.block_on(self.inner.#name(#(#passed),*))
            }

            #pager
        }
    });
    let paged_alias = api.uses_paging().then(|| {
        let error_body = super::type_tokens(api, &api.error_body);
        quote! {
            /// The pages (or items) of a list operation, as an iterator that blocks for each one.
            pub type Paged<'a, T, E = #error_body> = crate::runtime::paging::BlockingPaged<'a, T, E>;
        }
    });
    quote! {
        #![doc = #module_doc]
        // Parameter names are the API description's: `shelf` next to `self` is not ours to fix.
        #![allow(clippy::similar_names)]

        #paged_alias

        #[doc = #struct_doc]
        ///
        /// Every method blocks the calling thread until its call ends (retries included).
        /// Build one from an async [`crate::Client`] to configure it with
        /// [`crate::ClientBuilder`] first.
        #[derive(Debug)]
        pub struct Client {
            inner: crate::Client,
            runtime: crate::runtime::blocking_runtime::BlockingRuntime,
        }

        impl Client {
            /// A blocking client with the default configuration.
            ///
            /// # Errors
            ///
            /// As [`crate::Client::new`], and [`Error::Transport`](crate::Error) when the
            /// client's runtime cannot start.
            pub fn new(#base_arg #(#credential_args),*) -> ::std::result::Result<Self, crate::Error> {
                Self::from_async(crate::Client::new(#base_name #(#credential_names),*)?)
            }

            /// A blocking client making its calls through `client`.
            ///
            /// # Errors
            ///
            /// [`Error::Transport`](crate::Error) when the client's runtime cannot start.
            pub fn from_async(client: crate::Client) -> ::std::result::Result<Self, crate::Error> {
                let runtime = crate::runtime::blocking_runtime::BlockingRuntime::new().map_err(|error| {
                    crate::Error::Transport(crate::TransportError::new(
                        "start blocking runtime",
                        crate::TransportErrorKind::Other,
                        0,
                        ::std::boxed::Box::new(error),
                    ))
                })?;
                ::std::result::Result::Ok(Self { inner: client, runtime })
            }

            /// The async client underneath.
            #[must_use]
            pub fn as_async(&self) -> &crate::Client {
                &self.inner
            }

            #(#operations)*
        }
    }
}
