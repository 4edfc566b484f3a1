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

    /// Reads `body` up to `limit` bytes (marked `truncated` past it, the rest unread), sized
    /// once from its length or `Content-Length` (never past the limit) instead of grown chunk
    /// by chunk.
    pub(crate) async fn read(
        body: &mut super::seam::ResponseBody,
        headers: &reqwest::header::HeaderMap,
        limit: usize,
    ) -> Result<Self, super::seam::BoxError> {
        let expected = body
            .exact_len()
            .or_else(|| content_length(headers))
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0);
        let mut bytes = Vec::with_capacity(expected.min(limit));
        let mut truncated = false;
        while !truncated {
            let Some(chunk) = body.chunk().await? else {
                break;
            };
            let room = limit - bytes.len();
            if chunk.len() > room {
                bytes.extend_from_slice(&chunk[..room]);
                truncated = true;
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
        Ok(Self { bytes, truncated })
    }
}

/// The body's length, where the headers say it (`Content-Length`).
pub(crate) fn content_length(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers
        .get(reqwest::header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse().ok())
}
