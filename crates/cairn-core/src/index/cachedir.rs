//! The index's directory: tantivy's memory-mapped directory, with the fsyncs of an update
//! of a few files left to the operating system.
//!
//! A one-file update commits a tiny segment, and tantivy syncs each of its files, the list
//! of managed files and `meta.json`: about a dozen fsyncs, 90 of the ~115 ms an update took
//! on the shared 2-core box (25 ms with the index on tmpfs). The index is a cache of the
//! Markdown, so instead of paying that on every keystroke-sized update, such updates are
//! written without syncing and the manifest records the boot they were made in; an open in
//! a later boot (the only time unsynced data can be lost: a process crash leaves it in the
//! page cache) rebuilds the index. Full builds stay durable.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite,
    WatchCallback, WatchHandle, WritePtr,
};

/// Identifies this boot of the machine (Linux). Without it unsynced writes could not be
/// told from synced ones after a restart, so every write stays durable.
pub(crate) fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[derive(Clone, Debug)]
pub(crate) struct CacheDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    /// Shared with the [`super::SearchIndex`]: false while it writes a small update.
    durable: Arc<AtomicBool>,
}

impl CacheDirectory {
    pub(crate) fn open(root: &Path, durable: Arc<AtomicBool>) -> tantivy::Result<Self> {
        Ok(CacheDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            durable,
        })
    }

    fn durable(&self) -> bool {
        self.durable.load(Ordering::SeqCst)
    }
}

/// A segment file written without a sync at the end.
struct Unsynced(File);

impl Write for Unsynced {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TerminatingWrite for Unsynced {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

impl Directory for CacheDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        if self.durable() {
            return self.inner.open_write(path);
        }
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.root.join(path))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_path_buf())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_path_buf())
                }
            })?;
        Ok(BufWriter::new(Box::new(Unsynced(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if self.durable() {
            return self.inner.atomic_write(path, data);
        }
        // Still atomic (write aside, rename over), just not synced.
        let target = self.root.join(path);
        crate::store::replace(&target, data, crate::store::Durability::Cache)
            .map_err(io::Error::other)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }

    fn sync_directory(&self) -> io::Result<()> {
        if self.durable() {
            self.inner.sync_directory()
        } else {
            Ok(())
        }
    }
}
