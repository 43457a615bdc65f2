//! The warroom HTTP server.
//!
//! Architecture invariant: only this crate (and the CLI) knows HTTP. Handlers call the node,
//! which applies the sharing rules; no handler reads the store or filters results itself.
//! Routes and the OpenAPI document are built together (`utoipa-axum`), so a route cannot exist
//! without its documentation.

pub mod error;
pub mod extract;
pub mod limits;
mod middleware;
pub mod pages;
pub mod routes;
mod state;

pub use limits::RateConfig;
pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use error::ApiError;
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use warroom_node::Node;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "warroom",
        description = "Intelligence sharing and case coordination against cross-border scam syndicates. Every read obeys the sharing rules (TLP 2.0 markings and distributions); a report the caller may not read answers 404.",
        license(name = "AGPL-3.0-only")
    ),
    servers((url = "/api/v1")),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "reports", description = "Reports: the unit of contribution"),
        (name = "entities", description = "Identifiers, people, organisations and places"),
        (name = "accounts", description = "Agencies, users, sharing groups and API tokens"),
        (name = "session", description = "Password login for the web pages"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "correlation", description = "Cross-agency hits, the warninglist, search and the indexes behind them"),
    )
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(extract::SESSION_COOKIE))),
        );
    }
}

/// The `/api/v1` routes and their OpenAPI document.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(routes::reports::submit, routes::reports::list))
        .routes(routes!(
            routes::reports::get,
            routes::reports::update,
            routes::reports::retract
        ))
        .routes(routes!(routes::reports::versions))
        .routes(routes!(routes::report_stream::stream))
        .routes(routes!(routes::bulk::bulk))
        .routes(routes!(routes::entities::get))
        .routes(routes!(routes::entities::lookup))
        .routes(routes!(routes::entities::mark))
        .routes(routes!(routes::entities::neighbourhood))
        .routes(routes!(routes::hits::list))
        .routes(routes!(routes::hits::stream))
        .routes(routes!(routes::search::search))
        .routes(routes!(routes::warninglist::list, routes::warninglist::add))
        .routes(routes!(routes::warninglist::remove))
        .routes(routes!(routes::index::status))
        .routes(routes!(
            routes::accounts::agencies,
            routes::accounts::create_agency
        ))
        .routes(routes!(
            routes::accounts::users,
            routes::accounts::create_user
        ))
        .routes(routes!(routes::accounts::patch_user))
        .routes(routes!(
            routes::accounts::groups,
            routes::accounts::create_group
        ))
        .routes(routes!(routes::accounts::put_group))
        .routes(routes!(
            routes::accounts::tokens,
            routes::accounts::create_token
        ))
        .routes(routes!(routes::accounts::revoke_token))
        .routes(routes!(routes::session::login, routes::session::logout))
        .routes(routes!(routes::session::me))
        .routes(routes!(routes::audit::list))
        .split_for_parts()
}

/// The OpenAPI 3.1 document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api();
    let doc = Arc::new(doc);
    let api = api
        .route(
            "/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed);
    Router::new()
        .nest("/api/v1", api)
        .merge(pages::router())
        .route("/healthz", get(healthz))
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limits::MAX_JSON_BODY))
        .layer(axum::middleware::from_fn(middleware::metrics))
        .layer(axum::middleware::from_fn(middleware::request_id))
        .with_state(state)
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<&'static str, ApiError> {
    let node = state.node.clone();
    blocking(move || node.store().user_count())
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "health check: store failed");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the store does not answer",
            )
        })?;
    Ok("ok")
}

async fn no_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_route",
        "no such endpoint; the API is described at /api/v1/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method",
    )
}

/// Runs blocking node work off the async threads.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "blocking task failed");
        ApiError::internal()
    })
}

impl From<ApiError> for std::io::Error {
    fn from(e: ApiError) -> Self {
        std::io::Error::other(e.message)
    }
}

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub metrics_listen: Option<SocketAddr>,
    pub rates: RateConfig,
    pub secure_cookies: bool,
}

/// The state for a node with these settings.
pub fn state(node: Node, config: &ServeConfig) -> AppState {
    AppState {
        node,
        limits: Arc::new(limits::Limits::new(&config.rates)),
        secure_cookies: config.secure_cookies,
    }
}

/// Serves until `shutdown` resolves. Calls `ready` with the bound addresses (API, metrics).
pub async fn serve(
    node: Node,
    config: ServeConfig,
    ready: impl FnOnce(SocketAddr, Option<SocketAddr>),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = state(node, &config);
    let limits = state.limits.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limits.retain_recent();
        }
    });
    // Count this process among those sharing the store, and size its share of the rates.
    let (limits, beat_node) = (state.limits.clone(), state.node.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        loop {
            tick.tick().await;
            let (limits, node) = (limits.clone(), beat_node.clone());
            match tokio::task::spawn_blocking(move || limits.heartbeat(&node)).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "heartbeat failed"),
                Err(e) => tracing::warn!(error = %e, "heartbeat task failed"),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let metrics_addr = match config.metrics_listen {
        Some(m) => Some(serve_metrics(m).await?),
        None => None,
    };
    ready(addr, metrics_addr);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Prometheus metrics on their own listener, so that the API port never exposes them.
async fn serve_metrics(addr: SocketAddr) -> std::io::Result<SocketAddr> {
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .map_err(|e| std::io::Error::other(format!("cannot install the metrics recorder: {e}")))?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move { handle.render() }
        }),
    );
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "metrics listener stopped");
        }
    });
    Ok(bound)
}

/// An empty handler on `addr`: the HTTP ceiling of this machine, for benchmarks.
pub async fn serve_empty(addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, Router::new().route("/", get(|| async { "" }))).await
}
