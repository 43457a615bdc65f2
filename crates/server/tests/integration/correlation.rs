//! Correlation over HTTP: hits for both sides within the rules, the live stream on a real
//! socket, the warninglist and its effect, search in four languages and in any writing of an
//! identifier, analysts' marks moving the risk score, and the index's status.

use super::common::{Member, Server, TestNode, correlated, phone_report, q, uuid};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use uuid::Uuid;
use warroom_domain::Role;
use warroom_server::RateConfig;

struct Two {
    t: TestNode,
    th: Uuid,
    us: Uuid,
    th_analyst: Member,
    us_analyst: Member,
    admin: Member,
}

fn two_agencies() -> Two {
    let t = correlated();
    let th = t.agency("Royal Thai Police CIB", "TH");
    let us = t.agency("FBI", "US");
    Two {
        th_analyst: t.member(th, "somchai", &[Role::Analyst]),
        us_analyst: t.member(us, "alice", &[Role::Analyst]),
        admin: t.member(th, "root", &[Role::Admin]),
        th,
        us,
        t,
    }
}

async fn hits(t: &TestNode, token: &str, query: &str) -> Value {
    let (status, body) = t
        .call("GET", &format!("/api/v1/hits{query}"), Some(token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "hits{query}: {body}");
    body
}

#[tokio::test]
async fn a_second_agency_reporting_a_number_makes_a_hit_for_both_sides_within_the_rules() {
    let w = two_agencies();
    let t = &w.t;
    let th_report = t
        .submit(&w.th_analyst.token, phone_report("AMBER", "081-234-5678"))
        .await;
    // Nobody else holds it yet: no hit.
    assert_eq!(hits(t, &w.th_analyst.token, "").await["hits"], json!([]));
    let us_report = t
        .submit(
            &w.us_analyst.token,
            phone_report("GREEN", "+66 81 234 5678"),
        )
        .await;

    // The US side submitted it; it may not read the Thai AMBER report: only who holds it.
    let us = hits(t, &w.us_analyst.token, "").await;
    let list = us["hits"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{us}");
    let h = &list[0];
    assert_eq!(h["side"], "submitted");
    assert_eq!(h["entity"]["kind"], "phone");
    assert_eq!(h["entity"]["value"], "+66812345678");
    assert_eq!(uuid(&h["report"]["report"]), us_report);
    assert_eq!(
        h["counterparts"],
        json!([{"agency": w.th, "access": "held_by"}]),
        "{h}"
    );
    assert!(!us.to_string().contains(&th_report.to_string()), "{us}");

    // The Thai side held it; it reads the GREEN US report in full.
    let th = hits(t, &w.th_analyst.token, "").await;
    let h = &th["hits"][0];
    assert_eq!(h["side"], "held");
    assert_eq!(uuid(&h["report"]["report"]), us_report);
    assert_eq!(h["report"]["access"], "full");
    assert_eq!(uuid(&h["report"]["agency"]), w.us);
    assert_eq!(uuid(&h["counterparts"][0]["report"]), th_report);
    assert_eq!(h["id"], us["hits"][0]["id"], "one hit, two sides");

    // Filters.
    let entity = h["entity"]["id"].as_str().unwrap().to_owned();
    for (query, n) in [
        ("?side=held".to_owned(), 1),
        ("?side=submitted".to_owned(), 0),
        (format!("?counterpart={}", w.us), 1),
        (format!("?counterpart={}", w.th), 0),
        (format!("?entity={entity}"), 1),
        (format!("?entity={}", Uuid::new_v4()), 0),
        ("?kind=phone".to_owned(), 1),
        ("?kind=email".to_owned(), 0),
        ("?since=2000-01-01T00:00:00Z".to_owned(), 1),
        ("?until=2000-01-01T00:00:00Z".to_owned(), 0),
    ] {
        let got = hits(t, &w.th_analyst.token, &query).await;
        assert_eq!(got["hits"].as_array().unwrap().len(), n, "{query}: {got}");
    }
    for (query, code, field) in [
        ("?side=both", "invalid_side", "side"),
        ("?cursor=nonsense", "invalid_cursor", "cursor"),
        ("?limit=0", "invalid_limit", "limit"),
        ("?limit=201", "invalid_limit", "limit"),
        ("?entity=x", "invalid_id", "entity"),
        ("?since=yesterday", "invalid_time", "since"),
    ] {
        let (status, body) = t
            .call(
                "GET",
                &format!("/api/v1/hits{query}"),
                Some(&w.th_analyst.token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"]["code"], code, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    let (status, _) = t.call("GET", "/api/v1/hits", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Paging: more hits, one per page, none twice, newest first.
    for n in 0..3 {
        t.submit(
            &w.us_analyst.token,
            phone_report("GREEN", &format!("+66 81 234 567{n}")),
        )
        .await;
        t.submit(
            &w.th_analyst.token,
            phone_report("GREEN", &format!("081-234-567{n}")),
        )
        .await;
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = hits(t, &w.th_analyst.token, &format!("?limit=1{cursor}")).await;
        let list = page["hits"].as_array().unwrap();
        assert!(list.len() <= 1);
        seen.extend(list.iter().map(|h| h["id"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 4, "{seen:?}");
    let mut sorted = seen.clone();
    sorted
        .sort_by_key(|id| std::cmp::Reverse(id.split('.').next().unwrap().parse::<u64>().unwrap()));
    assert_eq!(seen, sorted, "newest first");
}

#[tokio::test]
async fn hit_notices_off_keeps_a_report_from_other_agencies_and_retraction_ends_its_hits() {
    let w = two_agencies();
    let t = &w.t;
    let mut quiet = phone_report("GREEN", "081-555-0101");
    quiet["hit_notices"] = json!(false);
    let th_report = t.submit(&w.th_analyst.token, quiet).await;
    t.submit(
        &w.us_analyst.token,
        phone_report("GREEN", "+66 81 555 0101"),
    )
    .await;
    // The US side is not told of the Thai report; the Thai owner still learns who matched.
    assert_eq!(hits(t, &w.us_analyst.token, "").await["hits"], json!([]));
    let th = hits(t, &w.th_analyst.token, "").await;
    assert_eq!(th["hits"].as_array().unwrap().len(), 1, "{th}");
    // A retracted report's hits are gone for both sides.
    let (status, _) = t
        .call(
            "DELETE",
            &format!("/api/v1/reports/{th_report}"),
            Some(&w.th_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(hits(t, &w.th_analyst.token, "").await["hits"], json!([]));
}

/// Hit/no-hit is the only thing an agency outside an AMBER distribution learns, and an owner
/// who turned hit notices off takes even that back: a lookup neither lists the owner among the
/// holders nor admits the identifier exists, from the index as from the store.
#[tokio::test]
async fn hit_notices_off_hides_an_amber_holder_from_lookups_of_agencies_outside_it() {
    for indexed in [true, false] {
        let t = if indexed {
            correlated()
        } else {
            TestNode::new()
        };
        let th = t.agency("Royal Thai Police CIB", "TH");
        let us = t.agency("FBI", "US");
        let th_analyst = t.member(th, "somchai", &[Role::Analyst]);
        let us_analyst = t.member(us, "alice", &[Role::Analyst]);
        let mut quiet = phone_report("AMBER", "081-555-0202");
        quiet["hit_notices"] = json!(false);
        t.submit(&th_analyst.token, quiet).await;
        t.submit(&th_analyst.token, phone_report("AMBER", "081-555-0203"))
            .await;
        let lookup = |phone: &'static str, token: String| {
            let path = format!(
                "/api/v1/entities/lookup?kind=phone&region=TH&value={}",
                q(phone)
            );
            let t = &t;
            async move { t.call("GET", &path, Some(&token), None).await }
        };
        let (status, body) = lookup("081-555-0202", us_analyst.token.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "indexed {indexed}: {body}");
        assert!(!body.to_string().contains(&th.to_string()), "{body}");
        // With notices on, the same AMBER holding is told: owner only.
        let (status, body) = lookup("081-555-0203", us_analyst.token.clone()).await;
        assert_eq!(status, StatusCode::OK, "indexed {indexed}: {body}");
        assert_eq!(body["held_by"][0]["agency"], json!(th), "{body}");
        assert_eq!(body["sightings"], json!([]), "{body}");
        // The owner still reads its own report.
        let (status, body) = lookup("081-555-0202", th_analyst.token.clone()).await;
        assert_eq!(status, StatusCode::OK, "indexed {indexed}: {body}");
        assert_eq!(body["sightings"][0]["reports"], 1, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_stream_delivers_a_new_hit_over_a_real_socket() {
    let w = two_agencies();
    w.t.submit(&w.th_analyst.token, phone_report("GREEN", "081-777-0001"))
        .await;
    let server = Server::start(w.t.node.clone(), RateConfig::default(), false).await;
    let mut stream = server
        .http
        .get(server.url("/api/v1/hits/stream"))
        .bearer_auth(&w.th_analyst.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(
        stream.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let submitted = server
        .http
        .post(server.url("/api/v1/reports"))
        .bearer_auth(&w.us_analyst.token)
        .json(&phone_report("GREEN", "+66817770001"))
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), StatusCode::CREATED);
    let us_report = submitted.json::<Value>().await.unwrap()["id"].clone();
    let mut text = String::new();
    let event = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            text.push_str(std::str::from_utf8(&chunk).unwrap());
            if let Some(end) = text.find("\n\n") {
                let block = text[..end].to_owned();
                if block.contains("event: hit") {
                    return block;
                }
                text.drain(..end + 2);
            }
        }
    })
    .await
    .expect("a hit event within 10 s");
    let data: Value = serde_json::from_str(
        event
            .lines()
            .find_map(|l| l.strip_prefix("data: "))
            .expect("data"),
    )
    .unwrap();
    assert_eq!(data["side"], "held", "{data}");
    assert_eq!(data["report"]["report"], us_report);
    assert_eq!(data["entity"]["value"], "+66817770001");
    let id_line = event.lines().find_map(|l| l.strip_prefix("id: ")).unwrap();
    assert_eq!(id_line, data["id"].as_str().unwrap());
    // The same hit is in the listing.
    let listed = hits(&w.t, &w.th_analyst.token, "").await;
    assert_eq!(listed["hits"][0]["id"], data["id"]);
}

#[tokio::test]
async fn the_warninglist_ships_for_the_demo_countries_and_admins_manage_it() {
    let w = two_agencies();
    let t = &w.t;
    let (status, list) = t
        .call(
            "GET",
            "/api/v1/warninglist",
            Some(&w.th_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let keys: BTreeSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["key"].as_str().unwrap())
        .collect();
    for key in [
        "phone:raw:TH:1441",
        "phone:raw:IN:1930",
        "phone:+6628888888",
        "domain:facebook.com",
    ] {
        assert!(keys.contains(key), "{key} not shipped: {keys:?}");
    }

    // A shipped bank call centre never makes a hit, and says why.
    t.submit(&w.th_analyst.token, phone_report("GREEN", "02-888-8888"))
        .await;
    t.submit(&w.us_analyst.token, phone_report("GREEN", "+66 2 888 8888"))
        .await;
    assert_eq!(hits(t, &w.us_analyst.token, "").await["hits"], json!([]));
    let (status, found) = t
        .call(
            "GET",
            &format!("/api/v1/entities/lookup?value={}", q("02-888-8888")),
            Some(&w.th_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["noise"]["kind"], "warninglisted", "{found}");
    assert_eq!(found["noise"]["source"], "shipped");
    assert!(
        found["noise"]["reason"]
            .as_str()
            .unwrap()
            .contains("Kasikornbank")
    );
    assert_eq!(found["risk"]["score"], 0.0, "{found}");
    // Searching a short code shows its entry.
    let (status, s) = t
        .call(
            "GET",
            "/api/v1/search?q=1441",
            Some(&w.th_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert!(s["warnings"].to_string().contains("AOC"), "{s}");

    // Only admins change it; bad entries are refused with their field.
    let entry = json!({"kind": "phone", "value": "02 999 9999", "region": "TH", "reason": "a bank's new call centre"});
    let (status, body) = t
        .call(
            "POST",
            "/api/v1/warninglist",
            Some(&w.th_analyst.token),
            Some(entry.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    for (bad, field) in [
        (json!({"kind": "fax", "value": "1", "reason": "x"}), "kind"),
        (
            json!({"kind": "phone", "value": "abc", "reason": "x"}),
            "value",
        ),
        (
            json!({"kind": "phone", "value": "02 999 9999", "reason": " "}),
            "reason",
        ),
    ] {
        let (status, body) = t
            .call(
                "POST",
                "/api/v1/warninglist",
                Some(&w.admin.token),
                Some(bad),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let (status, body) = t
        .call(
            "POST",
            "/api/v1/warninglist",
            Some(&w.admin.token),
            Some(json!({"kind": "phone"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, added) = t
        .call(
            "POST",
            "/api/v1/warninglist",
            Some(&w.admin.token),
            Some(entry),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["key"], "phone:+6629999999");
    assert_eq!(added["source"], "admin");
    t.submit(&w.th_analyst.token, phone_report("GREEN", "02 999 9999"))
        .await;
    t.submit(&w.us_analyst.token, phone_report("GREEN", "+6629999999"))
        .await;
    assert_eq!(hits(t, &w.us_analyst.token, "").await["hits"], json!([]));

    // Removed, the value correlates again: the existing overlap is a hit at once.
    let (status, _) = t
        .call(
            "DELETE",
            &format!("/api/v1/warninglist/{}", q("phone:+6629999999")),
            Some(&w.admin.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let us = hits(t, &w.us_analyst.token, "").await;
    assert_eq!(us["hits"].as_array().unwrap().len(), 1, "{us}");
    assert_eq!(us["hits"][0]["entity"]["value"], "+6629999999");
    let (status, body) = t
        .call(
            "DELETE",
            &format!("/api/v1/warninglist/{}", q("phone:+6629999999")),
            Some(&w.admin.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

async fn search(t: &TestNode, token: &str, query: &str) -> Value {
    let (status, body) = t
        .call("GET", &format!("/api/v1/search?{query}"), Some(token), None)
        .await;
    assert_eq!(status, StatusCode::OK, "search?{query}: {body}");
    body
}

fn found_ids(body: &Value) -> BTreeSet<Uuid> {
    body["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| uuid(&r["report"]))
        .collect()
}

#[tokio::test]
async fn search_finds_words_in_four_languages_and_identifiers_in_any_writing() {
    let w = two_agencies();
    let t = &w.t;
    let narrative = |text: &str, lang: &str, method: &str, marking: &str| {
        json!({"kind": "victim_complaint", "marking": marking, "methods": [method],
               "narrative": text, "language": lang,
               "entities": [{"type": "identifier", "kind": "phone", "value": "081-999-1234"}]})
    };
    let thai = t
        .submit(
            &w.th_analyst.token,
            narrative(
                "มิจฉาชีพโทรมาอ้างว่าเป็นเจ้าหน้าที่ตำรวจและให้โอนเงิน",
                "th",
                "official_impersonation",
                "GREEN",
            ),
        )
        .await;
    let japanese = t
        .submit(
            &w.th_analyst.token,
            narrative(
                "警察官を名乗る男から電話があり、口座が犯罪に使われたと言われた",
                "ja",
                "official_impersonation",
                "GREEN",
            ),
        )
        .await;
    let hindi = t
        .submit(
            &w.th_analyst.token,
            narrative(
                "एक व्यक्ति ने पुलिस अधिकारी बनकर फोन किया",
                "hi",
                "official_impersonation",
                "GREEN",
            ),
        )
        .await;
    let english = t
        .submit(
            &w.th_analyst.token,
            narrative(
                "A courier said my Parcel was held at customs",
                "en",
                "parcel_courier",
                "AMBER",
            ),
        )
        .await;
    for (query, want) in [
        ("ตำรวจ", thai),
        ("口座", japanese),
        ("警察官", japanese),
        ("पुलिस", hindi),
        ("parcel", english),
        ("PARCEL customs", english),
    ] {
        let body = search(t, &w.th_analyst.token, &format!("q={}", q(query))).await;
        assert_eq!(body["mode"], "text", "{query}: {body}");
        assert_eq!(found_ids(&body), BTreeSet::from([want]), "{query}: {body}");
        let h = &body["reports"][0]["highlights"][0];
        let fragment = h["fragment"].as_str().unwrap();
        let [start, end] = [
            h["ranges"][0][0].as_u64().unwrap() as usize,
            h["ranges"][0][1].as_u64().unwrap() as usize,
        ];
        assert_eq!(
            fragment[start..end].to_lowercase(),
            query.split(' ').next().unwrap().to_lowercase(),
            "{query}: the highlight is the word: {h}"
        );
    }
    // A word that is not there finds nothing; all words must match.
    assert!(
        found_ids(&search(t, &w.th_analyst.token, &format!("q={}", q("ธนาคาร"))).await).is_empty()
    );
    assert!(found_ids(&search(t, &w.th_analyst.token, "q=parcel+police").await).is_empty());
    // Filters.
    let body = search(
        t,
        &w.th_analyst.token,
        &format!("q={}&method=parcel_courier", q("parcel")),
    )
    .await;
    assert_eq!(found_ids(&body).len(), 1);
    let body = search(
        t,
        &w.th_analyst.token,
        &format!("q={}&method=romance", q("parcel")),
    )
    .await;
    assert!(found_ids(&body).is_empty());
    let body = search(
        t,
        &w.th_analyst.token,
        &format!("q={}&agency={}", q("ตำรวจ"), w.us),
    )
    .await;
    assert!(found_ids(&body).is_empty());
    // The AMBER report is not for the US agency, whatever the words.
    let body = search(t, &w.us_analyst.token, "q=parcel").await;
    assert!(found_ids(&body).is_empty(), "{body}");
    assert!(!body.to_string().contains(&english.to_string()));

    // An identifier in any writing is looked up exactly.
    for writing in ["081-999-1234", "+66 81 999 1234", "๐๘๑๙๙๙๑๒๓๔"] {
        let body = search(t, &w.th_analyst.token, &format!("q={}", q(writing))).await;
        assert_eq!(body["mode"], "identifier", "{writing}: {body}");
        assert_eq!(body["normalized"]["value"], "+66819991234");
        assert_eq!(body["entity"]["value"], "+66819991234");
        assert_eq!(
            found_ids(&body),
            BTreeSet::from([thai, japanese, hindi, english])
        );
    }
    // The US analyst sees only the GREEN reports holding it.
    let body = search(
        t,
        &w.us_analyst.token,
        &format!("q={}", q("+66 81 999 1234")),
    )
    .await;
    assert_eq!(
        found_ids(&body),
        BTreeSet::from([thai, japanese, hindi]),
        "{body}"
    );

    for (query, status, code, field) in [
        ("q=", StatusCode::UNPROCESSABLE_ENTITY, "required", "q"),
        (
            "q=%20%20",
            StatusCode::UNPROCESSABLE_ENTITY,
            "required",
            "q",
        ),
        ("", StatusCode::BAD_REQUEST, "invalid_query", ""),
        (
            "q=x&limit=0",
            StatusCode::BAD_REQUEST,
            "invalid_limit",
            "limit",
        ),
        (
            "q=x&limit=101",
            StatusCode::BAD_REQUEST,
            "invalid_limit",
            "limit",
        ),
        (
            "q=x&offset=10001",
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_large",
            "offset",
        ),
        (
            "q=x&country=Thailand",
            StatusCode::BAD_REQUEST,
            "invalid_country",
            "country",
        ),
        (
            "q=x&kind=gossip",
            StatusCode::BAD_REQUEST,
            "invalid_kind",
            "kind",
        ),
        (
            "q=x&since=now",
            StatusCode::BAD_REQUEST,
            "invalid_time",
            "since",
        ),
        (
            "q=x&colour=red",
            StatusCode::BAD_REQUEST,
            "invalid_query",
            "",
        ),
    ] {
        let (got, body) = t
            .call(
                "GET",
                &format!("/api/v1/search?{query}"),
                Some(&w.th_analyst.token),
                None,
            )
            .await;
        assert_eq!(got, status, "{query}: {body}");
        assert_eq!(body["error"]["code"], code, "{query}: {body}");
        if !field.is_empty() {
            assert_eq!(body["error"]["field"], field, "{query}: {body}");
        }
    }
    let long = "ก".repeat(513);
    let (got, body) = t
        .call(
            "GET",
            &format!("/api/v1/search?q={}", q(&long)),
            Some(&w.th_analyst.token),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "too_long");
}

fn term(risk: &Value, name: &str) -> Value {
    risk["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no term {name}: {risk}"))
}

#[tokio::test]
async fn analysts_verdicts_move_the_risk_score_term_by_term() {
    let w = two_agencies();
    let t = &w.t;
    t.submit(&w.th_analyst.token, phone_report("GREEN", "081-246-8100"))
        .await;
    t.submit(
        &w.us_analyst.token,
        phone_report("GREEN", "+66 81 246 8100"),
    )
    .await;
    let lookup = |token: String| async move {
        let (status, body) = t
            .call(
                "GET",
                &format!("/api/v1/entities/lookup?value={}", q("+66812468100")),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    };
    let before = lookup(w.th_analyst.token.clone()).await;
    let risk = &before["risk"];
    let score = risk["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 100.0, "{risk}");
    // A lookup may ask for the score alone, or for no risk at all (the same sightings).
    let with = |risk: &'static str| {
        let token = w.th_analyst.token.clone();
        async move {
            t.call(
                "GET",
                &format!(
                    "/api/v1/entities/lookup?value={}&risk={risk}",
                    q("+66812468100")
                ),
                Some(&token),
                None,
            )
            .await
        }
    };
    let (status, lean) = with("score").await;
    assert_eq!(status, StatusCode::OK, "{lean}");
    // The same score, up to the recency term, which the clock moves between the two calls
    // (a loaded CI machine measured 0.015 points apart).
    let lean_score = lean["risk"]["score"].as_f64().unwrap_or(f64::NAN);
    assert!((lean_score - score).abs() < 0.5, "{lean} against {risk}");
    assert_eq!(lean["risk"]["terms"], json!([]));
    let (status, lean) = with("none").await;
    assert_eq!(status, StatusCode::OK, "{lean}");
    assert!(lean.get("risk").is_none(), "{lean}");
    assert_eq!(lean["sightings"], before["sightings"]);
    let (status, bad) = with("all").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    assert_eq!(bad["error"]["code"], "invalid_risk");
    assert_eq!(bad["error"]["field"], "risk");
    let total: f64 = risk["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["points"].as_f64().unwrap())
        .sum();
    assert!(
        (total.clamp(0.0, 100.0) - score).abs() < 1e-6,
        "the terms add up: {risk}"
    );
    for t in risk["terms"].as_array().unwrap() {
        assert!(!t["explanation"].as_str().unwrap().is_empty(), "{t}");
    }
    assert_eq!(term(risk, "agencies")["input"], 2.0, "{risk}");

    let entity = before["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/entities/{entity}/marks");
    let (status, mark) = t
        .call(
            "POST",
            &path,
            Some(&w.th_analyst.token),
            Some(json!({"verdict": "confirmed", "note": "seized SIM"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{mark}");
    assert_eq!(mark["verdict"], "confirmed");
    let confirmed = lookup(w.th_analyst.token.clone()).await["risk"].clone();
    assert!(confirmed["score"].as_f64().unwrap() > score, "{confirmed}");

    let (status, _) = t
        .call(
            "POST",
            &path,
            Some(&w.us_analyst.token),
            Some(json!({"verdict": "false_positive"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let disputed = lookup(w.us_analyst.token.clone()).await["risk"].clone();
    assert!(
        disputed["score"].as_f64().unwrap() < confirmed["score"].as_f64().unwrap(),
        "{disputed}"
    );

    for (token, body, status, field) in [
        (
            &w.th_analyst.token,
            json!({"verdict": "maybe"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "verdict",
        ),
        (
            &w.th_analyst.token,
            json!({"verdict": "confirmed", "note": "x".repeat(2001)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "note",
        ),
        (
            &w.th_analyst.token,
            json!({"verdict": "confirmed", "colour": 1}),
            StatusCode::BAD_REQUEST,
            "colour",
        ),
        (
            &w.admin.token,
            json!({"verdict": "confirmed"}),
            StatusCode::FORBIDDEN,
            "",
        ),
    ] {
        let (got, reply) = t.call("POST", &path, Some(token), Some(body)).await;
        assert_eq!(got, status, "{reply}");
        if !field.is_empty() {
            assert_eq!(reply["error"]["field"], field, "{reply}");
        }
    }
    let (got, reply) = t
        .call(
            "POST",
            &format!("/api/v1/entities/{}/marks", Uuid::new_v4()),
            Some(&w.th_analyst.token),
            Some(json!({"verdict": "confirmed"})),
        )
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND, "{reply}");
}

#[tokio::test]
async fn the_index_status_says_ready_and_shows_sizes_to_admins_only() {
    let w = two_agencies();
    let t = &w.t;
    t.submit(&w.th_analyst.token, phone_report("GREEN", "081-111-2233"))
        .await;
    let (status, admin) = t
        .call("GET", "/api/v1/index", Some(&w.admin.token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(admin["state"], "ready");
    assert_eq!(admin["reports"], 1, "{admin}");
    assert_eq!(admin["sightings"], 1, "{admin}");
    let (_, analyst) = t
        .call("GET", "/api/v1/index", Some(&w.th_analyst.token), None)
        .await;
    assert_eq!(analyst, json!({"state": "ready"}));
    // A node whose indexes were never started answers hits with 503, lookups from the store.
    let cold = TestNode::new();
    let a = cold.agency("X", "TH");
    let m = cold.member(a, "x", &[Role::Analyst]);
    let (status, body) = cold.call("GET", "/api/v1/hits", Some(&m.token), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
    // So does a text search: no request rebuilds the full-text index in the follower's place.
    let (status, body) = cold
        .call("GET", "/api/v1/search?q=harbour", Some(&m.token), None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable");
}

/// The full-text rebuild at start stages every page of the change log (2,000 reports each)
/// and commits once, then waits for its merges: a commit per page left tantivy minutes of
/// merging to do beside the requests after the node said it was ready.
#[tokio::test]
async fn a_rebuild_over_several_pages_commits_the_full_text_index_once() {
    let t = TestNode::new();
    let th = t.agency("Royal Thai Police CIB", "TH");
    let analyst = t.member(th, "somchai", &[Role::Analyst]);
    let admin = t.member(th, "root", &[Role::Admin]);
    let principal = t
        .node
        .authenticate_token(&analyst.token)
        .expect("the analyst's token");
    let actor = warroom_node::Actor::user(principal, "test");
    const REPORTS: usize = 4_100;
    let items = (0..REPORTS)
        .map(|i| {
            let word = if i == REPORTS - 1 {
                "lighthouse"
            } else {
                "harbour"
            };
            serde_json::from_value(json!({
                "kind": "intelligence", "marking": "GREEN",
                "narrative": format!("{word} ledger {i}"), "language": "en"
            }))
            .map_err(|e| panic!("{e}"))
        })
        .collect();
    let outcomes = t.node.submit_batch(&actor, items).expect("store the batch");
    assert_eq!(outcomes.len(), REPORTS);
    t.node
        .start_correlation_and_wait(warroom_node::CorrelationOptions::default())
        .expect("build the indexes");
    let (status, index) = t
        .call("GET", "/api/v1/index", Some(&admin.token), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(index["search_documents"], REPORTS, "{index}");
    // Two indexing threads write at most a segment each per commit; three commits (one per
    // page) left three to six.
    let segments = index["search_segments"].as_u64().unwrap_or(u64::MAX);
    assert!((1..=2).contains(&segments), "{index}");
    let (status, found) = t
        .call(
            "GET",
            &format!("/api/v1/search?q={}", q("lighthouse")),
            Some(&analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        found["reports"].as_array().map(Vec::len),
        Some(1),
        "{found}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_stream_carries_only_reports_the_subscriber_reads() {
    let w = two_agencies();
    let server = Server::start(w.t.node.clone(), RateConfig::default(), false).await;
    let mut stream = server
        .http
        .get(server.url("/api/v1/reports/stream"))
        .bearer_auth(&w.us_analyst.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    // RED for Thailand alone first, then GREEN: the first event the American gets must be the
    // GREEN one, and nothing of the RED one.
    let red =
        w.t.submit(&w.th_analyst.token, phone_report("RED", "081-777-0002"))
            .await;
    let green =
        w.t.submit(&w.th_analyst.token, phone_report("GREEN", "081-777-0003"))
            .await;
    let mut text = String::new();
    let event = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            text.push_str(std::str::from_utf8(&chunk).unwrap());
            if let Some(end) = text.find("\n\n") {
                let block = text[..end].to_owned();
                text.drain(..end + 2);
                if block.contains("event: report") {
                    return block;
                }
            }
        }
    })
    .await
    .expect("a report event within 10 s");
    assert!(!event.contains(&red.to_string()), "{event}");
    let data: Value = serde_json::from_str(
        event
            .lines()
            .find_map(|l| l.strip_prefix("data: "))
            .expect("data"),
    )
    .unwrap();
    assert_eq!(uuid(&data["id"]), green);
    assert_eq!(uuid(&data["owner"]), w.th);
    assert_eq!(data["marking"], "GREEN");
    assert_eq!(data["identifiers"], 1);
    assert!(!text.contains(&red.to_string()));
    // The read is audited like any other, as the American's.
    let events =
        w.t.node
            .audit_events(&super::common::shell(), 0, 500)
            .unwrap();
    let reads = events
        .iter()
        .filter(|e| {
            e.draft.action == "report.read"
                && e.draft.object_id == green.to_string()
                && e.draft.actor_agency.map(|a| a.0) == Some(w.us)
        })
        .count();
    assert_eq!(reads, 1);
}
