//! YAML front matter, the `---` block at the top of a decision record or a scope map: where
//! it starts and ends, which line each top-level key sits on, and loading it through the
//! bounded [`crate::yaml`] loader (alias and depth limits) with problems on the file's lines.
//!
//! Decisions and scope maps read different keys, but they must agree on what counts as front
//! matter, or a file would be edited as one thing and read as another.

use std::sync::LazyLock;

use regex::Regex;
use yaml_rust2::Yaml;

use crate::diagnostic::Diagnostic;

/// A top-level `key: value` line: the key starts at the line's first column.
#[allow(
    clippy::expect_used,
    reason = "a fixed pattern: it compiles, or no test passes"
)]
static KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(.*)$").expect("static regex"));

/// The opening and closing `---` lines (0-based) when the file starts with front matter. A
/// byte-order mark before the opening line is allowed; `...` closes as YAML allows.
pub(crate) fn bounds(lines: &[&str]) -> Option<(usize, usize)> {
    let opens = lines
        .first()
        .is_some_and(|l| l.trim_start_matches('\u{feff}').trim_end() == "---");
    if !opens {
        return None;
    }
    lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
        .map(|p| (0, p + 1))
}

/// The error for a file whose first line opens front matter that no line closes; `None`
/// when the front matter is closed or there is none.
pub(crate) fn unclosed(lines: &[&str]) -> Option<Diagnostic> {
    (bounds(lines).is_none() && lines.first().is_some_and(|l| l.trim_end() == "---"))
        .then(|| Diagnostic::error(Some(1), "front matter opened with `---` is never closed"))
}

/// Reads a top-level `key: value` line into its key and the raw text after the colon.
pub(crate) fn key_value(line: &str) -> Option<(&str, &str)> {
    let c = KEY.captures(line)?;
    Some((c.get(1)?.as_str(), c.get(2)?.as_str()))
}

/// Every top-level key between `open` and `close` with its 0-based line, in file order. A
/// surgical edit finds the line to rewrite here, and diagnostics point at it.
pub(crate) fn keys(lines: &[&str], (open, close): (usize, usize)) -> Vec<(String, usize)> {
    lines
        .iter()
        .enumerate()
        .take(close)
        .skip(open + 1)
        .filter_map(|(i, line)| key_value(line).map(|(k, _)| (k.to_string(), i)))
        .collect()
}

/// Loads the front matter's first YAML document (`Yaml::Null` when it is empty). YAML that is
/// broken or refused by the bounds becomes an error diagnostic on the file's line.
pub(crate) fn load(lines: &[&str], (open, close): (usize, usize)) -> Result<Yaml, Diagnostic> {
    let source = lines[open + 1..close].join("\n");
    match crate::yaml::load(&source) {
        Ok(docs) => Ok(docs.into_iter().next().unwrap_or(Yaml::Null)),
        Err(e) => Err(Diagnostic::error(
            Some(open + 1 + e.line()),
            format!("front matter {e}"),
        )),
    }
}

/// A YAML scalar as text; lists, maps and nulls have none.
pub(crate) fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_need_a_closing_line_and_allow_a_bom() {
        assert_eq!(bounds(&["\u{feff}---", "a: 1", "..."]), Some((0, 2)));
        assert_eq!(bounds(&["# Title", "---"]), None);
        assert_eq!(bounds(&["---", "a: 1"]), None);
        assert_eq!(unclosed(&["---", "a: 1"]).and_then(|d| d.line), Some(1));
        assert!(unclosed(&["---", "---"]).is_none());
    }

    #[test]
    fn keys_are_top_level_lines_only() {
        let lines = [
            "---",
            "status: accepted",
            "  nested: x",
            "- item",
            "tags: [a]",
            "---",
        ];
        let keys = keys(&lines, (0, 5));
        assert_eq!(keys, [("status".to_string(), 1), ("tags".to_string(), 4)]);
    }

    #[test]
    fn broken_yaml_is_an_error_on_the_files_line() {
        let lines = ["---", "a: 1", "b: [", "---"];
        let err = load(&lines, (0, 3)).unwrap_err();
        assert!(err.line.is_some_and(|l| l >= 3), "{err:?}");
        assert!(err.message.starts_with("front matter not valid YAML"));
        assert_eq!(load(&["---", "---"], (0, 1)), Ok(Yaml::Null));
    }
}
