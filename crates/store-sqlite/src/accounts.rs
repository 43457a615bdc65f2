//! Agencies, users, sharing groups, API tokens and web sessions.

use crate::codec::{
    get_bool, get_enum, get_hash, get_opt_str, get_opt_ts, get_opt_uuid, get_str, get_ts, get_u64,
    get_uuid, opt_ts, ts,
};
use crate::error::{Error, Res, Violation, insert_result, violation};
use rusqlite::{Connection, Row, params};
use std::collections::BTreeSet;
use warroom_domain::{
    Agency, AgencyId, AgencyKind, CountryCode, GroupId, SharingGroup, User, UserId,
};
use warroom_store::{SessionRecord, StoreError, TokenId, TokenRecord, UserRecord, role_list};

// ---- agencies -----------------------------------------------------------------------------

pub(crate) fn create_agency(conn: &Connection, a: &Agency) -> Res<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO agencies (id, name, country, kind, home_node) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let r = stmt.execute(params![
        &a.id.0.as_bytes()[..],
        a.name,
        a.country.as_str(),
        a.kind.as_str(),
        a.home_node,
    ]);
    r.map_err(|e| match violation(&e) {
        Some(Violation::Unique) => Error(StoreError::Conflict(
            "an agency with this id exists".to_owned(),
        )),
        _ => e.into(),
    })?;
    Ok(())
}

macro_rules! select_agencies {
    () => {
        "SELECT id, name, country, kind, home_node FROM agencies"
    };
}

fn agency_row(row: &Row<'_>) -> Res<Agency> {
    Ok(Agency {
        id: AgencyId(get_uuid(row, 0)?),
        name: get_str(row, 1)?.to_owned(),
        country: get_enum(row, 2, |s| CountryCode::parse(s).ok())?,
        kind: get_enum(row, 3, AgencyKind::parse)?,
        home_node: get_str(row, 4)?.to_owned(),
    })
}

pub(crate) fn agency(conn: &Connection, id: AgencyId) -> Res<Option<Agency>> {
    let mut stmt = conn.prepare_cached(concat!(select_agencies!(), " WHERE id = ?1"))?;
    let mut rows = stmt.query([&id.0.as_bytes()[..]])?;
    rows.next()?.map(agency_row).transpose()
}

pub(crate) fn agencies(conn: &Connection) -> Res<Vec<Agency>> {
    let mut stmt = conn.prepare_cached(concat!(select_agencies!(), " ORDER BY name, id"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(agency_row(row)?);
    }
    Ok(out)
}

// ---- users --------------------------------------------------------------------------------

pub(crate) fn create_user(conn: &Connection, u: &UserRecord) -> Res<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO users (id, agency, username, display_name, roles, disabled, password_hash, \
         created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let r = stmt.execute(params![
        &u.user.id.0.as_bytes()[..],
        &u.user.agency.0.as_bytes()[..],
        u.user.username,
        u.user.display_name,
        role_list::encode(&u.user.roles),
        u.user.disabled,
        u.password_hash,
        ts(u.created_at)?,
    ]);
    // Two keys can be taken; SQLite's message names the column.
    let taken = match &r {
        Err(e) if e.to_string().contains("users.username") => "the username is taken",
        _ => "a user with this id exists",
    };
    insert_result(r, taken, "agency")?;
    Ok(())
}

pub(crate) fn update_user(conn: &Connection, u: &UserRecord) -> Res<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE users SET display_name = ?2, roles = ?3, disabled = ?4, password_hash = ?5 \
         WHERE id = ?1",
    )?;
    let n = stmt.execute(params![
        &u.user.id.0.as_bytes()[..],
        u.user.display_name,
        role_list::encode(&u.user.roles),
        u.user.disabled,
        u.password_hash,
    ])?;
    if n == 0 {
        return Err(Error(StoreError::NotFound("user")));
    }
    Ok(())
}

macro_rules! select_users {
    () => {
        "SELECT id, agency, username, display_name, roles, disabled, \
                         password_hash, created_at FROM users"
    };
}

fn user_row(row: &Row<'_>) -> Res<UserRecord> {
    Ok(UserRecord {
        user: User {
            id: UserId(get_uuid(row, 0)?),
            agency: AgencyId(get_uuid(row, 1)?),
            username: get_str(row, 2)?.to_owned(),
            display_name: get_str(row, 3)?.to_owned(),
            roles: get_enum(row, 4, role_list::decode)?,
            disabled: get_bool(row, 5)?,
        },
        password_hash: get_opt_str(row, 6)?.map(str::to_owned),
        created_at: get_ts(row, 7)?,
    })
}

pub(crate) fn user(conn: &Connection, id: UserId) -> Res<Option<UserRecord>> {
    let mut stmt = conn.prepare_cached(concat!(select_users!(), " WHERE id = ?1"))?;
    let mut rows = stmt.query([&id.0.as_bytes()[..]])?;
    rows.next()?.map(user_row).transpose()
}

pub(crate) fn user_by_username(conn: &Connection, username: &str) -> Res<Option<UserRecord>> {
    let mut stmt = conn.prepare_cached(concat!(select_users!(), " WHERE username = ?1"))?;
    let mut rows = stmt.query([username])?;
    rows.next()?.map(user_row).transpose()
}

pub(crate) fn users(conn: &Connection, agency: Option<AgencyId>) -> Res<Vec<UserRecord>> {
    let mut stmt = conn.prepare_cached(concat!(
        select_users!(),
        " WHERE ?1 IS NULL OR agency = ?1 ORDER BY username"
    ))?;
    let mut rows = stmt.query([agency.as_ref().map(|a| &a.0.as_bytes()[..])])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(user_row(row)?);
    }
    Ok(out)
}

pub(crate) fn user_count(conn: &Connection) -> Res<u64> {
    let mut stmt = conn.prepare_cached("SELECT count(*) FROM users")?;
    let mut rows = stmt.query([])?;
    match rows.next()? {
        Some(row) => get_u64(row, 0),
        None => Ok(0),
    }
}

// ---- groups -------------------------------------------------------------------------------

pub(crate) fn put_group(conn: &Connection, g: &SharingGroup) -> Res<()> {
    let id = &g.id.0.as_bytes()[..];
    conn.prepare_cached(
        "INSERT INTO groups (id, name) VALUES (?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name",
    )?
    .execute(params![id, g.name])?;
    conn.prepare_cached("DELETE FROM group_members WHERE group_id = ?1")?
        .execute([id])?;
    let mut add =
        conn.prepare_cached("INSERT INTO group_members (group_id, agency) VALUES (?1, ?2)")?;
    for m in &g.members {
        add.execute([id, &m.0.as_bytes()[..]])?;
    }
    Ok(())
}

/// Groups with their members from one statement, so a reader never sees a half-replaced group.
fn collect_groups(mut rows: rusqlite::Rows<'_>) -> Res<Vec<SharingGroup>> {
    let mut out: Vec<SharingGroup> = Vec::new();
    while let Some(row) = rows.next()? {
        let id = GroupId(get_uuid(row, 0)?);
        if out.last().is_none_or(|g| g.id != id) {
            out.push(SharingGroup {
                id,
                name: get_str(row, 1)?.to_owned(),
                members: BTreeSet::new(),
            });
        }
        if let (Some(g), Some(m)) = (out.last_mut(), get_opt_uuid(row, 2)?) {
            g.members.insert(AgencyId(m));
        }
    }
    Ok(out)
}

pub(crate) fn group(conn: &Connection, id: GroupId) -> Res<Option<SharingGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.name, m.agency FROM groups g \
         LEFT JOIN group_members m ON m.group_id = g.id WHERE g.id = ?1",
    )?;
    let groups = collect_groups(stmt.query([&id.0.as_bytes()[..]])?)?;
    Ok(groups.into_iter().next())
}

pub(crate) fn groups(conn: &Connection) -> Res<Vec<SharingGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.name, m.agency FROM groups g \
         LEFT JOIN group_members m ON m.group_id = g.id ORDER BY g.name, g.id",
    )?;
    collect_groups(stmt.query([])?)
}

pub(crate) fn groups_of(conn: &Connection, agency: AgencyId) -> Res<Vec<GroupId>> {
    let mut stmt = conn
        .prepare_cached("SELECT group_id FROM group_members WHERE agency = ?1 ORDER BY group_id")?;
    let mut rows = stmt.query([&agency.0.as_bytes()[..]])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(GroupId(get_uuid(row, 0)?));
    }
    Ok(out)
}

// ---- tokens -------------------------------------------------------------------------------

pub(crate) fn create_token(conn: &Connection, t: &TokenRecord) -> Res<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO tokens (id, user_id, name, hash, created_at, expires_at, revoked_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let r = stmt.execute(params![
        &t.id.0.as_bytes()[..],
        &t.user.0.as_bytes()[..],
        t.name,
        &t.hash[..],
        ts(t.created_at)?,
        opt_ts(t.expires_at)?,
        opt_ts(t.revoked_at)?,
    ]);
    insert_result(r, "a token with this id or secret exists", "user")?;
    Ok(())
}

macro_rules! select_tokens {
    () => {
        "SELECT id, user_id, name, hash, created_at, expires_at, revoked_at FROM tokens"
    };
}

fn token_row(row: &Row<'_>) -> Res<TokenRecord> {
    Ok(TokenRecord {
        id: TokenId(get_uuid(row, 0)?),
        user: UserId(get_uuid(row, 1)?),
        name: get_str(row, 2)?.to_owned(),
        hash: get_hash(row, 3)?,
        created_at: get_ts(row, 4)?,
        expires_at: get_opt_ts(row, 5)?,
        revoked_at: get_opt_ts(row, 6)?,
    })
}

pub(crate) fn token_by_hash(conn: &Connection, hash: &[u8; 32]) -> Res<Option<TokenRecord>> {
    let mut stmt = conn.prepare_cached(concat!(select_tokens!(), " WHERE hash = ?1"))?;
    let mut rows = stmt.query([&hash[..]])?;
    rows.next()?.map(token_row).transpose()
}

pub(crate) fn token(conn: &Connection, id: TokenId) -> Res<Option<TokenRecord>> {
    let mut stmt = conn.prepare_cached(concat!(select_tokens!(), " WHERE id = ?1"))?;
    let mut rows = stmt.query([&id.0.as_bytes()[..]])?;
    rows.next()?.map(token_row).transpose()
}

pub(crate) fn tokens(conn: &Connection, user: Option<UserId>) -> Res<Vec<TokenRecord>> {
    let mut stmt = conn.prepare_cached(concat!(
        select_tokens!(),
        " WHERE ?1 IS NULL OR user_id = ?1 ORDER BY created_at, id"
    ))?;
    let mut rows = stmt.query([user.as_ref().map(|u| &u.0.as_bytes()[..])])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(token_row(row)?);
    }
    Ok(out)
}

pub(crate) fn revoke_token(conn: &Connection, id: TokenId, at: jiff::Timestamp) -> Res<()> {
    let n = conn
        .prepare_cached("UPDATE tokens SET revoked_at = ?2 WHERE id = ?1")?
        .execute(params![&id.0.as_bytes()[..], ts(at)?])?;
    if n == 0 {
        return Err(Error(StoreError::NotFound("token")));
    }
    Ok(())
}

// ---- sessions -----------------------------------------------------------------------------

pub(crate) fn create_session(conn: &Connection, s: &SessionRecord) -> Res<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let r = stmt.execute(params![
        &s.hash[..],
        &s.user.0.as_bytes()[..],
        s.csrf,
        ts(s.created_at)?,
        ts(s.expires_at)?,
    ]);
    insert_result(r, "a session with this secret exists", "user")?;
    Ok(())
}

macro_rules! select_sessions {
    () => {
        "SELECT hash, user_id, csrf, created_at, expires_at FROM sessions"
    };
}

fn session_row(row: &Row<'_>) -> Res<SessionRecord> {
    Ok(SessionRecord {
        hash: get_hash(row, 0)?,
        user: UserId(get_uuid(row, 1)?),
        csrf: get_str(row, 2)?.to_owned(),
        created_at: get_ts(row, 3)?,
        expires_at: get_ts(row, 4)?,
    })
}

pub(crate) fn session_by_hash(conn: &Connection, hash: &[u8; 32]) -> Res<Option<SessionRecord>> {
    let mut stmt = conn.prepare_cached(concat!(select_sessions!(), " WHERE hash = ?1"))?;
    let mut rows = stmt.query([&hash[..]])?;
    rows.next()?.map(session_row).transpose()
}

pub(crate) fn sessions(conn: &Connection) -> Res<Vec<SessionRecord>> {
    let mut stmt = conn.prepare_cached(concat!(select_sessions!(), " ORDER BY hash"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(session_row(row)?);
    }
    Ok(out)
}

pub(crate) fn delete_session(conn: &Connection, hash: &[u8; 32]) -> Res<()> {
    let n = conn
        .prepare_cached("DELETE FROM sessions WHERE hash = ?1")?
        .execute([&hash[..]])?;
    if n == 0 {
        return Err(Error(StoreError::NotFound("session")));
    }
    Ok(())
}
