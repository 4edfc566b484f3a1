//! The example program of a crate whose API has signed callbacks: a small HTTP server on a
//! local port that checks each delivery's signature and prints the verified events
//! (`examples/receive_deliveries.rs`, compiled with the crate's other targets).

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::Settings;
use crate::model::{Api, TypeKind, TypeRef};
use crate::naming;

/// Where the example goes in the crate.
pub(crate) const PATH: &str = "examples/receive_deliveries.rs";

pub(crate) fn example(api: &Api, settings: &Settings) -> TokenStream {
    let lib = ident(&settings.crate_name.replace('-', "_"));
    // `uses_signatures` holds: there is a first one.
    let Some(callback) = api.callbacks.first() else {
        return quote!();
    };
    let verify = ident(&callback.verify_name);
    let header = ident(&callback.header_const);
    let variable = naming::const_name(callback.key_arg.trim_start_matches("r#"));
    let title = super::api_name(&api.title);
    let doc = [
        format!(
            " Receives the `{}` callback of the {title} on a local port: checks the signature of",
            callback.name
        ),
        " each delivery and prints the verified events; one that fails the check is answered 400."
            .to_owned(),
        String::new(),
        format!(
            " Run `{variable}=<key> cargo run --example receive_deliveries -- 127.0.0.1:8000`, make the"
        ),
        " port reachable (a tunnel, a reverse proxy) and register that URL with the API."
            .to_owned(),
    ];
    // Deliveries are small; a server bounds what it buffers.
    let max_body = quote!(1024 * 1024);
    let kind = match &callback.body {
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Events(events) => {
                let accessor = ident(&events.accessor);
                Some(quote!(event.#accessor()))
            }
            _ => None,
        },
        _ => None,
    };
    let print = match kind {
        Some(kind) => quote!(println!("{}: {event:?}", #kind);),
        None => quote!(println!("{event:?}");),
    };
    quote! {
        #(#![doc = #doc])*

        use std::io::Read as _;

        fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
            let secret = std::env::var(#variable).map_err(|_| concat!("set ", #variable, " to the key deliveries are signed with"))?;
            let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8000".to_owned());
            let server = tiny_http::Server::http(&address)?;
            println!("listening on http://{address}");
            for mut request in server.incoming_requests() {
                let mut body = Vec::new();
                let read = request.as_reader().take(#max_body).read_to_end(&mut body);
                let signature = request
                    .headers()
                    .iter()
                    .find(|field| field.field.equiv(#lib::webhooks::#header))
                    .map(|field| field.value.as_str().to_owned())
                    .unwrap_or_default();
                let status = match read.map(|_| #lib::webhooks::#verify(&body, &signature, &secret)) {
                    Ok(Ok(event)) => {
                        #print
                        200
                    }
                    Ok(Err(refused)) => {
                        eprintln!("refused: {refused}");
                        400
                    }
                    Err(error) => {
                        eprintln!("could not read the body: {error}");
                        400
                    }
                };
                request.respond(tiny_http::Response::empty(status))?;
            }
            Ok(())
        }
    }
}
