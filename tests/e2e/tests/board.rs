//! The Now vs. Later board end to end, in the real window: drag a card from Inbox to Now,
//! keyboard moves and undo, quick add, due cards, suggestions, filters and the story map, a
//! workshop and its exported outcome, an outside edit showing on the board, and a move
//! over a map that changed on disk being refused. Each test starts the app on its own copy of
//! the demo workspace; they run one at a time (each has its own Xvfb and WebKit).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cairn_e2e::{demo_copy, git, keys, App, Session};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The demo's "today" for these tests: the recurring-invoices card (revisit by 2026-06-30) is
/// due.
const TODAY: &str = "2026-07-01";
const MAP: &str = "scope/ledgerly-mvp.md";

fn start(env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, App) {
    let home = tempfile::tempdir().unwrap();
    let ws = demo_copy(home.path(), &[]);
    let mut all = vec![("CAIRN_DATE", TODAY)];
    all.extend_from_slice(env);
    let app = App::start_with_env(home.path(), ws.clone(), &all);
    let s = &app.session;
    s.wait("[data-testid=decision-row]");
    s.click_css("[data-testid=screen-board]");
    s.wait("[data-testid=board-item][data-card-id=c-001]");
    (home, ws, app)
}

fn item(id: &str) -> String {
    format!("[data-testid=board-item][data-card-id=\"{id}\"]")
}

/// The column a card shows in on the board (`now`, …), if it shows.
fn column_on_board(s: &Session, id: &str) -> Option<String> {
    s.exec(&format!(
        "const e = document.querySelector('[data-testid=board-item][data-card-id=\"{id}\"]'); \
         return e ? e.closest('[data-testid^=column-]').dataset.testid.slice(7) : null"
    ))
    .as_str()
    .map(str::to_string)
}

fn wait_column(s: &Session, id: &str, column: &str) {
    s.wait_until(&format!("{id} in {column} on the board"), || {
        (column_on_board(s, id).as_deref() == Some(column)).then_some(())
    });
}

/// The `##` slice a card sits under in the map file on disk.
fn slice_on_disk(ws: &Path, id: &str) -> Option<String> {
    let text = std::fs::read_to_string(ws.join(MAP)).unwrap();
    let mut slice = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            slice = Some(h.trim().to_string());
        }
        if line.trim_end().ends_with(&format!("^{id}")) {
            return slice;
        }
    }
    None
}

fn wait_disk(s: &Session, ws: &Path, id: &str, slice: &str) {
    s.wait_until(&format!("{id} under ## {slice} on disk"), || {
        (slice_on_disk(ws, id).as_deref() == Some(slice)).then_some(())
    });
}

fn last_commit(ws: &Path) -> String {
    git(ws, &["log", "-1", "--format=%s"]).trim().to_string()
}

fn wait_commit(s: &Session, ws: &Path, subject: &str) {
    s.wait_until(&format!("the commit {subject:?}"), || {
        last_commit(ws).starts_with(subject).then_some(())
    });
}

/// The files the last commit touched.
fn last_commit_files(ws: &Path) -> Vec<String> {
    git(ws, &["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn focus_card(s: &Session, id: &str) {
    let e = s.wait(&item(id));
    s.focus(&e);
    s.wait_until(&format!("{id} focused"), || {
        (s.exec("return document.activeElement && document.activeElement.dataset.cardId || null")
            .as_str()
            == Some(id))
        .then_some(())
    });
}

fn toast(s: &Session) -> String {
    s.find_all("[data-testid=toast]")
        .first()
        .map(|t| s.text(t))
        .unwrap_or_default()
}

#[test]
fn drag_a_card_from_inbox_to_now() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_home, ws, app) = start(&[]);
    let s = &app.session;
    assert_eq!(column_on_board(s, "c-022").as_deref(), Some("inbox"));
    // Now holds 10 of at most 10 before the drop.
    s.wait_text(
        "[data-testid=column-now] [data-testid=column-limit]",
        "10 / 10",
    );
    s.shot("board");

    let card = s.wait(&item("c-022"));
    let target = s.wait("[data-testid=zone-now]");
    s.drag(&card, &target, (0, 40));
    wait_column(s, "c-022", "now");
    wait_disk(s, &ws, "c-022", "Now");
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-022 to now");
    assert_eq!(
        last_commit_files(&ws),
        [MAP],
        "the commit touches only the map"
    );
    assert_eq!(
        git(&ws, &["status", "--porcelain"]),
        "",
        "nothing left uncommitted"
    );
    // Eleven cards in a slice limited to ten: the column is marked.
    s.wait_text(
        "[data-testid=column-now] [data-testid=column-limit]",
        "11 / 10 in ledgerly-mvp · over limit",
    );
    let over = s.exec("return document.querySelector('[data-testid=column-now]').dataset.over");
    assert_eq!(over.as_str(), Some("true"));
}

#[test]
fn keyboard_moves_undo_quick_add_due_suggestions_filters_and_story_map() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_home, ws, app) = start(&[]);
    let s = &app.session;

    // Keyboard alone: select Dark mode and press 3 (Later).
    focus_card(s, "c-024");
    s.chord(&[], &["3"]);
    wait_column(s, "c-024", "later");
    wait_disk(s, &ws, "c-024", "Later");
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-024 to later");
    assert_eq!(last_commit_files(&ws), [MAP]);

    // Ctrl+Z undoes it through the core's journal, as a commit, and the board shows it.
    s.chord(&[keys::CONTROL], &["z"]);
    wait_column(s, "c-024", "inbox");
    wait_disk(s, &ws, "c-024", "Inbox");
    wait_commit(s, &ws, "Undo: Scope ledgerly-mvp: move c-024 to later");

    // Alt+Right moves a column right; Alt+Up moves up within the column.
    focus_card(s, "c-024");
    s.chord(&[keys::ALT], &[keys::ARROW_RIGHT]);
    wait_column(s, "c-024", "now");
    wait_disk(s, &ws, "c-024", "Now");
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-024 to now");
    let order = |s: &Session| -> Vec<String> {
        s.exec(
            "return [...document.querySelectorAll('[data-testid=column-now] [data-testid=board-item]')].map(e => e.dataset.cardId)",
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
    };
    // Cards of the map first, then decisions: c-024 lands after the last card.
    let before = s.wait_until("c-024 after the map's cards", || {
        let o = order(s);
        let at = o.iter().position(|x| x == "c-024")?;
        (at > 0 && o[at - 1].starts_with("c-") && !o.get(at + 1)?.starts_with("c-")).then_some(o)
    });
    let at = before.iter().position(|x| x == "c-024").unwrap();
    s.wait_until("the move to settle", || {
        (s.exec("return document.activeElement && document.activeElement.dataset.cardId || null")
            .as_str()
            == Some("c-024"))
        .then_some(())
    });
    s.chord(&[keys::ALT], &[keys::ARROW_UP]);
    let above = before[at - 1].clone();
    wait_commit(
        s,
        &ws,
        &format!("Scope ledgerly-mvp: move c-024 to now (before {above})"),
    );
    let text = std::fs::read_to_string(ws.join(MAP)).unwrap();
    assert!(
        text.find("^c-024").unwrap() < text.find(&format!("^{above}")).unwrap(),
        "c-024 now precedes {above} in the file"
    );
    s.wait_until("the board to show the new order", || {
        let now = order(s);
        let i = now.iter().position(|x| x == "c-024")?;
        (now.get(i + 1) == Some(&above)).then_some(())
    });

    // Decisions are cards too: one with front matter moves by its `scope` key.
    let adr = ws.join("decisions/0012-deploy-to-a-single-managed-container-host.md");
    assert_eq!(column_on_board(s, "0012").as_deref(), Some("inbox"));
    focus_card(s, "0012");
    s.chord(&[], &["3"]);
    wait_column(s, "0012", "later");
    wait_commit(s, &ws, "ADR 0012: scope inbox → later");
    assert!(std::fs::read_to_string(&adr)
        .unwrap()
        .contains("\nscope: later"));
    // An adr-tools record has no front matter to keep a place in: refused, clearly, and
    // nothing is written.
    let nygard = ws.join("decisions/0001-record-architecture-decisions.md");
    let original = std::fs::read_to_string(&nygard).unwrap();
    let commits = git(&ws, &["rev-list", "--count", "HEAD"]);
    focus_card(s, "0001");
    s.chord(&[], &["2"]);
    s.wait_until("the refusal", || {
        toast(s).contains("has no front matter").then_some(())
    });
    wait_column(s, "0001", "inbox");
    assert_eq!(std::fs::read_to_string(&nygard).unwrap(), original);
    assert_eq!(git(&ws, &["rev-list", "--count", "HEAD"]), commits);

    // Quick add: a title and Enter in the Later column.
    let add = s.wait("[data-testid=quick-add-later]");
    s.type_into(&add, &format!("Invoice reminders by SMS{}", keys::ENTER));
    s.wait_text("[data-testid=column-later]", "Invoice reminders by SMS");
    wait_commit(
        s,
        &ws,
        "Scope ledgerly-mvp: add c-026 \"Invoice reminders by SMS\"",
    );
    wait_disk(s, &ws, "c-026", "Later");

    // A due card stands out, and the toolbar counts it.
    let due = s.wait(&format!("{} [data-testid=due-badge]", item("c-011")));
    assert_eq!(s.text(&due).to_lowercase(), "due");
    s.wait_text("[data-testid=due-count]", "due for a revisit");
    let revisit = s.wait(&format!("{} [data-testid=card-revisit]", item("c-011")));
    let revisit = s.text(&revisit);
    assert!(
        revisit.contains("10 beta users ask for it") && revisit.contains("2026-06-30"),
        "{revisit}"
    );

    // A suggestion on an unsorted card, with its reason; accepting it is a move.
    let reason = s.wait(&format!(
        "{} [data-testid=suggestion-reason]",
        item("c-023")
    ));
    assert!(
        s.text(&reason).contains("monitoring"),
        "{}",
        s.text(&reason)
    );
    s.click_css(&format!(
        "{} [data-testid=accept-suggestion]",
        item("c-023")
    ));
    wait_column(s, "c-023", "now");
    wait_disk(s, &ws, "c-023", "Now");
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-023 to now");

    // Filter by activity: only that activity's cards stay.
    s.exec(
        "const f = document.querySelector('[data-testid=board-filter-activity]'); \
         f.value = 'Get paid'; f.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    );
    s.wait_until("the activity filter", || {
        let acts = s.exec(
            "return [...document.querySelectorAll('[data-testid=board-item]')].map(e => { \
               const a = e.querySelector('[data-testid=card-activity]'); return a ? a.textContent : ''; })",
        );
        let acts = acts.as_array()?.clone();
        (!acts.is_empty() && acts.iter().all(|a| a.as_str() == Some("Get paid"))).then_some(())
    });
    s.exec(
        "const f = document.querySelector('[data-testid=board-filter-activity]'); \
         f.value = ''; f.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    );
    // Filter by map (the demo has one).
    s.exec(
        "const f = document.querySelector('[data-testid=board-filter-map]'); \
         f.value = 'ledgerly-mvp'; f.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    );
    s.wait_until("the map filter", || {
        let n = s
            .exec("return document.querySelectorAll('[data-testid=board-item]').length")
            .as_u64()?;
        (n == 26).then_some(())
    });

    // The story map: the same cards, activities across, slices down.
    s.click_css("[data-testid=layout-story]");
    s.wait("[data-testid=story-map]");
    let acts: Vec<String> = s
        .find_all("[data-testid=story-activity]")
        .iter()
        .map(|e| s.text(e))
        .collect();
    assert_eq!(
        acts[..5],
        ["Sign up", "Create invoice", "Send", "Get paid", "Track"]
    );
    let n = s.find_all("[data-testid=story-item]").len();
    assert_eq!(n, 26, "every card of the map");
    let cell = s.exec(
        "const e = document.querySelector('[data-testid=story-item][data-card-id=c-008]').closest('[data-testid=story-cell]'); \
         return e.dataset.row + '/' + e.dataset.activity",
    );
    assert_eq!(cell.as_str(), Some("now/Get paid"));
    s.shot("board-story-map");
    // Keys move cards there too.
    let e = s.wait("[data-testid=story-item][data-card-id=c-010]");
    s.focus(&e);
    s.chord(&[], &["3"]);
    wait_disk(s, &ws, "c-010", "Later");
    s.wait_until("c-010 in the Later row", || {
        s.exec(
            "const e = document.querySelector('[data-testid=story-item][data-card-id=c-010]'); \
             return e && e.closest('[data-testid=story-cell]').dataset.row",
        )
        .as_str()
        .filter(|r| *r == "later")
        .map(|_| ())
    });
    assert_eq!(git(&ws, &["status", "--porcelain"]), "");
}

#[test]
fn a_workshop_exports_its_outcome() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_home, ws, app) = start(&[]);
    let s = &app.session;
    s.exec(
        "const f = document.querySelector('[data-testid=board-filter-map]'); \
         f.value = 'ledgerly-mvp'; f.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    );
    s.click_css("[data-testid=workshop-start]");
    s.wait("[data-testid=workshop-bar]");
    let timer = s.wait("[data-testid=workshop-timer]");
    let t0 = s.text(&timer);
    assert_eq!(t0.trim(), "00:00");
    s.wait_until("the timer to run", || {
        (s.text(&timer).trim() != t0.trim()).then_some(())
    });

    focus_card(s, "c-022");
    s.chord(&[], &["2"]);
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-022 to now");
    focus_card(s, "c-025");
    s.chord(&[], &["3"]);
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-025 to later");
    focus_card(s, "c-019");
    s.chord(&[], &["3"]);
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-019 to later");
    s.shot("workshop");

    s.click_css("[data-testid=workshop-end]");
    s.wait("[data-testid=workshop-outcome]");
    let path = s.text(&s.wait("[data-testid=workshop-outcome-path]"));
    let file = ws.join(format!("scope/workshops/{TODAY}-ledgerly-mvp.md"));
    assert_eq!(
        std::fs::canonicalize(path.trim()).unwrap(),
        file.canonicalize().unwrap()
    );
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(md.starts_with("# Workshop outcome: ledgerly-mvp\n"), "{md}");
    assert!(
        md.contains("3 cards sorted: 1 to Now, 2 to Later, 0 to Won't."),
        "{md}"
    );
    assert!(
        md.contains("## Went Now (1)\n\n- **Sign in with Google** (c-022) · Sign up — from Inbox"),
        "{md}"
    );
    assert!(md.contains("## Went Later, and why (2)"), "{md}");
    assert!(
        md.contains("- **Native iOS and Android apps** (c-019) — from Won't\n  - why: the web app works on phones; nobody in the beta asked for an app\n"),
        "{md}"
    );
    assert!(md.contains("no revisit trigger yet"), "{md}");
    assert_eq!(
        last_commit(&ws),
        format!("Workshop outcome: {TODAY}-ledgerly-mvp.md")
    );
    s.wait_text("[data-testid=workshop-outcome-html]", "Went Later, and why");
    s.shot("workshop-outcome");
    s.click_css("[data-testid=workshop-done]");
    s.wait_until("workshop mode to end", || {
        s.find_all("[data-testid=workshop-bar]")
            .is_empty()
            .then_some(())
    });
}

#[test]
fn an_outside_edit_shows_on_the_board() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_home, ws, app) = start(&[]);
    let s = &app.session;
    let text = std::fs::read_to_string(ws.join(MAP)).unwrap();
    // Another editor renames a card and moves Dark mode to Won't.
    let block = "- [ ] Dark mode ^c-024\n  - activity: Track\n";
    let edited = text
        .replace(block, "")
        .replace("## Won't\n\n", &format!("## Won't\n\n{block}"))
        .replace(
            "Built-in time tracking",
            "Built-in time tracking (edited outside)",
        );
    assert_ne!(edited, text);
    std::fs::write(ws.join(MAP), &edited).unwrap();
    // How soon it shows is a benchmark's business (board_bench.rs); this waits for it.
    s.wait_until("the outside edit to show on the board", || {
        let ok = s.exec(
            "const d = document.querySelector('[data-testid=board-item][data-card-id=c-024]'); \
             const t = document.querySelector('[data-testid=board-item][data-card-id=c-020]'); \
             return !!d && d.closest('[data-testid^=column-]').dataset.testid === 'column-wont' \
               && !!t && t.textContent.includes('(edited outside)')",
        );
        (ok.as_bool() == Some(true)).then_some(())
    });
}

#[test]
fn a_move_over_a_map_changed_on_disk_is_refused() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    // A watcher that waits ten minutes, so the move surely comes before the board hears of
    // the change, and whatever reloads the board below is the refusal, not the watcher.
    let (_home, ws, app) = start(&[("CAIRN_WATCH_DEBOUNCE_MS", "600000")]);
    let s = &app.session;
    let commits = git(&ws, &["rev-list", "--count", "HEAD"]);
    focus_card(s, "c-024");
    let text = std::fs::read_to_string(ws.join(MAP)).unwrap();
    let edited = text.replace(
        "Email and password sign-up",
        "Email sign-up (edited outside)",
    );
    std::fs::write(ws.join(MAP), &edited).unwrap();
    s.chord(&[], &["2"]);
    s.wait_until("the refusal", || {
        toast(s).contains("changed on disk").then_some(())
    });
    let message = toast(s);
    assert!(
        message.contains("ledgerly-mvp.md changed on disk")
            && message.contains("nothing was written"),
        "{message}"
    );
    // Nothing was written or committed: the outside edit stands, the card did not move.
    assert_eq!(std::fs::read_to_string(ws.join(MAP)).unwrap(), edited);
    assert_eq!(git(&ws, &["rev-list", "--count", "HEAD"]), commits);
    // The board reloaded from disk (the watcher would not have for ten minutes).
    wait_column(s, "c-024", "inbox");
    s.wait_text(&item("c-001"), "Email sign-up (edited outside)");
    // The same move now goes through, against the map as it is.
    focus_card(s, "c-024");
    s.chord(&[], &["2"]);
    wait_commit(s, &ws, "Scope ledgerly-mvp: move c-024 to now");
    wait_disk(s, &ws, "c-024", "Now");
}

/// Sets a `<select>` the way a user's choice does: its value, then the `change` event the
/// component listens to.
fn choose(s: &Session, css: &str, value: &str) {
    s.wait(css);
    s.exec(&format!(
        "const e = document.querySelector('{css}'); e.value = {value:?}; \
         e.dispatchEvent(new Event('change', {{ bubbles: true }})); return null"
    ));
}

/// A CSV typed into the import dialog: the preview shows the new cards, the one the map
/// already has and the activity column's values before anything is written; Import is one
/// commit touching only the map; Ctrl+Z takes all the cards back in one step.
#[test]
fn import_cards_with_a_preview_one_commit_and_one_undo() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_home, ws, app) = start(&[]);
    let s = &app.session;
    let before = git(&ws, &["rev-list", "--count", "HEAD"]);
    let original = std::fs::read_to_string(ws.join(MAP)).unwrap();

    s.chord(&[], &["i"]);
    let text = s.wait("[data-testid=import-text]");
    // Typed line by line: WebKit's driver drops a "\n" inside the text; Enter is the key.
    let csv = "Summary,Epic\nDark mode,Track\nBulk invoice upload,Create invoice\nReminder emails,Get paid";
    s.type_into(&text, &csv.replace('\n', keys::ENTER));
    s.wait_text(
        "[data-testid=import-summary]",
        "2 new cards for ledgerly-mvp / Inbox; 1 already on the map",
    );
    choose(s, "[data-testid=import-activity]", "Epic");
    s.wait_text("[data-testid=import-preview]", "activity: Create invoice");
    let rows = s.find_all("[data-testid=import-row]");
    assert_eq!(rows.len(), 3);
    assert!(s.text(&rows[0]).contains("already on the map"));
    s.shot("import-preview");
    assert_eq!(
        git(&ws, &["rev-list", "--count", "HEAD"]),
        before,
        "the preview writes nothing"
    );
    assert_eq!(std::fs::read_to_string(ws.join(MAP)).unwrap(), original);

    s.click_css("[data-testid=import-confirm]");
    wait_commit(s, &ws, "Scope ledgerly-mvp: import 2 cards into Inbox");
    assert_eq!(last_commit_files(&ws), [MAP]);
    wait_column(s, "c-026", "inbox");
    wait_column(s, "c-027", "inbox");
    assert!(s.find_all("[data-testid=import-dialog]").is_empty());
    assert!(toast(s).contains("Imported 2 cards"), "{}", toast(s));
    let text = std::fs::read_to_string(ws.join(MAP)).unwrap();
    assert!(
        text.contains("- [ ] Bulk invoice upload ^c-026\n  - activity: Create invoice\n"),
        "{text}"
    );

    s.chord(&[keys::CONTROL], &["z"]);
    wait_commit(s, &ws, "Undo: Scope ledgerly-mvp: import 2 cards");
    s.wait_until("the imported cards gone from the board", || {
        s.find_all(&item("c-026")).is_empty().then_some(())
    });
    assert_eq!(std::fs::read_to_string(ws.join(MAP)).unwrap(), original);
}
