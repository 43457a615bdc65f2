//! What every test module builds on: a node over a fresh store on the backend under test
//! (`warroom_testkit`: a temporary SQLite directory, or a new PostgreSQL schema),
//! accounts made through [`Node`] as the shell (`Actor::system("test")`), and two clients:
//!
//! - in process: [`TestNode::call`] and [`TestNode::send`] drive `warroom_server::app(state)`
//!   with `tower::ServiceExt::oneshot`, no socket involved;
//! - a real server: [`Server::start`] runs `warroom_server::serve` on `127.0.0.1:0` in a tokio
//!   task and hands out a `reqwest` client, for what needs a connection (the login rate limit
//!   is keyed by the client's address, NDJSON streaming, the metrics listener).

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use tower::ServiceExt;
use uuid::Uuid;
use warroom_domain::{AgencyId, AgencyKind, CountryCode, GroupId, Role, UserId};
use warroom_node::{Actor, NewUser, Node};
use warroom_server::{RateConfig, ServeConfig};

/// The password of every user the tests create (the node wants at least 12 characters).
pub const PASSWORD: &str = "correct horse battery staple";

/// The node acting on its own behalf, as `warroom admin` on the shell does.
pub fn shell() -> Actor {
    Actor::system("test")
}

/// A node over its own store, and the in-process application in front of it.
pub struct TestNode {
    pub node: Node,
    pub app: axum::Router,
    /// Where the store lives; a SQLite directory is removed when the test ends.
    pub location: warroom_testkit::Location,
}

/// A user with an API token.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: Uuid,
    pub agency: Uuid,
    pub username: String,
    pub token: String,
}

/// A whole answer: status, headers and body bytes.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The body as JSON; `Null` when empty, a JSON string when it is not JSON.
    pub fn json(&self) -> Value {
        if self.bytes.is_empty() {
            return Value::Null;
        }
        serde_json::from_slice(&self.bytes).unwrap_or_else(|_| Value::String(self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub fn serve_config(rates: RateConfig, metrics: bool) -> ServeConfig {
    ServeConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        metrics_listen: metrics.then(|| SocketAddr::from(([127, 0, 0, 1], 0))),
        rates,
        secure_cookies: false,
    }
}

impl TestNode {
    pub fn new() -> Self {
        Self::with_config(&serve_config(RateConfig::default(), false))
    }

    pub fn with_config(config: &ServeConfig) -> Self {
        let (store, location) = warroom_testkit::fresh_store();
        let node = Node::new(store);
        let app = warroom_server::app(warroom_server::state(node.clone(), config));
        Self {
            node,
            app,
            location,
        }
    }

    // ---- accounts, made through the node as the shell -----------------------------------

    pub fn agency(&self, name: &str, country: &str) -> Uuid {
        let country = CountryCode::parse(country).expect("a country code");
        self.node
            .create_agency(&shell(), name, country, AgencyKind::Police)
            .expect("create agency")
            .id
            .0
    }

    /// A user of `agency` with [`PASSWORD`] and an API token.
    pub fn member(&self, agency: Uuid, username: &str, roles: &[Role]) -> Member {
        let (user, _) = self
            .node
            .create_user(
                &shell(),
                NewUser {
                    agency: AgencyId(agency),
                    username: username.to_owned(),
                    display_name: username.to_owned(),
                    roles: roles.iter().copied().collect(),
                    password: Some(PASSWORD.to_owned()),
                },
            )
            .expect("create user");
        let (_, token) = self
            .node
            .create_token(&shell(), user.id, &format!("{username} test token"), None)
            .expect("create token");
        Member {
            id: user.id.0,
            agency,
            username: user.username,
            token,
        }
    }

    pub fn group(&self, name: &str, members: &[Uuid]) -> Uuid {
        let members: BTreeSet<AgencyId> = members.iter().copied().map(AgencyId).collect();
        self.node
            .put_group(&shell(), None, name, members)
            .expect("create group")
            .id
            .0
    }

    pub fn put_group(&self, id: Uuid, name: &str, members: &[Uuid]) {
        let members: BTreeSet<AgencyId> = members.iter().copied().map(AgencyId).collect();
        self.node
            .put_group(&shell(), Some(GroupId(id)), name, members)
            .expect("put group");
    }

    pub fn user_id(&self, username: &str) -> UserId {
        self.node
            .user_by_username(&shell(), username)
            .expect("a user")
            .id
    }

    // ---- the in-process client ---------------------------------------------------------

    /// A request builder with the bearer token, if any.
    pub fn request(method: &str, path: &str, token: Option<&str>) -> axum::http::request::Builder {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        b
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a readable body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    /// One JSON call: `body`, when given, is sent as `application/json`.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let reply = self.call_reply(method, path, token, body).await;
        (reply.status, reply.json())
    }

    pub async fn call_reply(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let b = Self::request(method, path, token);
        let request = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&v).expect("JSON")))
                .expect("a request"),
            None => b.body(Body::empty()).expect("a request"),
        };
        self.send(request).await
    }

    /// Submits a report and returns its id, insisting on `201 accepted`.
    pub async fn submit(&self, token: &str, report: Value) -> Uuid {
        let (status, body) = self
            .call("POST", "/api/v1/reports", Some(token), Some(report.clone()))
            .await;
        assert_eq!(status, StatusCode::CREATED, "submitting {report}: {body}");
        assert_eq!(body["status"], "accepted", "{body}");
        uuid(&body["id"])
    }

    /// Reads a report, insisting on 200.
    pub async fn report(&self, token: &str, id: Uuid) -> Value {
        let (status, body) = self
            .call("GET", &format!("/api/v1/reports/{id}"), Some(token), None)
            .await;
        assert_eq!(status, StatusCode::OK, "GET report {id}: {body}");
        body
    }
}

/// The usual cast: three police agencies (Thailand, Japan, India), a TH-JP sharing group, and
/// users of each with tokens.
pub struct World {
    pub t: TestNode,
    pub th: Uuid,
    pub jp: Uuid,
    pub india: Uuid,
    /// Sharing group of TH and JP.
    pub th_jp: Uuid,
    /// A TH account that is only an admin (manages accounts, reads no RED).
    pub admin: Member,
    pub th_analyst: Member,
    pub th_analyst2: Member,
    pub th_supervisor: Member,
    pub jp_analyst: Member,
    pub jp_supervisor: Member,
    pub in_analyst: Member,
}

impl World {
    pub fn new() -> Self {
        Self::on(TestNode::new())
    }

    pub fn on(t: TestNode) -> Self {
        let th = t.agency("Royal Thai Police CCIB", "TH");
        let jp = t.agency("National Police Agency", "JP");
        let india = t.agency("I4C", "IN");
        let th_jp = t.group("TH-JP special fraud", &[th, jp]);
        Self {
            admin: t.member(th, "th.admin", &[Role::Admin]),
            th_analyst: t.member(th, "th.analyst", &[Role::Analyst]),
            th_analyst2: t.member(th, "th.analyst2", &[Role::Analyst]),
            th_supervisor: t.member(th, "th.supervisor", &[Role::Supervisor]),
            jp_analyst: t.member(jp, "jp.analyst", &[Role::Analyst]),
            jp_supervisor: t.member(jp, "jp.supervisor", &[Role::Supervisor]),
            in_analyst: t.member(india, "in.analyst", &[Role::Analyst]),
            t,
            th,
            jp,
            india,
            th_jp,
        }
    }
}

/// A minimal valid report.
pub fn report(marking: &str) -> Value {
    json!({"kind": "intelligence", "marking": marking, "narrative": "minimal"})
}

/// A report naming one phone number, however written.
pub fn phone_report(marking: &str, phone: &str) -> Value {
    json!({
        "kind": "victim_complaint",
        "marking": marking,
        "narrative": format!("the caller used {phone}"),
        "entities": [{"type": "identifier", "kind": "phone", "value": phone}],
    })
}

pub fn uuid(v: &Value) -> Uuid {
    v.as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("not a UUID: {v}"))
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn q(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Checks that `body` is exactly `{"error": {"code", "message", "field"?, "details"?}}`, with
/// `details`, when present, a list of `{"field"?, "code", "message"}`.
pub fn error_shape(body: &Value) -> Result<(), String> {
    let top = body
        .as_object()
        .ok_or_else(|| format!("not an object: {body}"))?;
    if top.len() != 1 || !top.contains_key("error") {
        return Err(format!(
            "the top level must be exactly {{\"error\"}}: {body}"
        ));
    }
    let e = top["error"]
        .as_object()
        .ok_or_else(|| format!("error is not an object: {body}"))?;
    for k in e.keys() {
        if !["code", "message", "field", "details"].contains(&k.as_str()) {
            return Err(format!("unexpected key {k:?} in error: {body}"));
        }
    }
    for k in ["code", "message"] {
        if e.get(k).and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err(format!("error.{k} must be a non-empty string: {body}"));
        }
    }
    if let Some(f) = e.get("field")
        && f.as_str().is_none_or(str::is_empty)
    {
        return Err(format!(
            "error.field, when present, is a non-empty string: {body}"
        ));
    }
    if let Some(d) = e.get("details") {
        let items = d
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or_else(|| format!("details, when present, is a non-empty list: {body}"))?;
        for item in items {
            let o = item
                .as_object()
                .ok_or_else(|| format!("a detail is not an object: {body}"))?;
            if o.keys()
                .any(|k| !["field", "code", "message"].contains(&k.as_str()))
                || !o.get("code").is_some_and(Value::is_string)
                || !o.get("message").is_some_and(Value::is_string)
                || o.get("field").is_some_and(|f| !f.is_string())
            {
                return Err(format!("a detail is not {{field?, code, message}}: {body}"));
            }
        }
    }
    Ok(())
}

/// Asserts the error shape, the status and the code; returns the body's `error` object.
#[track_caller]
pub fn assert_error(
    status: StatusCode,
    body: &Value,
    want_status: StatusCode,
    want_code: &str,
) -> Value {
    if let Err(e) = error_shape(body) {
        panic!("{e}");
    }
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"]["code"], want_code, "{body}");
    body["error"].clone()
}

// ---- a real server -------------------------------------------------------------------------

/// `warroom_server::serve` on an ephemeral port, stopped when dropped.
pub struct Server {
    pub addr: SocketAddr,
    pub metrics: Option<SocketAddr>,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    /// Starts serving `node`. With `metrics`, the Prometheus listener too: its recorder is
    /// process-global, so only one server per test binary may ask for it.
    pub async fn start(node: Node, rates: RateConfig, metrics: bool) -> Self {
        let config = serve_config(rates, metrics);
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(warroom_server::serve(
            node,
            config,
            move |addr, metrics| {
                let _ = ready_tx.send((addr, metrics));
            },
            async move {
                let _ = stop_rx.await;
            },
        ));
        let (addr, metrics) = match ready_rx.await {
            Ok(a) => a,
            Err(_) => panic!("the server stopped before it was ready: {:?}", task.await),
        };
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("an HTTP client");
        Self {
            addr,
            metrics,
            http,
            stop: Some(stop_tx),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A node with its indexes running and the shipped warninglist stored, as `serve` starts one.
pub fn correlated() -> TestNode {
    let t = TestNode::new();
    t.node.seed_warninglist().expect("seed the warninglist");
    t.node
        .start_correlation_and_wait(warroom_node::CorrelationOptions::default())
        .expect("build the indexes");
    t
}
