//! The runtime and HTTP client behind `Call::wait` and
//! `ServiceClient::send_blocking` (feature `blocking`).

use std::time::Duration;

/// A current-thread runtime owned by a [`Config`](crate::Config), with its
/// own HTTP client: hyper's connection tasks live on the runtime that
/// created them, so the async client's pool cannot be shared.
pub(crate) struct BlockingParts {
    runtime: Option<tokio::runtime::Runtime>,
    pub(crate) http: reqwest::Client,
}

impl BlockingParts {
    pub(crate) fn new(connect_timeout: Duration) -> Result<BlockingParts, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start blocking runtime: {e}"))?;
        Ok(BlockingParts { runtime: Some(runtime), http: crate::transport::build_http_client(connect_timeout)? })
    }

    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> Result<F::Output, String> {
        match &self.runtime {
            Some(rt) => Ok(rt.block_on(future)),
            None => Err("blocking runtime already shut down".to_owned()),
        }
    }
}

impl Drop for BlockingParts {
    fn drop(&mut self) {
        // A plain drop panics when the last Config clone goes away inside an
        // async context; shutdown_background never blocks.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
