//! Bad input, table-driven: each row is a request and the status, `error.code` and
//! `error.field` it must get. Every answer must be exactly `{"error": {...}}` and none a 5xx.

use super::common::{Member, TestNode, World, error_shape, phone_report, q, report};
use axum::body::Body;
use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use uuid::Uuid;

enum Auth {
    Token(String),
    Header(String),
    None,
}

enum Payload {
    Empty,
    Json(Value),
    Raw(Option<&'static str>, Vec<u8>),
}

struct Row {
    name: String,
    method: &'static str,
    path: String,
    auth: Auth,
    headers: Vec<(&'static str, String)>,
    body: Payload,
    status: u16,
    code: &'static str,
    field: Option<&'static str>,
}

impl Row {
    fn json(mut self, v: Value) -> Self {
        self.body = Payload::Json(v);
        self
    }

    fn raw(mut self, content_type: Option<&'static str>, bytes: impl Into<Vec<u8>>) -> Self {
        self.body = Payload::Raw(content_type, bytes.into());
        self
    }

    fn by(mut self, m: &Member) -> Self {
        self.auth = Auth::Token(m.token.clone());
        self
    }

    fn auth(mut self, a: Auth) -> Self {
        self.auth = a;
        self
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }

    fn expect(mut self, status: u16, code: &'static str, field: Option<&'static str>) -> Self {
        self.status = status;
        self.code = code;
        self.field = field;
        self
    }
}

/// A report with one field changed.
fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn rows(w: &World, hidden_red: Uuid, hidden_strict: Uuid) -> Vec<Row> {
    let row = |name: &str, method: &'static str, path: &str| Row {
        name: name.to_owned(),
        method,
        path: path.to_owned(),
        auth: Auth::Token(w.th_analyst.token.clone()),
        headers: Vec::new(),
        body: Payload::Empty,
        status: 0,
        code: "",
        field: None,
    };
    let json_ct = Some("application/json");
    let green = report("GREEN");
    let missing = Uuid::new_v4();
    let over_limit = {
        let mut v = serde_json::to_vec(&with(
            report("GREEN"),
            "narrative",
            json!("x".repeat(1024 * 1024)),
        ))
        .unwrap();
        v.extend_from_slice(b"  ");
        v
    };
    let ident =
        |value: Value| json!({"kind": "intelligence", "marking": "GREEN", "entities": [value]});
    vec![
        // ---- JSON syntax and shape: 400 ----
        row("malformed JSON", "POST", "/api/v1/reports")
            .raw(json_ct, r#"{"kind": "intelligence","#)
            .expect(400, "malformed_json", None),
        row("trailing garbage", "POST", "/api/v1/reports")
            .raw(json_ct, r#"{"kind": "intelligence", "marking": "GREEN"} x"#)
            .expect(400, "malformed_json", None),
        row("empty body", "POST", "/api/v1/reports")
            .raw(json_ct, "")
            .expect(400, "malformed_json", None),
        row("invalid UTF-8", "POST", "/api/v1/reports")
            .raw(json_ct, b"{\"kind\": \"\xff\"}".to_vec())
            .expect(400, "malformed_json", Some("kind")),
        row("kind is a number", "POST", "/api/v1/reports")
            .json(with(green.clone(), "kind", json!(5)))
            .expect(400, "wrong_type", Some("kind")),
        row("methods is a string", "POST", "/api/v1/reports")
            .json(with(green.clone(), "methods", json!("romance")))
            .expect(400, "wrong_type", Some("methods")),
        row("a method is a number", "POST", "/api/v1/reports")
            .json(with(green.clone(), "methods", json!(["romance", 7])))
            .expect(400, "wrong_type", Some("methods[1]")),
        row("distribution agency not a UUID", "POST", "/api/v1/reports")
            .json(with(
                green.clone(),
                "distribution",
                json!({"agencies": ["th"]}),
            ))
            .expect(400, "wrong_type", Some("distribution.agencies[0]")),
        row("loss is a number", "POST", "/api/v1/reports")
            .json(with(green.clone(), "loss", json!(100)))
            .expect(400, "wrong_type", Some("loss")),
        row("top level is a string", "POST", "/api/v1/reports")
            .json(json!("report"))
            .expect(400, "wrong_type", None),
        row("two values", "POST", "/api/v1/reports")
            .raw(json_ct, format!("{green}{green}"))
            .expect(400, "malformed_json", None),
        row("misspelt field", "POST", "/api/v1/reports")
            .json(with(green.clone(), "markng", json!("RED")))
            .expect(400, "unknown_field", Some("markng")),
        row("unknown field in distribution", "POST", "/api/v1/reports")
            .json(with(green.clone(), "distribution", json!({"agency": []})))
            .expect(400, "unknown_field", Some("distribution.agency")),
        row("unknown field in an identifier", "POST", "/api/v1/reports")
            .json(ident(
                json!({"type": "identifier", "value": "+66812345678", "vlaue": "x"}),
            ))
            .expect(400, "unknown_field", Some("entities[0].vlaue")),
        row("unknown entity type", "POST", "/api/v1/reports")
            .json(ident(json!({"type": "vehicle", "value": "x"})))
            .expect(400, "wrong_type", Some("entities[0].type")),
        row("unknown field in a new agency", "POST", "/api/v1/agencies")
            .by(&w.admin)
            .json(json!({"name": "x", "country": "TH", "kind": "police", "home": "x"}))
            .expect(400, "unknown_field", Some("home")),
        row("missing kind", "POST", "/api/v1/reports")
            .json(json!({"marking": "GREEN"}))
            .expect(400, "missing_field", Some("kind")),
        row("missing marking", "POST", "/api/v1/reports")
            .json(json!({"kind": "intelligence"}))
            .expect(400, "missing_field", Some("marking")),
        row("missing identifier value", "POST", "/api/v1/reports")
            .json(ident(json!({"type": "identifier", "kind": "phone"})))
            .expect(400, "missing_field", Some("entities[0].value")),
        row("missing login password", "POST", "/api/v1/session")
            .auth(Auth::None)
            .json(json!({"username": "th.analyst"}))
            .expect(400, "missing_field", Some("password")),
        // ---- media type and size ----
        row("text/plain body", "POST", "/api/v1/reports")
            .raw(Some("text/plain"), green.to_string())
            .expect(415, "unsupported_media_type", None),
        row("no content type", "POST", "/api/v1/reports")
            .raw(None, green.to_string())
            .expect(415, "unsupported_media_type", None),
        row("form body", "POST", "/api/v1/users")
            .by(&w.admin)
            .raw(Some("application/x-www-form-urlencoded"), "username=x")
            .expect(415, "unsupported_media_type", None),
        row(
            "JSON to the NDJSON endpoint",
            "POST",
            "/api/v1/reports:bulk",
        )
        .raw(json_ct, green.to_string())
        .expect(415, "unsupported_media_type", None),
        row("JSON body over 1 MiB", "POST", "/api/v1/reports")
            .raw(json_ct, over_limit.clone())
            .expect(413, "body_too_large", None),
        row(
            "JSON body over 1 MiB on update",
            "PUT",
            &format!("/api/v1/reports/{missing}"),
        )
        .raw(json_ct, over_limit)
        .expect(413, "body_too_large", None),
        // ---- valid JSON, invalid values: 422 with the field path ----
        row("invalid phone", "POST", "/api/v1/reports")
            .json(phone_report("GREEN", "12345"))
            .expect(422, "*", Some("entities[0].value")),
        row("undetectable identifier", "POST", "/api/v1/reports")
            .json(ident(
                json!({"type": "identifier", "value": "not an identifier at all"}),
            ))
            .expect(422, "*", Some("entities[0].value")),
        row("unknown identifier kind", "POST", "/api/v1/reports")
            .json(ident(
                json!({"type": "identifier", "kind": "fax", "value": "1"}),
            ))
            .expect(422, "invalid_kind", Some("entities[0].kind")),
        row("invalid identifier region", "POST", "/api/v1/reports")
            .json(ident(
                json!({"type": "identifier", "value": "0812345678", "region": "XX"}),
            ))
            .expect(422, "invalid_country", Some("entities[0].region")),
        row("unknown report kind", "POST", "/api/v1/reports")
            .json(with(green.clone(), "kind", json!("rumour")))
            .expect(422, "invalid_kind", Some("kind")),
        row("unknown marking", "POST", "/api/v1/reports")
            .json(with(green.clone(), "marking", json!("PURPLE")))
            .expect(422, "invalid_marking", Some("marking")),
        row("unknown victim country", "POST", "/api/v1/reports")
            .json(with(green.clone(), "victim_country", json!("XX")))
            .expect(422, "invalid_country", Some("victim_country")),
        row("invalid occurred_at", "POST", "/api/v1/reports")
            .json(with(green.clone(), "occurred_at", json!("yesterday")))
            .expect(422, "invalid_time", Some("occurred_at")),
        row("reported_at without offset", "POST", "/api/v1/reports")
            .json(with(
                green.clone(),
                "reported_at",
                json!("2026-01-01T00:00:00"),
            ))
            .expect(422, "invalid_time", Some("reported_at")),
        row("invalid method slug", "POST", "/api/v1/reports")
            .json(with(green.clone(), "methods", json!(["Romance Scam"])))
            .expect(422, "invalid_method", Some("methods[0]")),
        row("invalid loss amount", "POST", "/api/v1/reports")
            .json(with(
                green.clone(),
                "loss",
                json!({"amount": "-5", "currency": "THB"}),
            ))
            .expect(422, "invalid_amount", Some("loss.amount")),
        row("relationship to an unknown ref", "POST", "/api/v1/reports")
            .json(with(
                green.clone(),
                "relationships",
                json!([{"source": "a", "target": "b", "kind": "uses"}]),
            ))
            .expect(422, "unknown_ref", Some("relationships[0].source")),
        row("several invalid fields", "POST", "/api/v1/reports")
            .json(json!({"kind": "rumour", "marking": "PURPLE"}))
            .expect(422, "invalid_kind", Some("kind")),
        row("RED with a group", "POST", "/api/v1/reports")
            .json(with(
                report("RED"),
                "distribution",
                json!({"groups": [w.th_jp]}),
            ))
            .expect(422, "groups_not_allowed", Some("distribution.groups")),
        row("AMBER+STRICT with a group", "POST", "/api/v1/reports")
            .json(with(
                report("AMBER+STRICT"),
                "distribution",
                json!({"agencies": [w.jp], "groups": [w.th_jp]}),
            ))
            .expect(422, "groups_not_allowed", Some("distribution.groups")),
        row("unknown agency in distribution", "POST", "/api/v1/reports")
            .json(with(
                report("AMBER"),
                "distribution",
                json!({"agencies": [missing]}),
            ))
            .expect(422, "unknown_agency", Some("distribution.agencies")),
        row("unknown group in distribution", "POST", "/api/v1/reports")
            .json(with(
                report("AMBER"),
                "distribution",
                json!({"groups": [missing]}),
            ))
            .expect(422, "unknown_group", Some("distribution.groups")),
        row("unknown agency country", "POST", "/api/v1/agencies")
            .by(&w.admin)
            .json(json!({"name": "x", "country": "XX", "kind": "police"}))
            .expect(422, "invalid_country", Some("country")),
        row("unknown agency kind", "POST", "/api/v1/agencies")
            .by(&w.admin)
            .json(json!({"name": "x", "country": "TH", "kind": "army"}))
            .expect(422, "invalid_kind", Some("kind")),
        row("unknown role", "POST", "/api/v1/users")
            .by(&w.admin)
            .json(json!({"agency": w.th, "username": "x", "roles": ["analyst", "boss"]}))
            .expect(422, "invalid_role", Some("roles[1]")),
        row("weak password", "POST", "/api/v1/users")
            .by(&w.admin)
            .json(
                json!({"agency": w.th, "username": "x", "roles": ["analyst"], "password": "short"}),
            )
            .expect(422, "weak_password", Some("password")),
        row("user of an unknown agency", "POST", "/api/v1/users")
            .by(&w.admin)
            .json(json!({"agency": missing, "username": "x", "roles": ["analyst"]}))
            .expect(422, "unknown_agency", Some("agency")),
        row("invalid username", "POST", "/api/v1/users")
            .by(&w.admin)
            .json(json!({"agency": w.th, "username": "a b", "roles": ["analyst"]}))
            .expect(422, "invalid_username", Some("username")),
        row("group of an unknown agency", "POST", "/api/v1/groups")
            .by(&w.admin)
            .json(json!({"name": "x", "members": [missing]}))
            .expect(422, "unknown_agency", Some("members")),
        row("token expiry not a time", "POST", "/api/v1/tokens")
            .json(json!({"name": "x", "expires_at": "tomorrow"}))
            .expect(422, "invalid_time", Some("expires_at")),
        row(
            "lookup of an invalid value",
            "GET",
            &format!("/api/v1/entities/lookup?value={}&kind=phone", q("12345")),
        )
        .expect(422, "*", Some("value")),
        row(
            "lookup of an unknown kind",
            "GET",
            "/api/v1/entities/lookup?value=x&kind=fax",
        )
        .expect(422, "invalid_kind", Some("kind")),
        // ---- path and query ----
        row("report id not a UUID", "GET", "/api/v1/reports/12345").expect(
            400,
            "invalid_id",
            Some("id"),
        ),
        row(
            "versions id not a UUID",
            "GET",
            "/api/v1/reports/abc/versions",
        )
        .expect(400, "invalid_id", Some("id")),
        row("update id not a UUID", "PUT", "/api/v1/reports/abc")
            .json(green.clone())
            .expect(400, "invalid_id", Some("id")),
        row("retract id not a UUID", "DELETE", "/api/v1/reports/abc").expect(
            400,
            "invalid_id",
            Some("id"),
        ),
        row(
            "entity id not a UUID",
            "GET",
            "/api/v1/entities/%27%20OR%201=1",
        )
        .expect(400, "invalid_id", Some("id")),
        row("token id not a UUID", "DELETE", "/api/v1/tokens/abc").expect(
            400,
            "invalid_id",
            Some("id"),
        ),
        row("user id not a UUID", "PATCH", "/api/v1/users/abc")
            .by(&w.admin)
            .json(json!({"disabled": true}))
            .expect(400, "invalid_id", Some("id")),
        row("group id not a UUID", "PUT", "/api/v1/groups/abc")
            .by(&w.admin)
            .json(json!({"name": "x", "members": []}))
            .expect(400, "invalid_id", Some("id")),
        row(
            "unknown query parameter",
            "GET",
            "/api/v1/reports?colour=red",
        )
        .expect(400, "invalid_query", None),
        row("unknown audit parameter", "GET", "/api/v1/audit?agency=x")
            .by(&w.th_supervisor)
            .expect(400, "invalid_query", None),
        row(
            "unknown lookup parameter",
            "GET",
            "/api/v1/entities/lookup?value=x&format=xml",
        )
        .expect(400, "invalid_query", None),
        row("lookup without value", "GET", "/api/v1/entities/lookup").expect(
            400,
            "invalid_query",
            None,
        ),
        row(
            "lookup region",
            "GET",
            "/api/v1/entities/lookup?value=0812345678&region=XX",
        )
        .expect(400, "invalid_country", Some("region")),
        row("limit 0", "GET", "/api/v1/reports?limit=0").expect(
            400,
            "invalid_limit",
            Some("limit"),
        ),
        row("limit 501", "GET", "/api/v1/reports?limit=501").expect(
            400,
            "invalid_limit",
            Some("limit"),
        ),
        row("limit negative", "GET", "/api/v1/reports?limit=-1").expect(400, "invalid_query", None),
        row("limit not a number", "GET", "/api/v1/reports?limit=ten").expect(
            400,
            "invalid_query",
            None,
        ),
        row("audit limit 0", "GET", "/api/v1/audit?limit=0")
            .by(&w.th_supervisor)
            .expect(400, "invalid_limit", Some("limit")),
        row("audit limit 501", "GET", "/api/v1/audit?limit=501")
            .by(&w.th_supervisor)
            .expect(400, "invalid_limit", Some("limit")),
        row("cursor not a number", "GET", "/api/v1/reports?cursor=abc").expect(
            400,
            "invalid_query",
            None,
        ),
        row("filter kind", "GET", "/api/v1/reports?kind=rumour").expect(
            400,
            "invalid_kind",
            Some("kind"),
        ),
        row("filter country", "GET", "/api/v1/reports?country=XX").expect(
            400,
            "invalid_country",
            Some("country"),
        ),
        row("filter agency", "GET", "/api/v1/reports?agency=th").expect(
            400,
            "invalid_id",
            Some("agency"),
        ),
        row("filter since", "GET", "/api/v1/reports?since=yesterday").expect(
            400,
            "invalid_time",
            Some("since"),
        ),
        row(
            "filter until",
            "GET",
            "/api/v1/reports?until=2026-13-01T00:00:00Z",
        )
        .expect(400, "invalid_time", Some("until")),
        row(
            "include_retracted not a bool",
            "GET",
            "/api/v1/reports?include_retracted=maybe",
        )
        .expect(400, "invalid_query", None),
        row(
            "If-Match not a version",
            "PUT",
            &format!("/api/v1/reports/{missing}"),
        )
        .header("if-match", "W/\"abc\"")
        .json(green.clone())
        .expect(400, "invalid_if_match", Some("If-Match")),
        // ---- authentication ----
        row("no credentials", "GET", "/api/v1/reports")
            .auth(Auth::None)
            .expect(401, "unauthenticated", None),
        row("no credentials, bad body", "POST", "/api/v1/reports")
            .auth(Auth::None)
            .raw(json_ct, "{")
            .expect(401, "unauthenticated", None),
        row("no credentials, bulk", "POST", "/api/v1/reports:bulk")
            .auth(Auth::None)
            .raw(Some("application/x-ndjson"), "{}\n")
            .expect(401, "unauthenticated", None),
        row("basic auth", "GET", "/api/v1/reports")
            .auth(Auth::Header("Basic dGguYW5hbHlzdDpwYXNzd29yZA==".into()))
            .expect(401, "unauthenticated", None),
        row("bearer without a token", "GET", "/api/v1/me")
            .auth(Auth::Header("Bearer".into()))
            .expect(401, "unauthenticated", None),
        row("bearer with an empty token", "GET", "/api/v1/me")
            .auth(Auth::Header("Bearer ".into()))
            .expect(401, "unauthenticated", None),
        row("unknown token", "GET", "/api/v1/me")
            .auth(Auth::Token(format!("wrt_{}", "ab".repeat(32))))
            .expect(401, "unauthenticated", None),
        row("token without its prefix", "GET", "/api/v1/me")
            .auth(Auth::Token(
                w.th_analyst.token.trim_start_matches("wrt_").to_owned(),
            ))
            .expect(401, "unauthenticated", None),
        row("session cookie that does not exist", "GET", "/api/v1/me")
            .auth(Auth::None)
            .header("cookie", "warroom_session=wrs_00")
            .expect(401, "unauthenticated", None),
        row("wrong login", "POST", "/api/v1/session")
            .auth(Auth::None)
            .json(json!({"username": "th.analyst", "password": "not the password at all"}))
            .expect(401, "unauthenticated", None),
        row("unknown user login", "POST", "/api/v1/session")
            .auth(Auth::None)
            .json(json!({"username": "nobody", "password": "not the password at all"}))
            .expect(401, "unauthenticated", None),
        // ---- reports the caller may not read look like reports that do not exist ----
        row(
            "another agency's RED report",
            "GET",
            &format!("/api/v1/reports/{hidden_red}"),
        )
        .by(&w.jp_analyst)
        .expect(404, "not_found", None),
        row(
            "another agency's AMBER+STRICT report",
            "GET",
            &format!("/api/v1/reports/{hidden_strict}"),
        )
        .by(&w.jp_analyst)
        .expect(404, "not_found", None),
        row(
            "RED for an admin-only account of the owner",
            "GET",
            &format!("/api/v1/reports/{hidden_red}"),
        )
        .by(&w.admin)
        .expect(404, "not_found", None),
        row(
            "a report that does not exist",
            "GET",
            &format!("/api/v1/reports/{missing}"),
        )
        .expect(404, "not_found", None),
        row(
            "an entity that does not exist",
            "GET",
            &format!("/api/v1/entities/{missing}"),
        )
        .expect(404, "not_found", None),
        row(
            "revoking a token that does not exist",
            "DELETE",
            &format!("/api/v1/tokens/{missing}"),
        )
        .expect(404, "not_found", None),
        // ---- roles ----
        row("analyst creates a user", "POST", "/api/v1/users")
            .json(json!({"agency": w.th, "username": "mole", "roles": ["admin"]}))
            .expect(403, "forbidden", None),
        row("supervisor creates a user", "POST", "/api/v1/users")
            .by(&w.th_supervisor)
            .json(json!({"agency": w.th, "username": "mole", "roles": ["admin"]}))
            .expect(403, "forbidden", None),
        row("analyst lists users", "GET", "/api/v1/users").expect(403, "forbidden", None),
        row(
            "analyst disables a user",
            "PATCH",
            &format!("/api/v1/users/{}", w.admin.id),
        )
        .json(json!({"disabled": true}))
        .expect(403, "forbidden", None),
        row("analyst creates an agency", "POST", "/api/v1/agencies")
            .json(json!({"name": "x", "country": "TH", "kind": "police"}))
            .expect(403, "forbidden", None),
        row("analyst creates a group", "POST", "/api/v1/groups")
            .json(json!({"name": "x", "members": []}))
            .expect(403, "forbidden", None),
        row(
            "analyst changes a group",
            "PUT",
            &format!("/api/v1/groups/{}", w.th_jp),
        )
        .json(json!({"name": "x", "members": [w.th]}))
        .expect(403, "forbidden", None),
        row(
            "analyst makes a token for another",
            "POST",
            "/api/v1/tokens",
        )
        .json(json!({"name": "x", "user": w.admin.id}))
        .expect(403, "forbidden", None),
        row("admin-only account submits", "POST", "/api/v1/reports")
            .by(&w.admin)
            .json(green.clone())
            .expect(403, "forbidden", None),
        row("analyst reads the audit log", "GET", "/api/v1/audit").expect(403, "forbidden", None),
        row("duplicate agency name", "POST", "/api/v1/agencies")
            .by(&w.admin)
            .json(json!({"name": "I4C", "country": "IN", "kind": "police"}))
            .expect(409, "conflict", None),
        row("duplicate username", "POST", "/api/v1/users")
            .by(&w.admin)
            .json(json!({"agency": w.th, "username": "TH.Analyst", "roles": ["analyst"]}))
            .expect(409, "conflict", None),
        // ---- routing ----
        row("unknown API route", "GET", "/api/v1/nope").expect(404, "no_route", None),
        row("unknown API route, no auth", "GET", "/api/v1/nope")
            .auth(Auth::None)
            .expect(404, "no_route", None),
        row("unknown version", "POST", "/api/v2/reports")
            .json(green.clone())
            .expect(404, "no_route", None),
        // `/` and `/admin` are web pages (see `pages.rs`); any other top-level path is not.
        row("unknown top-level route", "GET", "/wp-admin").expect(404, "no_route", None),
        row("unknown page below a page", "GET", "/reports/new/x").expect(404, "no_route", None),
        row("trailing slash", "GET", "/api/v1/reports/").expect(404, "no_route", None),
        row(
            "too deep",
            "GET",
            &format!("/api/v1/reports/{missing}/versions/1"),
        )
        .expect(404, "no_route", None),
        row("PATCH a report list", "PATCH", "/api/v1/reports")
            .json(green.clone())
            .expect(405, "method_not_allowed", None),
        row("GET the bulk endpoint", "GET", "/api/v1/reports:bulk").expect(
            405,
            "method_not_allowed",
            None,
        ),
        row(
            "POST a report id",
            "POST",
            &format!("/api/v1/reports/{missing}"),
        )
        .json(green.clone())
        .expect(405, "method_not_allowed", None),
        row("PUT the session", "PUT", "/api/v1/session")
            .json(json!({}))
            .expect(405, "method_not_allowed", None),
        row("DELETE the agencies", "DELETE", "/api/v1/agencies").expect(
            405,
            "method_not_allowed",
            None,
        ),
        row("POST healthz", "POST", "/healthz").expect(405, "method_not_allowed", None),
        row("POST the OpenAPI document", "POST", "/api/v1/openapi.json").expect(
            405,
            "method_not_allowed",
            None,
        ),
    ]
}

async fn run(t: &TestNode, row: &Row) -> Result<(), String> {
    let mut b = TestNode::request(row.method, &row.path, None);
    match &row.auth {
        Auth::Token(token) => b = b.header(header::AUTHORIZATION, format!("Bearer {token}")),
        Auth::Header(h) => b = b.header(header::AUTHORIZATION, h),
        Auth::None => {}
    }
    for (k, v) in &row.headers {
        b = b.header(*k, v);
    }
    let request = match &row.body {
        Payload::Empty => b.body(Body::empty()),
        Payload::Json(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        Payload::Raw(ct, bytes) => {
            if let Some(ct) = ct {
                b = b.header(header::CONTENT_TYPE, *ct);
            }
            b.body(Body::from(bytes.clone()))
        }
    }
    .map_err(|e| format!("cannot build the request: {e}"))?;
    let reply = t.send(request).await;
    let body = reply.json();
    let said = format!(
        "{} {}: {body}",
        reply.status,
        reply.header("content-type").unwrap_or("no content type")
    );
    if reply.status.is_server_error() {
        return Err(format!("a server error: {said}"));
    }
    error_shape(&body)?;
    if reply.header("content-type") != Some("application/json") {
        return Err(format!("the error is not application/json: {said}"));
    }
    if reply.status.as_u16() != row.status {
        return Err(format!("status {} expected: {said}", row.status));
    }
    let code = body["error"]["code"].as_str().unwrap_or_default();
    if row.code != "*" && code != row.code {
        return Err(format!("code {:?} expected: {said}", row.code));
    }
    if body["error"]["field"].as_str() != row.field {
        return Err(format!("field {:?} expected: {said}", row.field));
    }
    if reply.status == StatusCode::UNAUTHORIZED
        && reply
            .header("www-authenticate")
            .is_none_or(|v| !v.starts_with("Bearer"))
    {
        return Err(format!("401 without WWW-Authenticate: Bearer: {said}"));
    }
    if reply.status == StatusCode::METHOD_NOT_ALLOWED && reply.header("allow").is_none() {
        return Err(format!(
            "405 without Allow (RFC 9110 section 15.5.6): {said}"
        ));
    }
    if body["error"]
        .get("details")
        .is_some_and(|d| d[0]["code"] != body["error"]["code"])
    {
        return Err(format!("details start with the headline error: {said}"));
    }
    Ok(())
}

#[tokio::test]
async fn every_bad_request_gets_its_status_code_and_field() {
    let w = World::new();
    let hidden_red = w.t.submit(&w.th_analyst.token, report("RED")).await;
    let hidden_strict =
        w.t.submit(
            &w.th_analyst.token,
            with(
                report("AMBER+STRICT"),
                "distribution",
                json!({"agencies": [w.india]}),
            ),
        )
        .await;
    let rows = rows(&w, hidden_red, hidden_strict);
    let mut failures = Vec::new();
    for row in &rows {
        if let Err(e) = run(&w.t, row).await {
            failures.push(format!("{} ({} {}): {e}", row.name, row.method, row.path));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );

    // Nothing the table sent was stored: the two reports above are all there is.
    let (_, listed) =
        w.t.call("GET", "/api/v1/reports", Some(&w.th_analyst.token), None)
            .await;
    assert_eq!(listed["reports"].as_array().unwrap().len(), 2, "{listed}");
}

#[tokio::test]
async fn several_invalid_fields_are_all_listed_in_details() {
    let w = World::new();
    let (status, body) =
        w.t.call(
            "POST",
            "/api/v1/reports",
            Some(&w.th_analyst.token),
            Some(json!({"kind": "rumour", "marking": "PURPLE", "victim_country": "XX"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    error_shape(&body).unwrap();
    let fields: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kind", "marking", "victim_country"], "{body}");
}

/// A report another agency may not read answers exactly as one that does not exist, on every
/// path that takes a report id.
#[tokio::test]
async fn hidden_reports_are_indistinguishable_from_missing_ones() {
    let w = World::new();
    let t = &w.t;
    let red = t.submit(&w.th_analyst.token, report("RED")).await;
    let strict = t
        .submit(
            &w.th_analyst.token,
            with(
                report("AMBER+STRICT"),
                "distribution",
                json!({"agencies": [w.india]}),
            ),
        )
        .await;
    // Sanity: the reports exist, and the agency they are shared with reads the strict one.
    assert_eq!(
        t.report(&w.in_analyst.token, strict).await["marking"],
        "AMBER+STRICT"
    );
    let missing = Uuid::new_v4();
    let update = report("GREEN");
    for (method, suffix, body) in [
        ("GET", "", None),
        ("GET", "/versions", None),
        ("PUT", "", Some(update.clone())),
        ("DELETE", "", None),
    ] {
        let (status, gone) = t
            .call(
                method,
                &format!("/api/v1/reports/{missing}{suffix}"),
                Some(&w.jp_analyst.token),
                body.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {suffix}: {gone}");
        error_shape(&gone).unwrap();
        for hidden in [red, strict] {
            let (status, answer) = t
                .call(
                    method,
                    &format!("/api/v1/reports/{hidden}{suffix}"),
                    Some(&w.jp_analyst.token),
                    body.clone(),
                )
                .await;
            assert_eq!(
                (status, &answer),
                (StatusCode::NOT_FOUND, &gone),
                "{method} {suffix} of a hidden report"
            );
        }
    }
    // And the identifiers such reports hold: a RED holder is not even a hit.
    let phone = t
        .submit(&w.th_analyst.token, phone_report("RED", "081-234-5678"))
        .await;
    let _ = phone;
    let (status, body) = t
        .call(
            "GET",
            &format!("/api/v1/entities/lookup?value={}", q("+66812345678")),
            Some(&w.jp_analyst.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (_, never_held) = t
        .call(
            "GET",
            &format!("/api/v1/entities/lookup?value={}", q("+66812345679")),
            Some(&w.jp_analyst.token),
            None,
        )
        .await;
    assert_eq!(body, never_held);
}

/// Known bug, not fixed here: a wrong type inside an entity is reported at `entities[0]`, not at
/// the field. `EntityIn` is an internally tagged enum (`#[serde(tag = "type")]`): serde buffers
/// the entity and deserializes the variant from that buffer, where `serde_path_to_error` cannot
/// follow. (Missing and unknown fields are named from serde's message; a wrong type's message
/// does not name the field.) The fix belongs in crates/wire.
#[tokio::test]
async fn a_wrong_type_inside_an_entity_names_the_field() {
    let w = World::new();
    let body = json!({"kind": "intelligence", "marking": "GREEN",
        "entities": [{"type": "identifier", "value": 66812345678_u64}]});
    let (status, e) =
        w.t.call(
            "POST",
            "/api/v1/reports",
            Some(&w.th_analyst.token),
            Some(body),
        )
        .await;
    error_shape(&e).unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["code"], "wrong_type");
    assert_eq!(e["error"]["field"], "entities[0].value", "{e}");
}

/// Known bug, not fixed here: serde's derived `Deserialize` also reads a struct from a JSON
/// array, field by field in declaration order, and `deny_unknown_fields` does not stop it; so
/// `[null, "intelligence", null, null, [], "", null, null, null, "GREEN"]` is stored as a
/// report (201), and nested objects (`distribution`, `loss`) take arrays too. The API documents
/// objects only. The fix belongs in crates/wire (e.g. a `deserialize_map`-only impl, or
/// `#[serde(from = ...)]` over a map type).
#[tokio::test]
async fn a_report_is_an_object_not_a_positional_array() {
    let w = World::new();
    let body = json!([
        null,
        "intelligence",
        null,
        null,
        [],
        "positional",
        null,
        null,
        null,
        "GREEN"
    ]);
    let (status, e) =
        w.t.call(
            "POST",
            "/api/v1/reports",
            Some(&w.th_analyst.token),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    error_shape(&e).unwrap();
    assert_eq!(e["error"]["code"], "wrong_type", "{e}");
}
