//! Emitting the `webhooks` module: for each signed callback, the name of its signature header
//! and a function that checks a delivery's signature and decodes it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, ident, type_tokens};
use crate::model::{Api, SignatureAlgorithm, SignatureEncoding, SignedCallback};

pub(crate) fn module(api: &Api) -> TokenStream {
    let title = super::api_name(&api.title);
    let module_doc = format!(
        " Deliveries the {title} sends to your endpoints (the callbacks of its description): \
         checking their signatures and decoding them."
    );
    let items = api.callbacks.iter().map(|callback| item(api, callback));
    quote! {
        #![doc = #module_doc]
        #![doc = ""]
        #![doc = " Check every delivery before acting on it, with the body exactly as received (its raw"]
        #![doc = " bytes: a body parsed and written again no longer matches its signature), and answer"]
        #![doc = " one that fails with a 4xx status."]

        #(#items)*
    }
}

fn item(api: &Api, callback: &SignedCallback) -> TokenStream {
    let verify = ident(&callback.verify_name);
    let header_const = ident(&callback.header_const);
    let key = ident(&callback.key_arg);
    let header = &callback.header;
    let prefix = &callback.prefix;
    let body = type_tokens(api, &callback.body);
    let (algorithm, algorithm_text) = match callback.algorithm {
        SignatureAlgorithm::HmacSha256 => (
            quote!(crate::runtime::signature::Algorithm::HmacSha256),
            "HMAC-SHA256",
        ),
        SignatureAlgorithm::HmacSha512 => (
            quote!(crate::runtime::signature::Algorithm::HmacSha512),
            "HMAC-SHA512",
        ),
    };
    let (encoding, encoding_text) = match callback.encoding {
        SignatureEncoding::Hex => (quote!(crate::runtime::signature::Encoding::Hex), "hex"),
        SignatureEncoding::Base64 => (
            quote!(crate::runtime::signature::Encoding::Base64),
            "base64",
        ),
    };
    let header_doc = format!(
        " The header that carries the signature of each `{}` request (header names compare \
         without regard to case).",
        callback.name
    );
    let prefixed = if prefix.is_empty() {
        String::new()
    } else {
        format!("`{prefix}` and ")
    };
    let key_name = callback.key_arg.trim_start_matches("r#");
    let key_summary = callback
        .key_description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map_or_else(String::new, |d| format!(" ({})", d.trim_end_matches('.')));
    let mut lines = docs::lines(&callback.docs);
    lines.extend([
        String::new(),
        format!(
            "Checks that `signature`, the value of the `{header}` header, is {prefixed}the \
             {encoding_text} {algorithm_text} of `body` (the raw request body) keyed with \
             `{key_name}`, the value of the `{}` credential{key_summary}, comparing in constant \
             time; then decodes the body.",
            callback.key_scheme
        ),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "[`VerifyError`](crate::VerifyError): the signature is missing, malformed or does not \
         match (answer with a 4xx status), or the body is not a documented delivery."
            .to_owned(),
    ]);
    let doc = docs::lines_to_attrs(&lines);
    quote! {
        #[doc = #header_doc]
        pub const #header_const: &str = #header;

        #doc
        pub fn #verify(body: &[u8], signature: &str, #key: &str) -> ::std::result::Result<#body, crate::VerifyError> {
            static SCHEME: crate::runtime::signature::Scheme = crate::runtime::signature::Scheme {
                header: #header,
                algorithm: #algorithm,
                encoding: #encoding,
                prefix: #prefix,
            };
            crate::runtime::signature::verify_json(&SCHEME, body, signature, #key.as_bytes())
        }
    }
}
