//! The one error type every operation returns.
//!
//! Part of the runtime that the generator copies verbatim into every generated crate. `E` is
//! the type of the API's error body; the crate root fixes it with a type alias.

use std::fmt;

use crate::validation::ValidationError;

/// How many characters of a response body `Display` shows; the whole body stays available
/// through the accessors.
const DISPLAY_BODY_LIMIT: usize = 200;

/// Everything that can go wrong when calling the API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// A value was refused before any network I/O (a field too long, a required field not
    /// set, a credential that cannot be sent in a header...).
    InvalidRequest(ValidationError),
    /// The request could not be sent or the response could not be read (DNS, connection,
    /// TLS, timeout...).
    Transport(reqwest::Error),
    /// The server answered with a status that is not a success. (Boxed: headers and body
    /// make it large, and errors travel through every `?`.)
    Api(Box<ApiError<E>>),
    /// The server answered with a success status, but its body did not decode as the
    /// documented type.
    Decode(DecodeError),
}

impl<E> Error<E> {
    /// The HTTP status of the response, where there was one.
    #[must_use]
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Self::Api(error) => Some(error.status()),
            Self::Decode(error) => Some(error.status()),
            Self::Transport(error) => error.status(),
            Self::InvalidRequest(_) => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(error) => write!(f, "request refused before sending: {error}"),
            Self::Transport(error) => write!(f, "transport error: {error}"),
            Self::Api(error) => fmt::Display::fmt(error, f),
            Self::Decode(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidRequest(error) => Some(error),
            Self::Transport(error) => Some(error),
            Self::Api(_) => None,
            Self::Decode(error) => Some(&error.source),
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(error: ValidationError) -> Self {
        Self::InvalidRequest(error)
    }
}

/// A response whose status is not a success.
#[derive(Debug)]
pub struct ApiError<E> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: String,
    parsed: Option<E>,
}

impl<E> ApiError<E> {
    pub(crate) fn new(
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: String,
        parsed: Option<E>,
    ) -> Self {
        Self {
            status,
            headers,
            body,
            parsed,
        }
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

    /// The response body as text (invalid UTF-8 replaced).
    #[must_use]
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The body decoded as the API's documented error type, when it has that shape.
    #[must_use]
    pub fn error_body(&self) -> Option<&E> {
        self.parsed.as_ref()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        write_body_excerpt(f, &self.body)
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// A success response whose body is not the documented type.
#[derive(Debug)]
pub struct DecodeError {
    status: reqwest::StatusCode,
    body: String,
    source: serde_json::Error,
}

impl DecodeError {
    pub(crate) fn new(
        status: reqwest::StatusCode,
        body: String,
        source: serde_json::Error,
    ) -> Self {
        Self {
            status,
            body,
            source,
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
            "the API answered {} but its body could not be decoded: {}",
            self.status, self.source
        )?;
        write_body_excerpt(f, &self.body)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn write_body_excerpt(f: &mut fmt::Formatter<'_>, body: &str) -> fmt::Result {
    let body = body.trim();
    if body.is_empty() {
        return Ok(());
    }
    match body.char_indices().nth(DISPLAY_BODY_LIMIT) {
        Some((cut, _)) => write!(f, ": {}…", &body[..cut]),
        None => write!(f, ": {body}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_a_bounded_excerpt() {
        let body = "x".repeat(1000);
        let error: Error<()> = Error::Api(Box::new(ApiError::new(
            reqwest::StatusCode::INTERNAL_SERVER_ERROR,
            reqwest::header::HeaderMap::new(),
            body,
            None,
        )));
        let shown = error.to_string();
        assert!(shown.starts_with("the API answered 500 Internal Server Error: xxx"));
        assert!(shown.chars().count() < 300, "{shown}");
        assert_eq!(
            error.status(),
            Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
        );
    }
}
