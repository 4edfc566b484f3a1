//! Walking the pages of a list operation: a [`Paged`] stream of pages, or of their items,
//! that fetches the next page only when the previous one has been consumed.
//!
//! Every page is requested through the operation's own [`Transport`] call, so it keeps the
//! operation's checks, retries, limits, tracing and error type. How the next page is found is
//! a [`Next`] rule the generated code gives per operation:
//!
//! - [`Next::BodyUrl`]: a URL in the body (`{"next": "https://…", "results": […]}`, as Django
//!   REST Framework and Truv answer); absent, null or empty on the last page;
//! - [`Next::LinkHeader`]: the `Link` header's `rel="next"` URL (GitHub); none on the last page;
//! - [`Next::Cursor`]: the same request again with one query parameter set to a cursor read
//!   from the page (Stripe's `starting_after` = the last item's `id`, while `has_more`).
//!
//! A next-page URL is resolved against the URL of the page it came from and followed only
//! when it has the base URL's origin (scheme, host and port): the credentials of the client
//! never go to another origin. One that does not ends the stream with
//! [`Error::InvalidRequest`] (kind [`ValidationErrorKind::OtherOrigin`]) after the page that
//! named it. A next page that would repeat the request just made ends the stream (the last
//! page of some servers names itself); one that repeats any earlier page ends it with
//! [`Error::InvalidRequest`] (kind [`ValidationErrorKind::PageCycle`]), so a server whose
//! pages point in a circle cannot make it loop; and [`Paged::max_pages`] bounds a walk.
#![allow(dead_code)] // Shared by every generated crate; each API pages in only some of these ways.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use futures_util::stream::{self, FusedStream, Stream};
use serde::de::DeserializeOwned;

use super::call::Call;
use super::error::Error;
use super::transport::{Operation, RequestParts, Transport};
use super::validation::{ValidationError, ValidationErrorKind};

/// How a list operation finds its next page.
#[derive(Debug)]
pub(crate) enum Next {
    /// The next page's URL is the string at this JSON pointer of the body.
    BodyUrl(&'static str),
    /// The next page's URL is the `Link` header's `rel="next"` target.
    LinkHeader,
    /// The next page is the same request with the query parameter `parameter` set to a
    /// cursor from the page, while `has_more` (a JSON pointer to a boolean, when given) says
    /// there are more pages.
    Cursor {
        parameter: &'static str,
        cursor: Cursor,
        has_more: Option<&'static str>,
    },
}

/// Where a cursor comes from.
#[derive(Debug)]
pub(crate) enum Cursor {
    /// The string (or number) at this JSON pointer of the body; absent, null or empty on
    /// the last page.
    Pointer(&'static str),
    /// The property `property` of the last element of the array at the JSON pointer `items`
    /// (Stripe's `starting_after`: the last item's `id`).
    LastItem {
        items: &'static str,
        property: &'static str,
    },
}

impl Next {
    /// Whether finding the next page reads the body as JSON.
    fn reads_body(&self) -> bool {
        !matches!(self, Self::LinkHeader)
    }
}

/// A stream of pages of a list operation, or of their items: each element is a page (or an
/// item) or the error that ended the walk. Fetches lazily, one page at a time.
///
/// It implements `futures::Stream`: iterate with `futures::StreamExt::next` (or
/// `futures_util`'s), collect with `TryStreamExt::try_collect`. It is `Unpin` and `Send`, and
/// fused: once it has ended, it stays ended.
#[must_use = "streams do nothing unless polled"]
pub struct Paged<T, E> {
    /// `None` once the stream has ended.
    inner: Option<Boxed<T, E>>,
    /// The most pages the walk may fetch, shared with it.
    limit: Arc<AtomicUsize>,
}

/// The stream a [`Paged`] wraps.
type Boxed<T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>;

impl<T, E> fmt::Debug for Paged<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged").finish_non_exhaustive()
    }
}

impl<T, E> Stream for Paged<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = inner.as_mut().poll_next(cx);
        if let Poll::Ready(None) = polled {
            self.inner = None;
        }
        polled
    }
}

impl<T, E> FusedStream for Paged<T, E> {
    fn is_terminated(&self) -> bool {
        self.inner.is_none()
    }
}

impl<T, E> Paged<T, E> {
    fn new(
        inner: impl Stream<Item = Result<T, Error<E>>> + Send + 'static,
        limit: Arc<AtomicUsize>,
    ) -> Self {
        Self {
            inner: Some(Box::pin(inner)),
            limit,
        }
    }

    /// The walk fetches at most `pages` pages: where the server names a next page after
    /// that many, the stream ends with [`Error::InvalidRequest`] (kind
    /// [`ValidationErrorKind::PageLimit`]) instead of fetching it, so a caller can tell a
    /// bounded walk from a whole list. Unbounded by default (a next page that was fetched
    /// before ends any walk, with kind [`ValidationErrorKind::PageCycle`]).
    pub fn max_pages(self, pages: usize) -> Self {
        self.limit.store(pages, Ordering::Relaxed);
        self
    }
}

/// A [`Paged`] stream as an iterator, for the blocking client (cargo feature `blocking`):
/// each `next` runs on the client's runtime until the next page or item is there.
#[cfg(feature = "blocking")]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct BlockingPaged<'a, T, E> {
    stream: Paged<T, E>,
    runtime: &'a super::blocking_runtime::BlockingRuntime,
}

#[cfg(feature = "blocking")]
impl super::blocking_runtime::BlockingRuntime {
    /// The pages (or items) of a list operation, as an iterator on this runtime.
    pub(crate) fn paged<T, E>(&self, stream: Paged<T, E>) -> BlockingPaged<'_, T, E> {
        BlockingPaged {
            stream,
            runtime: self,
        }
    }
}

#[cfg(feature = "blocking")]
impl<T, E> BlockingPaged<'_, T, E> {
    /// As [`Paged::max_pages`]: the walk fetches at most `pages` pages.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.stream = self.stream.max_pages(pages);
        self
    }
}

#[cfg(feature = "blocking")]
impl<T, E> fmt::Debug for BlockingPaged<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingPaged").finish_non_exhaustive()
    }
}

#[cfg(feature = "blocking")]
impl<T: Send, E: Send> Iterator for BlockingPaged<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        let stream = &mut self.stream;
        self.runtime.block_on(std::future::poll_fn(|cx| {
            Pin::new(&mut *stream).poll_next(cx)
        }))
    }
}

/// What the page walk holds between pages.
struct Walk<E: 'static> {
    transport: Transport,
    operation: &'static Operation<E>,
    next: &'static Next,
    /// The next request, or the refusal to make it; `None` once the walk is over.
    pending: Option<Result<RequestParts, Error<E>>>,
    /// The URLs (with their queries) of the pages fetched so far: a next page among them is
    /// a cycle, which ends the walk with an error instead of walking it forever.
    fetched: HashSet<String>,
    /// The most pages the caller lets the walk fetch ([`Paged::max_pages`]).
    limit: Arc<AtomicUsize>,
}

/// The pages of `operation`, starting with the request `first` (or the refusal of one of its
/// values, the stream's first and only element).
pub(crate) fn pages<P, E>(
    transport: &Transport,
    operation: &'static Operation<E>,
    next: &'static Next,
    first: Result<RequestParts, Error<E>>,
) -> Paged<P, E>
where
    P: DeserializeOwned + Send + 'static,
    E: Send + 'static,
{
    let limit = Arc::new(AtomicUsize::new(usize::MAX));
    let walk = Walk {
        transport: transport.clone(),
        operation,
        next,
        pending: Some(first.and_then(|parts| Ok(parts.ready()?))),
        fetched: HashSet::new(),
        limit: Arc::clone(&limit),
    };
    let inner = stream::unfold(walk, |mut walk| async move {
        let parts = match walk.pending.take()? {
            Ok(parts) => parts,
            Err(refused) => return Some((Err(refused), walk)),
        };
        let url = walk.transport.request_url(&parts).to_string();
        if walk.fetched.contains(&url) {
            let kind = ValidationErrorKind::PageCycle;
            return Some((
                Err(Error::InvalidRequest(ValidationError::new("next", kind))),
                walk,
            ));
        }
        let limit = walk.limit.load(Ordering::Relaxed);
        if walk.fetched.len() >= limit {
            let kind = ValidationErrorKind::PageLimit { limit };
            return Some((
                Err(Error::InvalidRequest(ValidationError::new("next", kind))),
                walk,
            ));
        }
        walk.fetched.insert(url);
        let raw = match walk.transport.send_raw(walk.operation, parts.clone()).await {
            Ok(raw) => raw,
            Err(error) => return Some((Err(error), walk)),
        };
        let page: P = match raw.json() {
            Ok(page) => page,
            Err(error) => return Some((Err(error), walk)),
        };
        let body = if walk.next.reads_body() {
            serde_json::from_slice(raw.body_bytes()).unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::Value::Null
        };
        walk.pending = next_request(&walk.transport, walk.next, parts, raw.headers(), &body)
            .map(|next| next.map_err(Error::InvalidRequest));
        Some((Ok(page), walk))
    });
    Paged::new(inner, limit)
}

/// The pages of a list operation's `call`, the next ones found by the `next` rule: each
/// request is the first one's, with the optional parameters the caller set on the call.
pub(crate) fn walk<P, E, O>(call: Call<'_, P, E, O>, next: &'static Next) -> Paged<P, E>
where
    P: DeserializeOwned + Send + 'static,
    E: Send + 'static,
{
    let (transport, operation, first) = super::call::into_walk(call);
    pages(transport, operation, next, first)
}

/// The pages (or items: `walk` says which) of the blocking client's `call`, as an iterator
/// on the client's runtime.
#[cfg(feature = "blocking")]
pub(crate) fn blocking<'a, P, T, E, O>(
    call: super::call::BlockingCall<'a, P, E, O>,
    walk: fn(Call<'a, P, E, O>) -> Paged<T, E>,
) -> BlockingPaged<'a, T, E> {
    let (call, runtime) = super::call::into_async(call);
    runtime.paged(walk(call))
}

/// The items of each page of `pages`, in order, as `items` takes them out of the page.
pub(crate) fn items<P, T, E>(pages: Paged<P, E>, items: fn(P) -> Vec<T>) -> Paged<T, E>
where
    P: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let limit = Arc::clone(&pages.limit);
    let state = (Some(pages), VecDeque::new());
    let inner = stream::unfold(state, move |(mut pages, mut buffer)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (pages, buffer)));
            }
            let source = pages.as_mut()?;
            match std::future::poll_fn(|cx| Pin::new(&mut *source).poll_next(cx)).await? {
                Ok(page) => buffer.extend(items(page)),
                // An error ends the walk after it is reported.
                Err(error) => return Some((Err(error), (None, buffer))),
            }
        }
    });
    Paged::new(inner, limit)
}

/// The request for the page after the one `parts` fetched, or `None` on the last page.
fn next_request(
    transport: &Transport,
    next: &Next,
    parts: RequestParts,
    headers: &reqwest::header::HeaderMap,
    body: &serde_json::Value,
) -> Option<Result<RequestParts, ValidationError>> {
    match next {
        Next::BodyUrl(pointer) => {
            let target = body.pointer(pointer).and_then(serde_json::Value::as_str)?;
            follow(transport, parts, target)
        }
        Next::LinkHeader => {
            let target = headers
                .get_all(reqwest::header::LINK)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .find_map(next_link)?;
            follow(transport, parts, &target)
        }
        Next::Cursor {
            parameter,
            cursor,
            has_more,
        } => {
            if let Some(flag) = has_more {
                if body.pointer(flag).and_then(serde_json::Value::as_bool) != Some(true) {
                    return None;
                }
            }
            let value = match cursor {
                Cursor::Pointer(pointer) => body.pointer(pointer).and_then(scalar_text)?,
                Cursor::LastItem { items, property } => body
                    .pointer(items)
                    .and_then(serde_json::Value::as_array)
                    .and_then(|items| items.last())
                    .and_then(|item| item.get(*property))
                    .and_then(scalar_text)?,
            };
            if value.is_empty() || parts.query_value(parameter) == Some(value.as_str()) {
                return None;
            }
            let mut parts = parts;
            parts.set_query(parameter, value);
            Some(Ok(parts))
        }
    }
}

/// The request for the URL `target` (relative to the page it came from), if it is one to
/// follow: not empty, not the page just fetched, and at the base URL's origin.
fn follow(
    transport: &Transport,
    parts: RequestParts,
    target: &str,
) -> Option<Result<RequestParts, ValidationError>> {
    let target = target.trim();
    if target.is_empty() {
        return None;
    }
    let current = transport.request_url(&parts);
    let url = match current.join(target) {
        Ok(url) => url,
        Err(error) => {
            return Some(Err(ValidationError::new(
                "next",
                ValidationErrorKind::NotAbsoluteUri {
                    reason: error.to_string(),
                },
            )));
        }
    };
    if url == current {
        return None;
    }
    if !transport.same_origin(&url) {
        return Some(Err(ValidationError::new(
            "next",
            ValidationErrorKind::OtherOrigin {
                origin: url.origin().ascii_serialization(),
            },
        )));
    }
    let mut parts = parts;
    parts.set_url(url);
    Some(Ok(parts))
}

/// A cursor's text: a string as it is, a number as written; nothing else is a cursor.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The `rel="next"` target of one `Link` header value (RFC 8288): `<url>; rel="next", …`.
fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    loop {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        // The parameters run to the next link (a `,` outside quotes) or the end.
        let after = &rest[close + 1..];
        let mut in_quotes = false;
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    in_quotes = !in_quotes;
                }
                c == ',' && !in_quotes
            })
            .map_or(after.len(), |(at, _)| at);
        let is_next = after[..end].split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.to_owned());
        }
        rest = after.get(end + 1..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = "<https://api.github.com/repositories/1/issues?page=1>; rel=\"prev\", \
                      <https://api.github.com/repositories/1/issues?page=3>; rel=\"next\", \
                      <https://api.github.com/repositories/1/issues?page=9>; rel=\"last\"";
        assert_eq!(
            next_link(github).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=3")
        );
        assert_eq!(
            next_link("</p?a=1,2>; title=\"a, b\"; REL=\"prefetch next\"").as_deref(),
            Some("/p?a=1,2")
        );
        assert_eq!(next_link("</p2>; rel=next").as_deref(), Some("/p2"));
        assert_eq!(next_link("<https://x/p?page=9>; rel=\"last\""), None);
        assert_eq!(next_link(""), None);
        assert_eq!(next_link("<unterminated; rel=next"), None);
    }

    #[test]
    fn cursors_are_strings_or_numbers() {
        assert_eq!(
            scalar_text(&serde_json::json!("cus_1")).as_deref(),
            Some("cus_1")
        );
        assert_eq!(scalar_text(&serde_json::json!(42)).as_deref(), Some("42"));
        assert_eq!(scalar_text(&serde_json::json!(null)), None);
        assert_eq!(scalar_text(&serde_json::json!({"id": 1})), None);
    }
}
