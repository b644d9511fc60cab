//! What `cairn mcp` keeps between requests: the workspace, the agent's session, the parsed
//! log and the open search index, each brought up to date when files change.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::JoinHandle;

use cairn_core::index::{OpenOptions, SearchIndex};
use cairn_core::session::Session;
use cairn_core::{Error, Log, Result, Workspace};
use tokio::sync::broadcast;

/// The search index: opened on a thread at start-up so that `initialize` is answered at once,
/// and joined by the first search that needs it.
enum IndexSlot {
    Opening(JoinHandle<Result<SearchIndex>>),
    Ready(Box<SearchIndex>),
    Failed(String),
    /// Between taking the opening thread out and putting its result back.
    Empty,
}

pub struct State {
    base: Workspace,
    pub allow_writes: bool,
    session: OnceLock<Arc<Session>>,
    log: Mutex<Option<Arc<Log>>>,
    index: Mutex<IndexSlot>,
    /// Files that changed while the index was opening: it may have read them before.
    pending: Mutex<Vec<PathBuf>>,
    /// Batches of changed Markdown files, for every listener.
    pub changes: broadcast::Sender<Batch>,
}

/// Files that changed together.
#[derive(Debug, Clone)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
    /// Whether files came or went (not only changed), so the list of decisions changed.
    pub listed: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A request that panicked cannot have left the log or the index half-replaced: each is
    // swapped in whole. So a poisoned lock is used as it is.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    pub fn new(ws: Workspace, allow_writes: bool) -> State {
        let for_index = ws.clone();
        let opening = std::thread::spawn(move || {
            cairn_core::index::open(&for_index, &OpenOptions::default()).map(|(index, _)| index)
        });
        State {
            base: ws,
            allow_writes,
            session: OnceLock::new(),
            log: Mutex::new(None),
            index: Mutex::new(IndexSlot::Opening(opening)),
            pending: Mutex::default(),
            changes: broadcast::channel(64).0,
        }
    }

    /// The workspace without a client attached (for reads).
    pub fn workspace(&self) -> &Workspace {
        &self.base
    }

    /// The agent's session, made on first use with the name the client gave.
    pub fn session(&self, client: &str) -> Arc<Session> {
        self.session
            .get_or_init(|| Arc::new(Session::new(client)))
            .clone()
    }

    /// The workspace writing on behalf of `client`, after checking that writes are allowed.
    pub fn writer(&self, tool: &str, client: &str) -> Result<Workspace> {
        if !self.allow_writes {
            return Err(Error::ReadOnly { tool: tool.into() });
        }
        Ok(self.base.clone().with_session(self.session(client)))
    }

    /// The parsed log, with dates from Git for records that carry none; parsed once and kept
    /// until a file changes.
    pub fn log(&self) -> Result<Arc<Log>> {
        let mut slot = lock(&self.log);
        if let Some(log) = &*slot {
            return Ok(log.clone());
        }
        let mut log = self.base.load()?;
        cairn_core::history::fill_missing(&self.base, &mut log)?;
        let log = Arc::new(log);
        *slot = Some(log.clone());
        Ok(log)
    }

    /// Runs `f` on the open index, waiting for it to open the first time.
    pub fn with_index<T>(&self, f: impl FnOnce(&SearchIndex) -> Result<T>) -> Result<T> {
        let mut slot = lock(&self.index);
        *slot = match std::mem::replace(&mut *slot, IndexSlot::Empty) {
            IndexSlot::Opening(handle) => match handle.join() {
                Ok(Ok(index)) => {
                    let pending = std::mem::take(&mut *lock(&self.pending));
                    if !pending.is_empty() {
                        // As in `changed`: a failed update only leaves these files stale.
                        drop(index.update_paths(&pending));
                    }
                    IndexSlot::Ready(Box::new(index))
                }
                Ok(Err(e)) => IndexSlot::Failed(e.to_string()),
                Err(_) => IndexSlot::Failed("the thread opening the index stopped".into()),
            },
            other => other,
        };
        match &*slot {
            IndexSlot::Ready(index) => f(index),
            IndexSlot::Failed(msg) => Err(Error::Index {
                path: self.base.decisions_dir.clone(),
                msg: msg.clone(),
            }),
            IndexSlot::Opening(_) | IndexSlot::Empty => Err(Error::IndexBuilding),
        }
    }

    /// Files changed (by this server or on disk; `listed` when files came or went): the log
    /// is parsed again on next use, the index takes the files in now, and every listener
    /// hears of them.
    pub fn changed(&self, paths: &[PathBuf], listed: bool) {
        *lock(&self.log) = None;
        match &*lock(&self.index) {
            // A failed update leaves the file stale in search until the next change or
            // start; the file itself is written, so the write is not reported as failed.
            IndexSlot::Ready(index) => drop(index.update_paths(paths)),
            IndexSlot::Opening(_) => lock(&self.pending).extend_from_slice(paths),
            IndexSlot::Failed(_) | IndexSlot::Empty => {}
        }
        let _ = self.changes.send(Batch {
            paths: paths.to_vec(),
            listed,
        });
    }
}
