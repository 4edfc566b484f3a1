//! The runtime behind the blocking client (cargo feature `blocking`).

use std::future::Future;

use super::error::{ConfigError, ConfigErrorKind};

/// A single-threaded Tokio runtime that runs one call at a time to completion.
#[derive(Debug)]
pub(crate) struct BlockingRuntime(Option<tokio::runtime::Runtime>);

impl BlockingRuntime {
    pub(crate) fn new() -> Result<Self, ConfigError> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|runtime| Self(Some(runtime)))
            .map_err(|error| {
                ConfigError::with_source("blocking_runtime", ConfigErrorKind::Runtime, error)
            })
    }

    #[allow(dead_code)] // Unused where every operation streams (those are async only).
    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.0
            .as_ref()
            .expect("the runtime is only taken out when the client is dropped")
    }

    /// Runs `future` to completion. Called from inside an async runtime (where blocking
    /// that runtime's thread on another runtime would panic), it runs on a scoped thread of
    /// its own instead.
    #[allow(dead_code)] // Unused where every operation streams (those are async only).
    pub(crate) fn block_on<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        if tokio::runtime::Handle::try_current().is_err() {
            return self.runtime().block_on(future);
        }
        std::thread::scope(|scope| {
            match scope.spawn(|| self.runtime().block_on(future)).join() {
                Ok(output) => output,
                // The call itself panicked: carry its panic on, as a direct call would.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}

impl Drop for BlockingRuntime {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which Tokio forbids inside another runtime: shut down in
        // the background instead, wherever the client is dropped.
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_outside_and_inside_an_async_runtime() {
        let blocking = BlockingRuntime::new().unwrap();
        assert_eq!(blocking.block_on(async { 1 + 1 }), 2);
        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let inside = outer.block_on(async { blocking.block_on(async { 40 + 2 }) });
        assert_eq!(inside, 42);
        // Dropped inside an async context: no panic.
        outer.block_on(async { drop(blocking) });
    }
}
