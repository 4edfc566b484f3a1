//! Sends requests, with retries, timeouts, size limits and tracing, and turns responses into
//! typed results or [`Error`]s.
#![allow(dead_code)] // Shared by every generated crate; each API uses only some helpers.

use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::auth::{Credential, Scheme, choose};
use super::call::Call;
use super::error::{
    ApiError, ConfigError, ConfigErrorKind, DecodeError, Error, ErrorDecoder, ResponseTooLarge,
    TransportError, TransportErrorKind,
};
use super::oauth::Endpoint;
use super::redirect::{self, Decision, RedirectPolicy, Refusal};
use super::response::{Body, Response};
use super::retry::{RetryPolicy, is_retryable_status, retry_after};
use super::seam::{
    AttemptInfo, Hooks, Outcome, RequestBody, ResponseBody, SecretQuery, SharedTransport,
    StreamSlot,
};
use super::validation::{ValidationError, ValidationErrorKind};

/// Characters percent-encoded in a path segment: everything but RFC 3986's unreserved ones.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters percent-encoded in a cookie value: everything RFC 6265's `cookie-octet` leaves
/// out (controls, space, `"`, `,`, `;`, backslash, non-ASCII), and `%` so that decoding gives the
/// value back.
const COOKIE_VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// What the generated code says about one operation: `E` is what its error bodies decode as.
pub(crate) struct Operation<E> {
    /// The `operationId` (or the name derived from method and path).
    pub id: &'static str,
    /// The method's token as sent (`GET`, `QUERY`, an `additionalOperations` entry such as
    /// `LINK`): a text, so that methods `reqwest` has no constant for are written the same way.
    pub method: &'static str,
    /// The path template, as the API description writes it: logged instead of the path, so
    /// that no parameter value ends up in logs.
    pub path: &'static str,
    /// The `Accept` header: the media types of its success responses.
    pub accept: &'static str,
    /// How its error responses decode.
    pub errors: ErrorDecoder<E>,
}

impl<E> Operation<E> {
    /// What one attempt needs of the operation, without the error type (so that the code
    /// below the retry loop is compiled once, not once per error type).
    fn route(&self) -> Route {
        Route {
            id: self.id,
            method: self.method,
            path: self.path,
            accept: self.accept,
        }
    }
}

/// An operation as one attempt sends it: [`Operation`] without its error decoder.
#[derive(Debug, Clone, Copy)]
struct Route {
    id: &'static str,
    method: &'static str,
    path: &'static str,
    accept: &'static str,
}

impl Route {
    /// Whether HTTP says repeating the request has no further effect.
    fn idempotent(&self) -> bool {
        // `QUERY` is safe and idempotent (RFC 9110's sense; draft-ietf-httpbis-safe-method-w-body).
        matches!(
            self.method,
            "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE" | "QUERY"
        )
    }

    /// The method as `reqwest` sends it: the constant for a standard method (no allocation),
    /// an extension method otherwise.
    fn http_method(&self) -> Result<reqwest::Method, Box<dyn std::error::Error + Send + Sync>> {
        reqwest::Method::from_bytes(self.method.as_bytes()).map_err(Into::into)
    }
}

/// The part of a request that is the same on every attempt.
#[derive(Debug, Clone)]
pub(crate) struct RequestParts {
    path: String,
    query: Vec<(String, String)>,
    /// A whole URL to send to instead of the base URL and `path` (a next page's), with its
    /// own query; `query` is added to it.
    url: Option<url::Url>,
    headers: reqwest::header::HeaderMap,
    /// Cookie parameters as `name=value` pairs (values percent-encoded).
    cookies: Vec<String>,
    /// Shared, not copied, by each attempt.
    body: Option<bytes::Bytes>,
    /// A streamed body, sent by the first attempt (which is then the only one).
    stream: Option<StreamSlot>,
    security: &'static [&'static [usize]],
    /// The first value refused while the request was built, when the setter does not return
    /// it (the JSON body): the call ends with it before any I/O ([`ready`](Self::ready)).
    refused: Option<ValidationError>,
    /// It carries an idempotency key: repeating it has no further effect, whatever its
    /// method.
    idempotent: bool,
}

impl RequestParts {
    /// A request for `path` (already percent-encoded, starting with `/`), its query to add.
    /// `security` lists the alternative sets of credentials (indexes of the client's schemes)
    /// that authorize it; empty for none.
    pub(crate) fn new(path: String, security: &'static [&'static [usize]]) -> Self {
        Self {
            path,
            query: Vec::new(),
            url: None,
            headers: reqwest::header::HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            stream: None,
            security,
            refused: None,
            idempotent: false,
        }
    }

    /// Marks the request as carrying the idempotency key header `name`, and, with `make`, sets
    /// a new key: one per call, sent on every attempt of it. A key set later (the caller's,
    /// by its setter) replaces it.
    pub(crate) fn idempotency_key(&mut self, name: &'static str, make: bool) {
        self.idempotent = true;
        if make {
            if let Err(refused) = self.header(name, &new_idempotency_key()) {
                self.refused.get_or_insert(refused);
            }
        }
    }

    /// Adds a cookie parameter. The value is percent-encoded where RFC 6265 does not allow
    /// it as it is (the usual convention: OpenAPI leaves cookie encoding unspecified).
    pub(crate) fn cookie(
        &mut self,
        name: &'static str,
        value: &str,
    ) -> Result<(), ValidationError> {
        // A cookie name is an HTTP token: the same characters as a header name.
        if name.is_empty() || reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(ValidationError::new(
                name,
                ValidationErrorKind::InvalidHeaderValue,
            ));
        }
        let value = percent_encoding::utf8_percent_encode(value, COOKIE_VALUE);
        self.cookies.push(format!("{name}={value}"));
        Ok(())
    }

    /// The request's one `Cookie` header: its cookie parameters, then the cookies of the
    /// chosen credentials (marked sensitive when there are any).
    fn cookie_header(
        &self,
        credentials: &[Option<Credential>],
        chosen: &[usize],
    ) -> Result<Option<reqwest::header::HeaderValue>, ValidationError> {
        let secret: Vec<&reqwest::header::HeaderValue> = chosen
            .iter()
            .filter_map(|&index| credentials.get(index).and_then(Option::as_ref))
            .filter_map(Credential::cookie)
            .collect();
        if self.cookies.is_empty() && secret.is_empty() {
            return Ok(None);
        }
        let mut joined: Vec<u8> = Vec::new();
        let pieces = self
            .cookies
            .iter()
            .map(String::as_bytes)
            .chain(secret.iter().map(|value| value.as_bytes()));
        for piece in pieces {
            if !joined.is_empty() {
                joined.extend_from_slice(b"; ");
            }
            joined.extend_from_slice(piece);
        }
        let mut value = reqwest::header::HeaderValue::from_bytes(&joined)
            .map_err(|_| ValidationError::new("Cookie", ValidationErrorKind::InvalidHeaderValue))?;
        value.set_sensitive(!secret.is_empty());
        Ok(Some(value))
    }

    /// Adds a header parameter.
    pub(crate) fn header(
        &mut self,
        name: &'static str,
        value: &str,
    ) -> Result<(), ValidationError> {
        let invalid = || ValidationError::new(name, ValidationErrorKind::InvalidHeaderValue);
        let header =
            reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
        let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid())?;
        self.headers.append(header, value);
        Ok(())
    }

    /// Removes every value the parameter `name` has: its query pairs (`name`, and `name[…]`
    /// of a `deepObject`), its header and its cookie; for a setter that replaces them.
    pub(crate) fn unset(&mut self, name: &'static str) {
        self.query.retain(|(key, _)| {
            !(key == name
                || key
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with('[')))
        });
        if let Ok(header) = reqwest::header::HeaderName::from_bytes(name.as_bytes()) {
            self.headers.remove(header);
        }
        self.cookies.retain(|cookie| {
            cookie
                .strip_prefix(name)
                .is_none_or(|rest| !rest.starts_with('='))
        });
    }

    /// Sends the request to `url` (a next page's, checked by the caller to have the base
    /// URL's origin) instead, with the query `url` has.
    pub(crate) fn set_url(&mut self, url: url::Url) {
        self.url = Some(url);
        self.query.clear();
    }

    /// Sets the query parameter `name` to `value`, replacing every value it had.
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(key, _)| key != name);
        self.query.push((name.to_owned(), value));
    }

    /// Adds a query parameter that is one value, as its text.
    pub(crate) fn add_query(&mut self, name: &'static str, value: impl std::fmt::Display) {
        self.query.push((name.to_owned(), value.to_string()));
    }

    /// Adds one query pair of text as it is (an item of an exploded list, say).
    pub(crate) fn push_query(&mut self, name: &'static str, value: String) {
        self.query.push((name.to_owned(), value));
    }

    /// Adds a query parameter holding any JSON-shaped value, as OpenAPI's `style` and
    /// `explode` say: scalars as `name=value`; arrays repeated (`explode`) or comma-joined;
    /// objects as `name[key]=value` (`deepObject`), `key=value` (`form`, `explode`) or
    /// `name=k,v,k,v`.
    pub(crate) fn add_query_value<T: Serialize>(
        &mut self,
        name: &'static str,
        deep: bool,
        explode: bool,
        value: &T,
    ) -> Result<(), ValidationError> {
        let value = to_json(name, value)?;
        push_value(&mut self.query, name.to_owned(), deep, explode, ',', &value);
        Ok(())
    }

    /// An object as the whole query, form-encoded (OpenAPI 3.2's `in: querystring`): each
    /// property its own pair, in the order of their names, arrays repeated, nested objects
    /// spread.
    pub(crate) fn add_query_form<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ValidationError> {
        let serde_json::Value::Object(map) = to_json(name, value)? else {
            return Err(ValidationError::not_encodable(
                name,
                "a form-encoded query string must be an object",
            ));
        };
        for (key, item) in by_name(&map) {
            push_value(&mut self.query, key.clone(), false, true, ',', item);
        }
        Ok(())
    }

    /// The value of the query parameter `name`, if it has one.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body set so far.
    pub(crate) fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }

    /// Sets `bytes` as the body, sent with this `Content-Type`.
    pub(crate) fn raw_body(
        &mut self,
        content_type: &str,
        bytes: impl Into<bytes::Bytes>,
    ) -> Result<(), ValidationError> {
        self.content_type(content_type)?;
        self.body = Some(bytes.into());
        Ok(())
    }

    fn content_type(&mut self, content_type: &str) -> Result<(), ValidationError> {
        let value = reqwest::header::HeaderValue::from_str(content_type).map_err(|_| {
            ValidationError::new("Content-Type", ValidationErrorKind::InvalidHeaderValue)
        })?;
        self.headers.insert(reqwest::header::CONTENT_TYPE, value);
        Ok(())
    }

    /// Sets a streamed body, sent with this `Content-Type` as it is read (and so once: the
    /// call is then never retried), with a `Content-Length` where its length is known.
    pub(crate) fn streamed_body(
        &mut self,
        content_type: &str,
        stream: StreamSlot,
    ) -> Result<(), ValidationError> {
        self.content_type(content_type)?;
        if let Some(length) = stream.length() {
            self.headers
                .insert(reqwest::header::CONTENT_LENGTH, length.into());
        }
        self.body = None;
        self.stream = Some(stream);
        Ok(())
    }

    /// Sets `body` as the JSON body. A body that cannot be encoded is kept as the request's
    /// refusal, which [`ready`](Self::ready) returns.
    pub(crate) fn json_body<B: Serialize>(&mut self, body: &B) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.headers.insert(
                    reqwest::header::CONTENT_TYPE,
                    reqwest::header::HeaderValue::from_static("application/json"),
                );
                self.body = Some(bytes.into());
            }
            Err(error) => {
                self.refused
                    .get_or_insert(ValidationError::not_encodable("body", error));
            }
        }
    }

    /// The request, or the first value refused while it was built.
    pub(crate) fn ready(self) -> Result<Self, ValidationError> {
        match self.refused {
            Some(refused) => Err(refused),
            None => Ok(self),
        }
    }
}

/// A success response before its body is decoded.
#[derive(Debug)]
pub(crate) struct RawResponse {
    operation: &'static str,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Body,
    attempts: u32,
}

impl RawResponse {
    pub(crate) fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The body decoded as JSON of type `T`.
    pub(crate) fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body.bytes).map_err(|source| {
            Error::Decode(Box::new(DecodeError::new(
                self.operation,
                self.status,
                self.headers.clone(),
                &self.body,
                source,
                self.attempts,
            )))
        })
    }

    /// The body as text (invalid UTF-8 replaced: text is for reading, not for a hash).
    pub(crate) fn text(&self) -> String {
        self.body.text()
    }

    /// The body's bytes.
    pub(crate) fn bytes(&self) -> Vec<u8> {
        self.body.bytes.clone()
    }

    /// The body's bytes, borrowed.
    pub(crate) fn body_bytes(&self) -> &[u8] {
        &self.body.bytes
    }

    /// The response headers.
    pub(crate) fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The decoded `body` with this response's status and headers.
    pub(crate) fn into_response<T>(self, body: T) -> Response<T> {
        Response::new(self.status, self.headers, body)
    }
}

/// The HTTP client, base URL, credentials and policies every request goes through. Cheap
/// to clone: clones share the connection pool.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    shared: Arc<Shared>,
    retry: RetryPolicy,
}

struct Shared {
    /// Where every request goes: the default `reqwest::Client`, or the caller's.
    http: SharedTransport,
    /// Called around every request sent, in order.
    hooks: Vec<Arc<dyn Hooks>>,
    /// Validated, without a trailing slash.
    base_url: String,
    /// The base URL's origin: the only one credentials are sent to.
    home: url::Origin,
    schemes: &'static [Scheme],
    /// By scheme index; `None` where the caller gave none.
    credentials: Vec<Option<Credential>>,
    /// Default headers (values marked sensitive), sent to the base URL's origin only.
    headers: reqwest::header::HeaderMap,
    user_agent: reqwest::header::HeaderValue,
    timeout: Option<Duration>,
    max_response_bytes: usize,
    redirects: RedirectPolicy,
    /// The bound on requests in flight, when the caller set one.
    in_flight: Option<Arc<tokio::sync::Semaphore>>,
}

impl std::fmt::Debug for Shared {
    // Names, not values: default headers can carry tokens, and the HTTP client's own `Debug`
    // shows its proxies (whose URLs can hold a password) and default headers.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<&str> = self
            .headers
            .keys()
            .map(reqwest::header::HeaderName::as_str)
            .collect();
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("default_headers", &headers)
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("redirects", &self.redirects)
            .finish_non_exhaustive()
    }
}

/// One attempt's outcome.
enum Attempt {
    Response {
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: Body,
        /// Why the redirect this response asks for was not followed.
        refused: Option<Refusal>,
        /// The response's body, unread, for a stream.
        live: Option<ResponseBody>,
    },
    Failed(TransportErrorKind, Box<dyn std::error::Error + Send + Sync>),
}

impl Transport {
    #[allow(clippy::too_many_arguments)] // One caller, `ClientBuilder::build_transport`.
    pub(crate) fn new(
        http: SharedTransport,
        hooks: Vec<Arc<dyn Hooks>>,
        base_url: &str,
        schemes: &'static [Scheme],
        credentials: Vec<Option<Credential>>,
        headers: reqwest::header::HeaderMap,
        user_agent: reqwest::header::HeaderValue,
        timeout: Option<Duration>,
        retry: RetryPolicy,
        max_response_bytes: usize,
        redirects: RedirectPolicy,
        in_flight: Option<Arc<tokio::sync::Semaphore>>,
    ) -> Result<Self, ConfigError> {
        let (base_url, home) = normalize_base_url(base_url)?;
        Ok(Self {
            shared: Arc::new(Shared {
                http,
                hooks,
                base_url,
                home,
                schemes,
                credentials,
                headers,
                user_agent,
                timeout,
                max_response_bytes,
                redirects,
                in_flight,
            }),
            retry,
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The URL `parts` is sent to, without the query parameters of credentials.
    pub(crate) fn request_url(&self, parts: &RequestParts) -> url::Url {
        let mut url = match &parts.url {
            Some(url) => url.clone(),
            // The base URL was validated and the path percent-encoded: this parses.
            None => url::Url::parse(&format!("{}{}", self.shared.base_url, parts.path))
                .unwrap_or_else(|_| self.base()),
        };
        if !parts.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&parts.query);
        }
        url
    }

    /// Whether `url` has the base URL's origin (scheme, host and port): the only place the
    /// client's credentials go.
    pub(crate) fn same_origin(&self, url: &url::Url) -> bool {
        url.origin() == self.shared.home
    }

    fn base(&self) -> url::Url {
        url::Url::parse(&self.shared.base_url).expect("the base URL was validated when built")
    }

    /// The same transport with another retry policy (a per-call override).
    pub(crate) fn with_retry_policy(&self, retry: RetryPolicy) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            retry,
        }
    }

    /// The same transport sending to another base URL.
    pub(crate) fn with_base_url(&self, base_url: &str) -> Result<Self, ConfigError> {
        let shared = &self.shared;
        let (base_url, home) = normalize_base_url(base_url)?;
        Ok(Self {
            shared: Arc::new(Shared {
                http: Arc::clone(&shared.http),
                hooks: shared.hooks.clone(),
                base_url,
                home,
                schemes: shared.schemes,
                credentials: shared.credentials.clone(),
                headers: shared.headers.clone(),
                user_agent: shared.user_agent.clone(),
                timeout: shared.timeout,
                max_response_bytes: shared.max_response_bytes,
                redirects: shared.redirects.clone(),
                // The same bound: a client with another base URL is still this client.
                in_flight: shared.in_flight.clone(),
            }),
            retry: self.retry.clone(),
        })
    }

    /// The call of an operation whose success body is JSON: `parts` is the request, built
    /// when the operation's method was called (or the refusal of one of its values, which
    /// the call then gives without any I/O); it is sent when the call is awaited (see
    /// [`call_raw`](Self::call_raw)).
    pub(crate) fn call_json<'a, O, T, E>(
        &'a self,
        operation: &'static Operation<E>,
        parts: Result<RequestParts, Error<E>>,
    ) -> Call<'a, T, E, O>
    where
        T: DeserializeOwned + 'a,
        E: Send + 'static,
    {
        self.call_raw(
            operation,
            |raw| {
                let body = raw.json()?;
                Ok(raw.into_response(body))
            },
            parts,
        )
    }

    /// [`call_json`](Self::call_json), for a text body.
    pub(crate) fn call_text<'a, O, E: Send + 'static>(
        &'a self,
        operation: &'static Operation<E>,
        parts: Result<RequestParts, Error<E>>,
    ) -> Call<'a, String, E, O> {
        self.call_raw(
            operation,
            |raw| {
                let body = raw.text();
                Ok(raw.into_response(body))
            },
            parts,
        )
    }

    /// [`call_json`](Self::call_json), for a response without a body.
    pub(crate) fn call_empty<'a, O, E: Send + 'static>(
        &'a self,
        operation: &'static Operation<E>,
        parts: Result<RequestParts, Error<E>>,
    ) -> Call<'a, (), E, O> {
        self.call_raw(operation, |raw| Ok(raw.into_response(())), parts)
    }

    /// [`call_json`](Self::call_json), for a streamed body: `open` turns the response, its
    /// body unread, into the stream.
    pub(crate) fn call_live<'a, O, T: 'a, E: Send + 'static>(
        &'a self,
        operation: &'static Operation<E>,
        open: fn(Live) -> Response<T>,
        parts: Result<RequestParts, Error<E>>,
    ) -> Call<'a, T, E, O> {
        super::call::live(self, operation, open, parts)
    }

    /// The call every other `call_*` is: the request sent (retrying as the policy allows),
    /// and a success response read by `decode` (by its status, where success statuses carry
    /// different bodies). Any 2xx status is a success: APIs drift between 200 and 201. Any
    /// other status becomes [`Error::Api`], with the body decoded by `operation.errors`
    /// where it has the documented shape.
    pub(crate) fn call_raw<'a, O, T: 'a, E: Send + 'static>(
        &'a self,
        operation: &'static Operation<E>,
        decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
        parts: Result<RequestParts, Error<E>>,
    ) -> Call<'a, T, E, O> {
        super::call::decoded(self, operation, decode, parts)
    }

    /// Sends the request and returns the success response undecoded, for operations whose
    /// success statuses carry different bodies.
    pub(crate) async fn send_raw<E>(
        &self,
        operation: &'static Operation<E>,
        parts: RequestParts,
    ) -> Result<RawResponse, Error<E>> {
        let sent = self.send(operation, &parts, false).await?;
        Ok(RawResponse {
            operation: operation.id,
            status: sent.status,
            headers: sent.headers,
            body: sent.body,
            attempts: sent.attempts,
        })
    }

    /// Sends the request for an operation whose success response is a stream: retries and
    /// error responses as for any operation, but a success's body is left unread, for the
    /// caller to read as it arrives. The timeout covers the wait for the response's headers,
    /// not the stream, which lasts as long as the server sends.
    pub(crate) async fn send_live<E>(
        &self,
        operation: &'static Operation<E>,
        parts: RequestParts,
    ) -> Result<Live, Error<E>> {
        let sent = self.send(operation, &parts, true).await?;
        match sent.live {
            Some(body) => Ok(Live {
                operation: operation.id,
                status: sent.status,
                headers: sent.headers,
                body,
                attempts: sent.attempts,
                limit: self.shared.max_response_bytes,
            }),
            // `read` keeps every success live when asked: not reached.
            None => Err(Error::Transport(TransportError::new(
                operation.id,
                TransportErrorKind::Other,
                sent.attempts,
                Box::new(NotLive),
            ))),
        }
    }

    /// The retry loop: a success response, or the last failure. With `live`, a success's
    /// body is left unread.
    async fn send<E>(
        &self,
        operation: &'static Operation<E>,
        parts: &RequestParts,
        live: bool,
    ) -> Result<Success, Error<E>> {
        let started = Instant::now();
        // Every call kind comes through here: a path value that would climb out of its
        // segment is refused before any I/O, whichever method built the request.
        if parts.url.is_none() {
            check_path_segments(operation.path, &parts.path)?;
        }
        // Which credentials to send is settled before any I/O: a missing one is refused here.
        let chosen = choose(
            parts.security,
            &self.shared.credentials,
            self.shared.schemes,
        )?;
        let cookie = parts.cookie_header(&self.shared.credentials, chosen)?;
        let route = operation.route();
        // The access tokens the client fetches itself (OAuth client credentials), before the
        // first attempt: the one in hand while fresh, else a new one.
        let mut tokens = self.tokens(chosen, None).await?;
        let mut renewed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let sent = Sent {
                chosen,
                cookie: cookie.as_ref(),
                tokens: &tokens,
            };
            let outcome = match self.attempt(&route, parts, sent, attempt, live).await {
                Attempt::Response {
                    status,
                    headers,
                    body,
                    live,
                    ..
                } if status.is_success() => {
                    if body.truncated {
                        return Err(Error::ResponseTooLarge(ResponseTooLarge::new(
                            operation.id,
                            status,
                            self.shared.max_response_bytes,
                            attempt,
                        )));
                    }
                    return Ok(Success {
                        status,
                        headers,
                        body,
                        attempts: attempt,
                        live,
                    });
                }
                other => other,
            };
            // The API refused a token the client fetched: renewed (unless another call renewed
            // it meanwhile) and the request sent again, once. A `401` means the request was not
            // acted on, so this holds for every method.
            if !renewed
                && !tokens.is_empty()
                && matches!(&outcome, Attempt::Response { status, .. } if *status == reqwest::StatusCode::UNAUTHORIZED)
            {
                renewed = true;
                tracing::debug!(
                    operation = operation.id,
                    attempt,
                    "access token refused: renewing"
                );
                tokens = self
                    .tokens(chosen, Some(&tokens))
                    .await
                    .map_err(|error| error.after(attempt))?;
                continue;
            }
            let (retry_allowed, asked_wait) = match &outcome {
                Attempt::Response {
                    status, headers, ..
                } => (
                    is_retryable_status(*status) && self.may_repeat(&route, parts, None),
                    retry_after(headers, SystemTime::now()),
                ),
                Attempt::Failed(kind, _) => (self.may_repeat(&route, parts, Some(*kind)), None),
            };
            let wait = self.retry.backoff_for(attempt, fastrand::f64());
            let wait = asked_wait.map_or(wait, |asked| asked.max(wait));
            let within_deadline = self
                .retry
                .total_deadline()
                .is_none_or(|deadline| started.elapsed() + wait < deadline);
            let honourable =
                asked_wait.is_none_or(|asked| asked <= self.retry.longest_retry_after());
            if retry_allowed && attempt < self.retry.attempts() && within_deadline && honourable {
                tracing::debug!(
                    operation = operation.id,
                    attempt,
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(failure(operation, outcome, attempt));
        }
    }

    /// The `Authorization` values of the chosen credentials whose tokens the client fetches
    /// itself, in order; with `refused`, the values the API just refused, to be replaced.
    async fn tokens(
        &self,
        chosen: &[usize],
        refused: Option<&[reqwest::header::HeaderValue]>,
    ) -> Result<Vec<reqwest::header::HeaderValue>, super::error::TokenError> {
        let shared = &self.shared;
        let sources = chosen
            .iter()
            .filter_map(|&index| shared.credentials.get(index).and_then(Option::as_ref))
            .filter_map(Credential::token_source);
        let mut tokens = Vec::new();
        for (k, source) in sources.enumerate() {
            let endpoint = Endpoint {
                http: &shared.http,
                timeout: shared.timeout,
                user_agent: &shared.user_agent,
                max_response_bytes: shared.max_response_bytes,
            };
            let refused = refused.and_then(|refused| refused.get(k));
            tokens.push(source.token(&endpoint, refused).await?);
        }
        Ok(tokens)
    }

    /// Whether the policy allows repeating this request after this failure (`None`: a
    /// retryable status).
    fn may_repeat(
        &self,
        operation: &Route,
        parts: &RequestParts,
        failure: Option<TransportErrorKind>,
    ) -> bool {
        // A streamed body went with the first attempt: there is nothing to send again.
        if parts.stream.is_some() {
            return false;
        }
        // A connection that was never established carried no request: always safe.
        failure == Some(TransportErrorKind::Connect)
            || operation.idempotent()
            || parts.idempotent
            || self.retry.repeats_non_idempotent()
    }

    /// One attempt, in its own span: operation, method, path template, attempt, status and
    /// latency; never a header value or a body.
    async fn attempt(
        &self,
        operation: &Route,
        parts: &RequestParts,
        sent: Sent<'_>,
        attempt: u32,
        live: bool,
    ) -> Attempt {
        let span = tracing::info_span!(
            "http_request",
            operation = operation.id,
            method = %operation.method,
            path = operation.path,
            attempt,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        // The caller's bound on requests in flight: held for this attempt only, so that a
        // retry waiting out its backoff holds no place. (The semaphore is never closed.)
        let _place = match &self.shared.in_flight {
            Some(bound) => bound.acquire().await.ok(),
            None => None,
        };
        let started = Instant::now();
        let outcome = self
            .exchange(operation, parts, sent, attempt, live)
            .instrument(span.clone())
            .await;
        let latency = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("latency_ms", latency);
        match &outcome {
            Attempt::Response { status, .. } => {
                span.record("status", status.as_u16());
                // `debug`: a library's per-request events are the application's to turn on.
                span.in_scope(|| {
                    tracing::debug!(status = status.as_u16(), latency_ms = latency, "response");
                });
            }
            Attempt::Failed(kind, error) => {
                // The caller gets the error (or a retry follows): not a warning of ours.
                span.in_scope(|| {
                    tracing::debug!(kind = ?kind, error = %error, latency_ms = latency, "request failed");
                });
            }
        }
        outcome
    }

    /// One attempt: the request, and the redirects the policy follows. Credentials, default
    /// headers, header and cookie parameters go only to the base URL's origin. Each request
    /// (each hop) goes through the hooks, then gets its credentials, then goes to the
    /// transport.
    async fn exchange(
        &self,
        operation: &Route,
        parts: &RequestParts,
        sent: Sent<'_>,
        attempt: u32,
        live: bool,
    ) -> Attempt {
        let shared = &self.shared;
        // Walked where needed rather than collected: most requests have one credential.
        let chosen = || {
            sent.chosen
                .iter()
                .filter_map(|&index| shared.credentials.get(index).and_then(Option::as_ref))
        };
        let credential_query: Vec<(String, String)> =
            chosen().filter_map(Credential::query_pair).collect();
        let mut url = self.url_of(parts);
        let mut method = match operation.http_method() {
            Ok(method) => method,
            Err(error) => return Attempt::Failed(TransportErrorKind::Other, error),
        };
        // Shared: each send (a redirect's too) holds it without copying. A stream goes with
        // the first request only (`with_stream`): no redirect asks for it again.
        let mut body = parts.body.clone();
        // Cleared for good once a redirect leaves the base URL's origin.
        let mut at_home = true;
        let mut followed = 0;
        loop {
            let info = AttemptInfo {
                operation: operation.id,
                method: operation.method,
                path: operation.path,
                attempt,
                redirects: u32::try_from(followed).unwrap_or(u32::MAX),
            };
            let mut request =
                match self.request(operation, parts, &method, &url, body.as_ref(), at_home) {
                    Ok(request) => request,
                    Err(error) => return Attempt::Failed(TransportErrorKind::Other, error),
                };
            if let Some(failed) = with_stream(&mut request, parts.stream.as_ref(), followed) {
                return failed;
            }
            for hook in &shared.hooks {
                hook.before_send(&info, &mut request);
            }
            // What no hook sees: the credentials, the cookie, the query credentials.
            if at_home {
                if let Err(error) = authorize(
                    &mut request,
                    chosen(),
                    sent.cookie,
                    sent.tokens,
                    &credential_query,
                ) {
                    return Attempt::Failed(TransportErrorKind::Other, error);
                }
            }
            request.extensions_mut().insert(info);
            // One timer for the hop: the send and the body's read share it.
            let mut deadline = shared.timeout.map(Deadline::new);
            let response = match self.send_once(&info, request, deadline.as_mut()).await {
                Ok(response) => response,
                Err(failed) => return failed,
            };
            let status = response.status();
            // A body is read within the same timeout, but for a stream's (`read` leaves it to
            // the caller, for as long as the server sends).
            if !redirect::is_redirect(status) {
                return self.read(response, None, live, deadline.as_mut()).await;
            }
            let target = url::Url::parse(&url).ok().and_then(|from| {
                let location = response.headers().get(reqwest::header::LOCATION)?;
                let to = from.join(location.to_str().ok()?).ok()?;
                Some((from, to))
            });
            // Followed, or the reason it is not (the response is then the call's answer).
            let next = match target {
                None => Err(Refusal::NoLocation),
                Some((from, to)) => {
                    match shared.redirects.decide(&shared.home, &from, &to, followed) {
                        Decision::Refuse(refusal) => Err(refusal),
                        Decision::Follow { credentials } => {
                            let (next, keep_body) = redirect::next_method(status, &method);
                            if keep_body && parts.stream.is_some() {
                                Err(Refusal::StreamedBody)
                            } else {
                                Ok((to, credentials, next, keep_body))
                            }
                        }
                    }
                }
            };
            let (to, credentials, next, keep_body) = match next {
                Ok(next) => next,
                Err(refusal) => {
                    return self
                        .read(response, Some(refusal), false, deadline.as_mut())
                        .await;
                }
            };
            tracing::debug!(
                status = status.as_u16(),
                to = %redirect::origin_text(&to),
                "following redirect"
            );
            at_home &= credentials;
            method = next;
            if !keep_body {
                body = None;
            }
            url = to.into();
            followed += 1;
        }
    }

    /// Where a request goes: a next page's URL (checked to be at the base URL's origin), or
    /// the base URL and path; with its query.
    fn url_of(&self, parts: &RequestParts) -> String {
        let mut url = match &parts.url {
            Some(url) => url.to_string(),
            None => format!("{}{}", self.shared.base_url, parts.path),
        };
        append_query(&mut url, parts.query.iter());
        url
    }

    /// Sends one request through the transport, within `deadline`, and tells the hooks what
    /// came back.
    async fn send_once(
        &self,
        info: &AttemptInfo,
        request: http::Request<RequestBody>,
        deadline: Option<&mut Deadline>,
    ) -> Result<http::Response<ResponseBody>, Attempt> {
        let hooks = &self.shared.hooks;
        let (kind, source) = match within(deadline, self.shared.http.send(request)).await {
            Ok(Ok(response)) => {
                let (status, headers) = (response.status(), response.headers());
                for hook in hooks {
                    hook.after_response(info, Outcome::Response { status, headers });
                }
                return Ok(response);
            }
            Ok(Err(error)) => error.into_parts(),
            Err(timed_out) => (
                TransportErrorKind::Timeout,
                Box::new(timed_out) as Box<dyn std::error::Error + Send + Sync>,
            ),
        };
        for hook in hooks {
            hook.after_response(info, Outcome::Failed { kind });
        }
        Err(Attempt::Failed(kind, source))
    }

    /// One request as the hooks see it: method, URL, `User-Agent` and `Accept`, and (at the
    /// base URL's origin) the default headers and header parameters; everything but the
    /// credentials and cookies.
    fn request(
        &self,
        operation: &Route,
        parts: &RequestParts,
        method: &reqwest::Method,
        url: &str,
        body: Option<&bytes::Bytes>,
        at_home: bool,
    ) -> Result<http::Request<RequestBody>, Box<dyn std::error::Error + Send + Sync>> {
        let shared = &self.shared;
        let mut headers = reqwest::header::HeaderMap::new();
        // A default header or header parameter of the same name replaces these two.
        let replaced = |name: &reqwest::header::HeaderName| {
            at_home && (shared.headers.contains_key(name) || parts.headers.contains_key(name))
        };
        if !replaced(&reqwest::header::USER_AGENT) {
            headers.insert(reqwest::header::USER_AGENT, shared.user_agent.clone());
        }
        if !replaced(&reqwest::header::ACCEPT) {
            headers.insert(
                reqwest::header::ACCEPT,
                reqwest::header::HeaderValue::from_static(operation.accept),
            );
        }
        if at_home {
            // One by one: a header parameter replaces the default header of its name.
            let defaults =
                (shared.headers.iter()).filter(|(name, _)| !parts.headers.contains_key(*name));
            for (name, value) in defaults.chain(&parts.headers) {
                headers.append(name.clone(), value.clone());
            }
        } else if let (Some(_), Some(content_type)) =
            (body, parts.headers.get(reqwest::header::CONTENT_TYPE))
        {
            headers.insert(reqwest::header::CONTENT_TYPE, content_type.clone());
        }
        let body = body.map_or_else(RequestBody::empty, |b| RequestBody::from_bytes(b.clone()));
        let mut request = http::Request::builder()
            .method(method.clone())
            .uri(url)
            .body(body)?;
        *request.headers_mut() = headers;
        Ok(request)
    }

    /// Reads a response's body, up to the client's limit, by `deadline`; with `live`, a
    /// success's body is left for the caller.
    async fn read(
        &self,
        response: http::Response<ResponseBody>,
        refused: Option<Refusal>,
        live: bool,
        deadline: Option<&mut Deadline>,
    ) -> Attempt {
        let (parts, mut body) = response.into_parts();
        let status = parts.status;
        let headers = parts.headers;
        if live && status.is_success() {
            return Attempt::Response {
                status,
                headers,
                body: Body::default(),
                refused,
                live: Some(body),
            };
        }
        let read = Body::read(&mut body, &headers, self.shared.max_response_bytes);
        match within(deadline, read).await {
            Ok(Ok(body)) => Attempt::Response {
                status,
                headers,
                body,
                refused,
                live: None,
            },
            Ok(Err(error)) => Attempt::Failed(TransportErrorKind::Body, error),
            Err(timed_out) => Attempt::Failed(TransportErrorKind::Timeout, Box::new(timed_out)),
        }
    }
}

/// The credentials every attempt of a request carries: the chosen schemes (indexes), the
/// `Cookie` header holding any cookie credential, and the fetched access tokens.
#[derive(Clone, Copy)]
struct Sent<'a> {
    chosen: &'a [usize],
    cookie: Option<&'a reqwest::header::HeaderValue>,
    tokens: &'a [reqwest::header::HeaderValue],
}

/// The call's error for the last attempt's outcome, not a success: the transport's failure,
/// or the API's answer (its body decoded as the operation documents it, where it can be).
fn failure<E>(operation: &Operation<E>, outcome: Attempt, attempts: u32) -> Error<E> {
    match outcome {
        Attempt::Failed(kind, source) => {
            Error::Transport(TransportError::new(operation.id, kind, attempts, source))
        }
        Attempt::Response {
            status,
            headers,
            body,
            refused,
            ..
        } => {
            let parsed = (operation.errors)(status, &body.bytes);
            Error::Api(Box::new(ApiError::new(
                operation.id,
                status,
                headers,
                &body,
                parsed,
                attempts,
                refused.map(|refusal| refusal.to_string()),
            )))
        }
    }
}

/// A success response of the retry loop.
struct Success {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Body,
    attempts: u32,
    /// The response's body, unread, when the caller streams it.
    live: Option<ResponseBody>,
}

/// Puts the call's streamed body, if it has one, on its first request (a redirect's hop
/// never carries it); the failure when another attempt has taken it.
fn with_stream(
    request: &mut http::Request<RequestBody>,
    stream: Option<&StreamSlot>,
    hop: usize,
) -> Option<Attempt> {
    let slot = stream.filter(|_| hop == 0)?;
    match slot.take() {
        Some(body) => {
            *request.body_mut() = body;
            None
        }
        None => Some(Attempt::Failed(
            TransportErrorKind::Other,
            Box::new(SentAlready),
        )),
    }
}

/// A streamed request body was asked for a second time (a call whose attempts share it is
/// never retried, so this is a bug, reported rather than sending an empty body).
#[derive(Debug)]
struct SentAlready;

impl std::fmt::Display for SentAlready {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the streamed request body was sent already: a stream is sent once")
    }
}

impl std::error::Error for SentAlready {}

/// A success response whose body is still to be read, as a stream.
#[derive(Debug)]
pub(crate) struct Live {
    pub operation: &'static str,
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: ResponseBody,
    pub attempts: u32,
    /// The client's response size limit, which applies to each item of the stream.
    pub limit: usize,
}

/// The response (a stream's: its headers) did not arrive within the timeout.
#[derive(Debug)]
struct TimedOut(Duration);

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no response within {:?}", self.0)
    }
}

impl std::error::Error for TimedOut {}

/// A stream's success response whose body was read before it could be streamed.
#[derive(Debug)]
struct NotLive;

impl std::fmt::Display for NotLive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the response body was read before it could be streamed")
    }
}

impl std::error::Error for NotLive {}

/// Puts the chosen credentials on `request`: headers, fetched access tokens, the cookie
/// (which holds them), and the query credentials (their names marked, for the test double to redact).
fn authorize<'c>(
    request: &mut http::Request<RequestBody>,
    credentials: impl Iterator<Item = &'c Credential>,
    cookie: Option<&reqwest::header::HeaderValue>,
    tokens: &[reqwest::header::HeaderValue],
    credential_query: &[(String, String)],
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let headers = request.headers_mut();
    for credential in credentials {
        credential.authorize(headers);
    }
    for token in tokens {
        headers.append(reqwest::header::AUTHORIZATION, token.clone());
    }
    if let Some(cookie) = cookie {
        headers.append(reqwest::header::COOKIE, cookie.clone());
    }
    if !credential_query.is_empty() {
        let names = credential_query
            .iter()
            .map(|(name, _)| name.clone())
            .collect();
        request.extensions_mut().insert(SecretQuery(names));
        let mut with_key = request.uri().to_string();
        append_query(&mut with_key, credential_query.iter());
        *request.uri_mut() = http::Uri::try_from(with_key)?;
    }
    Ok(())
}

/// A new idempotency key: a random UUID (version 4), the form APIs document for it.
fn new_idempotency_key() -> String {
    let high = fastrand::u64(..);
    let low = fastrand::u64(..);
    // Version 4 in the third group's first digit; the variant `10` in the fourth's top bits.
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0x0fff,
        0x8000 | ((low >> 48) & 0x3fff),
        low & 0xffff_ffff_ffff
    )
}

/// The timeout of one request (one hop): a single timer, started when the request is sent,
/// that the wait for the response and the read of its body share.
struct Deadline {
    timeout: Duration,
    timer: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            timer: Box::pin(tokio::time::sleep(timeout)),
        }
    }
}

/// `future`, unless `deadline` passes first.
async fn within<F: std::future::Future>(
    deadline: Option<&mut Deadline>,
    future: F,
) -> Result<F::Output, TimedOut> {
    let Some(deadline) = deadline else {
        return Ok(future.await);
    };
    let mut future = std::pin::pin!(future);
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(cx) {
            return std::task::Poll::Ready(Ok(output));
        }
        deadline
            .timer
            .as_mut()
            .poll(cx)
            .map(|()| Err(TimedOut(deadline.timeout)))
    })
    .await
}

/// Appends `pairs` to `url` as its query string (form-encoded), if there are any.
fn append_query<'a>(url: &mut String, pairs: impl Iterator<Item = &'a (String, String)>) {
    let mut pairs = pairs.peekable();
    if pairs.peek().is_some() {
        // A next page's URL may have a query of its own.
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        );
    }
}

/// Builds a request whose values may be refused: `build`'s error ends the call before any
/// I/O. (A function rather than a closure called in place, so that the error type is the
/// call's.)
pub(crate) fn build<E>(
    build: impl FnOnce() -> Result<RequestParts, Error<E>>,
) -> Result<RequestParts, Error<E>> {
    build()
}

/// A value as a JSON tree, for the encoders that walk one; `name` is blamed on failure.
pub(crate) fn to_json<T: Serialize>(
    name: &'static str,
    value: &T,
) -> Result<serde_json::Value, ValidationError> {
    serde_json::to_value(value).map_err(|error| ValidationError::not_encodable(name, error))
}

/// A value as JSON text, for a parameter described by `content: application/json`.
pub(crate) fn json_text<T: Serialize>(
    name: &'static str,
    value: &T,
) -> Result<String, ValidationError> {
    serde_json::to_string(value).map_err(|error| ValidationError::not_encodable(name, error))
}

/// Any JSON-shaped value as one piece of text (a path segment, a header, a cookie), in the
/// `simple` style: scalars bare, arrays comma-joined, objects `key,value,...`, or
/// `key=value,...` when exploded.
pub(crate) fn value_text<T: Serialize>(
    name: &'static str,
    explode: bool,
    value: &T,
) -> Result<String, ValidationError> {
    let value = to_json(name, value)?;
    if let (true, serde_json::Value::Object(map)) = (explode, &value) {
        let pairs: Vec<String> = map
            .iter()
            .filter(|(_, item)| !item.is_null())
            .map(|(key, item)| format!("{key}={}", scalar_text(item)))
            .collect();
        return Ok(pairs.join(","));
    }
    let mut pairs = Vec::new();
    push_value(&mut pairs, name.to_owned(), false, false, ',', &value);
    Ok(pairs
        .into_iter()
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join(","))
}

/// Appends the pairs of one named value: arrays repeated (`explode`) or joined by
/// `separator`, objects as `name[key]` (`deep`), exploded into their own keys, or joined
/// `key,value,...`.
///
/// Under `deep` (`deepObject` query parameters and form fields), every array item gets its
/// index, scalars included: `expand[0]=a&expand[1]=b`, `items[0][price]=p`. OpenAPI leaves
/// arrays in a `deepObject` undefined; the APIs that use the style (Stripe, and the Rails and
/// Rack parsers behind many others) read `name[0]` as an array's item, while a repeated bare
/// `name` is read as one value replacing the other, and `name[]` is not read as an index by
/// all of them. Indexes keep the items' order and tell an array of one from a scalar.
pub(crate) fn push_value(
    query: &mut Vec<(String, String)>,
    name: String,
    deep: bool,
    explode: bool,
    separator: char,
    value: &serde_json::Value,
) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Array(items) if deep => {
            for (index, item) in items.iter().enumerate() {
                push_value(
                    query,
                    format!("{name}[{index}]"),
                    deep,
                    explode,
                    separator,
                    item,
                );
            }
        }
        Value::Array(items) if explode => {
            for item in items {
                query.push((name.clone(), scalar_text(item)));
            }
        }
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().map(scalar_text).collect();
            query.push((name, joined.join(&separator.to_string())));
        }
        Value::Object(map) if deep => {
            for (key, item) in by_name(map) {
                push_value(
                    query,
                    format!("{name}[{key}]"),
                    deep,
                    explode,
                    separator,
                    item,
                );
            }
        }
        Value::Object(map) if explode => {
            for (key, item) in by_name(map) {
                if !item.is_null() {
                    query.push((key.clone(), scalar_text(item)));
                }
            }
        }
        Value::Object(map) => {
            let joined: Vec<String> = by_name(map)
                .into_iter()
                .filter(|(_, item)| !item.is_null())
                .flat_map(|(key, item)| [key.clone(), scalar_text(item)])
                .collect();
            query.push((name, joined.join(",")));
        }
        scalar => query.push((name, scalar_text(scalar))),
    }
}

/// An object's entries in the order of their names, whatever order `serde_json` keeps them in
/// (its `preserve_order` feature, which another crate of a build can turn on, keeps insertion
/// order): the encoding is the same in every build.
pub(crate) fn by_name(
    map: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(&String, &serde_json::Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

/// A value as query text: strings bare, everything else as JSON.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The path of `template` (the API description's, such as `/pets/{id}`) with each
/// placeholder, in order, replaced by the next of `values`, percent-encoded as one segment.
pub(crate) fn fill_path(template: &str, values: &[&str]) -> String {
    let mut path = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|close| close + open) else {
            break;
        };
        path.push_str(&rest[..open]);
        match values.next() {
            Some(value) => path.push_str(&encode_path_segment(value)),
            None => path.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    path
}

/// Refuses a filled `path` in which a segment of `template` that holds a placeholder became
/// empty, `.` or `..` (in any mix of `.` and `%2e`, either case): URL parsing (WHATWG's and
/// RFC 3986's alike) drops such a segment or climbs to its parent, so `DELETE
/// /v1/webhooks/{id}/` with `..` would be sent as `DELETE /v1/`. Encoding cannot help: parsers
/// read `%2e%2e` as `..` too. The error names the placeholder (the first, where a segment
/// holds several). Values are percent-encoded into one segment each, so the filled path has
/// the template's segments; a path that does not line up with its template is not checked.
pub(crate) fn check_path_segments(
    template: &'static str,
    path: &str,
) -> Result<(), ValidationError> {
    if !template.contains('{') || template.split('/').count() != path.split('/').count() {
        return Ok(());
    }
    for (pattern, filled) in template.split('/').zip(path.split('/')) {
        let Some(open) = pattern.find('{') else {
            continue;
        };
        let Some(close) = pattern[open..].find('}').map(|close| close + open) else {
            continue;
        };
        if is_dot_segment(filled) {
            return Err(ValidationError::new(
                &pattern[open + 1..close],
                ValidationErrorKind::NotAPathSegment,
            ));
        }
    }
    Ok(())
}

/// Whether a path segment is empty, `.` or `..`, with dots written `.`, `%2e` or `%2E`.
fn is_dot_segment(segment: &str) -> bool {
    let mut rest = segment.as_bytes();
    let mut dots = 0;
    while !rest.is_empty() {
        if rest[0] == b'.' {
            rest = &rest[1..];
        } else if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"%2e") {
            rest = &rest[3..];
        } else {
            return false;
        }
        dots += 1;
        if dots > 2 {
            return false;
        }
    }
    true
}

/// Percent-encodes one path parameter so that it stays one path segment.
pub(crate) fn encode_path_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// The base URL without a trailing slash, and its origin; refused unless an absolute `http`
/// or `https` URL without query or fragment.
pub(crate) fn normalize_base_url(base_url: &str) -> Result<(String, url::Origin), ConfigError> {
    let refuse =
        |reason: String| ConfigError::new("base_url", ConfigErrorKind::InvalidBaseUrl { reason });
    let parsed = url::Url::parse(base_url).map_err(|error| refuse(error.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refuse(format!(
            "scheme `{}` is not http or https",
            parsed.scheme()
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse("a base URL has no query or fragment".to_owned()));
    }
    let origin = parsed.origin();
    Ok((parsed.as_str().trim_end_matches('/').to_owned(), origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path_without_trailing_slash() {
        assert_eq!(
            normalize_base_url("https://prod.truv.com/").unwrap().0,
            "https://prod.truv.com"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080/proxy/")
                .unwrap()
                .0,
            "http://127.0.0.1:8080/proxy"
        );
    }

    #[test]
    fn base_url_must_be_http() {
        assert!(normalize_base_url("ftp://example.com").is_err());
        assert!(normalize_base_url("example.com").is_err());
        assert!(normalize_base_url("https://example.com/?a=b").is_err());
    }

    #[test]
    fn query_values_follow_style_and_explode() {
        let filter = serde_json::json!({"status": "open", "tags": ["a", "b"], "gone": null});
        let mut query = RequestParts::new("/".to_owned(), &[]);
        query
            .add_query_value("filter", true, true, &filter)
            .unwrap();
        assert_eq!(
            query.query,
            [
                ("filter[status]".to_owned(), "open".to_owned()),
                ("filter[tags][0]".to_owned(), "a".to_owned()),
                ("filter[tags][1]".to_owned(), "b".to_owned()),
            ]
        );
        // A `deepObject` array, of scalars or objects, indexes its items.
        let mut query = RequestParts::new("/".to_owned(), &[]);
        let expand = serde_json::json!(["customer", {"id": 7}]);
        query
            .add_query_value("expand", true, true, &expand)
            .unwrap();
        assert_eq!(
            query.query,
            [
                ("expand[0]".to_owned(), "customer".to_owned()),
                ("expand[1][id]".to_owned(), "7".to_owned()),
            ]
        );
        let mut query = RequestParts::new("/".to_owned(), &[]);
        query
            .add_query_value("ids", false, false, &[1, 2, 3])
            .unwrap();
        assert_eq!(query.query, [("ids".to_owned(), "1,2,3".to_owned())]);
        let mut query = RequestParts::new("/".to_owned(), &[]);
        let point = serde_json::json!({"x": 1, "y": 2});
        query.add_query_value("point", false, true, &point).unwrap();
        assert_eq!(
            query.query,
            [
                ("x".to_owned(), "1".to_owned()),
                ("y".to_owned(), "2".to_owned())
            ]
        );
        let mut query = RequestParts::new("/".to_owned(), &[]);
        query
            .add_query_value("point", false, false, &point)
            .unwrap();
        assert_eq!(query.query, [("point".to_owned(), "x,1,y,2".to_owned())]);
    }

    #[test]
    fn query_parameters_are_replaced_and_urls_override_the_path() {
        let mut parts = RequestParts::new("/v1/items/".to_owned(), &[]);
        parts.set_query("limit", "10".to_owned());
        parts.set_query("starting_after", "a".to_owned());
        parts.set_query("starting_after", "b".to_owned());
        assert_eq!(parts.query_value("starting_after"), Some("b"));
        assert_eq!(parts.query.len(), 2);
        parts.set_url(url::Url::parse("https://api.example.com/v1/items/?page=2").unwrap());
        assert!(parts.query.is_empty());
        assert_eq!(parts.query_value("limit"), None);
    }

    #[test]
    fn a_body_that_cannot_be_encoded_is_the_requests_refusal() {
        let mut parts = RequestParts::new("/x".to_owned(), &[]);
        // JSON object keys are strings: a map keyed by pairs has no JSON form.
        let body: std::collections::BTreeMap<(i32, i32), i32> = [((1, 2), 3)].into();
        parts.json_body(&body);
        let refused = parts.ready().unwrap_err();
        assert_eq!(refused.field(), "body");
        let mut parts = RequestParts::new("/x".to_owned(), &[]);
        parts.json_body(&serde_json::json!({"a": 1}));
        assert_eq!(parts.ready().unwrap().body(), Some(&b"{\"a\":1}"[..]));
    }

    #[test]
    fn templates_are_filled_in_order() {
        assert_eq!(
            fill_path(
                "/repos/{owner}/{repo}/contents/{path}",
                &["o c", "r", "a/b"]
            ),
            "/repos/o%20c/r/contents/a%2Fb"
        );
        assert_eq!(fill_path("/v1/{id}.json", &["7"]), "/v1/7.json");
        assert_eq!(fill_path("/plain", &[]), "/plain");
    }

    #[test]
    fn placeholders_that_become_dot_segments_are_refused() {
        let template = "/v1/webhooks/{webhook_id}/";
        for value in ["", ".", "..", "%2e", "%2E%2e", ".%2E"] {
            let path = format!("/v1/webhooks/{value}/");
            let refused = check_path_segments(template, &path).unwrap_err();
            assert_eq!(refused.field(), "webhook_id", "{value:?}");
            assert_eq!(refused.kind(), &ValidationErrorKind::NotAPathSegment);
        }
        // Values as `fill_path` encodes them: only the dot forms are refused.
        for (value, refused) in [("..", true), ("...", false), ("a.", false), ("%2e", false)] {
            let path = fill_path(template, &[value]);
            assert_eq!(
                check_path_segments(template, &path).is_err(),
                refused,
                "{value:?}"
            );
        }
        // `label` style: `.` and an empty value is `.`; `matrix` keeps its `;name=`.
        let refused = check_path_segments("/files/{name}", "/files/.").unwrap_err();
        assert_eq!(refused.field(), "name");
        assert!(check_path_segments("/files/{name}", "/files/.a").is_ok());
        assert!(check_path_segments("/files/{name}", "/files/;name=").is_ok());
        // A segment with text around its placeholder, and the template's own empty segments.
        assert!(check_path_segments("/v1/{id}.json", "/v1/..json").is_ok());
        let refused = check_path_segments("/a/{x}{y}/b", "/a/../b").unwrap_err();
        assert_eq!(refused.field(), "x");
        assert!(check_path_segments("/v1/webhooks/", "/v1/webhooks/").is_ok());
        assert!(check_path_segments("/v1/{id}/", "/v1/7/").is_ok());
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }

    #[test]
    fn idempotency_follows_the_method() {
        let op = |method| Route {
            id: "x",
            method,
            path: "/",
            accept: "application/json",
        };
        assert!(op("GET").idempotent());
        assert!(op("PUT").idempotent());
        assert!(op("DELETE").idempotent());
        assert!(op("QUERY").idempotent());
        assert!(!op("POST").idempotent());
        assert!(!op("PATCH").idempotent());
        assert!(!op("LINK").idempotent());
    }

    #[test]
    fn extension_methods_are_sent_as_written() {
        let op = |method| Route {
            id: "x",
            method,
            path: "/",
            accept: "application/json",
        };
        assert_eq!(op("GET").http_method().unwrap(), reqwest::Method::GET);
        assert_eq!(op("QUERY").http_method().unwrap().as_str(), "QUERY");
        assert_eq!(op("LINK").http_method().unwrap().as_str(), "LINK");
        assert!(op("NOT A TOKEN").http_method().is_err());
    }

    #[test]
    fn idempotency_keys_are_version_4_uuids_and_differ_per_request() {
        let key = new_idempotency_key();
        let groups: Vec<&str> = key.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{key}"
        );
        assert!(
            key.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
            "{key}"
        );
        assert!(groups[2].starts_with('4'), "{key}");
        assert!(
            matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "{key}"
        );
        assert_ne!(new_idempotency_key(), key);

        let mut parts = RequestParts::new("/charges".into(), &[]);
        parts.idempotency_key("Idempotency-Key", true);
        assert!(parts.idempotent);
        let made = parts.headers["idempotency-key"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(made.len(), 36);
        // The caller's key, set by its setter, replaces the one made.
        parts.unset("Idempotency-Key");
        parts.header("Idempotency-Key", "order-17").unwrap();
        assert_eq!(parts.headers["idempotency-key"], "order-17");
        assert_eq!(parts.headers.get_all("idempotency-key").iter().count(), 1);
    }
}
