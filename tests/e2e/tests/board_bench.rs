//! Board figures for docs/benchmarks.md (ignored by default; run them on a release build):
//!
//! ```sh
//! npm --prefix ui run build && cargo build --release -p cairn-desktop
//! CAIRN_DESKTOP_BIN=$CARGO_TARGET_DIR/release/cairn-desktop \
//!   cargo test --release -p cairn-e2e --test board_bench -- --ignored --nocapture
//! ```
//!
//! A 500-card scope map (plus the demo's decisions, which are cards too). Render is timed in
//! the page from the `board_load` call to the animation frame after the cards were mounted
//! (so it includes the IPC and reading the map); a move from the keydown to the frame that
//! shows the card in its new column, and to the frame after the core's commit came back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::Duration;

use cairn_e2e::{demo_copy, App};

const CARDS: usize = 500;

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// A map of `n` cards over six activities: 40% Inbox, 25% Now, 25% Later, 10% Won't; every
/// fifth deferred card has a revisit trigger and date.
fn big_map(n: usize) -> String {
    let acts = [
        "Sign up",
        "Create invoice",
        "Send",
        "Get paid",
        "Track",
        "Admin",
    ];
    let mut out = format!(
        "---\nscope-map: big\nbackbone: [{}]\nslices: [Inbox, Now, Later, Won't]\nlimits: {{Now: 150}}\n---\n# Big\n",
        acts.join(", ")
    );
    let split = [
        ("Inbox", n * 40 / 100),
        ("Now", n * 25 / 100),
        ("Later", n * 25 / 100),
        ("Won't", n - n * 90 / 100),
    ];
    let mut id = 1;
    for (slice, count) in split {
        let _ = write!(out, "\n## {slice}\n\n");
        for _ in 0..count {
            let _ = writeln!(
                out,
                "- [ ] Card number {id} about invoices and payments ^c-{id:03}\n  - activity: {}",
                acts[id % acts.len()]
            );
            if slice != "Now" && id % 5 == 0 {
                let _ = writeln!(
                    out,
                    "  - revisit-when: {id} users ask for it\n  - revisit-by: 2027-0{}-15",
                    1 + id % 9
                );
            }
            id += 1;
        }
    }
    out
}

/// A mark the board left: its time, and when the work it marks began (`since`) and its data
/// arrived (`arrived`), where it says.
fn mark3(app: &App, key: &str) -> Option<(f64, f64, f64)> {
    let v = app.session.exec(&format!(
        "const m = window.__cairnBoard && window.__cairnBoard[{key:?}]; return m ? [m.t, m.since || 0, m.arrived || 0] : null"
    ));
    let a = v.as_array()?;
    Some((a[0].as_f64()?, a[1].as_f64()?, a[2].as_f64()?))
}

fn mark(app: &App, key: &str) -> Option<(f64, f64)> {
    mark3(app, key).map(|(t, since, _)| (t, since))
}

#[test]
#[ignore]
fn bench_board() {
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(home.path(), &[]);
    std::fs::remove_file(ws.join("scope/ledgerly-mvp.md")).unwrap();
    std::fs::write(ws.join("scope/big.md"), big_map(CARDS)).unwrap();
    cairn_e2e::git(&ws, &["add", "-A"]);
    cairn_e2e::git(&ws, &["commit", "-qm", "500 cards"]);
    let app = App::start(home.path(), ws.clone());
    let s = &app.session;
    s.wait("[data-testid=decision-row]");

    // Render: mount the board afresh, several times.
    let mut render = Vec::new();
    let mut fetch = Vec::new();
    let mut dom = Vec::new();
    for _ in 0..8 {
        s.exec("window.__cairnBoard = {}; return true;");
        s.click_css("[data-testid=screen-board]");
        let (t, since, arrived) = s.wait_until("the board painted", || mark3(&app, "rendered"));
        fetch.push(arrived - since);
        dom.push(t - arrived);
        let n = s
            .exec("return document.querySelectorAll('[data-testid=board-item]').length")
            .as_u64()
            .unwrap();
        assert!(n as usize >= CARDS, "{n} cards on the board");
        render.push(t - since);
        s.click_css("[data-testid=screen-decisions]");
        std::thread::sleep(Duration::from_millis(300));
    }
    s.click_css("[data-testid=screen-board]");
    s.wait("[data-testid=board-item][data-card-id=c-001]");
    std::thread::sleep(Duration::from_millis(500));

    // Moves: keyboard, Inbox cards to Now and Later in turn.
    s.exec(
        "window.addEventListener('keydown', () => { window.__cairnKeyAt = performance.now(); }, true); return true;",
    );
    let mut painted = Vec::new();
    let mut committed = Vec::new();
    let mut core = Vec::new();
    for i in 0..20 {
        let id = format!("c-{:03}", 2 + i * 7);
        let key = if i % 2 == 0 { "2" } else { "3" };
        let e = s.wait(&format!("[data-testid=board-item][data-card-id={id}]"));
        s.focus(&e);
        s.exec("window.__cairnBoard = {}; return true;");
        s.chord(&[], &[key]);
        let (moved, _) = s.wait_until("the move painted", || mark(&app, "moved"));
        let (done, sent, arrived) = s.wait_until("the commit painted", || mark3(&app, "committed"));
        core.push(arrived - sent);
        let key_at = s.exec("return window.__cairnKeyAt").as_f64().unwrap();
        painted.push(moved - key_at);
        committed.push(done - key_at);
        std::thread::sleep(Duration::from_millis(300));
    }
    let commits = cairn_e2e::git(&ws, &["rev-list", "--count", "HEAD"]);
    assert_eq!(commits.trim(), "22", "one commit per move");

    let line = |name: &str, v: &[f64]| {
        println!(
            "{name} ({} runs): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            v.len(),
            percentile(v.to_vec(), 0.5),
            percentile(v.to_vec(), 0.95),
            v.iter().cloned().fold(0.0, f64::max)
        )
    };
    line(
        &format!("board render, {CARDS} cards (load call to painted)"),
        &render,
    );
    line(
        "  of which board_load (IPC, maps read, board built)",
        &fetch,
    );
    line("  of which mounting the cards and painting", &dom);
    line("move, key to card painted in its new column", &painted);
    line("move, key to commit done and board repainted", &committed);
    line(
        "  of which board_apply (write, commit, board rebuilt)",
        &core,
    );
}
