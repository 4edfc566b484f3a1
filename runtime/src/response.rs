//! Responses: a decoded body together with the status and headers it came with, and a body
//! as read off the wire.

/// A success response: its status, its headers and its decoded body. What a call gives
/// through `with_response()`.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: T,
    ) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status (any 2xx).
    #[must_use]
    pub fn status(&self) -> reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    #[must_use]
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The decoded body.
    #[must_use]
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, without status and headers.
    #[must_use]
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body turned into another value (a stream wrapped for the
    /// blocking client, say).
    #[allow(dead_code)] // Used by the blocking client of APIs that stream.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }

    /// Status, headers and body.
    #[must_use]
    pub fn into_parts(self) -> (reqwest::StatusCode, reqwest::header::HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

/// A response body read up to the client's limit.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub bytes: Vec<u8>,
    /// The body went on past the limit and was not read further.
    pub truncated: bool,
}

impl Body {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}
