//! The syndicates: who they are, where their compounds are, whom they target and how, where
//! they recruit, and which infrastructure they share.

use crate::alloc::Theme;
use crate::country::Cc;
use crate::infra::Role;
use crate::places::Place;

/// Scam methods, with their domain slugs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Official,
    DigitalArrest,
    Parcel,
    Invest,
    Romance,
    FakeJob,
    Loan,
    Tech,
    Family,
    PhishingSms,
}

impl Method {
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Method::Official => "official_impersonation",
            Method::DigitalArrest => "digital_arrest",
            Method::Parcel => "parcel_courier",
            Method::Invest => "investment_pig_butchering",
            Method::Romance => "romance",
            Method::FakeJob => "fake_job_task",
            Method::Loan => "loan_app",
            Method::Tech => "tech_support",
            Method::Family => "family_emergency",
            Method::PhishingSms => "phishing_sms",
        }
    }

    /// The domain's method (the slugs above are all known ones).
    #[cfg(test)]
    pub(crate) fn domain(self) -> Option<warroom_domain::ScamMethod> {
        use warroom_domain::ScamMethod;
        ScamMethod::parse(self.slug()).filter(|m| !matches!(m, ScamMethod::Proposed(_)))
    }

    /// What the method's identifiers dress up as.
    pub(crate) fn theme(self) -> Theme {
        match self {
            Method::Official | Method::DigitalArrest | Method::Family => Theme::Police,
            Method::Parcel => Theme::Courier,
            Method::Invest => Theme::Invest,
            Method::Romance => Theme::Romance,
            Method::FakeJob => Theme::Job,
            Method::Loan => Theme::Loan,
            Method::Tech => Theme::Tech,
            Method::PhishingSms => Theme::Bank,
        }
    }
}

/// A target country, its weight, and the methods used on it with their weights.
pub(crate) type Target = (Cc, u32, &'static [(Method, u32)]);

/// One syndicate.
pub(crate) struct SyndicateDef {
    pub slug: &'static str,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub compound: Place,
    /// Target countries with weights, and the methods used on each with weights.
    pub targets: &'static [Target],
    /// Where recruits come from, with weights.
    pub recruits: &'static [(Cc, u32)],
    /// The front company named in job offers.
    pub front: &'static str,
    /// Share of all reports.
    pub weight: u32,
}

pub(crate) const SYNDICATES: &[SyndicateDef] = &[
    SyndicateDef {
        slug: "golden-lotus",
        name: "Golden Lotus Group",
        aliases: &["金莲集团", "GL Group", "Lotus company"],
        compound: Place::KkPark,
        targets: &[
            (
                Cc::Jp,
                45,
                &[
                    (Method::Official, 40),
                    (Method::Family, 35),
                    (Method::PhishingSms, 25),
                ],
            ),
            (Cc::Us, 35, &[(Method::Invest, 70), (Method::Romance, 30)]),
            (Cc::Th, 20, &[(Method::Official, 50), (Method::Parcel, 50)]),
        ],
        recruits: &[
            (Cc::In, 30),
            (Cc::Jp, 10),
            (Cc::Th, 15),
            (Cc::Ph, 20),
            (Cc::Id, 15),
            (Cc::Ke, 10),
        ],
        front: "Golden Lotus Trading Co., Ltd.",
        weight: 22,
    },
    SyndicateDef {
        slug: "dragon-bay",
        name: "Dragon Bay Syndicate",
        aliases: &["龙湾集团", "DB team", "Dragon company"],
        compound: Place::ShweKokko,
        targets: &[
            (
                Cc::In,
                55,
                &[
                    (Method::DigitalArrest, 55),
                    (Method::Parcel, 30),
                    (Method::FakeJob, 15),
                ],
            ),
            (Cc::Us, 30, &[(Method::Tech, 60), (Method::Invest, 40)]),
            (Cc::Jp, 15, &[(Method::Official, 100)]),
        ],
        recruits: &[(Cc::In, 45), (Cc::Lk, 15), (Cc::Ke, 20), (Cc::Ph, 20)],
        front: "Bay Star Digital Marketing Ltd.",
        weight: 20,
    },
    SyndicateDef {
        slug: "jade-tiger",
        name: "Jade Tiger Company",
        aliases: &["玉虎公司", "JT company", "Tiger team"],
        compound: Place::Poipet,
        targets: &[
            (
                Cc::Th,
                60,
                &[
                    (Method::Official, 25),
                    (Method::Loan, 30),
                    (Method::FakeJob, 25),
                    (Method::PhishingSms, 20),
                ],
            ),
            (Cc::In, 25, &[(Method::FakeJob, 50), (Method::Invest, 50)]),
            (Cc::Us, 15, &[(Method::Romance, 100)]),
        ],
        recruits: &[(Cc::Th, 50), (Cc::In, 20), (Cc::Id, 15), (Cc::Ph, 15)],
        front: "Jade Horizon Employment Agency",
        weight: 18,
    },
    SyndicateDef {
        slug: "red-crane",
        name: "Red Crane Group",
        aliases: &["红鹤集团", "Crane team"],
        compound: Place::GoldenTriangleSez,
        targets: &[
            (Cc::Us, 50, &[(Method::Invest, 70), (Method::Romance, 30)]),
            (Cc::Jp, 30, &[(Method::Invest, 50), (Method::Romance, 50)]),
            (Cc::Th, 20, &[(Method::Invest, 100)]),
        ],
        recruits: &[
            (Cc::Jp, 20),
            (Cc::Us, 5),
            (Cc::Th, 25),
            (Cc::Ph, 25),
            (Cc::Ke, 25),
        ],
        front: "Crane Capital Customer Service Co.",
        weight: 14,
    },
    SyndicateDef {
        slug: "silver-tide",
        name: "Silver Tide",
        aliases: &["银潮", "ST group"],
        compound: Place::KkPark,
        targets: &[
            (
                Cc::Th,
                40,
                &[
                    (Method::Parcel, 40),
                    (Method::Official, 30),
                    (Method::Loan, 30),
                ],
            ),
            (
                Cc::In,
                40,
                &[(Method::DigitalArrest, 60), (Method::Parcel, 40)],
            ),
            (Cc::Jp, 20, &[(Method::Family, 100)]),
        ],
        recruits: &[(Cc::In, 35), (Cc::Th, 25), (Cc::Lk, 20), (Cc::Id, 20)],
        front: "Silver Tide Outsourcing Services",
        weight: 14,
    },
    SyndicateDef {
        slug: "black-orchid",
        name: "Black Orchid Network",
        aliases: &["黑兰", "Orchid team"],
        compound: Place::Poipet,
        targets: &[
            (
                Cc::Jp,
                40,
                &[(Method::Official, 50), (Method::PhishingSms, 50)],
            ),
            (Cc::Th, 30, &[(Method::FakeJob, 50), (Method::Romance, 50)]),
            (Cc::Us, 30, &[(Method::Tech, 100)]),
        ],
        recruits: &[(Cc::Th, 40), (Cc::Jp, 15), (Cc::In, 25), (Cc::Ph, 20)],
        front: "Orchid Bright Recruitment Co., Ltd.",
        weight: 12,
    },
];

/// Infrastructure several syndicates buy from the same provider: label, member syndicates
/// (indices into [`SYNDICATES`]), role, country. Two families come out of it: Golden Lotus,
/// Jade Tiger and Silver Tide share SIM boxes, mules and collectors; Dragon Bay, Red Crane and
/// Black Orchid share a launderer and a VoIP reseller. Only noise links the two families.
pub(crate) const SHARED: &[(&str, &[usize], Role, Cc)] = &[
    (
        "SIM-box vendor in Mae Sot",
        &[0, 2, 4],
        Role::CallingPhone,
        Cc::Th,
    ),
    ("Thai mule-account broker", &[2, 4], Role::MuleL2, Cc::Th),
    (
        "Japanese money-collector ring",
        &[0, 4],
        Role::MuleL1,
        Cc::Jp,
    ),
    (
        "USDT over-the-counter launderer",
        &[1, 3, 5],
        Role::Wallet,
        Cc::Th,
    ),
    (
        "US VoIP number reseller",
        &[1, 5],
        Role::CallingPhone,
        Cc::Us,
    ),
];

/// The bit mask of syndicates.
pub(crate) fn mask(members: &[usize]) -> u32 {
    members.iter().fold(0, |m, s| m | (1 << s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_is_a_known_domain_method() {
        for s in SYNDICATES {
            for (_, _, methods) in s.targets {
                for (m, _) in *methods {
                    assert!(m.domain().is_some(), "{}", m.slug());
                }
            }
        }
        assert!(SYNDICATES.len() < 32);
    }
}
