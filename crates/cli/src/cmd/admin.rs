//! `warroom admin`: agencies, users, tokens and groups from the shell, acting as the node.

use super::store::StoreArgs;
use anyhow::{Context as _, anyhow, bail};
use std::collections::BTreeSet;
use std::io::Read as _;
use warroom_domain::{Agency, AgencyKind, CountryCode, Role};
use warroom_node::{Actor, NewUser, Node};
use warroom_store::TokenId;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Member agencies.
    #[command(subcommand)]
    Agency(AgencyCmd),
    /// User accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Sharing groups.
    #[command(subcommand)]
    Group(GroupCmd),
    /// Values that must never correlate (hotlines, banks' call centres, platforms).
    #[command(subcommand)]
    Warninglist(WarninglistCmd),
    /// Copy the embedded store of --from into an empty PostgreSQL database, verbatim, with
    /// the audit chain intact (the node's --data and --database are not used).
    MigrateStore(super::migrate::Args),
}

#[derive(Debug, clap::Subcommand)]
enum AgencyCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = super::normalize::parse_region)]
        country: CountryCode,
        /// police, immigration, financial_intelligence, bank, telco or ngo.
        #[arg(long, value_parser = parse_agency_kind)]
        kind: AgencyKind,
        /// Use this id instead of a new random one (for data that already names the agency,
        /// such as a world written by `warroom generate`: see its world.json).
        #[arg(long)]
        id: Option<uuid::Uuid>,
    },
    List,
}

#[derive(Debug, clap::Subcommand)]
enum UserCmd {
    /// Creates a user and prints a one-time password (or reads one from stdin).
    Add {
        /// Agency name or id.
        #[arg(long)]
        agency: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: Option<String>,
        /// analyst, supervisor, admin or liaison; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Read the password from stdin instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    List,
    Disable {
        username: String,
    },
    Enable {
        username: String,
    },
    /// Generates a new password and prints it once.
    ResetPassword {
        username: String,
    },
}

#[derive(Debug, clap::Subcommand)]
enum TokenCmd {
    /// Creates an API token for a user and prints its secret once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
        /// Days until it expires; never when absent.
        #[arg(long)]
        days: Option<u32>,
    },
    List,
    Revoke {
        id: String,
    },
}

#[derive(Debug, clap::Subcommand)]
enum GroupCmd {
    Add {
        #[arg(long)]
        name: String,
        /// Agency name or id; repeat for several.
        #[arg(long = "member")]
        members: Vec<String>,
        /// Use this id instead of a new random one (as for `agency add --id`).
        #[arg(long)]
        id: Option<uuid::Uuid>,
    },
    List,
}

#[derive(Debug, clap::Subcommand)]
enum WarninglistCmd {
    /// Adds a value (any writing; normalised in --region).
    Add {
        /// phone, messaging, email, url, domain, ip, bank_account, crypto_wallet, imei, document.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        value: String,
        /// Region of national writings (ISO 3166-1 alpha-2).
        #[arg(long, value_parser = super::normalize::parse_region)]
        region: Option<CountryCode>,
        /// Why it must never correlate.
        #[arg(long)]
        reason: String,
    },
    /// Removes an entry by its key (as `list` prints it): the value correlates again.
    Remove { key: String },
    /// Prints the live entries: key, source, reason.
    List,
}

fn parse_agency_kind(s: &str) -> Result<AgencyKind, String> {
    AgencyKind::parse(s).ok_or_else(|| {
        "expected police, immigration, financial_intelligence, bank, telco or ngo".into()
    })
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected analyst, supervisor, admin or liaison".into())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    // Before the node is opened: that would create a store at --data.
    if let What::MigrateStore(m) = args.what {
        return super::migrate::run(m);
    }
    let node = args.store.node()?;
    let shell = Actor::system("shell");
    match args.what {
        What::Agency(AgencyCmd::Add {
            name,
            country,
            kind,
            id,
        }) => {
            let a = match id {
                None => node.create_agency(&shell, &name, country, kind)?,
                Some(id) => node.adopt_agency(
                    &shell,
                    Agency {
                        id: warroom_domain::AgencyId(id),
                        name,
                        country,
                        kind,
                        home_node: "local".into(),
                    },
                )?,
            };
            println!(
                "{}\t{}\t{}\t{}",
                a.id,
                a.name,
                a.country.as_str(),
                a.kind.as_str()
            );
        }
        What::Agency(AgencyCmd::List) => {
            for a in node.agencies(&shell)? {
                println!(
                    "{}\t{}\t{}\t{}",
                    a.id,
                    a.name,
                    a.country.as_str(),
                    a.kind.as_str()
                );
            }
        }
        What::User(UserCmd::Add {
            agency,
            username,
            display_name,
            roles,
            password_stdin,
        }) => {
            let agency = find_agency(&node, &shell, &agency)?;
            let password = if password_stdin {
                let mut p = String::new();
                std::io::stdin()
                    .read_to_string(&mut p)
                    .context("cannot read the password from stdin")?;
                Some(p.trim_end_matches(['\n', '\r']).to_owned())
            } else {
                None
            };
            let (user, generated) = node.create_user(
                &shell,
                NewUser {
                    agency: agency.id,
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    username,
                    roles: roles.into_iter().collect::<BTreeSet<_>>(),
                    password,
                },
            )?;
            println!("{}\t{}\t{}", user.id, user.username, agency.name);
            if let Some(p) = generated {
                println!("password: {p}   (shown once)");
            }
        }
        What::User(UserCmd::List) => {
            let agencies = node.agencies(&shell)?;
            for u in node.users(&shell, None)? {
                let agency = agencies
                    .iter()
                    .find(|a| a.id == u.agency)
                    .map_or("?", |a| a.name.as_str());
                let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                println!(
                    "{}\t{}\t{}\t{}{}",
                    u.id,
                    u.username,
                    agency,
                    roles.join(","),
                    if u.disabled { "\tdisabled" } else { "" }
                );
            }
        }
        What::User(UserCmd::Disable { username }) => {
            let u = node.user_by_username(&shell, &username)?;
            node.set_disabled(&shell, u.id, true)?;
        }
        What::User(UserCmd::Enable { username }) => {
            let u = node.user_by_username(&shell, &username)?;
            node.set_disabled(&shell, u.id, false)?;
        }
        What::User(UserCmd::ResetPassword { username }) => {
            let u = node.user_by_username(&shell, &username)?;
            let p = node
                .set_password(&shell, u.id, None)?
                .ok_or_else(|| anyhow!("no password was generated"))?;
            println!("password: {p}   (shown once)");
        }
        What::Token(TokenCmd::Create { user, name, days }) => {
            let u = node.user_by_username(&shell, &user)?;
            let expires = days
                .map(|d| {
                    jiff::Timestamp::now()
                        .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(d)))
                })
                .transpose()
                .context("expiry out of range")?;
            let (token, secret) = node.create_token(&shell, u.id, &name, expires)?;
            println!("{}\t{}", token.id, token.name);
            println!("secret: {secret}   (shown once; send it as Authorization: Bearer <secret>)");
        }
        What::Token(TokenCmd::List) => {
            for t in node.tokens(&shell, None)? {
                let state = match (t.revoked_at, t.expires_at) {
                    (Some(_), _) => "revoked".to_owned(),
                    (None, Some(e)) => format!("expires {e}"),
                    (None, None) => "no expiry".to_owned(),
                };
                println!("{}\t{}\t{}\t{}", t.id, t.user, t.name, state);
            }
        }
        What::Token(TokenCmd::Revoke { id }) => {
            let id: TokenId = id
                .parse()
                .map_err(|_| anyhow!("{id:?} is not a token id"))?;
            node.revoke_token(&shell, id)?;
        }
        What::Group(GroupCmd::Add { name, members, id }) => {
            let members = members
                .iter()
                .map(|m| find_agency(&node, &shell, m).map(|a| a.id))
                .collect::<anyhow::Result<BTreeSet<_>>>()?;
            let id = id.map(warroom_domain::GroupId);
            if let Some(id) = id
                && node.store().group(id)?.is_some()
            {
                bail!("a group with id {id} exists");
            }
            let g = node.put_group(&shell, id, &name, members)?;
            println!("{}\t{}", g.id, g.name);
        }
        What::Warninglist(WarninglistCmd::Add {
            kind,
            value,
            region,
            reason,
        }) => {
            let w = node.add_warning(
                &shell,
                &warroom_node::NewWarning {
                    kind,
                    value,
                    region,
                    reason,
                },
            )?;
            println!("{}\t{}\t{}", w.key, w.source, w.reason);
        }
        What::Warninglist(WarninglistCmd::Remove { key }) => {
            node.remove_warning(&shell, &key)?;
            println!("removed {key}");
        }
        What::Warninglist(WarninglistCmd::List) => {
            // The shipped entries are stored on the first `serve`; list them before that too.
            node.seed_warninglist()?;
            for w in node.warninglist(&shell)? {
                println!("{}\t{}\t{}", w.key, w.source, w.reason);
            }
        }
        What::Group(GroupCmd::List) => {
            let agencies = node.agencies(&shell)?;
            for g in node.groups(&shell)? {
                let names: Vec<&str> = g
                    .members
                    .iter()
                    .map(|m| {
                        agencies
                            .iter()
                            .find(|a| a.id == *m)
                            .map_or("?", |a| a.name.as_str())
                    })
                    .collect();
                println!("{}\t{}\t{}", g.id, g.name, names.join(", "));
            }
        }
        // Run above, before the node is opened.
        What::MigrateStore(_) => {}
    }
    Ok(())
}

/// An agency by exact name or id.
fn find_agency(node: &Node, shell: &Actor, key: &str) -> anyhow::Result<Agency> {
    let agencies = node.agencies(shell)?;
    let found: Vec<Agency> = agencies
        .into_iter()
        .filter(|a| a.name == key || a.id.to_string() == key)
        .collect();
    match found.len() {
        1 => found
            .into_iter()
            .next()
            .ok_or_else(|| anyhow!("no agency {key:?}")),
        0 => bail!("no agency {key:?}: see `warroom admin agency list`"),
        _ => bail!("several agencies are named {key:?}: use its id"),
    }
}
