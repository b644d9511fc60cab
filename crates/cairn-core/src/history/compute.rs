//! One pass over the commits reachable from HEAD that turns what each commit changed into
//! the versions of every file of interest, following renames back to each file's creation.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use git2::{ObjectType, Oid, Repository, Sort, Tree};

use super::walk::{self, CommitChanges};
use super::{ChangeKind, FileHistory, History, Origin, Version};
use crate::error::{Error, Result};

/// One revwalk over every commit reachable from HEAD, newest first (children before
/// parents), diffing each commit against its first parent only.
///
/// Why this attributes correctly:
/// - A non-merge commit's diff against its parent is exactly what its author changed.
/// - Side-branch commits are reached by the walk too, so a change that arrived through a merge
///   is recorded at the commit that made it. In the merge itself, a path whose merged blob
///   equals the blob in another parent came from that parent and is skipped; any other change
///   (a conflict resolution, an "evil merge") is the merge's own and is recorded there.
/// - Renames are followed with `find_similar`; walking newest first, a rename `old → new`
///   makes older changes of `old` count for the file now at `new`'s HEAD path.
///
/// With `base` (the history at an ancestor of HEAD), only commits not reachable from that
/// ancestor are walked; the paths still traced back at the end are the files as they were
/// at the ancestor, and their cached versions follow the new ones.
///
/// The diffs are independent of each other given the list of commits, so they are made in
/// rounds spread over threads ([`walk::of_commits`]); folding them into versions stays in
/// walk order.
pub(super) fn compute(
    repo: &Repository,
    head: Option<Oid>,
    prefixes: &[String],
    base: Option<(Arc<History>, Oid)>,
) -> Result<History> {
    compute_with(
        repo,
        head,
        prefixes,
        base,
        walk::Plan::for_this_machine(),
        walk::Diff::Raw,
    )
}

/// [`compute`] with the threads and the per-commit diff chosen by the caller (tests compare
/// plans and diffs).
fn compute_with(
    repo: &Repository,
    head: Option<Oid>,
    prefixes: &[String],
    base: Option<(Arc<History>, Oid)>,
    plan: walk::Plan,
    how: walk::Diff,
) -> Result<History> {
    let Some(head) = head else {
        return Ok(History {
            head: None,
            files: BTreeMap::new(),
            origin: Origin::Computed,
        });
    };
    let head_tree = repo
        .find_commit(head)
        .map_err(|e| Error::git("read HEAD", e))?
        .tree()
        .map_err(|e| Error::git("read HEAD's tree", e))?;

    // Path as it was at the point the walk has reached → path at HEAD. Starts as identity for
    // every file of interest at HEAD.
    let mut alias: HashMap<String, String> = HashMap::new();
    for path in files_in(&head_tree, prefixes)? {
        alias.insert(path.clone(), path);
    }
    let mut versions: HashMap<String, Vec<Version>> = HashMap::new();
    let commits = commits_since(repo, head, base.as_ref().map(|(_, old_head)| *old_head))?;
    for round in commits.chunks(plan.round()) {
        if alias.is_empty() {
            break; // Every file of interest has reached its creation.
        }
        for commit in walk::of_commits(repo, round, prefixes, plan, how)? {
            record(commit, &mut alias, &mut versions);
        }
    }
    Ok(assemble(head, versions, &alias, base))
}

/// The commits reachable from `head` and not from `hide`, newest first (children before
/// parents, then by time).
fn commits_since(repo: &Repository, head: Oid, hide: Option<Oid>) -> Result<Vec<Oid>> {
    let start = |e| Error::git("start revwalk", e);
    let mut revwalk = repo.revwalk().map_err(start)?;
    revwalk
        .set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
        .map_err(|e| Error::git("sort revwalk", e))?;
    revwalk.push(head).map_err(start)?;
    if let Some(old_head) = hide {
        revwalk.hide(old_head).map_err(start)?;
    }
    revwalk
        .collect::<std::result::Result<Vec<Oid>, _>>()
        .map_err(|e| Error::git("walk history", e))
}

/// Folds one commit's changes into `versions` (keyed by path at HEAD), and moves `alias` on
/// past it: a creation ends a file's trace, a rename continues it under the old name.
fn record(
    commit: CommitChanges,
    alias: &mut HashMap<String, String>,
    versions: &mut HashMap<String, Vec<Version>>,
) {
    let commit_hex = commit.oid.to_string();
    for change in commit.changes {
        let kind = change.kind;
        let new_path = change.path;
        let Some(key) = alias.get(&new_path).cloned() else {
            continue;
        };
        let old_path = change.old_path;
        versions.entry(key.clone()).or_default().push(Version {
            commit: commit_hex.clone(),
            summary: commit.summary.clone(),
            author: commit.author.clone(),
            email: commit.email.clone(),
            date: commit.date,
            blob: change.blob.to_string(),
            path: new_path.clone(),
            change: kind,
            old_path: old_path.clone().filter(|_| kind == ChangeKind::Renamed),
        });
        match kind {
            ChangeKind::Added => {
                alias.remove(&new_path);
            }
            ChangeKind::Renamed => {
                alias.remove(&new_path);
                if let Some(old) = old_path {
                    alias.insert(old, key);
                }
            }
            ChangeKind::Modified => {}
        }
    }
}

/// The history at `head` from the walked `versions`; with `base`, the cached versions of the
/// files still traced back (`alias`: path at the ancestor → path at HEAD) follow the new ones.
fn assemble(
    head: Oid,
    mut versions: HashMap<String, Vec<Version>>,
    alias: &HashMap<String, String>,
    base: Option<(Arc<History>, Oid)>,
) -> History {
    let origin = match base {
        Some((old, _)) => {
            for (then, now) in alias {
                if let Some(f) = old.files.get(then) {
                    versions
                        .entry(now.clone())
                        .or_default()
                        .extend(f.versions.iter().cloned());
                }
            }
            Origin::Incremental
        }
        None => Origin::Computed,
    };
    let mut files = BTreeMap::new();
    for (path, versions) in versions {
        let (Some(newest), Some(oldest)) = (versions.first(), versions.last()) else {
            continue;
        };
        files.insert(
            path.clone(),
            FileHistory {
                path,
                created: oldest.stamp(),
                last_changed: newest.stamp(),
                versions,
            },
        );
    }
    History {
        head: Some(head.to_string()),
        files,
        origin,
    }
}

/// Every blob path in `tree` under one of `prefixes` (an empty prefix means everything).
fn files_in(tree: &Tree<'_>, prefixes: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) {
            let path = format!("{dir}{}", entry.name().unwrap_or(""));
            if prefixes.iter().any(|p| under(&path, p)) {
                out.push(path);
            }
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(|e| Error::git("list HEAD's files", e))?;
    Ok(out)
}

fn under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.starts_with(prefix) && path.as_bytes().get(prefix.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    //! The raw-tree, multi-threaded walk against the previous entry-by-entry walk, on a
    //! generated repository with branches, merges (clean and evil), renames, deletions,
    //! nested folders, blobs turning into folders, mode changes and files outside.

    use std::collections::BTreeMap;

    use git2::{Oid, Repository, Signature, Time};

    use super::walk::{Diff, Plan};
    use super::*;

    type Files = BTreeMap<String, (i32, String)>;

    fn write_tree(repo: &Repository, files: &Files) -> Oid {
        let mut index = git2::Index::new().unwrap();
        for (path, (mode, text)) in files {
            let id = repo.blob(text.as_bytes()).unwrap();
            index
                .add(&git2::IndexEntry {
                    ctime: git2::IndexTime::new(0, 0),
                    mtime: git2::IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: *mode as u32,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id,
                    flags: 0,
                    flags_extended: 0,
                    path: path.as_bytes().to_vec(),
                })
                .unwrap();
        }
        index.write_tree_to(repo).unwrap()
    }

    fn commit(repo: &Repository, files: &Files, parents: &[Oid], secs: i64, msg: &str) -> Oid {
        let tree = repo.find_tree(write_tree(repo, files)).unwrap();
        let who = ["Alice", "Bob", "Carol"][(secs % 3) as usize];
        let sig =
            Signature::new(who, "x@example.com", &Time::new(1_767_225_600 + secs, 0)).unwrap();
        let parents: Vec<_> = parents
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let parents: Vec<_> = parents.iter().collect();
        repo.commit(None, &sig, &sig, msg, &tree, &parents).unwrap()
    }

    /// A long text per file, so that an edit keeps a rename detectable.
    fn text(n: u64, rev: u64) -> String {
        let mut s = format!("# {n}. Decision {n}\n\nStatus: accepted\n\n");
        for l in 0..12 {
            s.push_str(&format!("Line {l} of the context of decision {n}.\n"));
        }
        for _ in 0..(rev % 4) {
            s.push_str(&format!("Revision {rev}.\n"));
        }
        s
    }

    fn generate(repo: &Repository) -> Oid {
        let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let folders = [
            "docs/adr",
            "docs/adr/archive",
            "docs/adr/x",
            "docs/scope",
            "src",
        ];
        let mut main = Files::new();
        main.insert("README.md".into(), (0o100644, "readme\n".into()));
        let mut head = commit(repo, &main, &[], 0, "root");
        let mut side: Option<(Oid, Files)> = None;
        let mut counter = 0u64;
        for c in 1..400i64 {
            let on_side = side.is_some() && next(3) == 0;
            let files = match (&mut side, on_side) {
                (Some((_, f)), true) => f,
                _ => &mut main,
            };
            let keys: Vec<String> = files.keys().cloned().collect();
            let pick = |r: u64| keys.get(r as usize % keys.len().max(1)).cloned();
            match next(10) {
                0..=3 => {
                    counter += 1;
                    let folder = folders[next(folders.len() as u64) as usize];
                    let name = format!("{folder}/{:04}-d{}.md", next(60), counter % 7);
                    files.insert(name, (0o100644, text(counter, c as u64)));
                }
                4..=5 => {
                    if let Some(k) = pick(next(1000)) {
                        let rev = next(100);
                        if let Some(v) = files.get_mut(&k) {
                            v.1 = text(k.len() as u64, rev);
                        }
                    }
                }
                6 => {
                    // Rename, sometimes with an edit, sometimes across folders.
                    if let Some(k) = pick(next(1000)) {
                        if let Some((mode, mut t)) = files.remove(&k) {
                            if next(2) == 0 {
                                t.push_str("Edited while moving.\n");
                            }
                            let folder = folders[next(folders.len() as u64) as usize];
                            files.insert(format!("{folder}/moved-{c}.md"), (mode, t));
                        }
                    }
                }
                7 => {
                    if let Some(k) = pick(next(1000)) {
                        files.remove(&k);
                    }
                }
                8 => {
                    if let Some(k) = pick(next(1000)) {
                        if let Some(v) = files.get_mut(&k) {
                            v.0 = if v.0 == 0o100644 { 0o100755 } else { 0o100644 };
                        }
                    }
                }
                _ => {
                    // A file whose name becomes a folder, or a folder named like a file.
                    let name = format!("docs/adr/{:04}-d1.md", next(60));
                    if files.remove(&name).is_some() {
                        files.insert(format!("{name}/inner.md"), (0o100644, text(7, 7)));
                    } else {
                        files.retain(|k, _| !k.starts_with(&format!("{name}/")));
                        files.insert(name, (0o100644, text(9, c as u64)));
                    }
                }
            }
            if on_side {
                if let Some((tip, f)) = &mut side {
                    *tip = commit(repo, f, &[*tip], c, &format!("side {c}"));
                }
            } else {
                head = commit(repo, &main, &[head], c, &format!("main {c}"));
            }
            if side.is_none() && next(25) == 0 {
                side = Some((head, main.clone()));
            } else if next(20) == 0 {
                if let Some((tip, f)) = side.take() {
                    // Theirs wins on every path; sometimes an evil edit on top.
                    for (k, v) in f {
                        main.insert(k, v);
                    }
                    if next(2) == 0 {
                        if let Some(k) = main.keys().nth(next(5) as usize).cloned() {
                            main.insert(k, (0o100644, "evil\n".into()));
                        }
                    }
                    head = commit(repo, &main, &[head, tip], c, &format!("merge {c}"));
                }
            }
        }
        head
    }

    #[test]
    fn raw_trees_on_threads_give_the_same_history_as_the_entry_walk() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let head = generate(&repo);
        let prefixes = vec!["docs/adr".to_string(), "docs/scope".to_string()];
        let one = Plan {
            threads: 1,
            chunk: 1 << 20,
            min_piece: 1,
        };
        let reference =
            compute_with(&repo, Some(head), &prefixes, None, one, Diff::Reference).unwrap();
        let versions: usize = reference.files.values().map(|f| f.versions.len()).sum();
        assert!(reference.files.len() > 50 && versions > 150, "{versions}");
        assert!(reference
            .files
            .values()
            .flat_map(|f| &f.versions)
            .any(|v| v.change == ChangeKind::Renamed));
        for plan in [
            one,
            Plan {
                threads: 3,
                chunk: 7,
                min_piece: 1,
            },
            Plan::for_this_machine(),
        ] {
            let raw = compute_with(&repo, Some(head), &prefixes, None, plan, Diff::Raw).unwrap();
            assert_eq!(raw, reference, "{plan:?}");
        }
        // The whole repository as the folder of interest, too.
        let all = vec![String::new()];
        let reference = compute_with(&repo, Some(head), &all, None, one, Diff::Reference).unwrap();
        let plan = Plan {
            threads: 2,
            chunk: 5,
            min_piece: 1,
        };
        let raw = compute_with(&repo, Some(head), &all, None, plan, Diff::Raw).unwrap();
        assert_eq!(raw, reference);
    }
}
