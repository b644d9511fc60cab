//! Cairn's domain logic: workspaces, decision records in every common dialect, surgical
//! edits that land as small Git commits, and the reports built on them. Nothing here knows
//! about Tauri or the terminal; the CLI and the desktop shell are thin layers over this crate.

pub mod agent;
pub mod cache;
pub mod catalog;
pub mod changes;
pub mod decision;
pub mod demo;
pub mod diagnostic;
pub mod error;
pub mod export;
pub(crate) mod frontmatter;
pub mod graph;
pub mod history;
pub mod index;
pub(crate) mod kept;
pub mod lint;
mod listing;
pub(crate) mod markdown;
pub mod paths;
pub mod process;
pub mod recent;
pub mod render;
pub mod report;
pub mod review;
pub mod scope;
pub mod session;
pub mod site;
pub mod store;
pub mod sync;
pub mod template;
pub mod view;
pub mod watch;
pub mod workspace;
pub mod yaml;

pub use changes::{Changed, NewDecision};
pub use decision::{Decision, Diagnostic, Dialect, Link, Severity, Status, StatusKind};
pub use error::{Error, ErrorKind, Result};
pub use lint::{lint, Finding};
pub use process::tune_process;
pub use report::{graph, toc, GraphFormat};
pub use store::{Committed, Outcome, Store};
pub use workspace::{Config, Log, Workspace, WriteDialect};
