//! What the command list (`command_table`) becomes on the Rust side: the handler `main.rs`
//! registers, a compile-time check that every command's signature matches its line in the
//! list, and the UI's typed wrappers, `ui/src/generated/commands.ts`.

// The names the command list uses for argument and result types.
use crate::types::WorkspaceInfo;
use cairn_core::{
    graph::DecisionGraph,
    history::{DiffLine, FileHistory},
    index::SearchResults,
    scope::import::{ImportPreview, ImportRequest},
    scope::view::{BoardResult, BoardView, ImportResult, UndoResult},
    scope::workshop::{ExportedSession, SessionInfo, StartPlace},
    scope::Op,
    site::Report as SiteReport,
    store::Stamp,
    sync::{SyncReport, SyncStatus},
    template::Template,
    view::{FirstRows, Page, Summary},
    StatusKind,
};

/// The invoke handler for every command in the list: `cairn_commands!(handler)`.
macro_rules! handler {
    ($($module:ident::$name:ident(
        $($inj:ident),* $(; $($arg:ident: $ty:ty),* $(,)?)?
    ) -> $ret:ty;)*) => {
        tauri::generate_handler![$($module::$name),*]
    };
}

/// For each command, a function that is never called but only compiles when the command
/// takes the injected values and arguments its line names, in that order, and returns
/// `Result<` its result type `>`: so the list (and the UI's wrappers made from it) cannot
/// drift from the commands.
macro_rules! check_signatures {
    ($($module:ident::$name:ident(
        $($inj:ident),* $(; $($arg:ident: $ty:ty),* $(,)?)?
    ) -> $ret:ty;)*) => {
        $(
            // `never` goes unused in a command that takes nothing from Tauri.
            #[allow(unused_variables)]
            async fn $name(
                never: std::convert::Infallible,
                $($($arg: $ty),*)?
            ) -> cairn_core::Result<$ret> {
                crate::$module::$name($(injected::$inj(never),)* $($($arg),*)?).await
            }
        )*
    };
}

#[allow(dead_code)]
mod signatures {
    use super::*;

    /// Stand-ins for what Tauri injects. They take an uninhabited value, so they type-check a
    /// call without ever running one.
    mod injected {
        use std::convert::Infallible;

        pub fn app(never: Infallible) -> tauri::AppHandle {
            match never {}
        }
        pub fn state(never: Infallible) -> tauri::State<'static, crate::state::Shared> {
            match never {}
        }
        pub fn window(never: Infallible) -> tauri::WebviewWindow {
            match never {}
        }
    }

    cairn_commands!(check_signatures);
}

#[cfg(test)]
pub use wrappers::commands_ts;

#[cfg(test)]
mod wrappers {
    use std::collections::BTreeSet;

    use ts_rs::{Config, TypeVisitor, TS};

    use super::*;

    /// One command as the UI calls it.
    pub struct Signature {
        pub name: &'static str,
        /// Each argument's Rust name and TypeScript type.
        pub args: Vec<(&'static str, String)>,
        pub result: String,
        /// The generated types the arguments and the result name (for the import line).
        pub uses: BTreeSet<String>,
    }

    /// Adds the declared types `T` names: `T` itself when it is one of the generated types,
    /// else the types it wraps (`Option<Page>`, `Vec<Summary>`).
    fn uses<T: TS + 'static + ?Sized>(cfg: &Config, out: &mut BTreeSet<String>) {
        struct Visit<'a>(&'a Config, &'a mut BTreeSet<String>);
        impl TypeVisitor for Visit<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                uses::<U>(self.0, self.1);
            }
        }
        if T::output_path().is_some() {
            out.insert(T::ident(cfg));
        } else {
            T::visit_generics(&mut Visit(cfg, out));
        }
    }

    macro_rules! signatures {
        ($($module:ident::$name:ident(
            $($inj:ident),* $(; $($arg:ident: $ty:ty),* $(,)?)?
        ) -> $ret:ty;)*) => {
            /// Every command's signature, in the list's order.
            pub fn all(cfg: &Config) -> Vec<Signature> {
                vec![$({
                    let mut used = BTreeSet::new();
                    $($(uses::<$ty>(cfg, &mut used);)*)?
                    uses::<$ret>(cfg, &mut used);
                    Signature {
                        name: stringify!($name),
                        args: vec![$($((stringify!($arg), <$ty as TS>::name(cfg))),*)?],
                        result: <$ret as TS>::name(cfg),
                        uses: used,
                    }
                }),*]
            }
        };
    }

    cairn_commands!(signatures);

    /// `snake_case` → `camelCase`: Tauri matches the UI's argument keys in camelCase, and the
    /// wrappers' names follow the UI's own style.
    pub fn camel(name: &str) -> String {
        let mut out = String::new();
        let mut upper = false;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A parameter name TypeScript accepts (`new` is a reserved word).
    fn param(name: &str) -> String {
        match camel(name) {
            n if ["new", "default", "delete", "function", "in", "var"].contains(&n.as_str()) => {
                format!("{n}_")
            }
            n => n,
        }
    }

    /// One wrapper: `openDecision: (file: string): Promise<Page> => invoke("open_decision", { file }),`
    fn wrapper(s: &Signature) -> String {
        let params: Vec<String> = s
            .args
            .iter()
            .map(|(n, t)| format!("{}: {t}", param(n)))
            .collect();
        let keys: Vec<String> = s
            .args
            .iter()
            .map(|(n, _)| match (camel(n), param(n)) {
                (key, p) if key == p => key,
                (key, p) => format!("{key}: {p}"),
            })
            .collect();
        let payload = match keys.is_empty() {
            true => String::new(),
            false => format!(", {{ {} }}", keys.join(", ")),
        };
        // A command that returns `()` sends null; the wrapper says there is nothing to use.
        let result = match s.result.as_str() {
            "null" => "void",
            r => r,
        };
        format!(
            "  {}: ({}): Promise<{result}> =>\n    invoke(\"{}\"{payload}),\n",
            camel(s.name),
            params.join(", "),
            s.name
        )
    }

    /// The text of `commands.ts`.
    pub fn commands_ts(cfg: &Config) -> String {
        let all = all(cfg);
        let used: BTreeSet<&String> = all.iter().flat_map(|s| &s.uses).collect();
        let mut text = String::from(
            "// Generated from the command list in src-tauri/src/command_table.rs by `cargo test -p\n\
             // cairn-desktop` (UPDATE_BINDINGS=1 rewrites it). Do not edit.\n\
             import { invoke } from \"@tauri-apps/api/core\";\n",
        );
        let names: Vec<&str> = used.iter().map(|s| s.as_str()).collect();
        text.push_str(&format!(
            "import type {{ {} }} from \"./types\";\n\n",
            names.join(", ")
        ));
        text.push_str("/** Every command the shell registers, as a typed call. */\nexport const commands = {\n");
        for s in &all {
            text.push_str(&wrapper(s));
        }
        text.push_str("};\n");
        text
    }
}
