// Generated from the Rust types by `cargo test -p cairn-desktop` (UPDATE_BINDINGS=1
// rewrites it). Do not edit.

export type WorkspaceInfo = { 
/**
 * Which opening of a workspace this is; index events carry it, so an event that
 * arrives before (or after) the answer to an open is matched to the right workspace.
 */
generation: number, root: string, 
/**
 * The folder's name, for the title bar.
 */
name: string, decisions_dir: string, is_demo: boolean, 
/**
 * True while the search index is being built; `index-progress` events follow.
 */
indexing: boolean, 
/**
 * Recently opened workspaces, most recent first (this one included).
 */
recent: Array<string>, 
/**
 * Why the workspace asked for could not be opened at start, if it could not.
 */
start_error: string | null, };

export type IndexProgress = { generation: number, done: number, total: number, };

export type IndexReady = { generation: number, documents: number, millis: number, error: string | null, };

export type FilesChanged = { files: Array<string>, };

export type HeadMoved = { head: string | null, };

export type Summary = { file_name: string, number: number | null, title: string, status: StatusKind, 
/**
 * The file's own status words ("Superceded by …"), when it has any.
 */
status_raw: string | null, date: string | null, tags: Array<string>, scope: string | null, 
/**
 * How many things the parser did not understand (shown as a warning mark).
 */
problems: number, 
/**
 * The decisions its prose refers to, so a page can list what mentions it without
 * parsing every file.
 */
mentions: Array<MentionTarget>, 
/**
 * The decision's review date (`review-by`); the app's "Due for review" filter compares
 * it with the day, so a cached row never holds a stale answer.
 */
review_by: string | null, };

export type FirstRows = { rows: Array<Summary>, total: number, };

export type MentionTarget = { number: number | null, 
/**
 * The base name of the linked file.
 */
file: string | null, };

export type Page = { decision: Decision, 
/**
 * The whole file, for the editor.
 */
text: string, 
/**
 * What the file looked like when read; a save sends it back to detect outside edits.
 */
stamp: Stamp, 
/**
 * The body (front matter left out) as sanitised HTML.
 */
html: string, related: Array<Related>, 
/**
 * The decisions whose prose refers to this one ("mentioned by"), in log order.
 */
mentioned_by: Array<Related>, };

export type Related = { relation: string, 
/**
 * The file's own words for the relation ("Superceded by").
 */
label: string, target_text: string, file_name: string | null, title: string | null, status: StatusKind | null, };

export type Decision = { path: string, 
/**
 * The file name, which is also the decision's stable identity within its folder.
 */
file_name: string, number: number | null, 
/**
 * The file name without its number, date and extension.
 */
slug: string, title: string | null, status: Status | null, date: string | null, 
/**
 * The date as written, when it could not be read as a calendar date.
 */
date_raw: string | null, people: People, tags: Array<string>, links: Array<Link>, 
/**
 * References to other decisions in the prose ("see ADR 0067", a Markdown link to
 * `0012-….md`) that no structured link already names, each target once, with the
 * relation `mentions`. Left out of the JSON when there are none.
 */
mentions?: Array<Link>, planning: Planning, sections: Array<Section>, dialect: Dialect, diagnostics: Array<Diagnostic>, 
/**
 * 1-based line where the body (after any front matter) starts.
 */
body_line: number, };

export type Status = { 
/**
 * The words of the file, cleaned of decoration ("✅ Accepted" → "Accepted").
 */
raw: string, kind: StatusKind, 
/**
 * 1-based line where the file states it.
 */
line: number, };

export type StatusKind = "draft" | "proposed" | "accepted" | "rejected" | "deprecated" | "superseded" | "unknown";

export type People = { deciders: Array<string>, consulted: Array<string>, informed: Array<string>, authors: Array<string>, };

export type Link = { 
/**
 * `supersedes`, `superseded-by`, `amends`, `amended-by`, `relates-to`, or the kebab-case
 * form of a custom relation such as `clarified-by`.
 */
relation: string, label: string, 
/**
 * The number of the target, when the reference carries one.
 */
target_number: number | null, 
/**
 * The file the link points at, when it is a Markdown link to a file.
 */
target_file: string | null, 
/**
 * The link's text or the reference as written.
 */
target_text: string, line: number, };

export type Planning = { scope: string | null, revisit_when: string | null, revisit_by: string | null, reversibility: string | null, 
/**
 * When a decision (accepted or not) is next to be looked at again: `review-by:` in
 * front matter, a `Review by:` bullet, or a line of an adr-tools Status section.
 * Left out of the JSON when absent.
 */
review_by?: string, };

export type Section = { level: number, heading: string, line: number, };

export type Severity = "error" | "warning";

export type Diagnostic = { severity: Severity, line: number | null, message: string, };

export type Dialect = "nygard" | "madr-bullets" | "madr" | "cairn" | "static-site" | "plain";

export type Stamp = string | null;

export type SearchResults = { total: number, hits: Array<Hit>, status_counts: { [key in string]: number }, tag_counts: { [key in string]: number }, };

export type Hit = { 
/**
 * "decision", or "card" for a scope-map card.
 */
kind: string, number: number | null, title: string, file_name: string, path: string, 
/**
 * The status kind ("accepted"); `status_raw` is the file's own words.
 */
status: string, status_raw: string | null, date: string | null, 
/**
 * Relevance (BM25 with the title boosted); 0 when sorted by date.
 */
score: number, snippet: Snippet, 
/**
 * A card's `^id` (cards only).
 */
card_id: string | null, 
/**
 * The scope map a card belongs to (cards only).
 */
map: string | null, 
/**
 * A card's column: inbox, now, later, wont (cards only).
 */
column: string | null, };

export type Snippet = { text: string, highlights: Array<[number, number]>, };

export type Template = { name: string, description: string, 
/**
 * Where a workspace template lives; `None` for the ones shipped with Cairn.
 */
path: string | null, };

export type FileHistory = { 
/**
 * Path at HEAD, relative to the repository root, `/`-separated.
 */
path: string, created: HistoryStamp, last_changed: HistoryStamp, 
/**
 * Every version, newest first (the order of `git log`).
 */
versions: Array<Version>, };

export type Version = { commit: string, 
/**
 * First line of the commit message.
 */
summary: string, author: string, email: string, date: string, 
/**
 * The file's blob id in this version.
 */
blob: string, 
/**
 * The file's path (relative to the repository, `/`-separated) in this version; differs
 * from [`FileHistory::path`] for versions before a rename.
 */
path: string, change: ChangeKind, 
/**
 * For [`ChangeKind::Renamed`]: the path before the move.
 */
old_path?: string | null, };

export type HistoryStamp = { 
/**
 * Author date, in the author's own time zone (what `git log` shows).
 */
date: string, author: string, email: string, 
/**
 * Full hexadecimal commit id.
 */
commit: string, };

export type ChangeKind = "added" | "modified" | "renamed";

export type DiffLine = { kind: LineKind, old_line: number | null, new_line: number | null, 
/**
 * The line without its line ending.
 */
text: string, };

export type LineKind = "added" | "removed" | "context";

export type SyncStatus = { 
/**
 * The checked-out branch; `None` on a detached HEAD.
 */
branch: string | null, 
/**
 * The remote [`sync`] would use; `None` when the branch has no upstream.
 */
remote: string | null, 
/**
 * The upstream as its remote-tracking branch, e.g. `origin/main`.
 */
upstream: string | null, 
/**
 * Local commits the upstream does not have (all of them when it has not been pushed).
 */
ahead: number, 
/**
 * Upstream commits fetched but not yet merged.
 */
behind: number, };

export type SyncReport = { branch: string, remote: string, 
/**
 * The upstream branch on the remote, e.g. `refs/heads/main`.
 */
upstream: string, integration: Integration, 
/**
 * How many local commits were pushed (0: nothing to push).
 */
pushed: number, 
/**
 * The branch's commit after the sync.
 */
head: string, 
/**
 * Files (absolute paths) the sync changed, added or deleted in the working tree, so a
 * caller can refresh exactly those (the desktop app's log and search index).
 */
changed: Array<string>, };

export type Integration = { "kind": "up-to-date" } | { "kind": "fast-forward", from: string, to: string, } | { "kind": "merged", commit: string, };

export type BoardView = { board: Board, 
/**
 * What the core suggests for each card in the Inbox, with the reason.
 */
suggestions: Array<Suggestion>, 
/**
 * The last operation, which Ctrl+Z would undo ("Scope m: move c-4 to now").
 */
undo: string | null, 
/**
 * Where maps live, for the empty board's hint.
 */
scope_dir: string, };

export type BoardResult = { change: BoardChange, view: BoardView, };

export type UndoResult = { message: string, view: BoardView, };

export type ImportResult = { imported: Imported, view: BoardView, };

export type ImportRequest = { 
/**
 * The map whose Inbox receives the cards; a new map of that name is created when there
 * is none.
 */
map: string, text: string, format: ImportFormat, 
/**
 * The CSV column whose values become the cards' `activity` (the story map's backbone).
 */
activity_column: string | null, 
/**
 * Where the text came from, for messages and the commit ("export.csv"); pasted text
 * has none.
 */
origin: string | null, };

export type ImportFormat = "auto" | "csv" | "markdown";

export type ImportPreview = { 
/**
 * The map's name as it will be written.
 */
map: string, 
/**
 * No map of that name exists yet; the import creates it.
 */
new_map: boolean, 
/**
 * The slice the cards go into (the map's Inbox).
 */
slice: string, 
/**
 * The format the text was read in (never `auto`).
 */
format: ImportFormat, 
/**
 * A CSV file's column names, for choosing the activity column.
 */
columns: Array<string>, mapping: ColumnMapping, cards: Array<ImportCard>, skipped: Array<Skipped>, };

export type ImportCard = { 
/**
 * 1-based line of the text the card comes from.
 */
line: number, title: string, fields: Array<[string, string]>, 
/**
 * The map already has a card of this title (or an earlier line has it); it is not
 * written.
 */
duplicate: boolean, };

export type ColumnMapping = { title: string | null, description: string | null, 
/**
 * Every labels column (Jira repeats `Labels` once per label).
 */
labels: Array<string>, 
/**
 * The tracker's own key or link (`Issue key`, `ID`, `URL`), kept as `source`.
 */
source: string | null, activity: string | null, };

export type Skipped = { line: number, reason: string, };

export type Imported = { change: BoardChange, 
/**
 * The new cards' ids, in the order of the text.
 */
added: Array<string>, 
/**
 * Cards left out because the map already had them.
 */
duplicates: number, };

export type ExportedSession = { path: string, markdown: string, html: string, 
/**
 * True when it was committed (a file inside the workspace with autocommit on).
 */
committed: boolean, };

export type Board = { today: string, columns: Array<ColumnView>, maps: Array<MapInfo>, over_limits: Array<OverLimit>, diagnostics: Array<BoardDiagnostic>, };

export type BoardCard = { 
/**
 * `c-014` for a map card; the padded number (`0007`) for a decision.
 */
id: string, kind: CardKind, title: string, column: Column, 
/**
 * The map and slice of a map card.
 */
map: string | null, slice: string | null, activity: string | null, 
/**
 * A map card's link to a decision (padded number), when it has one.
 */
decision: string | null, 
/**
 * A decision's cards: the map cards that link to it.
 */
cards: Array<string>, 
/**
 * A decision's status.
 */
status: StatusKind | null, done: boolean, reversibility: string | null, revisit_when: string | null, revisit_by: string | null, 
/**
 * `revisit-by` is today or earlier and the card is not in Now: time to look again.
 */
due: boolean, estimate: string | null, notes: string | null, path: string, 
/**
 * 1-based line of the card (map cards) or of the decision's title block.
 */
line: number, };

export type CardKind = "card" | "decision";

export type Column = "inbox" | "now" | "later" | "wont";

export type ColumnView = { column: Column, cards: Array<BoardCard>, };

export type OverLimit = { map: string, slice: string, limit: number, count: number, };

export type BoardDiagnostic = { path: string, line: number | null, severity: Severity, message: string, };

export type MapInfo = { name: string, path: string, backbone: Array<string>, slices: Array<string>, 
/**
 * Every slice that has a limit, with its count, over or not.
 */
limits: Array<SliceLimit>, 
/**
 * The stamp of the bytes the board was built from; see [`ScopeMap::stamp`].
 */
stamp: Stamp, };

export type SliceLimit = { slice: string, column: Column, limit: number, count: number, };

export type Suggestion = { id: string, title: string, current: Column, column: Column, rule: string, reason: string, };

export type Op = { "op": "add", map: string, title: string, slice: string | null, fields: Array<[string, string]>, } | { "op": "set", id: string, key: string, value: string | null, } | { "op": "move", id: string, column: Column, before: string | null, } | { "op": "link", id: string, decision: string, } | { "op": "remove", id: string, };

export type BoardChange = { 
/**
 * The card the operation was about (for an add, the new card's id).
 */
id: string, path: string, message: string, outcome: Outcome, 
/**
 * Ids given to cards of the map that had none, as it was written for the first time.
 */
new_ids: Array<string>, };

export type Outcome = { committed: Committed, paths: Array<string>, };

export type Committed = { "kind": "commit", id: string, summary: string, } | { "kind": "not-a-repository" } | { "kind": "autocommit-off" };

export type StartPlace = { id: string, column: Column, };

export type SessionInfo = { 
/**
 * The map the workshop sorted (the board was filtered to it), if one.
 */
map: string | null, 
/**
 * Local clock times, as the people in the room read them (`10:02`).
 */
started: string, ended: string, minutes: number, };

export type SiteReport = { out: string, workspaces: number, decisions: number, 
/**
 * Every file of the site.
 */
files: number, 
/**
 * The files whose bytes changed (or are new) in this build.
 */
written: number, 
/**
 * Files an earlier build wrote that are no longer part of the site.
 */
removed: number, 
/**
 * Whether a sitemap was written (it needs `base_url`).
 */
sitemap: boolean, 
/**
 * Pages with a Mermaid diagram.
 */
diagram_pages: number, 
/**
 * Whether those diagrams are drawn (the build had Mermaid's bundle) or shown as source.
 */
diagrams_drawn: boolean, };

export type SiteProgress = { step: SiteStep, done: number, total: number, };

export type SiteStep = "reading" | "pages" | "writing";

export type DecisionGraph = { 
/**
 * The decisions linked to another one, each with its box.
 */
nodes: Array<GraphNode>, edges: Array<GraphEdge>, 
/**
 * The size of the drawing.
 */
width: number, height: number, 
/**
 * The size of every node's box ([`NODE_W`] by [`NODE_H`]), so the UI need not repeat it.
 */
node_width: number, node_height: number, 
/**
 * How many decisions were looked at (those shown plus those linked to none).
 */
considered: number, };

export type GraphNode = { file_name: string, 
/**
 * "ADR 0007", or the file name for a record without a number.
 */
label: string, title: string, status: StatusKind, tags: Array<string>, 
/**
 * The box's top-left corner (its size is the graph's `node_width` by `node_height`).
 */
x: number, y: number, };

export type GraphEdge = { from: string, to: string, 
/**
 * The relation's name: supersedes, amends, relates-to, or whatever else the core
 * reports (mentions, a dialect's own words).
 */
relation: string, directed: boolean, 
/**
 * The curve, as an SVG path's `d`.
 */
path: string, };

export type ErrorKind = "io" | "parse" | "config" | "no-workspace" | "not-found" | "ambiguous" | "conflict" | "exists" | "outside-workspace" | "symlink" | "no-identity" | "git-locked" | "git" | "sync-conflict" | "no-upstream" | "remote" | "index" | "index-busy" | "query" | "scope-map" | "unknown-card" | "board" | "import" | "undo" | "too-large" | "internal" | "bare-repository" | "operation-in-progress" | "detached-head" | "not-a-repository" | "no-changes" | "no-number" | "no-base-version" | "bad-name" | "no-home" | "index-building" | "no-workspace-open" | "unsupported-link" | "no-reverse" | "read-only" | "bad-argument" | "unknown-template" | "uncommitted-changes" | "no-title" | "unchanged" | "self-link" | "empty-change" | "empty-commit-message" | "unwritable-path" | "inside-git-dir" | "branch-not-utf8" | "no-parent-folder" | "no-file-name" | "site-folder-not-ours" | "link-not-opened" | "window";

