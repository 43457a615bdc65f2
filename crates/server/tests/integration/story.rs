//! The API story: what a node's users do through HTTP, asserting what could break.

use super::common::{
    PASSWORD, Reply, Server, TestNode, World, assert_error, error_shape, phone_report, q, report,
    serve_config, shell, uuid,
};
use axum::body::Body;
use axum::http::{StatusCode, header};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;
use warroom_domain::{CountryCode, Role};
use warroom_server::RateConfig;

const NDJSON: &str = "application/x-ndjson";

/// `name=value` of the session cookie a login set.
fn session_cookie(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn set_cookies(headers: &axum::http::HeaderMap) -> Vec<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn first_start_bootstraps_one_admin_who_builds_the_node_through_the_api() {
    let t = TestNode::new();
    let th = CountryCode::parse("TH").unwrap();
    let boot = t
        .node
        .bootstrap(th)
        .unwrap()
        .expect("an empty node bootstraps");
    assert_eq!(boot.username, "admin");
    assert!(
        t.node.bootstrap(th).unwrap().is_none(),
        "a second start creates nobody"
    );
    assert_eq!(t.node.store().user_count().unwrap(), 1);

    // The admin logs in with the one-time password and makes an API token with the session.
    let login = t
        .call_reply(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "admin", "password": boot.password})),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text());
    let cookie = session_cookie(&set_cookies(&login.headers)[0]);
    let csrf = login.json()["csrf"].as_str().unwrap().to_owned();
    let request = TestNode::request("POST", "/api/v1/tokens", None)
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"name": "admin laptop"}).to_string()))
        .unwrap();
    let created = t.send(request).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let admin_token = created.json()["secret"].as_str().unwrap().to_owned();
    assert!(admin_token.starts_with("wrt_"), "{admin_token}");
    let admin = Some(admin_token.as_str());

    // Agencies.
    let (status, jp) = t
        .call(
            "POST",
            "/api/v1/agencies",
            admin,
            Some(json!({"name": "National Police Agency", "country": "jp", "kind": "police"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{jp}");
    assert_eq!(jp["country"], "JP");
    let jp = uuid(&jp["id"]);
    let (status, body) = t
        .call(
            "POST",
            "/api/v1/agencies",
            admin,
            Some(json!({"name": "National Police Agency", "country": "JP", "kind": "police"})),
        )
        .await;
    assert_error(status, &body, StatusCode::CONFLICT, "conflict");

    // Users: a generated password is shown once; a chosen one is never echoed.
    let (status, created) = t
        .call(
            "POST",
            "/api/v1/users",
            admin,
            Some(json!({"agency": jp, "username": "JP.Analyst", "roles": ["analyst"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["user"]["username"], "jp.analyst");
    let jp_password = created["password"]
        .as_str()
        .expect("a generated password")
        .to_owned();
    let jp_analyst = uuid(&created["user"]["id"]);
    let (status, created) = t
        .call(
            "POST",
            "/api/v1/users",
            admin,
            Some(json!({"agency": boot.agency.id.0, "username": "th.supervisor", "roles": ["supervisor"], "password": PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(
        created.get("password").is_none(),
        "a chosen password is not echoed: {created}"
    );
    let (status, body) = t
        .call(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "jp.analyst", "password": jp_password})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the generated password works: {body}"
    );

    // A sharing group, created then renamed.
    let (status, group) = t
        .call(
            "POST",
            "/api/v1/groups",
            admin,
            Some(json!({"name": "TH-JP", "members": [boot.agency.id.0, jp]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let group = uuid(&group["id"]);
    let (status, body) = t
        .call(
            "PUT",
            &format!("/api/v1/groups/{group}"),
            admin,
            Some(json!({"name": "TH-JP special fraud", "members": [boot.agency.id.0, jp]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, groups) = t.call("GET", "/api/v1/groups", admin, None).await;
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    assert_eq!(groups[0]["name"], "TH-JP special fraud");

    // A token for another user: it acts as that user.
    let (status, created) = t
        .call(
            "POST",
            "/api/v1/tokens",
            admin,
            Some(json!({"name": "jp import", "user": jp_analyst})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let jp_token = created["secret"].as_str().unwrap().to_owned();
    let (status, me) = t.call("GET", "/api/v1/me", Some(&jp_token), None).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["username"], "jp.analyst");
    assert_eq!(uuid(&me["agency"]["id"]), jp);
    assert_eq!(me["groups"], json!([group]));

    // Exactly one admin, whatever happened since.
    let (status, users) = t.call("GET", "/api/v1/users", admin, None).await;
    assert_eq!(status, StatusCode::OK, "{users}");
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.iter().filter(|n| **n == "admin").count(),
        1,
        "{names:?}"
    );
    assert_eq!(names.len(), 3, "{names:?}");
    let (_, agencies) = t.call("GET", "/api/v1/agencies", admin, None).await;
    assert_eq!(agencies.as_array().unwrap().len(), 2, "{agencies}");

    // Secrets are shown once: never in a listing, the audit log, or the data directory.
    let listing = t.call_reply("GET", "/api/v1/tokens", admin, None).await;
    assert_eq!(listing.status, StatusCode::OK);
    let tokens = listing.json();
    assert_eq!(tokens.as_array().unwrap().len(), 2, "{tokens}");
    for token in tokens.as_array().unwrap() {
        let keys: BTreeSet<&str> = token
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(
            keys.is_subset(&BTreeSet::from([
                "id",
                "user",
                "name",
                "created_at",
                "expires_at",
                "revoked_at"
            ])),
            "{token}"
        );
    }
    let audit = t
        .call_reply("GET", "/api/v1/audit?limit=500", admin, None)
        .await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text());
    let data = t.location.raw_bytes();
    for secret in [
        admin_token.as_str(),
        jp_token.as_str(),
        jp_password.as_str(),
        PASSWORD,
        boot.password.as_str(),
    ] {
        assert!(
            !listing.text().contains(secret),
            "GET /tokens shows a secret"
        );
        assert!(
            !audit.text().contains(secret),
            "the audit log shows a secret"
        );
        assert!(
            !contains(&data, secret),
            "a secret is stored in clear in the data directory"
        );
    }
    assert!(
        contains(&data, "$argon2id$"),
        "passwords are stored as argon2id hashes"
    );
}

#[tokio::test]
async fn expired_and_revoked_tokens_are_unauthenticated() {
    let w = World::new();
    let t = &w.t;
    let me = "/api/v1/me";

    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    let (status, created) = t
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&w.th_analyst.token),
            Some(json!({"name": "short", "expires_at": soon.to_string()})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created["token"]["expires_at"].is_string(), "{created}");
    let short = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        t.call("GET", me, Some(&short), None).await.0,
        StatusCode::OK
    );

    let (status, body) = t
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&w.th_analyst.token),
            Some(json!({"name": "late", "expires_at": "2020-01-01T00:00:00Z"})),
        )
        .await;
    let e = assert_error(
        status,
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "in_the_past",
    );
    assert_eq!(e["field"], "expires_at");

    // An expired token, stored directly: the API refuses to mint one.
    let expired = warroom_node::secret::new_secret(warroom_node::secret::TOKEN_PREFIX);
    let now = jiff::Timestamp::now();
    let user = t.user_id("th.analyst");
    t.node
        .store()
        .create_token(
            &warroom_store::TokenRecord {
                id: warroom_store::TokenId(Uuid::new_v4()),
                user,
                name: "expired".into(),
                hash: warroom_node::secret::hash_secret(&expired),
                created_at: now - jiff::SignedDuration::from_hours(2),
                expires_at: Some(now - jiff::SignedDuration::from_hours(1)),
                revoked_at: None,
            },
            &shell_draft("token.create"),
        )
        .unwrap();
    let expired_reply = t.call_reply("GET", me, Some(&expired), None).await;
    assert_error(
        expired_reply.status,
        &expired_reply.json(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    );
    assert!(
        expired_reply
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer"))
    );

    // Revocation: by the owner (another analyst may not), then refused.
    let (status, created) = t
        .call(
            "POST",
            "/api/v1/tokens",
            Some(&w.th_analyst.token),
            Some(json!({"name": "to revoke"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (id, secret) = (
        uuid(&created["token"]["id"]),
        created["secret"].as_str().unwrap().to_owned(),
    );
    assert_eq!(
        t.call("GET", me, Some(&secret), None).await.0,
        StatusCode::OK
    );
    let path = format!("/api/v1/tokens/{id}");
    let (status, body) = t
        .call("DELETE", &path, Some(&w.th_analyst2.token), None)
        .await;
    // Someone else's token does not exist for a non-admin: the answer is that of an unknown id.
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let unknown = format!("/api/v1/tokens/{}", uuid::Uuid::new_v4());
    let (_, unknown_body) = t
        .call("DELETE", &unknown, Some(&w.th_analyst2.token), None)
        .await;
    assert_eq!(
        body, unknown_body,
        "another's token answers like an unknown one"
    );
    assert_eq!(
        t.call("GET", me, Some(&secret), None).await.0,
        StatusCode::OK,
        "a refused revocation revokes nothing"
    );
    let (status, body) = t
        .call("DELETE", &path, Some(&w.th_analyst.token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let revoked_reply = t.call_reply("GET", me, Some(&secret), None).await;
    assert_error(
        revoked_reply.status,
        &revoked_reply.json(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    );
    let (_, tokens) = t
        .call("GET", "/api/v1/tokens", Some(&w.th_analyst.token), None)
        .await;
    let listed = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == json!(id))
        .expect("the revoked token is listed");
    assert!(listed["revoked_at"].is_string(), "{listed}");
    assert!(
        tokens
            .as_array()
            .unwrap()
            .iter()
            .all(|t| uuid(&t["user"]) == w.th_analyst.id),
        "a non-admin sees only their own tokens: {tokens}"
    );

    // Unknown, expired and revoked answer alike: no oracle for which tokens exist.
    let unknown = t
        .call_reply("GET", me, Some(&format!("wrt_{}", "0".repeat(64))), None)
        .await;
    assert_eq!(unknown.json(), expired_reply.json());
    assert_eq!(revoked_reply.json(), expired_reply.json());

    // The scheme is case-insensitive (RFC 9110), the secret is not.
    let request = TestNode::request("GET", me, None)
        .header(
            header::AUTHORIZATION,
            format!("bearer {}", w.th_analyst.token),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(request).await.status, StatusCode::OK);
    let (status, _) = t
        .call("GET", me, Some(&w.th_analyst.token.to_uppercase()), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// An audit event for a record a test stores directly, as the shell.
fn shell_draft(action: &str) -> warroom_store::AuditDraft {
    warroom_store::AuditDraft {
        at: jiff::Timestamp::now(),
        actor_user: None,
        actor_agency: None,
        action: action.into(),
        object_kind: "token".into(),
        object_id: "test".into(),
        request_id: shell().request_id,
        purpose: None,
    }
}

#[tokio::test]
async fn a_disabled_user_is_locked_out_until_enabled() {
    let w = World::new();
    let t = &w.t;
    let admin = Some(w.admin.token.as_str());
    let path = format!("/api/v1/users/{}", w.jp_analyst.id);
    let login = json!({"username": "jp.analyst", "password": super::common::PASSWORD});
    assert_eq!(
        t.call("POST", "/api/v1/session", None, Some(login.clone()))
            .await
            .0,
        StatusCode::OK
    );

    let (status, body) = t
        .call("PATCH", &path, admin, Some(json!({"disabled": true})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({}), "no password unless one was generated");
    let (status, body) = t
        .call("GET", "/api/v1/me", Some(&w.jp_analyst.token), None)
        .await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
    let (status, body) = t
        .call("POST", "/api/v1/session", None, Some(login.clone()))
        .await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
    let (_, users) = t.call("GET", "/api/v1/users", admin, None).await;
    let listed = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == json!(w.jp_analyst.id))
        .unwrap();
    assert_eq!(listed["disabled"], true);

    // Enabled again with a generated password, shown once.
    let (status, body) = t
        .call(
            "PATCH",
            &path,
            admin,
            Some(json!({"disabled": false, "reset_password": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let password = body["password"]
        .as_str()
        .expect("a generated password")
        .to_owned();
    assert_eq!(
        t.call("GET", "/api/v1/me", Some(&w.jp_analyst.token), None)
            .await
            .0,
        StatusCode::OK
    );
    let (status, body) = t.call("POST", "/api/v1/session", None, Some(login)).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
    let (status, _) = t
        .call(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "jp.analyst", "password": password})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = t
        .call(
            "PATCH",
            &format!("/api/v1/users/{}", Uuid::new_v4()),
            admin,
            Some(json!({"disabled": true})),
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_strict_http_only_cookie_and_cookie_writes_need_the_csrf_token() {
    let w = World::new();
    let s = Server::start(w.t.node.clone(), RateConfig::default(), false).await;
    let login = s.url("/api/v1/session");

    let wrong = s
        .http
        .post(&login)
        .json(&json!({"username": "th.analyst", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get(header::SET_COOKIE).is_none());
    assert_error(
        StatusCode::UNAUTHORIZED,
        &wrong.json::<Value>().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    );

    let ok = s
        .http
        .post(&login)
        .json(&json!({"username": "TH.Analyst", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let cookies = set_cookies(ok.headers());
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let attributes: BTreeSet<String> = cookies[0]
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert!(
        cookies[0].starts_with("warroom_session=wrs_"),
        "{}",
        cookies[0]
    );
    for wanted in ["httponly", "samesite=strict", "path=/"] {
        assert!(
            attributes.contains(wanted),
            "the cookie lacks {wanted}: {}",
            cookies[0]
        );
    }
    assert!(
        !attributes.contains("secure"),
        "no Secure without TLS configured: {}",
        cookies[0]
    );
    assert!(
        attributes.iter().any(|a| a.starts_with("max-age=")),
        "{}",
        cookies[0]
    );
    let cookie = session_cookie(&cookies[0]);
    let session: Value = ok.json().await.unwrap();
    assert_eq!(session["user"]["username"], "th.analyst");
    assert_eq!(uuid(&session["agency"]["id"]), w.th);
    let csrf = session["csrf"].as_str().unwrap().to_owned();
    assert!(!csrf.is_empty() && !cookie.contains(&csrf));

    // Reads need only the cookie.
    let me = s
        .http
        .get(s.url("/api/v1/me"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // Writes need the CSRF token too.
    let reports = s.url("/api/v1/reports");
    for csrf_header in [None, Some("not-the-token"), Some("")] {
        let mut r = s
            .http
            .post(&reports)
            .header(header::COOKIE, &cookie)
            .json(&report("GREEN"));
        if let Some(h) = csrf_header {
            r = r.header("x-csrf-token", h);
        }
        let r = r.send().await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "CSRF header {csrf_header:?}"
        );
        assert_error(
            StatusCode::FORBIDDEN,
            &r.json::<Value>().await.unwrap(),
            StatusCode::FORBIDDEN,
            "csrf",
        );
    }
    let r = s
        .http
        .post(&reports)
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf)
        .json(&report("GREEN"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let listed: Value = s
        .http
        .get(&reports)
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["reports"].as_array().unwrap().len(),
        1,
        "refused writes stored nothing: {listed}"
    );

    // Logout is a write too; then the session is gone.
    let session_url = s.url("/api/v1/session");
    let r = s
        .http
        .delete(&session_url)
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = s
        .http
        .delete(&session_url)
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let cleared = set_cookies(r.headers());
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("warroom_session=;") && c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    for request in [
        s.http
            .get(s.url("/api/v1/me"))
            .header(header::COOKIE, &cookie),
        s.http
            .post(&reports)
            .header(header::COOKIE, &cookie)
            .header("x-csrf-token", &csrf)
            .json(&report("GREEN")),
    ] {
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_error(
            StatusCode::UNAUTHORIZED,
            &r.json::<Value>().await.unwrap(),
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
        );
    }
}

#[tokio::test]
async fn behind_tls_the_session_cookie_is_secure() {
    let mut config = serve_config(RateConfig::default(), false);
    config.secure_cookies = true;
    let t = TestNode::with_config(&config);
    let th = t.agency("Royal Thai Police", "TH");
    t.member(th, "th.analyst", &[Role::Analyst]);
    let r = t
        .call_reply(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "th.analyst", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = set_cookies(&r.headers).remove(0);
    assert!(cookie.split(';').any(|a| a.trim() == "Secure"), "{cookie}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_beyond_the_rate_limit_answer_429() {
    let w = World::new();
    // Two per minute: the third attempt within the same minute is refused, whatever its password.
    let rates = RateConfig {
        logins_per_minute: 2,
        ..RateConfig::default()
    };
    let s = Server::start(w.t.node.clone(), rates, false).await;
    let login = s.url("/api/v1/session");
    for _ in 0..2 {
        let r = s
            .http
            .post(&login)
            .json(&json!({"username": "th.analyst", "password": "wrong password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = s
        .http
        .post(&login)
        .json(&json!({"username": "th.analyst", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_error(
        StatusCode::TOO_MANY_REQUESTS,
        &r.json::<Value>().await.unwrap(),
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    );
    // Only logins are limited so: tokens still work.
    let r = s
        .http
        .get(s.url("/api/v1/me"))
        .bearer_auth(&w.th_analyst.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// The entity of a report's first identifier: `(id, canonical)`.
fn first_identifier(report: &Value) -> (Uuid, String) {
    let e = &report["body"]["entities"][0];
    (
        uuid(&e["id"]),
        e["canonical"]
            .as_str()
            .unwrap_or_else(|| panic!("no canonical: {e}"))
            .to_owned(),
    )
}

async fn lookup(t: &TestNode, token: &str, value: &str, extra: &str) -> (StatusCode, Value) {
    t.call(
        "GET",
        &format!("/api/v1/entities/lookup?value={}{extra}", q(value)),
        Some(token),
        None,
    )
    .await
}

#[tokio::test]
async fn one_phone_written_two_ways_by_two_agencies_is_one_entity() {
    let w = World::new();
    let t = &w.t;
    let th_report = t
        .submit(&w.th_analyst.token, phone_report("GREEN", "081-234-5678"))
        .await;
    let jp_report = t
        .submit(
            &w.jp_analyst.token,
            phone_report("GREEN", "+66 81 234 5678"),
        )
        .await;
    let (th_entity, th_canonical) =
        first_identifier(&t.report(&w.th_analyst.token, th_report).await);
    let (jp_entity, jp_canonical) =
        first_identifier(&t.report(&w.jp_analyst.token, jp_report).await);
    assert_eq!(th_canonical, "+66812345678");
    assert_eq!(
        (th_entity, &th_canonical),
        (jp_entity, &jp_canonical),
        "one entity"
    );

    let both_agencies = BTreeSet::from([w.th, w.jp]);
    let both_reports = BTreeSet::from([th_report, jp_report]);
    for (who, value, extra) in [
        (&w.th_analyst, "081-234-5678", ""),
        (&w.jp_analyst, "+66 81 234 5678", ""),
        (&w.th_analyst, "๐๘๑ ๒๓๔ ๕๖๗๘", ""),
        (&w.jp_analyst, "081-234-5678", "&region=TH"),
        (&w.in_analyst, "+66812345678", "&kind=phone"),
    ] {
        let (status, found) = lookup(t, &who.token, value, extra).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{} looks up {value:?}: {found}",
            who.username
        );
        assert_eq!(uuid(&found["id"]), th_entity, "{value:?}");
        assert_eq!(found["kind"], "phone");
        assert_eq!(found["value"], "+66812345678");
        let sightings = found["sightings"].as_array().unwrap();
        let agencies: BTreeSet<Uuid> = sightings.iter().map(|s| uuid(&s["agency"])).collect();
        assert_eq!(agencies, both_agencies, "{value:?}: {found}");
        assert!(sightings.iter().all(|s| s["reports"] == 1), "{found}");
        let reports: BTreeSet<Uuid> = found["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(uuid)
            .collect();
        assert_eq!(reports, both_reports, "{value:?}");
        assert_eq!(found["held_by"], json!([]));
    }
    let (status, by_id) = t
        .call(
            "GET",
            &format!("/api/v1/entities/{th_entity}"),
            Some(&w.in_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{by_id}");
    assert_eq!(by_id["value"], "+66812345678");
    assert_eq!(by_id["sightings"].as_array().unwrap().len(), 2);

    // Read in Japan, the national writing is another number, which nobody holds.
    let (status, other) = lookup(t, &w.jp_analyst.token, "081-234-5678", "").await;
    assert!(
        status == StatusCode::NOT_FOUND || other["id"] != json!(th_entity),
        "{status} {other}"
    );
}

#[tokio::test]
async fn resubmitting_a_client_id_is_a_duplicate_and_other_content_a_conflict() {
    let w = World::new();
    let t = &w.t;
    let id = Uuid::new_v4();
    let mut body = phone_report("GREEN", "081-234-5678");
    body["id"] = json!(id);

    let first = t
        .call_reply(
            "POST",
            "/api/v1/reports",
            Some(&w.th_analyst.token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(
        first.json(),
        json!({"id": id, "status": "accepted", "version": 1})
    );
    assert_eq!(
        first.header("location"),
        Some(format!("/api/v1/reports/{id}").as_str())
    );

    let (status, again) = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&w.th_analyst.token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["status"], "duplicate");
    assert_eq!(uuid(&again["id"]), id);

    let mut other = body.clone();
    other["narrative"] = json!("something else entirely");
    let (status, e) = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&w.th_analyst.token),
            Some(other),
        )
        .await;
    assert_error(status, &e, StatusCode::CONFLICT, "conflict");
    // The same content from another agency is another report: the id is taken.
    let (status, e) = t
        .call(
            "POST",
            "/api/v1/reports",
            Some(&w.jp_analyst.token),
            Some(body),
        )
        .await;
    assert_error(status, &e, StatusCode::CONFLICT, "conflict");

    let stored = t.report(&w.th_analyst.token, id).await;
    assert_eq!(stored["body"]["narrative"], "the caller used 081-234-5678");
    assert_eq!(stored["version"], 1);
    assert_eq!(uuid(&stored["owner"]), w.th);
    let (_, found) = lookup(t, &w.th_analyst.token, "081-234-5678", "").await;
    assert_eq!(
        found["sightings"],
        json!([{
            "agency": w.th, "reports": 1,
            "first_seen": found["sightings"][0]["first_seen"], "last_seen": found["sightings"][0]["last_seen"],
        }]),
        "the duplicate was not counted twice"
    );
}

#[tokio::test]
async fn a_duplicate_answers_the_current_version() {
    let w = World::new();
    let t = &w.t;
    let tok = &w.th_analyst.token;
    let id = Uuid::new_v4();
    let mut v1 = narrated("GREEN", "v1");
    v1["id"] = json!(id);
    t.submit(tok, v1).await;
    let mut v2 = narrated("GREEN", "v2");
    v2["id"] = json!(id);
    let r = put(t, tok, id, Some("\"1\""), &v2).await;
    assert_eq!(r.json(), json!({"id": id, "version": 2}), "{}", r.text());
    // Re-sending what is stored now is a duplicate of version 2.
    let (status, again) = t.call("POST", "/api/v1/reports", Some(tok), Some(v2)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        again,
        json!({"id": id, "status": "duplicate", "version": 2})
    );
}

async fn put(t: &TestNode, token: &str, id: Uuid, if_match: Option<&str>, body: &Value) -> Reply {
    let mut b = TestNode::request("PUT", &format!("/api/v1/reports/{id}"), Some(token))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(m) = if_match {
        b = b.header(header::IF_MATCH, m);
    }
    t.send(b.body(Body::from(body.to_string())).unwrap()).await
}

fn narrated(marking: &str, narrative: &str) -> Value {
    json!({"kind": "intelligence", "marking": marking, "narrative": narrative})
}

#[tokio::test]
async fn updates_check_if_match_and_keep_every_version() {
    let w = World::new();
    let t = &w.t;
    let tok = &w.th_analyst.token;
    let id = t.submit(tok, narrated("GREEN", "v1")).await;
    let got = t
        .call_reply("GET", &format!("/api/v1/reports/{id}"), Some(tok), None)
        .await;
    assert_eq!(got.header("etag"), Some("\"1\""));

    let r = put(t, tok, id, Some("\"1\""), &narrated("GREEN", "v2")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({"id": id, "version": 2}));
    let r = put(t, tok, id, Some("\"1\""), &narrated("GREEN", "v3")).await;
    assert_error(r.status, &r.json(), StatusCode::CONFLICT, "conflict");
    let r = put(t, tok, id, Some("one"), &narrated("GREEN", "v3")).await;
    let e = assert_error(
        r.status,
        &r.json(),
        StatusCode::BAD_REQUEST,
        "invalid_if_match",
    );
    assert_eq!(e["field"], "If-Match");

    let got = t
        .call_reply("GET", &format!("/api/v1/reports/{id}"), Some(tok), None)
        .await;
    assert_eq!(got.header("etag"), Some("\"2\""));
    assert_eq!(got.json()["body"]["narrative"], "v2");

    // Sending the current content again changes nothing.
    let r = put(t, tok, id, None, &narrated("GREEN", "v2")).await;
    assert_eq!(r.json(), json!({"id": id, "version": 2}), "{}", r.text());

    let (status, versions) = t
        .call(
            "GET",
            &format!("/api/v1/reports/{id}/versions"),
            Some(tok),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{versions}");
    let seen: Vec<(u64, &str)> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().unwrap(),
                v["body"]["narrative"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(seen, vec![(1, "v1"), (2, "v2")]);

    // Another agency: 403 where it can read the report, 404 where it cannot.
    let r = put(t, &w.jp_analyst.token, id, None, &narrated("GREEN", "jp")).await;
    assert_error(r.status, &r.json(), StatusCode::FORBIDDEN, "forbidden");
    let (status, e) = t
        .call(
            "DELETE",
            &format!("/api/v1/reports/{id}"),
            Some(&w.jp_analyst.token),
            None,
        )
        .await;
    assert_error(status, &e, StatusCode::FORBIDDEN, "forbidden");
    let red = t.submit(tok, narrated("RED", "red v1")).await;
    let r = put(t, &w.jp_analyst.token, red, None, &narrated("RED", "jp")).await;
    assert_error(r.status, &r.json(), StatusCode::NOT_FOUND, "not_found");
    let (status, e) = t
        .call(
            "DELETE",
            &format!("/api/v1/reports/{red}"),
            Some(&w.jp_analyst.token),
            None,
        )
        .await;
    assert_error(status, &e, StatusCode::NOT_FOUND, "not_found");

    // The owner agency: another analyst may not, a supervisor may; a body id must match.
    let r = put(
        t,
        &w.th_analyst2.token,
        id,
        None,
        &narrated("GREEN", "colleague"),
    )
    .await;
    assert_error(r.status, &r.json(), StatusCode::FORBIDDEN, "forbidden");
    let mut mismatched = narrated("GREEN", "v3");
    mismatched["id"] = json!(Uuid::new_v4());
    let r = put(t, tok, id, None, &mismatched).await;
    assert_error(
        r.status,
        &r.json(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "id_mismatch",
    );
    let r = put(
        t,
        &w.th_supervisor.token,
        id,
        Some("\"2\""),
        &narrated("GREEN", "v3 by supervisor"),
    )
    .await;
    assert_eq!(r.json(), json!({"id": id, "version": 3}), "{}", r.text());
    let (_, versions) = t
        .call(
            "GET",
            &format!("/api/v1/reports/{id}/versions"),
            Some(tok),
            None,
        )
        .await;
    assert_eq!(versions.as_array().unwrap().len(), 3);
    let got = t.report(&w.jp_analyst.token, id).await;
    assert_eq!(got["body"]["narrative"], "v3 by supervisor");
}

#[tokio::test]
async fn an_update_moves_the_sightings_to_the_new_version() {
    let w = World::new();
    let t = &w.t;
    let tok = &w.th_analyst.token;
    let id = t.submit(tok, phone_report("GREEN", "081-234-5678")).await;
    assert_eq!(lookup(t, tok, "081-234-5678", "").await.0, StatusCode::OK);
    let r = put(
        t,
        tok,
        id,
        Some("\"1\""),
        &phone_report("GREEN", "089-999-1234"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (status, body) = lookup(t, &w.jp_analyst.token, "+66812345678", "").await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, found) = lookup(t, &w.jp_analyst.token, "+66899991234", "").await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["reports"], json!([id]));
}

#[tokio::test]
async fn a_retracted_report_is_a_tombstone_and_its_sightings_vanish() {
    let w = World::new();
    let t = &w.t;
    let th_report = t
        .submit(&w.th_analyst.token, phone_report("GREEN", "081-234-5678"))
        .await;
    let jp_report = t
        .submit(
            &w.jp_analyst.token,
            phone_report("GREEN", "+66 81 234 5678"),
        )
        .await;
    let (entity, _) = first_identifier(&t.report(&w.th_analyst.token, th_report).await);

    let path = format!("/api/v1/reports/{th_report}");
    let (status, body) = t
        .call("DELETE", &path, Some(&w.th_analyst.token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    for who in [&w.th_analyst, &w.jp_analyst] {
        let tomb = t.report(&who.token, th_report).await;
        assert!(tomb["retracted_at"].is_string(), "{tomb}");
        assert!(
            tomb.get("body").is_none(),
            "a tombstone withholds the content: {tomb}"
        );
        assert!(!tomb.to_string().contains("081-234-5678"));
    }

    let (status, found) = lookup(t, &w.in_analyst.token, "+66812345678", "").await;
    assert_eq!(status, StatusCode::OK);
    let agencies: Vec<Uuid> = found["sightings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| uuid(&s["agency"]))
        .collect();
    assert_eq!(agencies, vec![w.jp], "{found}");
    assert_eq!(found["reports"], json!([jp_report]));

    let (_, listed) = t
        .call("GET", "/api/v1/reports", Some(&w.th_analyst.token), None)
        .await;
    let ids: Vec<Uuid> = listed["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| uuid(&r["id"]))
        .collect();
    assert_eq!(ids, vec![jp_report]);
    let (_, listed) = t
        .call(
            "GET",
            "/api/v1/reports?include_retracted=true",
            Some(&w.th_analyst.token),
            None,
        )
        .await;
    let tomb = listed["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(th_report))
        .expect("listed with include_retracted");
    assert!(
        tomb.get("body").is_none() && tomb["retracted_at"].is_string(),
        "{tomb}"
    );

    // Earlier versions do not bring the content back.
    let (status, versions) = t
        .call(
            "GET",
            &format!("{path}/versions"),
            Some(&w.jp_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{versions}");
    assert_eq!(versions.as_array().unwrap().len(), 2, "{versions}");
    for v in versions.as_array().unwrap() {
        assert!(
            v.get("body").is_none(),
            "a version of a retracted report shows its content: {v}"
        );
    }
    assert!(!versions.to_string().contains("081-234-5678"), "{versions}");

    // Retracting twice is fine; changing a tombstone is not.
    assert_eq!(
        t.call("DELETE", &path, Some(&w.th_analyst.token), None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let r = put(
        t,
        &w.th_analyst.token,
        th_report,
        None,
        &phone_report("GREEN", "081-234-5678"),
    )
    .await;
    assert_error(r.status, &r.json(), StatusCode::GONE, "gone");

    // With the last holder retracted, the entity is known to nobody.
    assert_eq!(
        t.call(
            "DELETE",
            &format!("/api/v1/reports/{jp_report}"),
            Some(&w.jp_analyst.token),
            None
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = lookup(t, &w.th_analyst.token, "081-234-5678", "").await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let (status, body) = t
        .call(
            "GET",
            &format!("/api/v1/entities/{entity}"),
            Some(&w.th_analyst.token),
            None,
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
}

/// One report of the listing test, and who may read it.
struct Listed {
    id: Uuid,
    owner: Uuid,
    kind: &'static str,
    methods: &'static [&'static str],
    country: Option<&'static str>,
    /// Day of January 2026 it was reported.
    day: u8,
    marking: &'static str,
    named: Vec<Uuid>,
    groups: Vec<Uuid>,
    retracted: bool,
}

impl Listed {
    fn readable_by(&self, w: &World, agency: Uuid, roles: &[Role]) -> bool {
        let investigative = roles.contains(&Role::Analyst) || roles.contains(&Role::Supervisor);
        if self.marking == "RED" && !investigative {
            return false;
        }
        let grouped = self.groups.contains(&w.th_jp) && (agency == w.th || agency == w.jp);
        self.owner == agency
            || match self.marking {
                "CLEAR" | "GREEN" => true,
                "AMBER" => self.named.contains(&agency) || grouped,
                _ => self.named.contains(&agency),
            }
    }
}

fn day(d: u8) -> String {
    format!("2026-01-{d:02}T00:00:00Z")
}

#[tokio::test]
async fn listing_filters_and_pages_visit_each_readable_report_once() {
    let w = World::new();
    let t = &w.t;
    let (th, jp, india) = (w.th, w.jp, w.india);
    // owner, kind, methods, victim country, day, marking, agencies, groups, retracted
    type Plan = (
        Uuid,
        &'static str,
        &'static [&'static str],
        Option<&'static str>,
        u8,
        &'static str,
        Vec<Uuid>,
        Vec<Uuid>,
        bool,
    );
    #[rustfmt::skip]
    let plan: Vec<Plan> = vec![
        (th, "victim_complaint", &["romance"], Some("TH"), 1, "GREEN", vec![], vec![], false),
        (th, "intelligence", &["official_impersonation", "digital_arrest"], Some("JP"), 2, "AMBER", vec![], vec![w.th_jp], false),
        (th, "victim_complaint", &["romance"], Some("JP"), 3, "RED", vec![], vec![], false),
        (jp, "victim_complaint", &["parcel_courier"], Some("JP"), 4, "GREEN", vec![], vec![], false),
        (india, "arrest", &["digital_arrest"], Some("IN"), 5, "AMBER", vec![], vec![], false),
        (india, "intelligence", &["romance"], Some("TH"), 6, "AMBER+STRICT", vec![jp], vec![], false),
        (th, "raid", &[], Some("TH"), 7, "AMBER+STRICT", vec![india], vec![], false),
        (jp, "advisory", &["romance"], None, 8, "CLEAR", vec![], vec![], false),
        (th, "financial_trace", &["investment_pig_butchering"], Some("TH"), 9, "RED", vec![jp], vec![], false),
        (india, "victim_complaint", &["romance"], Some("IN"), 10, "GREEN", vec![], vec![], false),
        (th, "victim_complaint", &["romance"], Some("TH"), 11, "GREEN", vec![], vec![], true),
        (jp, "intelligence", &["digital_arrest"], Some("JP"), 12, "RED", vec![], vec![], false),
        (th, "victim_complaint", &["romance"], Some("TH"), 13, "RED", vec![], vec![], false),
        (th, "victim_complaint", &["romance"], Some("TH"), 14, "RED", vec![], vec![], false),
        (th, "victim_complaint", &["romance"], Some("TH"), 15, "AMBER", vec![india], vec![], false),
        (jp, "victim_complaint", &["sextortion"], Some("JP"), 16, "GREEN", vec![], vec![], false),
    ];
    let author = |owner: Uuid| {
        if owner == th {
            &w.th_analyst
        } else if owner == jp {
            &w.jp_analyst
        } else {
            &w.in_analyst
        }
    };
    let mut reports = Vec::new();
    for (owner, kind, methods, country, d, marking, named, groups, retracted) in plan {
        let mut body = json!({
            "kind": kind, "marking": marking, "methods": methods, "reported_at": day(d),
            "narrative": format!("report of day {d}"),
            "distribution": {"agencies": named, "groups": groups},
        });
        if let Some(c) = country {
            body["victim_country"] = json!(c);
        }
        let id = t.submit(&author(owner).token, body).await;
        if retracted {
            let (status, _) = t
                .call(
                    "DELETE",
                    &format!("/api/v1/reports/{id}"),
                    Some(&author(owner).token),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::NO_CONTENT);
        }
        reports.push(Listed {
            id,
            owner,
            kind,
            methods,
            country,
            day: d,
            marking,
            named,
            groups,
            retracted,
        });
    }

    type Pred = Box<dyn Fn(&Listed) -> bool>;
    let filters: Vec<(String, Pred)> = vec![
        (String::new(), Box::new(|_| true)),
        (
            "kind=victim_complaint".into(),
            Box::new(|r| r.kind == "victim_complaint"),
        ),
        (
            "method=romance".into(),
            Box::new(|r| r.methods.contains(&"romance")),
        ),
        (
            "method=digital_arrest".into(),
            Box::new(|r| r.methods.contains(&"digital_arrest")),
        ),
        ("country=th".into(), Box::new(|r| r.country == Some("TH"))),
        (format!("agency={th}"), Box::new(move |r| r.owner == th)),
        (
            format!("agency={india}"),
            Box::new(move |r| r.owner == india),
        ),
        (format!("since={}", q(&day(4))), Box::new(|r| r.day >= 4)),
        (format!("until={}", q(&day(8))), Box::new(|r| r.day < 8)),
        (
            format!("since={}&until={}", q(&day(3)), q(&day(12))),
            Box::new(|r| (3..12).contains(&r.day)),
        ),
        (
            format!("kind=victim_complaint&method=romance&agency={th}"),
            Box::new(move |r| {
                r.kind == "victim_complaint" && r.methods.contains(&"romance") && r.owner == th
            }),
        ),
        ("method=no_such_method".into(), Box::new(|_| false)),
    ];
    let viewers: [(&super::common::Member, &[Role]); 4] = [
        (&w.jp_analyst, &[Role::Analyst]),
        (&w.th_analyst, &[Role::Analyst]),
        (&w.in_analyst, &[Role::Analyst]),
        (&w.admin, &[Role::Admin]),
    ];
    for (viewer, roles) in viewers {
        for include_retracted in [false, true] {
            for (query, pred) in &filters {
                // Newest first: the reverse of the order of submission.
                let expected: Vec<Uuid> = reports
                    .iter()
                    .rev()
                    .filter(|r| {
                        pred(r)
                            && r.readable_by(&w, viewer.agency, roles)
                            && (include_retracted || !r.retracted)
                    })
                    .map(|r| r.id)
                    .collect();
                for limit in [1, 3, 500] {
                    let mut seen = Vec::new();
                    let mut cursor: Option<u64> = None;
                    let mut pages = 0;
                    loop {
                        let mut path = format!("/api/v1/reports?limit={limit}&{query}");
                        if include_retracted {
                            path.push_str("&include_retracted=true");
                        }
                        if let Some(c) = cursor {
                            path.push_str(&format!("&cursor={c}"));
                        }
                        let (status, page) = t.call("GET", &path, Some(&viewer.token), None).await;
                        assert_eq!(status, StatusCode::OK, "{path}: {page}");
                        let items = page["reports"].as_array().unwrap();
                        assert!(items.len() <= limit, "{path}: {} > limit", items.len());
                        for r in items {
                            assert_eq!(
                                r.get("body").is_none(),
                                r["retracted_at"].is_string(),
                                "{r}"
                            );
                        }
                        seen.extend(items.iter().map(|r| uuid(&r["id"])));
                        pages += 1;
                        assert!(pages <= reports.len() + 2, "{path}: paging does not end");
                        match page.get("next") {
                            Some(n) => cursor = Some(n.as_u64().unwrap()),
                            None => break,
                        }
                    }
                    assert_eq!(
                        seen, expected,
                        "{} with ?{query} include_retracted={include_retracted} limit={limit}",
                        viewer.username
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn invalid_identifiers_are_refused_or_kept_raw_on_request() {
    let w = World::new();
    let t = &w.t;
    let tok = &w.th_analyst.token;
    let mut body = json!({
        "kind": "victim_complaint", "marking": "GREEN",
        "entities": [
            {"type": "identifier", "kind": "phone", "value": "081-234-5678"},
            {"type": "identifier", "kind": "phone", "value": "12345"},
        ],
    });
    let (status, refused) = t
        .call("POST", "/api/v1/reports", Some(tok), Some(body.clone()))
        .await;
    let e = assert_error(
        status,
        &refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        refused["error"]["code"].as_str().unwrap_or("?"),
    );
    assert_eq!(e["field"], "entities[1].value", "{refused}");
    let code = e["code"].as_str().unwrap().to_owned();
    let (_, listed) = t.call("GET", "/api/v1/reports", Some(tok), None).await;
    assert_eq!(
        listed["reports"],
        json!([]),
        "a refused report is not stored"
    );

    body["invalid_identifiers"] = json!("keep_raw");
    let id = t.submit(tok, body.clone()).await;
    let stored = t.report(tok, id).await;
    let good = &stored["body"]["entities"][0];
    assert_eq!(good["canonical"], "+66812345678");
    assert_eq!(good["valid"], true);
    let raw = &stored["body"]["entities"][1];
    assert_eq!(raw["raw"], "12345");
    assert_eq!(raw["valid"], false);
    assert!(
        raw.get("canonical").is_none() && raw.get("id").is_none(),
        "{raw}"
    );
    assert_eq!(raw["error"]["code"], code.as_str(), "{raw}");
    assert!(
        raw["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{raw}"
    );
    let (status, _) = lookup(t, tok, "081-234-5678", "").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the valid identifier beside it still correlates"
    );

    body["invalid_identifiers"] = json!("maybe");
    let (status, e) = t
        .call("POST", "/api/v1/reports", Some(tok), Some(body))
        .await;
    let e = assert_error(
        status,
        &e,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_option",
    );
    assert_eq!(e["field"], "invalid_identifiers");
}

/// The NDJSON answer lines, parsed.
fn answer_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_ndjson_answers_every_line_in_order_then_a_summary() {
    let w = World::new();
    let s = Server::start(w.t.node.clone(), RateConfig::default(), false).await;
    let (a, c) = (Uuid::new_v4(), Uuid::new_v4());
    let mut good_a = phone_report("GREEN", "081-234-5678");
    good_a["id"] = json!(a);
    let mut conflict = good_a.clone();
    conflict["narrative"] = json!("other content under the same id");
    let mut good_c = report("AMBER");
    good_c["id"] = json!(c);
    let huge = json!({"kind": "intelligence", "marking": "GREEN", "narrative": "x".repeat(1024 * 1024 + 10)});
    let lines: Vec<String> = vec![
        good_a.to_string(),                                   // 1 accepted
        format!("{}\r", report("GREEN")),                     // 2 accepted, CRLF
        good_a.to_string(),                                   // 3 duplicate
        r#"{"kind": "intelligence", "marking": "#.to_owned(), // 4 malformed
        phone_report("GREEN", "12345").to_string(),           // 5 invalid identifier
        "   ".to_owned(),                                     // 6 blank: no answer
        huge.to_string(),                                     // 7 over 1 MiB
        conflict.to_string(),                                 // 8 conflict
        r#"{"kind": 5, "marking": "GREEN"}"#.to_owned(),      // 9 wrong type
        good_c.to_string(),                                   // 10 accepted, no final newline
    ];
    let body = lines.join("\n").into_bytes();
    // Sent in odd-sized chunks, so that lines straddle chunk boundaries.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        body.chunks(65_521).map(|c| Ok(c.to_vec())).collect();
    let response = s
        .http
        .post(s.url("/api/v1/reports:bulk"))
        .bearer_auth(&w.th_analyst.token)
        .header(header::CONTENT_TYPE, NDJSON)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], NDJSON);
    let answers = answer_lines(&response.text().await.unwrap());
    assert_eq!(answers.len(), 10, "9 answers and a summary: {answers:#?}");

    let line = |n: usize| {
        answers
            .iter()
            .find(|a| a["line"] == n)
            .unwrap_or_else(|| panic!("no answer for line {n}: {answers:#?}"))
    };
    let order: Vec<u64> = answers[..9]
        .iter()
        .map(|a| a["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![1, 2, 3, 4, 5, 7, 8, 9, 10],
        "answers in order of the lines"
    );
    assert_eq!(line(1)["status"], "accepted");
    assert_eq!(uuid(&line(1)["id"]), a);
    assert_eq!(line(2)["status"], "accepted");
    let b = uuid(&line(2)["id"]);
    assert_eq!(line(3)["status"], "duplicate");
    assert_eq!(uuid(&line(3)["id"]), a);
    assert_eq!(line(4)["status"], "rejected");
    assert_eq!(line(4)["errors"][0]["code"], "malformed_json");
    assert_eq!(line(5)["status"], "rejected");
    assert_eq!(line(5)["errors"][0]["field"], "entities[0].value");
    assert_eq!(line(7)["status"], "rejected");
    assert_eq!(line(7)["errors"][0]["code"], "line_too_long");
    assert_eq!(line(8)["status"], "conflict");
    assert_eq!(uuid(&line(8)["id"]), a);
    assert_eq!(line(9)["status"], "rejected");
    assert_eq!(line(9)["errors"][0]["code"], "wrong_type");
    assert_eq!(line(9)["errors"][0]["field"], "kind");
    assert_eq!(line(10)["status"], "accepted");
    assert_eq!(uuid(&line(10)["id"]), c);
    assert_eq!(
        answers[9],
        json!({"summary": {"lines": 10, "accepted": 3, "duplicate": 1, "conflict": 1, "rejected": 4}})
    );

    // The accepted lines are stored, as sent; nothing else is.
    let t = &w.t;
    assert_eq!(
        t.report(&w.th_analyst.token, a).await["body"]["narrative"],
        "the caller used 081-234-5678"
    );
    t.report(&w.th_analyst.token, b).await;
    assert_eq!(t.report(&w.th_analyst.token, c).await["marking"], "AMBER");
    let (_, listed) = t
        .call("GET", "/api/v1/reports", Some(&w.th_analyst.token), None)
        .await;
    assert_eq!(listed["reports"].as_array().unwrap().len(), 3, "{listed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_answers_stream_while_the_request_is_still_being_sent() {
    use warroom_server::limits::BULK_BATCH;
    let w = World::new();
    let s = Server::start(w.t.node.clone(), RateConfig::default(), false).await;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let line = |n: usize| format!("{}\n", narrated("GREEN", &format!("bulk line {n}")));
    let first: String = (1..=BULK_BATCH).map(line).collect();
    tx.send(Ok(first.into_bytes())).await.unwrap();

    let exchange = async {
        let response = s
            .http
            .post(s.url("/api/v1/reports:bulk"))
            .bearer_auth(&w.th_analyst.token)
            .header(header::CONTENT_TYPE, NDJSON)
            .body(reqwest::Body::wrap_stream(body))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut stream = response.bytes_stream();
        let mut received = Vec::new();
        // A whole batch is answered while the request body is still open...
        while received.iter().filter(|b| **b == b'\n').count() < BULK_BATCH {
            let chunk = stream
                .next()
                .await
                .expect("the answer ended early")
                .unwrap();
            received.extend_from_slice(&chunk);
        }
        let answers = answer_lines(&String::from_utf8(received.clone()).unwrap());
        assert_eq!(answers.len(), BULK_BATCH);
        assert!(
            answers
                .iter()
                .enumerate()
                .all(|(i, a)| a["line"] == i + 1 && a["status"] == "accepted")
        );
        // ...and only then does the client send the last line and end the request.
        tx.send(Ok(line(BULK_BATCH + 1).into_bytes()))
            .await
            .unwrap();
        drop(tx);
        while let Some(chunk) = stream.next().await {
            received.extend_from_slice(&chunk.unwrap());
        }
        answer_lines(&String::from_utf8(received).unwrap())
    };
    // Without streaming, the exchange would wait forever; fail instead of hanging.
    let answers = tokio::time::timeout(std::time::Duration::from_secs(300), exchange)
        .await
        .expect("no answers before the end of the request: the bulk endpoint does not stream");
    assert_eq!(answers.len(), BULK_BATCH + 2);
    assert_eq!(answers[BULK_BATCH]["line"], BULK_BATCH + 1);
    assert_eq!(
        answers[BULK_BATCH + 1]["summary"]["accepted"],
        BULK_BATCH + 1
    );
}

#[tokio::test]
async fn bulk_refuses_a_caller_who_may_not_submit_before_reading_the_body() {
    let w = World::new();
    let request = TestNode::request("POST", "/api/v1/reports:bulk", Some(&w.admin.token))
        .header(header::CONTENT_TYPE, NDJSON)
        .body(Body::from(format!("{}\n", report("GREEN"))))
        .unwrap();
    let reply = w.t.send(request).await;
    assert_error(
        reply.status,
        &reply.json(),
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let (_, listed) =
        w.t.call("GET", "/api/v1/reports", Some(&w.th_analyst.token), None)
            .await;
    assert_eq!(listed["reports"], json!([]));
}

/// Every audit event the caller may read, following `after`.
async fn audit_all(t: &TestNode, token: &str) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    loop {
        let after = all.last().map_or(0, |e| e["seq"].as_u64().unwrap());
        let (status, page) = t
            .call(
                "GET",
                &format!("/api/v1/audit?after={after}&limit=100"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let page = page.as_array().unwrap().clone();
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

#[tokio::test]
async fn audit_log_is_for_supervisors_of_their_own_agency_and_records_request_and_purpose() {
    let w = World::new();
    let t = &w.t;
    let id = t.submit(&w.th_analyst.token, report("GREEN")).await;
    let read = |token: &str, request_id: &str, purpose: &str| {
        TestNode::request("GET", &format!("/api/v1/reports/{id}"), Some(token))
            .header("x-request-id", request_id)
            .header(
                "x-warroom-purpose",
                axum::http::HeaderValue::from_bytes(purpose.as_bytes()).unwrap(),
            )
            .body(Body::empty())
            .unwrap()
    };
    let r = t
        .send(read(
            &w.th_analyst.token,
            "story-read-0001",
            "case TH-42: triage",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("x-request-id"), Some("story-read-0001"));
    let r = t
        .send(read(
            &w.jp_analyst.token,
            "jp-read-0001",
            "คดีร่วม 42: ตรวจสอบ",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .send(read(&w.jp_analyst.token, "not a sane id!", "x"))
        .await;
    let fresh = r.header("x-request-id").unwrap();
    assert!(
        Uuid::parse_str(fresh).is_ok(),
        "an unusable request id is replaced: {fresh}"
    );

    let (status, body) = t
        .call("GET", "/api/v1/audit", Some(&w.th_analyst.token), None)
        .await;
    assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");

    let th_events = audit_all(t, &w.th_supervisor.token).await;
    assert!(!th_events.is_empty());
    assert!(
        th_events.iter().all(|e| e["actor_agency"] == json!(w.th)),
        "only TH events: {th_events:#?}"
    );
    assert!(
        th_events
            .windows(2)
            .all(|p| p[0]["seq"].as_u64() < p[1]["seq"].as_u64())
    );
    assert!(th_events.iter().all(|e| {
        e["hash"]
            .as_str()
            .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    }));
    let read_event = th_events
        .iter()
        .find(|e| e["action"] == "report.read" && e["request_id"] == "story-read-0001")
        .unwrap_or_else(|| panic!("no report.read event with the request id: {th_events:#?}"));
    assert_eq!(read_event["object_kind"], "report");
    assert_eq!(read_event["object_id"], id.to_string());
    assert_eq!(read_event["purpose"], "case TH-42: triage");
    assert_eq!(read_event["actor_user"], json!(w.th_analyst.id));
    assert!(
        th_events
            .iter()
            .any(|e| e["action"] == "report.create" && e["object_id"] == id.to_string())
    );
    assert!(
        !th_events.iter().any(|e| e["request_id"] == "jp-read-0001"),
        "another agency's reads are not shown"
    );

    let jp_events = audit_all(t, &w.jp_supervisor.token).await;
    assert!(jp_events.iter().all(|e| e["actor_agency"] == json!(w.jp)));
    let jp_read = jp_events
        .iter()
        .find(|e| e["request_id"] == "jp-read-0001")
        .expect("the JP read");
    assert_eq!(jp_read["action"], "report.read");
    assert_eq!(
        jp_read["purpose"], "คดีร่วม 42: ตรวจสอบ",
        "a purpose in Thai is kept"
    );
    assert!(
        jp_events.iter().any(|e| e["request_id"] == fresh),
        "the replacement id is the one audited"
    );
}

/// Every `route="..."` label value of a metric in the Prometheus text.
fn route_labels(metrics: &str, metric: &str) -> BTreeMap<String, u64> {
    let mut routes = BTreeMap::new();
    for line in metrics
        .lines()
        .filter(|l| l.starts_with(&format!("{metric}{{")))
    {
        let route = line
            .split("route=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("no route label: {line}"));
        let count: u64 = line
            .rsplit(' ')
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        *routes.entry(route.to_owned()).or_insert(0) += count;
    }
    routes
}

/// The only test that starts the metrics listener: its recorder is global to the process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_and_metrics_count_requests_by_route_template() {
    let w = World::new();
    let id = w.t.submit(&w.th_analyst.token, report("GREEN")).await;
    let s = Server::start(w.t.node.clone(), RateConfig::default(), true).await;
    let metrics_addr = s.metrics.expect("a metrics listener");

    let health = s.http.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.text().await.unwrap(), "ok");

    let missing = Uuid::new_v4();
    let get = |path: String| {
        s.http
            .get(s.url(&path))
            .bearer_auth(&w.th_analyst.token)
            .send()
    };
    assert_eq!(
        get(format!("/api/v1/reports/{id}")).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        get(format!("/api/v1/reports/{id}/versions"))
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        get(format!("/api/v1/reports/{missing}"))
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let unrouted = get(format!("/api/v1/no-such-thing/{missing}"))
        .await
        .unwrap();
    assert_eq!(unrouted.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        unrouted.json::<Value>().await.unwrap()["error"]["code"],
        "no_route"
    );

    // The API port does not serve metrics.
    let r = s.http.get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let text = s
        .http
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let routes = route_labels(&text, "warroom_http_requests_total");
    assert!(
        routes.get("/api/v1/reports/{id}").is_some_and(|n| *n >= 2),
        "{routes:?}\n{text}"
    );
    assert!(
        routes.contains_key("/api/v1/reports/{id}/versions"),
        "{routes:?}"
    );
    assert!(routes.contains_key("/healthz"), "{routes:?}");
    for raw in [id.to_string(), missing.to_string()] {
        assert!(
            !text.contains(&raw),
            "a raw id in the metrics: {raw}\n{text}"
        );
    }
    // Every label is a route template (other tests of this binary count too) or `unmatched`.
    let doc = warroom_server::openapi();
    let mut templates: BTreeSet<String> = doc
        .paths
        .paths
        .keys()
        .map(|p| format!("/api/v1{p}"))
        .collect();
    templates.extend(["/healthz", "/api/v1/openapi.json", "unmatched"].map(str::to_owned));
    for route in routes.keys() {
        assert!(
            templates.contains(route),
            "route label {route:?} is not a template: {routes:?}"
        );
    }
    assert!(
        text.contains("warroom_http_request_duration_seconds"),
        "{text}"
    );
}

#[tokio::test]
async fn error_bodies_hold_no_more_than_the_error() {
    // A sanity check of the checker itself, on an error the whole suite relies on.
    let t = TestNode::new();
    let (status, body) = t.call("GET", "/api/v1/reports", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    error_shape(&body).unwrap();
    assert!(error_shape(&json!({"error": {"code": "x", "message": "y"}, "extra": 1})).is_err());
    assert!(error_shape(&json!({"error": {"code": "x", "message": "y", "hint": "z"}})).is_err());
    assert!(error_shape(&json!({"error": {"code": "x"}})).is_err());
}
