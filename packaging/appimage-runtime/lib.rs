//! Empty: the manifest beside this file only pins the AppImage runtime (see Cargo.toml).
