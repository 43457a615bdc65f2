//! Agencies, users, roles and sharing groups.

use crate::country::CountryCode;
use crate::ids::{AgencyId, GroupId, UserId};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgencyKind {
    Police,
    Immigration,
    FinancialIntelligence,
    Bank,
    Telco,
    Ngo,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 6] = [
        AgencyKind::Police,
        AgencyKind::Immigration,
        AgencyKind::FinancialIntelligence,
        AgencyKind::Bank,
        AgencyKind::Telco,
        AgencyKind::Ngo,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Police => "police",
            AgencyKind::Immigration => "immigration",
            AgencyKind::FinancialIntelligence => "financial-intelligence",
            AgencyKind::Bank => "bank",
            AgencyKind::Telco => "telco",
            AgencyKind::Ngo => "ngo",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A member agency. `home_node` names the node that is authoritative for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    pub id: AgencyId,
    pub name: String,
    pub country: CountryCode,
    pub kind: AgencyKind,
    pub home_node: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Analyst,
    Supervisor,
    Admin,
    Liaison,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Analyst, Role::Supervisor, Role::Admin, Role::Liaison];
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Liaison => "liaison",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A user. Credentials (argon2id hashes, token hashes) live in the store, never here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub agency: AgencyId,
    pub username: String,
    pub display_name: String,
    pub roles: BTreeSet<Role>,
    pub disabled: bool,
}

impl User {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A named set of agencies, e.g. "TH-JP special fraud".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharingGroup {
    pub id: GroupId,
    pub name: String,
    pub members: BTreeSet<AgencyId>,
}
