//! The error type every operation returns.
//!
//! `E` is what the operation's error responses decode as: one type when they all share a body,
//! else an enum of the documented statuses. The crate root names the most common one as the
//! default of its `Error` alias.

use std::fmt;
use std::time::Duration;

use super::response::Body;
use super::retry::{is_retryable_status, retry_after};
use super::validation::ValidationError;

/// How an operation's error responses are decoded: by status, into its error type, or
/// `None` when the body does not have the documented shape (the raw body stays available).
pub(crate) type ErrorDecoder<E> = fn(reqwest::StatusCode, &[u8]) -> Option<E>;

/// The decoder for operations whose error responses all share one JSON body type.
pub(crate) fn json_error<E: serde::de::DeserializeOwned>(
    _status: reqwest::StatusCode,
    body: &[u8],
) -> Option<E> {
    serde_json::from_slice(body).ok()
}

/// How many characters of a response body `Display` shows; the whole (size-bounded) body
/// stays available through the accessors.
const DISPLAY_BODY_LIMIT: usize = 200;

/// Everything that can go wrong when calling the API.
///
/// No variant ever holds a credential: requests are described by operation and path
/// template, never by their headers, and transport errors are stripped of their URL.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// A value was refused before any network I/O (a field too long, a required field not
    /// set, a credential or header that cannot be sent, a bad base URL...).
    InvalidRequest(ValidationError),
    /// No usable response arrived (connection refused or reset, TLS, timeout, a body cut
    /// short).
    Transport(TransportError),
    /// The server answered with a status that is not a success. (Boxed: headers and body
    /// make it large, and errors travel through every `?`.)
    Api(Box<ApiError<E>>),
    /// The server answered with a success status, but its body did not decode as the
    /// documented type.
    Decode(Box<DecodeError>),
    /// The response body was larger than the client's limit
    /// (`ClientBuilder::max_response_bytes`).
    ResponseTooLarge(ResponseTooLarge),
}

impl<E> Error<E> {
    /// The HTTP status of the response, where there was one.
    #[must_use]
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Self::Api(error) => Some(error.status()),
            Self::Decode(error) => Some(error.status()),
            Self::ResponseTooLarge(error) => Some(error.status),
            Self::Transport(_) | Self::InvalidRequest(_) => None,
        }
    }

    /// The response headers, where there was a response (`Retry-After`, request ids...).
    #[must_use]
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match self {
            Self::Api(error) => Some(error.headers()),
            Self::Decode(error) => Some(&error.headers),
            _ => None,
        }
    }

    /// How many attempts were made (0 when the request was refused before sending).
    #[must_use]
    pub fn attempts(&self) -> u32 {
        match self {
            Self::InvalidRequest(_) => 0,
            Self::Transport(error) => error.attempts,
            Self::Api(error) => error.attempts,
            Self::Decode(error) => error.attempts,
            Self::ResponseTooLarge(error) => error.attempts,
        }
    }

    /// Whether trying again later may succeed: a rate limit (429), a gateway or availability
    /// problem (502, 503, 504), or a transport failure. Whether it is *safe* to repeat the
    /// request is a separate question: see `RetryPolicy`.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(_) => true,
            Self::Api(error) => is_retryable_status(error.status()),
            _ => false,
        }
    }

    /// How long the server asked to wait (`Retry-After`, in seconds or as an HTTP date).
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api(error) => error.retry_after(),
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(error) => write!(f, "request refused before sending: {error}"),
            Self::Transport(error) => fmt::Display::fmt(error, f),
            Self::Api(error) => fmt::Display::fmt(error, f),
            Self::Decode(error) => fmt::Display::fmt(error, f),
            Self::ResponseTooLarge(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidRequest(error) => Some(error),
            Self::Transport(error) => Some(error.source.as_ref()),
            Self::Decode(error) => Some(&error.source),
            Self::Api(_) | Self::ResponseTooLarge(_) => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(error: ValidationError) -> Self {
        Self::InvalidRequest(error)
    }
}

/// What kind of transport failure happened; it decides whether a retry is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established: the request never reached the server.
    Connect,
    /// The request or the response took longer than the configured timeout.
    Timeout,
    /// The response started but its body could not be read (reset, cut short).
    Body,
    /// Anything else (a failure while sending, a broken HTTP exchange, a local runtime).
    Other,
}

/// What kind of failure a `reqwest` error is.
pub(crate) fn classify(error: &reqwest::Error) -> TransportErrorKind {
    if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_body() || error.is_decode() {
        TransportErrorKind::Body
    } else {
        TransportErrorKind::Other
    }
}

/// No usable response arrived.
#[derive(Debug)]
pub struct TransportError {
    operation: &'static str,
    kind: TransportErrorKind,
    attempts: u32,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    pub(crate) fn new(
        operation: &'static str,
        kind: TransportErrorKind,
        attempts: u32,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Self {
        Self {
            operation,
            kind,
            attempts,
            source,
        }
    }

    pub(crate) fn from_reqwest(
        operation: &'static str,
        attempts: u32,
        error: reqwest::Error,
    ) -> Self {
        // The URL could carry a credential sent in the query: errors never show it.
        Self::new(
            operation,
            classify(&error),
            attempts,
            Box::new(error.without_url()),
        )
    }

    /// The operation that failed.
    #[must_use]
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What kind of failure it was.
    #[must_use]
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// How many attempts were made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Body => "could not read the response body",
            TransportErrorKind::Other => "transport error",
        };
        write!(
            f,
            "{}: {what} after {} attempt{}: {}",
            self.operation,
            self.attempts,
            plural(self.attempts),
            self.source
        )
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A response whose status is not a success.
#[derive(Debug)]
pub struct ApiError<E> {
    operation: &'static str,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: String,
    body_truncated: bool,
    parsed: Option<E>,
    attempts: u32,
}

impl<E> ApiError<E> {
    pub(crate) fn new(
        operation: &'static str,
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: &Body,
        parsed: Option<E>,
        attempts: u32,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body: body.text(),
            body_truncated: body.truncated,
            parsed,
            attempts,
        }
    }

    /// The operation that failed.
    #[must_use]
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers (`Retry-After`, request ids...).
    #[must_use]
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The response body as text (invalid UTF-8 replaced), at most the client's body limit.
    #[must_use]
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Whether the body was longer than the client's limit and was cut there.
    #[must_use]
    pub fn body_truncated(&self) -> bool {
        self.body_truncated
    }

    /// The body decoded as the operation's documented error type for this status, when it has
    /// that shape.
    #[must_use]
    pub fn error_body(&self) -> Option<&E> {
        self.parsed.as_ref()
    }

    /// How many attempts were made.
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// How long the server asked to wait (`Retry-After`, in seconds or as an HTTP date).
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(&self.headers, std::time::SystemTime::now())
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the API answered {} after {} attempt{}",
            self.operation,
            self.status,
            self.attempts,
            plural(self.attempts)
        )?;
        write_body_excerpt(f, &self.body)
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// A success response whose body is not the documented type.
#[derive(Debug)]
pub struct DecodeError {
    operation: &'static str,
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: String,
    source: serde_json::Error,
    attempts: u32,
}

impl DecodeError {
    pub(crate) fn new(
        operation: &'static str,
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: &Body,
        source: serde_json::Error,
        attempts: u32,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body: body.text(),
            source,
            attempts,
        }
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response body as text (invalid UTF-8 replaced).
    #[must_use]
    pub fn body(&self) -> &str {
        &self.body
    }

    /// What the JSON decoder said.
    #[must_use]
    pub fn json_error(&self) -> &serde_json::Error {
        &self.source
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the API answered {} but its body could not be decoded: {}",
            self.operation, self.status, self.source
        )?;
        write_body_excerpt(f, &self.body)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A success response whose body exceeded the client's limit; it was not read further.
#[derive(Debug)]
pub struct ResponseTooLarge {
    operation: &'static str,
    status: reqwest::StatusCode,
    limit: usize,
    attempts: u32,
}

impl ResponseTooLarge {
    pub(crate) fn new(
        operation: &'static str,
        status: reqwest::StatusCode,
        limit: usize,
        attempts: u32,
    ) -> Self {
        Self {
            operation,
            status,
            limit,
            attempts,
        }
    }

    /// The limit, in bytes.
    #[must_use]
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the API answered {} with a body over the {}-byte limit",
            self.operation, self.status, self.limit
        )
    }
}

impl std::error::Error for ResponseTooLarge {}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn write_body_excerpt(f: &mut fmt::Formatter<'_>, body: &str) -> fmt::Result {
    let body = body.trim();
    if body.is_empty() {
        return Ok(());
    }
    // One line: newlines in an HTML error page would break log lines apart.
    let mut shown = String::with_capacity(DISPLAY_BODY_LIMIT);
    for (i, c) in body.chars().enumerate() {
        if i == DISPLAY_BODY_LIMIT {
            shown.push('…');
            break;
        }
        shown.push(if c.is_control() { ' ' } else { c });
    }
    write!(f, ": {shown}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, body: &str) -> Error<()> {
        Error::Api(Box::new(ApiError {
            operation: "getThing",
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            headers: reqwest::header::HeaderMap::new(),
            body: body.to_owned(),
            body_truncated: false,
            parsed: None,
            attempts: 2,
        }))
    }

    #[test]
    fn display_is_one_line_with_a_bounded_excerpt() {
        let error = api_error(500, &"x\n".repeat(1000));
        let shown = error.to_string();
        assert!(shown.starts_with(
            "getThing: the API answered 500 Internal Server Error after 2 attempts: x x"
        ));
        assert!(!shown.contains('\n'));
        assert!(shown.chars().count() < 300, "{shown}");
        assert_eq!(
            error.status(),
            Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
        );
        assert_eq!(error.attempts(), 2);
    }

    #[test]
    fn retryable_statuses() {
        for status in [429, 502, 503, 504] {
            assert!(api_error(status, "").is_retryable(), "{status}");
        }
        for status in [400, 401, 403, 404, 409, 500] {
            assert!(!api_error(status, "").is_retryable(), "{status}");
        }
    }
}
