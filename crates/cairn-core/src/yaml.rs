//! Bounded YAML loading: every YAML text Cairn reads from a repository (decision front
//! matter, scope-map front matter, `.log4brains.yml`) goes through [`load`], which refuses
//! alias bombs and deep nesting before the real loader can expand or recurse into them.
//!
//! yaml-rust2's loader expands an alias by cloning the anchored node, so ten lines of
//! nested aliases ("billion laughs") grow into gigabytes; its event-driven `load` also
//! recurses once per nesting level, so a hundred thousand nested block sequences overflow
//! the stack. [`load`] first walks the event stream one event at a time (no recursion),
//! counting what the aliases would add and how deep the nodes go, and only loads a text
//! that stays within [`MAX_ALIAS_NODES`] and [`MAX_DEPTH`].

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::{Yaml, YamlLoader};

/// The most nodes that aliases may add to a text once expanded. Real front matter uses a
/// handful of aliases, if any; an alias bomb needs millions.
pub const MAX_ALIAS_NODES: usize = 10_000;

/// The deepest nesting of sequences and mappings accepted. Front matter and config are a
/// few levels deep; the loader recurses once per level.
pub const MAX_DEPTH: usize = 64;

/// Why a YAML text was not loaded. `line` is 1-based within the text given to [`load`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlError {
    /// The text is not valid YAML.
    Syntax { line: usize, msg: String },
    /// The text is valid but exceeds a bound; it was refused without being expanded.
    Bounds { line: usize, msg: String },
}

impl YamlError {
    /// The 1-based line within the text where the problem was found.
    pub fn line(&self) -> usize {
        match self {
            YamlError::Syntax { line, .. } | YamlError::Bounds { line, .. } => *line,
        }
    }
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            YamlError::Syntax { msg, .. } => write!(f, "not valid YAML: {msg}"),
            YamlError::Bounds { msg, .. } => write!(f, "refused: {msg}"),
        }
    }
}

/// Loads every document of `source`, after checking that its aliases and nesting stay
/// within bounds.
pub fn load(source: &str) -> Result<Vec<Yaml>, YamlError> {
    check(source)?;
    YamlLoader::load_from_str(source).map_err(|e| YamlError::Syntax {
        line: e.marker().line().max(1),
        msg: e.info().to_string(),
    })
}

/// A sequence or mapping being walked: its anchor and its size so far, aliases expanded.
struct Open {
    anchor: usize,
    size: usize,
}

/// Walks the events of `source` without building anything and refuses it when aliases
/// would expand past [`MAX_ALIAS_NODES`] or nodes nest deeper than [`MAX_DEPTH`].
fn check(source: &str) -> Result<(), YamlError> {
    let mut parser = Parser::new_from_str(source);
    // Expanded size of every finished anchored node, by anchor id (ids are never reused).
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    let mut open: Vec<Open> = Vec::new();
    let mut added_by_aliases = 0usize;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError::Syntax {
            line: e.marker().line().max(1),
            msg: e.info().to_string(),
        })?;
        let line = mark.line().max(1);
        let size = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(YamlError::Bounds {
                        line,
                        msg: format!("nested more than {MAX_DEPTH} levels deep"),
                    });
                }
                open.push(Open { anchor, size: 1 });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some(node) => {
                    if node.anchor > 0 {
                        sizes.insert(node.anchor, node.size);
                    }
                    node.size
                }
                None => continue,
            },
            Event::Scalar(_, _, anchor, _) => {
                if anchor > 0 {
                    sizes.insert(anchor, 1);
                }
                1
            }
            Event::Alias(anchor) => {
                // An alias to a node still open (a cycle) loads as nothing: count it as one.
                let size = sizes.get(&anchor).copied().unwrap_or(1);
                added_by_aliases = added_by_aliases.saturating_add(size);
                if added_by_aliases > MAX_ALIAS_NODES {
                    return Err(YamlError::Bounds {
                        line,
                        msg: format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?)"
                        ),
                    });
                }
                size
            }
            _ => continue,
        };
        if let Some(parent) = open.last_mut() {
            parent.size = parent.size.saturating_add(size);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nine levels of nine aliases: 9^9 (387 million) strings once expanded.
    fn alias_bomb() -> String {
        let mut s = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (prev, name) in ('a'..='h').zip('b'..='i') {
            let refs = vec![format!("*{prev}"); 9].join(",");
            s.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        s
    }

    #[test]
    fn an_alias_bomb_is_refused_with_its_line() {
        let err = load(&alias_bomb()).unwrap_err();
        assert!(matches!(err, YamlError::Bounds { .. }), "{err}");
        // The aliases of b, c and d add 90 + 819 + 7380 nodes; e's first one crosses.
        assert_eq!(err.line(), 5, "{err}");
        assert!(err.to_string().contains("alias"), "{err}");
    }

    #[test]
    fn a_few_aliases_load_as_before() {
        let docs = load("base: &b {db: postgres}\nprod: *b\nlist: [*b, *b]\n").unwrap();
        assert_eq!(docs[0]["prod"]["db"].as_str(), Some("postgres"));
        assert_eq!(docs[0]["list"][1]["db"].as_str(), Some("postgres"));
    }

    #[test]
    fn deep_flow_and_block_nesting_are_refused_without_overflowing() {
        let flow = format!("a: {}", "[".repeat(100_000));
        let err = load(&flow).unwrap_err();
        assert_eq!(err.line(), 1, "{err}");
        let block = format!("a:\n{}x\n", "- ".repeat(100_000));
        let err = load(&block).unwrap_err();
        assert!(matches!(err, YamlError::Bounds { line: 2, .. }), "{err}");
        let ok = format!("{}x{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(load(&ok).is_ok());
    }

    #[test]
    fn syntax_errors_keep_their_line() {
        let err = load("a: 1\nb: [\n").unwrap_err();
        assert!(matches!(err, YamlError::Syntax { .. }), "{err}");
        assert!(err.line() >= 2, "{err}");
    }
}
