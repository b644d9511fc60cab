//! `cairn mcp`: a Model Context Protocol server over stdio, so that coding agents read the
//! decision log and, when allowed, propose decisions and sort the board as a person would.
//! Like the rest of the CLI it is thin: each request makes one `cairn-core` call.

mod framing;
mod prompts;
mod resources;
mod state;
mod tools;
mod watch;

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use cairn_core::Workspace;
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{
    Implementation, ListResourcesResult, PaginatedRequestParams, ReadResourceRequestParams,
    ReadResourceResponse, ServerCapabilities, ServerConfig, SubscribeRequestParams,
    SubscriptionFilter, UnsubscribeRequestParams,
};
use rmcp::service::{NotificationContext, RequestContext, SubscriptionContext};
use rmcp::{prompt_handler, tool_handler, ErrorData, RoleServer, ServerHandler, ServiceExt};

use state::State;

/// The server: shared state plus the routers the rmcp macros build from `tools` and
/// `prompts`.
#[derive(Clone)]
pub struct CairnMcp {
    state: Arc<State>,
    tool_router: ToolRouter<CairnMcp>,
    prompt_router: PromptRouter<CairnMcp>,
    /// The addresses a client on an earlier protocol version subscribed to.
    legacy: Arc<Mutex<BTreeSet<String>>>,
}

/// Serves `ws` on stdin/stdout until the client closes the connection.
pub fn serve(ws: Workspace, allow_writes: bool) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let state = Arc::new(State::new(ws, allow_writes));
        // Dropped (and so stopped) when the connection ends.
        let _watcher = watch::start(state.clone());
        let server = CairnMcp {
            state,
            tool_router: tools::router(),
            prompt_router: prompts::router(),
            legacy: Arc::default(),
        };
        let pipe = framing::relay(tokio::io::stdin(), tokio::io::stdout());
        let running = server.serve(pipe).await?;
        running.waiting().await?;
        anyhow::Ok(ExitCode::SUCCESS)
    })
}

/// The name (and version) the client gave, for the `Via:` line of its commits: from the
/// request itself (protocol 2026-07-28 sends it with every request), else from `initialize`.
fn client_name(ctx: &RequestContext<RoleServer>) -> String {
    let info = ctx
        .meta
        .client_info()
        .or_else(|| ctx.peer.peer_info().map(|p| p.client_info.clone()));
    match info {
        Some(i) if !i.name.trim().is_empty() => {
            let name = crate::term::line(i.name.trim());
            let version = crate::term::line(i.version.trim());
            format!("{name} {version}")
                .trim()
                .chars()
                .take(120)
                .collect()
        }
        _ => "an unnamed MCP client".into(),
    }
}

/// What an agent reads on connecting: which mode the server is in and what it may do.
fn instructions(state: &State) -> String {
    let ws = state.workspace();
    let mode = if state.allow_writes {
        "WRITES ALLOWED: create, set_status, link, supersede, card_add, card_move and card_set \
         each make one small Git commit that names this client. A write is refused with kind \
         \"conflict\" when the file changed since you last read it with `get`; read it again."
    } else {
        "READ-ONLY: the write tools (create, set_status, link, supersede, card_add, card_move, \
         card_set) are refused with kind \"read-only\"; the user can restart the server with \
         --allow-writes."
    };
    format!(
        "Cairn decision log in {}. Before changing code, `search` and `get` the accepted \
         decisions it touches; propose new decisions as status proposed. Each decision is also \
         a resource cairn://decision/NNNN. {mode}",
        ws.decisions_dir.display()
    )
}

#[tool_handler(router = self.tool_router)]
#[prompt_handler(router = self.prompt_router)]
impl ServerHandler for CairnMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_prompts()
                .enable_resources()
                .enable_resources_list_changed()
                .enable_resources_subscribe()
                .build(),
        )
        .with_server_info(Implementation::new("cairn", env!("CARGO_PKG_VERSION")))
        .with_instructions(instructions(&self.state))
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        resources::list(&self.state).map_err(|e| resources::error(&e))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        resources::read(&self.state, &request.uri, &client_name(&context))
            .map_err(|e| resources::error(&e))
    }

    fn accepted_subscription_filter(
        &self,
        requested: &SubscriptionFilter,
    ) -> Option<SubscriptionFilter> {
        Some(requested.supported_by(&self.get_info().capabilities))
    }

    async fn listen(&self, context: SubscriptionContext) -> Result<(), ErrorData> {
        let target = resources::Target::Stream(context.sink().clone());
        resources::follow(&self.state, target, context.cancelled()).await;
        Ok(())
    }

    /// Clients on protocol versions before 2026-07-28 hear of changes on the connection
    /// itself: the list always, and updates for what they subscribe to.
    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        let target = resources::Target::Connection(context.peer.clone(), self.legacy.clone());
        let state = self.state.clone();
        tokio::spawn(
            async move { resources::follow(&state, target, std::future::pending()).await },
        );
    }

    #[allow(deprecated)]
    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        if let Ok(mut uris) = self.legacy.lock() {
            uris.insert(request.uri);
        }
        Ok(())
    }

    #[allow(deprecated)]
    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        if let Ok(mut uris) = self.legacy.lock() {
            uris.remove(&request.uri);
        }
        Ok(())
    }
}
