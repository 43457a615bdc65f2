//! `/admin`: agencies, users, sharing groups, API tokens and the warninglist. The node
//! refuses every action to non-admins (and the page's listings too); this module only turns
//! forms into node calls.

use super::context::{Page, render, render_status};
use super::form::{self, FormData};
use super::names::Names;
use crate::AppState;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::str::FromStr;
use warroom_domain::{AgencyId, AgencyKind, CountryCode, GroupId, Role, UserId};
use warroom_node::{Actor, NewUser, NewWarning, Node, NodeError};
use warroom_store::TokenId;
use warroom_web::format;
use warroom_web::pages::admin::{AdminPage, AgencyRow, GroupRow, TokenRow, UserRow, WarningRow};
use warroom_web::pages::report_form::Choice;

fn load(node: &Node, actor: &Actor) -> Result<AdminPage, NodeError> {
    let p = actor.principal()?;
    if !p.has(Role::Admin) {
        return Err(NodeError::Forbidden("only admins administer the node"));
    }
    let names = Names::load(node, actor)?;
    let mut agencies: Vec<AgencyRow> = node
        .agencies(actor)?
        .into_iter()
        .map(|a| AgencyRow {
            id: a.id.0.to_string(),
            name: a.name,
            country: a.country.to_string(),
        })
        .collect();
    agencies.sort_by(|a, b| a.name.cmp(&b.name));
    let users_all = node.users(actor, None)?;
    let username = |id: UserId| {
        users_all
            .iter()
            .find(|u| u.id == id)
            .map_or_else(|| id.0.to_string(), |u| u.username.clone())
    };
    let mut users: Vec<UserRow> = users_all
        .iter()
        .map(|u| UserRow {
            id: u.id.0.to_string(),
            username: u.username.clone(),
            agency: names.agency(u.agency),
            roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            disabled: u.disabled,
        })
        .collect();
    users.sort_by(|a, b| a.agency.cmp(&b.agency).then(a.username.cmp(&b.username)));
    let groups = node
        .groups(actor)?
        .into_iter()
        .map(|g| GroupRow {
            id: g.id.0.to_string(),
            name: g.name,
            members: g.members.iter().map(|m| names.agency(*m)).collect(),
        })
        .collect();
    let tokens = node
        .tokens(actor, None)?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.0.to_string(),
            user: username(t.user),
            name: t.name,
            created: format::when(t.created_at),
            expires: t.expires_at.map(format::day).unwrap_or_else(|| "—".into()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let warnings = node
        .warninglist(actor)?
        .into_iter()
        .map(|w| WarningRow {
            key: w.key,
            kind: w.kind,
            value: w.value,
            reason: w.reason,
            source: w.source,
        })
        .collect();
    let agency_choices = agencies
        .iter()
        .map(|a| Choice {
            value: a.id.clone(),
            label: a.name.clone(),
            selected: a.id == p.agency.id.0.to_string(),
        })
        .collect();
    Ok(AdminPage {
        chrome: warroom_web::Chrome::new(warroom_web::Lang::En, "/admin"),
        agencies,
        users,
        groups,
        tokens,
        warnings,
        agency_choices,
        roles: Role::ALL.iter().map(|r| r.as_str().to_owned()).collect(),
        secret: None,
    })
}

async fn page_with(state: &AppState, page: &Page, secret: Option<(String, String)>) -> Response {
    let node = state.node.clone();
    let actor = page.actor.clone();
    match crate::blocking(move || load(&node, &actor)).await {
        Ok(Ok(mut admin)) => {
            admin.chrome = page.chrome("admin");
            admin.secret = secret;
            render(&admin)
        }
        Ok(Err(e)) => page.error(&e),
        Err(_) => page.error(&NodeError::Unavailable("the node")),
    }
}

pub async fn show(State(state): State<AppState>, page: Page) -> Response {
    page_with(&state, &page, None).await
}

/// Reads a form that changes something (see [`form::read`]).
async fn read(page: &Page, req: Request) -> Result<FormData, Box<Response>> {
    Ok(form::read(page, req).await?.1)
}

fn back(section: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/admin#{section}"))],
    )
        .into_response()
}

/// Runs a node action; on success goes back to the section, on refusal shows why.
async fn act<T: Send + 'static>(
    state: &AppState,
    page: &Page,
    section: &'static str,
    f: impl FnOnce(&Node, &Actor) -> Result<T, NodeError> + Send + 'static,
) -> Result<T, Box<Response>> {
    let node = state.node.clone();
    let actor = page.actor.clone();
    match crate::blocking(move || f(&node, &actor)).await {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(e @ NodeError::Invalid(_))) => {
            let mut chrome = page.chrome("admin");
            chrome.flash = Some(warroom_web::Flash {
                class: "error",
                text: e.to_string(),
            });
            let tr = chrome.tr;
            Err(Box::new(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &warroom_web::pages::error::ErrorPage {
                    chrome,
                    status: 422,
                    title: tr.t("error-bad-request-title"),
                    message: format!("{section}: {e}"),
                },
            )))
        }
        Ok(Err(e)) => Err(Box::new(page.error(&e))),
        Err(_) => Err(Box::new(page.error(&NodeError::Unavailable("the node")))),
    }
}

fn invalid(field: &str, message: &str) -> NodeError {
    NodeError::invalid(field, "invalid", message)
}

pub async fn create_agency(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let f = match read(&page, req).await {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let (name, country) = (f.text("name"), f.text("country").to_uppercase());
    match act(&state, &page, "agencies", move |node, actor| {
        let country = CountryCode::from_str(&country)
            .map_err(|_| invalid("country", "an ISO 3166-1 alpha-2 code, such as TH"))?;
        node.create_agency(actor, &name, country, AgencyKind::Police)
    })
    .await
    {
        Ok(_) => back("agencies"),
        Err(r) => *r,
    }
}

pub async fn create_user(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let f = match read(&page, req).await {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let (username, agency, roles) = (f.text("username"), f.text("agency"), f.all("role"));
    let made = act(&state, &page, "users", move |node, actor| {
        let agency = uuid::Uuid::parse_str(&agency)
            .map(AgencyId)
            .map_err(|_| invalid("agency", "choose an agency"))?;
        let roles: BTreeSet<Role> = roles.iter().filter_map(|r| Role::parse(r)).collect();
        node.create_user(
            actor,
            NewUser {
                agency,
                display_name: username.clone(),
                username,
                roles,
                password: None,
            },
        )
    })
    .await;
    match made {
        Ok((user, password)) => {
            let tr = page.tr();
            let secret = password.map(|p| {
                (
                    format!("{} {}", tr.t("admin-new-password"), user.username),
                    p,
                )
            });
            page_with(&state, &page, secret).await
        }
        Err(r) => *r,
    }
}

pub async fn set_disabled(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match read(&page, req).await {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let disabled = f.get("disabled") == Some("1");
    match act(&state, &page, "users", move |node, actor| {
        let id = uuid::Uuid::parse_str(&id)
            .map(UserId)
            .map_err(|_| NodeError::NotFound("user"))?;
        node.set_disabled(actor, id, disabled)
    })
    .await
    {
        Ok(()) => back("users"),
        Err(r) => *r,
    }
}

pub async fn create_group(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let f = match read(&page, req).await {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let (name, members) = (f.text("name"), f.all("member"));
    match act(&state, &page, "groups", move |node, actor| {
        let members = members
            .iter()
            .map(|m| uuid::Uuid::parse_str(m).map(AgencyId))
            .collect::<Result<BTreeSet<_>, _>>()
            .map_err(|_| invalid("member", "choose member agencies"))?;
        node.put_group(actor, None::<GroupId>, &name, members)
    })
    .await
    {
        Ok(_) => back("groups"),
        Err(r) => *r,
    }
}

pub async fn create_token(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let f = match read(&page, req).await {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let name = f.text("name");
    let days = f.text("days");
    let made = act(&state, &page, "tokens", move |node, actor| {
        let days: i64 = days
            .parse()
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| invalid("days", "1 to 365 days"))?;
        let user = actor.principal()?.user.id;
        let expires = jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_hours(days * 24))
            .map_err(|_| invalid("days", "1 to 365 days"))?;
        node.create_token(actor, user, &name, Some(expires))
    })
    .await;
    match made {
        Ok((record, secret)) => {
            let tr = page.tr();
            page_with(
                &state,
                &page,
                Some((
                    format!("{} {}", tr.t("admin-new-token"), record.name),
                    secret,
                )),
            )
            .await
        }
        Err(r) => *r,
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = read(&page, req).await {
        return *r;
    }
    match act(&state, &page, "tokens", move |node, actor| {
        let id = uuid::Uuid::parse_str(&id)
            .map(TokenId)
            .map_err(|_| NodeError::NotFound("token"))?;
        node.revoke_token(actor, id)
    })
    .await
    {
        Ok(()) => back("tokens"),
        Err(r) => *r,
    }
}

pub async fn add_warning(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let f = match read(&page, req).await {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let (kind, value, region, reason) = (
        f.text("kind"),
        f.text("value"),
        f.text("region"),
        f.text("reason"),
    );
    match act(&state, &page, "warninglist", move |node, actor| {
        let region = if region.is_empty() {
            None
        } else {
            Some(
                CountryCode::from_str(&region.to_uppercase())
                    .map_err(|_| invalid("region", "an ISO 3166-1 alpha-2 code, such as TH"))?,
            )
        };
        node.add_warning(
            actor,
            &NewWarning {
                kind,
                value,
                region,
                reason,
            },
        )
    })
    .await
    {
        Ok(_) => back("warninglist"),
        Err(r) => *r,
    }
}

pub async fn remove_warning(State(state): State<AppState>, page: Page, req: Request) -> Response {
    let f = match read(&page, req).await {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let key = f.text("key");
    match act(&state, &page, "warninglist", move |node, actor| {
        node.remove_warning(actor, &key)
    })
    .await
    {
        Ok(()) => back("warninglist"),
        Err(r) => *r,
    }
}
