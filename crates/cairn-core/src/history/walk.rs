//! What each commit changed under the folders of interest: folder trees compared as raw
//! object bytes, and the commits of a walk split over a few threads.

use std::rc::Rc;

use rayon::prelude::*;

use chrono::{DateTime, FixedOffset};
use git2::{
    Delta, DiffFindOptions, DiffOptions, ObjectType, Odb, OdbObject, Oid, Repository, Tree,
};

use super::{blob_at, slash, to_date, ChangeKind};
use crate::error::{Error, Result};

/// A file that a commit added, modified or renamed (deletions are not needed: a deleted
/// path is not at HEAD under that name).
pub(super) struct FileChange {
    pub kind: ChangeKind,
    pub path: String,
    pub old_path: Option<String>,
    pub blob: Oid,
}

/// A commit that changed files of interest, with what a [`super::Version`] records of it.
/// Changes that a merge only brought in from another parent are already left out.
pub(super) struct CommitChanges {
    pub oid: Oid,
    pub summary: String,
    pub author: String,
    pub email: String,
    pub date: DateTime<FixedOffset>,
    pub changes: Vec<FileChange>,
}

/// How the commits of a walk are shared out: rounds of `threads × chunk` commits, each round
/// split into consecutive pieces, one per thread. Consecutive, because a commit's parent tree
/// is usually the next commit's tree, which the piece then already holds; in rounds, so that
/// the caller can stop early once every file of interest has reached its creation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    pub threads: usize,
    pub chunk: usize,
    /// Fewer commits than this per thread are not worth a thread (opening a repository and
    /// parsing a first tree cost about as much as diffing that many commits).
    pub min_piece: usize,
}

impl Plan {
    /// Up to 4 threads: the work is mostly inflating and copying tree objects, and more
    /// threads mostly compete for memory bandwidth.
    pub fn for_this_machine() -> Plan {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Plan {
            threads: threads.clamp(1, 4),
            chunk: 1024,
            min_piece: 64,
        }
    }

    pub fn round(&self) -> usize {
        (self.threads * self.chunk).max(1)
    }
}

/// Which per-commit diff to use; the reference is the previous, libgit2-entry-based one, kept
/// for tests that check the raw comparison gives the same history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Diff {
    Raw,
    #[cfg(test)]
    Reference,
}

/// The changes of every commit in `commits` (in order, only those with changes), shared out
/// as `plan` says: at most `plan.threads` consecutive pieces, so at most that many run at
/// once (the cap of [`Plan::for_this_machine`] holds on rayon's pool too). Each piece opens
/// its own [`Repository`], since one must not be used from two threads.
pub(super) fn of_commits(
    repo: &Repository,
    commits: &[Oid],
    prefixes: &[String],
    plan: Plan,
    how: Diff,
) -> Result<Vec<CommitChanges>> {
    let per = commits
        .len()
        .div_ceil(plan.threads.max(1))
        .max(plan.min_piece)
        .max(1);
    if commits.len() <= per {
        return piece(repo, commits, prefixes, how);
    }
    let gitdir = repo.path();
    let pieces = commits
        .par_chunks(per)
        .map(|commits| {
            let repo = Repository::open(gitdir)
                .map_err(|e| Error::git(format!("open {}", gitdir.display()), e))?;
            piece(&repo, commits, prefixes, how)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(pieces.into_iter().flatten().collect())
}

/// Diffs each commit of `commits` against its first parent, in order, on this thread.
fn piece(
    repo: &Repository,
    commits: &[Oid],
    prefixes: &[String],
    how: Diff,
) -> Result<Vec<CommitChanges>> {
    let odb = repo
        .odb()
        .map_err(|e| Error::git("open object database", e))?;
    let mut raw = RawTrees::new(&odb);
    #[cfg(test)]
    let mut reference = reference::TreeCache::default();
    let mut diff_opts = DiffOptions::new();
    diff_opts.skip_binary_check(true);
    for p in prefixes {
        diff_opts.pathspec(p);
    }
    let mut out = Vec::new();
    for &oid in commits {
        let commit = repo
            .find_commit(oid)
            .map_err(|e| Error::git(format!("read commit {oid}"), e))?;
        let tree = commit
            .tree()
            .map_err(|e| Error::git(format!("read tree of {oid}"), e))?;
        let first = match commit.parent(0) {
            Ok(p) => Some(
                p.tree()
                    .map_err(|e| Error::git(format!("read parent of {oid}"), e))?,
            ),
            Err(_) => None,
        };
        let found = match how {
            Diff::Raw => raw.commit(first.as_ref(), &tree, prefixes),
            #[cfg(test)]
            Diff::Reference => {
                reference.rotate();
                reference::commit(repo, first.as_ref(), &tree, prefixes, &mut reference)
            }
        };
        let (mut changes, deleted) = found.map_err(|e| Error::git(format!("diff {oid}"), e))?;
        let added = changes.iter().any(|c| c.kind == ChangeKind::Added);
        if added && deleted {
            changes = with_renames(repo, first.as_ref(), &tree, &mut diff_opts)
                .map_err(|e| Error::git(format!("diff {oid}"), e))?;
        }
        if changes.is_empty() {
            continue;
        }

        if commit.parent_count() > 1 {
            let others: Vec<Tree<'_>> = commit
                .parents()
                .skip(1)
                .map(|p| p.tree())
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| Error::git(format!("read parents of {oid}"), e))?;
            // What came in from another side is attributed to the commit there.
            changes.retain(|c| !others.iter().any(|t| blob_at(t, &c.path) == Some(c.blob)));
            if changes.is_empty() {
                continue;
            }
        }

        let author = commit.author();
        out.push(CommitChanges {
            oid,
            summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or(b"")).into_owned(),
            author: author.name().unwrap_or("").to_string(),
            email: author.email().unwrap_or("").to_string(),
            date: to_date(author.when()),
            changes,
        });
    }
    Ok(out)
}

/// Only a commit that both adds and deletes files is handed to libgit2's rename detection,
/// which then gives the whole list of changes.
fn with_renames(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    opts: &mut DiffOptions,
) -> std::result::Result<Vec<FileChange>, git2::Error> {
    let mut diff = repo.diff_tree_to_tree(old, Some(new), Some(opts))?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    let mut out = Vec::new();
    for delta in diff.deltas() {
        let kind = match delta.status() {
            Delta::Added | Delta::Copied => ChangeKind::Added,
            Delta::Modified | Delta::Typechange => ChangeKind::Modified,
            Delta::Renamed => ChangeKind::Renamed,
            _ => continue,
        };
        let Some(path) = delta.new_file().path().map(slash) else {
            continue;
        };
        out.push(FileChange {
            kind,
            path,
            old_path: delta
                .old_file()
                .path()
                .map(slash)
                .filter(|_| kind == ChangeKind::Renamed),
            blob: delta.new_file().id(),
        });
    }
    Ok(out)
}

/// An entry as far as change detection is concerned: its id and what it is.
type Entry = (Oid, Option<ObjectType>);

fn is_blob(e: &Option<Entry>) -> bool {
    matches!(e, Some((_, Some(ObjectType::Blob))))
}

/// What one path that is not a folder on both sides did: a file added or modified goes to
/// `out`; anything that was there and is no file now marks a deletion (renames are paired
/// from those later). Submodules and other non-files are ignored.
fn leaf_change(
    before: Option<Entry>,
    after: Option<Entry>,
    path: &str,
    out: &mut Vec<FileChange>,
    deleted: &mut bool,
) {
    match (before, after) {
        (_, Some((blob, _))) if is_blob(&after) => out.push(FileChange {
            kind: if is_blob(&before) {
                ChangeKind::Modified
            } else {
                ChangeKind::Added
            },
            path: path.to_string(),
            old_path: None,
            blob,
        }),
        (Some(_), _) => *deleted = true,
        _ => {}
    }
}

/// How many raw trees a thread keeps. Walking newest first, a commit's parent folder tree is
/// the next commit's folder tree, so two would do for one flat folder; the rest is for nested
/// folders and for merges.
const RECENT: usize = 8;

/// A tree object's bytes, as libgit2 reads them, and where each entry starts (plus the
/// length at the end), so that a comparison can start at the entry around the first
/// differing byte without parsing what comes before it.
struct RawTree<'o> {
    obj: OdbObject<'o>,
    starts: Vec<u32>,
}

/// Folder trees compared as raw object bytes.
///
/// Why: in a folder of 10,000 decisions every commit has a new 400 KB tree, and a commit
/// usually changes one entry of it. Going through libgit2's `Tree` parses all 10,000 entries
/// of both trees (and our merge over them visits each); here the two byte strings are
/// compared with `memcmp` from both ends, and only the entries in the differing middle are
/// decoded. Trees are sorted, and the bytes before the first difference are the same entries
/// in both trees, so an entry start from the new tree's list is one in the old tree too.
/// The old tree's entry starts follow from the new tree's (shifted after the difference), so
/// a linear history parses each folder tree in full only once per thread.
struct RawTrees<'o> {
    odb: &'o Odb<'o>,
    /// Most recently used last.
    recent: Vec<(Oid, Rc<RawTree<'o>>)>,
}

/// The old side of a comparison: already known with its entry starts, or just read.
enum Old<'o> {
    None,
    Known(Rc<RawTree<'o>>),
    Read(Oid, OdbObject<'o>),
}

impl<'o> RawTrees<'o> {
    fn new(odb: &'o Odb<'o>) -> Self {
        RawTrees {
            odb,
            recent: Vec::with_capacity(RECENT),
        }
    }

    /// What `new` changed under `prefixes` compared with `old` (its first parent's tree), and
    /// whether anything was deleted.
    fn commit(
        &mut self,
        old: Option<&Tree<'_>>,
        new: &Tree<'_>,
        prefixes: &[String],
    ) -> std::result::Result<(Vec<FileChange>, bool), git2::Error> {
        let mut out = Vec::new();
        let mut deleted = false;
        for prefix in prefixes {
            let before = old.and_then(|t| at(t, prefix));
            let after = at(new, prefix);
            if before.map(|b| b.0) == after.map(|a| a.0) {
                continue;
            }
            self.changes(before, after, prefix, &mut out, &mut deleted)?;
        }
        Ok((out, deleted))
    }

    fn cached(&mut self, id: Oid) -> Option<Rc<RawTree<'o>>> {
        let i = self.recent.iter().position(|(k, _)| *k == id)?;
        let hit = self.recent.remove(i);
        let tree = Rc::clone(&hit.1);
        self.recent.push(hit);
        Some(tree)
    }

    fn remember(&mut self, id: Oid, tree: Rc<RawTree<'o>>) {
        if self.recent.len() >= RECENT {
            self.recent.remove(0);
        }
        self.recent.push((id, tree));
    }

    /// The tree `id` with its entry starts, parsing it in full if it is not at hand.
    fn parsed(&mut self, id: Oid) -> std::result::Result<Rc<RawTree<'o>>, git2::Error> {
        if let Some(t) = self.cached(id) {
            return Ok(t);
        }
        let obj = self.odb.read(id)?;
        let data = obj.data();
        let mut starts = Vec::new();
        let mut at = 0;
        while at < data.len() {
            starts.push(offset(at)?);
            at = entry_at(data, at).ok_or_else(|| malformed(Some(id)))?.end;
        }
        starts.push(offset(at)?);
        let tree = Rc::new(RawTree { obj, starts });
        self.remember(id, Rc::clone(&tree));
        Ok(tree)
    }

    /// The same decisions as the entry-by-entry walk it replaces: a folder on either side is
    /// compared entry by entry; a blob that turned into a folder (or back) also changes as a
    /// file; submodules are ignored.
    fn changes(
        &mut self,
        before: Option<Entry>,
        after: Option<Entry>,
        path: &str,
        out: &mut Vec<FileChange>,
        deleted: &mut bool,
    ) -> std::result::Result<(), git2::Error> {
        let is_tree = |e: &Option<Entry>| matches!(e, Some((_, Some(ObjectType::Tree))));
        if is_tree(&before) || is_tree(&after) {
            if is_blob(&before) && !is_blob(&after) {
                *deleted = true;
            }
            if is_blob(&after) && !is_blob(&before) {
                self.changes(None, after, path, out, deleted)?;
            }
            let tree_id = |e: Option<Entry>| match e {
                Some((id, Some(ObjectType::Tree))) => Some(id),
                _ => None,
            };
            return self.folders(tree_id(before), tree_id(after), path, out, deleted);
        }
        leaf_change(before, after, path, out, deleted);
        Ok(())
    }

    /// Compares folder trees `before` and `after` (either may be absent), recursing into the
    /// entries that differ.
    fn folders(
        &mut self,
        before: Option<Oid>,
        after: Option<Oid>,
        path: &str,
        out: &mut Vec<FileChange>,
        deleted: &mut bool,
    ) -> std::result::Result<(), git2::Error> {
        let new = after.map(|id| self.parsed(id)).transpose()?;
        let old = match before {
            None => Old::None,
            Some(id) => match self.cached(id) {
                Some(t) => Old::Known(t),
                None => Old::Read(id, self.odb.read(id)?),
            },
        };
        let a: &[u8] = match &old {
            Old::None => &[],
            Old::Known(t) => t.obj.data(),
            Old::Read(_, obj) => obj.data(),
        };
        let b: &[u8] = new.as_ref().map_or(&[], |t| t.obj.data());
        let no_starts: &[u32] = &[];
        let b_starts = new.as_ref().map_or(no_starts, |t| &t.starts);
        let (la, lb) = (a.len(), b.len());

        // Skip the common head up to the start of the entry holding the first differing
        // byte, and stop once both sides are at entry starts in the common tail, the same
        // distance from the end (what follows is then the same entries).
        let (k, start, tail) = if !a.is_empty() && !b.is_empty() {
            let p = common_prefix(a, b);
            let k = b_starts
                .partition_point(|&s| s as usize <= p)
                .saturating_sub(1);
            let start = b_starts.get(k).map_or(0, |&s| s as usize);
            (k, start, common_suffix(&a[start..], &b[start..]))
        } else {
            (0, 0, 0)
        };
        let track = matches!(old, Old::Read(..));
        let mut a_starts: Vec<u32> = Vec::new();
        if track {
            a_starts.reserve(b_starts.len() + 8);
            a_starts.extend_from_slice(&b_starts[..k]);
        }
        let (mut i, mut j, mut jk) = (start, start, k);
        loop {
            if la - i == lb - j && la - i <= tail {
                if track {
                    if new.is_some() {
                        let shift = |s: &u32| (*s as usize + i - j) as u32;
                        a_starts.extend(b_starts.get(jk..).unwrap_or(&[]).iter().map(shift));
                    } else {
                        a_starts.push(offset(i)?);
                    }
                }
                break;
            }
            let o = if i < la {
                Some(entry_at(a, i).ok_or_else(|| malformed(before))?)
            } else {
                None
            };
            let n = if j < lb {
                Some(entry_at(b, j).ok_or_else(|| malformed(after))?)
            } else {
                None
            };
            let order = match (&o, &n) {
                (Some(o), Some(n)) => git_order(o, n),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => break,
            };
            let (before, after, name) = match order {
                std::cmp::Ordering::Less => {
                    if track {
                        a_starts.push(offset(i)?);
                    }
                    let Some(o) = o else { break };
                    i = o.end;
                    (Some(o.entry()), None, o.name)
                }
                std::cmp::Ordering::Greater => {
                    let Some(n) = n else { break };
                    j = n.end;
                    jk += 1;
                    (None, Some(n.entry()), n.name)
                }
                std::cmp::Ordering::Equal => {
                    if track {
                        a_starts.push(offset(i)?);
                    }
                    let (Some(o), Some(n)) = (o, n) else { break };
                    i = o.end;
                    j = n.end;
                    jk += 1;
                    let (b, a) = (o.entry(), n.entry());
                    if b == a {
                        continue;
                    }
                    (Some(b), Some(a), n.name)
                }
            };
            let name = String::from_utf8_lossy(name);
            let child = if path.is_empty() {
                name.into_owned()
            } else {
                format!("{path}/{name}")
            };
            self.changes(before, after, &child, out, deleted)?;
        }
        if let Old::Read(id, obj) = old {
            if a_starts.last().map(|&s| s as usize) == Some(obj.data().len()) {
                self.remember(
                    id,
                    Rc::new(RawTree {
                        obj,
                        starts: a_starts,
                    }),
                );
            }
        }
        Ok(())
    }
}

/// The entry at `prefix` in a commit's root tree (the root itself for an empty prefix).
fn at(tree: &Tree<'_>, prefix: &str) -> Option<Entry> {
    if prefix.is_empty() {
        Some((tree.id(), Some(ObjectType::Tree)))
    } else {
        tree.get_path(std::path::Path::new(prefix))
            .ok()
            .map(|e| (e.id(), e.kind()))
    }
}

/// One entry of a raw tree: `MODE SP NAME NUL ID`, ids being 20 bytes (SHA-1).
struct RawEntry<'a> {
    mode: u32,
    name: &'a [u8],
    id: &'a [u8],
    /// Where the next entry starts.
    end: usize,
}

impl RawEntry<'_> {
    /// What libgit2's `git_tree_entry_type` says for this mode.
    fn kind(&self) -> ObjectType {
        match self.mode & 0o170000 {
            0o040000 => ObjectType::Tree,
            0o160000 => ObjectType::Commit,
            _ => ObjectType::Blob,
        }
    }

    fn entry(&self) -> Entry {
        // `entry_at` took exactly 20 bytes, which `from_bytes` always accepts.
        let id = Oid::from_bytes(self.id).unwrap_or(Oid::ZERO_SHA1);
        (id, Some(self.kind()))
    }
}

const ID_LEN: usize = 20;

fn entry_at(data: &[u8], at: usize) -> Option<RawEntry<'_>> {
    let rest = data.get(at..)?;
    let sp = rest.iter().take(8).position(|&b| b == b' ')?;
    let mut mode = 0u32;
    for &d in &rest[..sp] {
        if !(b'0'..=b'7').contains(&d) {
            return None;
        }
        mode = mode * 8 + u32::from(d - b'0');
    }
    let name_len = rest[sp + 1..].iter().position(|&b| b == 0)?;
    let name = &rest[sp + 1..sp + 1 + name_len];
    let id_at = sp + 1 + name_len + 1;
    let id = rest.get(id_at..id_at + ID_LEN)?;
    Some(RawEntry {
        mode,
        name,
        id,
        end: at + id_at + ID_LEN,
    })
}

/// Git sorts tree entries by name, comparing a folder as if its name ended in `/`.
fn git_order(a: &RawEntry<'_>, b: &RawEntry<'_>) -> std::cmp::Ordering {
    let (an, bn) = (a.name, b.name);
    let n = an.len().min(bn.len());
    match an[..n].cmp(&bn[..n]) {
        std::cmp::Ordering::Equal => {}
        other => return other,
    }
    let next = |name: &[u8], e: &RawEntry<'_>| {
        name.get(n)
            .copied()
            .or_else(|| (e.kind() == ObjectType::Tree).then_some(b'/'))
    };
    next(an, a).cmp(&next(bn, b))
}

/// Length of the common prefix, compared in blocks (each a `memcmp`) and then bytewise.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Length of the common suffix, the same way from the end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[la - i - BLOCK..la - i] == b[lb - i - BLOCK..lb - i] {
        i += BLOCK;
    }
    i + a[..la - i]
        .iter()
        .rev()
        .zip(b[..lb - i].iter().rev())
        .take(n - i)
        .take_while(|(x, y)| x == y)
        .count()
}

fn offset(at: usize) -> std::result::Result<u32, git2::Error> {
    u32::try_from(at).map_err(|_| git2::Error::from_str("tree object larger than 4 GB"))
}

fn malformed(id: Option<Oid>) -> git2::Error {
    git2::Error::from_str(&format!("malformed tree {}", id.unwrap_or(Oid::ZERO_SHA1)))
}

/// The per-commit diff before raw trees, through libgit2's parsed `Tree`s, kept to check
/// that [`RawTrees`] finds exactly the same changes.
#[cfg(test)]
mod reference {
    use std::collections::HashMap;

    use git2::{ObjectType, Oid, Repository, Tree};

    use super::{at, is_blob, leaf_change, Entry, FileChange};

    #[derive(Default)]
    pub struct TreeCache<'r> {
        prev: HashMap<Oid, Tree<'r>>,
        cur: HashMap<Oid, Tree<'r>>,
    }

    impl<'r> TreeCache<'r> {
        fn get(&mut self, repo: &'r Repository, id: Oid) -> Result<Tree<'r>, git2::Error> {
            if let Some(t) = self.cur.get(&id).or_else(|| self.prev.get(&id)) {
                return Ok(t.clone());
            }
            let t = repo.find_tree(id)?;
            self.cur.insert(id, t.clone());
            Ok(t)
        }

        pub fn rotate(&mut self) {
            if !self.cur.is_empty() {
                self.prev = std::mem::take(&mut self.cur);
            }
        }
    }

    pub fn commit<'r>(
        repo: &'r Repository,
        old: Option<&Tree<'_>>,
        new: &Tree<'_>,
        prefixes: &[String],
        trees: &mut TreeCache<'r>,
    ) -> Result<(Vec<FileChange>, bool), git2::Error> {
        let mut out = Vec::new();
        let mut deleted = false;
        for prefix in prefixes {
            let before = old.and_then(|t| at(t, prefix));
            let after = at(new, prefix);
            if before.map(|b| b.0) == after.map(|a| a.0) {
                continue;
            }
            walk_changes(repo, trees, before, after, prefix, &mut out, &mut deleted)?;
        }
        Ok((out, deleted))
    }

    fn walk_changes<'r>(
        repo: &'r Repository,
        trees: &mut TreeCache<'r>,
        before: Option<Entry>,
        after: Option<Entry>,
        path: &str,
        out: &mut Vec<FileChange>,
        deleted: &mut bool,
    ) -> Result<(), git2::Error> {
        let is_tree = |e: &Option<Entry>| matches!(e, Some((_, Some(ObjectType::Tree))));
        if is_tree(&before) || is_tree(&after) {
            let mut load = |e: Option<Entry>| match e {
                Some((id, Some(ObjectType::Tree))) => trees.get(repo, id).map(Some),
                _ => Ok(None),
            };
            let old_tree = load(before)?;
            let new_tree = load(after)?;
            if is_blob(&before) && !is_blob(&after) {
                *deleted = true;
            }
            if is_blob(&after) && !is_blob(&before) {
                walk_changes(repo, trees, None, after, path, out, deleted)?;
            }
            let (mut i, mut j) = (0, 0);
            loop {
                let o = old_tree.as_ref().and_then(|t| t.get(i));
                let n = new_tree.as_ref().and_then(|t| t.get(j));
                let order = match (&o, &n) {
                    (Some(o), Some(n)) => git_order(o, n),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => break,
                };
                let pick = |e: &Option<git2::TreeEntry<'_>>| e.as_ref().map(|e| (e.id(), e.kind()));
                let (before, after, name) = match order {
                    std::cmp::Ordering::Less => {
                        i += 1;
                        (pick(&o), None, o)
                    }
                    std::cmp::Ordering::Greater => {
                        j += 1;
                        (None, pick(&n), n)
                    }
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                        let (b, a) = (pick(&o), pick(&n));
                        if b == a {
                            continue;
                        }
                        (b, a, n)
                    }
                };
                let Some(name) = name else { continue };
                let name = String::from_utf8_lossy(name.name_bytes());
                let child = if path.is_empty() {
                    name.into_owned()
                } else {
                    format!("{path}/{name}")
                };
                walk_changes(repo, trees, before, after, &child, out, deleted)?;
            }
            return Ok(());
        }
        leaf_change(before, after, path, out, deleted);
        Ok(())
    }

    fn git_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
        let (an, bn) = (a.name_bytes(), b.name_bytes());
        let n = an.len().min(bn.len());
        match an[..n].cmp(&bn[..n]) {
            std::cmp::Ordering::Equal => {}
            other => return other,
        }
        let next = |name: &[u8], e: &git2::TreeEntry<'_>| {
            name.get(n)
                .copied()
                .or_else(|| (e.kind() == Some(ObjectType::Tree)).then_some(b'/'))
        };
        next(an, a).cmp(&next(bn, b))
    }
}
