//! Agencies, users, sharing groups, API tokens and sessions; who a request is.

use crate::secret::{self, SESSION_PREFIX, TOKEN_PREFIX};
use crate::{Actor, Node, NodeError, Result};
use jiff::Timestamp;
use std::collections::BTreeSet;
use warroom_domain::policy::Viewer;
use warroom_domain::{
    Agency, AgencyId, AgencyKind, CountryCode, GroupId, Role, SharingGroup, User, UserId,
};
use warroom_store::{AuditDraft, SessionRecord, TokenId, TokenRecord, UserRecord};

/// An authenticated user, with what the policy needs to know about them.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    pub user: User,
    pub agency: Agency,
    pub viewer: Viewer,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.user.roles.contains(&role)
    }
}

/// The node admin created on first start, with a password shown once.
#[derive(Clone, Debug)]
pub struct Bootstrap {
    pub agency: Agency,
    pub username: String,
    pub password: String,
}

#[derive(Clone, Debug)]
pub struct NewUser {
    pub agency: AgencyId,
    pub username: String,
    pub display_name: String,
    pub roles: BTreeSet<Role>,
    /// Generated (and returned once) when `None`.
    pub password: Option<String>,
}

const MIN_PASSWORD: usize = 12;

impl Node {
    /// On an empty node, creates the node operators' agency and an admin with a one-time
    /// password; on a node with users, does nothing.
    pub fn bootstrap(&self, country: CountryCode) -> Result<Option<Bootstrap>> {
        let store = self.store_ref();
        if store.user_count()? > 0 {
            return Ok(None);
        }
        // Several processes may start on one empty PostgreSQL database at once: only the
        // first to claim this minute's bootstrap window creates the admin. If it died before
        // finishing, the next start in a later minute claims again.
        let minute = Timestamp::now().as_second().div_euclid(60) * 60;
        if store.bump_window(b"bootstrap", minute, 1, minute - 3600)? > 1 {
            return Ok(None);
        }
        let actor = Actor::system("bootstrap");
        let agency = Agency {
            id: AgencyId::random(),
            name: "Node operators".into(),
            country,
            kind: AgencyKind::Police,
            home_node: "local".into(),
        };
        store.create_agency(&agency, &actor.audit("agency.create", "agency", agency.id))?;
        let password = secret::new_password();
        self.create_user(
            &actor,
            NewUser {
                agency: agency.id,
                username: "admin".into(),
                display_name: "Node administrator".into(),
                roles: [Role::Admin].into(),
                password: Some(password.clone()),
            },
        )?;
        Ok(Some(Bootstrap {
            agency,
            username: "admin".into(),
            password,
        }))
    }

    fn require_admin(&self, actor: &Actor) -> Result<()> {
        match &actor.principal {
            None => Ok(()),
            Some(p) if p.has(Role::Admin) => Ok(()),
            Some(_) => Err(NodeError::Forbidden("only admins manage accounts")),
        }
    }

    pub fn create_agency(
        &self,
        actor: &Actor,
        name: &str,
        country: CountryCode,
        kind: AgencyKind,
    ) -> Result<Agency> {
        self.adopt_agency(
            actor,
            Agency {
                id: AgencyId::random(),
                name: name.to_owned(),
                country,
                kind,
                home_node: "local".into(),
            },
        )
    }

    /// Registers an agency whose id was chosen elsewhere (a generated demo world, whose reports
    /// already name it in their distributions); otherwise as [`Node::create_agency`].
    pub fn adopt_agency(&self, actor: &Actor, agency: Agency) -> Result<Agency> {
        self.require_admin(actor)?;
        let name = agency.name.trim();
        if name.is_empty() || name.len() > 200 {
            return Err(NodeError::invalid("name", "invalid_name", "1 to 200 bytes"));
        }
        let existing = self.store_ref().agencies()?;
        if existing.iter().any(|a| a.name == name) {
            return Err(NodeError::Conflict(format!(
                "an agency named {name:?} exists"
            )));
        }
        if existing.iter().any(|a| a.id == agency.id) {
            return Err(NodeError::Conflict(format!(
                "an agency with id {} exists",
                agency.id
            )));
        }
        let agency = Agency {
            name: name.to_owned(),
            ..agency
        };
        self.store_ref()
            .create_agency(&agency, &actor.audit("agency.create", "agency", agency.id))?;
        Ok(agency)
    }

    /// Every member agency. Agency names and countries are not secret between members.
    pub fn agencies(&self, _actor: &Actor) -> Result<Vec<Agency>> {
        Ok(self.store_ref().agencies()?)
    }

    /// Creates a user; returns the password when the node generated it.
    pub fn create_user(&self, actor: &Actor, new: NewUser) -> Result<(User, Option<String>)> {
        self.require_admin(actor)?;
        let username = new.username.trim().to_lowercase();
        if username.is_empty()
            || username.len() > 64
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
        {
            return Err(NodeError::invalid(
                "username",
                "invalid_username",
                "1 to 64 characters of a-z, 0-9, '.', '_', '-', '@'",
            ));
        }
        if new.roles.is_empty() {
            return Err(NodeError::invalid(
                "roles",
                "required",
                "give at least one role",
            ));
        }
        if self.store_ref().agency(new.agency)?.is_none() {
            return Err(NodeError::invalid(
                "agency",
                "unknown_agency",
                "no such agency",
            ));
        }
        let (password, generated) = match new.password {
            Some(p) => (p, None),
            None => {
                let p = secret::new_password();
                (p.clone(), Some(p))
            }
        };
        check_password(&password)?;
        let hash =
            secret::hash_password(&password).map_err(|e| NodeError::Corrupt(e.to_string()))?;
        let user = User {
            id: UserId::random(),
            agency: new.agency,
            username,
            display_name: new.display_name,
            roles: new.roles,
            disabled: false,
        };
        let record = UserRecord {
            user: user.clone(),
            password_hash: Some(hash),
            created_at: Timestamp::now(),
        };
        self.store_ref()
            .create_user(&record, &actor.audit("user.create", "user", user.id))
            .map_err(|e| match e {
                warroom_store::StoreError::Conflict(_) => {
                    NodeError::Conflict(format!("the username {:?} is taken", user.username))
                }
                e => e.into(),
            })?;
        Ok((user, generated))
    }

    pub fn users(&self, actor: &Actor, agency: Option<AgencyId>) -> Result<Vec<User>> {
        self.require_admin(actor)?;
        Ok(self
            .store_ref()
            .users(agency)?
            .into_iter()
            .map(|r| r.user)
            .collect())
    }

    pub fn user_by_username(&self, actor: &Actor, username: &str) -> Result<User> {
        self.require_admin(actor)?;
        self.store_ref()
            .user_by_username(&username.to_lowercase())?
            .map(|r| r.user)
            .ok_or(NodeError::NotFound("user"))
    }

    /// Sets a new password (generated and returned when `None`).
    pub fn set_password(
        &self,
        actor: &Actor,
        user: UserId,
        password: Option<String>,
    ) -> Result<Option<String>> {
        self.require_admin(actor)?;
        let mut record = self
            .store_ref()
            .user(user)?
            .ok_or(NodeError::NotFound("user"))?;
        let (password, generated) = match password {
            Some(p) => (p, None),
            None => {
                let p = secret::new_password();
                (p.clone(), Some(p))
            }
        };
        check_password(&password)?;
        record.password_hash =
            Some(secret::hash_password(&password).map_err(|e| NodeError::Corrupt(e.to_string()))?);
        self.store_ref()
            .update_user(&record, &actor.audit("user.password", "user", user))?;
        self.inner.auth_cache.clear();
        Ok(generated)
    }

    pub fn set_disabled(&self, actor: &Actor, user: UserId, disabled: bool) -> Result<()> {
        self.require_admin(actor)?;
        let mut record = self
            .store_ref()
            .user(user)?
            .ok_or(NodeError::NotFound("user"))?;
        record.user.disabled = disabled;
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        self.store_ref()
            .update_user(&record, &actor.audit(action, "user", user))?;
        self.inner.auth_cache.clear();
        Ok(())
    }

    /// Creates or replaces a sharing group.
    pub fn put_group(
        &self,
        actor: &Actor,
        id: Option<GroupId>,
        name: &str,
        members: BTreeSet<AgencyId>,
    ) -> Result<SharingGroup> {
        self.require_admin(actor)?;
        let name = name.trim();
        if name.is_empty() || name.len() > 200 {
            return Err(NodeError::invalid("name", "invalid_name", "1 to 200 bytes"));
        }
        let known: BTreeSet<AgencyId> = self.store_ref().agencies()?.iter().map(|a| a.id).collect();
        if let Some(unknown) = members.iter().find(|m| !known.contains(m)) {
            return Err(NodeError::invalid(
                "members",
                "unknown_agency",
                format!("no agency {unknown}"),
            ));
        }
        let group = SharingGroup {
            id: id.unwrap_or_else(GroupId::random),
            name: name.to_owned(),
            members,
        };
        self.store_ref()
            .put_group(&group, &actor.audit("group.put", "group", group.id))?;
        self.inner.auth_cache.clear();
        Ok(group)
    }

    /// Every sharing group and its members: members address reports to them.
    pub fn groups(&self, _actor: &Actor) -> Result<Vec<SharingGroup>> {
        Ok(self.store_ref().groups()?)
    }

    /// Creates an API token for `user` and returns its secret, which is never stored.
    /// Users create their own tokens; admins create anyone's.
    pub fn create_token(
        &self,
        actor: &Actor,
        user: UserId,
        name: &str,
        expires_at: Option<Timestamp>,
    ) -> Result<(TokenRecord, String)> {
        if let Some(p) = &actor.principal
            && p.user.id != user
            && !p.has(Role::Admin)
        {
            return Err(NodeError::Forbidden("only admins create tokens for others"));
        }
        if self.store_ref().user(user)?.is_none() {
            return Err(NodeError::NotFound("user"));
        }
        if name.trim().is_empty() || name.len() > 200 {
            return Err(NodeError::invalid("name", "invalid_name", "1 to 200 bytes"));
        }
        if expires_at.is_some_and(|e| e <= Timestamp::now()) {
            return Err(NodeError::invalid(
                "expires_at",
                "in_the_past",
                "the expiry must be in the future",
            ));
        }
        let secret = secret::new_secret(TOKEN_PREFIX);
        let token = TokenRecord {
            id: TokenId(uuid::Uuid::new_v4()),
            user,
            name: name.trim().to_owned(),
            hash: secret::hash_secret(&secret),
            created_at: Timestamp::now(),
            expires_at,
            revoked_at: None,
        };
        self.store_ref()
            .create_token(&token, &actor.audit("token.create", "token", token.id))?;
        Ok((token, secret))
    }

    /// Tokens of one user (their own, or anyone's for an admin), or all for an admin.
    pub fn tokens(&self, actor: &Actor, user: Option<UserId>) -> Result<Vec<TokenRecord>> {
        match (&actor.principal, user) {
            (Some(p), Some(u)) if p.user.id == u => {}
            _ => self.require_admin(actor)?,
        }
        Ok(self.store_ref().tokens(user)?)
    }

    pub fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<()> {
        let token = self
            .store_ref()
            .token(id)?
            .ok_or(NodeError::NotFound("token"))?;
        // Someone else's token is, to a non-admin, a token that does not exist.
        match &actor.principal {
            Some(p) if p.user.id == token.user => {}
            Some(p) if !p.has(Role::Admin) => return Err(NodeError::NotFound("token")),
            _ => {}
        }
        self.store_ref().revoke_token(
            id,
            Timestamp::now(),
            &actor.audit("token.revoke", "token", id),
        )?;
        self.inner.auth_cache.clear();
        Ok(())
    }

    /// Who holds this API token. Unknown, expired, revoked and disabled all answer the same.
    pub fn authenticate_token(&self, secret: &str) -> Result<Principal> {
        const MSG: &str = "the token is unknown, expired or revoked";
        if !secret.starts_with(TOKEN_PREFIX) {
            return Err(NodeError::Unauthenticated(MSG));
        }
        let hash = secret::hash_secret(secret);
        if let Some(p) = self.inner.auth_cache.get(&hash) {
            return Ok(p);
        }
        let generation = self.inner.auth_cache.generation();
        let token = self
            .store_ref()
            .token_by_hash(&hash)?
            .ok_or(NodeError::Unauthenticated(MSG))?;
        let now = Timestamp::now();
        if token.revoked_at.is_some() || token.expires_at.is_some_and(|e| e <= now) {
            return Err(NodeError::Unauthenticated(MSG));
        }
        let principal = self
            .principal(token.user)
            .map_err(|_| NodeError::Unauthenticated(MSG))?;
        self.inner
            .auth_cache
            .put(hash, principal.clone(), token.expires_at, generation);
        Ok(principal)
    }

    /// The holder of a token if it was authenticated moments ago: no I/O, so callers on an
    /// async thread can try it before handing the full check to a blocking thread.
    pub fn cached_token(&self, secret: &str) -> Option<Principal> {
        self.inner.auth_cache.get(&secret::hash_secret(secret))
    }

    /// Checks a password and opens a session; returns its secret and CSRF token.
    /// Every attempt is audited, failures included (without the password).
    pub fn login(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
    ) -> Result<(String, SessionRecord, Principal)> {
        const MSG: &str = "wrong username or password";
        let username = username.trim().to_lowercase();
        let record = self.store_ref().user_by_username(&username)?;
        let ok = match &record {
            Some(r) => {
                !r.user.disabled
                    && r.password_hash
                        .as_deref()
                        .is_some_and(|h| secret::verify_password(password, h))
            }
            None => {
                // Spend the same time as a real check, so that timing does not tell which
                // usernames exist.
                let _ = secret::verify_password(password, DUMMY_HASH);
                false
            }
        };
        let Some(record) = record.filter(|_| ok) else {
            let mut event = actor.audit("user.login_failed", "user", &username);
            event.actor_user = None;
            self.inner.audit.append(vec![event])?;
            return Err(NodeError::Unauthenticated(MSG));
        };
        let principal = self.principal(record.user.id)?;
        let secret = secret::new_secret(SESSION_PREFIX);
        let now = Timestamp::now();
        let session = SessionRecord {
            hash: secret::hash_secret(&secret),
            user: record.user.id,
            csrf: secret::new_secret(""),
            created_at: now,
            expires_at: now + self.inner.session_ttl,
        };
        let mut event = actor.audit("user.login", "user", record.user.id);
        event.actor_user = Some(record.user.id);
        event.actor_agency = Some(record.user.agency);
        self.store_ref().create_session(&session, &event)?;
        Ok((secret, session, principal))
    }

    pub fn session(&self, secret: &str) -> Result<(SessionRecord, Principal)> {
        const MSG: &str = "the session is unknown or expired: log in again";
        let session = self
            .store_ref()
            .session_by_hash(&secret::hash_secret(secret))?
            .filter(|s| s.expires_at > Timestamp::now())
            .ok_or(NodeError::Unauthenticated(MSG))?;
        let p = self
            .principal(session.user)
            .map_err(|_| NodeError::Unauthenticated(MSG))?;
        Ok((session, p))
    }

    pub fn logout(&self, actor: &Actor, secret: &str) -> Result<()> {
        let hash = secret::hash_secret(secret);
        self.store_ref().delete_session(
            &hash,
            &actor.audit("user.logout", "session", hex::encode(&hash[..8])),
        )?;
        Ok(())
    }

    /// Acts as `username` from the shell (`warroom import --as`). Whoever can run the binary on
    /// the data directory already holds every record, so the shell is trusted to choose.
    pub fn shell_actor(&self, username: &str, request_id: &str) -> Result<Actor> {
        let record = self
            .store_ref()
            .user_by_username(&username.trim().to_lowercase())?
            .ok_or(NodeError::NotFound("user"))?;
        Ok(Actor::user(self.principal(record.user.id)?, request_id))
    }

    /// The principal of an enabled user.
    fn principal(&self, user: UserId) -> Result<Principal> {
        let store = self.store_ref();
        let record = store.user(user)?.ok_or(NodeError::NotFound("user"))?;
        if record.user.disabled {
            return Err(NodeError::Forbidden("the account is disabled"));
        }
        let agency = store
            .agency(record.user.agency)?
            .ok_or_else(|| NodeError::Corrupt("a user's agency is missing".into()))?;
        let groups = store.groups_of(agency.id)?.into_iter().collect();
        Ok(Principal {
            viewer: Viewer {
                agency: agency.id,
                groups,
                roles: record.user.roles.clone(),
            },
            user: record.user,
            agency,
        })
    }

    /// Audit events of the caller's own agency (supervisors and admins); the node admin's
    /// shell sees all.
    pub fn audit_events(
        &self,
        actor: &Actor,
        after: u64,
        limit: usize,
    ) -> Result<Vec<warroom_store::AuditEvent>> {
        let agency = match &actor.principal {
            None => None,
            Some(p) if p.has(Role::Admin) || p.has(Role::Supervisor) => Some(p.user.agency),
            Some(_) => {
                return Err(NodeError::Forbidden(
                    "only supervisors and admins read the audit log",
                ));
            }
        };
        Ok(self.store_ref().audit_events(&warroom_store::AuditFilter {
            agency,
            after,
            limit: limit.clamp(1, crate::limits::MAX_PAGE),
        })?)
    }

    pub(crate) fn audit_reads(&self, events: Vec<AuditDraft>) -> Result<()> {
        Ok(self.inner.audit.append(events)?)
    }
}

fn check_password(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSWORD || p.len() > 1024 {
        return Err(NodeError::invalid(
            "password",
            "weak_password",
            format!("a password has {MIN_PASSWORD} to 1024 characters"),
        ));
    }
    Ok(())
}

/// An argon2id hash of a random string, checked against when the username does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1dWqXlXpL1x4H2vJmWkW0Yk6b7zS2aX0pQ7o0Dkqk1w";
