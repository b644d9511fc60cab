//! Tests of the shell's security settings as files: the Content Security Policy in
//! `tauri.conf.json` and the capabilities granted to the web view. (The end-to-end tests
//! check the same in the running window with a hostile decision file.)
#![cfg(test)]

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The commands of the list (`command_table.rs`), which build.rs declares (one `allow-…`
/// permission each) and `main.rs` registers.
fn declared_commands() -> BTreeSet<String> {
    macro_rules! names {
        ($($module:ident::$name:ident(
            $($inj:ident),* $(; $($arg:ident: $ty:ty),* $(,)?)?
        ) -> $ret:ty;)*) => {
            [$(stringify!($name)),*]
        };
    }
    cairn_commands!(names)
        .iter()
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn csp_is_strict() {
    let conf = json(&root().join("tauri.conf.json"));
    let csp = conf["app"]["security"]["csp"]
        .as_object()
        .expect("a CSP object");
    let get = |k: &str| csp.get(k).and_then(|v| v.as_str()).unwrap_or("");
    assert_eq!(get("default-src"), "'self'");
    assert_eq!(
        get("script-src"),
        "'self'",
        "scripts only from the app itself"
    );
    assert_eq!(get("object-src"), "'none'");
    assert_eq!(get("frame-src"), "'none'");
    assert_eq!(get("base-uri"), "'none'");
    for (directive, value) in csp {
        let value = value.as_str().unwrap();
        assert!(!value.contains("unsafe-eval"), "{directive}: {value}");
        assert!(!value.contains('*'), "no wildcards: {directive}: {value}");
        if directive.starts_with("script") || directive == "default-src" {
            assert!(!value.contains("unsafe-inline"), "{directive}: {value}");
        }
        for source in value.split_whitespace() {
            // No remote origin; Tauri's own IPC endpoint is the one http URL allowed.
            let remote = source.starts_with("http:")
                || source.starts_with("https:")
                || source.contains("//");
            assert!(
                !remote || source == "http://ipc.localhost",
                "remote origin in {directive}: {source}"
            );
        }
    }
    assert_eq!(conf["app"]["withGlobalTauri"], false);
    assert!(conf["app"]["security"]["dangerousDisableAssetCspModification"].is_null());
}

#[test]
fn capabilities_grant_only_cairn_commands() {
    let commands = declared_commands();
    assert!(commands.contains("save_decision") && commands.len() >= 10);
    let allowed_core: BTreeSet<&str> =
        ["core:event:allow-listen", "core:event:allow-unlisten"].into();
    let dir = root().join("capabilities");
    let mut granted = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let cap = json(&entry.unwrap().path());
        assert!(cap["remote"].is_null(), "no remote URLs get capabilities");
        for p in cap["permissions"].as_array().unwrap() {
            let p = p
                .as_str()
                .expect("plain permission identifiers, no scoped grants");
            if let Some(cmd) = p.strip_prefix("allow-") {
                assert!(
                    commands.contains(&cmd.replace('-', "_")),
                    "unknown command {p}"
                );
            } else {
                assert!(
                    allowed_core.contains(p),
                    "{p} is more than Cairn's own commands"
                );
            }
            granted.insert(p.to_string());
        }
    }
    for cmd in &commands {
        assert!(
            granted.contains(&format!("allow-{}", cmd.replace('_', "-"))),
            "{cmd} not granted"
        );
    }
    for plugin in [
        "fs:",
        "shell:",
        "dialog:",
        "opener:",
        "http:",
        "core:webview",
        "core:window",
    ] {
        assert!(!granted.iter().any(|p| p.starts_with(plugin)), "{plugin}");
    }
}

#[test]
fn external_links_only_http_and_mailto() {
    // The check open_external relies on, from the core.
    assert!(cairn_core::render::is_external_url("https://example.com"));
    assert!(cairn_core::render::is_external_url("mailto:x@y.z"));
    for bad in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "/usr/bin/xterm",
        "smb://host/x",
        "data:text/html,x",
    ] {
        assert!(!cairn_core::render::is_external_url(bad), "{bad}");
    }
}
