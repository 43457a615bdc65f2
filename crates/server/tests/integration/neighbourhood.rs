//! `GET /entities/{id}/neighbourhood`, the data of the entity page's graph: three agencies, one
//! phone number they all report under every marking, and what each side is shown of it. Only
//! reports the viewer reads in full take part; the others leave no node, no edge and no trace
//! of their identifiers.

use super::common::{Member, PASSWORD, Server, TestNode, assert_error, q, uuid};
use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use uuid::Uuid;
use warroom_domain::Role;
use warroom_node::CorrelationOptions;
use warroom_server::RateConfig;

/// The phone every report names, written as each side would.
const SHARED: &str = "+66 81 234 5678";
const SHARED_CANONICAL: &str = "+66812345678";

struct Story {
    t: TestNode,
    th: Uuid,
    jp: Uuid,
    th_analyst: Member,
    /// Reads no RED, even addressed to its agency.
    th_admin: Member,
    jp_analyst: Member,
    in_analyst: Member,
    shared: Uuid,
    /// (name, report id, the phone only this report names)
    reports: Vec<(&'static str, Uuid, &'static str)>,
}

impl Story {
    fn id(&self, name: &str) -> Uuid {
        self.reports.iter().find(|r| r.0 == name).unwrap().1
    }

    fn own_phone(&self, name: &str) -> &'static str {
        self.reports.iter().find(|r| r.0 == name).unwrap().2
    }
}

fn report(
    marking: &str,
    to: &[Uuid],
    day: u32,
    narrative: &str,
    own_phone: &str,
    extra: &[Value],
) -> Value {
    let mut entities = vec![
        json!({"type": "identifier", "kind": "phone", "value": SHARED}),
        json!({"type": "identifier", "kind": "phone", "value": own_phone}),
    ];
    entities.extend(extra.iter().cloned());
    json!({
        "kind": "victim_complaint",
        "marking": marking,
        "occurred_at": format!("2025-03-{day:02}T10:00:00Z"),
        "narrative": narrative,
        "distribution": {"agencies": to},
        "entities": entities,
    })
}

/// Seven reports on one number: the Thai police's own, and the Japanese police's under every
/// marking, addressed to Thailand or to India.
async fn story(index: bool) -> Story {
    let t = TestNode::new();
    if index {
        t.node.seed_warninglist().unwrap();
        t.node
            .start_correlation_and_wait(CorrelationOptions::default())
            .unwrap();
    }
    let th = t.agency("Royal Thai Police CCIB", "TH");
    let jp = t.agency("National Police Agency", "JP");
    let india = t.agency("I4C", "IN");
    let th_analyst = t.member(th, "th.analyst", &[Role::Analyst]);
    let th_admin = t.member(th, "th.admin", &[Role::Admin]);
    let jp_analyst = t.member(jp, "jp.analyst", &[Role::Analyst]);
    let in_analyst = t.member(india, "in.analyst", &[Role::Analyst]);
    // (name, marking, addressed to, the number only this report names); Thailand writes the
    // first, Japan the others.
    let plan = [
        ("th_own", "AMBER", None, "+66 81 111 1111"),
        ("jp_green", "GREEN", None, "+66 82 222 2222"),
        ("jp_amber_th", "AMBER", Some(th), "+66 83 333 3333"),
        ("jp_amber_in", "AMBER", Some(india), "+66 84 444 4444"),
        (
            "jp_strict_in",
            "AMBER+STRICT",
            Some(india),
            "+66 85 555 5555",
        ),
        ("jp_red_in", "RED", Some(india), "+66 86 666 6666"),
        ("jp_red_th", "RED", Some(th), "+66 87 777 7777"),
    ];
    let mut reports = Vec::new();
    for (day, (name, marking, to, phone)) in plan.into_iter().enumerate() {
        let (who, extra) = if name == "th_own" {
            let person = json!({"type": "person", "names": [{"full": "Somchai Jaidee"}]});
            (&th_analyst, vec![person])
        } else {
            (&jp_analyst, vec![])
        };
        let to: Vec<Uuid> = to.into_iter().collect();
        let narrative = format!("{name} report: the caller said he was a police officer");
        let body = report(marking, &to, day as u32 + 1, &narrative, phone, &extra);
        let id = t.submit(&who.token, body).await;
        reports.push((name, id, phone));
    }
    let shared = entity_id(&t, &th_analyst, SHARED).await;
    Story {
        t,
        th,
        jp,
        th_analyst,
        th_admin,
        jp_analyst,
        in_analyst,
        shared,
        reports,
    }
}

/// The entity id of a phone number, as someone who may read it looks it up.
async fn entity_id(t: &TestNode, who: &Member, phone: &str) -> Uuid {
    let (status, body) = t
        .call(
            "GET",
            &format!("/api/v1/entities/lookup?kind=phone&value={}", q(phone)),
            Some(&who.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    uuid(&body["id"])
}

async fn neighbourhood(t: &TestNode, who: &Member, entity: Uuid, query: &str) -> Value {
    let (status, body) = t
        .call(
            "GET",
            &format!("/api/v1/entities/{entity}/neighbourhood{query}"),
            Some(&who.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

fn report_ids(n: &Value) -> Vec<Uuid> {
    n["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| uuid(&r["id"]))
        .collect()
}

fn values(n: &Value) -> BTreeSet<String> {
    n["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["value"].as_str().map(str::to_owned))
        .collect()
}

fn canonical(phone: &str) -> String {
    phone.replace(' ', "")
}

/// Every edge joins a listed report and a listed entity, each pair once; every report has one.
fn check_graph(n: &Value) {
    let reports: BTreeSet<Uuid> = report_ids(n).into_iter().collect();
    let entities: Vec<Uuid> = n["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| uuid(&e["id"]))
        .collect();
    assert_eq!(entities[0], uuid(&n["entity"]), "the centre comes first");
    let entity_set: BTreeSet<Uuid> = entities.iter().copied().collect();
    assert_eq!(
        entity_set.len(),
        entities.len(),
        "entities listed once: {n}"
    );
    let mut pairs = BTreeSet::new();
    for e in n["edges"].as_array().unwrap() {
        let (r, x) = (uuid(&e["report"]), uuid(&e["entity"]));
        assert!(reports.contains(&r) && entity_set.contains(&x), "{e}");
        assert!(pairs.insert((r, x)), "edge twice: {e}");
    }
    for r in &reports {
        assert!(pairs.contains(&(*r, entities[0])), "{r} names the centre");
    }
    for x in &entities[1..] {
        assert!(pairs.iter().any(|(_, e)| e == x), "{x} has an edge");
    }
}

#[tokio::test]
async fn each_side_sees_only_the_reports_it_reads_in_full_and_what_they_name() {
    let s = story(true).await;
    let t = &s.t;

    // Thailand: its own report, and Japan's GREEN, AMBER to Thailand and RED to Thailand.
    let th = neighbourhood(t, &s.th_analyst, s.shared, "").await;
    check_graph(&th);
    assert_eq!(uuid(&th["entity"]), s.shared);
    assert_eq!(
        report_ids(&th),
        ["jp_red_th", "jp_amber_th", "jp_green", "th_own"].map(|n| s.id(n)),
        "newest first: {th}"
    );
    assert_eq!(th["truncated"], false);
    let mut want: BTreeSet<String> = ["th_own", "jp_green", "jp_amber_th", "jp_red_th"]
        .iter()
        .map(|n| canonical(s.own_phone(n)))
        .collect();
    want.insert(SHARED_CANONICAL.to_owned());
    want.insert("Somchai Jaidee".to_owned());
    assert_eq!(values(&th), want, "{th}");
    let person = th["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["value"] == "Somchai Jaidee")
        .unwrap();
    assert_eq!(person["kind"], "person");
    assert_eq!(th["entities"][0]["kind"], "phone");
    assert_eq!(th["entities"][0]["value"], SHARED_CANONICAL);
    let green = &th["reports"][2];
    assert_eq!(uuid(&green["owner"]), s.jp);
    assert_eq!(green["owner_name"], "National Police Agency");
    assert_eq!(green["marking"], "GREEN");
    assert_eq!(green["kind"], "victim_complaint");
    assert!(green["reported_at"].is_string(), "{green}");
    let title = green["title"].as_str().unwrap();
    assert!(
        title.starts_with("jp_green report: the caller") && title.chars().count() <= 61,
        "{title}"
    );
    assert_eq!(uuid(&th["reports"][3]["owner"]), s.th);
    // Nothing of what Thailand may not read: not the reports, not their own numbers.
    let text = th.to_string();
    for hidden in ["jp_amber_in", "jp_strict_in", "jp_red_in"] {
        assert!(
            !text.contains(&s.id(hidden).to_string()),
            "{hidden}: {text}"
        );
        assert!(
            !text.contains(&canonical(s.own_phone(hidden))),
            "{hidden}'s number: {text}"
        );
        assert!(!text.contains(hidden), "{hidden}'s narrative: {text}");
    }

    // A Thai admin reads no RED, not even addressed to Thailand.
    let admin = neighbourhood(t, &s.th_admin, s.shared, "").await;
    check_graph(&admin);
    assert_eq!(
        report_ids(&admin),
        ["jp_amber_th", "jp_green", "th_own"].map(|n| s.id(n))
    );
    assert!(
        !admin
            .to_string()
            .contains(&canonical(s.own_phone("jp_red_th")))
    );

    // India: GREEN and what is addressed to it; not Thailand's AMBER or what Japan sent Thailand.
    let india = neighbourhood(t, &s.in_analyst, s.shared, "").await;
    check_graph(&india);
    assert_eq!(
        report_ids(&india),
        ["jp_red_in", "jp_strict_in", "jp_amber_in", "jp_green"].map(|n| s.id(n))
    );
    assert!(!india.to_string().contains("Somchai"));

    // Japan owns six of them.
    let jp = neighbourhood(t, &s.jp_analyst, s.shared, "").await;
    assert_eq!(report_ids(&jp).len(), 6, "{jp}");
    assert!(!report_ids(&jp).contains(&s.id("th_own")));

    // A number only in Japan's RED report to India does not exist for Thailand, exactly as its
    // entity read says; one only in an AMBER report Thailand may hear of is the centre alone.
    let red_only = entity_id(t, &s.in_analyst, s.own_phone("jp_red_in")).await;
    let amber_only = entity_id(t, &s.in_analyst, s.own_phone("jp_amber_in")).await;
    let unknown = Uuid::new_v4();
    for entity in [red_only, unknown] {
        let (status, body) = t
            .call(
                "GET",
                &format!("/api/v1/entities/{entity}/neighbourhood"),
                Some(&s.th_analyst.token),
                None,
            )
            .await;
        let (read_status, read) = t
            .call(
                "GET",
                &format!("/api/v1/entities/{entity}"),
                Some(&s.th_analyst.token),
                None,
            )
            .await;
        assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
        assert_eq!((status, &body), (read_status, &read), "as the entity read");
    }
    let (read_status, _) = t
        .call(
            "GET",
            &format!("/api/v1/entities/{amber_only}"),
            Some(&s.th_analyst.token),
            None,
        )
        .await;
    assert_eq!(read_status, StatusCode::OK, "hit/no-hit");
    let held = neighbourhood(t, &s.th_analyst, amber_only, "").await;
    assert_eq!(
        held,
        json!({
            "entity": amber_only,
            "reports": [],
            "entities": [{"id": amber_only, "kind": "phone"}],
            "edges": [],
            "truncated": false,
        })
    );
}

#[tokio::test]
async fn limit_truncates_retraction_removes_and_bad_requests_are_refused() {
    let s = story(true).await;
    let t = &s.t;
    let first = neighbourhood(t, &s.th_analyst, s.shared, "?limit=2").await;
    check_graph(&first);
    assert_eq!(
        report_ids(&first),
        ["jp_red_th", "jp_amber_th"].map(|n| s.id(n))
    );
    assert_eq!(first["truncated"], true);
    // Exactly as many as Thailand reads: not truncated, whatever else exists.
    let all = neighbourhood(t, &s.th_analyst, s.shared, "?limit=4").await;
    assert_eq!(all["truncated"], false, "{all}");
    let max = neighbourhood(t, &s.th_analyst, s.shared, "?limit=50").await;
    assert_eq!(max, all);

    // Retracting a report removes it and what only it named.
    let (status, _) = t
        .call(
            "DELETE",
            &format!("/api/v1/reports/{}", s.id("jp_green")),
            Some(&s.jp_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let after = neighbourhood(t, &s.th_analyst, s.shared, "").await;
    check_graph(&after);
    assert_eq!(
        report_ids(&after),
        ["jp_red_th", "jp_amber_th", "th_own"].map(|n| s.id(n))
    );
    assert!(
        !after
            .to_string()
            .contains(&canonical(s.own_phone("jp_green")))
    );

    // Bad requests.
    let path = format!("/api/v1/entities/{}/neighbourhood", s.shared);
    for (query, code, field) in [
        ("?limit=0", "invalid_limit", Some("limit")),
        ("?limit=51", "invalid_limit", Some("limit")),
        ("?limit=ten", "invalid_query", None),
        ("?limit=-1", "invalid_query", None),
        ("?depth=2", "invalid_query", None),
    ] {
        let (status, body) = t
            .call(
                "GET",
                &format!("{path}{query}"),
                Some(&s.th_analyst.token),
                None,
            )
            .await;
        let e = assert_error(status, &body, StatusCode::BAD_REQUEST, code);
        assert_eq!(e["field"].as_str(), field, "{query}: {body}");
    }
    let (status, body) = t
        .call(
            "GET",
            "/api/v1/entities/nonsense/neighbourhood",
            Some(&s.th_analyst.token),
            None,
        )
        .await;
    let e = assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_id");
    assert_eq!(e["field"], "id");
    let (status, body) = t.call("GET", &path, None, None).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
    let (status, body) = t.call("GET", &path, Some("wrt_not-a-token"), None).await;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn one_audit_event_per_read_and_a_session_cookie_works_like_a_token() {
    let s = story(true).await;
    let t = &s.t;
    let events = |t: &TestNode| {
        t.node
            .store()
            .audit_events(&warroom_store::AuditFilter {
                agency: None,
                after: 0,
                limit: 100_000,
            })
            .unwrap()
            .into_iter()
            .filter(|e| e.draft.action == "entity.neighbourhood")
            .collect::<Vec<_>>()
    };
    let by_token = neighbourhood(t, &s.th_analyst, s.shared, "").await;
    let audited = events(t);
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].draft.object_kind, "entity");
    assert_eq!(audited[0].draft.object_id, s.shared.to_string());
    assert_eq!(
        audited[0].draft.actor_user,
        Some(warroom_domain::UserId(s.th_analyst.id))
    );

    let login = t
        .call_reply(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": s.th_analyst.username, "password": PASSWORD})),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text());
    let cookie = login
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let request = TestNode::request(
        "GET",
        &format!("/api/v1/entities/{}/neighbourhood", s.shared),
        None,
    )
    .header(header::COOKIE, cookie)
    .body(axum::body::Body::empty())
    .unwrap();
    let by_cookie = t.send(request).await;
    assert_eq!(by_cookie.status, StatusCode::OK, "{}", by_cookie.text());
    assert_eq!(by_cookie.json(), by_token);
    assert_eq!(events(t).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_server_answers_and_the_store_answers_alike_before_the_index_is_built() {
    // No index: the node reads sightings from the store.
    let without = story(false).await;
    let expected = neighbourhood(&without.t, &without.th_analyst, without.shared, "").await;
    check_graph(&expected);
    assert_eq!(
        report_ids(&expected),
        ["jp_red_th", "jp_amber_th", "jp_green", "th_own"].map(|n| without.id(n))
    );
    let with_index = story(true).await;
    let server = Server::start(with_index.t.node.clone(), RateConfig::default(), false).await;
    let reply = server
        .http
        .get(server.url(&format!(
            "/api/v1/entities/{}/neighbourhood?limit=3",
            with_index.shared
        )))
        .bearer_auth(&with_index.th_analyst.token)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16(), 200);
    let body: Value = reply.json().await.unwrap();
    check_graph(&body);
    assert_eq!(body["truncated"], true);
    assert_eq!(
        report_ids(&body),
        ["jp_red_th", "jp_amber_th", "jp_green"].map(|n| with_index.id(n))
    );
}
