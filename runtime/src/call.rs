//! Calls: one call of an operation, as its method returns it: a value that sends the request when
//! it is awaited (or, in the blocking client, sent). One method per operation then serves
//! both the body alone and the body with the response's status and headers.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::error::Error;
use super::response::Response;

/// What a call runs: the request (already built and checked) through retries to the decoded
/// response.
type Pending<'a, T, E> = Pin<Box<dyn Future<Output = Result<Response<T>, Error<E>>> + Send + 'a>>;

/// A call of one operation, as the operation's method returns it.
///
/// Nothing is sent until it is awaited. `.await` gives the decoded body;
/// [`with_response`](Self::with_response)`.await` gives it with the response's status and
/// headers. Either fails with an [`Error`](crate::Error) when a value is refused (before any
/// request is made: the method checks its arguments when it is called), when no response
/// arrives, or when the response is not a success; `E` is what the operation's error bodies
/// decode as.
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<'a, T, E> {
    pending: Pending<'a, T, E>,
}

impl<'a, T, E> Call<'a, T, E> {
    pub(crate) fn new(
        future: impl Future<Output = Result<Response<T>, Error<E>>> + Send + 'a,
    ) -> Self {
        Self {
            pending: Box::pin(future),
        }
    }

    /// The call, giving the body together with the response's status and headers.
    pub fn with_response(self) -> WithResponse<'a, T, E> {
        WithResponse {
            pending: self.pending,
        }
    }
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

impl<'a, T, E> IntoFuture for Call<'a, T, E> {
    type Output = Result<T, Error<E>>;
    type IntoFuture = Body<'a, T, E>;

    fn into_future(self) -> Self::IntoFuture {
        Body {
            pending: self.pending,
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

/// A call of one operation, returned by its method on the blocking client (cargo feature
/// `blocking`): [`send`](Self::send) blocks the calling thread until the call ends (retries
/// included) and gives the body; [`with_response`](Self::with_response) gives it with the
/// response's status and headers. Errors are the async call's ([`Call`]). `B` is what the
/// body becomes for the blocking caller: the body itself, or a streamed body as an iterator.
#[cfg(feature = "blocking")]
#[must_use = "a call sends nothing until it is sent"]
pub struct BlockingCall<'a, T, E, B = T> {
    call: Call<'a, T, E>,
    runtime: &'a super::blocking_runtime::BlockingRuntime,
    wrap: fn(T, &'a super::blocking_runtime::BlockingRuntime) -> B,
}

#[cfg(feature = "blocking")]
impl super::blocking_runtime::BlockingRuntime {
    /// A call of the async client, to be run on this runtime.
    #[allow(dead_code)] // Unused where every operation streams.
    pub(crate) fn call<'a, T, E>(&'a self, call: Call<'a, T, E>) -> BlockingCall<'a, T, E> {
        BlockingCall {
            call,
            runtime: self,
            wrap: |body, _| body,
        }
    }
}

#[cfg(feature = "blocking")]
impl<'a, T, E, B> BlockingCall<'a, T, E, B> {
    /// A call whose body `wrap` turns into what the blocking caller gets (a stream, as an
    /// iterator on the client's runtime).
    #[allow(dead_code)] // Used by the blocking client of APIs that stream.
    pub(crate) fn wrapping(
        call: Call<'a, T, E>,
        runtime: &'a super::blocking_runtime::BlockingRuntime,
        wrap: fn(T, &'a super::blocking_runtime::BlockingRuntime) -> B,
    ) -> Self {
        Self {
            call,
            runtime,
            wrap,
        }
    }
}

#[cfg(feature = "blocking")]
impl<T: Send, E: Send, B> BlockingCall<'_, T, E, B> {
    /// Sends the request and waits for the body.
    ///
    /// # Errors
    ///
    /// As the async call ([`Call`]).
    pub fn send(self) -> Result<B, Error<E>> {
        let body = self.runtime.block_on(self.call.into_future())?;
        Ok((self.wrap)(body, self.runtime))
    }

    /// Sends the request and waits for the body, with the response's status and headers.
    ///
    /// # Errors
    ///
    /// As the async call ([`Call`]).
    pub fn with_response(self) -> Result<Response<B>, Error<E>> {
        let response = self.runtime.block_on(self.call.with_response())?;
        let (wrap, runtime) = (self.wrap, self.runtime);
        Ok(response.map(|body| wrap(body, runtime)))
    }
}

#[cfg(feature = "blocking")]
impl<T, E, B> fmt::Debug for BlockingCall<'_, T, E, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingCall").finish_non_exhaustive()
    }
}
