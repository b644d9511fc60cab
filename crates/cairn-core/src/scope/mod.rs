//! Scope maps and the Now vs. Later board: reading maps (`map`), surgical edits of them
//! (`edit`), the board over maps and decisions (`board`), the operations that change it as
//! one commit each (`ops`), undo of the last operation (`undo`) and column suggestions
//! (`suggest`), cards imported from a CSV export or a Markdown list (`import`), the board as
//! the app shows it (`view`), and a workshop's outcome (`workshop`).

pub mod board;
pub mod edit;
pub mod import;
pub mod map;
pub mod ops;
pub mod suggest;
pub mod undo;
pub mod view;
pub mod workshop;

pub use board::{Board, BoardCard, BoardDiagnostic, CardKind, ColumnView, OverLimit};
pub use edit::{move_back, move_card, Moved, Target};
pub use map::{parse, Card, Column, Field, ScopeMap, Slice};
pub use ops::{apply, BoardChange, Op};
pub use suggest::{suggest, Suggestion, RULES};
pub use undo::undo;
