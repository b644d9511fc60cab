//! Text from files and Git made safe for a terminal: control characters and bidi overrides
//! are shown escaped (`\x1b`, `\u{202e}`) instead of being sent raw.
//!
//! Why: a cloned repository is untrusted. A title, commit message or author name carrying
//! `ESC ] 0 ; … BEL` would retitle the terminal, `ESC [ 31 m` would recolour what follows,
//! other sequences can move the cursor over earlier lines, and a right-to-left override
//! makes text read differently from what it is. `--json` output is escaped too ([`json`]):
//! serde escapes C0 controls in strings, but not DEL, C1 controls or bidi overrides.

use std::borrow::Cow;

/// A single-line field (title, author, status, tag, path, message): every control
/// character is escaped, line breaks and tabs too, so one field stays one line.
pub fn line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// A multi-line text (a decision's body, a diff, a Markdown export): as [`line`], but line
/// breaks (`\n`, and `\r` just before one) and tabs are kept.
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// `value` as pretty JSON whose strings carry no character a terminal would act on: what
/// serde leaves raw (DEL, C1 controls, bidi overrides and marks) is written as a `\uXXXX`
/// escape, which every JSON reader reads back as the same character. Outside strings JSON
/// text has only structure and white space, so escaping throughout escapes only strings.
pub fn json(value: &impl serde::Serialize) -> serde_json::Result<String> {
    Ok(safe_json(serde_json::to_string_pretty(value)?))
}

/// JSON text made elsewhere (`cairn list --json` keeps its text), made safe as [`json`] does.
pub fn safe_json(text: String) -> String {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether to colour human output: only on a terminal (a file or a pipe gets plain text that
/// other tools can read), and never when `NO_COLOR` is set to a non-empty value, as
/// <https://no-color.org> asks.
pub fn colour(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

fn escape(s: &str, multi_line: bool) -> Cow<'_, str> {
    let kept = |c: char, next: Option<char>| {
        multi_line && (c == '\n' || c == '\t' || (c == '\r' && next == Some('\n')))
    };
    let mut chars = s.chars().peekable();
    let mut clean = true;
    while let Some(c) = chars.next() {
        if is_unsafe(c) && !kept(c, chars.peek().copied()) {
            clean = false;
            break;
        }
    }
    if clean {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_unsafe(c) || kept(c, chars.peek().copied()) {
            out.push(c);
        } else if u32::from(c) < 0x80 {
            out.push_str(&format!("\\x{:02x}", u32::from(c)));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

/// C0 controls, DEL, C1 controls (U+0080–U+009F: 0x9B alone is a CSI on some terminals) and
/// the characters that reorder text: bidi embeddings, overrides, isolates and marks.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON keeps its line structure, escapes what serde leaves raw, and reads back exact.
    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let v = serde_json::json!({ "t": "a\u{9b}31m\u{202e}b\u{7f}\n\u{2067}c" });
        let out = json(&v).unwrap();
        assert_eq!(
            out,
            "{\n  \"t\": \"a\\u009b31m\\u202eb\\u007f\\n\\u2067c\"\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn escapes_terminal_sequences() {
        assert_eq!(
            line("a\x1b]0;pwned\x07\x1b[31mb"),
            "a\\x1b]0;pwned\\x07\\x1b[31mb"
        );
        assert_eq!(line("x\u{9b}31m\u{7f}"), "x\\u{9b}31m\\x7f");
        assert_eq!(line("abc\u{202e}cba"), "abc\\u{202e}cba");
        assert_eq!(
            line("two\nlines\tand\r\n"),
            "two\\x0alines\\x09and\\x0d\\x0a"
        );
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(colour(true, None));
        assert!(colour(true, Some(OsStr::new(""))));
        assert!(!colour(true, Some(OsStr::new("1"))));
        assert!(!colour(false, None));
    }

    #[test]
    fn text_keeps_line_breaks_and_tabs() {
        assert_eq!(text("a\r\n\tb\n\x1b[2J"), "a\r\n\tb\n\\x1b[2J");
        assert_eq!(text("over\rwrite"), "over\\x0dwrite");
        assert!(matches!(text("plain — ünïcode\n"), Cow::Borrowed(_)));
    }
}
