//! Surgical edits of a scope map: a card moves as its own lines (the item and its nested
//! lines) and nothing else in the file changes; fields, titles and ids are rewritten on the
//! one line that carries them. Every function takes the file's text and returns new text.

use std::path::Path;

use super::map::{self, block_end, card_item, field_line, parse, Column, ScopeMap};
use crate::markdown::lines;
use crate::{Error, Result};

/// A file held as lines with their own endings, so untouched lines keep them exactly.
#[derive(Clone)]
struct Doc {
    lines: Vec<String>,
}

impl Doc {
    fn new(text: &str) -> Doc {
        Doc {
            lines: text.split_inclusive('\n').map(str::to_string).collect(),
        }
    }

    fn eol(&self) -> &'static str {
        if self.lines.first().is_some_and(|l| l.ends_with("\r\n")) {
            "\r\n"
        } else {
            "\n"
        }
    }

    fn content(&self, i: usize) -> &str {
        let l = &self.lines[i];
        let l = l.strip_suffix('\n').unwrap_or(l);
        l.strip_suffix('\r').unwrap_or(l)
    }

    fn replace(&mut self, i: usize, content: &str) {
        let ending = self.lines[i][self.content(i).len()..].to_string();
        self.lines[i] = format!("{content}{ending}");
    }

    /// Inserts complete lines (each with its ending) before index `at`. A last line without a
    /// newline gets one first, since lines now follow it.
    fn insert(&mut self, at: usize, new: Vec<String>) {
        if at == self.lines.len() {
            let eol = self.eol();
            if let Some(last) = self.lines.last_mut() {
                if !last.ends_with('\n') {
                    last.push_str(eol);
                }
            }
        }
        for (k, l) in new.into_iter().enumerate() {
            self.lines.insert(at + k, l);
        }
    }

    fn text(&self) -> String {
        self.lines.concat()
    }
}

fn err(path: &Path, line: usize, msg: impl Into<String>) -> Error {
    Error::ScopeMap {
        path: path.to_path_buf(),
        line,
        msg: msg.into(),
    }
}

fn find_card<'a>(path: &Path, m: &'a ScopeMap, id: &str) -> Result<&'a map::Card> {
    m.card(id)
        .ok_or_else(|| err(path, 1, format!("no card ^{id} in this map")))
}

/// Where a card goes: into a slice (by name or column word), before another card of the map
/// or at the end of the slice's cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub slice: String,
    pub before: Option<String>,
}

/// What a move did, in lines of the file: the block `[from, from + len)` of the old text
/// now starts at line `to` of the new text. Enough to undo the move exactly
/// ([`move_back`]) and to check it touched nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub from: usize,
    pub to: usize,
    pub len: usize,
}

/// Moves the card `id` to `target`. Its lines are cut from where they are and inserted at
/// the target, byte for byte; when the target slice has no `##` heading yet (a map without a
/// Later section, say), the heading is added in board order, before the next column's slice.
pub fn move_card(path: &Path, text: &str, id: &str, target: &Target) -> Result<(String, Moved)> {
    let m = parse(path, text);
    let card = find_card(path, &m, id)?;
    if target.before.as_deref() == Some(id) {
        return Err(err(
            path,
            card.line,
            format!("^{id} cannot go before itself"),
        ));
    }
    let (start, end) = card.span;
    let mut doc = Doc::new(text);
    let mut block: Vec<String> = doc.lines.drain(start..end).collect();
    // A card cut from the very end of a file without a final newline takes one, since it
    // will be followed by other lines where it lands.
    if let Some(last) = block.last_mut() {
        if !last.ends_with('\n') {
            last.push_str(doc.eol());
        }
    }
    let rest = doc.text();
    let (mut doc, at) = place(path, &rest, target)?;
    let len = block.len();
    doc.insert(at, block);
    Ok((
        doc.text(),
        Moved {
            from: start,
            to: at,
            len,
        },
    ))
}

/// Undoes a [`move_card`] on the text it produced, giving back the original bytes (for a
/// file that ended with a newline, and with no slice heading added by the move).
pub fn move_back(text: &str, moved: Moved) -> String {
    let mut doc = Doc::new(text);
    let end = (moved.to + moved.len).min(doc.lines.len());
    let block: Vec<String> = doc.lines.drain(moved.to..end).collect();
    let at = moved.from.min(doc.lines.len());
    doc.insert(at, block);
    doc.text()
}

/// The line at which a card for `target` is inserted into `text`, adding the slice heading
/// when the map has none for that column.
fn place(path: &Path, text: &str, target: &Target) -> Result<(Doc, usize)> {
    let m = parse(path, text);
    let mut doc = Doc::new(text);
    if let Some(before) = &target.before {
        let at = before_card(path, &m, target, before)?;
        return Ok((doc, at));
    }
    let at = match m
        .slice(&target.slice)
        .and_then(|s| s.section.map(|sec| (s, sec)))
    {
        Some((s, (heading, _))) => end_of_slice(&m, &s.name, heading, &doc),
        None => add_slice(path, &m, &mut doc, &target.slice)?,
    };
    Ok((doc, at))
}

/// The line of card `before`, which must sit in the target slice when the map has one.
fn before_card(path: &Path, m: &ScopeMap, target: &Target, before: &str) -> Result<usize> {
    let b = m.card(before).ok_or_else(|| {
        err(
            path,
            1,
            format!("--before ^{before}: no such card in this map"),
        )
    })?;
    let wanted = m.slice(&target.slice);
    if wanted.is_some_and(|s| b.slice.as_deref() != Some(s.name.as_str())) {
        return Err(err(
            path,
            b.line,
            format!("^{before} is not in {}", target.slice),
        ));
    }
    Ok(b.span.0)
}

/// The line after the last card of slice `name` (headed at line `heading`); in an empty slice,
/// the line after its heading and the blank line that follows it.
fn end_of_slice(m: &ScopeMap, name: &str, heading: usize, doc: &Doc) -> usize {
    let last = m
        .cards
        .iter()
        .filter(|c| c.slice.as_deref() == Some(name))
        .map(|c| c.span.1)
        .max();
    match last {
        Some(end) => end,
        None => {
            let next = heading + 1;
            if next < doc.lines.len() && doc.content(next).trim().is_empty() {
                next + 1
            } else {
                next
            }
        }
    }
}

/// Adds a `##` heading for the column `slice` names, before the first heading of a later
/// column (or at the end), and returns the line under it.
fn add_slice(path: &Path, m: &ScopeMap, doc: &mut Doc, slice: &str) -> Result<usize> {
    let column = Column::of_slice(slice).ok_or_else(|| {
        err(
            path,
            1,
            format!(
                "unknown slice {:?}; this map has {}",
                slice,
                m.slices
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    let name = m
        .slices
        .iter()
        .find(|s| s.column == column)
        .map_or(column.heading().to_string(), |s| s.name.clone());
    // Before the first heading of a later column, so the board order holds.
    let next = m
        .slices
        .iter()
        .filter(|s| s.column > column)
        .filter_map(|s| s.section.map(|(h, _)| h))
        .min();
    let eol = doc.eol();
    match next {
        Some(h) => {
            doc.insert(h, vec![format!("## {name}{eol}"), eol.to_string()]);
            Ok(h + 1)
        }
        None => {
            let n = doc.lines.len();
            let mut new = Vec::new();
            if n > 0 && !doc.content(n - 1).trim().is_empty() {
                new.push(eol.to_string());
            }
            new.push(format!("## {name}{eol}"));
            let at = n + new.len();
            doc.insert(n, new);
            Ok(at)
        }
    }
}

/// The lines of a new card, ending in the file's line ending.
fn card_lines(title: &str, id: &str, fields: &[(String, String)], eol: &str) -> Vec<String> {
    let mut out = vec![format!("- [ ] {} ^{id}{eol}", title.trim())];
    for (k, v) in fields {
        out.push(format!("  - {k}: {v}{eol}"));
    }
    out
}

/// Adds a new card at the end of `target`'s slice (or before a card).
pub fn add_card(
    path: &Path,
    text: &str,
    target: &Target,
    title: &str,
    id: &str,
    fields: &[(String, String)],
) -> Result<String> {
    check_value(path, title)?;
    for (k, v) in fields {
        check_key(path, k)?;
        check_value(path, v)?;
    }
    let (mut doc, at) = place(path, text, target)?;
    let eol = doc.eol();
    let mut new = card_lines(title, id, fields, eol);
    // The first card of an empty slice keeps a blank line before the next heading. (Moves
    // do not do this, so that a move and its inverse give back the original bytes.)
    if at < doc.lines.len() && doc.content(at).starts_with('#') {
        new.push(eol.to_string());
    }
    doc.insert(at, new);
    Ok(doc.text())
}

fn check_key(path: &Path, key: &str) -> Result<()> {
    let ok = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(err(
            path,
            1,
            format!("{key:?} is not a field name (letters, digits and -, e.g. revisit-when)"),
        ))
    }
}

/// A title or field value is one line of the file; a line break would split the card.
fn check_value(path: &Path, value: &str) -> Result<()> {
    if value.contains(['\n', '\r']) {
        return Err(err(path, 1, "a card's title and fields are one line each"));
    }
    Ok(())
}

/// Sets (or with `None` removes) one field of a card on its own line. `title` rewrites the
/// item's title, keeping its checkbox and id. A new field goes after the card's last field.
pub fn set_field(
    path: &Path,
    text: &str,
    id: &str,
    key: &str,
    value: Option<&str>,
) -> Result<String> {
    let m = parse(path, text);
    let card = find_card(path, &m, id)?;
    let mut doc = Doc::new(text);
    if key.eq_ignore_ascii_case("title") {
        let Some(v) = value.filter(|v| !v.trim().is_empty()) else {
            return Err(err(path, card.line, "a card's title cannot be removed"));
        };
        check_value(path, v)?;
        let line = doc.content(card.span.0).to_string();
        let prefix_len = line.len() - line.trim_start_matches(['-', '*', '+']).trim_start().len();
        let mut prefix = line[..prefix_len].to_string();
        let rest = &line[prefix_len..];
        if let Some(cb) = ["[ ] ", "[x] ", "[X] "]
            .iter()
            .find(|cb| rest.starts_with(**cb))
        {
            prefix.push_str(cb);
        }
        doc.replace(card.span.0, &format!("{prefix}{} ^{id}", v.trim()));
        return Ok(doc.text());
    }
    check_key(path, key)?;
    if let Some(v) = value {
        check_value(path, v)?;
    }
    let existing = card
        .fields
        .iter()
        .find(|f| f.key.eq_ignore_ascii_case(key))
        .map(|f| f.line - 1);
    match (existing, value) {
        (Some(i), Some(v)) => {
            let line = doc.content(i).to_string();
            let colon = line.find(':').unwrap_or(line.len());
            doc.replace(i, &format!("{}: {}", &line[..colon], v.trim()));
        }
        (Some(i), None) => {
            doc.lines.remove(i);
        }
        (None, Some(v)) => {
            let all = lines(text);
            let indent = (card.span.0 + 1..card.span.1)
                .find_map(|j| field_line(all[j]).map(|(indent, _, _)| indent))
                .unwrap_or_else(|| "  ".to_string());
            let after = card.fields.last().map_or(card.span.1, |f| f.line);
            let eol = doc.eol();
            doc.insert(after, vec![format!("{indent}- {key}: {}{eol}", v.trim())]);
        }
        (None, None) => {}
    }
    Ok(doc.text())
}

/// Removes a card and its nested lines.
pub fn remove_card(path: &Path, text: &str, id: &str) -> Result<String> {
    let m = parse(path, text);
    let card = find_card(path, &m, id)?;
    let mut doc = Doc::new(text);
    doc.lines.drain(card.span.0..card.span.1);
    Ok(doc.text())
}

/// Gives every card without an `^id` the next free `c-NNN` (counting up from `next`), by
/// appending it to the item's line. Returns the new text and the ids given, in file order.
pub fn assign_ids(text: &str, next: &mut u32) -> (String, Vec<String>) {
    let all = lines(text);
    let start = crate::frontmatter::bounds(&all).map_or(0, |(_, close)| close + 1);
    let mut doc = Doc::new(text);
    let mut given = Vec::new();
    let mut i = start;
    let mut fence = false;
    while i < all.len() {
        let l = all[i];
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
        } else if !fence {
            if let Some((_, _, None)) = card_item(l) {
                let id = format!("c-{:03}", *next);
                *next += 1;
                doc.replace(i, &format!("{} ^{id}", l.trim_end()));
                given.push(id);
                i = block_end(&all, i);
                continue;
            }
        }
        i += 1;
    }
    (doc.text(), given)
}

/// The number of the highest `c-NNN` id in a map.
pub fn max_card_number(m: &ScopeMap) -> u32 {
    m.cards
        .iter()
        .filter_map(|c| c.id.as_deref()?.strip_prefix("c-")?.parse::<u32>().ok())
        .max()
        .unwrap_or(0)
}

/// A new, empty map.
pub fn new_map(name: &str) -> String {
    format!(
        "---\nscope-map: {name}\nbackbone: []\nslices: [Inbox, Now, Later, Won't]\n---\n# {name}\n\n## Inbox\n\n## Now\n\n## Later\n\n## Won't\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = "---\nscope-map: m\nslices: [Now, Later, Won't]\n---\nIntro prose.\n\n## Now\n- [ ] A ^c-1\n  - activity: Pay\n- [ ] B ^c-2\n\nTrailing prose.\n\n## Later\n- [ ] C ^c-3\n  - revisit-by: 2027-01-01\n## Won't\n";

    fn p() -> &'static Path {
        Path::new("m.md")
    }

    fn to(slice: &str, before: Option<&str>) -> Target {
        Target {
            slice: slice.into(),
            before: before.map(str::to_string),
        }
    }

    #[test]
    fn a_move_moves_the_card_lines_and_nothing_else() {
        let (out, moved) = move_card(p(), MAP, "c-1", &to("later", None)).unwrap();
        assert_eq!(
            out,
            "---\nscope-map: m\nslices: [Now, Later, Won't]\n---\nIntro prose.\n\n## Now\n- [ ] B ^c-2\n\nTrailing prose.\n\n## Later\n- [ ] C ^c-3\n  - revisit-by: 2027-01-01\n- [ ] A ^c-1\n  - activity: Pay\n## Won't\n"
        );
        assert_eq!(move_back(&out, moved), MAP);
        // And back by name: before B gives the original bytes.
        let (back, _) = move_card(p(), &out, "c-1", &to("now", Some("c-2"))).unwrap();
        assert_eq!(back, MAP);
    }

    #[test]
    fn moving_into_an_empty_slice_and_one_without_a_heading() {
        let (out, _) = move_card(p(), MAP, "c-2", &to("Won't", None)).unwrap();
        assert!(out.ends_with("## Won't\n- [ ] B ^c-2\n"), "{out}");
        let no_later = "---\nscope-map: m\n---\n## Now\n- [ ] A ^c-1\n## Won't\n- [ ] W ^c-9\n";
        let (out, _) = move_card(p(), no_later, "c-1", &to("later", None)).unwrap();
        assert_eq!(
            out,
            "---\nscope-map: m\n---\n## Now\n## Later\n- [ ] A ^c-1\n\n## Won't\n- [ ] W ^c-9\n"
        );
        let err = move_card(p(), MAP, "c-1", &to("Someday", None)).unwrap_err();
        assert!(err.to_string().contains("unknown slice"), "{err}");
        let err = move_card(p(), MAP, "c-9", &to("now", None)).unwrap_err();
        assert_eq!(err.kind(), "scope-map");
    }

    #[test]
    fn fields_change_on_their_own_line() {
        let out = set_field(p(), MAP, "c-1", "activity", Some("Send")).unwrap();
        assert_eq!(out, MAP.replace("activity: Pay", "activity: Send"));
        let out = set_field(p(), MAP, "c-1", "estimate", Some("3d")).unwrap();
        assert_eq!(
            out,
            MAP.replace("activity: Pay\n", "activity: Pay\n  - estimate: 3d\n")
        );
        let out = set_field(p(), MAP, "c-2", "decision", Some("0007")).unwrap();
        assert_eq!(out, MAP.replace("B ^c-2\n", "B ^c-2\n  - decision: 0007\n"));
        let out = set_field(p(), MAP, "c-3", "revisit-by", None).unwrap();
        assert_eq!(out, MAP.replace("  - revisit-by: 2027-01-01\n", ""));
        let out = set_field(p(), MAP, "c-2", "title", Some("Bee")).unwrap();
        assert_eq!(out, MAP.replace("- [ ] B ^c-2", "- [ ] Bee ^c-2"));
        assert!(set_field(p(), MAP, "c-2", "bad key", Some("x")).is_err());
        assert!(set_field(p(), MAP, "c-2", "notes", Some("two\nlines")).is_err());
    }

    #[test]
    fn add_remove_and_ids() {
        let out = add_card(
            p(),
            MAP,
            &to("Now", None),
            "D",
            "c-4",
            &[("activity".into(), "Pay".into())],
        )
        .unwrap();
        assert_eq!(
            out,
            MAP.replace(
                "- [ ] B ^c-2\n",
                "- [ ] B ^c-2\n- [ ] D ^c-4\n  - activity: Pay\n"
            )
        );
        assert_eq!(remove_card(p(), &out, "c-4").unwrap(), MAP);
        let text = "## Now\n- [ ] A\n  - x: y\n- [ ] B ^c-007\n- [x] C\n```\n- [ ] fenced\n```\n";
        let mut next = 8;
        let (out, given) = assign_ids(text, &mut next);
        assert_eq!(given, ["c-008", "c-009"]);
        assert_eq!(
            out,
            "## Now\n- [ ] A ^c-008\n  - x: y\n- [ ] B ^c-007\n- [x] C ^c-009\n```\n- [ ] fenced\n```\n"
        );
        assert_eq!(max_card_number(&parse(p(), &out)), 9);
    }

    #[test]
    fn crlf_files_stay_crlf() {
        let text = MAP.replace('\n', "\r\n");
        let (out, _) = move_card(p(), &text, "c-3", &to("now", Some("c-1"))).unwrap();
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        let out = set_field(p(), &text, "c-3", "notes", Some("n")).unwrap();
        assert!(out.contains("  - notes: n\r\n"));
    }
}
