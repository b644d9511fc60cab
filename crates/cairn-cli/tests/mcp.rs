//! `cairn mcp` driven by a real MCP client: rmcp, the official Rust SDK, on its client side,
//! starts `cairn mcp` as a child process and speaks the protocol over its stdin and stdout,
//! on the demo workspace in a real Git repository. The tests list and call every tool, read
//! resources and prompts, check the commits writes make, the read-only and conflict
//! refusals, bad input, and the notification a file changed on disk produces.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::time::Duration;

use cairn_testkit::TestRepo;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig,
    GetPromptRequestParams, Implementation, ProtocolVersion, ReadResourceRequestParams,
    ResourceContents, ServerNotification, SubscriptionFilter,
};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientLifecycleMode, ClientServiceExt, RoleClient, ServiceExt};
use serde_json::{json, Value};

const DATE: &str = "2026-11-21";
const AGENT: &str = "cairn-test-agent";

type Client = RunningService<RoleClient, ClientConfig>;

fn demo() -> TestRepo {
    let repo = TestRepo::new();
    repo.add_demo();
    repo
}

fn server(repo: &TestRepo, writes: bool) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_cairn"));
    cmd.arg("mcp")
        .current_dir(repo.path())
        .env("CAIRN_DATE", DATE)
        .env("CAIRN_CACHE_DIR", repo.home().join(".cache/cairn"));
    if writes {
        cmd.arg("--allow-writes");
    }
    for (k, v) in repo.git_env() {
        cmd.env(k, v);
    }
    cmd
}

fn agent() -> ClientConfig {
    ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new(AGENT, "1.2.3"),
    )
}

/// Connects with the `initialize` handshake, as most clients in use do.
async fn connect(repo: &TestRepo, writes: bool) -> Client {
    let transport = TokioChildProcess::new(server(repo, writes)).unwrap();
    agent().serve(transport).await.unwrap()
}

/// Connects with the 2026-07-28 `server/discover` lifecycle, which subscriptions need.
async fn connect_modern(repo: &TestRepo) -> Client {
    let transport = TokioChildProcess::new(server(repo, false)).unwrap();
    agent()
        .serve_with_lifecycle(
            transport,
            ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        )
        .await
        .unwrap()
}

async fn call(client: &Client, tool: &'static str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        panic!("arguments must be an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool).with_arguments(args))
        .await
        .unwrap()
}

/// A successful call's structured content, after checking it came with readable text too.
async fn ok(client: &Client, tool: &'static str, args: Value) -> Value {
    let r = call(client, tool, args).await;
    assert_ne!(r.is_error, Some(true), "{tool}: {:?}", r.content);
    let text = r
        .content
        .first()
        .and_then(|c| c.as_text())
        .map(|t| t.text.clone());
    assert!(
        text.is_some_and(|t| !t.trim().is_empty()),
        "{tool}: no text"
    );
    r.structured_content.expect("structured content")
}

/// A refused call's error kind.
async fn refused(client: &Client, tool: &'static str, args: Value) -> String {
    let r = call(client, tool, args).await;
    assert_eq!(
        r.is_error,
        Some(true),
        "{tool} was not refused: {:?}",
        r.content
    );
    let s = r.structured_content.expect("structured error");
    s["kind"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn every_tool_resource_and_prompt_is_listed_with_schemas() {
    let repo = demo();
    let client = connect(&repo, false).await;
    let info = client.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "cairn");
    assert!(info.instructions.as_ref().unwrap().contains("READ-ONLY"));

    let tools = client.list_all_tools().await.unwrap();
    let names: BTreeSet<_> = tools.iter().map(|t| t.name.to_string()).collect();
    let expected: BTreeSet<_> = [
        "search",
        "list",
        "get",
        "history",
        "lint",
        "toc",
        "graph",
        "create",
        "set_status",
        "link",
        "supersede",
        "board",
        "card_add",
        "card_move",
        "card_set",
        "due",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(names, expected);
    for t in &tools {
        assert!(t.output_schema.is_some(), "{} has no output schema", t.name);
        assert_eq!(
            t.input_schema.get("type"),
            Some(&json!("object")),
            "{}",
            t.name
        );
    }
    let get = tools.iter().find(|t| t.name == "get").unwrap();
    assert!(get.input_schema["properties"].get("decision").is_some());

    let resources = client.list_all_resources().await.unwrap();
    assert_eq!(resources.len(), 12);
    assert!(resources.iter().any(|r| r.uri == "cairn://decision/0007"));

    let prompts = client.list_all_prompts().await.unwrap();
    let names: BTreeSet<_> = prompts.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(
        names,
        ["check_change", "draft_decision", "sort_features"]
            .into_iter()
            .map(String::from)
            .collect()
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn the_read_tools_answer_as_the_cli_does() {
    let repo = demo();
    let client = connect(&repo, false).await;

    let hits = ok(
        &client,
        "search",
        json!({ "query": "stripe status:accepted" }),
    )
    .await;
    assert!(hits["total"].as_u64().unwrap() >= 1, "{hits}");
    assert!(hits["hits"]
        .to_string()
        .contains("0007-take-card-payments-with-stripe.md"));

    let list = ok(&client, "list", json!({ "status": "superseded" })).await;
    let files: Vec<_> = list["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "0003-generate-pdfs-in-the-browser.md",
            "0004-collect-payments-with-paypal-links.md"
        ]
    );
    assert!(files.iter().all(|f| !f.starts_with("0007")));

    let doc = ok(&client, "get", json!({ "decision": "3" })).await;
    assert!(doc["text"].as_str().unwrap().contains("PDF"));
    assert!(
        doc["version"].as_str().is_some_and(|v| v.len() == 40),
        "{}",
        doc["version"]
    );
    let backlinks = doc["backlinks"].as_array().unwrap();
    assert!(
        backlinks
            .iter()
            .any(|b| b["file_name"].as_str().unwrap().starts_with("0009")),
        "{backlinks:?}"
    );

    let history = ok(&client, "history", json!({ "decision": "7" })).await;
    let versions = history["history"]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1);
    let commit = versions[0]["commit"].as_str().unwrap().to_string();
    let diff = ok(
        &client,
        "history",
        json!({ "decision": "7", "from": commit, "to": "worktree" }),
    )
    .await;
    assert_eq!(diff["diff"], json!([]), "no change since the commit");

    let lint = ok(&client, "lint", json!({})).await;
    assert_eq!(lint["errors"], 0, "{lint}");
    let toc = ok(&client, "toc", json!({})).await;
    assert!(toc["text"]
        .as_str()
        .unwrap()
        .contains("Take card payments with Stripe"));
    let graph = ok(&client, "graph", json!({})).await;
    assert!(
        graph["text"].as_str().unwrap().contains("flowchart")
            || graph["text"].as_str().unwrap().contains("graph")
    );

    let board = ok(&client, "board", json!({})).await;
    assert_eq!(board["columns"].as_array().unwrap().len(), 4);
    let due = ok(&client, "due", json!({})).await;
    assert_eq!(due["today"], DATE);
    assert!(due["due"].is_array());

    let read = client
        .read_resource(ReadResourceRequestParams::new("cairn://decision/0007"))
        .await
        .unwrap();
    let ResourceContents::TextResourceContents { text, .. } = &read.contents[0] else {
        panic!("text resource expected")
    };
    assert!(text.contains("Stripe"));

    let prompt = client
        .get_prompt(
            GetPromptRequestParams::new("check_change").with_arguments(
                json!({ "change": "Move invoices to MongoDB" })
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .await
        .unwrap();
    let text = serde_json::to_string(&prompt.messages).unwrap();
    assert!(
        text.contains("Move invoices to MongoDB") && text.contains("Use PostgreSQL"),
        "{text}"
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_read_only_server_refuses_every_write_and_writes_nothing() {
    let repo = demo();
    let before = (repo.commit_count(), repo.status());
    let client = connect(&repo, false).await;
    let writes = [
        ("create", json!({ "title": "Use Redis" })),
        (
            "set_status",
            json!({ "decision": "7", "status": "deprecated" }),
        ),
        (
            "link",
            json!({ "source": "9", "relation": "amends", "target": "3" }),
        ),
        ("supersede", json!({ "decision": "9", "superseded": "3" })),
        (
            "card_add",
            json!({ "map": "ledgerly-mvp", "title": "Dark mode" }),
        ),
        ("card_move", json!({ "id": "8", "column": "now" })),
        (
            "card_set",
            json!({ "id": "8", "key": "revisit-by", "value": "2027-01-01" }),
        ),
    ];
    for (tool, args) in writes {
        assert_eq!(refused(&client, tool, args).await, "read-only", "{tool}");
    }
    client.cancel().await.unwrap();
    assert_eq!((repo.commit_count(), repo.status()), before);
}

#[tokio::test]
async fn each_write_is_one_commit_that_names_the_client() {
    let repo = demo();
    let client = connect(&repo, true).await;
    assert!(client
        .peer_info()
        .unwrap()
        .instructions
        .as_ref()
        .unwrap()
        .contains("WRITES ALLOWED"));
    let mut commits = repo.commit_count();
    let mut step = |what: &str, files: &[&str]| {
        commits += 1;
        assert_eq!(repo.commit_count(), commits, "{what}: one commit");
        let head = repo.head().unwrap();
        let message = repo.head_commit().unwrap().message().unwrap().to_string();
        assert!(
            message.ends_with(&format!("Via: cairn mcp ({AGENT} 1.2.3)\n"))
                || message.ends_with(&format!("Via: cairn mcp ({AGENT} 1.2.3)")),
            "{what}: {message:?}"
        );
        let mut touched = repo.files_in_commit(head);
        touched.sort();
        assert_eq!(touched, files, "{what}");
    };

    let created = ok(
        &client,
        "create",
        json!({ "title": "Cache invoices in Redis" }),
    )
    .await;
    assert!(created["path"]
        .as_str()
        .unwrap()
        .ends_with("0013-cache-invoices-in-redis.md"));
    step("create", &["decisions/0013-cache-invoices-in-redis.md"]);
    let text = repo.read("decisions/0013-cache-invoices-in-redis.md");
    assert!(
        text.to_lowercase().contains("proposed"),
        "created as proposed: {text}"
    );

    ok(
        &client,
        "set_status",
        json!({ "decision": "13", "status": "accepted" }),
    )
    .await;
    step("set_status", &["decisions/0013-cache-invoices-in-redis.md"]);
    ok(
        &client,
        "link",
        json!({ "source": "13", "relation": "amends", "target": "6" }),
    )
    .await;
    step(
        "link",
        &[
            "decisions/0006-use-postgresql-as-the-primary-store.md",
            "decisions/0013-cache-invoices-in-redis.md",
        ],
    );
    ok(
        &client,
        "supersede",
        json!({ "decision": "12", "superseded": "5" }),
    )
    .await;
    step(
        "supersede",
        &[
            "decisions/0005-build-a-modular-monolith-in-rust-and-typescript.md",
            "decisions/0012-deploy-to-a-single-managed-container-host.md",
        ],
    );
    let old = ok(&client, "get", json!({ "decision": "5" })).await;
    assert_eq!(
        old["decision"]["status"]["kind"], "superseded",
        "{}",
        old["decision"]["status"]
    );

    let added = ok(&client, "card_add", json!({ "map": "ledgerly-mvp", "title": "Dark mode", "slice": "Later", "fields": [{ "key": "revisit-when", "value": "users ask twice" }] })).await;
    let id = added["id"].as_str().unwrap().to_string();
    step("card_add", &["scope/ledgerly-mvp.md"]);
    ok(&client, "card_move", json!({ "id": id, "column": "now" })).await;
    step("card_move", &["scope/ledgerly-mvp.md"]);
    ok(
        &client,
        "card_set",
        json!({ "id": id, "key": "activity", "value": "Send" }),
    )
    .await;
    step("card_set", &["scope/ledgerly-mvp.md"]);

    // What the server wrote is what it searches and lists at once.
    let hits = ok(&client, "search", json!({ "query": "redis" })).await;
    assert!(hits["total"].as_u64().unwrap() >= 1);
    let board = ok(&client, "board", json!({})).await;
    assert!(board.to_string().contains("Dark mode"));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_write_to_a_file_changed_since_the_agent_read_it_is_a_conflict() {
    let repo = demo();
    let client = connect(&repo, true).await;
    let doc = ok(&client, "get", json!({ "decision": "7" })).await;
    let file = "decisions/0007-take-card-payments-with-stripe.md";
    let teammate = repo.read(file).replace("Stripe", "Stripe (EU entity)");
    repo.write(file, &teammate);
    repo.commit_all("a teammate's edit");
    let commits = repo.commit_count();

    assert_eq!(
        refused(
            &client,
            "set_status",
            json!({ "decision": "7", "status": "deprecated" })
        )
        .await,
        "conflict"
    );
    assert_eq!(repo.read(file), teammate, "the teammate's edit stands");
    assert_eq!(repo.commit_count(), commits);

    // Read again: now the agent knows the file as it is, and the write goes through.
    let again = ok(&client, "get", json!({ "decision": "7" })).await;
    assert_ne!(again["version"], doc["version"]);
    ok(
        &client,
        "set_status",
        json!({ "decision": "7", "status": "deprecated" }),
    )
    .await;
    assert_eq!(repo.commit_count(), commits + 1);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn bad_input_gets_an_error_with_its_kind_and_writes_nothing() {
    let repo = demo();
    let before = (repo.commit_count(), repo.status());
    let client = connect(&repo, true).await;
    let huge = "x".repeat(1 << 20);
    let stripe = "decisions/0007-take-card-payments-with-stripe.md";
    let cases = [
        ("get", json!({ "decision": "99" }), "not-found"),
        (
            "get",
            json!({ "decision": "../../../etc/passwd" }),
            "outside-workspace",
        ),
        (
            "set_status",
            json!({ "decision": stripe, "status": "accepted" }),
            "outside-workspace",
        ),
        ("create", json!({ "title": huge }), "bad-argument"),
        ("search", json!({ "query": huge }), "bad-argument"),
        (
            "set_status",
            json!({ "decision": "7", "status": "maybe" }),
            "bad-argument",
        ),
        (
            "card_move",
            json!({ "id": "8", "column": "someday" }),
            "bad-argument",
        ),
        (
            "card_move",
            json!({ "id": "c-999", "column": "now" }),
            "unknown-card",
        ),
        (
            "search",
            json!({ "query": "stripe", "sort": "random" }),
            "bad-argument",
        ),
    ];
    for (tool, args, kind) in cases {
        assert_eq!(refused(&client, tool, args).await, kind, "{tool}");
    }

    // Arguments of the wrong shape are a protocol error, before any tool runs.
    let wrong = client
        .call_tool(
            CallToolRequestParams::new("get")
                .with_arguments(json!({ "decision": 7 }).as_object().unwrap().clone()),
        )
        .await;
    assert!(wrong.is_err() || wrong.unwrap().is_error == Some(true));
    let unknown = client
        .read_resource(ReadResourceRequestParams::new(
            "cairn://decision/../../etc/passwd",
        ))
        .await;
    assert!(unknown.is_err());
    client.cancel().await.unwrap();
    assert_eq!((repo.commit_count(), repo.status()), before);
}

#[tokio::test]
async fn a_malformed_request_is_answered_and_the_server_keeps_serving() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let repo = demo();
    let mut child = server(&repo, false)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    stdin
        .write_all(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\n")
        .await
        .unwrap();
    let init = json!({ "jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "raw", "version": "0" } } });
    stdin
        .write_all(format!("{init}\n").as_bytes())
        .await
        .unwrap();
    let (mut answered, mut parse_error) = (None, None);
    while answered.is_none() {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("an answer within 30 s")
            .unwrap()
            .expect("the server is still running");
        let msg: Value = serde_json::from_str(&line).unwrap();
        if msg["id"] == 1 && msg["error"]["data"]["kind"] == "bad-argument" {
            parse_error = Some(msg.clone());
        }
        if msg["id"] == 2 {
            answered = Some(msg);
        }
    }
    assert_eq!(answered.unwrap()["result"]["serverInfo"]["name"], "cairn");
    // The broken line was answered too, with a parse error, its id and Cairn's kind.
    assert_eq!(parse_error.unwrap()["error"]["code"], -32700);
    drop(stdin);
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}

/// The first notification on `subscription` that `wanted` accepts (polled, up to 30 s).
async fn wait_for(
    subscription: &mut rmcp::service::Subscription,
    wanted: impl Fn(&ServerNotification) -> bool,
) -> ServerNotification {
    loop {
        let n = tokio::time::timeout(Duration::from_secs(30), subscription.next())
            .await
            .expect("a notification within 30 s")
            .unwrap()
            .expect("the subscription is open");
        if wanted(&n) {
            return n;
        }
    }
}

#[tokio::test]
async fn a_file_changed_on_disk_notifies_subscribers_and_reaches_search() {
    let repo = demo();
    let client = connect_modern(&repo).await;
    let uri = "cairn://decision/0007";
    let mut subscription = client
        .listen(
            SubscriptionFilter::builder()
                .resources_list_changed()
                .resource_subscription(uri)
                .build(),
        )
        .await
        .unwrap();
    let file = "decisions/0007-take-card-payments-with-stripe.md";
    repo.write(file, &(repo.read(file) + "\nAlso consider Adyen.\n"));

    let n = wait_for(&mut subscription, |n| {
        matches!(n, ServerNotification::ResourceUpdatedNotification(_))
    })
    .await;
    let ServerNotification::ResourceUpdatedNotification(u) = n else {
        unreachable!()
    };
    assert_eq!(u.params.uri, uri);
    let hits = ok(&client, "search", json!({ "query": "adyen" })).await;
    assert_eq!(hits["total"], 1, "the change is searchable once notified");

    repo.write(
        "decisions/0013-use-adyen.md",
        "# 13. Use Adyen\n\n## Status\n\nProposed\n",
    );
    wait_for(&mut subscription, |n| {
        matches!(n, ServerNotification::ResourceListChangedNotification(_))
    })
    .await;
    let resources = client.list_all_resources().await.unwrap();
    assert!(resources.iter().any(|r| r.uri == "cairn://decision/0013"));
    drop(subscription);
    client.cancel().await.unwrap();
}

/// A client of the `initialize` generation that forwards the resource notifications it gets.
#[derive(Clone)]
struct Listener(tokio::sync::mpsc::UnboundedSender<String>);

impl rmcp::ClientHandler for Listener {
    fn get_info(&self) -> ClientConfig {
        agent()
    }

    async fn on_resource_updated(
        &self,
        params: rmcp::model::ResourceUpdatedNotificationParam,
        _context: rmcp::service::NotificationContext<RoleClient>,
    ) {
        let _ = self.0.send(params.uri);
    }
}

#[tokio::test]
#[allow(deprecated)]
async fn a_client_on_an_earlier_protocol_gets_updates_for_what_it_subscribed_to() {
    let repo = demo();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let transport = TokioChildProcess::new(server(&repo, false)).unwrap();
    let client = Listener(tx).serve(transport).await.unwrap();
    let uri = "cairn://decision/0009";
    client
        .subscribe(rmcp::model::SubscribeRequestParams::new(uri))
        .await
        .unwrap();
    let file = "decisions/0009-generate-pdfs-on-the-server.md";
    repo.write(
        "decisions/0008-defer-recurring-invoices.md",
        "# 8. Changed, not subscribed\n",
    );
    repo.write(file, &(repo.read(file) + "\nWith Typst.\n"));
    let got = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("an update within 30 s")
        .unwrap();
    assert_eq!(got, uri, "only the subscribed decision is reported");
    client.cancel().await.unwrap();
}
