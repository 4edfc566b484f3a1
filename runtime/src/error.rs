//! The error type every operation returns, and the one building a client returns.
//!
//! `E` is what the operation's error responses decode as: one type when they all share a body,
//! else an enum of the documented statuses. The crate root names the most common one as the
//! default of its `Error` alias.
//!
//! Every error here follows the Rust API guidelines' convention for sources: an error's
//! `Display` says what went wrong at its own level and never repeats its source's text, which
//! `source()` returns instead. A report that walks the chain (`anyhow`'s `{:#}`, `eyre`) so
//! shows each cause once. `Error` itself is transparent: its `Display` and `source()` are those
//! of the variant's error.

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
///
/// Example: [errors](crate#errors) in the crate documentation.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// A value was refused before any network I/O (a field too long, a required field not
    /// set, a header parameter that cannot be sent, a credential the operation needs that the
    /// client was not given).
    InvalidRequest(ValidationError),
    /// The client could not be built from its configuration (a bad base URL, default header
    /// or credential; an HTTP client that could not start). Building returns a
    /// [`ConfigError`]; this variant lets `?` carry it where an `Error` is returned.
    Config(ConfigError),
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
    /// An OAuth 2.0 access token could not be obtained from the token endpoint (client
    /// credentials refused, the endpoint unreachable, an answer without a usable token). Its
    /// status and body are the token endpoint's, not the API's. (Boxed, as `Api` is.)
    Token(Box<TokenError>),
}

impl<E> Error<E> {
    /// The HTTP status of the response, where there was one.
    #[must_use]
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Self::Api(error) => Some(error.status()),
            Self::Decode(error) => Some(error.status()),
            Self::ResponseTooLarge(error) => Some(error.status),
            // The token endpoint's status is the `TokenError`'s: this is the API's.
            Self::Transport(_) | Self::InvalidRequest(_) | Self::Config(_) | Self::Token(_) => None,
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
            Self::InvalidRequest(_) | Self::Config(_) => 0,
            Self::Transport(error) => error.attempts,
            Self::Api(error) => error.attempts,
            Self::Decode(error) => error.attempts,
            Self::ResponseTooLarge(error) => error.attempts,
            Self::Token(error) => error.attempts,
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
            Self::Token(error) => error.is_retryable(),
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
            Self::InvalidRequest(error) => fmt::Display::fmt(error, f),
            Self::Config(error) => fmt::Display::fmt(error, f),
            Self::Transport(error) => fmt::Display::fmt(error, f),
            Self::Api(error) => fmt::Display::fmt(error, f),
            Self::Decode(error) => fmt::Display::fmt(error, f),
            Self::ResponseTooLarge(error) => fmt::Display::fmt(error, f),
            Self::Token(error) => fmt::Display::fmt(error, f),
        }
    }
}

// Transparent: `Display` is the variant's error's, so its cause is the variant's error's cause
// (returning the variant's error itself would show its text twice).
impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidRequest(error) => error.source(),
            Self::Config(error) => error.source(),
            Self::Transport(error) => error.source(),
            Self::Decode(error) => error.source(),
            Self::Token(error) => error.source(),
            Self::Api(_) | Self::ResponseTooLarge(_) => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(error: ValidationError) -> Self {
        Self::InvalidRequest(error)
    }
}

impl<E> From<TokenError> for Error<E> {
    fn from(error: TokenError) -> Self {
        Self::Token(Box::new(error))
    }
}

impl<E> From<ConfigError> for Error<E> {
    fn from(error: ConfigError) -> Self {
        Self::Config(error)
    }
}

/// A client configuration that was refused, by `ClientBuilder::build` or
/// `Client::with_base_url`: which setting, and why. A credential's value is never shown.
///
/// Example: [configuration](crate#configuration) in the crate documentation.
#[derive(Debug)]
pub struct ConfigError {
    setting: &'static str,
    kind: ConfigErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What was wrong with a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// The setting is required and was not given (a base URL, for an API description without
    /// a server).
    Missing,
    /// The base URL is not an absolute `http` or `https` URL without query or fragment.
    InvalidBaseUrl {
        /// Why it was refused.
        reason: String,
    },
    /// A header name or value (a default header, the `User-Agent`, a credential) cannot be
    /// sent in an HTTP header.
    InvalidHeader,
    /// A credential was given in the wrong form (a token where a username and password are
    /// expected, or the other way round).
    WrongCredentialForm,
    /// The HTTP client could not be built (its TLS backend failed to start); `source()` says
    /// why.
    HttpClient,
    /// The blocking client's runtime could not start; `source()` says why.
    Runtime,
    /// A count that must be at least 1 was 0 (`max_in_flight`).
    Zero,
    /// The token URL of an `oauth2` scheme's client credentials (the API description's
    /// `tokenUrl`, or the one given) is not an `http` or `https` URL, absolute or relative to
    /// the base URL.
    InvalidTokenUrl {
        /// Why it was refused.
        reason: String,
    },
}

impl ConfigError {
    pub(crate) fn new(setting: &'static str, kind: ConfigErrorKind) -> Self {
        Self {
            setting,
            kind,
            source: None,
        }
    }

    pub(crate) fn with_source(
        setting: &'static str,
        kind: ConfigErrorKind,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            setting,
            kind,
            source: Some(Box::new(source)),
        }
    }

    /// The setting that was refused: `base_url`, `default_header`, `user_agent`, a security
    /// scheme's name, `http_client` or `blocking_runtime`.
    #[must_use]
    pub fn setting(&self) -> &'static str {
        self.setting
    }

    /// What was wrong with it.
    #[must_use]
    pub fn kind(&self) -> &ConfigErrorKind {
        &self.kind
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let setting = self.setting;
        match &self.kind {
            ConfigErrorKind::Missing => write!(f, "client configuration: `{setting}` is required"),
            ConfigErrorKind::InvalidBaseUrl { reason } => write!(
                f,
                "client configuration: `{setting}` is not an absolute http or https URL without \
                 query or fragment ({reason})"
            ),
            ConfigErrorKind::InvalidHeader => write!(
                f,
                "client configuration: `{setting}` cannot be sent in an HTTP header (an invalid \
                 name, or control characters in the value)"
            ),
            ConfigErrorKind::WrongCredentialForm => write!(
                f,
                "client configuration: `{setting}` was given in the wrong form (a token where a \
                 username and password are expected, or the other way round)"
            ),
            ConfigErrorKind::InvalidTokenUrl { reason } => write!(
                f,
                "client configuration: the token URL of `{setting}` is not an http or https URL \
                 ({reason})"
            ),
            ConfigErrorKind::HttpClient => {
                write!(
                    f,
                    "client configuration: the HTTP client could not be built"
                )
            }
            ConfigErrorKind::Runtime => write!(
                f,
                "client configuration: the blocking client's runtime could not start"
            ),
            ConfigErrorKind::Zero => {
                write!(f, "client configuration: `{setting}` must be at least 1")
            }
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
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
            "{}: {what} after {} attempt{}",
            self.operation,
            self.attempts,
            plural(self.attempts)
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
    /// Why the redirect this response asks for was not followed.
    redirect: Option<String>,
}

impl<E> ApiError<E> {
    pub(crate) fn new(
        operation: &'static str,
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: &Body,
        parsed: Option<E>,
        attempts: u32,
        redirect: Option<String>,
    ) -> Self {
        Self {
            operation,
            status,
            headers,
            body: body.text(),
            body_truncated: body.truncated,
            parsed,
            attempts,
            redirect,
        }
    }

    /// For a `3xx` response: why the client did not follow its redirect (see
    /// `RedirectPolicy`).
    #[must_use]
    pub fn redirect_not_followed(&self) -> Option<&str> {
        self.redirect.as_deref()
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
        if let Some(redirect) = &self.redirect {
            write!(f, "; {redirect}")?;
        }
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
            "{}: the API answered {} but its body is not the documented type",
            self.operation, self.status
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

/// An OAuth 2.0 access token the client could not obtain: the token endpoint refused the
/// client's credentials (its status, body and the OAuth `error` and `error_description` it
/// gave), could not be reached, or answered without a usable token.
///
/// It never holds the client secret, and never the body of a success response (which would
/// hold a token).
#[derive(Debug)]
pub struct TokenError {
    scheme: &'static str,
    kind: TokenErrorKind,
    status: Option<reqwest::StatusCode>,
    body: String,
    error: Option<String>,
    description: Option<String>,
    attempts: u32,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Why no access token was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenErrorKind {
    /// The token endpoint answered with an error status (RFC 6749 section 5.2: an OAuth
    /// `error` such as `invalid_client` or `invalid_scope`, where it gave one).
    Refused,
    /// No response arrived from the token endpoint (of this kind).
    Transport(TransportErrorKind),
    /// The token endpoint answered with a success status but no usable access token (not
    /// JSON, no `access_token`, a `token_type` other than `Bearer`); `source()` says why.
    InvalidResponse,
}

impl TokenError {
    /// The token endpoint answered `status` with `body` (an OAuth error response, read for
    /// its `error` and `error_description`).
    pub(crate) fn refused(scheme: &'static str, status: reqwest::StatusCode, body: &Body) -> Self {
        #[derive(serde::Deserialize)]
        struct OAuthError {
            error: Option<String>,
            error_description: Option<String>,
        }
        let parsed = serde_json::from_slice::<OAuthError>(&body.bytes).ok();
        let (error, description) = parsed.map_or((None, None), |p| (p.error, p.error_description));
        Self {
            scheme,
            kind: TokenErrorKind::Refused,
            status: Some(status),
            body: body.text(),
            error,
            description,
            attempts: 0,
            source: None,
        }
    }

    /// No response (or no complete one) arrived from the token endpoint.
    pub(crate) fn transport(
        scheme: &'static str,
        kind: TransportErrorKind,
        source: Box<dyn std::error::Error + Send + Sync>,
    ) -> Self {
        Self {
            scheme,
            kind: TokenErrorKind::Transport(kind),
            status: None,
            body: String::new(),
            error: None,
            description: None,
            attempts: 0,
            source: Some(source),
        }
    }

    /// A success status without a usable token: `why` says what was wrong (never the token).
    pub(crate) fn invalid(
        scheme: &'static str,
        status: reqwest::StatusCode,
        why: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            scheme,
            kind: TokenErrorKind::InvalidResponse,
            status: Some(status),
            body: String::new(),
            error: None,
            description: None,
            attempts: 0,
            source: Some(why.into()),
        }
    }

    /// The same error, needed after `attempts` attempts of the API request.
    pub(crate) fn after(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The security scheme (its name in the API description) whose token it was.
    #[must_use]
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// Why no token was obtained.
    #[must_use]
    pub fn kind(&self) -> TokenErrorKind {
        self.kind
    }

    /// The token endpoint's status, where it answered.
    #[must_use]
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.status
    }

    /// The token endpoint's error body (empty unless it was [`TokenErrorKind::Refused`]).
    #[must_use]
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The OAuth `error` code of the token endpoint's error response (`invalid_client`,
    /// `invalid_grant`, `invalid_scope`, `unauthorized_client`...), where it gave one.
    #[must_use]
    pub fn error_code(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The OAuth `error_description`, where the token endpoint gave one.
    #[must_use]
    pub fn error_description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// How many attempts of the API request were made before the token was needed (0 when
    /// the first token could not be obtained; 1 after a `401` asked for a new one).
    #[must_use]
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether trying again later may succeed: the endpoint could not be reached, or it
    /// answered 429, 502, 503 or 504.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self.kind {
            TokenErrorKind::Transport(_) => true,
            TokenErrorKind::Refused => self.status.is_some_and(is_retryable_status),
            TokenErrorKind::InvalidResponse => false,
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.scheme;
        match (self.kind, self.status) {
            (TokenErrorKind::Refused, Some(status)) => {
                write!(f, "the token endpoint of `{scheme}` answered {status}")?;
                match (&self.error, &self.description) {
                    (Some(error), Some(description)) => {
                        write!(f, ": {error}")?;
                        write_body_excerpt(f, description)
                    }
                    (Some(error), None) => write!(f, ": {error}"),
                    _ => write_body_excerpt(f, &self.body),
                }
            }
            (TokenErrorKind::Transport(kind), _) => write!(
                f,
                "no access token for `{scheme}`: the token endpoint could not be reached ({kind:?})"
            ),
            _ => write!(
                f,
                "the token endpoint of `{scheme}` answered without a usable access token"
            ),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

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
            redirect: None,
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
