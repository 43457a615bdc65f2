//! The warninglist and analysts' marks: exact round trips, upserts that replace by key and by
//! (entity, user), removed entries kept, listing order, one audit event per put; and their
//! restore: verbatim, no event, a stored or repeated key refusing the whole batch.

use super::fixture::{Ctx, assert_conflict, at, country};
use crate::{MarkRecord, Restore, Store, WarningRecord};
use warroom_domain::{AgencyId, EntityId, Role, UserId};

fn warning(key: &str, entity: Option<EntityId>) -> WarningRecord {
    let (kind, value) = key.split_once(':').unwrap();
    WarningRecord {
        key: key.to_owned(),
        kind: kind.to_owned(),
        value: value.to_owned(),
        entity,
        region: Some(country("TH")),
        reason: "Royal Thai Police anti-scam hotline / สายด่วน".to_owned(),
        source: "shipped".to_owned(),
        added_by: None,
        added_at: at(10),
        removed_at: None,
    }
}

fn mark(entity: EntityId, agency: AgencyId, user: UserId, verdict: &str, t: i64) -> MarkRecord {
    MarkRecord {
        entity,
        agency,
        user,
        verdict: verdict.to_owned(),
        note: format!("{verdict} at {t}"),
        at: at(t),
    }
}

pub fn story(store: &dyn Store) {
    let mut cx = Ctx::new(store);
    assert!(store.warninglist().unwrap().is_empty(), "empty warninglist");
    assert!(store.marks().unwrap().is_empty(), "no marks");

    let th = cx.agency("Royal Thai Police CCIB", "TH");
    let jp = cx.agency("National Police Agency", "JP");
    for a in [&th, &jp] {
        let d = cx.draft("agency.create", "agency", a.id);
        cx.write("create_agency", d, |d| store.create_agency(a, d));
    }
    let somchai = cx.user(th.id, "somchai", &[Role::Analyst]);
    let kenji = cx.user(jp.id, "kenji", &[Role::Analyst]);
    for u in [&somchai, &kenji] {
        let d = cx.draft("user.create", "user", u.user.id);
        cx.write("create_user", d, |d| store.create_user(u, d));
    }
    cx.actor_agency = Some(th.id);
    cx.actor_user = Some(somchai.user.id);

    // ---- warninglist: every field, put out of key order ----
    let hotline_entity = EntityId(cx.uuid());
    let hotline = warning("phone:+661441", Some(hotline_entity));
    // A short code that never normalises: no entity, written as given.
    let mut short = warning("phone:raw:TH:1441", None);
    short.source = "admin".to_owned();
    short.added_by = Some(somchai.user.id);
    short.added_at = at(20);
    // Byte order puts upper case first ("Z" < "a"); a locale's order would not.
    let mut upper = warning("messaging:line:Zed", Some(EntityId(cx.uuid())));
    upper.region = None;
    let lower = warning("messaging:line:abc", Some(EntityId(cx.uuid())));
    let domain = warning("domain:1441.go.th", Some(EntityId(cx.uuid())));
    for w in [&hotline, &short, &lower, &upper, &domain] {
        let d = cx.draft("warninglist.add", "warninglist", &w.key);
        cx.write("put_warning", d, |d| store.put_warning(w, d));
    }
    let mut want = vec![
        domain.clone(),
        upper.clone(),
        lower.clone(),
        hotline.clone(),
        short.clone(),
    ];
    assert_eq!(
        store.warninglist().unwrap(),
        want,
        "the warninglist round-trips every field, ordered by key (bytes)"
    );

    // Replacing by key: an admin removes the shipped hotline; it stays listed, removed.
    let mut removed = hotline.clone();
    removed.removed_at = Some(at(30));
    removed.reason = "no longer a hotline".to_owned();
    removed.added_by = Some(somchai.user.id);
    removed.source = "admin".to_owned();
    let d = cx.draft("warninglist.remove", "warninglist", &removed.key);
    cx.write("put_warning replacing an entry", d, |d| {
        store.put_warning(&removed, d)
    });
    want[3] = removed.clone();
    assert_eq!(
        store.warninglist().unwrap(),
        want,
        "put_warning replaces the entry with its key; a removed entry is kept"
    );
    // And back: every field is replaced, removed_at included.
    let mut restored_entry = removed.clone();
    restored_entry.removed_at = None;
    restored_entry.entity = None;
    restored_entry.region = Some(country("JP"));
    let d = cx.draft("warninglist.add", "warninglist", &removed.key);
    cx.write("put_warning over a removed entry", d, |d| {
        store.put_warning(&restored_entry, d)
    });
    want[3] = restored_entry.clone();
    assert_eq!(
        store.warninglist().unwrap(),
        want,
        "put_warning replaces every field"
    );

    // ---- marks: one verdict per (entity, user), listed by (entity, user) ----
    let e_first = EntityId(cx.uuid());
    let e_second = EntityId(cx.uuid());
    // Created in the order second, first, so insertion order differs from listing order.
    let m_second_kenji = mark(e_second, jp.id, kenji.user.id, "confirmed", 40);
    let m_second_somchai = mark(e_second, th.id, somchai.user.id, "false_positive", 41);
    let m_first_kenji = mark(e_first, jp.id, kenji.user.id, "confirmed", 42);
    for m in [&m_second_kenji, &m_second_somchai, &m_first_kenji] {
        let d = cx.draft("entity.mark", "entity", m.entity);
        cx.write("put_mark", d, |d| store.put_mark(m, d));
    }
    // somchai's id was handed out before kenji's, so sorts first.
    let mut want_marks = vec![
        m_first_kenji.clone(),
        m_second_somchai.clone(),
        m_second_kenji.clone(),
    ];
    assert_eq!(
        store.marks().unwrap(),
        want_marks,
        "marks round-trip, ordered by (entity, user)"
    );
    let mut changed_mind = mark(e_second, jp.id, kenji.user.id, "false_positive", 50);
    changed_mind.note = String::new();
    let d = cx.draft("entity.mark", "entity", e_second);
    cx.write("put_mark replacing a verdict", d, |d| {
        store.put_mark(&changed_mind, d)
    });
    want_marks[2] = changed_mind.clone();
    assert_eq!(
        store.marks().unwrap(),
        want_marks,
        "a later verdict of the same user on the same entity replaces the earlier one"
    );
    assert_eq!(
        store.report_rev().unwrap(),
        0,
        "warnings and marks are no report changes"
    );

    // ---- restore: verbatim, no audit event ----
    let mut copied = warning("bank_account:TH:0000000000", Some(EntityId(cx.uuid())));
    copied.removed_at = Some(at(60));
    copied.added_by = Some(kenji.user.id);
    let copied2 = warning("email:help@1441.go.th", None);
    cx.write_many("restore warnings", vec![], || {
        store.restore(&Restore::Warnings(&[copied.clone(), copied2.clone()]))
    });
    want.push(copied.clone());
    want.push(copied2.clone());
    want.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(
        store.warninglist().unwrap(),
        want,
        "restored entries read back as given, in key order"
    );
    let fresh = warning("url:https://1441.go.th/", None);
    let e = cx.refused("restore of a stored key", |_| {
        store.restore(&Restore::Warnings(&[fresh.clone(), lower.clone()]))
    });
    assert_conflict("restore of a warninglist key already stored", &e);
    let e = cx.refused("restore of a key listed twice", |_| {
        store.restore(&Restore::Warnings(&[fresh.clone(), fresh.clone()]))
    });
    assert_conflict("restore of a warninglist key listed twice", &e);
    assert_eq!(
        store.warninglist().unwrap(),
        want,
        "a refused restore writes none of its entries"
    );

    let e_third = EntityId(cx.uuid());
    let copied_marks = [
        mark(e_third, th.id, somchai.user.id, "confirmed", 70),
        mark(e_first, th.id, somchai.user.id, "false_positive", 71),
    ];
    cx.write_many("restore marks", vec![], || {
        store.restore(&Restore::Marks(&copied_marks))
    });
    want_marks.extend(copied_marks.iter().cloned());
    want_marks.sort_by_key(|m| (m.entity, m.user));
    assert_eq!(
        store.marks().unwrap(),
        want_marks,
        "restored marks read back as given, in (entity, user) order"
    );
    let new_mark = mark(e_third, jp.id, kenji.user.id, "confirmed", 80);
    let e = cx.refused("restore of a stored (entity, user)", |_| {
        store.restore(&Restore::Marks(&[
            new_mark.clone(),
            mark(e_first, jp.id, kenji.user.id, "confirmed", 81),
        ]))
    });
    assert_conflict("restore of a mark already stored", &e);
    let e = cx.refused("restore of an (entity, user) listed twice", |_| {
        store.restore(&Restore::Marks(&[new_mark.clone(), new_mark.clone()]))
    });
    assert_conflict("restore of a mark listed twice", &e);
    assert_eq!(
        store.marks().unwrap(),
        want_marks,
        "a refused restore writes none of its marks"
    );
    cx.write_many("restore of empty batches", vec![], || {
        store.restore(&Restore::Warnings(&[]))?;
        store.restore(&Restore::Marks(&[]))
    });
}
