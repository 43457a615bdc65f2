//! The web pages over HTTP (the router, as a browser would call it): login and sessions,
//! CSRF and same-origin checks on every form, the sharing rules on every page (a RED report
//! of another agency is "not found" like a missing one; counts and search only cover what
//! the viewer reads), the report form's extract-correct-submit round, the language switch,
//! admin-only pages and the assets. Browser tests (`cargo xtask browser-test`) drive the same
//! pages in Chromium.

use super::common::{Member, PASSWORD, TestNode, correlated, phone_report};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use uuid::Uuid;
use warroom_domain::Role;

const HOST: &str = "warroom.test";

/// A browser's session: the cookie and the CSRF token its pages carry.
struct Browser {
    cookie: String,
    csrf: String,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    set_cookie: Vec<String>,
    csp: Option<String>,
    html: String,
}

async fn send(t: &TestNode, r: Request<Body>) -> Page {
    let reply = t.send(r).await;
    Page {
        status: reply.status,
        location: reply.header("location").map(str::to_owned),
        set_cookie: reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect(),
        csp: reply.header("content-security-policy").map(str::to_owned),
        html: reply.text(),
    }
}

async fn get(t: &TestNode, path: &str, b: Option<&Browser>) -> Page {
    let mut r = Request::get(path).header(header::HOST, HOST);
    if let Some(b) = b {
        r = r.header(header::COOKIE, &b.cookie);
    }
    send(t, r.body(Body::empty()).unwrap()).await
}

fn encode(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                warroom_web::chrome::percent_encode(k),
                warroom_web::chrome::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn post(
    t: &TestNode,
    path: &str,
    b: Option<&Browser>,
    origin: &str,
    fields: &[(&str, &str)],
) -> Page {
    let mut r = Request::post(path)
        .header(header::HOST, HOST)
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(b) = b {
        r = r.header(header::COOKIE, &b.cookie);
    }
    send(t, r.body(Body::from(encode(fields))).unwrap()).await
}

const ORIGIN: &str = "http://warroom.test";

/// The value of the first `name="csrf"` hidden field of a page.
fn csrf_of(html: &str) -> String {
    let at = html
        .find(r#"name="csrf" value=""#)
        .expect("a form with a CSRF field");
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

async fn login(t: &TestNode, m: &Member) -> Browser {
    let p = post(
        t,
        "/login",
        None,
        ORIGIN,
        &[
            ("username", &m.username),
            ("password", PASSWORD),
            ("next", "/search"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    assert_eq!(p.location.as_deref(), Some("/search"));
    let cookie = p
        .set_cookie
        .iter()
        .find(|c| c.starts_with("warroom_session="))
        .expect("a session cookie")
        .clone();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let page = get(
        t,
        "/search",
        Some(&Browser {
            cookie: cookie.clone(),
            csrf: String::new(),
        }),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    Browser {
        csrf: csrf_of(&page.html),
        cookie,
    }
}

struct Two {
    t: TestNode,
    th: Member,
    us: Member,
    admin: Member,
}

fn two() -> Two {
    let t = correlated();
    let th = t.agency("Royal Thai Police (CIB)", "TH");
    let us = t.agency("Federal Bureau of Investigation (FBI)", "US");
    Two {
        th: t.member(th, "somchai", &[Role::Analyst]),
        us: t.member(us, "alice", &[Role::Analyst]),
        admin: t.member(th, "root", &[Role::Admin]),
        t,
    }
}

#[tokio::test]
async fn pages_need_a_session_and_forbid_inline_scripts_and_other_hosts() {
    let w = two();
    let p = get(&w.t, "/entities/x?y=1", None).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(
        p.location.as_deref(),
        Some("/login?next=%2Fentities%2Fx%3Fy%3D1")
    );
    let p = get(&w.t, "/login?next=/search", None).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.html.contains(r#"name="next" value="/search""#),
        "{}",
        p.html
    );
    let csp = p.csp.expect("a CSP");
    assert!(
        csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("http"),
        "{csp}"
    );
    // A stale or forged cookie is a login, not an error page.
    let forged = Browser {
        cookie: "warroom_session=wrs_forged".into(),
        csrf: String::new(),
    };
    assert_eq!(
        get(&w.t, "/", Some(&forged)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn login_refuses_a_wrong_password_and_never_redirects_off_the_node() {
    let w = two();
    let p = post(
        &w.t,
        "/login",
        None,
        ORIGIN,
        &[
            ("username", "somchai"),
            ("password", "wrong password!"),
            ("next", "/"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(p.html.contains("Wrong username or password"), "{}", p.html);
    assert!(p.set_cookie.is_empty());
    let p = post(
        &w.t,
        "/login",
        None,
        ORIGIN,
        &[
            ("username", "somchai"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location.as_deref(), Some("/"));
    // A login form posted from another site is refused before any password check.
    let p = post(
        &w.t,
        "/login",
        None,
        "https://evil.example",
        &[("username", "somchai"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forms_need_the_session_csrf_token_and_this_origin() {
    let w = two();
    let b = login(&w.t, &w.th).await;
    let p = post(
        &w.t,
        "/logout",
        Some(&b),
        ORIGIN,
        &[("csrf", "not the token")],
    )
    .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = post(
        &w.t,
        "/logout",
        Some(&b),
        "https://evil.example",
        &[("csrf", &b.csrf)],
    )
    .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    // Still logged in.
    assert_eq!(get(&w.t, "/search", Some(&b)).await.status, StatusCode::OK);
    let p = post(&w.t, "/logout", Some(&b), ORIGIN, &[("csrf", &b.csrf)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(p.set_cookie.iter().any(|c| c.contains("Max-Age=0")));
    // The session is over on the node, not only in this browser.
    assert_eq!(
        get(&w.t, "/search", Some(&b)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_red_report_of_another_agency_is_not_found_like_a_missing_one() {
    let w = two();
    let t = &w.t;
    let mut red = phone_report("RED", "081-999-1234");
    red["narrative"] = "secret informant says 081-999-1234".into();
    let id = t.submit(&w.th.token, red).await;
    let th = login(t, &w.th).await;
    let us = login(t, &w.us).await;
    let own = get(t, &format!("/reports/{id}"), Some(&th)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.html.contains("secret informant"), "{}", own.html);
    let theirs = get(t, &format!("/reports/{id}"), Some(&us)).await;
    let missing = get(t, &format!("/reports/{}", Uuid::new_v4()), Some(&us)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(!theirs.html.contains("secret informant"));
    let body = |h: &str| h[h.find("<main").unwrap()..].replace(&id.to_string(), "");
    assert_eq!(body(&theirs.html), body(&missing.html));
    // Nor does search, the entity page or the dashboard show it to the other agency.
    let s = get(t, "/search?q=informant", Some(&us)).await;
    assert!(!s.html.contains(&id.to_string()) && !s.html.contains("secret informant"));
    let s = get(t, "/search?q=%2B66819991234", Some(&us)).await;
    assert!(!s.html.contains("entity-result"), "{}", s.html);
    let d = get(t, "/", Some(&us)).await;
    assert!(!d.html.contains(&id.to_string()));
    assert!(d.html.contains("0 reports counted"), "{}", d.html);
    let d = get(t, "/", Some(&th)).await;
    assert!(d.html.contains(&id.to_string()));
}

#[tokio::test]
async fn the_report_form_extracts_lets_the_analyst_correct_and_submits_once() {
    let w = two();
    let t = &w.t;
    // The US holds the number first, shared GREEN.
    t.submit(&w.us.token, phone_report("GREEN", "+66 81 234 5678"))
        .await;
    let b = login(t, &w.th).await;
    let form = get(t, "/reports/new", Some(&b)).await;
    assert_eq!(form.status, StatusCode::OK);
    let report_id = {
        let h = &form.html;
        let at =
            h.find(r#"name="report_id" value=""#).unwrap() + r#"name="report_id" value=""#.len();
        h[at..at + 36].to_owned()
    };
    let narrative = "เหยื่อถูกโทรจาก ๐๘๑-๒๓๔-๕๖๗๘ และโอนเงินเข้า scam-bank[.]com";
    let p = post(
        t,
        "/reports/new",
        Some(&b),
        ORIGIN,
        &[
            ("csrf", &b.csrf),
            ("report_id", &report_id),
            ("narrative", narrative),
            ("region", "TH"),
            ("kind", "victim_complaint"),
            ("marking", "GREEN"),
            ("action", "extract"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains("+66812345678"), "{}", p.html);
    assert!(p.html.contains("scam-bank.com"), "{}", p.html);
    // The analyst drops the domain (row order follows the narrative) and adds a wallet the
    // extraction missed, with a typo that does not normalise: it is kept as written.
    let phone_row = if p.html.find("+66812345678") < p.html.find("scam-bank.com") {
        "0"
    } else {
        "1"
    };
    let fields = vec![
        ("csrf", b.csrf.as_str()),
        ("report_id", report_id.as_str()),
        ("narrative", narrative),
        ("region", "TH"),
        ("kind", "victim_complaint"),
        ("marking", "GREEN"),
        ("hit_notices", "1"),
        ("method", "phishing_sms"),
        ("rows", "3"),
        ("keep_0", "1"),
        (
            "value_0",
            if phone_row == "0" {
                "๐๘๑-๒๓๔-๕๖๗๘"
            } else {
                "scam-bank[.]com"
            },
        ),
        (
            "value_1",
            if phone_row == "0" {
                "scam-bank[.]com"
            } else {
                "๐๘๑-๒๓๔-๕๖๗๘"
            },
        ),
        ("keep_2", "1"),
        ("kind_2", "email"),
        ("value_2", "boss@@scam.example"),
        ("action", "submit"),
    ];
    let mut fields = fields;
    if phone_row == "1" {
        fields.retain(|(k, _)| *k != "keep_0");
        fields.push(("keep_1", "1"));
    }
    let p = post(t, "/reports/new", Some(&b), ORIGIN, &fields).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    let to = p.location.unwrap();
    assert_eq!(to, format!("/reports/{report_id}?submitted=1"));
    // Submitting the same form again stores nothing new.
    let again = post(t, "/reports/new", Some(&b), ORIGIN, &fields).await;
    assert_eq!(again.location.as_deref(), Some(to.as_str()));
    let r = get(t, &to, Some(&b)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.html.contains(r#"id="submitted""#));
    assert!(r.html.contains("+66812345678") && r.html.contains("boss@@scam.example"));
    assert!(
        !r.html.contains("scam-bank.com"),
        "the dropped row was submitted"
    );
    // The hit: the US holds the number, GREEN, so the Thai page links its report.
    let held = &r.html[r.html.find("+66812345678").unwrap()..];
    let row = &held[..held.find("</tr>").unwrap()];
    assert!(row.contains("Federal Bureau of Investigation"), "{row}");
    // A refused submission names its field and keeps what was typed.
    let mut bad = fields.clone();
    bad.retain(|(k, _)| *k != "marking" && *k != "report_id");
    bad.push(("marking", "PURPLE"));
    let p = post(t, "/reports/new", Some(&b), ORIGIN, &bad).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.html.contains("<code>marking</code>"), "{}", p.html);
    assert!(p.html.contains("๐๘๑-๒๓๔-๕๖๗๘"));
}

#[tokio::test]
async fn search_reads_a_national_number_and_the_entity_page_shows_its_forms() {
    let w = two();
    let t = &w.t;
    t.submit(&w.th.token, phone_report("AMBER", "081-234-5678"))
        .await;
    t.submit(&w.us.token, phone_report("GREEN", "+66 81 234 5678"))
        .await;
    let b = login(t, &w.th).await;
    let s = get(t, "/search?q=081%20234%205678", Some(&b)).await;
    assert_eq!(s.status, StatusCode::OK);
    assert!(
        s.html.contains("+66812345678") && s.html.contains(r#"id="entity-result""#),
        "{}",
        s.html
    );
    let at = s.html.find("/entities/").unwrap() + "/entities/".len();
    let entity = &s.html[at..at + 36];
    let e = get(t, &format!("/entities/{entity}"), Some(&b)).await;
    assert_eq!(e.status, StatusCode::OK);
    for expected in [
        "+66812345678",
        "081-234-5678",
        "+66 81 234 5678",
        "Federal Bureau",
        "wr-graph",
        "risk-score",
    ] {
        assert!(e.html.contains(expected), "{expected} missing");
    }
    // The American sees only its own writing: the Thai report is AMBER without the US.
    let us = login(t, &w.us).await;
    let e = get(t, &format!("/entities/{entity}"), Some(&us)).await;
    assert!(e.html.contains("+66 81 234 5678") && !e.html.contains(">081-234-5678<"));
    assert!(
        e.html.contains("Royal Thai Police"),
        "held by is shown: {}",
        e.html
    );
    // A bad id is a not-found page, not an error.
    assert_eq!(
        get(t, "/entities/not-a-uuid", Some(&b)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_language_follows_the_switch_then_the_browser() {
    let w = two();
    let b = login(&w.t, &w.th).await;
    let p = get(&w.t, "/lang?to=th&back=%2Fsearch%3Fq%3Dx", Some(&b)).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location.as_deref(), Some("/search?q=x"));
    let lang = p.set_cookie[0].split(';').next().unwrap().to_owned();
    assert_eq!(lang, "warroom_lang=th");
    let thai = Browser {
        cookie: format!("{}; {lang}", b.cookie),
        csrf: b.csrf.clone(),
    };
    let s = get(&w.t, "/search", Some(&thai)).await;
    assert!(s.html.contains(r#"<html lang="th">"#) && s.html.contains("แดชบอร์ด"));
    let r = Request::get("/login")
        .header(header::ACCEPT_LANGUAGE, "th-TH,th;q=0.9,en;q=0.5")
        .body(Body::empty())
        .unwrap();
    assert!(send(&w.t, r).await.html.contains("เข้าสู่ระบบ"));
    assert!(get(&w.t, "/login", None).await.html.contains("Log in"));
    // An off-node return address is ignored.
    let p = get(&w.t, "/lang?to=th&back=https://evil.example", Some(&b)).await;
    assert_eq!(p.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn admin_pages_are_for_admins_and_their_forms_act() {
    let w = two();
    let t = &w.t;
    let analyst = login(t, &w.th).await;
    assert_eq!(
        get(t, "/admin", Some(&analyst)).await.status,
        StatusCode::FORBIDDEN
    );
    let p = post(
        t,
        "/admin/warninglist",
        Some(&analyst),
        ORIGIN,
        &[
            ("csrf", &analyst.csrf),
            ("kind", "phone"),
            ("value", "02-111-1111"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let admin = login(t, &w.admin).await;
    let page = get(t, "/admin", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("1441"),
        "the shipped warninglist is listed"
    );
    let p = post(
        t,
        "/admin/warninglist",
        Some(&admin),
        ORIGIN,
        &[
            ("csrf", &admin.csrf),
            ("kind", "phone"),
            ("value", "02-111-1111"),
            ("region", "TH"),
            ("reason", "Bank of Testing call centre"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.html);
    assert!(
        get(t, "/admin", Some(&admin))
            .await
            .html
            .contains("Bank of Testing call centre")
    );
    let agency = w.th.agency.to_string();
    let p = post(
        t,
        "/admin/users",
        Some(&admin),
        ORIGIN,
        &[
            ("csrf", &admin.csrf),
            ("username", "newbie"),
            ("agency", &agency),
            ("role", "analyst"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains(r#"id="one-time-secret""#) && p.html.contains("newbie"));
    // A refused value says why, on a page, with the field.
    let p = post(
        t,
        "/admin/agencies",
        Some(&admin),
        ORIGIN,
        &[
            ("csrf", &admin.csrf),
            ("name", "Nowhere Police"),
            ("country", "XX"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.html.contains("ISO 3166-1"), "{}", p.html);
}

#[tokio::test]
async fn assets_are_served_only_under_their_content_hash() {
    let w = two();
    let url = warroom_web::assets::url("live.js");
    let p = get(&w.t, &url, None).await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.html.contains("EventSource"));
    assert!(p.csp.is_some());
    // A page of an older build names an older hash: never serve it other content.
    let stale = "/assets/000000000000/live.js";
    assert_ne!(url, stale);
    assert_eq!(get(&w.t, stale, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&w.t, "/assets/x/nope.js", None).await.status,
        StatusCode::NOT_FOUND
    );
}
