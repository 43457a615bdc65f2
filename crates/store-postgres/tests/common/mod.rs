//! What the test files share: a fresh schema per test on the server named by
//! `WARROOM_TEST_POSTGRES`, failing (never skipping) when there is none.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use warroom_store::AuditDraft;
use warroom_store_postgres::{Options, PgStore, testing};

/// The URL of a new, empty schema.
pub fn fresh_url() -> String {
    let base = testing::base_url().unwrap_or_else(|e| panic!("{e}"));
    testing::fresh_schema_url(&base).unwrap_or_else(|e| panic!("cannot create a schema: {e}"))
}

/// A store in a new, empty schema, and the schema's URL.
pub fn fresh() -> (PgStore, String) {
    fresh_with(Options::default())
}

pub fn fresh_with(options: Options) -> (PgStore, String) {
    let url = fresh_url();
    let store = PgStore::connect_with(&url, options)
        .unwrap_or_else(|e| panic!("cannot connect to a fresh schema: {e}"));
    (store, url)
}

pub fn draft(i: u32) -> AuditDraft {
    AuditDraft {
        at: jiff::Timestamp::new(1_700_000_000 + i64::from(i), 7).unwrap(),
        actor_user: None,
        actor_agency: None,
        action: "report.read".to_owned(),
        object_kind: "report".to_owned(),
        object_id: format!("r{i}"),
        request_id: format!("req-{i}"),
        purpose: None,
    }
}
