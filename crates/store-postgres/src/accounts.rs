//! Agencies, users, sharing groups, API tokens and web sessions.

use crate::codec::{get, get_enum, get_hash, get_opt_ts, get_ts, get_u64, opt_ts, ts};
use crate::error::{Error, Res};
use crate::pool::Db;
use std::collections::BTreeSet;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use uuid::Uuid;
use warroom_domain::{
    Agency, AgencyId, AgencyKind, CountryCode, GroupId, SharingGroup, User, UserId,
};
use warroom_store::{SessionRecord, StoreError, TokenId, TokenRecord, UserRecord, role_list};

// Inserts never rely on a unique or foreign-key error: PostgreSQL would log the statement
// with the key's values (a username, a token hash) in the server log. They insert nothing on a
// taken key (`ON CONFLICT DO NOTHING`) or a missing parent (`WHERE EXISTS`), and a second
// query says which it was.

fn conflict(what: &str) -> Error {
    Error::Store(StoreError::Conflict(what.to_owned()))
}

async fn exists(db: &Db<'_>, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Res<bool> {
    match db.query_opt(sql, params).await? {
        Some(row) => get(&row, 0),
        None => Ok(false),
    }
}

// ---- agencies -----------------------------------------------------------------------------

pub(crate) async fn create_agency(db: &Db<'_>, a: &Agency) -> Res<()> {
    let n = db
        .execute(
            "INSERT INTO agencies (id, name, country, kind, home_node) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
            &[
                &a.id.0,
                &a.name,
                &a.country.as_str(),
                &a.kind.as_str(),
                &a.home_node,
            ],
        )
        .await?;
    if n == 0 {
        return Err(conflict("an agency with this id exists"));
    }
    Ok(())
}

macro_rules! select_agencies {
    () => {
        "SELECT id, name, country, kind, home_node FROM agencies"
    };
}

fn agency_row(row: &Row) -> Res<Agency> {
    Ok(Agency {
        id: AgencyId(get(row, 0)?),
        name: get(row, 1)?,
        country: get_enum(row, 2, |s| CountryCode::parse(s).ok())?,
        kind: get_enum(row, 3, AgencyKind::parse)?,
        home_node: get(row, 4)?,
    })
}

pub(crate) async fn agency(db: &Db<'_>, id: AgencyId) -> Res<Option<Agency>> {
    db.query_opt(concat!(select_agencies!(), " WHERE id = $1"), &[&id.0])
        .await?
        .as_ref()
        .map(agency_row)
        .transpose()
}

pub(crate) async fn agencies(db: &Db<'_>) -> Res<Vec<Agency>> {
    db.query(
        concat!(select_agencies!(), " ORDER BY name COLLATE \"C\", id"),
        &[],
    )
    .await?
    .iter()
    .map(agency_row)
    .collect()
}

// ---- users --------------------------------------------------------------------------------

pub(crate) async fn create_user(db: &Db<'_>, u: &UserRecord) -> Res<()> {
    let n = db
        .execute(
            "INSERT INTO users (id, agency, username, display_name, roles, disabled, \
             password_hash, created_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
             WHERE EXISTS (SELECT 1 FROM agencies WHERE id = $2) ON CONFLICT DO NOTHING",
            &[
                &u.user.id.0,
                &u.user.agency.0,
                &u.user.username,
                &u.user.display_name,
                &role_list::encode(&u.user.roles),
                &u.user.disabled,
                &u.password_hash,
                &ts(u.created_at)?,
            ],
        )
        .await?;
    if n == 1 {
        return Ok(());
    }
    // Nothing inserted: a taken key (checked first, as SQLite does) or a missing agency.
    let row = db
        .query_opt(
            "SELECT EXISTS (SELECT 1 FROM users WHERE username = $2), \
                    EXISTS (SELECT 1 FROM users WHERE id = $1)",
            &[&u.user.id.0, &u.user.username],
        )
        .await?;
    let (name_taken, id_taken) = match &row {
        Some(row) => (get::<bool>(row, 0)?, get::<bool>(row, 1)?),
        None => (false, false),
    };
    Err(if name_taken {
        conflict("the username is taken")
    } else if id_taken {
        conflict("a user with this id exists")
    } else {
        Error::Store(StoreError::NotFound("agency"))
    })
}

pub(crate) async fn update_user(db: &Db<'_>, u: &UserRecord) -> Res<()> {
    let n = db
        .execute(
            "UPDATE users SET display_name = $2, roles = $3, disabled = $4, password_hash = $5 \
             WHERE id = $1",
            &[
                &u.user.id.0,
                &u.user.display_name,
                &role_list::encode(&u.user.roles),
                &u.user.disabled,
                &u.password_hash,
            ],
        )
        .await?;
    if n == 0 {
        return Err(Error::Store(StoreError::NotFound("user")));
    }
    Ok(())
}

macro_rules! select_users {
    () => {
        "SELECT id, agency, username, display_name, roles, disabled, password_hash, created_at \
         FROM users"
    };
}

fn user_row(row: &Row) -> Res<UserRecord> {
    Ok(UserRecord {
        user: User {
            id: UserId(get(row, 0)?),
            agency: AgencyId(get(row, 1)?),
            username: get(row, 2)?,
            display_name: get(row, 3)?,
            roles: get_enum(row, 4, role_list::decode)?,
            disabled: get(row, 5)?,
        },
        password_hash: get(row, 6)?,
        created_at: get_ts(row, 7)?,
    })
}

pub(crate) async fn user(db: &Db<'_>, id: UserId) -> Res<Option<UserRecord>> {
    db.query_opt(concat!(select_users!(), " WHERE id = $1"), &[&id.0])
        .await?
        .as_ref()
        .map(user_row)
        .transpose()
}

pub(crate) async fn user_by_username(db: &Db<'_>, username: &str) -> Res<Option<UserRecord>> {
    db.query_opt(
        concat!(select_users!(), " WHERE username = $1"),
        &[&username],
    )
    .await?
    .as_ref()
    .map(user_row)
    .transpose()
}

pub(crate) async fn users(db: &Db<'_>, agency: Option<AgencyId>) -> Res<Vec<UserRecord>> {
    db.query(
        concat!(
            select_users!(),
            " WHERE $1::uuid IS NULL OR agency = $1 ORDER BY username COLLATE \"C\""
        ),
        &[&agency.map(|a| a.0)],
    )
    .await?
    .iter()
    .map(user_row)
    .collect()
}

pub(crate) async fn user_count(db: &Db<'_>) -> Res<u64> {
    match db.query_opt("SELECT count(*) FROM users", &[]).await? {
        Some(row) => get_u64(&row, 0),
        None => Ok(0),
    }
}

// ---- groups -------------------------------------------------------------------------------

pub(crate) async fn put_group(db: &Db<'_>, g: &SharingGroup) -> Res<()> {
    db.execute(
        "INSERT INTO groups (id, name) VALUES ($1, $2) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        &[&g.id.0, &g.name],
    )
    .await?;
    db.execute("DELETE FROM group_members WHERE group_id = $1", &[&g.id.0])
        .await?;
    let members: Vec<Uuid> = g.members.iter().map(|m| m.0).collect();
    db.execute(
        "INSERT INTO group_members (group_id, agency) SELECT $1, m FROM UNNEST($2::uuid[]) m",
        &[&g.id.0, &members],
    )
    .await?;
    Ok(())
}

/// Groups with their members from one statement, so a reader never sees a half-replaced group.
fn collect_groups(rows: &[Row]) -> Res<Vec<SharingGroup>> {
    let mut out: Vec<SharingGroup> = Vec::new();
    for row in rows {
        let id = GroupId(get(row, 0)?);
        if out.last().is_none_or(|g| g.id != id) {
            out.push(SharingGroup {
                id,
                name: get(row, 1)?,
                members: BTreeSet::new(),
            });
        }
        if let (Some(g), Some(m)) = (out.last_mut(), get::<Option<Uuid>>(row, 2)?) {
            g.members.insert(AgencyId(m));
        }
    }
    Ok(out)
}

pub(crate) async fn group(db: &Db<'_>, id: GroupId) -> Res<Option<SharingGroup>> {
    let rows = db
        .query(
            "SELECT g.id, g.name, m.agency FROM groups g \
             LEFT JOIN group_members m ON m.group_id = g.id WHERE g.id = $1",
            &[&id.0],
        )
        .await?;
    Ok(collect_groups(&rows)?.into_iter().next())
}

pub(crate) async fn groups(db: &Db<'_>) -> Res<Vec<SharingGroup>> {
    let rows = db
        .query(
            "SELECT g.id, g.name, m.agency FROM groups g \
             LEFT JOIN group_members m ON m.group_id = g.id \
             ORDER BY g.name COLLATE \"C\", g.id",
            &[],
        )
        .await?;
    collect_groups(&rows)
}

pub(crate) async fn groups_of(db: &Db<'_>, agency: AgencyId) -> Res<Vec<GroupId>> {
    db.query(
        "SELECT group_id FROM group_members WHERE agency = $1 ORDER BY group_id",
        &[&agency.0],
    )
    .await?
    .iter()
    .map(|row| get(row, 0).map(GroupId))
    .collect()
}

// ---- tokens -------------------------------------------------------------------------------

pub(crate) async fn create_token(db: &Db<'_>, t: &TokenRecord) -> Res<()> {
    let n = db
        .execute(
            "INSERT INTO tokens (id, user_id, name, hash, created_at, expires_at, revoked_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7 \
             WHERE EXISTS (SELECT 1 FROM users WHERE id = $2) ON CONFLICT DO NOTHING",
            &[
                &t.id.0,
                &t.user.0,
                &t.name,
                &&t.hash[..],
                &ts(t.created_at)?,
                &opt_ts(t.expires_at)?,
                &opt_ts(t.revoked_at)?,
            ],
        )
        .await?;
    if n == 1 {
        return Ok(());
    }
    let taken = exists(
        db,
        "SELECT EXISTS (SELECT 1 FROM tokens WHERE id = $1 OR hash = $2)",
        &[&t.id.0, &&t.hash[..]],
    )
    .await?;
    Err(if taken {
        conflict("a token with this id or secret exists")
    } else {
        Error::Store(StoreError::NotFound("user"))
    })
}

macro_rules! select_tokens {
    () => {
        "SELECT id, user_id, name, hash, created_at, expires_at, revoked_at FROM tokens"
    };
}

fn token_row(row: &Row) -> Res<TokenRecord> {
    Ok(TokenRecord {
        id: TokenId(get(row, 0)?),
        user: UserId(get(row, 1)?),
        name: get(row, 2)?,
        hash: get_hash(row, 3)?,
        created_at: get_ts(row, 4)?,
        expires_at: get_opt_ts(row, 5)?,
        revoked_at: get_opt_ts(row, 6)?,
    })
}

pub(crate) async fn token_by_hash(db: &Db<'_>, hash: &[u8; 32]) -> Res<Option<TokenRecord>> {
    db.query_opt(concat!(select_tokens!(), " WHERE hash = $1"), &[&&hash[..]])
        .await?
        .as_ref()
        .map(token_row)
        .transpose()
}

pub(crate) async fn token(db: &Db<'_>, id: TokenId) -> Res<Option<TokenRecord>> {
    db.query_opt(concat!(select_tokens!(), " WHERE id = $1"), &[&id.0])
        .await?
        .as_ref()
        .map(token_row)
        .transpose()
}

pub(crate) async fn tokens(db: &Db<'_>, user: Option<UserId>) -> Res<Vec<TokenRecord>> {
    db.query(
        concat!(
            select_tokens!(),
            " WHERE $1::uuid IS NULL OR user_id = $1 ORDER BY created_at, id"
        ),
        &[&user.map(|u| u.0)],
    )
    .await?
    .iter()
    .map(token_row)
    .collect()
}

pub(crate) async fn revoke_token(db: &Db<'_>, id: TokenId, at: jiff::Timestamp) -> Res<()> {
    let n = db
        .execute(
            "UPDATE tokens SET revoked_at = $2 WHERE id = $1",
            &[&id.0, &ts(at)?],
        )
        .await?;
    if n == 0 {
        return Err(Error::Store(StoreError::NotFound("token")));
    }
    Ok(())
}

// ---- sessions -----------------------------------------------------------------------------

pub(crate) async fn create_session(db: &Db<'_>, s: &SessionRecord) -> Res<()> {
    let n = db
        .execute(
            "INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) \
             SELECT $1, $2, $3, $4, $5 \
             WHERE EXISTS (SELECT 1 FROM users WHERE id = $2) ON CONFLICT DO NOTHING",
            &[
                &&s.hash[..],
                &s.user.0,
                &s.csrf,
                &ts(s.created_at)?,
                &ts(s.expires_at)?,
            ],
        )
        .await?;
    if n == 1 {
        return Ok(());
    }
    let taken = exists(
        db,
        "SELECT EXISTS (SELECT 1 FROM sessions WHERE hash = $1)",
        &[&&s.hash[..]],
    )
    .await?;
    Err(if taken {
        conflict("a session with this secret exists")
    } else {
        Error::Store(StoreError::NotFound("user"))
    })
}

macro_rules! select_sessions {
    () => {
        "SELECT hash, user_id, csrf, created_at, expires_at FROM sessions"
    };
}

fn session_row(row: &Row) -> Res<SessionRecord> {
    Ok(SessionRecord {
        hash: get_hash(row, 0)?,
        user: UserId(get(row, 1)?),
        csrf: get(row, 2)?,
        created_at: get_ts(row, 3)?,
        expires_at: get_ts(row, 4)?,
    })
}

pub(crate) async fn session_by_hash(db: &Db<'_>, hash: &[u8; 32]) -> Res<Option<SessionRecord>> {
    db.query_opt(
        concat!(select_sessions!(), " WHERE hash = $1"),
        &[&&hash[..]],
    )
    .await?
    .as_ref()
    .map(session_row)
    .transpose()
}

pub(crate) async fn sessions(db: &Db<'_>) -> Res<Vec<SessionRecord>> {
    db.query(concat!(select_sessions!(), " ORDER BY hash"), &[])
        .await?
        .iter()
        .map(session_row)
        .collect()
}

/// Whether a group with this id is stored (a restore refuses to replace one).
pub(crate) async fn group_exists(db: &Db<'_>, id: GroupId) -> Res<bool> {
    exists(
        db,
        "SELECT EXISTS (SELECT 1 FROM groups WHERE id = $1)",
        &[&id.0],
    )
    .await
}

pub(crate) async fn delete_session(db: &Db<'_>, hash: &[u8; 32]) -> Res<()> {
    let n = db
        .execute("DELETE FROM sessions WHERE hash = $1", &[&&hash[..]])
        .await?;
    if n == 0 {
        return Err(Error::Store(StoreError::NotFound("session")));
    }
    Ok(())
}
