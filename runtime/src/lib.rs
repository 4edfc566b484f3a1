//! The runtime: the code that is the same for every generated client (configuration,
//! transport with retries and limits, errors, request-value checks, credentials).
//!
//! This crate is where that code is edited, compiled, linted, documented and unit-tested.
//! Generated crates do not depend on it: the generator embeds these modules' sources (without
//! their unit tests) under `src/runtime/` of every crate it writes, so that each generated
//! crate stands on its own. That is why the modules reach each other through `super::` rather
//! than `crate::`: the same text compiles here at the crate root and there one level down.
//!
//! The items below are re-exported as a generated crate re-exports them, so that these docs
//! read as a generated crate's do. The rest is `pub(crate)`: the interface the generated code
//! calls.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// The generated code of each API calls these `pub(crate)` items; this crate alone calls few
// of them. Unused code is caught where the runtime is used: every generated crate compiles
// these modules with the lint on (but for the ones that say why they allow it).
#![allow(dead_code)]

mod auth;
mod blocking_runtime;
mod builder;
mod call;
mod checked;
mod config;
mod enums;
pub mod error;
mod form;
mod multipart;
mod oauth;
mod or_unknown;
mod paging;
mod pattern;
mod redirect;
mod response;
mod retry;
pub mod seam;
mod secret;
mod signature;
mod streaming;
#[cfg(feature = "testing")]
pub mod testing;
mod timestamp;
mod transport;
mod union;
mod upload;
mod validation;

pub use builder::IntoChecked;
pub use call::{Async, Body, Call, WithResponse};
#[cfg(feature = "blocking")]
pub use call::{Blocking, BlockingCall};
pub use checked::{
    BoundedF32, BoundedF64, BoundedI32, BoundedI64, BoundedString, NumberRule, UriString,
};
pub use config::ClientBuilder;
pub use enums::{IntegerEnum, StringEnum};
pub use error::{
    ApiError, ConfigError, ConfigErrorKind, DecodeError, Error, ResponseTooLarge, TokenError,
    TokenErrorKind, TransportError, TransportErrorKind,
};
pub use multipart::{FilePart, MultipartForm};
pub use oauth::ClientCredentials;
pub use or_unknown::OrUnknown;
pub use paging::Paged;
pub use pattern::{Pattern, PatternString, StringPattern};
pub use redirect::RedirectPolicy;
pub use response::Response;
pub use retry::RetryPolicy;
pub use secret::SecretString;
pub use signature::VerifyError;
pub use streaming::{ByteStream, Event, EventStream, JsonStream};
pub use upload::Upload;
pub use validation::{ValidationError, ValidationErrorKind};
