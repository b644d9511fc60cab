//! The one error type of `cairn-core`: every failure a user can meet, each naming the file
//! (and line, where there is one) so that a message alone is enough to act on.

use std::path::PathBuf;

use serde::ser::SerializeStruct;

/// Everything that can go wrong in the core. Variants carry the path and, where the problem
/// sits on a line, the 1-based line number, so the CLI and the UI can print them as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The operating system refused to read or write `path` (missing, no permission, disk
    /// full, …); `source` says which. Fix the file or folder and try again.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A file Cairn must understand (a template, a decision it is asked to change) cannot be
    /// read at `line`; `msg` says what is wrong. Fix that line in an editor.
    #[error("{path}:{line}: {msg}", path = .path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        msg: String,
    },

    /// `.cairn.toml` (or another configuration file) is wrong at `line`. Fix the line, or
    /// remove the key to get the default back.
    #[error("{path}:{line}: configuration: {msg}", path = .path.display())]
    Config {
        path: PathBuf,
        line: usize,
        msg: String,
    },

    /// No decision folder was found in `start` or any folder above it. Name one with
    /// `-C DIR`, or create one with `cairn init`.
    #[error(
        "no decision folder found in {start} or above it (looked for .cairn.toml, .adr-dir, \
         .log4brains.yml, doc/adr, docs/adr, docs/decisions, docs/architecture/decisions, \
         architecture-decision-record); name one with -C DIR or create one with `cairn init`",
        start = .start.display()
    )]
    NoWorkspace { start: PathBuf },

    /// No decision has this number, file name or title. `cairn list` shows what there is.
    #[error("no decision matches {reference:?}")]
    NotFound { reference: String },

    /// The reference fits several decisions (listed in `candidates`); use a number or the
    /// full file name instead.
    #[error("{reference:?} matches more than one decision: {candidates}")]
    Ambiguous {
        reference: String,
        candidates: String,
    },

    /// `path` changed on disk after Cairn read it (another editor, a `git pull`), so the
    /// change was not written over it. Reload the file and make the change again.
    #[error(
        "{path} changed on disk since Cairn read it; nothing was written (reload it, then \
         make the change again)",
        path = .path.display()
    )]
    Conflict { path: PathBuf },

    /// A new file would replace `path`, which already exists; nothing was written. Pick
    /// another name (or number), or remove the file first.
    #[error("{path} already exists; nothing was written", path = .path.display())]
    Exists { path: PathBuf },

    /// `path` names a file outside the workspace (`..`, an absolute path, a `.git` folder).
    /// Cairn reads and writes only inside `root`; name a file there.
    #[error("{path} lies outside the workspace {root}", path = .path.display(), root = .root.display())]
    OutsideWorkspace { path: PathBuf, root: PathBuf },

    /// A file Cairn would read or write is a symbolic link. Links in a repository are never
    /// followed: one may point at any file of the user's, and what Cairn reads it may commit.
    #[error("{}: {}", .path.display(), NOT_FOLLOWED)]
    Symlink { path: PathBuf },

    /// Git has no `user.name` / `user.email`, so no commit can be made. Set them (the
    /// message says how) or turn autocommit off.
    #[error(
        "Git does not know who you are, so Cairn cannot commit. Set it once with\n  \
         git config --global user.name \"Your Name\"\n  \
         git config --global user.email you@example.com\n\
         (or turn autocommit off in .cairn.toml)"
    )]
    NoIdentity,

    /// A lock file Git needs for the commit exists: a Git command is running in the
    /// repository, or one was interrupted and left it behind. Nothing was written.
    #[error(
        "{path} exists: a Git command is running in this repository, or one was interrupted \
         and left it behind; nothing was written. If no Git command is running, remove it \
         with\n  rm {quoted}\nand try again",
        path = .path.display(),
        quoted = shell_quote(.path)
    )]
    GitLocked { path: PathBuf },

    /// A Git operation failed; `msg` says which and `source` why. Usually the repository
    /// needs attention with `git` itself (`git status` is a good start).
    #[error("git: {msg}")]
    Git {
        msg: String,
        #[source]
        source: Option<git2::Error>,
    },

    /// Sync would have to merge `upstream` by hand: these `files` conflict. Nothing was
    /// changed; merge with `git pull`, resolve, and sync again.
    #[error(
        "sync stopped: merging {upstream} would conflict in {files}; nothing was changed \
         (your files and commits are as they were). Merge by hand with `git pull`, resolve, \
         then sync again",
        files = .files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    SyncConflict {
        upstream: String,
        files: Vec<PathBuf>,
    },

    /// The current branch tracks no remote branch, so sync has nowhere to pull from or
    /// push to. Set one with `git push -u <remote> <branch>`.
    #[error(
        "branch {branch} has no upstream to sync with; set one with \
         `git push -u <remote> {branch}`"
    )]
    NoUpstream { branch: String },

    /// Fetching from or pushing to `remote` failed (network, authentication, a rejected
    /// push); nothing local changed. Fix the connection or credentials and sync again.
    #[error("remote {remote} ({url}): {msg}; nothing was changed locally")]
    Remote {
        remote: String,
        url: String,
        msg: String,
    },

    /// Something inside Cairn went wrong that the user did not cause: a background task
    /// crashed, or data Cairn made itself could not be encoded. Nothing was written; trying
    /// again usually works, and if it does not, this is a bug worth reporting.
    #[error("internal: {msg}")]
    Internal { msg: String },

    /// The repository at `path` is bare (it has no working tree), so there are no files to
    /// sync. Clone it and open the clone.
    #[error("{path} is a bare repository; sync needs a working tree", path = .path.display())]
    BareRepository { path: PathBuf },

    /// Git is in the middle of a merge, rebase, cherry-pick, … (`state`), so Cairn will not
    /// move branches under it. Finish or abort that operation with `git`, then try again.
    #[error(
        "the repository is in the middle of an operation ({state}); finish or abort it, then \
         sync again"
    )]
    OperationInProgress { state: String },

    /// HEAD points at a commit, not at a branch, so there is no branch to sync. Check out a
    /// branch (`git switch <branch>`) first.
    #[error("HEAD is detached; check out a branch to sync it")]
    DetachedHead,

    /// The workspace at `path` is not inside a Git repository, so what was asked (history,
    /// sync) has nothing to work on. Run `git init` there, or work without history.
    #[error("{path} is not in a Git repository, so it has no history", path = .path.display())]
    NotARepository { path: PathBuf },

    /// A save would write the text the file already holds: there is nothing to save or
    /// commit. Make a change first.
    #[error("{path}: no changes to save", path = .path.display())]
    NoChanges { path: PathBuf },

    /// The decision at `path` has no number (its file name and title carry none), so there
    /// is no number to move it from. Give it a numbered file name first.
    #[error("{path} has no number to change", path = .path.display())]
    NoNumber { path: PathBuf },

    /// A save came without the stamp of the version the editor loaded, so Cairn cannot tell
    /// whether `path` changed on disk since and will not write over it. Reload the file in
    /// the editor and save again.
    #[error("{path}: the editor has no version of this file to save over", path = .path.display())]
    NoBaseVersion { path: PathBuf },

    /// `name` cannot name a file (empty, or containing a NUL byte). Use a decision's file
    /// name as listed.
    #[error("{name:?} is not a file name")]
    BadName { name: String },

    /// The system reports no home folder, so there is nowhere to `purpose` (keep settings,
    /// copy the demo). Set `HOME` (or the platform's equivalent) and try again.
    #[error("no home folder to {purpose}")]
    NoHome { purpose: &'static str },

    /// Search was asked for while the desktop app is still building the search index. Wait
    /// for it to finish (the app shows its progress) and search again.
    #[error("the search index is still being built")]
    IndexBuilding,

    /// The desktop app has no workspace open (`reason` says why the one asked for could not
    /// be opened, when one was). Open a decision folder first.
    #[error("{}", .reason.as_deref().unwrap_or("no workspace is open"))]
    NoWorkspaceOpen { reason: Option<String> },

    /// A new decision's title is empty, or (when `title` is not empty) has no letter or digit
    /// to make its file name from. Give it a title with words in it.
    #[error("{}", no_title_message(.title))]
    NoTitle { title: String },

    /// What was asked is already so (the decision already has that status, the link
    /// already exists); nothing was written. `msg` says what is already so.
    #[error("{msg}")]
    Unchanged { msg: String },

    /// A decision was asked to link to itself (`label` names it). Pick another target.
    #[error("{label} cannot link to itself")]
    SelfLink { label: String },

    /// Sync would overwrite uncommitted edits in the working tree (`detail` names them), so
    /// it stopped with nothing changed. Commit or stash them, then sync again.
    #[error(
        "sync stopped: your uncommitted changes would be overwritten ({detail}); commit or \
         stash them, then sync again (nothing was changed)"
    )]
    UncommittedChanges { detail: String },

    /// No template has this `name`; `names` lists the ones there are. Pick one of them.
    #[error("no template {name:?}; there are: {names}")]
    UnknownTemplate { name: String, names: String },

    /// Cairn does not know the reverse of `relation` (it knows Supersedes, Amends, …), so it
    /// cannot write the link back on the other decision. `hint` says how to name the reverse.
    #[error("Cairn does not know the reverse of {relation:?}; {hint}")]
    NoReverse { relation: String, hint: String },

    /// Only http(s) and mailto links are opened outside the app, so a `file:` or script link
    /// in a decision cannot launch anything. Copy the link by hand if it is meant.
    #[error("Cairn opens only http(s) and mailto links, not {url:?}")]
    UnsupportedLink { url: String },

    /// An agent asked `cairn mcp` for a change, and the server was started read-only (its
    /// default). Nothing was written. Start it with `--allow-writes` to let agents write.
    #[error(
        "{tool}: this server is read-only; nothing was written (start `cairn mcp --allow-writes` \
         to let agents change the log)"
    )]
    ReadOnly { tool: String },

    /// An argument of a request (an MCP tool call) is unusable as given: too long, empty
    /// where a value is needed, or not one of the values it can take. Nothing was read or
    /// written; `msg` says what the argument must be.
    #[error("argument {name}: {msg}")]
    BadArgument { name: String, msg: String },

    /// The search index at `path` could not be read or written. Opening rebuilds a damaged
    /// index by itself, so this is what is left when even that failed.
    #[error("search index {path}: {msg}", path = .path.display())]
    Index { path: PathBuf, msg: String },

    /// Another process holds the index's writer lock and did not release it in time.
    #[error(
        "search index {path} is being updated by another Cairn process; try again when it \
         has finished",
        path = .path.display()
    )]
    IndexBusy { path: PathBuf },

    /// A search query the user typed could not be read; `msg` says where and how to fix it.
    #[error("search query: {msg}")]
    Query { msg: String },

    /// A scope map could not be read or edited as asked (unknown card, unknown slice, …).
    #[error("{path}:{line}: scope map: {msg}", path = .path.display())]
    ScopeMap {
        path: PathBuf,
        line: usize,
        msg: String,
    },

    /// No card of any scope map and no decision has this id.
    #[error("no card or decision matches {reference:?} (card ids look like c-014; decisions are numbers)")]
    UnknownCard { reference: String },

    /// The board cannot do this to this card; `msg` says why and what to do instead.
    #[error("{msg}")]
    Board { msg: String },

    /// Cards to import could not be read: a CSV without a title column, a row the CSV reader
    /// cannot parse, a field value the board refuses, or more than an import takes. `origin`
    /// is the file's name, or "pasted text". Nothing was written.
    #[error("{origin}:{line}: import: {msg}")]
    Import {
        origin: String,
        line: usize,
        msg: String,
    },

    /// Undo found nothing to undo, or a file changed since the operation it would undo.
    #[error("undo: {msg}")]
    Undo { msg: String },

    /// A file (or a version of one in Git) is larger than Cairn reads for this purpose; it
    /// was refused unread, so a huge file in a cloned repository costs neither memory nor
    /// time. `purpose` completes "too large …" ("to diff", "for a template").
    #[error(
        "{path} is too large {purpose} ({size} bytes; the limit is {limit})",
        path = .path.display()
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
        purpose: &'static str,
    },

    /// A write was asked for with no files in it. Callers build changes from what the user
    /// edited, so this is a caller's mistake; nothing was written.
    #[error("nothing to write: the change is empty")]
    EmptyChange,

    /// A commit was asked for with a blank message; Git history needs one to be readable.
    /// Nothing was written. Give the change a message.
    #[error("the commit message is empty")]
    EmptyCommitMessage,

    /// A change names `path` in a way Cairn will not write: relative, with `..`, naming no
    /// file, named twice in one change, or not valid UTF-8 (which Git cannot commit portably);
    /// `reason` says which. Nothing was written.
    #[error("{path}: {reason}", path = .path.display())]
    UnwritablePath { path: PathBuf, reason: &'static str },

    /// A change would write `path` inside the repository's `.git` folder, where a file (a
    /// hook, a config) could run code or redirect Git. Refused; nothing was written.
    #[error("{path}: Cairn does not write inside .git", path = .path.display())]
    InsideGitDir { path: PathBuf },

    /// The checked-out branch's name (`name`, shown with replacement characters) is not valid
    /// UTF-8, so sync cannot name it to the remote. Rename the branch with `git branch -m`.
    #[error("the branch name {name:?} is not UTF-8")]
    BranchNotUtf8 { name: String },

    /// `path` has no parent folder to create it in (it is a root or empty). Name a folder
    /// inside another one.
    #[error("{path} has no parent folder", path = .path.display())]
    NoParentFolder { path: PathBuf },
    /// A path Cairn made itself (a new decision's) ends without a file name, so there is no
    /// name to show or open it by. Nothing else went wrong; this is a bug worth reporting.
    #[error("{path} has no file name", path = .path.display())]
    NoFileName { path: PathBuf },

    /// `cairn site` was pointed at a folder that holds files an earlier `cairn site` did not
    /// write (it has no `.cairn-site` list of them). Publishing there could overwrite or
    /// delete the user's own files, so nothing is written: choose an empty or new folder.
    #[error("{path} is not empty and was not written by cairn site; choose an empty or new folder", path = .path.display())]
    SiteFolderNotOurs { path: PathBuf },

    /// The system refused to open `url` in the browser or mail program (`msg` says why, e.g.
    /// no handler for it is installed). Copy the link and open it by hand.
    #[error("cannot open {url}: {msg}")]
    LinkNotOpened { url: String, msg: String },

    /// The window system refused a change to the app's window (full screen for a workshop);
    /// `msg` says why. The window stays as it was.
    #[error("the window cannot change: {msg}")]
    Window { msg: String },
}

/// The kind of an [`Error`], as the UI and `--json` output see it (`"not-found"`, …). It is
/// generated into the UI's TypeScript, so the UI can only compare against kinds that exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// See [`Error::Io`].
    Io,
    /// See [`Error::Parse`].
    Parse,
    /// See [`Error::Config`].
    Config,
    /// See [`Error::NoWorkspace`].
    NoWorkspace,
    /// See [`Error::NotFound`].
    NotFound,
    /// See [`Error::Ambiguous`].
    Ambiguous,
    /// See [`Error::Conflict`].
    Conflict,
    /// See [`Error::Exists`].
    Exists,
    /// See [`Error::OutsideWorkspace`].
    OutsideWorkspace,
    /// See [`Error::Symlink`].
    Symlink,
    /// See [`Error::NoIdentity`].
    NoIdentity,
    /// See [`Error::GitLocked`].
    GitLocked,
    /// See [`Error::Git`].
    Git,
    /// See [`Error::SyncConflict`].
    SyncConflict,
    /// See [`Error::NoUpstream`].
    NoUpstream,
    /// See [`Error::Remote`].
    Remote,
    /// See [`Error::Index`].
    Index,
    /// See [`Error::IndexBusy`].
    IndexBusy,
    /// See [`Error::Query`].
    Query,
    /// See [`Error::ScopeMap`].
    ScopeMap,
    /// See [`Error::UnknownCard`].
    UnknownCard,
    /// See [`Error::Board`].
    Board,
    /// See [`Error::Import`].
    Import,
    /// See [`Error::Undo`].
    Undo,
    /// See [`Error::TooLarge`].
    TooLarge,
    /// See [`Error::Internal`].
    Internal,
    /// See [`Error::BareRepository`].
    BareRepository,
    /// See [`Error::OperationInProgress`].
    OperationInProgress,
    /// See [`Error::DetachedHead`].
    DetachedHead,
    /// See [`Error::NotARepository`].
    NotARepository,
    /// See [`Error::NoChanges`].
    NoChanges,
    /// See [`Error::NoNumber`].
    NoNumber,
    /// See [`Error::NoBaseVersion`].
    NoBaseVersion,
    /// See [`Error::BadName`].
    BadName,
    /// See [`Error::NoHome`].
    NoHome,
    /// See [`Error::IndexBuilding`].
    IndexBuilding,
    /// See [`Error::NoWorkspaceOpen`].
    NoWorkspaceOpen,
    /// See [`Error::UnsupportedLink`].
    UnsupportedLink,
    /// See [`Error::NoReverse`].
    NoReverse,
    /// See [`Error::ReadOnly`].
    ReadOnly,
    /// See [`Error::BadArgument`].
    BadArgument,
    /// See [`Error::UnknownTemplate`].
    UnknownTemplate,
    /// See [`Error::UncommittedChanges`].
    UncommittedChanges,
    /// See [`Error::NoTitle`].
    NoTitle,
    /// See [`Error::Unchanged`].
    Unchanged,
    /// See [`Error::SelfLink`].
    SelfLink,
    /// See [`Error::EmptyChange`].
    EmptyChange,
    /// See [`Error::EmptyCommitMessage`].
    EmptyCommitMessage,
    /// See [`Error::UnwritablePath`].
    UnwritablePath,
    /// See [`Error::InsideGitDir`].
    InsideGitDir,
    /// See [`Error::BranchNotUtf8`].
    BranchNotUtf8,
    /// See [`Error::NoParentFolder`].
    NoParentFolder,
    /// See [`Error::NoFileName`].
    NoFileName,
    /// See [`Error::SiteFolderNotOurs`].
    SiteFolderNotOurs,
    /// See [`Error::LinkNotOpened`].
    LinkNotOpened,
    /// See [`Error::Window`].
    Window,
}

impl ErrorKind {
    /// Every kind, for tests and for listing them.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Io,
        ErrorKind::Parse,
        ErrorKind::Config,
        ErrorKind::NoWorkspace,
        ErrorKind::NotFound,
        ErrorKind::Ambiguous,
        ErrorKind::Conflict,
        ErrorKind::Exists,
        ErrorKind::OutsideWorkspace,
        ErrorKind::Symlink,
        ErrorKind::NoIdentity,
        ErrorKind::GitLocked,
        ErrorKind::Git,
        ErrorKind::SyncConflict,
        ErrorKind::NoUpstream,
        ErrorKind::Remote,
        ErrorKind::Index,
        ErrorKind::IndexBusy,
        ErrorKind::Query,
        ErrorKind::ScopeMap,
        ErrorKind::UnknownCard,
        ErrorKind::Board,
        ErrorKind::Import,
        ErrorKind::Undo,
        ErrorKind::TooLarge,
        ErrorKind::Internal,
        ErrorKind::BareRepository,
        ErrorKind::OperationInProgress,
        ErrorKind::DetachedHead,
        ErrorKind::NotARepository,
        ErrorKind::NoChanges,
        ErrorKind::NoNumber,
        ErrorKind::NoBaseVersion,
        ErrorKind::BadName,
        ErrorKind::NoHome,
        ErrorKind::IndexBuilding,
        ErrorKind::NoWorkspaceOpen,
        ErrorKind::UnsupportedLink,
        ErrorKind::NoReverse,
        ErrorKind::ReadOnly,
        ErrorKind::BadArgument,
        ErrorKind::UnknownTemplate,
        ErrorKind::UncommittedChanges,
        ErrorKind::NoTitle,
        ErrorKind::Unchanged,
        ErrorKind::SelfLink,
        ErrorKind::EmptyChange,
        ErrorKind::EmptyCommitMessage,
        ErrorKind::UnwritablePath,
        ErrorKind::InsideGitDir,
        ErrorKind::BranchNotUtf8,
        ErrorKind::NoParentFolder,
        ErrorKind::NoFileName,
        ErrorKind::SiteFolderNotOurs,
        ErrorKind::LinkNotOpened,
        ErrorKind::Window,
    ];

    /// The kind's stable name, the same as its serialized form.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Parse => "parse",
            ErrorKind::Config => "config",
            ErrorKind::NoWorkspace => "no-workspace",
            ErrorKind::NotFound => "not-found",
            ErrorKind::Ambiguous => "ambiguous",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Exists => "exists",
            ErrorKind::OutsideWorkspace => "outside-workspace",
            ErrorKind::Symlink => "symlink",
            ErrorKind::NoIdentity => "no-identity",
            ErrorKind::GitLocked => "git-locked",
            ErrorKind::Git => "git",
            ErrorKind::SyncConflict => "sync-conflict",
            ErrorKind::NoUpstream => "no-upstream",
            ErrorKind::Remote => "remote",
            ErrorKind::Index => "index",
            ErrorKind::IndexBusy => "index-busy",
            ErrorKind::Query => "query",
            ErrorKind::ScopeMap => "scope-map",
            ErrorKind::UnknownCard => "unknown-card",
            ErrorKind::Board => "board",
            ErrorKind::Import => "import",
            ErrorKind::Undo => "undo",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Internal => "internal",
            ErrorKind::BareRepository => "bare-repository",
            ErrorKind::OperationInProgress => "operation-in-progress",
            ErrorKind::DetachedHead => "detached-head",
            ErrorKind::NotARepository => "not-a-repository",
            ErrorKind::NoChanges => "no-changes",
            ErrorKind::NoNumber => "no-number",
            ErrorKind::NoBaseVersion => "no-base-version",
            ErrorKind::BadName => "bad-name",
            ErrorKind::NoHome => "no-home",
            ErrorKind::IndexBuilding => "index-building",
            ErrorKind::NoWorkspaceOpen => "no-workspace-open",
            ErrorKind::UnsupportedLink => "unsupported-link",
            ErrorKind::NoReverse => "no-reverse",
            ErrorKind::ReadOnly => "read-only",
            ErrorKind::BadArgument => "bad-argument",
            ErrorKind::UnknownTemplate => "unknown-template",
            ErrorKind::UncommittedChanges => "uncommitted-changes",
            ErrorKind::NoTitle => "no-title",
            ErrorKind::Unchanged => "unchanged",
            ErrorKind::SelfLink => "self-link",
            ErrorKind::EmptyChange => "empty-change",
            ErrorKind::EmptyCommitMessage => "empty-commit-message",
            ErrorKind::UnwritablePath => "unwritable-path",
            ErrorKind::InsideGitDir => "inside-git-dir",
            ErrorKind::BranchNotUtf8 => "branch-not-utf8",
            ErrorKind::NoParentFolder => "no-parent-folder",
            ErrorKind::NoFileName => "no-file-name",
            ErrorKind::SiteFolderNotOurs => "site-folder-not-ours",
            ErrorKind::LinkNotOpened => "link-not-opened",
            ErrorKind::Window => "window",
        }
    }
}

impl Error {
    /// A stable, machine-readable name for the variant; the UI switches on it.
    pub fn kind(&self) -> &'static str {
        self.error_kind().as_str()
    }

    /// The variant's kind as a value, for code that switches on it.
    pub fn error_kind(&self) -> ErrorKind {
        match self {
            Error::Io { .. } => ErrorKind::Io,
            Error::Parse { .. } => ErrorKind::Parse,
            Error::Config { .. } => ErrorKind::Config,
            Error::NoWorkspace { .. } => ErrorKind::NoWorkspace,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Ambiguous { .. } => ErrorKind::Ambiguous,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Exists { .. } => ErrorKind::Exists,
            Error::OutsideWorkspace { .. } => ErrorKind::OutsideWorkspace,
            Error::Symlink { .. } => ErrorKind::Symlink,
            Error::NoIdentity => ErrorKind::NoIdentity,
            Error::GitLocked { .. } => ErrorKind::GitLocked,
            Error::Git { .. } => ErrorKind::Git,
            Error::SyncConflict { .. } => ErrorKind::SyncConflict,
            Error::NoUpstream { .. } => ErrorKind::NoUpstream,
            Error::Remote { .. } => ErrorKind::Remote,
            Error::Index { .. } => ErrorKind::Index,
            Error::IndexBusy { .. } => ErrorKind::IndexBusy,
            Error::Query { .. } => ErrorKind::Query,
            Error::ScopeMap { .. } => ErrorKind::ScopeMap,
            Error::UnknownCard { .. } => ErrorKind::UnknownCard,
            Error::Board { .. } => ErrorKind::Board,
            Error::Import { .. } => ErrorKind::Import,
            Error::Undo { .. } => ErrorKind::Undo,
            Error::TooLarge { .. } => ErrorKind::TooLarge,
            Error::Internal { .. } => ErrorKind::Internal,
            Error::BareRepository { .. } => ErrorKind::BareRepository,
            Error::OperationInProgress { .. } => ErrorKind::OperationInProgress,
            Error::DetachedHead => ErrorKind::DetachedHead,
            Error::NotARepository { .. } => ErrorKind::NotARepository,
            Error::NoChanges { .. } => ErrorKind::NoChanges,
            Error::NoNumber { .. } => ErrorKind::NoNumber,
            Error::NoBaseVersion { .. } => ErrorKind::NoBaseVersion,
            Error::BadName { .. } => ErrorKind::BadName,
            Error::NoHome { .. } => ErrorKind::NoHome,
            Error::IndexBuilding => ErrorKind::IndexBuilding,
            Error::NoWorkspaceOpen { .. } => ErrorKind::NoWorkspaceOpen,
            Error::UnsupportedLink { .. } => ErrorKind::UnsupportedLink,
            Error::NoReverse { .. } => ErrorKind::NoReverse,
            Error::ReadOnly { .. } => ErrorKind::ReadOnly,
            Error::BadArgument { .. } => ErrorKind::BadArgument,
            Error::UnknownTemplate { .. } => ErrorKind::UnknownTemplate,
            Error::UncommittedChanges { .. } => ErrorKind::UncommittedChanges,
            Error::NoTitle { .. } => ErrorKind::NoTitle,
            Error::Unchanged { .. } => ErrorKind::Unchanged,
            Error::SelfLink { .. } => ErrorKind::SelfLink,
            Error::EmptyChange => ErrorKind::EmptyChange,
            Error::EmptyCommitMessage => ErrorKind::EmptyCommitMessage,
            Error::UnwritablePath { .. } => ErrorKind::UnwritablePath,
            Error::InsideGitDir { .. } => ErrorKind::InsideGitDir,
            Error::BranchNotUtf8 { .. } => ErrorKind::BranchNotUtf8,
            Error::NoParentFolder { .. } => ErrorKind::NoParentFolder,
            Error::NoFileName { .. } => ErrorKind::NoFileName,
            Error::SiteFolderNotOurs { .. } => ErrorKind::SiteFolderNotOurs,
            Error::LinkNotOpened { .. } => ErrorKind::LinkNotOpened,
            Error::Window { .. } => ErrorKind::Window,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn git(msg: impl Into<String>, source: git2::Error) -> Self {
        Error::Git {
            msg: msg.into(),
            source: Some(source),
        }
    }
}

/// Why a title cannot name a new decision: it is empty, or it has no letter or digit.
fn no_title_message(title: &str) -> String {
    if title.is_empty() {
        "a new decision needs a title".into()
    } else {
        format!("the title {title:?} has no letters or digits to name the file with")
    }
}

/// `path` as a shell word, quoted only when it has to be, so the command can be pasted.
fn shell_quote(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,@%:".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Errors cross to the UI and to `--json` output as `{ "kind": …, "message": … }`.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

/// What Cairn says of a symbolic link in a repository, wherever it meets one (the log, the
/// board, an error).
pub const NOT_FOLLOWED: &str = "symlink: not followed (Cairn never reads or writes through a \
                                symbolic link in a repository; replace the link with the file \
                                itself)";

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_kind_and_message() {
        let err = Error::Parse {
            path: PathBuf::from("docs/adr/0001-x.md"),
            line: 3,
            msg: "mapping values are not allowed here".into(),
        };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["kind"], "parse");
        assert_eq!(
            json["message"],
            "docs/adr/0001-x.md:3: mapping values are not allowed here"
        );
    }

    /// The name `kind()` returns is the one the UI's generated `ErrorKind` type holds, and no
    /// two kinds share a name.
    #[test]
    fn kind_names_are_their_serialized_form_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert!(seen.insert(kind.as_str()), "{kind:?} twice");
        }
    }
}
