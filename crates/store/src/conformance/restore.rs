//! `restore`: another store's records, built here in memory as a source store would return
//! them, written into the store under test verbatim and read back equal; no audit event of its
//! own; the copied chain verifies to the source's head; restored reports take revs in the
//! order given; taken ids and chains that do not continue are refused whole.

use super::fixture::{
    Ctx, assert_conflict, assert_not_found, assert_report, at, events, fingerprint, sorted,
};
use crate::audit::{chain_hash, verify};
use crate::{
    AuditEvent, EntityRecord, GENESIS_HASH, MarkRecord, ReportFilter, ReportRecord, Restore,
    SessionRecord, SightingRecord, Store, StoreError, TokenId, TokenRecord, WarningRecord,
};
use std::collections::{BTreeMap, BTreeSet};
use warroom_domain::{
    AgencyId, AgencyKind, EntityId, GroupId, ReportId, ReportKind, Role, SharingGroup, Tlp,
};

#[track_caller]
fn restored(what: &str, store: &dyn Store, batch: Restore<'_>) {
    if let Err(e) = store.restore(&batch) {
        panic!("{what}: expected success, got {e}");
    }
}

#[track_caller]
fn refused(what: &str, store: &dyn Store, batch: Restore<'_>) -> StoreError {
    match store.restore(&batch) {
        Ok(()) => panic!("{what}: expected an error, got Ok"),
        Err(e) => e,
    }
}

/// The entities the normal path leaves after these histories were stored and updated: every
/// entity of a version that was not retracted, labelled by the first version that named it,
/// first seen at the earliest of those versions' sightings.
fn expected_entities(histories: &[Vec<ReportRecord>]) -> BTreeMap<EntityId, EntityRecord> {
    let mut out: BTreeMap<EntityId, EntityRecord> = BTreeMap::new();
    for r in histories.iter().flatten() {
        if r.retracted_at.is_some() {
            continue;
        }
        for e in &r.entities {
            out.entry(e.id)
                .and_modify(|x| x.first_seen_at = x.first_seen_at.min(r.seen_at()))
                .or_insert_with(|| EntityRecord {
                    id: e.id,
                    kind: e.kind.clone(),
                    value: e.value.clone(),
                    first_seen_at: r.seen_at(),
                });
        }
    }
    out
}

/// The sightings of the current versions, per entity, in `sightings` order: by time, then in
/// the order the reports were stored.
fn expected_sightings(histories: &[Vec<ReportRecord>]) -> BTreeMap<EntityId, Vec<SightingRecord>> {
    let mut out: BTreeMap<EntityId, Vec<SightingRecord>> = BTreeMap::new();
    for r in histories.iter().filter_map(|h| h.last()) {
        if r.retracted_at.is_some() {
            continue;
        }
        let ids: BTreeSet<EntityId> = r.entities.iter().map(|e| e.id).collect();
        for id in ids {
            out.entry(id).or_default().push(SightingRecord {
                entity: id,
                report: r.id,
                agency: r.owner,
                seen_at: r.seen_at(),
                marking: r.marking,
                distribution: r.distribution.clone(),
                hit_notices: r.hit_notices,
            });
        }
    }
    for list in out.values_mut() {
        // Stable: reports seen at the same time keep their stored order.
        list.sort_by_key(|s| s.seen_at);
    }
    out
}

/// Every listed report id, newest first, in pages of 2 to exercise the cursor.
fn listed(store: &dyn Store, include_retracted: bool) -> Vec<ReportId> {
    let filter = ReportFilter {
        include_retracted,
        ..ReportFilter::default()
    };
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.list_reports(&filter, cursor, 2).unwrap();
        let Some(last) = page.last() else {
            return out;
        };
        cursor = Some(last.seq);
        out.extend(page.iter().map(|l| l.report.id));
    }
}

/// A new version of `r`: the next version number, recorded later, with another fingerprint.
fn next_version(r: &ReportRecord, recorded: i64) -> ReportRecord {
    let mut v = r.clone();
    v.version += 1;
    v.recorded_at = at(recorded);
    v.fingerprint = fingerprint(r.id.0, u8::try_from(v.version).unwrap());
    v.body = format!(
        r#"{{"narrative":"version {}","id":"{}"}}"#,
        v.version, r.id.0
    );
    v
}

pub fn story(store: &dyn Store) {
    let mut cx = Ctx::new(store);

    // ---- the source, as a source store's reads return it ----
    let th = cx.agency("Royal Thai Police CCIB", "TH");
    let mut jp = cx.agency("National Police Agency", "JP");
    jp.kind = AgencyKind::FinancialIntelligence;
    let agencies = vec![th.clone(), jp.clone()];
    let federated = AgencyId(cx.uuid());
    let groups = vec![
        SharingGroup {
            id: GroupId(cx.uuid()),
            name: "Mekong task force".to_owned(),
            members: BTreeSet::from([th.id, jp.id, federated]),
        },
        SharingGroup {
            id: GroupId(cx.uuid()),
            name: "Nobody yet".to_owned(),
            members: BTreeSet::new(),
        },
    ];
    let somchai = cx.user(th.id, "somchai", &[Role::Analyst, Role::Supervisor]);
    let mut kenji = cx.user(jp.id, "kenji", &[Role::Analyst]);
    kenji.created_at = at(2);
    let mut retired = cx.user(th.id, "retired", &[]);
    retired.password_hash = None;
    retired.user.disabled = true;
    let users = vec![somchai.clone(), kenji.clone(), retired.clone()];
    let tokens = vec![
        TokenRecord {
            id: TokenId(cx.uuid()),
            user: somchai.user.id,
            name: "laptop".to_owned(),
            hash: [1; 32],
            created_at: at(3),
            expires_at: Some(at(90_000)),
            revoked_at: None,
        },
        TokenRecord {
            id: TokenId(cx.uuid()),
            user: somchai.user.id,
            name: "old laptop".to_owned(),
            hash: [2; 32],
            created_at: at(4),
            expires_at: None,
            revoked_at: Some(at(5)),
        },
        TokenRecord {
            id: TokenId(cx.uuid()),
            user: kenji.user.id,
            name: "ingest script".to_owned(),
            hash: [3; 32],
            created_at: at(6),
            expires_at: None,
            revoked_at: None,
        },
    ];
    let sessions = vec![
        SessionRecord {
            hash: [7; 32],
            user: somchai.user.id,
            csrf: "csrf-somchai".to_owned(),
            created_at: at(7),
            expires_at: at(7 + 3_600),
        },
        SessionRecord {
            hash: [8; 32],
            user: kenji.user.id,
            csrf: "csrf-kenji".to_owned(),
            created_at: at(8),
            expires_at: at(8 + 3_600),
        },
    ];

    let phone = cx.entity("phone", "+66812345678");
    let line = cx.entity("messaging", "line:scammer01");
    let bank = cx.entity("bank_account", "TH:0123456789");
    let wallet = cx.entity(
        "crypto_wallet",
        "ethereum:0x52908400098527886E0F7030069857D2E4169EE7",
    );
    let mut person = cx.entity("person", "Somsak K.");

    // One version, the phone listed twice (one sighting).
    let a = cx.report(
        th.id,
        somchai.user.id,
        vec![phone.clone(), line.clone(), phone.clone()],
    );
    // Updated twice: version 1 saw the phone and a person early; version 2 renamed the person;
    // the current version dropped the person, is seen later, and is GREEN for everyone.
    let mut b1 = cx.report(jp.id, kenji.user.id, vec![phone.clone(), person.clone()]);
    b1.occurred_at = Some(at(50));
    b1.distribution.groups.insert(groups[0].id);
    let mut b2 = next_version(&b1, 310);
    person.value = "Somsak Kittisak".to_owned();
    b2.entities = vec![phone.clone(), person.clone()];
    b2.occurred_at = Some(at(60));
    let mut b3 = next_version(&b2, 320);
    b3.entities = vec![phone.clone()];
    b3.occurred_at = None;
    b3.reported_at = at(400);
    b3.marking = Tlp::Green;
    b3.distribution = Default::default();
    // Updated, then retracted: no sightings, but the entities its live versions named stay.
    let mut c1 = cx.report(th.id, somchai.user.id, vec![bank.clone()]);
    c1.occurred_at = Some(at(20));
    let mut c2 = next_version(&c1, 600);
    c2.methods = vec!["investment".to_owned()];
    let mut c3 = c2.clone();
    c3.version = 3;
    c3.retracted_at = Some(at(700));
    c3.recorded_at = at(700);
    // A tombstone that arrived retracted at version 4 (as federation can bring one): no
    // sightings and no entity.
    let mut d = cx.report(jp.id, kenji.user.id, vec![wallet.clone()]);
    d.version = 4;
    d.retracted_at = Some(at(800));
    d.recorded_at = at(800);
    d.kind = ReportKind::Intelligence;
    d.marking = Tlp::AmberStrict;
    d.victim_country = None;
    d.occurred_at = None;
    d.methods = vec![];
    let mut histories = vec![vec![a.clone()], vec![b1, b2, b3], vec![c1, c2, c3], vec![d]];
    // More single-version reports of the phone, some seen at the same time as another.
    for i in 0..5i64 {
        let mut r = cx.report(th.id, somchai.user.id, vec![phone.clone()]);
        r.occurred_at = Some(at(90 + 5 * (i % 3)));
        r.marking = if i % 2 == 0 { Tlp::Red } else { Tlp::Clear };
        histories.push(vec![r]);
    }
    let order: Vec<ReportId> = histories.iter().map(|h| h[0].id).collect();

    // The source's chain: events by both agencies and by nobody.
    let mut chain: Vec<AuditEvent> = Vec::new();
    let mut prev = GENESIS_HASH;
    for i in 0..12u64 {
        cx.actor_agency = [Some(th.id), Some(jp.id), None][(i % 3) as usize];
        cx.actor_user = cx.actor_agency.map(|_| somchai.user.id);
        let draft = cx.draft("report.read", "report", format!("r{i}"));
        let seq = i + 1;
        let hash = chain_hash(&prev, seq, &draft);
        chain.push(AuditEvent {
            seq,
            draft,
            prev_hash: prev,
            hash,
        });
        prev = hash;
    }
    let head = prev;

    // The warninglist (a shipped entry and an admin's removed one) and analysts' marks.
    let warnings = vec![
        WarningRecord {
            key: "phone:+661441".to_owned(),
            kind: "phone".to_owned(),
            value: "+661441".to_owned(),
            entity: Some(EntityId(cx.uuid())),
            region: Some(th.country),
            reason: "Royal Thai Police anti-scam hotline".to_owned(),
            source: "shipped".to_owned(),
            added_by: None,
            added_at: at(9),
            removed_at: None,
        },
        WarningRecord {
            key: "phone:raw:TH:1599".to_owned(),
            kind: "phone".to_owned(),
            value: "1599".to_owned(),
            entity: None,
            region: Some(th.country),
            reason: "police emergency".to_owned(),
            source: "admin".to_owned(),
            added_by: Some(somchai.user.id),
            added_at: at(10),
            removed_at: Some(at(11)),
        },
    ];
    let marks = vec![
        MarkRecord {
            entity: phone.id,
            agency: th.id,
            user: somchai.user.id,
            verdict: "confirmed".to_owned(),
            note: "the same caller in five reports".to_owned(),
            at: at(12),
        },
        MarkRecord {
            entity: phone.id,
            agency: jp.id,
            user: kenji.user.id,
            verdict: "false_positive".to_owned(),
            note: String::new(),
            at: at(13),
        },
    ];

    // ---- restore, in dependency order, reports in two batches ----
    restored("agencies", store, Restore::Agencies(&agencies));
    restored("groups", store, Restore::Groups(&groups));
    restored("users", store, Restore::Users(&users));
    restored("tokens", store, Restore::Tokens(&tokens));
    restored("sessions", store, Restore::Sessions(&sessions));
    restored(
        "reports, first batch",
        store,
        Restore::Reports(&histories[..3]),
    );
    restored(
        "reports, second batch",
        store,
        Restore::Reports(&histories[3..]),
    );
    restored("an empty batch", store, Restore::Reports(&[]));
    assert!(
        events(store, None, 0).is_empty(),
        "restoring records appends no audit event"
    );

    // Audit batches that do not continue the chain are refused.
    let e = refused("audit from event 2", store, Restore::Audit(&chain[1..4]));
    assert_conflict("audit that skips the first event", &e);
    let mut unlinked = chain[..3].to_vec();
    unlinked[0].prev_hash = [9; 32];
    let e = refused("audit not after genesis", store, Restore::Audit(&unlinked));
    assert_conflict("audit whose first prev_hash is not the head's hash", &e);
    restored("audit, first page", store, Restore::Audit(&chain[..5]));
    let e = refused("audit again", store, Restore::Audit(&chain[..5]));
    assert_conflict("audit events already stored", &e);
    let e = refused("audit with a gap", store, Restore::Audit(&chain[6..]));
    assert_conflict("audit that skips an event", &e);
    let mut changed = chain[5..].to_vec();
    changed[2].draft.action = "report.update".to_owned();
    let e = refused(
        "audit with a changed event",
        store,
        Restore::Audit(&changed),
    );
    assert_conflict("audit whose event does not match its hash", &e);
    assert_eq!(
        events(store, None, 0),
        chain[..5].to_vec(),
        "a refused audit batch stores none of its events"
    );
    restored("audit, second page", store, Restore::Audit(&chain[5..]));
    restored("warnings", store, Restore::Warnings(&warnings));
    restored("marks", store, Restore::Marks(&marks));
    assert_eq!(
        events(store, None, 0).len(),
        chain.len(),
        "restoring warnings and marks appends no audit event"
    );

    // ---- everything reads back as the source had it ----
    let check_all = |what: &str| {
        assert_eq!(
            sorted(&store.agencies().unwrap(), |a| a.id),
            sorted(&agencies, |a| a.id),
            "{what}: agencies"
        );
        assert_eq!(
            sorted(&store.users(None).unwrap(), |u| u.user.id),
            sorted(&users, |u| u.user.id),
            "{what}: users"
        );
        assert_eq!(store.user_count().unwrap(), 3, "{what}: user_count");
        assert_eq!(
            store.user_by_username("retired").unwrap().as_ref(),
            Some(&retired),
            "{what}: user_by_username"
        );
        assert_eq!(
            sorted(&store.groups().unwrap(), |g| g.id),
            sorted(&groups, |g| g.id),
            "{what}: groups"
        );
        assert_eq!(
            store.groups_of(federated).unwrap(),
            vec![groups[0].id],
            "{what}: groups_of a federated member"
        );
        assert_eq!(
            sorted(&store.tokens(None).unwrap(), |t| t.id),
            sorted(&tokens, |t| t.id),
            "{what}: tokens"
        );
        assert_eq!(
            store.token_by_hash(&[2; 32]).unwrap().as_ref(),
            Some(&tokens[1]),
            "{what}: a revoked token by its hash"
        );
        assert_eq!(
            sorted(&store.sessions().unwrap(), |s| s.hash),
            sorted(&sessions, |s| s.hash),
            "{what}: sessions"
        );
        assert_eq!(
            store.session_by_hash(&[8; 32]).unwrap().as_ref(),
            Some(&sessions[1]),
            "{what}: session_by_hash"
        );
        for h in &histories {
            let current = h.last().unwrap();
            assert_report(
                &format!("{what}: report"),
                &store
                    .report(current.id)
                    .unwrap()
                    .expect("a restored report"),
                current,
            );
            let versions = store.report_versions(current.id).unwrap();
            assert_eq!(versions.len(), h.len(), "{what}: report_versions count");
            for (got, want) in versions.iter().zip(h) {
                assert_report(&format!("{what}: report_versions"), got, want);
            }
        }
        let newest_first: Vec<ReportId> = order.iter().rev().copied().collect();
        assert_eq!(
            listed(store, true),
            newest_first,
            "{what}: listing order follows the order restored"
        );
        let live: Vec<ReportId> = histories
            .iter()
            .rev()
            .filter(|h| h.last().unwrap().retracted_at.is_none())
            .map(|h| h[0].id)
            .collect();
        assert_eq!(
            listed(store, false),
            live,
            "{what}: listing without retracted"
        );
        assert_eq!(
            store.report_count().unwrap(),
            histories.len() as u64,
            "{what}: report_count"
        );
        let changes = store.report_changes(0, 100).unwrap();
        assert_eq!(
            changes
                .iter()
                .map(|c| (c.rev, c.report.id))
                .collect::<Vec<_>>(),
            order
                .iter()
                .enumerate()
                .map(|(i, id)| (i as u64 + 1, *id))
                .collect::<Vec<_>>(),
            "{what}: restored reports take revs 1, 2, 3... in the order restored"
        );
        for (c, h) in changes.iter().zip(&histories) {
            assert_report(
                &format!("{what}: report_changes"),
                &c.report,
                h.last().unwrap(),
            );
        }
        assert_eq!(
            store.report_rev().unwrap(),
            histories.len() as u64,
            "{what}: report_rev"
        );
        assert_eq!(
            store.warninglist().unwrap(),
            warnings,
            "{what}: warninglist"
        );
        assert_eq!(store.marks().unwrap(), marks, "{what}: marks");

        let entities = expected_entities(&histories);
        let sightings = expected_sightings(&histories);
        for e in [&phone, &line, &bank, &person] {
            assert_eq!(
                store.entity(e.id).unwrap().as_ref(),
                entities.get(&e.id),
                "{what}: entity {} ({})",
                e.kind,
                e.value
            );
            assert_eq!(
                store.sightings(e.id).unwrap(),
                sightings.get(&e.id).cloned().unwrap_or_default(),
                "{what}: sightings of {} ({})",
                e.kind,
                e.value
            );
        }
        assert_eq!(
            store.entity(phone.id).unwrap().map(|e| e.first_seen_at),
            Some(at(50)),
            "{what}: first_seen_at counts a superseded version's sighting"
        );
        assert_eq!(
            store.entity(person.id).unwrap().map(|e| e.value),
            Some("Somsak K.".to_owned()),
            "{what}: an entity keeps the label of the first version that named it"
        );
        assert!(
            store.sightings(bank.id).unwrap().is_empty()
                && store.entity(bank.id).unwrap().is_some(),
            "{what}: a retracted report's entity stays, without sightings"
        );
        assert_eq!(
            store.entity(wallet.id).unwrap(),
            None,
            "{what}: a report stored retracted makes no entity"
        );
        assert_eq!(
            store.sighting_count().unwrap(),
            sightings.values().map(|v| v.len() as u64).sum::<u64>(),
            "{what}: sighting_count"
        );

        assert_eq!(events(store, None, 0), chain, "{what}: audit_events");
        assert_eq!(
            events(store, Some(jp.id), 0),
            chain
                .iter()
                .filter(|e| e.draft.actor_agency == Some(jp.id))
                .cloned()
                .collect::<Vec<_>>(),
            "{what}: audit_events of one agency"
        );
        let v = verify(store, 5, |_| {}).unwrap();
        assert_eq!(
            (v.events, v.head, v.first_break),
            (12, head, None),
            "{what}: the copied chain verifies, with the source's head"
        );
    };
    check_all("after restore");

    // ---- a batch with anything already stored is refused whole ----
    let newcomer = cx.agency("Bank of Nowhere", "JP");
    let e = refused(
        "agencies with a stored id",
        store,
        Restore::Agencies(&[newcomer.clone(), th.clone()]),
    );
    assert_conflict("agencies with a stored id", &e);
    assert_eq!(store.agency(newcomer.id).unwrap(), None, "nothing partial");
    let e = refused(
        "groups with a stored id",
        store,
        Restore::Groups(&groups[1..]),
    );
    assert_conflict("groups with a stored id", &e);
    let new_user = cx.user(th.id, "newcomer", &[Role::Analyst]);
    let e = refused(
        "users with a stored id",
        store,
        Restore::Users(&[new_user.clone(), kenji.clone()]),
    );
    assert_conflict("users with a stored id", &e);
    let mut namesake = cx.user(th.id, "somchai", &[]);
    namesake.user.display_name = "another somchai".to_owned();
    let e = refused(
        "users with a taken username",
        store,
        Restore::Users(std::slice::from_ref(&namesake)),
    );
    assert_conflict("users with a taken username", &e);
    assert_eq!(
        store.user(new_user.user.id).unwrap(),
        None,
        "nothing partial"
    );
    let e = refused(
        "tokens with a stored id",
        store,
        Restore::Tokens(&tokens[2..]),
    );
    assert_conflict("tokens with a stored id", &e);
    let mut orphan = tokens[0].clone();
    orphan.id = TokenId(cx.uuid());
    orphan.hash = [4; 32];
    orphan.user = warroom_domain::UserId(cx.uuid());
    let e = refused(
        "a token of an unknown user",
        store,
        Restore::Tokens(std::slice::from_ref(&orphan)),
    );
    assert_not_found("a token whose user is not stored", &e);
    let e = refused(
        "sessions with a stored hash",
        store,
        Restore::Sessions(&sessions[..1]),
    );
    assert_conflict("sessions with a stored hash", &e);

    let newer = cx.report(th.id, somchai.user.id, vec![wallet.clone(), phone.clone()]);
    let e = refused(
        "reports with a stored id",
        store,
        Restore::Reports(&[vec![newer.clone()], histories[0].clone()]),
    );
    assert_conflict("reports with a stored id", &e);
    let e = refused(
        "a report listed twice",
        store,
        Restore::Reports(&[vec![newer.clone()], vec![newer.clone()]]),
    );
    assert_conflict("a report listed twice", &e);
    let e = refused(
        "a history with a gap",
        store,
        Restore::Reports(&[vec![
            newer.clone(),
            next_version(&next_version(&newer, 1), 2),
        ]]),
    );
    assert_conflict("a history whose versions do not follow each other", &e);
    let e = refused(
        "a history with no versions",
        store,
        Restore::Reports(&[vec![]]),
    );
    assert_conflict("a history with no versions", &e);
    assert_eq!(store.report(newer.id).unwrap(), None, "nothing partial");
    let mut new_warning = warnings[0].clone();
    new_warning.key = "phone:+661111".to_owned();
    let e = refused(
        "warnings with a stored key",
        store,
        Restore::Warnings(&[new_warning.clone(), warnings[1].clone()]),
    );
    assert_conflict("warnings with a stored key", &e);
    let e = refused(
        "a warning listed twice",
        store,
        Restore::Warnings(&[new_warning.clone(), new_warning.clone()]),
    );
    assert_conflict("a warning listed twice", &e);
    let mut new_mark = marks[0].clone();
    new_mark.entity = line.id;
    let e = refused(
        "marks with a stored (entity, user)",
        store,
        Restore::Marks(&[new_mark.clone(), marks[1].clone()]),
    );
    assert_conflict("marks with a stored (entity, user)", &e);
    let e = refused(
        "a mark listed twice",
        store,
        Restore::Marks(&[new_mark.clone(), new_mark.clone()]),
    );
    assert_conflict("a mark listed twice", &e);
    check_all("after refused batches");

    // ---- the restored store goes on like any other ----
    cx.actor_agency = Some(th.id);
    let draft = cx.draft("report.read", "report", a.id);
    store.append_audit(std::slice::from_ref(&draft)).unwrap();
    let mut a2 = next_version(&a, 1_000);
    a2.entities = vec![line.clone()];
    let draft2 = cx.draft("report.update", "report", a.id);
    store.update_report(&a2, &draft2).unwrap();
    assert_eq!(
        store
            .sightings(phone.id)
            .unwrap()
            .iter()
            .filter(|s| s.report == a.id)
            .count(),
        0,
        "an update after a restore moves the report's sightings"
    );
    let draft3 = cx.draft("report.create", "report", newer.id);
    store
        .put_reports(&[(newer.clone(), draft3.clone())])
        .unwrap();
    assert_eq!(
        listed(store, true).first(),
        Some(&newer.id),
        "a report stored after a restore lists first"
    );
    let all = events(store, None, 0);
    assert_eq!(all.len(), 15, "new events follow the restored ones");
    assert_eq!(
        all[12..].iter().map(|e| &e.draft).collect::<Vec<_>>(),
        vec![&draft, &draft2, &draft3],
        "new events follow the restored ones"
    );
    let v = verify(store, 4, |_| {}).unwrap();
    assert_eq!(
        (v.events, v.first_break),
        (15, None),
        "the chain verifies across the restored events and the new ones"
    );
    let n = histories.len() as u64;
    assert_eq!(
        store
            .report_changes(n, 10)
            .unwrap()
            .iter()
            .map(|c| (c.rev, c.report.id))
            .collect::<Vec<_>>(),
        vec![(n + 1, a.id), (n + 2, newer.id)],
        "changes after a restore take the revs after the restored ones"
    );
}
