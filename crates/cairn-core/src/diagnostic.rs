//! What a reader did not fully understand in a file (a decision, a scope map, its front
//! matter): a severity, a line and a message. The file is still used; the diagnostic says
//! where to look.

use serde::Serialize;

/// How bad a [`Diagnostic`] is: an error means a fact could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Severity {
    Error,
    Warning,
}

/// Something the parser did not fully understand. The decision is still listed; the
/// diagnostic tells the user where to look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn warning(line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            line,
            message: message.into(),
        }
    }

    pub(crate) fn error(line: Option<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            line,
            message: message.into(),
        }
    }
}
