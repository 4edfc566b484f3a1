//! The seam between the client and the network: every attempt the client makes (each redirect
//! hop too) is one [`HttpTransport::send`] of an `http::Request`, answered by an
//! `http::Response`. `reqwest::Client` is the default transport; a caller can wrap it
//! ([`ClientBuilder::wrap_transport`](super::config::ClientBuilder::wrap_transport)) or replace it
//! ([`ClientBuilder::transport`](super::config::ClientBuilder::transport)).
//!
//! Retries, redirects, the response size limit, the timeout, where credentials may go and
//! tracing stay in the client, above the seam: no transport can weaken them. [`Hooks`] see
//! each attempt with the operation it belongs to, before the credentials are added.
#![allow(dead_code)] // Each API uses only some of the bodies' constructors.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use http_body::{Body as _, Frame, SizeHint};
use http_body_util::BodyExt as _;

use super::error::{TransportErrorKind, classify};

/// The error type a transport's failures carry.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What [`HttpTransport::send`] returns: a boxed future, so that the trait is object safe.
pub type Sending<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<ResponseBody>, SendError>> + Send + 'a>>;

/// Sends one HTTP request and returns its response, its body unread: the client's only way to
/// the network.
///
/// The request is complete: its URL absolute, its headers (credentials among them) set, its
/// body in full. Each request carries the [`AttemptInfo`] of the attempt in its extensions.
/// The transport must not follow redirects (the client does, deciding what each hop
/// carries), and needs no timeout of its own (the client's applies above the seam).
///
/// A wrapper is a transport holding another: it can add a header, sign the request, count
/// attempts, or put a `tower` service under the client.
pub trait HttpTransport: Send + Sync + 'static {
    /// Sends `request`; resolves once the response's status and headers have arrived.
    fn send(&self, request: http::Request<RequestBody>) -> Sending<'_>;
}

impl<T: HttpTransport + ?Sized> HttpTransport for Arc<T> {
    fn send(&self, request: http::Request<RequestBody>) -> Sending<'_> {
        (**self).send(request)
    }
}

impl<T: HttpTransport + ?Sized> HttpTransport for Box<T> {
    fn send(&self, request: http::Request<RequestBody>) -> Sending<'_> {
        (**self).send(request)
    }
}

/// The default transport. Build one of your own with
/// `.redirect(reqwest::redirect::Policy::none())`: the client follows redirects itself.
impl HttpTransport for reqwest::Client {
    fn send(&self, request: http::Request<RequestBody>) -> Sending<'_> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(reqwest_failure)?;
            let requested = request.url().clone();
            let response = self.execute(request).await.map_err(reqwest_failure)?;
            // A client passed in with a redirect policy of its own followed a redirect to
            // another origin (carrying header credentials along): what came back is refused,
            // with how to configure it.
            let from = response.url();
            if from != &requested && from.origin() != requested.origin() {
                let origin = super::redirect::origin_text(from);
                return Err(SendError::new(
                    TransportErrorKind::Other,
                    ForeignRedirect { origin },
                ));
            }
            Ok(response_of(response))
        })
    }
}

/// The client's own `reqwest::Client`, built never to follow a redirect: what comes back is
/// from where the request went, so the check a client the caller
/// gives is put to (that it followed no redirect to another origin) is not needed.
#[derive(Debug, Clone)]
pub(crate) struct DefaultTransport(pub(crate) reqwest::Client);

impl HttpTransport for DefaultTransport {
    fn send(&self, request: http::Request<RequestBody>) -> Sending<'_> {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(reqwest_failure)?;
            let response = self.0.execute(request).await.map_err(reqwest_failure)?;
            Ok(response_of(response))
        })
    }
}

fn response_of(response: reqwest::Response) -> http::Response<ResponseBody> {
    http::Response::<reqwest::Body>::from(response)
        .map(|body| ResponseBody::new(body.map_err(without_url)))
}

/// What the HTTP client refused to follow through: the response came from another origin
/// than the request went to, so a client passed in with `ClientBuilder::http_client` followed
/// a redirect on its own.
#[derive(Debug)]
struct ForeignRedirect {
    origin: String,
}

impl std::fmt::Display for ForeignRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the HTTP client followed a redirect to another origin ({}) by itself: build the \
             client given to `ClientBuilder::http_client` with \
             `reqwest::redirect::Policy::none()`, so that the client's `RedirectPolicy` decides",
            self.origin
        )
    }
}

impl std::error::Error for ForeignRedirect {}

/// A `reqwest` failure as the seam's error, without its URL (which could carry a credential
/// sent in the query).
fn reqwest_failure(error: reqwest::Error) -> SendError {
    SendError::new(classify(&error), without_url(error))
}

fn without_url(error: reqwest::Error) -> BoxError {
    Box::new(error.without_url())
}

/// Why a transport gave no response. Its kind decides whether the client may retry: a
/// [`Connect`](TransportErrorKind::Connect) failure never carried the request, so it is
/// retried even for a `POST`.
#[derive(Debug)]
pub struct SendError {
    kind: TransportErrorKind,
    source: BoxError,
}

impl SendError {
    /// A failure of the given kind.
    pub fn new(kind: TransportErrorKind, source: impl Into<BoxError>) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// What kind of failure this is.
    #[must_use]
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    pub(crate) fn into_parts(self) -> (TransportErrorKind, BoxError) {
        (self.kind, self.source)
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} failure: {}", self.kind, self.source)
    }
}

impl std::error::Error for SendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A request's body: its bytes, complete before the request is sent (so that a retry sends
/// them again), or a stream the caller gave (`Upload::from_stream`), sent as it is read and
/// so sent once. An `http_body::Body`, for transports built on `hyper` or `tower`.
#[derive(Default)]
pub struct RequestBody {
    bytes: Option<Bytes>,
    /// Behind a lock only to be `Sync` (as `reqwest::Body::wrap` asks); never contended:
    /// polling reaches it through `&mut`.
    stream: Option<std::sync::Mutex<StreamedBody>>,
    length: Option<u64>,
}

/// The body of a streamed upload.
pub(crate) type StreamedBody = http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>;

impl RequestBody {
    /// A body of these bytes.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: Some(bytes.into()),
            ..Self::default()
        }
    }

    /// No body.
    #[must_use]
    pub fn empty() -> Self {
        Self::default()
    }

    /// The body's bytes (empty for none, and for a stream: read it as an `http_body::Body`).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.as_deref().unwrap_or_default()
    }

    /// Whether the body is a stream, read as it is sent (it can be sent once).
    #[must_use]
    pub fn is_stream(&self) -> bool {
        self.stream.is_some()
    }

    /// A copy, for a body of bytes (a middleware that sends a request twice); `None` for a
    /// stream, which can be read once.
    #[must_use]
    pub fn try_clone(&self) -> Option<Self> {
        self.stream.is_none().then(|| Self {
            bytes: self.bytes.clone(),
            stream: None,
            length: None,
        })
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("RequestBody");
        match &self.stream {
            Some(_) => out.field("stream_length", &self.length),
            None => out.field("bytes", &self.as_bytes().len()),
        };
        out.finish()
    }
}

impl http_body::Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some(stream) = &mut this.stream {
            let stream = stream
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            return Pin::new(stream).poll_frame(cx);
        }
        std::task::Poll::Ready(this.bytes.take().map(|b| Ok(Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.bytes.is_none() && self.stream.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.stream, self.length) {
            (Some(_), Some(length)) => SizeHint::with_exact(length),
            (Some(_), None) => SizeHint::default(),
            (None, _) => SizeHint::with_exact(self.bytes.as_ref().map_or(0, |b| b.len() as u64)),
        }
    }
}

impl From<RequestBody> for reqwest::Body {
    fn from(body: RequestBody) -> Self {
        if body.stream.is_some() {
            return Self::wrap(body);
        }
        body.bytes
            .map_or_else(|| Self::from(Bytes::new()), Self::from)
    }
}

/// A streamed request body, shared by the attempts of one call and taken by the first that
/// sends it: a stream cannot be read twice.
#[derive(Clone)]
pub(crate) struct StreamSlot {
    slot: Arc<std::sync::Mutex<Option<StreamedBody>>>,
    length: Option<u64>,
}

impl StreamSlot {
    pub(crate) fn new(body: StreamedBody, length: Option<u64>) -> Self {
        Self {
            slot: Arc::new(std::sync::Mutex::new(Some(body))),
            length,
        }
    }

    /// The body to send, the first time; `None` once it has been taken.
    pub(crate) fn take(&self) -> Option<RequestBody> {
        let mut slot = self
            .slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.take().map(|stream| RequestBody {
            bytes: None,
            stream: Some(std::sync::Mutex::new(stream)),
            length: self.length,
        })
    }

    /// The length the caller gave, if any.
    pub(crate) fn length(&self) -> Option<u64> {
        self.length
    }

    /// Whether both hold the same stream.
    pub(crate) fn same(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.slot, &other.slot)
    }
}

impl fmt::Debug for StreamSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSlot")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

/// A response's body as it arrives: the client reads it (up to its size limit) or, for a
/// streamed response, hands it to the caller chunk by chunk.
pub struct ResponseBody(http_body_util::combinators::UnsyncBoxBody<Bytes, BoxError>);

impl ResponseBody {
    /// Any `http_body::Body` (a `hyper` response's, a `tower` service's).
    pub fn new<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Self(body.map_err(Into::into).boxed_unsync())
    }

    /// A body of these bytes, complete.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self::new(http_body_util::Full::new(bytes.into()).map_err(|never| match never {}))
    }

    /// No body.
    #[must_use]
    pub fn empty() -> Self {
        Self::from_bytes(Bytes::new())
    }

    /// The next chunk of data, `None` at the end (trailers are skipped).
    ///
    /// # Errors
    ///
    /// The body broke off.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, BoxError> {
        std::future::poll_fn(|cx| self.poll_chunk(cx)).await
    }

    /// [`chunk`](Self::chunk), polled.
    pub(crate) fn poll_chunk(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<Option<Bytes>, BoxError>> {
        loop {
            let frame = match Pin::new(&mut self.0).poll_frame(cx) {
                std::task::Poll::Pending => return std::task::Poll::Pending,
                std::task::Poll::Ready(frame) => frame,
            };
            match frame {
                None => return std::task::Poll::Ready(Ok(None)),
                Some(Err(error)) => return std::task::Poll::Ready(Err(error)),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return std::task::Poll::Ready(Ok(Some(data)));
                    }
                }
            }
        }
    }

    /// The length the body says it has, where it knows.
    pub(crate) fn exact_len(&self) -> Option<u64> {
        self.0.size_hint().exact()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody").finish_non_exhaustive()
    }
}

impl Default for ResponseBody {
    fn default() -> Self {
        Self::empty()
    }
}

/// One attempt of one operation: what [`Hooks`] see, and what every request a transport
/// sends carries in its extensions (`request.extensions().get::<AttemptInfo>()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttemptInfo {
    /// The operation's `operationId` (as the API description writes it); `(oauth2 token)` for
    /// the requests that fetch OAuth 2.0 access tokens (which carry no `path`).
    pub operation: &'static str,
    /// The method's token (`GET`, `POST`, ...).
    pub method: &'static str,
    /// The path template as the API description writes it (`/v1/webhooks/{webhook_id}/`):
    /// no parameter value is in it.
    pub path: &'static str,
    /// The attempt, from 1 (a retry is the next).
    pub attempt: u32,
    /// The redirects followed within this attempt before this request (0 for the first).
    pub redirects: u32,
}

/// What an attempt ended with, as [`Hooks::after_response`] sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// A response arrived (its body not yet read).
    Response {
        /// Its status.
        status: http::StatusCode,
        /// Its headers.
        headers: &'a http::HeaderMap,
    },
    /// The transport gave no response.
    Failed {
        /// What kind of failure.
        kind: TransportErrorKind,
    },
}

/// Code that runs around every request the client sends: metrics, logs, request signing.
///
/// [`before_send`](Self::before_send) sees the request before the client adds the
/// credentials (header, query or cookie), so that nothing a hook can print holds a secret;
/// it may change the request (add a header, sign it). [`after_response`](Self::after_response)
/// sees the status and headers of what came back, or the kind of failure. Both are called
/// for each attempt and each redirect hop, in the order the hooks were added.
pub trait Hooks: Send + Sync + 'static {
    /// Before a request is sent (before the credentials are added).
    fn before_send(&self, attempt: &AttemptInfo, request: &mut http::Request<RequestBody>) {
        let _ = (attempt, request);
    }

    /// After a response arrived (before its body is read), or the transport failed.
    fn after_response(&self, attempt: &AttemptInfo, outcome: Outcome<'_>) {
        let _ = (attempt, outcome);
    }
}

/// A hook shared with the code that reads what it recorded.
impl<H: Hooks + ?Sized> Hooks for Arc<H> {
    fn before_send(&self, attempt: &AttemptInfo, request: &mut http::Request<RequestBody>) {
        (**self).before_send(attempt, request);
    }

    fn after_response(&self, attempt: &AttemptInfo, outcome: Outcome<'_>) {
        (**self).after_response(attempt, outcome);
    }
}

/// The names of the credentials a request carries in its query (a request extension), so
/// that the test double can show the request without them.
#[derive(Debug, Clone)]
pub(crate) struct SecretQuery(pub Vec<String>);

/// The transport a client sends through, with the wrappers the caller added.
pub(crate) type SharedTransport = Arc<dyn HttpTransport>;

/// Wraps a transport in another (what `ClientBuilder::wrap_transport` keeps).
pub(crate) type Wrap = Arc<dyn Fn(SharedTransport) -> SharedTransport + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bodies_give_their_bytes_once() {
        let mut body = ResponseBody::from_bytes(&b"abc"[..]);
        assert_eq!(body.exact_len(), Some(3));
        assert_eq!(body.chunk().await.unwrap().as_deref(), Some(&b"abc"[..]));
        assert!(body.chunk().await.unwrap().is_none());
        let request = RequestBody::from_bytes(&b"xyz"[..]);
        assert_eq!(request.as_bytes(), b"xyz");
        let collected = request.collect().await.unwrap().to_bytes();
        assert_eq!(&collected[..], b"xyz");
        assert!(RequestBody::empty().is_end_stream());
    }
}
