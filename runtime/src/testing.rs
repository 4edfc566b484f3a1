//! Test doubles for code that uses the client (cargo feature `testing`): a transport that
//! answers from memory, so that a test needs no server, no socket and no port.
//!
//! A [`MockTransport`] is given to the client with
//! [`ClientBuilder::transport`](super::config::ClientBuilder::transport). Each operation's
//! replies are queued in advance, typed by the operation's type in `operations`; every
//! request the client sent is kept, its body, query and headers readable, with the
//! credentials replaced by `<redacted>`. The client above it is the real one: its checks,
//! retries and error decoding run as in production.

use std::collections::{HashMap, VecDeque};
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::TransportErrorKind;
use super::seam::{
    AttemptInfo, HttpTransport, RequestBody, ResponseBody, SecretQuery, SendError, Sending,
};

/// What the operations' types in `operations` implement: which operation they name, and what
/// its success body decodes as.
pub trait Operation {
    /// The operation's `operationId`, as requests carry it ([`AttemptInfo::operation`]).
    const ID: &'static str;
    /// Its success body: what awaiting its call gives.
    type Output;
}

/// The token endpoint's requests, for a client with OAuth 2.0 client credentials: queue the
/// token responses with `mock.on::<TokenRequest>()` (`returns(200, &json!({"access_token":
/// "t", "token_type": "Bearer", "expires_in": 3600}))`), read what was sent with
/// `requests_for::<TokenRequest>()` (the client's `Authorization: Basic` redacted).
#[derive(Debug)]
pub enum TokenRequest {}

impl Operation for TokenRequest {
    const ID: &'static str = super::oauth::TOKEN_REQUEST;
    type Output = serde_json::Value;
}

/// One queued answer: a response (status, headers, body) or a transport failure.
#[derive(Debug, Clone)]
pub struct Reply {
    answer: Answer,
}

#[derive(Debug, Clone)]
enum Answer {
    Response {
        status: http::StatusCode,
        headers: http::HeaderMap,
        body: Bytes,
    },
    Failure(TransportErrorKind),
}

impl Reply {
    /// A response with this status and no body.
    ///
    /// # Panics
    ///
    /// `status` is not a valid HTTP status (100 to 999): a mistake in the test.
    #[must_use]
    pub fn status(status: u16) -> Self {
        let status = http::StatusCode::from_u16(status).expect("a status from 100 to 999");
        Self {
            answer: Answer::Response {
                status,
                headers: http::HeaderMap::new(),
                body: Bytes::new(),
            },
        }
    }

    /// A response with this status and `value` as its JSON body (any value: an error body,
    /// a body the API would send wrong).
    ///
    /// # Panics
    ///
    /// `value` cannot be written as JSON, or `status` is not valid: a mistake in the test.
    #[must_use]
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        let body = serde_json::to_vec(value).expect("the reply's value encodes as JSON");
        Self::status(status)
            .header("content-type", "application/json")
            .body(body)
    }

    /// The same reply with this body.
    #[must_use]
    pub fn body(mut self, bytes: impl Into<Bytes>) -> Self {
        if let Answer::Response { body, .. } = &mut self.answer {
            *body = bytes.into();
        }
        self
    }

    /// The same reply with this header added (`Retry-After`, a pagination `Link`).
    ///
    /// # Panics
    ///
    /// The name or the value is not valid in HTTP: a mistake in the test.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Answer::Response { headers, .. } = &mut self.answer {
            headers.append(
                http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                http::HeaderValue::from_str(value).expect("a header value"),
            );
        }
        self
    }

    /// No response: the transport fails with this kind (a refused connection, a timeout).
    #[must_use]
    pub fn failure(kind: TransportErrorKind) -> Self {
        Self {
            answer: Answer::Failure(kind),
        }
    }
}

/// A transport that answers from replies queued per operation and records every request.
/// Cheap to clone: clones share the queue and the record, so a test keeps one and gives
/// the client another.
///
/// A request whose operation has no reply left fails as a transport error saying so, of kind
/// `Other` (which the client retries only for an operation that is safe to repeat).
#[derive(Debug, Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    replies: HashMap<&'static str, VecDeque<Reply>>,
    sent: Vec<SentRequest>,
}

impl MockTransport {
    /// A transport with no replies queued.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues replies for operation `O` (its type in `operations`), answered in the order
    /// queued, one per request (a retry takes the next).
    #[must_use]
    pub fn on<O: Operation>(&self) -> Replies<'_, O> {
        Replies {
            mock: self,
            operation: PhantomData,
        }
    }

    /// Every request sent so far, in order (each attempt and redirect hop is one).
    #[must_use]
    pub fn requests(&self) -> Vec<SentRequest> {
        self.lock().sent.clone()
    }

    /// The requests sent so far for operation `O`.
    #[must_use]
    pub fn requests_for<O: Operation>(&self) -> Vec<SentRequest> {
        let state = self.lock();
        let sent = state.sent.iter().filter(|sent| sent.operation == O::ID);
        sent.cloned().collect()
    }

    /// The replies still queued, by operation: empty once every one was used.
    #[must_use]
    pub fn unused(&self) -> Vec<(&'static str, usize)> {
        let state = self.lock();
        let mut left: Vec<(&'static str, usize)> = (state.replies.iter())
            .filter(|(_, queue)| !queue.is_empty())
            .map(|(operation, queue)| (*operation, queue.len()))
            .collect();
        left.sort_unstable();
        left
    }

    fn queue(&self, operation: &'static str, reply: Reply) {
        let mut state = self.lock();
        state.replies.entry(operation).or_default().push_back(reply);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A test that panicked while holding it left nothing half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl HttpTransport for MockTransport {
    fn send(&self, request: http::Request<RequestBody>) -> Sending<'_> {
        Box::pin(async move {
            let (head, body) = request.into_parts();
            // A streamed upload is read to its end, as a server would.
            let body = if body.is_stream() {
                use http_body_util::BodyExt as _;
                let read = body.collect().await;
                read.map_err(|error| SendError::new(TransportErrorKind::Body, error))?
                    .to_bytes()
            } else {
                Bytes::copy_from_slice(body.as_bytes())
            };
            let sent = SentRequest::new(&head, body);
            let reply = {
                let mut state = self.lock();
                let reply = (state.replies.get_mut(sent.operation)).and_then(VecDeque::pop_front);
                state.sent.push(sent.clone());
                reply
            };
            let Some(reply) = reply else {
                return Err(SendError::new(
                    TransportErrorKind::Other,
                    format!(
                        "MockTransport: no reply queued for operation `{}` (attempt {})",
                        sent.operation, sent.attempt
                    ),
                ));
            };
            match reply.answer {
                Answer::Failure(kind) => Err(SendError::new(
                    kind,
                    format!("MockTransport: a {kind:?} failure, as queued"),
                )),
                Answer::Response {
                    status,
                    headers,
                    body,
                } => {
                    let mut response = http::Response::new(ResponseBody::from_bytes(body));
                    *response.status_mut() = status;
                    *response.headers_mut() = headers;
                    Ok(response)
                }
            }
        })
    }
}

/// Queues replies for one operation: [`MockTransport::on`].
#[derive(Debug)]
pub struct Replies<'a, O> {
    mock: &'a MockTransport,
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> Replies<'_, O> {
    /// Answers with this status and `value`, of the operation's success type, as JSON.
    #[must_use]
    pub fn returns(self, status: u16, value: &O::Output) -> Self
    where
        O::Output: Serialize,
    {
        self.reply(Reply::json(status, value))
    }

    /// Answers with this reply (any status, body, header or failure).
    #[must_use]
    pub fn reply(self, reply: Reply) -> Self {
        self.mock.queue(O::ID, reply);
        self
    }
}

/// A request as the client sent it, its credentials replaced by `<redacted>`: the values of
/// sensitive headers (`Authorization`, a key's header, a cookie holding a credential) and of
/// credentials sent in the query.
#[derive(Debug, Clone)]
pub struct SentRequest {
    operation: &'static str,
    attempt: u32,
    method: http::Method,
    url: url::Url,
    headers: http::HeaderMap,
    body: Bytes,
}

const REDACTED: &str = "<redacted>";

impl SentRequest {
    fn new(request: &http::request::Parts, body: Bytes) -> Self {
        let info = request.extensions.get::<AttemptInfo>();
        let secret_query = request.extensions.get::<SecretQuery>();
        let mut url = url::Url::parse(&request.uri.to_string())
            .unwrap_or_else(|_| url::Url::parse("http://invalid.local/").expect("a valid URL"));
        if let Some(SecretQuery(names)) = secret_query {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(name, value)| {
                    let secret = names.iter().any(|secret| *secret == name);
                    let value = if secret { REDACTED.into() } else { value };
                    (name.into_owned(), value.into_owned())
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        let mut headers = request.headers.clone();
        for value in headers.values_mut() {
            if value.is_sensitive() {
                *value = http::HeaderValue::from_static(REDACTED);
                value.set_sensitive(true);
            }
        }
        Self {
            operation: info.map_or("", |info| info.operation),
            attempt: info.map_or(0, |info| info.attempt),
            method: request.method.clone(),
            url,
            headers,
            body,
        }
    }

    /// The operation's `operationId`.
    #[must_use]
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Whether this is a request of operation `O`.
    #[must_use]
    pub fn is<O: Operation>(&self) -> bool {
        self.operation == O::ID
    }

    /// The attempt it was, from 1.
    #[must_use]
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Its method.
    #[must_use]
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// Its path, percent-encoded as sent.
    #[must_use]
    pub fn path(&self) -> &str {
        self.url.path()
    }

    /// The first value of query parameter `name`, decoded.
    #[must_use]
    pub fn query(&self, name: &str) -> Option<String> {
        (self.url.query_pairs())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// Every query pair, decoded, in order.
    #[must_use]
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        (self.url.query_pairs())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect()
    }

    /// The first value of header `name` (`<redacted>` for a credential), if it is text.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// Its headers (credentials redacted).
    #[must_use]
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// Its body's bytes (empty for none).
    #[must_use]
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Its body decoded as JSON of type `T` (the operation's request type, say).
    ///
    /// # Errors
    ///
    /// The body is not JSON of that shape.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    enum Create {}
    impl Operation for Create {
        const ID: &'static str = "create";
        type Output = serde_json::Value;
    }

    fn request(query: &str, secret: &[&'static str]) -> http::Request<RequestBody> {
        let mut request = http::Request::post(format!("https://api.example.com/v1/things?{query}"))
            .header("authorization", {
                let mut value = http::HeaderValue::from_static("Bearer sk_live_1");
                value.set_sensitive(true);
                value
            })
            .header("x-trace", "t-1")
            .body(RequestBody::from_bytes(&br#"{"n":1}"#[..]))
            .unwrap();
        request.extensions_mut().insert(AttemptInfo {
            operation: "create",
            method: "POST",
            path: "/v1/things",
            attempt: 1,
            redirects: 0,
        });
        let secret = secret.iter().map(|name| (*name).to_owned()).collect();
        request.extensions_mut().insert(SecretQuery(secret));
        request
    }

    #[tokio::test]
    async fn replies_in_order_then_says_none_is_left() {
        let mock = MockTransport::new();
        let _ = mock
            .on::<Create>()
            .reply(Reply::status(503).header("retry-after", "0"))
            .returns(201, &serde_json::json!({"id": "t1"}));
        let first = mock.send(request("", &[])).await.unwrap();
        assert_eq!(first.status(), 503);
        assert_eq!(first.headers()["retry-after"], "0");
        let mut second = mock.send(request("", &[])).await.unwrap().into_body();
        assert_eq!(
            second.chunk().await.unwrap().as_deref(),
            Some(&br#"{"id":"t1"}"#[..])
        );
        let error = mock.send(request("", &[])).await.unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Other);
        assert!(
            error
                .to_string()
                .contains("no reply queued for operation `create`")
        );
        assert_eq!(mock.requests_for::<Create>().len(), 3);
        assert!(mock.unused().is_empty());
    }

    #[tokio::test]
    async fn records_requests_without_their_credentials() {
        let mock = MockTransport::new();
        let _ = mock
            .on::<Create>()
            .reply(Reply::failure(TransportErrorKind::Connect));
        let error = mock
            .send(request("name=a+b&key=k_secret", &["key"]))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), TransportErrorKind::Connect);
        let sent = &mock.requests()[0];
        assert!(sent.is::<Create>());
        assert_eq!(sent.method(), http::Method::POST);
        assert_eq!(sent.path(), "/v1/things");
        assert_eq!(sent.query("name").as_deref(), Some("a b"));
        assert_eq!(sent.query("key").as_deref(), Some(REDACTED));
        assert_eq!(sent.header("authorization"), Some(REDACTED));
        assert_eq!(sent.header("x-trace"), Some("t-1"));
        assert_eq!(sent.json::<serde_json::Value>().unwrap()["n"], 1);
        let shown = format!("{sent:?}");
        assert!(
            !shown.contains("sk_live_1") && !shown.contains("k_secret"),
            "{shown}"
        );
    }
}
