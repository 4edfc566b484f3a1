//! Calls: one call of an operation, as its method returns it: a value that holds the request
//! (built and checked from the method's arguments) until it is awaited (or, in the blocking
//! client, sent). Before that, the call's setters add the operation's optional parameters,
//! one method each: `client.list_items("shelf").page(2).await`. One method per operation then
//! serves the body alone, the body with the response's status and headers, and (for a list)
//! its pages or items.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;
use super::response::Response;
use super::transport::{Live, Operation, RawResponse, RequestParts, Transport};
use super::validation::ValidationError;

/// What a call runs: the request through retries to the decoded response.
type Pending<'a, T, E> = Pin<Box<dyn Future<Output = Result<Response<T>, Error<E>>> + Send + 'a>>;

/// How a call's success response becomes its body.
enum Receive<T, E> {
    /// The body read whole, then decoded.
    Decode(fn(RawResponse) -> Result<Response<T>, Error<E>>),
    /// The body left unread, opened as a stream.
    Live(fn(Live) -> Response<T>),
}

/// A call of one operation, as the operation's method returns it.
///
/// Nothing is sent until it is awaited. Before that, its setters (one per optional parameter
/// of the operation, listed in the method's documentation) add what the caller wants to the
/// request; setting a parameter again replaces its value. `.await` gives the decoded body;
/// [`with_response`](Self::with_response)`.await` gives it with the response's status and
/// headers. Either fails with an [`Error`](crate::Error) when a value is refused (before any
/// request is made: values are checked when they are given, and the first refusal ends the
/// call), when no response arrives, or when the response is not a success.
///
/// `E` is what the operation's error bodies decode as. `O` names the operation (a type of
/// the crate's `operations` module), so that each operation's call has the setters of its
/// own parameters. `M` is how the call runs: [`Async`] (awaited) or, in the blocking client,
/// [`Blocking`] (sent).
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<'a, T, E: 'static, O = (), M = Async> {
    transport: &'a Transport,
    operation: &'static Operation<E>,
    parts: Result<RequestParts, Error<E>>,
    receive: Receive<T, E>,
    // Read by the blocking client only.
    #[cfg_attr(not(feature = "blocking"), allow(dead_code))]
    mode: M,
    names: PhantomData<fn() -> O>,
}

/// How an async [`Call`] runs: awaited.
#[derive(Debug, Clone, Copy)]
pub struct Async;

// The call's own helpers are functions, not methods: a method (or associated function) of
// any name would take that name from the setters the generated crate adds to `Call`, one per
// optional parameter (`naming::reserved::CALL_METHODS` lists the public methods it has).

/// The call of `operation` with the request `parts` (or the refusal of one of its values),
/// whose success response `receive` reads.
fn start<'a, T, E: 'static, O>(
    transport: &'a Transport,
    operation: &'static Operation<E>,
    receive: Receive<T, E>,
    parts: Result<RequestParts, Error<E>>,
) -> Call<'a, T, E, O> {
    Call {
        transport,
        operation,
        parts,
        receive,
        mode: Async,
        names: PhantomData,
    }
}

/// The call of `operation` with the request `parts` (or the refusal of one of its values),
/// whose success response `decode` reads.
pub(crate) fn decoded<'a, T, E: 'static, O>(
    transport: &'a Transport,
    operation: &'static Operation<E>,
    decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
    parts: Result<RequestParts, Error<E>>,
) -> Call<'a, T, E, O> {
    start(transport, operation, Receive::Decode(decode), parts)
}

/// The call of a streamed operation: `open` turns the response, its body unread, into the
/// stream.
pub(crate) fn live<'a, T, E: 'static, O>(
    transport: &'a Transport,
    operation: &'static Operation<E>,
    open: fn(Live) -> Response<T>,
    parts: Result<RequestParts, Error<E>>,
) -> Call<'a, T, E, O> {
    start(transport, operation, Receive::Live(open), parts)
}

/// `call` with one optional parameter set: `set` adds it to the request, after every value it
/// had before is removed (query pairs, header or cookie of the parameter's wire name `name`).
/// A value `set` refuses ends the call, when it is awaited, with [`Error::InvalidRequest`] and
/// no I/O; so does any earlier refusal, which a later setter does not undo.
#[allow(dead_code)] // Unused where no operation has an optional parameter.
pub(crate) fn set<'a, T, E: 'static, O, M>(
    mut call: Call<'a, T, E, O, M>,
    name: &'static str,
    set: impl FnOnce(&mut RequestParts) -> Result<(), ValidationError>,
) -> Call<'a, T, E, O, M> {
    if let Ok(parts) = &mut call.parts {
        parts.unset(name);
        if let Err(refused) = set(parts) {
            call.parts = Err(Error::InvalidRequest(refused));
        }
    }
    call
}

/// [`set`] for the most common optional parameter: a query parameter that is one value, sent
/// as its text.
#[allow(dead_code)] // Unused where no operation has one.
pub(crate) fn query<'a, T, E: 'static, O, M>(
    call: Call<'a, T, E, O, M>,
    name: &'static str,
    value: impl fmt::Display,
) -> Call<'a, T, E, O, M> {
    set(call, name, |parts| {
        parts.add_query(name, value);
        Ok(())
    })
}

/// [`query`] for a value with rules (a bound, a length, a pattern): converted into its checked
/// type `V`, and so checked, on the way in.
#[allow(dead_code)] // Unused where no operation has one.
pub(crate) fn checked_query<'a, T, E: 'static, O, M, V: fmt::Display>(
    call: Call<'a, T, E, O, M>,
    name: &'static str,
    value: impl super::builder::IntoChecked<V>,
) -> Call<'a, T, E, O, M> {
    set(call, name, |parts| {
        parts.add_query(name, super::builder::checked(name, value)?);
        Ok(())
    })
}

/// [`set`] for a header parameter given as text.
#[allow(dead_code)] // Unused where no operation has one.
pub(crate) fn header<'a, T, E: 'static, O, M>(
    call: Call<'a, T, E, O, M>,
    name: &'static str,
    value: &str,
) -> Call<'a, T, E, O, M> {
    set(call, name, |parts| parts.header(name, value))
}

/// `call` running in another mode (the blocking client's).
#[allow(dead_code)] // Used by the blocking client.
fn into_mode<T, E: 'static, O, M, N>(call: Call<'_, T, E, O, M>, mode: N) -> Call<'_, T, E, O, N> {
    Call {
        transport: call.transport,
        operation: call.operation,
        parts: call.parts,
        receive: call.receive,
        mode,
        names: PhantomData,
    }
}

/// What the pages of a list operation start from: the client, the operation and its first
/// request.
#[allow(dead_code)] // Used by the operations that page.
pub(crate) fn into_walk<T, E: 'static, O, M>(
    call: Call<'_, T, E, O, M>,
) -> (
    &Transport,
    &'static Operation<E>,
    Result<RequestParts, Error<E>>,
) {
    (call.transport, call.operation, call.parts)
}

/// The request sent (retrying as the policy allows) and its response received.
fn pending<'a, T: 'a, E: Send + 'static, O, M>(call: Call<'a, T, E, O, M>) -> Pending<'a, T, E> {
    let Call {
        transport,
        operation,
        parts,
        receive,
        ..
    } = call;
    match receive {
        Receive::Decode(decode) => {
            Box::pin(async move { decode(transport.send_raw(operation, parts?.ready()?).await?) })
        }
        Receive::Live(open) => Box::pin(async move {
            transport
                .send_live(operation, parts?.ready()?)
                .await
                .map(open)
        }),
    }
}

impl<'a, T: 'a, E: Send + 'static, O> Call<'a, T, E, O> {
    /// The call, giving the body together with the response's status and headers.
    pub fn with_response(self) -> WithResponse<'a, T, E> {
        WithResponse {
            pending: pending(self),
        }
    }
}

impl<T, E: 'static, O, M> fmt::Debug for Call<'_, T, E, O, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation.id)
            .finish_non_exhaustive()
    }
}

impl<'a, T: 'a, E: Send + 'static, O> IntoFuture for Call<'a, T, E, O> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = Body<'a, T, E>;

    fn into_future(self) -> Self::IntoFuture {
        Body {
            pending: pending(self),
        }
    }
}

/// A [`Call`] being awaited for its body.
#[must_use = "futures do nothing unless awaited"]
pub struct Body<'a, T, E> {
    pending: Pending<'a, T, E>,
}

impl<T, E> Future for Body<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.pending
            .as_mut()
            .poll(cx)
            .map(|result| result.map(Response::into_body))
    }
}

impl<T, E> fmt::Debug for Body<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body").finish_non_exhaustive()
    }
}

/// A [`Call`] awaited for its body with the response's status and headers
/// ([`Call::with_response`]).
#[must_use = "futures do nothing unless awaited"]
pub struct WithResponse<'a, T, E> {
    pending: Pending<'a, T, E>,
}

impl<T, E> Future for WithResponse<'_, T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.pending.as_mut().poll(cx)
    }
}

impl<T, E> fmt::Debug for WithResponse<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithResponse").finish_non_exhaustive()
    }
}

/// How a call of the blocking client (cargo feature `blocking`) runs: sent on the client's
/// runtime, the body given as `B` (the body itself, or a streamed body as an iterator).
#[cfg(feature = "blocking")]
pub struct Blocking<'a, T, B = T> {
    runtime: &'a super::blocking_runtime::BlockingRuntime,
    wrap: fn(T, &'a super::blocking_runtime::BlockingRuntime) -> B,
}

#[cfg(feature = "blocking")]
impl<T, B> fmt::Debug for Blocking<'_, T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blocking").finish_non_exhaustive()
    }
}

/// A call of one operation, returned by its method on the blocking client (cargo feature
/// `blocking`): the async call's setters, then [`send`](Call::send) blocks the calling thread
/// until the call ends (retries included) and gives the body;
/// [`with_response`](Call::with_response) gives it with the response's status and headers.
/// Errors are the async call's ([`Call`]). `B` is what the body becomes for the blocking
/// caller: the body itself, or a streamed body as an iterator.
#[cfg(feature = "blocking")]
pub type BlockingCall<'a, T, E, O = (), B = T> = Call<'a, T, E, O, Blocking<'a, T, B>>;

#[cfg(feature = "blocking")]
impl super::blocking_runtime::BlockingRuntime {
    /// A call of the async client, to be run on this runtime.
    #[allow(dead_code)] // Unused where every operation streams.
    pub(crate) fn call<'a, T, E: 'static, O>(
        &'a self,
        call: Call<'a, T, E, O>,
    ) -> BlockingCall<'a, T, E, O> {
        into_mode(
            call,
            Blocking {
                runtime: self,
                wrap: |body, _| body,
            },
        )
    }

    /// A call whose body `wrap` turns into what the blocking caller gets (a stream, as an
    /// iterator on the client's runtime).
    #[allow(dead_code)] // Used by the blocking client of APIs that stream.
    pub(crate) fn wrapping<'a, T, E: 'static, O, B>(
        &'a self,
        call: Call<'a, T, E, O>,
        wrap: fn(T, &'a super::blocking_runtime::BlockingRuntime) -> B,
    ) -> BlockingCall<'a, T, E, O, B> {
        into_mode(
            call,
            Blocking {
                runtime: self,
                wrap,
            },
        )
    }
}

#[cfg(feature = "blocking")]
impl<'a, T: Send + 'a, E: Send + 'static, O, B> Call<'a, T, E, O, Blocking<'a, T, B>> {
    /// Sends the request and waits for the body.
    ///
    /// # Errors
    ///
    /// As the async call ([`Call`]).
    pub fn send(self) -> Result<B, Error<E>> {
        let Blocking { runtime, wrap } = self.mode;
        let pending = pending(into_mode(self, Async));
        let body = runtime.block_on(pending)?.into_body();
        Ok(wrap(body, runtime))
    }

    /// Sends the request and waits for the body, with the response's status and headers.
    ///
    /// # Errors
    ///
    /// As the async call ([`Call`]).
    pub fn with_response(self) -> Result<Response<B>, Error<E>> {
        let Blocking { runtime, wrap } = self.mode;
        let pending = pending(into_mode(self, Async));
        let response = runtime.block_on(pending)?;
        Ok(response.map(|body| wrap(body, runtime)))
    }
}

/// A call of the blocking client as the async client's (to walk its pages), and the runtime
/// it runs on.
#[cfg(feature = "blocking")]
#[allow(dead_code)] // Used by the blocking client of APIs that page.
pub(crate) fn into_async<T, E: 'static, O, B>(
    call: BlockingCall<'_, T, E, O, B>,
) -> (Call<'_, T, E, O>, &super::blocking_runtime::BlockingRuntime) {
    let runtime = call.mode.runtime;
    (into_mode(call, Async), runtime)
}
