//! Agencies, users, groups, tokens and sessions round-trip; uniqueness and missing objects are
//! refused without an audit event.

use super::fixture::{Ctx, assert_conflict, assert_not_found, at, sorted};
use crate::{SessionRecord, Store, TokenId, TokenRecord};
use std::collections::BTreeSet;
use warroom_domain::{AgencyId, AgencyKind, GroupId, Role, SharingGroup, UserId};

pub fn story(store: &dyn Store) {
    let mut cx = Ctx::new(store);

    // ---- agencies ----
    let th = cx.agency("Royal Thai Police CCIB", "TH");
    let mut jp = cx.agency("National Police Agency", "JP");
    jp.kind = AgencyKind::FinancialIntelligence;
    for a in [&th, &jp] {
        let d = cx.draft("agency.create", "agency", a.id);
        cx.write("create_agency", d, |d| store.create_agency(a, d));
    }
    assert_eq!(
        store.agency(th.id).unwrap().as_ref(),
        Some(&th),
        "agency round trip"
    );
    assert_eq!(
        store.agency(jp.id).unwrap().as_ref(),
        Some(&jp),
        "agency round trip (kind)"
    );
    assert_eq!(
        store.agency(AgencyId(cx.uuid())).unwrap(),
        None,
        "unknown agency"
    );
    assert_eq!(
        sorted(&store.agencies().unwrap(), |a| a.id),
        sorted(&[th.clone(), jp.clone()], |a| a.id),
        "agencies() lists every agency"
    );
    let e = cx.refused("create_agency with a taken id", |d| {
        store.create_agency(&th, d)
    });
    assert_conflict("create_agency with a taken id", &e);

    // ---- users ----
    cx.actor_agency = Some(th.id);
    let somchai = cx.user(th.id, "somchai", &[Role::Analyst, Role::Supervisor]);
    let mut kenji = cx.user(jp.id, "kenji", &[]);
    kenji.password_hash = None;
    kenji.user.disabled = true;
    for u in [&somchai, &kenji] {
        let d = cx.draft("user.create", "user", u.user.id);
        cx.write("create_user", d, |d| store.create_user(u, d));
    }
    cx.actor_user = Some(somchai.user.id);
    assert_eq!(
        store.user(somchai.user.id).unwrap().as_ref(),
        Some(&somchai),
        "user round trip"
    );
    assert_eq!(
        store.user(kenji.user.id).unwrap().as_ref(),
        Some(&kenji),
        "user round trip (no password, disabled)"
    );
    assert_eq!(store.user(UserId(cx.uuid())).unwrap(), None, "unknown user");
    assert_eq!(
        store.user_by_username("somchai").unwrap().as_ref(),
        Some(&somchai),
        "user_by_username"
    );
    assert_eq!(
        store.user_by_username("nobody").unwrap(),
        None,
        "user_by_username of an unknown name"
    );
    assert_eq!(
        store.users(Some(th.id)).unwrap(),
        vec![somchai.clone()],
        "users(Some(agency)) filters by agency"
    );
    assert_eq!(
        sorted(&store.users(None).unwrap(), |u| u.user.id),
        sorted(&[somchai.clone(), kenji.clone()], |u| u.user.id),
        "users(None) lists every user"
    );
    let mut clash = cx.user(jp.id, "somchai", &[Role::Admin]);
    clash.user.display_name = "another somchai".to_owned();
    let e = cx.refused("create_user with a taken username", |d| {
        store.create_user(&clash, d)
    });
    assert_conflict("create_user with a taken username", &e);
    assert_eq!(
        store.user_count().unwrap(),
        2,
        "user_count after a refused user"
    );

    let mut changed = somchai.clone();
    changed.user.display_name = "Somchai J.".to_owned();
    changed.user.roles = BTreeSet::from([Role::Admin, Role::Liaison]);
    changed.user.disabled = true;
    changed.password_hash = None;
    let d = cx.draft("user.update", "user", changed.user.id);
    cx.write("update_user", d, |d| store.update_user(&changed, d));
    assert_eq!(
        store.user(somchai.user.id).unwrap().as_ref(),
        Some(&changed),
        "update_user replaces roles, name, disabled and password"
    );
    let ghost = cx.user(th.id, "ghost", &[]);
    let e = cx.refused("update_user of an unknown user", |d| {
        store.update_user(&ghost, d)
    });
    assert_not_found("update_user of an unknown user", &e);
    assert_eq!(store.user_count().unwrap(), 2, "user_count");

    // ---- groups ----
    let fraud = SharingGroup {
        id: GroupId(cx.uuid()),
        name: "TH-JP special fraud".to_owned(),
        members: BTreeSet::from([th.id, jp.id]),
    };
    let thai = SharingGroup {
        id: GroupId(cx.uuid()),
        name: "TH only".to_owned(),
        members: BTreeSet::from([th.id]),
    };
    let empty = SharingGroup {
        id: GroupId(cx.uuid()),
        name: "nobody yet".to_owned(),
        members: BTreeSet::new(),
    };
    for g in [&fraud, &thai, &empty] {
        let d = cx.draft("group.put", "group", g.id);
        cx.write("put_group", d, |d| store.put_group(g, d));
    }
    assert_eq!(
        store.group(fraud.id).unwrap().as_ref(),
        Some(&fraud),
        "group round trip"
    );
    assert_eq!(
        store.group(empty.id).unwrap().as_ref(),
        Some(&empty),
        "group without members"
    );
    assert_eq!(
        store.group(GroupId(cx.uuid())).unwrap(),
        None,
        "unknown group"
    );
    assert_eq!(
        sorted(&store.groups().unwrap(), |g| g.id),
        sorted(&[fraud.clone(), thai.clone(), empty.clone()], |g| g.id),
        "groups() lists every group"
    );
    let mut of_th = store.groups_of(th.id).unwrap();
    of_th.sort();
    assert_eq!(of_th, sorted(&[fraud.id, thai.id], |g| *g), "groups_of");
    assert_eq!(store.groups_of(jp.id).unwrap(), vec![fraud.id], "groups_of");

    let renamed = SharingGroup {
        id: fraud.id,
        name: "JP fraud desk".to_owned(),
        members: BTreeSet::from([jp.id]),
    };
    let d = cx.draft("group.put", "group", renamed.id);
    cx.write("put_group replacing a group", d, |d| {
        store.put_group(&renamed, d)
    });
    assert_eq!(
        store.group(fraud.id).unwrap().as_ref(),
        Some(&renamed),
        "put_group replaces name and members"
    );
    assert_eq!(
        store.groups_of(th.id).unwrap(),
        vec![thai.id],
        "groups_of after a member left"
    );
    assert_eq!(
        store.groups().unwrap().len(),
        3,
        "replacing a group does not add one"
    );

    // ---- tokens ----
    let token = TokenRecord {
        id: TokenId(cx.uuid()),
        user: somchai.user.id,
        name: "ingest script".to_owned(),
        hash: [0xab; 32],
        created_at: at(50),
        expires_at: Some(at(5_000)),
        revoked_at: None,
    };
    let other = TokenRecord {
        id: TokenId(cx.uuid()),
        user: kenji.user.id,
        name: "bank feed".to_owned(),
        hash: [0xcd; 32],
        created_at: at(60),
        expires_at: None,
        revoked_at: None,
    };
    for t in [&token, &other] {
        let d = cx.draft("token.create", "token", t.id);
        cx.write("create_token", d, |d| store.create_token(t, d));
    }
    assert_eq!(
        store.token_by_hash(&[0xab; 32]).unwrap().as_ref(),
        Some(&token),
        "token round trip"
    );
    assert_eq!(
        store.token_by_hash(&[0xef; 32]).unwrap(),
        None,
        "unknown token hash"
    );
    assert_eq!(
        store.tokens(Some(kenji.user.id)).unwrap(),
        vec![other.clone()],
        "tokens(Some(user))"
    );
    assert_eq!(
        sorted(&store.tokens(None).unwrap(), |t| t.id),
        sorted(&[token.clone(), other.clone()], |t| t.id),
        "tokens(None) lists every token"
    );
    let mut same_secret = other.clone();
    same_secret.id = TokenId(cx.uuid());
    let e = cx.refused("create_token with a secret already stored", |d| {
        store.create_token(&same_secret, d)
    });
    assert_conflict("create_token with a secret already stored", &e);

    let d = cx.draft("token.revoke", "token", token.id);
    cx.write("revoke_token", d, |d| {
        store.revoke_token(token.id, at(700), d)
    });
    let revoked = TokenRecord {
        revoked_at: Some(at(700)),
        ..token.clone()
    };
    assert_eq!(
        store.token_by_hash(&token.hash).unwrap().as_ref(),
        Some(&revoked),
        "revoke_token sets revoked_at"
    );
    assert_eq!(
        store.token_by_hash(&other.hash).unwrap().as_ref(),
        Some(&other),
        "revoke_token leaves other tokens alone"
    );
    assert_eq!(
        store.token(token.id).unwrap().as_ref(),
        Some(&revoked),
        "token by id"
    );
    let missing = TokenId(cx.uuid());
    assert_eq!(
        store.token(missing).unwrap(),
        None,
        "token of an unknown id"
    );
    let e = cx.refused("revoke_token of an unknown token", |d| {
        store.revoke_token(missing, at(701), d)
    });
    assert_not_found("revoke_token of an unknown token", &e);

    // ---- sessions ----
    let session = SessionRecord {
        hash: [0x11; 32],
        user: somchai.user.id,
        csrf: "csrf-token-value".to_owned(),
        created_at: at(800),
        expires_at: at(800 + 8 * 3600),
    };
    let d = cx.draft("session.create", "session", "s1");
    cx.write("create_session", d, |d| store.create_session(&session, d));
    assert_eq!(
        store.session_by_hash(&[0x11; 32]).unwrap().as_ref(),
        Some(&session),
        "session round trip"
    );
    assert_eq!(
        store.session_by_hash(&[0x12; 32]).unwrap(),
        None,
        "unknown session"
    );
    let d = cx.draft("session.delete", "session", "s1");
    cx.write("delete_session", d, |d| {
        store.delete_session(&[0x11; 32], d)
    });
    assert_eq!(
        store.session_by_hash(&[0x11; 32]).unwrap(),
        None,
        "a deleted session is gone"
    );
    let e = cx.refused("delete_session of a deleted session", |d| {
        store.delete_session(&[0x11; 32], d)
    });
    assert_not_found("delete_session of a deleted session", &e);

    assert_eq!(store.user_count().unwrap(), 2, "user_count at the end");
}
