//! Running core work off the async runtime: the commands' one way to call `cairn-core`.

use cairn_core::{Error, Result};

/// Runs core work on the blocking pool, so a slow disk never freezes the window.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal { msg: e.to_string() })?
}
