//! Cairn's domain logic: workspaces, decision records in every common dialect, surgical
//! edits that land as small Git commits, and the reports built on them. Nothing here knows
//! about Tauri or the terminal; the CLI and the desktop shell are thin layers over this crate.

pub mod error;
pub mod store;

pub use error::{Error, Result};
