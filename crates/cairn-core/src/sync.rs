//! Sync with the team through plain Git remotes: fetch the current branch's upstream, then
//! fast-forward or merge (only when the merge has no conflict), then push — never forced.
//! Credentials come from the ssh agent and Git's credential helpers; Cairn stores none.

use std::path::{Path, PathBuf};

use git2::{
    build::CheckoutBuilder, Cred, CredentialType, ErrorCode, FetchOptions, Oid, PushOptions,
    RemoteCallbacks, Repository, RepositoryState,
};
use serde::Serialize;

use crate::error::{Error, Result};

/// What the local branch had to do to catch up with its upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Integration {
    /// Nothing new upstream.
    UpToDate,
    /// The branch moved forward to the upstream commit.
    FastForward { from: String, to: String },
    /// Both sides had new commits; this merge commit joins them.
    Merged { commit: String },
}

/// What [`sync`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncReport {
    pub branch: String,
    pub remote: String,
    /// The upstream branch on the remote, e.g. `refs/heads/main`.
    pub upstream: String,
    pub integration: Integration,
    /// How many local commits were pushed (0: nothing to push).
    pub pushed: usize,
    /// The branch's commit after the sync.
    pub head: String,
    /// Files (absolute paths) the sync changed, added or deleted in the working tree, so a
    /// caller can refresh exactly those (the desktop app's log and search index).
    pub changed: Vec<PathBuf>,
}

impl SyncReport {
    /// The names of the decisions the sync changed: the files of [`SyncReport::changed`]
    /// directly in `decisions_dir`. Git reports paths under its own (resolved) working
    /// folder, so they are matched to the decisions folder by its resolved path.
    pub fn decisions_changed(&self, decisions_dir: &Path) -> Vec<String> {
        let resolved =
            std::fs::canonicalize(decisions_dir).unwrap_or_else(|_| decisions_dir.to_path_buf());
        self.changed
            .iter()
            .filter(|p| {
                p.parent()
                    .is_some_and(|d| std::fs::canonicalize(d).is_ok_and(|d| d == resolved))
            })
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect()
    }
}

/// Where the current branch stands against its upstream, as of the last fetch: no network,
/// so it is cheap enough to show at all times and to refresh whenever HEAD moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncStatus {
    /// The checked-out branch; `None` on a detached HEAD.
    pub branch: Option<String>,
    /// The remote [`sync`] would use; `None` when the branch has no upstream.
    pub remote: Option<String>,
    /// The upstream as its remote-tracking branch, e.g. `origin/main`.
    pub upstream: Option<String>,
    /// Local commits the upstream does not have (all of them when it has not been pushed).
    pub ahead: usize,
    /// Upstream commits fetched but not yet merged.
    pub behind: usize,
}

/// Fetches the upstream of the current branch of the repository containing `repo_root`,
/// integrates it, and pushes the result.
///
/// Safety comes first, in this order:
/// - Refuses to start in the middle of a merge or rebase, or on a detached HEAD.
/// - The fetch only updates remote-tracking refs; if the remote is unreachable the error says
///   so and nothing local has changed.
/// - A merge is computed in memory first. If it has conflicts, the error names the files and
///   the working tree, the index and the branch are untouched.
/// - The working tree is updated with a safe checkout before the branch moves, so a local,
///   uncommitted edit that the update would overwrite stops the sync with nothing changed.
/// - The push is an ordinary fast-forward push (no `+`); a rejection is an error.
pub fn sync(repo_root: &Path) -> Result<SyncReport> {
    let repo = open_clean(repo_root)?;
    let Branch {
        local_ref,
        name: branch,
        local,
        remote: remote_name,
        merge_ref,
    } = current_branch(&repo)?;

    let mut remote = repo.find_remote(&remote_name).map_err(|e| Error::Remote {
        remote: remote_name.clone(),
        url: String::new(),
        msg: e.message().to_string(),
    })?;
    let url = remote.url().unwrap_or("").to_string();
    let remote_err = |msg: String| Error::Remote {
        remote: remote_name.clone(),
        url: url.clone(),
        msg,
    };

    // Fetch exactly the upstream branch into its remote-tracking ref.
    let tracking = tracking_ref(&repo, &local_ref, &remote_name, &merge_ref);
    let mut fetch = FetchOptions::new();
    fetch.remote_callbacks(callbacks(&repo));
    remote
        .fetch(
            &[format!("+{merge_ref}:{tracking}")],
            Some(&mut fetch),
            Some("cairn sync: fetch"),
        )
        .map_err(|e| remote_err(format!("fetch failed: {}", e.message())))?;

    let upstream = match repo.refname_to_id(&tracking) {
        Ok(id) => Some(id),
        Err(e) if e.code() == ErrorCode::NotFound => None, // not on the remote yet
        Err(e) => return Err(Error::git(format!("read {tracking}"), e)),
    };
    let (integration, new_head) = match upstream {
        None => (Integration::UpToDate, local),
        Some(up) => integrate(&repo, &local_ref, &branch, &tracking, local, up)?,
    };

    let pushed = to_push(&repo, new_head, upstream)?;
    if pushed > 0 {
        push(&repo, &mut remote, &local_ref, &merge_ref)
            .map_err(|msg| remote_err(format!("push failed: {msg}")))?;
        // Keep the remote-tracking ref in step, as `git push` does.
        repo.reference(&tracking, new_head, true, "cairn sync: push")
            .map_err(|e| Error::git(format!("update {tracking}"), e))?;
    }

    let changed = changed_files(&repo, local, new_head)?;
    Ok(SyncReport {
        branch,
        remote: remote_name,
        upstream: merge_ref,
        integration,
        pushed,
        head: new_head.to_string(),
        changed,
    })
}

/// The repository containing `repo_root`, refused when it has no working tree or is in the
/// middle of a merge, rebase or the like.
fn open_clean(repo_root: &Path) -> Result<Repository> {
    let repo = Repository::discover(repo_root)
        .map_err(|e| Error::git(format!("open {}", repo_root.display()), e))?;
    if repo.workdir().is_none() {
        return Err(Error::BareRepository {
            path: repo.path().to_path_buf(),
        });
    }
    let state = repo.state();
    if state != RepositoryState::Clean {
        return Err(Error::OperationInProgress {
            state: format!("{state:?}"),
        });
    }
    Ok(repo)
}

/// The checked-out branch and the upstream its configuration names.
struct Branch {
    /// Full ref name, `refs/heads/main`.
    local_ref: String,
    /// Short name, `main`.
    name: String,
    /// Its commit.
    local: Oid,
    /// `branch.<name>.remote`.
    remote: String,
    /// `branch.<name>.merge`: the upstream branch on the remote, `refs/heads/main`.
    merge_ref: String,
}

/// The [`Branch`] checked out in `repo`; a detached HEAD or a branch without upstream is an
/// error that says so.
fn current_branch(repo: &Repository) -> Result<Branch> {
    let head = repo.head().map_err(|e| Error::git("read HEAD", e))?;
    if !head.is_branch() {
        return Err(Error::DetachedHead);
    }
    let (local_ref, name, local) = checked_out(&head)?;
    drop(head);

    let config = repo.config().map_err(|e| Error::git("read config", e))?;
    let no_upstream = || Error::NoUpstream {
        branch: name.clone(),
    };
    let remote = config
        .get_string(&format!("branch.{name}.remote"))
        .map_err(|_| no_upstream())?;
    let merge_ref = config
        .get_string(&format!("branch.{name}.merge"))
        .map_err(|_| no_upstream())?;
    Ok(Branch {
        local_ref,
        name,
        local,
        remote,
        merge_ref,
    })
}

/// Brings the branch `local_ref` (at `local`) up to the fetched upstream `up`: nothing when
/// it has nothing new, a fast-forward when the branch has nothing of its own, else a merge
/// made in memory (refused on conflict). Returns what was done and the branch's new commit.
fn integrate(
    repo: &Repository,
    local_ref: &str,
    branch: &str,
    tracking: &str,
    local: Oid,
    up: Oid,
) -> Result<(Integration, Oid)> {
    if up == local {
        return Ok((Integration::UpToDate, local));
    }
    let (_ahead, behind) = repo
        .graph_ahead_behind(local, up)
        .map_err(|e| Error::git("compare with upstream", e))?;
    if behind == 0 {
        return Ok((Integration::UpToDate, local));
    }
    if repo
        .graph_descendant_of(up, local)
        .map_err(|e| Error::git("compare with upstream", e))?
    {
        move_branch(repo, local_ref, up, "cairn sync: fast-forward")?;
        let from = local.to_string();
        let to = up.to_string();
        return Ok((Integration::FastForward { from, to }, up));
    }
    let merged = merge_in_memory(repo, local, up, branch, tracking)?;
    move_branch(repo, local_ref, merged, "cairn sync: merge")?;
    let commit = merged.to_string();
    Ok((Integration::Merged { commit }, merged))
}

/// How many commits of `new_head` the upstream lacks: all of them when the upstream branch
/// does not exist on the remote yet.
fn to_push(repo: &Repository, new_head: Oid, upstream: Option<Oid>) -> Result<usize> {
    match upstream {
        Some(up) => Ok(repo
            .graph_ahead_behind(new_head, up)
            .map_err(|e| Error::git("compare with upstream", e))?
            .0),
        None => {
            let mut walk = repo.revwalk().map_err(|e| Error::git("count commits", e))?;
            walk.push(new_head)
                .map_err(|e| Error::git("count commits", e))?;
            Ok(walk.count())
        }
    }
}

/// The working-tree files that differ between commits `from` and `to` (absolute paths; both
/// sides of a rename).
fn changed_files(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<PathBuf>> {
    if from == to {
        return Ok(Vec::new());
    }
    let tree = |oid: Oid| {
        repo.find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(|e| Error::git(format!("read commit {oid}"), e))
    };
    let diff = repo
        .diff_tree_to_tree(Some(&tree(from)?), Some(&tree(to)?), None)
        .map_err(|e| Error::git("list the files the sync changed", e))?;
    let workdir = repo.workdir().unwrap_or_else(|| repo.path());
    let mut files: Vec<PathBuf> = diff
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .map(|p| workdir.join(p))
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

/// The remote-tracking ref of `local_ref`'s upstream (`refs/remotes/origin/main`): Git's
/// own answer when it has one, else built from the configured remote and merge ref.
fn tracking_ref(repo: &Repository, local_ref: &str, remote: &str, merge_ref: &str) -> String {
    repo.branch_upstream_name(local_ref)
        .ok()
        .and_then(|b| b.as_str().ok().map(str::to_string))
        .unwrap_or_else(|| {
            format!(
                "refs/remotes/{remote}/{}",
                merge_ref.trim_start_matches("refs/heads/")
            )
        })
}

/// The checked-out branch behind `head`: its full ref name (`refs/heads/main`), its short
/// name (`main`) and its commit.
fn checked_out(head: &git2::Reference<'_>) -> Result<(String, String, Oid)> {
    let local_ref = head
        .name()
        .map_err(|_| Error::BranchNotUtf8 {
            name: String::from_utf8_lossy(head.name_bytes()).into_owned(),
        })?
        .to_string();
    let branch = head.shorthand().unwrap_or(&local_ref).to_string();
    let local = head
        .peel_to_commit()
        .map_err(|e| Error::git("read HEAD", e))?
        .id();
    Ok((local_ref, branch, local))
}

/// The [`SyncStatus`] of the repository containing `repo_root`, from local refs only.
pub fn status(repo_root: &Path) -> Result<SyncStatus> {
    let repo = Repository::discover(repo_root)
        .map_err(|e| Error::git(format!("open {}", repo_root.display()), e))?;
    let head = match repo.head() {
        Ok(h) => h,
        // An unborn branch: nothing to be ahead or behind with yet.
        Err(e) if e.code() == ErrorCode::UnbornBranch || e.code() == ErrorCode::NotFound => {
            return Ok(SyncStatus::default())
        }
        Err(e) => return Err(Error::git("read HEAD", e)),
    };
    if !head.is_branch() {
        return Ok(SyncStatus::default());
    }
    let (local_ref, branch, local) = checked_out(&head)?;
    let Some((remote, merge_ref)) = upstream_of(repo_root)? else {
        return Ok(SyncStatus {
            branch: Some(branch),
            ..SyncStatus::default()
        });
    };
    let tracking = tracking_ref(&repo, &local_ref, &remote, &merge_ref);
    let (ahead, behind) = match repo.refname_to_id(&tracking) {
        Ok(up) => repo
            .graph_ahead_behind(local, up)
            .map_err(|e| Error::git("compare with upstream", e))?,
        Err(e) if e.code() == ErrorCode::NotFound => {
            let mut walk = repo.revwalk().map_err(|e| Error::git("count commits", e))?;
            walk.push(local)
                .map_err(|e| Error::git("count commits", e))?;
            (walk.count(), 0)
        }
        Err(e) => return Err(Error::git(format!("read {tracking}"), e)),
    };
    Ok(SyncStatus {
        branch: Some(branch),
        upstream: Some(
            tracking
                .strip_prefix("refs/remotes/")
                .unwrap_or(&tracking)
                .to_string(),
        ),
        remote: Some(remote),
        ahead,
        behind,
    })
}

/// Merges `up` into `local` without touching the working tree, index or refs, and commits
/// the result with the configured identity. Conflicts stop here, naming the files.
fn merge_in_memory(
    repo: &Repository,
    local: Oid,
    up: Oid,
    branch: &str,
    tracking: &str,
) -> Result<Oid> {
    let ours = repo
        .find_commit(local)
        .map_err(|e| Error::git("read HEAD", e))?;
    let theirs = repo
        .find_commit(up)
        .map_err(|e| Error::git(format!("read {tracking}"), e))?;
    let mut index = repo
        .merge_commits(&ours, &theirs, None)
        .map_err(|e| Error::git("merge", e))?;
    if index.has_conflicts() {
        let mut files: Vec<PathBuf> = index
            .conflicts()
            .map_err(|e| Error::git("list conflicts", e))?
            .filter_map(|c| c.ok())
            .filter_map(|c| c.our.or(c.their).or(c.ancestor))
            .map(|entry| PathBuf::from(String::from_utf8_lossy(&entry.path).into_owned()))
            .collect();
        files.sort();
        files.dedup();
        return Err(Error::SyncConflict {
            upstream: tracking
                .strip_prefix("refs/remotes/")
                .unwrap_or(tracking)
                .to_string(),
            files,
        });
    }
    let tree_id = index
        .write_tree_to(repo)
        .map_err(|e| Error::git("write merged tree", e))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| Error::git("read merged tree", e))?;
    let sig = match repo.signature() {
        Ok(sig) => sig,
        Err(e) if e.code() == ErrorCode::NotFound || e.class() == git2::ErrorClass::Invalid => {
            return Err(Error::NoIdentity)
        }
        Err(e) => return Err(Error::git("read user.name and user.email", e)),
    };
    let short = tracking.strip_prefix("refs/remotes/").unwrap_or(tracking);
    let message = format!("Merge remote-tracking branch '{short}' into {branch}");
    // No ref is updated here: the branch moves only after the working tree has been updated.
    repo.commit(None, &sig, &sig, &message, &tree, &[&ours, &theirs])
        .map_err(|e| Error::git("commit merge", e))
}

/// Brings the working tree and index to `target` with a safe checkout (which refuses to
/// overwrite local edits), then moves the branch. HEAD stays symbolic.
fn move_branch(repo: &Repository, local_ref: &str, target: Oid, log: &str) -> Result<()> {
    let commit = repo
        .find_commit(target)
        .map_err(|e| Error::git("read target commit", e))?;
    let mut checkout = CheckoutBuilder::new();
    checkout.safe();
    repo.checkout_tree(commit.as_object(), Some(&mut checkout))
        .map_err(|e| {
            if e.code() == ErrorCode::Conflict {
                Error::UncommittedChanges {
                    detail: e.message().to_owned(),
                }
            } else {
                Error::git("update the working tree", e)
            }
        })?;
    repo.reference(local_ref, target, true, log)
        .map_err(|e| Error::git(format!("move {local_ref}"), e))?;
    Ok(())
}

/// Pushes `local_ref` to `merge_ref` on the remote. No `+`: the remote refuses anything but
/// a fast-forward, and so does this function when the remote reports a rejection.
fn push(
    repo: &Repository,
    remote: &mut git2::Remote<'_>,
    local_ref: &str,
    merge_ref: &str,
) -> std::result::Result<(), String> {
    let rejected = std::cell::RefCell::new(None::<String>);
    {
        let mut cbs = callbacks(repo);
        cbs.push_update_reference(|refname, status| {
            if let Some(msg) = status {
                *rejected.borrow_mut() = Some(format!("{refname} rejected: {msg}"));
            }
            Ok(())
        });
        let mut opts = PushOptions::new();
        opts.remote_callbacks(cbs);
        remote
            .push(&[format!("{local_ref}:{merge_ref}")], Some(&mut opts))
            .map_err(|e| e.message().to_string())?;
    }
    match rejected.into_inner() {
        Some(msg) => Err(msg),
        None => Ok(()),
    }
}

/// Credentials: the ssh agent for ssh remotes, then Git's own credential helpers (the
/// user's `credential.helper`: a keychain, `gh auth`, a store), then whatever libgit2 can
/// do by default (e.g. Negotiate). Each is tried once, so a refusing server ends the attempt
/// instead of looping. Cairn stores nothing.
fn callbacks(repo: &Repository) -> RemoteCallbacks<'static> {
    let config = repo.config().ok();
    let mut tried_agent = false;
    let mut tried_helper = false;
    let mut tried_default = false;
    let mut cbs = RemoteCallbacks::new();
    cbs.credentials(move |url, username, allowed| {
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(username.unwrap_or("git"));
        }
        if allowed.contains(CredentialType::SSH_KEY) && !tried_agent {
            tried_agent = true;
            return Cred::ssh_key_from_agent(username.unwrap_or("git"));
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) && !tried_helper {
            tried_helper = true;
            if let Some(config) = &config {
                if let Ok(cred) = Cred::credential_helper(config, url, username) {
                    return Ok(cred);
                }
            }
        }
        if allowed.contains(CredentialType::DEFAULT) && !tried_default {
            tried_default = true;
            return Cred::default();
        }
        Err(git2::Error::from_str(
            "no usable credentials: the ssh agent offered no key and no Git credential helper \
             answered (set one up with `git config --global credential.helper …`)",
        ))
    });
    cbs
}

/// The remote and the upstream branch (`refs/heads/…`) that [`sync`] would use, without
/// contacting the remote; `None` on a detached HEAD or a branch without an upstream.
pub fn upstream_of(repo_root: &Path) -> Result<Option<(String, String)>> {
    let repo = Repository::discover(repo_root)
        .map_err(|e| Error::git(format!("open {}", repo_root.display()), e))?;
    let name = match repo.head() {
        Ok(h) if h.is_branch() => h.shorthand().ok().map(str::to_string),
        _ => None,
    };
    let Some(name) = name else { return Ok(None) };
    let config = repo.config().map_err(|e| Error::git("read config", e))?;
    let remote = config.get_string(&format!("branch.{name}.remote")).ok();
    let merge = config.get_string(&format!("branch.{name}.merge")).ok();
    Ok(remote.zip(merge))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only files directly in the decisions folder count, matched through a link to it as
    /// Git reports paths under the resolved working folder.
    #[cfg(unix)]
    #[test]
    fn decisions_changed_are_the_files_in_the_decisions_folder() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("repo");
        std::fs::create_dir_all(real.join("docs/decisions/sub")).unwrap();
        std::fs::create_dir_all(real.join("scope")).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let report = SyncReport {
            branch: "main".into(),
            remote: "origin".into(),
            upstream: "refs/heads/main".into(),
            integration: Integration::UpToDate,
            pushed: 0,
            head: String::new(),
            changed: vec![
                real.join("docs/decisions/0001-a.md"),
                real.join("docs/decisions/sub/0002-b.md"),
                real.join("scope/m.md"),
                real.join("README.md"),
            ],
        };
        let names = report.decisions_changed(&link.join("docs/decisions"));
        assert_eq!(names, vec!["0001-a.md".to_string()]);
    }
}
