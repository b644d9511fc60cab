//! Faults on real processes and real Git repositories: `cairn` killed with SIGKILL at random
//! points of its writes, a lock file Git left behind, the desktop's save racing the CLI on one
//! file, writes that fail half-way (a file-size limit, a read-only folder), and the search
//! index damaged between two runs. What must hold: every file is its old or its new version,
//! never torn; Git stays consistent; every failure is a clear error and nothing is lost.
//!
//! `CAIRN_FAULT_WRITES` (default 150) sets how many killed writes the kill test makes, and
//! `CAIRN_FAULT_SEED` the seed of its random choices, so a failure can be replayed.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use cairn_core::store;
use cairn_core::{changes, Workspace};
use cairn_testkit::{files_under, TestRepo};

const DATE: &str = "2026-11-21";
const MAP: &str = "scope/ledgerly-mvp.md";

/// `cairn` in `dir`, isolated from the machine's Git configuration and cache.
fn cairn_in(dir: &Path, repo: &TestRepo) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cairn"));
    cmd.current_dir(dir)
        .env("CAIRN_DATE", DATE)
        .env("XDG_CACHE_HOME", repo.home().join(".cache"))
        .env_remove("CAIRN_WORKSPACE")
        .env_remove("CAIRN_INDEX_DIR");
    for (k, v) in repo.git_env() {
        cmd.env(k, v);
    }
    cmd
}

fn cairn(repo: &TestRepo, args: &[&str]) -> Output {
    cairn_in(repo.path(), repo)
        .args(args)
        .output()
        .expect("run cairn")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn demo() -> TestRepo {
    let repo = TestRepo::new();
    repo.add_demo();
    repo
}

/// A small deterministic generator (xorshift64*), so a run is replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Every file of the working tree (not `.git`), with Cairn's undo journal, by relative path.
/// Temporary files of an interrupted write are returned apart.
fn snapshot(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>, tmp: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel == ".git" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, files, tmp);
            } else if rel.ends_with(".cairn-tmp") {
                tmp.push(rel);
            } else {
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    let mut tmp = Vec::new();
    walk(root, root, &mut files, &mut tmp);
    if let Ok(journal) = fs::read(root.join(".git/cairn-undo.json")) {
        files.insert(".git/cairn-undo.json".into(), journal);
    }
    (files, tmp)
}

/// One write of the kill test: a status change, a link, a card or decision move, or a new
/// decision. All of them are deterministic given the files (the date is fixed).
fn random_write(rng: &mut Rng, cards: &[String], i: usize) -> Vec<String> {
    let n = |rng: &mut Rng| (1 + rng.below(12)).to_string();
    match rng.below(4) {
        0 => {
            let status = rng.pick(&["proposed", "accepted", "deprecated", "rejected", "draft"]);
            vec!["status".into(), n(rng), status.into()]
        }
        1 => {
            let (a, b) = (n(rng), n(rng));
            let relation = rng.pick(&["amends", "relates-to"]);
            vec!["link".into(), a, relation.into(), b]
        }
        2 => {
            let column = rng.pick(&["now", "later", "wont", "inbox"]);
            let id = if rng.below(4) == 0 {
                n(rng)
            } else {
                cards[rng.below(cards.len() as u64) as usize].clone()
            };
            vec!["move".into(), id, column.into()]
        }
        _ => vec!["new".into(), "Fault".into(), format!("number {i}")],
    }
}

/// The card ids of the demo's scope map.
fn card_ids(repo: &TestRepo) -> Vec<String> {
    repo.read(MAP)
        .split_whitespace()
        .filter_map(|w| w.strip_prefix("^c-"))
        .map(|n| format!("c-{n}"))
        .collect()
}

/// Refusals that are the operation's own business, not a fault: linking what is already
/// linked, setting the status a decision already has, linking a decision to itself, moving a
/// decision that is not on the board or has no front matter to record its place in.
fn benign(err: &str) -> bool {
    [
        "already",
        "nothing to change",
        "cannot link to itself",
        "not on the board",
        "Cairn does not add one",
    ]
    .iter()
    .any(|s| err.contains(s))
}

/// A lock file Git (or libgit2) left behind, as named in an error.
fn named_lock(err: &str) -> Option<String> {
    err.split(|c: char| c.is_whitespace() || c == '\'' || c == '`' || c == '"')
        .find(|w| w.ends_with(".lock") && w.contains(".git"))
        .map(|w| w.trim_end_matches([':', ',', ';', ')']).to_string())
}

/// Runs `args` to completion in a copy of `files` outside Git: the new version of every file
/// the write changes.
fn reference_run(
    repo: &TestRepo,
    files: &BTreeMap<String, Vec<u8>>,
    args: &[String],
) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files {
        if rel.starts_with(".git/") {
            continue;
        }
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let out = cairn_in(dir.path(), repo).args(args).output().unwrap();
    assert!(
        out.status.success() || benign(&stderr(&out)),
        "reference run of {args:?}: {}",
        stderr(&out)
    );
    snapshot(dir.path()).0
}

/// When to kill: a delay after the start, or a delay after the write has begun (polled: the
/// first temporary file of the write appears in one of these folders).
enum Trigger<'a> {
    Start,
    WriteBegun(&'a [PathBuf]),
}

fn write_begun(dirs: &[PathBuf]) -> bool {
    dirs.iter().any(|d| {
        fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".cairn-tmp"))
    })
}

/// Starts `args` and kills it with SIGKILL `delay` after `trigger` unless it ended first
/// (polled, so a process that is done is not waited for). Returns the output and whether it
/// was killed.
fn run_and_kill(
    repo: &TestRepo,
    args: &[String],
    trigger: Trigger,
    delay: Duration,
) -> (Output, Option<Duration>, bool) {
    let mut child = cairn_in(repo.path(), repo)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut start = match trigger {
        Trigger::Start => Some(Instant::now()),
        Trigger::WriteBegun(_) => None,
    };
    loop {
        if child.try_wait().unwrap().is_some() {
            let since = start.map(|s| s.elapsed());
            return (child.wait_with_output().unwrap(), since, false);
        }
        if let (None, Trigger::WriteBegun(dirs)) = (start, &trigger) {
            if write_begun(dirs) {
                start = Some(Instant::now());
            }
        }
        if start.is_some_and(|s| s.elapsed() >= delay) {
            // SIGKILL; an error means it ended just now, which the status below shows.
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            let killed = out.status.signal() == Some(9);
            return (out, None, killed);
        }
        std::thread::yield_now();
    }
}

/// How long one write takes here, so kills land anywhere in it.
fn calibrate(repo: &TestRepo) -> Duration {
    let mut longest = Duration::from_millis(2);
    for args in [["status", "7", "deprecated"], ["status", "7", "accepted"]] {
        let start = Instant::now();
        let out = cairn(repo, &args);
        assert!(out.status.success(), "{}", stderr(&out));
        longest = longest.max(start.elapsed());
    }
    longest + longest / 5
}

/// Checks that every file changed by an interrupted write is its old or its new version.
fn check_not_torn(
    repo: &TestRepo,
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    args: &[String],
) -> usize {
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    if changed.is_empty() {
        return 0;
    }
    let new = reference_run(repo, before, args);
    for rel in &changed {
        if *rel == ".git/cairn-undo.json" {
            let bytes = &after[*rel];
            assert!(
                serde_json::from_slice::<serde_json::Value>(bytes).is_ok(),
                "{args:?}: torn undo journal: {}",
                String::from_utf8_lossy(bytes)
            );
            continue;
        }
        assert!(
            after.get(*rel) == new.get(*rel),
            "{args:?}: {rel} is neither its old nor its new version:\n{}",
            String::from_utf8_lossy(after.get(*rel).map_or(&[][..], |b| b))
        );
    }
    changed.len()
}

/// What the next write after a kill met: success, a refusal of its own, or a lock Git left
/// behind, which the error must name with the command that removes it.
fn next_write_after_a_kill(repo: &TestRepo, args: &[String], locks: &mut usize) {
    let out = cairn_in(repo.path(), repo).args(args).output().unwrap();
    if out.status.success() {
        return;
    }
    let err = stderr(&out);
    if benign(&err) {
        return;
    }
    let lock = named_lock(&err).unwrap_or_else(|| panic!("{args:?} after a kill: {err}"));
    assert!(
        err.contains(&format!("rm {lock}")) || err.contains(&format!("rm '{lock}'")),
        "{args:?}: the error names {lock} but not the command to remove it: {err}"
    );
    *locks += 1;
    fs::remove_file(repo.path().join(&lock))
        .or_else(|_| fs::remove_file(&lock))
        .unwrap_or_else(|e| panic!("{lock}: {e}"));
    let out = cairn_in(repo.path(), repo).args(args).output().unwrap();
    assert!(
        out.status.success() || benign(&stderr(&out)),
        "{args:?} after removing {lock}: {}",
        stderr(&out)
    );
}

fn git(repo: &TestRepo, args: &[&str]) -> Output {
    let mut cmd = Command::new("git");
    cmd.current_dir(repo.path()).args(args);
    for (k, v) in repo.git_env() {
        cmd.env(k, v);
    }
    cmd.output().expect("run git")
}

fn assert_fsck_clean(repo: &TestRepo) {
    let out = git(repo, &["fsck", "--full", "--no-dangling"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(out.status.success(), "git fsck: {text}");
    for bad in ["error", "missing", "broken", "corrupt", "invalid"] {
        assert!(!text.contains(bad), "git fsck: {text}");
    }
}

#[test]
fn kill_nine_never_leaves_a_torn_file() {
    let repo = demo();
    let cards = card_ids(&repo);
    assert!(cards.len() > 20, "{cards:?}");
    let writes = env_number("CAIRN_FAULT_WRITES", 150) as usize;
    let mut rng = Rng(env_number("CAIRN_FAULT_SEED", 0x5eed_ca1e_u64) | 1);
    let longest = calibrate(&repo);
    let watched = [repo.path().join("decisions"), repo.path().join("scope")];
    let mut write_phase = 20_000u64;
    let (mut kills, mut changed_by_killed, mut torn_checked, mut locks) = (0, 0, 0, 0);
    for i in 0..writes {
        let args = random_write(&mut rng, &cards, i);
        let (before, _) = snapshot(repo.path());
        // A third of the kills land anywhere in the run; the others while the write is under
        // way (files staged and flushed, renamed, the commit made), where a tear could happen.
        let (trigger, delay) = if rng.below(3) == 0 {
            (Trigger::Start, rng.below(longest.as_micros() as u64 + 1))
        } else {
            (Trigger::WriteBegun(&watched), rng.below(write_phase + 1))
        };
        let (out, phase, killed) =
            run_and_kill(&repo, &args, trigger, Duration::from_micros(delay));
        if let Some(phase) = phase.filter(|_| out.status.success()) {
            // How long staging, renaming and committing take here, lately.
            write_phase = (write_phase * 3 + phase.as_micros() as u64 * 6 / 5) / 4;
        }
        if !killed {
            let err = stderr(&out);
            assert!(
                out.status.success() || benign(&err) || named_lock(&err).is_some(),
                "{args:?}: {err}"
            );
            if named_lock(&err).is_some() {
                // A kill before this one left a lock: the same rule as after a kill.
                next_write_after_a_kill(&repo, &args, &mut locks);
            }
            continue;
        }
        kills += 1;
        let (after, _) = snapshot(repo.path());
        let n = check_not_torn(&repo, &before, &after, &args);
        torn_checked += n;
        changed_by_killed += usize::from(n > 0);
        let next = random_write(&mut rng, &cards, i + writes);
        next_write_after_a_kill(&repo, &next, &mut locks);
    }
    let (_, leftovers) = snapshot(repo.path());
    eprintln!(
        "{writes} writes, {kills} killed (longest write {longest:?}), {changed_by_killed} \
         killed after changing files ({torn_checked} files checked), {locks} lock(s) left \
         by Git, {} temporary file(s) left",
        leftovers.len()
    );
    assert!(kills > writes / 4, "too few kills landed: {kills}");
    assert_fsck_clean(&repo);
    // After all that, a write still works, under the same rule as every write after a kill:
    // the last kill may have left a Git lock that a no-op write after it (refused before
    // Git, as "nothing to change") never met, so this write names it, and works once it is
    // removed.
    let storm = ["new", "After", "the", "storm"].map(String::from);
    next_write_after_a_kill(&repo, &storm, &mut locks);
    let landed = fs::read_dir(repo.path().join("decisions"))
        .unwrap()
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with("-after-the-storm.md")
        });
    assert!(landed, "the write after the storm did not land");
}

/// The lock files Git leaves when it is killed: the next write names the file and says how to
/// remove it, writes nothing, and works once it is removed.
#[test]
fn a_lock_left_by_git_is_reported_with_what_to_do() {
    let repo = demo();
    let file = "decisions/0007-take-card-payments-with-stripe.md";
    for lock in [
        ".git/index.lock",
        ".git/refs/heads/main.lock",
        ".git/HEAD.lock",
    ] {
        fs::write(repo.path().join(lock), "").unwrap();
        let before = repo.read(file);
        let head = repo.head();
        let out = cairn(&repo, &["status", "7", "deprecated"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{lock}: the write went through");
        assert!(err.contains(lock), "{lock}: {err}");
        let full = repo.path().join(lock);
        assert!(
            err.contains(&format!("rm {}", full.display())),
            "{lock}: {err}"
        );
        assert_eq!(repo.read(file), before, "{lock}: nothing is written");
        assert_eq!(repo.head(), head, "{lock}: no commit");
        fs::remove_file(repo.path().join(lock)).unwrap();
        let out = cairn(&repo, &["status", "7", "deprecated"]);
        assert!(out.status.success(), "{lock} removed: {}", stderr(&out));
        let out = cairn(&repo, &["status", "7", "accepted"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(repo.status().is_empty(), "{:?}", repo.status());
}

/// The desktop's save (the same core calls `save_decision` makes: read with a stamp, then
/// `changes::save_text`) racing `cairn status` on the same file, many times at varied
/// offsets: never both applied over each other, nothing lost, disk and HEAD agree.
#[test]
fn desktop_save_racing_the_cli_loses_nothing() {
    let repo = demo();
    let ws = Workspace::discover(repo.path()).unwrap();
    let file = "0007-take-card-payments-with-stripe.md";
    let rel = format!("decisions/{file}");
    let path = repo.path().join(&rel);
    let mut rng = Rng(0xdead_beef);
    let longest = calibrate(&repo);
    let (mut both, mut one_conflict) = (0, 0);
    for i in 0..40 {
        let (bytes, stamp) = store::read(&path).unwrap();
        let status = if String::from_utf8_lossy(&bytes).contains("status: accepted") {
            "deprecated"
        } else {
            "accepted"
        };
        let marker = format!("Desktop edit {i}.");
        let text = format!(
            "{}\n{marker}\n",
            String::from_utf8(bytes).unwrap().trim_end()
        );
        let mut cli = cairn_in(repo.path(), &repo)
            .args(["--json", "status", "7", status])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let delay = Duration::from_micros(rng.below(longest.as_micros() as u64 + 1));
        let start = Instant::now();
        while start.elapsed() < delay && cli.try_wait().unwrap().is_none() {
            std::thread::yield_now();
        }
        let desktop = changes::save_text(&ws, file, &text, &stamp);
        let cli = cli.wait_with_output().unwrap();
        let cli_err = stderr(&cli);
        let on_disk = fs::read_to_string(&path).unwrap();
        let status_line = format!("status: {status}");
        match (&desktop, cli.status.success()) {
            (Ok(_), true) => {
                both += 1;
                // One after the other: the later one saw the earlier one's change.
                assert!(on_disk.contains(&marker), "desktop edit lost: {on_disk}");
                assert!(on_disk.contains(&status_line), "status lost: {on_disk}");
            }
            (Ok(_), false) => {
                one_conflict += 1;
                assert!(cli_err.contains("\"conflict\""), "cli: {cli_err}");
                assert!(on_disk.contains(&marker), "{on_disk}");
                assert!(!on_disk.contains(&status_line), "{on_disk}");
            }
            (Err(e), true) => {
                one_conflict += 1;
                assert_eq!(e.kind(), "conflict", "desktop: {e}");
                assert!(on_disk.contains(&status_line), "{on_disk}");
                assert!(!on_disk.contains(&marker));
            }
            (Err(e), false) => panic!("both refused: desktop {e}; cli {cli_err}"),
        }
        assert_eq!(
            repo.head_blob(&rel).as_deref(),
            Some(on_disk.as_bytes()),
            "round {i}: the winner's content is committed"
        );
    }
    eprintln!("{one_conflict} races ended in one conflict, {both} ran one after the other");
    assert!(repo.status().is_empty(), "{:?}", repo.status());
    assert_fsck_clean(&repo);
}

/// A write that hits the file-size limit (`ulimit -f`) half-way: a clear error, the old
/// file intact, no commit, no temporary file left.
#[test]
fn a_write_cut_off_by_the_file_size_limit_changes_nothing() {
    let repo = demo();
    let rel = "decisions/0007-take-card-payments-with-stripe.md";
    let before = repo.read(rel);
    assert!(before.len() > 2048, "the file must exceed the limit");
    let head = repo.head();
    let out = {
        let cmd = cairn_in(repo.path(), &repo);
        let prog = cmd.get_program().to_owned();
        let mut sh = Command::new("sh");
        sh.current_dir(repo.path());
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => sh.env(k, v),
                None => sh.env_remove(k),
            };
        }
        sh.arg("-c")
            .arg("ulimit -f 1; exec \"$0\" \"$@\"")
            .arg(prog)
            .args(["status", "7", "deprecated"])
            .output()
            .unwrap()
    };
    let err = stderr(&out);
    assert_eq!(
        out.status.signal(),
        None,
        "cairn was killed by a signal instead of reporting the error: {err}"
    );
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(rel) || err.contains("0007-take-card-payments-with-stripe.md"),
        "{err}"
    );
    assert!(err.to_lowercase().contains("too large"), "{err}");
    assert_eq!(repo.read(rel), before);
    assert_eq!(repo.head(), head);
    let (_, leftovers) = snapshot(repo.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(repo.status().is_empty(), "{:?}", repo.status());
}

/// Makes a folder read-only even for root (which ignores permission bits): with
/// `chattr +i` when running as root, else `chmod 555`. Undone on drop.
struct ReadOnly {
    dir: PathBuf,
    immutable: bool,
}

impl ReadOnly {
    fn new(dir: &Path) -> Option<ReadOnly> {
        let root = Command::new("id").arg("-u").output().ok()?.stdout == b"0\n";
        let ro = if root {
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
            ok.then(|| ReadOnly {
                dir: dir.to_path_buf(),
                immutable: true,
            })?
        } else {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).ok()?;
            ReadOnly {
                dir: dir.to_path_buf(),
                immutable: false,
            }
        };
        // Probe: if a file can still be created, the folder is not read-only here.
        let probe = dir.join(".probe");
        if fs::write(&probe, "").is_ok() {
            let _ = fs::remove_file(&probe);
            return None;
        }
        Some(ro)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o755));
        }
    }
}

/// A read-only decisions folder: each kind of write is refused with an error naming the
/// folder, nothing changes, no commit is made.
#[test]
fn a_read_only_decisions_folder_is_a_clear_error() {
    let repo = demo();
    let dir = repo.path().join("decisions");
    let (before, _) = snapshot(repo.path());
    let head = repo.head();
    let Some(_ro) = ReadOnly::new(&dir) else {
        eprintln!("skipped: cannot make a folder read-only here");
        return;
    };
    for args in [
        &["status", "7", "deprecated"][..],
        &["link", "7", "amends", "6"],
        &["move", "7", "later"],
        &["new", "Read", "only"],
    ] {
        let out = cairn(&repo, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&dir.display().to_string()), "{args:?}: {err}");
        let (after, leftovers) = snapshot(repo.path());
        assert_eq!(after, before, "{args:?}: nothing changes");
        assert!(leftovers.is_empty(), "{args:?}: {leftovers:?}");
        assert_eq!(repo.head(), head, "{args:?}: no commit");
    }
}

/// The search index damaged between two `cairn search` runs: the next search rebuilds it
/// and finds the same decisions.
#[test]
fn cli_search_rebuilds_a_damaged_index() {
    let repo = demo();
    let search = |repo: &TestRepo| {
        let out = cairn(repo, &["--json", "search", "stripe"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut numbers: Vec<u64> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h["number"].as_u64())
            .collect();
        numbers.sort();
        numbers
    };
    let want = search(&repo);
    assert!(want.contains(&7), "{want:?}");
    let index_root = repo.home().join(".cache");
    let damage: [(&str, Harm); 4] = [
        ("delete the folder", |d| fs::remove_dir_all(d).unwrap()),
        ("truncate every file", |d| {
            for f in files_under(d) {
                fs::write(f, b"").unwrap();
            }
        }),
        ("garble every file", |d| {
            for f in files_under(d) {
                let mut b = fs::read(&f).unwrap();
                for (i, x) in b.iter_mut().enumerate() {
                    *x ^= (i as u8).wrapping_mul(31) | 1;
                }
                fs::write(f, b).unwrap();
            }
        }),
        ("delete meta.json", |d| {
            for f in files_under(d) {
                if f.file_name().is_some_and(|n| n == "meta.json") {
                    fs::remove_file(f).unwrap();
                }
            }
        }),
    ];
    for (what, harm) in damage {
        let dirs = index_dirs(&index_root);
        assert_eq!(dirs.len(), 1, "{what}: {dirs:?}");
        harm(&dirs[0]);
        assert_eq!(search(&repo), want, "after: {what}");
    }
}

/// A way to damage the index folder.
type Harm = fn(&Path);

/// The index folders under a cache folder: those holding a `meta.json` or Cairn's manifest.
fn index_dirs(cache: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = files_under(cache)
        .into_iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n == "cairn-index.json" || n == "meta.json")
        })
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    out.sort();
    out.dedup();
    out
}
