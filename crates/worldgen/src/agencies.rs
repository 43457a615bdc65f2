//! The member agencies, their sharing groups and one user each: the part of the world that
//! does not depend on the scale.

use crate::country::Cc;
use crate::ids;
use serde::Serialize;
use std::collections::BTreeSet;
use uuid::Uuid;
use warroom_domain::{Agency, AgencyId, AgencyKind, GroupId, Role, SharingGroup};

/// The agencies, in a fixed order; the discriminant is the index into [`World::agencies`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum A {
    ThAoc,
    ThCcib,
    ThTourist,
    ThImmigration,
    ThAmlo,
    ThBank,
    ThTelco,
    UsUsss,
    UsFbi,
    UsHsi,
    UsBank,
    JpNpa,
    JpBank,
    InI4c,
    InBank,
}

/// Slug, name, country, kind, display name of the agency's user.
type Def = (A, &'static str, &'static str, Cc, AgencyKind, &'static str);

const AGENCIES: [Def; 15] = [
    (
        A::ThAoc,
        "th-aoc",
        "Royal Thai Police - Anti Online Scam Operation Center (AOC 1441)",
        Cc::Th,
        AgencyKind::Police,
        "AOC 1441 duty analyst",
    ),
    (
        A::ThCcib,
        "th-ccib",
        "Royal Thai Police - Cyber Crime Investigation Bureau (CCIB)",
        Cc::Th,
        AgencyKind::Police,
        "CCIB investigator",
    ),
    (
        A::ThTourist,
        "th-tourist-police",
        "Royal Thai Police - Tourist Police Bureau",
        Cc::Th,
        AgencyKind::Police,
        "Tourist Police liaison officer",
    ),
    (
        A::ThImmigration,
        "th-immigration",
        "Royal Thai Police - Immigration Bureau",
        Cc::Th,
        AgencyKind::Immigration,
        "Immigration Bureau analyst",
    ),
    (
        A::ThAmlo,
        "th-amlo",
        "Anti-Money Laundering Office (AMLO)",
        Cc::Th,
        AgencyKind::FinancialIntelligence,
        "AMLO financial analyst",
    ),
    (
        A::ThBank,
        "th-krungthai",
        "Krungthai Bank - Fraud Monitoring",
        Cc::Th,
        AgencyKind::Bank,
        "Krungthai fraud desk",
    ),
    (
        A::ThTelco,
        "th-ais",
        "Advanced Info Service (AIS) - Fraud Management",
        Cc::Th,
        AgencyKind::Telco,
        "AIS fraud analyst",
    ),
    (
        A::UsUsss,
        "us-usss",
        "United States Secret Service",
        Cc::Us,
        AgencyKind::Police,
        "USSS special agent",
    ),
    (
        A::UsFbi,
        "us-fbi",
        "Federal Bureau of Investigation (IC3)",
        Cc::Us,
        AgencyKind::Police,
        "FBI IC3 analyst",
    ),
    (
        A::UsHsi,
        "us-hsi",
        "Homeland Security Investigations (HSI)",
        Cc::Us,
        AgencyKind::Police,
        "HSI attaché Bangkok",
    ),
    (
        A::UsBank,
        "us-chase",
        "JPMorgan Chase Bank - Fraud Intelligence",
        Cc::Us,
        AgencyKind::Bank,
        "Chase fraud intelligence analyst",
    ),
    (
        A::JpNpa,
        "jp-npa",
        "National Police Agency of Japan",
        Cc::Jp,
        AgencyKind::Police,
        "NPA liaison officer",
    ),
    (
        A::JpBank,
        "jp-yucho",
        "Japan Post Bank - Financial Crime Unit",
        Cc::Jp,
        AgencyKind::Bank,
        "Japan Post Bank fraud analyst",
    ),
    (
        A::InI4c,
        "in-i4c",
        "Indian Cybercrime Coordination Centre (I4C)",
        Cc::In,
        AgencyKind::Police,
        "I4C analyst",
    ),
    (
        A::InBank,
        "in-sbi",
        "State Bank of India - Fraud Risk Management",
        Cc::In,
        AgencyKind::Bank,
        "SBI fraud risk analyst",
    ),
];

/// The sharing groups: slug, name, members.
const GROUPS: [(&str, &str, &[A]); 7] = [
    (
        "th-us",
        "TH-US joint task force",
        &[
            A::ThAoc,
            A::ThCcib,
            A::ThImmigration,
            A::ThAmlo,
            A::UsUsss,
            A::UsFbi,
            A::UsHsi,
        ],
    ),
    (
        "th-jp",
        "TH-JP special fraud",
        &[A::ThAoc, A::ThCcib, A::ThImmigration, A::JpNpa],
    ),
    (
        "th-in",
        "TH-IN cyber fraud",
        &[A::ThAoc, A::ThCcib, A::ThImmigration, A::InI4c],
    ),
    (
        "mekong",
        "Mekong trafficking task force",
        &[
            A::ThImmigration,
            A::ThTourist,
            A::ThCcib,
            A::ThAoc,
            A::UsHsi,
            A::JpNpa,
            A::InI4c,
        ],
    ),
    (
        "banks",
        "Banks and financial intelligence",
        &[
            A::ThAmlo,
            A::ThBank,
            A::UsBank,
            A::JpBank,
            A::InBank,
            A::ThAoc,
            A::UsUsss,
        ],
    ),
    (
        "telecom",
        "Telecom fraud working group",
        &[A::ThTelco, A::ThAoc, A::ThCcib],
    ),
    (
        "war-room",
        "War room: all law enforcement",
        &[
            A::ThAoc,
            A::ThCcib,
            A::ThTourist,
            A::ThImmigration,
            A::ThAmlo,
            A::UsUsss,
            A::UsFbi,
            A::UsHsi,
            A::JpNpa,
            A::InI4c,
        ],
    ),
];

/// The groups by index, for reports to address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum G {
    ThUs,
    ThJp,
    ThIn,
    Mekong,
    Banks,
    Telecom,
    WarRoom,
}

/// A member agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorldAgency {
    pub id: Uuid,
    /// Short stable name; the file `reports/<slug>.ndjson` holds its reports.
    pub slug: String,
    pub name: String,
    /// ISO 3166-1 alpha-2: the region its identifiers are normalised in.
    pub country: String,
    /// `police`, `immigration`, `financial-intelligence`, `bank`, `telco` or `ngo`.
    pub kind: String,
}

impl WorldAgency {
    /// The domain agency, homed on the local node.
    pub fn to_domain(&self) -> Option<Agency> {
        Some(Agency {
            id: AgencyId(self.id),
            name: self.name.clone(),
            country: warroom_domain::CountryCode::parse(&self.country).ok()?,
            kind: AgencyKind::parse(&self.kind)?,
            home_node: "local".into(),
        })
    }
}

/// A sharing group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorldGroup {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// Agency ids.
    pub members: Vec<Uuid>,
}

impl WorldGroup {
    pub fn to_domain(&self) -> SharingGroup {
        SharingGroup {
            id: GroupId(self.id),
            name: self.name.clone(),
            members: self.members.iter().map(|m| AgencyId(*m)).collect(),
        }
    }
}

/// The one user of an agency, who submits its reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorldUser {
    pub id: Uuid,
    pub agency: Uuid,
    /// `<agency slug>.analyst`.
    pub username: String,
    pub display_name: String,
    /// `analyst`, `supervisor`...
    pub roles: Vec<String>,
}

impl WorldUser {
    pub fn role_set(&self) -> BTreeSet<Role> {
        self.roles.iter().filter_map(|r| Role::parse(r)).collect()
    }
}

/// Agencies, groups and users: what must exist on a node before the reports are loaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct World {
    pub seed: u64,
    pub agencies: Vec<WorldAgency>,
    pub groups: Vec<WorldGroup>,
    pub users: Vec<WorldUser>,
}

impl World {
    pub fn new(seed: u64) -> Self {
        let ns = ids::world_namespace(seed);
        let agencies: Vec<WorldAgency> = AGENCIES
            .iter()
            .map(|(_, slug, name, cc, kind, _)| WorldAgency {
                id: ids::agency_id(&ns, slug),
                slug: (*slug).to_owned(),
                name: (*name).to_owned(),
                country: cc.code().to_owned(),
                kind: kind.as_str().to_owned(),
            })
            .collect();
        let groups = GROUPS
            .iter()
            .map(|(slug, name, members)| WorldGroup {
                id: ids::group_id(&ns, slug),
                slug: (*slug).to_owned(),
                name: (*name).to_owned(),
                members: members.iter().map(|a| agencies[*a as usize].id).collect(),
            })
            .collect();
        let users = AGENCIES
            .iter()
            .zip(&agencies)
            .map(|((_, slug, _, _, kind, display), a)| {
                let username = format!("{slug}.analyst");
                let roles: &[&str] = match kind {
                    AgencyKind::Bank | AgencyKind::Telco => &["analyst"],
                    _ => &["analyst", "supervisor"],
                };
                WorldUser {
                    id: ids::user_id(&ns, &username),
                    agency: a.id,
                    username,
                    display_name: (*display).to_owned(),
                    roles: roles.iter().map(|r| (*r).to_owned()).collect(),
                }
            })
            .collect();
        Self {
            seed,
            agencies,
            groups,
            users,
        }
    }

    pub(crate) fn agency(&self, a: A) -> &WorldAgency {
        &self.agencies[a as usize]
    }

    pub(crate) fn group(&self, g: G) -> &WorldGroup {
        &self.groups[g as usize]
    }
}

impl A {
    pub(crate) fn country(self) -> Cc {
        AGENCIES[self as usize].3
    }

    pub(crate) fn slug(self) -> &'static str {
        AGENCIES[self as usize].1
    }

    #[cfg(test)]
    pub(crate) const ALL: [A; 15] = [
        A::ThAoc,
        A::ThCcib,
        A::ThTourist,
        A::ThImmigration,
        A::ThAmlo,
        A::ThBank,
        A::ThTelco,
        A::UsUsss,
        A::UsFbi,
        A::UsHsi,
        A::UsBank,
        A::JpNpa,
        A::JpBank,
        A::InI4c,
        A::InBank,
    ];

    /// The bilateral group of TH with `cc`, the war room for TH itself.
    pub(crate) fn bilateral(cc: Cc) -> G {
        match cc {
            Cc::Us => G::ThUs,
            Cc::Jp => G::ThJp,
            Cc::In => G::ThIn,
            _ => G::WarRoom,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_in_enum_order_and_ids_are_stable() {
        for (i, def) in AGENCIES.iter().enumerate() {
            assert_eq!(def.0 as usize, i);
            assert_eq!(A::ALL[i], def.0);
        }
        let w = World::new(1);
        assert_eq!(w, World::new(1));
        assert_ne!(w.agencies[0].id, World::new(2).agencies[0].id);
        for a in &w.agencies {
            assert!(a.to_domain().is_some(), "{}", a.slug);
        }
        assert_eq!(w.group(G::Mekong).slug, "mekong");
        assert_eq!(w.group(G::WarRoom).slug, "war-room");
    }
}
