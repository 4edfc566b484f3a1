//! Streamed responses, read as they arrive rather than buffered: server-sent events
//! (`text/event-stream`, parsed by the `eventsource-stream` crate), streams of JSON
//! values (`application/jsonl`, `application/x-ndjson`: one per line; `application/json-seq`:
//! RFC 7464 records) and binary bodies (chunks of bytes). The client's response size limit
//! applies to each event or value, and to a binary body collected whole
//! ([`ByteStream::bytes`]), not to the stream, which lasts as long as the server sends.
#![allow(dead_code)] // Each API streams only some kinds (events, JSON lines, JSON sequences).

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use eventsource_stream::{EventStreamError, Eventsource as _};
use futures_util::stream::{BoxStream, Stream, StreamExt as _};
use serde::de::DeserializeOwned;

use super::error::{Error, ResponseTooLarge, TransportError, TransportErrorKind};
use super::response::Response;
use super::seam::{BoxError, ResponseBody};
use super::transport::Live;

/// One server-sent event. Its data is the text the server sent (`D = String`), or, where the
/// API description types it (an OpenAPI 3.2 `itemSchema`), that text decoded as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event<D = String> {
    /// The event's `id` (empty when the server sent none since the stream began).
    pub id: String,
    /// The event's type (`event:`); `message` when the server named none.
    pub event: String,
    /// The event's data: its `data:` lines, joined by newlines (decoded, when typed).
    pub data: D,
    /// How long the server asks a client to wait before reconnecting (`retry:`).
    pub retry: Option<Duration>,
}

impl Event<String> {
    /// The data decoded as JSON of type `T` (for APIs whose events carry JSON).
    ///
    /// # Errors
    ///
    /// The data is not JSON of that shape.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.data)
    }
}

/// Why a stream stopped early: its transport failed, or an item outgrew the limit.
#[derive(Debug)]
enum Failure {
    Transport(BoxError),
    TooLarge,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Transport(_) => f.write_str("the stream broke off"),
            Self::TooLarge => f.write_str("an item of the stream is larger than the limit"),
        }
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(error) => Some(&**error),
            Self::TooLarge => None,
        }
    }
}

/// What the stream knows to build its errors.
#[derive(Debug, Clone, Copy)]
struct Origin {
    operation: &'static str,
    status: reqwest::StatusCode,
    attempts: u32,
    limit: usize,
}

impl Origin {
    fn error<E>(self, failure: Failure) -> Error<E> {
        match failure {
            Failure::TooLarge => Error::ResponseTooLarge(ResponseTooLarge::new(
                self.operation,
                self.status,
                self.limit,
                self.attempts,
            )),
            Failure::Transport(source) => Error::Transport(TransportError::new(
                self.operation,
                TransportErrorKind::Body,
                self.attempts,
                source,
            )),
        }
    }

    fn decode<E>(self, message: String) -> Error<E> {
        Error::Transport(TransportError::new(
            self.operation,
            TransportErrorKind::Body,
            self.attempts,
            message.into(),
        ))
    }
}

/// The body's chunks as they arrive.
fn chunks(body: ResponseBody) -> BoxStream<'static, Result<Vec<u8>, Failure>> {
    futures_util::stream::unfold(Some(body), |state| async move {
        let mut body = state?;
        match body.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk.to_vec()), Some(body))),
            Ok(None) => None,
            Err(error) => Some((Err(Failure::Transport(error)), None)),
        }
    })
    .boxed()
}

/// Counts the bytes of the event being received (since the last blank line) and fails the
/// stream when one outgrows `limit`: the parser buffers an event until it ends.
fn limit_events(
    chunks: BoxStream<'static, Result<Vec<u8>, Failure>>,
    limit: usize,
) -> BoxStream<'static, Result<Vec<u8>, Failure>> {
    let mut in_event = 0usize;
    let mut line_start = true;
    let mut after_cr = false;
    chunks
        .map(move |chunk| {
            let chunk = chunk?;
            for &byte in &chunk {
                match byte {
                    b'\n' if after_cr => after_cr = false,
                    b'\n' | b'\r' => {
                        after_cr = byte == b'\r';
                        if line_start {
                            in_event = 0;
                        }
                        line_start = true;
                    }
                    _ => {
                        after_cr = false;
                        line_start = false;
                        in_event += 1;
                        if in_event > limit {
                            return Err(Failure::TooLarge);
                        }
                    }
                }
            }
            Ok(chunk)
        })
        .boxed()
}

/// A `futures::Stream` of the server-sent events of one response, each a
/// `Result<Event<D>, Error<E>>`. It ends when the server closes the stream, or after the
/// first error (the connection broke, an event was larger than the client's response size
/// limit, the stream is not valid UTF-8, or typed data did not decode as `D`).
/// [`last_event_id`](Self::last_event_id) is what to send as `Last-Event-ID` to resume.
pub struct EventStream<E, D = String> {
    inner: BoxStream<'static, Result<eventsource_stream::Event, EventStreamError<Failure>>>,
    origin: Origin,
    headers: reqwest::header::HeaderMap,
    last_event_id: Option<String>,
    done: bool,
    /// Turns an event's data text into `D`.
    decode: fn(String) -> Result<D, serde_json::Error>,
    errors: PhantomData<fn() -> E>,
}

impl<E, D> std::fmt::Debug for EventStream<E, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("operation", &self.origin.operation)
            .field("status", &self.origin.status)
            .field("last_event_id", &self.last_event_id)
            .finish_non_exhaustive()
    }
}

impl<E, D> EventStream<E, D> {
    fn new(live: Live, decode: fn(String) -> Result<D, serde_json::Error>) -> Self {
        let origin = Origin {
            operation: live.operation,
            status: live.status,
            attempts: live.attempts,
            limit: live.limit,
        };
        Self {
            inner: limit_events(chunks(live.body), live.limit)
                .eventsource()
                .boxed(),
            origin,
            headers: live.headers,
            last_event_id: None,
            done: false,
            decode,
            errors: PhantomData,
        }
    }

    /// The `id` of the last event received that had one: send it as the `Last-Event-ID`
    /// header when reconnecting, and the server resumes after it.
    #[must_use]
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The response's status.
    #[must_use]
    pub fn status(&self) -> reqwest::StatusCode {
        self.origin.status
    }

    /// The response's headers.
    #[must_use]
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
}

impl<E, D> Stream for EventStream<E, D> {
    type Item = Result<Event<D>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let polled = self.inner.as_mut().poll_next(cx);
        Poll::Ready(match futures_util::ready!(polled) {
            None => None,
            Some(Ok(event)) => {
                if !event.id.is_empty() {
                    self.last_event_id = Some(event.id.clone());
                }
                match (self.decode)(event.data) {
                    Ok(data) => Some(Ok(Event {
                        id: event.id,
                        event: event.event,
                        data,
                        retry: event.retry,
                    })),
                    Err(error) => {
                        self.done = true;
                        let what = if event.event.is_empty() {
                            "message"
                        } else {
                            &event.event
                        };
                        Some(Err(self.origin.decode(format!(
                            "the data of a `{what}` event does not decode: {error}"
                        ))))
                    }
                }
            }
            Some(Err(error)) => {
                self.done = true;
                let origin = self.origin;
                Some(Err(match error {
                    EventStreamError::Transport(failure) => origin.error(failure),
                    EventStreamError::Utf8(error) => {
                        origin.decode(format!("the event stream is not UTF-8: {error}"))
                    }
                    EventStreamError::Parser(error) => {
                        origin.decode(format!("the event stream is malformed: {error}"))
                    }
                }))
            }
        })
    }
}

/// The events of a live response, their data as sent, with its status and headers.
pub(crate) fn events<E>(live: Live) -> Response<EventStream<E>> {
    let (status, headers) = (live.status, live.headers.clone());
    Response::new(status, headers, EventStream::new(live, Ok))
}

/// The events of a live response, their data decoded as JSON of type `D`, with its status
/// and headers.
pub(crate) fn typed_events<E, D: DeserializeOwned>(live: Live) -> Response<EventStream<E, D>> {
    let (status, headers) = (live.status, live.headers.clone());
    Response::new(
        status,
        headers,
        EventStream::new(live, |data| serde_json::from_str(&data)),
    )
}

/// The JSON values of a live response, one per line, with its status and headers.
pub(crate) fn json_lines<T, E>(live: Live) -> Response<JsonStream<T, E>> {
    let (status, headers) = (live.status, live.headers.clone());
    Response::new(status, headers, JsonStream::new(live, Framing::Lines))
}

/// The JSON text sequence (RFC 7464) of a live response, with its status and headers.
pub(crate) fn json_records<T, E>(live: Live) -> Response<JsonStream<T, E>> {
    let (status, headers) = (live.status, live.headers.clone());
    Response::new(status, headers, JsonStream::new(live, Framing::Records))
}

/// A binary response's body as it arrives: a `futures::Stream` of its chunks, each a
/// `Result<bytes::Bytes, Error<E>>`, held one at a time (a download of any size in the
/// memory of one chunk; write each where it goes). [`bytes`](Self::bytes) collects the body
/// instead, up to the client's response size limit. The stream ends with the body, or after
/// the first error (the connection broke).
pub struct ByteStream<E> {
    body: Option<ResponseBody>,
    origin: Origin,
    headers: reqwest::header::HeaderMap,
    errors: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.origin.operation)
            .field("status", &self.origin.status)
            .field("ended", &self.body.is_none())
            .finish_non_exhaustive()
    }
}

impl<E> ByteStream<E> {
    fn new(live: Live) -> Self {
        Self {
            origin: Origin {
                operation: live.operation,
                status: live.status,
                attempts: live.attempts,
                limit: live.limit,
            },
            headers: live.headers,
            body: Some(live.body),
            errors: PhantomData,
        }
    }

    /// The response's status.
    #[must_use]
    pub fn status(&self) -> reqwest::StatusCode {
        self.origin.status
    }

    /// The response's headers.
    #[must_use]
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The body's length, where the response says it (`Content-Length`).
    #[must_use]
    pub fn content_length(&self) -> Option<u64> {
        super::response::content_length(&self.headers)
    }

    /// The next chunk, `None` at the end of the body.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when the body broke off; the stream has ended then.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error<E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// The rest of the body, collected, up to the client's response size limit
    /// ([`max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
    ///
    /// # Errors
    ///
    /// [`Error::ResponseTooLarge`] past the limit (read the stream instead: it has none);
    /// [`Error::Transport`] when the body broke off.
    pub async fn bytes(mut self) -> Result<Vec<u8>, Error<E>> {
        let limit = self.origin.limit;
        let capacity = self
            .content_length()
            .and_then(|length| usize::try_from(length).ok())
            .unwrap_or(0)
            .min(limit);
        let mut bytes = Vec::with_capacity(capacity);
        while let Some(chunk) = self.chunk().await? {
            if chunk.len() > limit - bytes.len() {
                self.body = None;
                return Err(self.origin.error(Failure::TooLarge));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<bytes::Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(body) = self.body.as_mut() else {
            return Poll::Ready(None);
        };
        let chunk = futures_util::ready!(body.poll_chunk(cx));
        Poll::Ready(match chunk {
            Ok(Some(chunk)) => Some(Ok(chunk)),
            Ok(None) => {
                self.body = None;
                None
            }
            Err(error) => {
                self.body = None;
                Some(Err(self.origin.error(Failure::Transport(error))))
            }
        })
    }
}

/// The body of a live binary response, as a stream of chunks, with its status and headers.
pub(crate) fn bytes_stream<E>(live: Live) -> Response<ByteStream<E>> {
    let (status, headers) = (live.status, live.headers.clone());
    Response::new(status, headers, ByteStream::new(live))
}

/// RFC 7464's record separator, which begins every JSON text of a sequence.
const RECORD_SEPARATOR: u8 = 0x1e;

/// How a stream of JSON values separates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// One value per line (`application/jsonl`, `application/x-ndjson`); blank lines skipped.
    Lines,
    /// RFC 7464 records (`application/json-seq`): each starts with the record separator.
    Records,
}

/// A `futures::Stream` of the JSON values of one response, each decoded as `T`: a
/// `Result<T, Error<E>>`. It ends when the server closes the stream, or after the first error
/// (the connection broke, a value was larger than the client's response size limit, or did
/// not decode as `T`).
pub struct JsonStream<T, E> {
    chunks: BoxStream<'static, Result<Vec<u8>, Failure>>,
    framing: Framing,
    buffer: Vec<u8>,
    origin: Origin,
    headers: reqwest::header::HeaderMap,
    ended: bool,
    done: bool,
    items: PhantomData<fn() -> (T, E)>,
}

impl<T, E> std::fmt::Debug for JsonStream<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonStream")
            .field("operation", &self.origin.operation)
            .field("status", &self.origin.status)
            .field("framing", &self.framing)
            .finish_non_exhaustive()
    }
}

impl<T, E> JsonStream<T, E> {
    pub(crate) fn new(live: Live, framing: Framing) -> Self {
        Self {
            chunks: chunks(live.body),
            framing,
            buffer: Vec::new(),
            origin: Origin {
                operation: live.operation,
                status: live.status,
                attempts: live.attempts,
                limit: live.limit,
            },
            headers: live.headers,
            ended: false,
            done: false,
            items: PhantomData,
        }
    }

    /// The response's status.
    #[must_use]
    pub fn status(&self) -> reqwest::StatusCode {
        self.origin.status
    }

    /// The response's headers.
    #[must_use]
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The next complete item in the buffer (at the end of the body, what is left).
    fn next_item(&mut self) -> Option<Vec<u8>> {
        loop {
            let separator = match self.framing {
                Framing::Lines => b'\n',
                Framing::Records => RECORD_SEPARATOR,
            };
            if self.framing == Framing::Records {
                // A record starts with the separator; it ends at the next one, or at its line
                // feed once what came before is a whole JSON text (RFC 7464 ends each record
                // with one, so a record need not wait for the next).
                if self.buffer.first() == Some(&RECORD_SEPARATOR) {
                    self.buffer.remove(0);
                }
                let next = self.buffer.iter().position(|&b| b == RECORD_SEPARATOR);
                let whole = next.is_none()
                    && self.buffer.last() == Some(&b'\n')
                    && serde_json::from_slice::<serde::de::IgnoredAny>(&self.buffer).is_ok();
                if whole {
                    let item = std::mem::take(&mut self.buffer);
                    return Some(item);
                }
            }
            let item = match self.buffer.iter().position(|&b| b == separator) {
                Some(at) => {
                    let rest = self.buffer.split_off(at + 1);
                    let mut item = std::mem::replace(&mut self.buffer, rest);
                    item.pop();
                    item
                }
                None if self.ended && !self.buffer.is_empty() => std::mem::take(&mut self.buffer),
                None => return None,
            };
            if !item.iter().all(u8::is_ascii_whitespace) {
                return Some(item);
            }
        }
    }
}

impl<T: DeserializeOwned, E> Stream for JsonStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            if let Some(item) = self.next_item() {
                let origin = self.origin;
                if item.len() > origin.limit {
                    self.done = true;
                    return Poll::Ready(Some(Err(origin.error(Failure::TooLarge))));
                }
                return Poll::Ready(Some(serde_json::from_slice(&item).map_err(|error| {
                    self.done = true;
                    origin.decode(format!("an item of the stream did not decode: {error}"))
                })));
            }
            if self.ended {
                self.done = true;
                return Poll::Ready(None);
            }
            if self.buffer.len() > self.origin.limit {
                self.done = true;
                return Poll::Ready(Some(Err(self.origin.error(Failure::TooLarge))));
            }
            match futures_util::ready!(self.chunks.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                Some(Err(failure)) => {
                    self.done = true;
                    let origin = self.origin;
                    return Poll::Ready(Some(Err(origin.error(failure))));
                }
                None => self.ended = true,
            }
        }
    }
}

/// A streamed response (server-sent events or JSON values) as an iterator, for the blocking
/// client (cargo feature `blocking`): each `next` blocks the calling thread until the next
/// item is there. [`get_ref`](Self::get_ref) reaches the stream itself (its status, headers
/// and, for events, the last event id).
#[cfg(feature = "blocking")]
pub struct BlockingStream<'a, S> {
    stream: S,
    runtime: &'a super::blocking_runtime::BlockingRuntime,
    /// What [`std::io::Read`] has taken from the stream and not yet given.
    pending: bytes::Bytes,
}

#[cfg(feature = "blocking")]
impl<'a, S> BlockingStream<'a, S> {
    pub(crate) fn new(stream: S, runtime: &'a super::blocking_runtime::BlockingRuntime) -> Self {
        Self {
            stream,
            runtime,
            pending: bytes::Bytes::new(),
        }
    }

    /// The stream being read.
    #[must_use]
    pub fn get_ref(&self) -> &S {
        &self.stream
    }
}

#[cfg(feature = "blocking")]
impl super::blocking_runtime::BlockingRuntime {
    /// A call of a streamed operation, to be run on this runtime: its stream, once the
    /// response starts, is an iterator on it.
    pub(crate) fn streamed<'a, S, E: 'static, O>(
        &'a self,
        call: super::call::Call<'a, S, E, O>,
    ) -> super::call::BlockingCall<'a, S, E, O, BlockingStream<'a, S>> {
        self.wrapping(call, BlockingStream::new)
    }
}

#[cfg(feature = "blocking")]
impl<S: std::fmt::Debug> std::fmt::Debug for BlockingStream<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("BlockingStream").field(&self.stream).finish()
    }
}

#[cfg(feature = "blocking")]
impl<S> Iterator for BlockingStream<'_, S>
where
    S: Stream + Unpin + Send,
    S::Item: Send,
{
    type Item = S::Item;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = &mut self.stream;
        self.runtime.block_on(std::future::poll_fn(|cx| {
            Pin::new(&mut *stream).poll_next(cx)
        }))
    }
}

#[cfg(feature = "blocking")]
impl<E: Send> BlockingStream<'_, ByteStream<E>> {
    /// The rest of the body, collected, up to the client's response size limit: see
    /// [`ByteStream::bytes`].
    ///
    /// # Errors
    ///
    /// As [`ByteStream::bytes`].
    pub fn bytes(self) -> Result<Vec<u8>, Error<E>> {
        self.runtime.block_on(self.stream.bytes())
    }
}

#[cfg(feature = "blocking")]
impl<E: Send> std::io::Read for BlockingStream<'_, ByteStream<E>> {
    /// Reads the body as it arrives, blocking for each chunk (`std::io::copy` it to a file).
    /// An error of the stream is an `io::Error` of kind `Other` with its message.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            match self.next() {
                None => return Ok(0),
                Some(Ok(chunk)) => self.pending = chunk,
                Some(Err(error)) => return Err(std::io::Error::other(error.to_string())),
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        bytes::Buf::advance(&mut self.pending, n);
        Ok(n)
    }
}
