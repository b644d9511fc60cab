//! The one piece of managed state: the open workspace, its cached log rows, its search index
//! (built on a background thread that reports progress by events) and its file watcher.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use cairn_core::catalog::Catalog;
use cairn_core::index::{self, SearchIndex};
use cairn_core::recent::Recent;
use cairn_core::{Error, Result, Workspace};
use tauri::{AppHandle, Emitter};

use crate::types::{IndexProgress, IndexReady, WorkspaceInfo};
use crate::watch::Watcher;

/// Everything about the open workspace. Replaced whole when another workspace is opened.
pub struct Session {
    pub ws: Workspace,
    /// Bumped on every open, so a background indexer of an older session does not install
    /// its index into a newer one.
    pub generation: u64,
    /// The log's rows: what the list, the pages and their links need. Read from the
    /// catalog cache, so a large folder lists without parsing every file.
    pub catalog: Option<Arc<Catalog>>,
    pub index: Option<Arc<SearchIndex>>,
    pub indexing: bool,
    pub is_demo: bool,
    _watcher: Option<Watcher>,
}

#[derive(Default)]
struct Inner {
    session: Option<Session>,
    generation: u64,
    /// Bumped by every change to the files, so rows read while a change happened are not
    /// kept as if they were current.
    changes: u64,
    start_error: Option<String>,
}

/// Managed by Tauri; cloned cheaply into background threads.
#[derive(Clone, Default)]
pub struct Shared {
    inner: Arc<Mutex<Inner>>,
    /// Held while the rows are read, so concurrent callers (the list, the first page, the
    /// read started at open) wait for one read instead of each doing it.
    loading: Arc<Mutex<()>>,
    /// One history computation at a time: the first one on a large repository takes seconds,
    /// and a second request arriving meanwhile (another decision clicked, HEAD moving) should
    /// wait for it and then be served from the core's per-HEAD cache instead of walking all
    /// commits again on the other core.
    pub computing: Arc<Mutex<()>>,
    /// A second click while a sync runs waits for it (and then finds nothing to do) rather
    /// than fetching and pushing from two threads at once.
    pub syncing: Arc<Mutex<()>>,
    /// True once the workspace of the start-up is open (or failed to open). It opens on a
    /// thread of its own while the window starts, and the page's first calls wait for it.
    started: Arc<(Mutex<bool>, Condvar)>,
}

/// Marks the start-up's open done when dropped, so a panic while opening cannot leave every
/// command waiting for it: they then answer that no workspace is open.
struct StartedOnDrop<'a>(&'a Shared);

impl Drop for StartedOnDrop<'_> {
    fn drop(&mut self) {
        self.0.mark_started();
    }
}

/// What a command needs of the session, taken out of the lock so core work runs unlocked.
pub struct Snapshot {
    pub generation: u64,
    pub ws: Workspace,
    pub catalog: Option<Arc<Catalog>>,
    pub index: Option<Arc<SearchIndex>>,
}

impl Shared {
    pub fn new() -> Shared {
        Shared::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep going with it.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_start_error(&self, err: Error) {
        self.lock().start_error = Some(err.to_string());
    }

    /// Opens the workspace of the start-up on a thread of its own. On the main thread (Tauri's
    /// `setup`) its 50–90 ms held up the window's web process as it started, and about one
    /// start in five then took 500 ms longer (8 of 43 launches, against 0 of 43 with the
    /// open moved here; docs/benchmarks.md).
    pub fn open_at_start_in_background(&self, app: AppHandle, arg: Option<PathBuf>) {
        let shared = self.clone();
        std::thread::spawn(move || {
            let _started = StartedOnDrop(&shared);
            if let Err(err) = shared.open_at_start(&app, arg.as_deref()) {
                // The window still opens and says what went wrong, with a way to pick a folder.
                eprintln!("cairn-desktop: {err}");
                shared.set_start_error(err);
            }
        });
    }

    fn mark_started(&self) {
        let (done, changed) = &*self.started;
        *done.lock().unwrap_or_else(|p| p.into_inner()) = true;
        changed.notify_all();
    }

    /// Waits until the workspace of the start-up is open or failed to open; at once after.
    fn wait_started(&self) {
        let (done, changed) = &*self.started;
        let mut started = done.lock().unwrap_or_else(|p| p.into_inner());
        while !*started {
            started = changed.wait(started).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// The workspace named on the command line, else the last one, else the demo.
    fn open_at_start(&self, app: &AppHandle, arg: Option<&Path>) -> Result<()> {
        if let Some(dir) = arg {
            return self.open_folder(app, dir).map(|_| ());
        }
        let recent = Recent::default_file()
            .map(|f| Recent::load(&f))
            .unwrap_or_default();
        if let Some(last) = recent.last() {
            if let Ok(ws) = Workspace::discover(last) {
                let is_demo = demo_dir().is_ok_and(|d| d == last);
                return self.open(app, ws, is_demo).map(|_| ());
            }
        }
        self.open_demo(app).map(|_| ())
    }

    /// Opens a folder the user named (on the command line or in the folder dialog): the
    /// workspace it lies in, else the folder itself as the decisions folder.
    pub fn open_folder(&self, app: &AppHandle, dir: &Path) -> Result<WorkspaceInfo> {
        let ws = Workspace::discover(dir).or_else(|_| Workspace::open(dir))?;
        self.open(app, ws, false)
    }

    pub fn open_demo(&self, app: &AppHandle) -> Result<WorkspaceInfo> {
        let dir = demo_dir()?;
        cairn_core::demo::install(&dir)?;
        let ws = Workspace::discover(&dir)?;
        self.open(app, ws, true)
    }

    /// Makes `ws` the open workspace: remembers it, watches it, and starts indexing it.
    pub fn open(&self, app: &AppHandle, ws: Workspace, is_demo: bool) -> Result<WorkspaceInfo> {
        if !ws.decisions_dir.is_dir() {
            return Err(Error::NoWorkspace {
                start: ws.root.clone(),
            });
        }
        if let Ok(file) = Recent::default_file() {
            let mut recent = Recent::load(&file);
            // Reopening the last workspace (every start) changes nothing: no write, no fsync
            // on the way to the first window.
            if recent.last() != Some(ws.root.as_path()) {
                recent.push(&ws.root);
                // Forgetting the recent list is not worth failing the open for.
                let _ = recent.save(&file);
            }
        }
        let shared = self.clone();
        let watcher = Watcher::start(app.clone(), &ws, move |paths| shared.files_changed(paths))
            .map_err(|e| {
                eprintln!(
                    "cairn-desktop: not watching {}: {e}",
                    ws.decisions_dir.display()
                )
            })
            .ok();
        let generation = {
            let mut inner = self.lock();
            inner.generation += 1;
            inner.start_error = None;
            inner.session = Some(Session {
                ws: ws.clone(),
                generation: inner.generation,
                catalog: None,
                index: None,
                indexing: true,
                is_demo,
                _watcher: watcher,
            });
            inner.generation
        };
        self.start_indexing(app.clone(), ws, generation);
        // Read the rows now, while the window starts, so the first list finds them ready.
        let shared = self.clone();
        std::thread::spawn(move || {
            if let Ok(snap) = shared.snapshot() {
                let _ = shared.catalog(&snap);
            }
        });
        self.info_now()
    }

    /// Opens (or builds) the search index on a background thread; the UI gets
    /// `index-progress` while files are indexed and `index-ready` at the end.
    fn start_indexing(&self, app: AppHandle, ws: Workspace, generation: u64) {
        let shared = self.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let mut last_emit = Instant::now();
            let result = index::open_with_progress(&ws, &Default::default(), &mut |done, total| {
                if done == total || last_emit.elapsed().as_millis() >= 50 {
                    last_emit = Instant::now();
                    let _ = app.emit(
                        "index-progress",
                        IndexProgress {
                            generation,
                            done,
                            total,
                        },
                    );
                }
            });
            let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let ready = match result {
                Ok((index, _report)) => {
                    let documents = usize::try_from(index.len()).unwrap_or(usize::MAX);
                    let mut inner = shared.lock();
                    match inner.session.as_mut() {
                        Some(s) if s.generation == generation => {
                            s.index = Some(Arc::new(index));
                            s.indexing = false;
                        }
                        _ => return,
                    }
                    IndexReady {
                        generation,
                        documents,
                        millis,
                        error: None,
                    }
                }
                Err(err) => {
                    if let Some(s) = shared.lock().session.as_mut() {
                        if s.generation == generation {
                            s.indexing = false;
                        }
                    }
                    IndexReady {
                        generation,
                        documents: 0,
                        millis,
                        error: Some(err.to_string()),
                    }
                }
            };
            let _ = app.emit("index-ready", ready);
        });
    }

    /// The open workspace, as the page shows it; waits for the start-up's open first.
    pub fn info(&self) -> Result<WorkspaceInfo> {
        self.wait_started();
        self.info_now()
    }

    fn info_now(&self) -> Result<WorkspaceInfo> {
        let inner = self.lock();
        let recent = Recent::default_file()
            .map(|f| Recent::load(&f))
            .unwrap_or_default()
            .workspaces
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let s = inner
            .session
            .as_ref()
            .ok_or_else(|| Error::NoWorkspaceOpen {
                reason: inner.start_error.clone(),
            })?;
        Ok(WorkspaceInfo {
            generation: s.generation,
            root: s.ws.root.display().to_string(),
            name: s.ws.root.file_name().map_or_else(
                || s.ws.root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            decisions_dir: s.ws.decisions_dir.display().to_string(),
            is_demo: s.is_demo,
            indexing: s.indexing,
            recent,
            start_error: inner.start_error.clone(),
        })
    }

    /// The open workspace, its cached log and index; waits for the start-up's open first.
    pub fn snapshot(&self) -> Result<Snapshot> {
        self.wait_started();
        let inner = self.lock();
        let s = inner
            .session
            .as_ref()
            .ok_or(Error::NoWorkspaceOpen { reason: None })?;
        Ok(Snapshot {
            generation: s.generation,
            ws: s.ws.clone(),
            catalog: s.catalog.clone(),
            index: s.index.clone(),
        })
    }

    /// The log's rows, read (through the catalog cache) when they were dropped by a change
    /// or the watcher. The folder is listed afresh each time, so a change the watcher did
    /// not report is still seen.
    pub fn catalog(&self, snap: &Snapshot) -> Result<Arc<Catalog>> {
        if let Some(catalog) = &snap.catalog {
            return Ok(catalog.clone());
        }
        let _one_at_a_time = self.loading.lock().unwrap_or_else(|p| p.into_inner());
        let changes = {
            let inner = self.lock();
            if let Some(s) = inner.session.as_ref() {
                if let (Some(c), true) = (&s.catalog, s.generation == snap.generation) {
                    return Ok(c.clone());
                }
            }
            inner.changes
        };
        let catalog = Arc::new(Catalog::load(&snap.ws)?);
        let mut inner = self.lock();
        let current = inner.changes == changes;
        if let Some(s) = inner.session.as_mut() {
            if s.generation == snap.generation && current {
                s.catalog = Some(catalog.clone());
            }
        }
        Ok(catalog)
    }

    /// After the app or someone else changed files: drop the cached rows and bring the index
    /// up to date for those files, so the next list and search see them.
    pub fn files_changed(&self, paths: &[PathBuf]) {
        let index = {
            let mut inner = self.lock();
            inner.changes += 1;
            match inner.session.as_mut() {
                Some(s) => {
                    s.catalog = None;
                    s.index.clone()
                }
                None => None,
            }
        };
        if let Some(index) = index {
            if let Err(e) = index.update_paths(paths) {
                eprintln!("cairn-desktop: search index update failed: {e}");
            }
        }
    }

    pub fn is_recent(&self, root: &Path) -> bool {
        Recent::default_file()
            .map(|f| Recent::load(&f).contains(root))
            .unwrap_or(false)
    }

    /// Reopens a workspace from the recent list; other paths are refused, so the web view
    /// cannot open a folder the user never chose.
    pub fn open_recent(&self, app: &AppHandle, root: PathBuf) -> Result<WorkspaceInfo> {
        if !self.is_recent(&root) {
            return Err(Error::OutsideWorkspace {
                path: root,
                root: PathBuf::from("(recent workspaces)"),
            });
        }
        let is_demo = demo_dir().is_ok_and(|d| d == root);
        self.open(app, Workspace::discover(&root)?, is_demo)
    }
}

/// Where the demo workspace is copied to: `$CAIRN_DEMO_DIR` (tests) or the data folder.
pub fn demo_dir() -> Result<PathBuf> {
    match std::env::var_os("CAIRN_DEMO_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => cairn_core::demo::default_location(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    /// A command that arrives before the start-up's open has finished waits for it, and then
    /// gets the answer of the open (here: none opened, with the reason).
    #[test]
    fn commands_wait_for_the_start_up_open() {
        let shared = Shared::new();
        let (tx, rx) = mpsc::channel();
        let asking = shared.clone();
        std::thread::spawn(move || tx.send(asking.snapshot().map(|_| ())).unwrap());
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "answered before the start-up's open finished"
        );
        shared.set_start_error(Error::NoWorkspaceOpen { reason: None });
        shared.mark_started();
        let answer = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(matches!(answer, Err(Error::NoWorkspaceOpen { .. })));
        assert!(shared.info().is_err(), "and later calls do not wait");
    }

    /// An open that panics still lets the waiting commands go on.
    #[test]
    fn a_panicking_open_does_not_leave_commands_waiting() {
        let shared = Shared::new();
        let opening = shared.clone();
        let panicked = std::thread::spawn(move || {
            let _started = StartedOnDrop(&opening);
            panic!("the open failed");
        })
        .join();
        assert!(panicked.is_err());
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || tx.send(shared.snapshot().is_err()).unwrap());
        assert!(rx.recv_timeout(Duration::from_secs(10)).unwrap());
    }
}
