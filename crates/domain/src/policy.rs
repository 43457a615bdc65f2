//! The sharing rules of SPEC section 4, as one pure function.
//!
//! Architecture invariant: this is the only place that decides who may read a report. The node
//! calls [`report_access`] on every read path (reports, listings, entity lookups, sightings,
//! and what later issues add: hits, search, graph, export, federation); no handler filters on its
//! own. The property test in the node crate compares every read endpoint with an oracle written
//! separately from the SPEC text.
//!
//! The rules:
//! - the owner agency reads its own reports;
//! - CLEAR and GREEN: every member agency;
//! - AMBER: the agencies named in the distribution and the members of its groups; any other
//!   agency may learn only that the owner holds something ([`Access::HitOnly`]), unless the
//!   owner turned hit notices off for the report: then it learns nothing ([`Access::None`]),
//!   on every path (hits, lookups' holders, search, risk), not only in hit notices;
//! - AMBER+STRICT and RED: only the agencies named in the distribution (groups do not count:
//!   the node refuses groups on such reports); anyone else learns nothing, not even that the
//!   report exists ([`Access::None`]);
//! - role: RED content is for investigative staff only (analysts and supervisors), so an
//!   account that is only an admin or a liaison does not read RED, even its own agency's.

use crate::agency::Role;
use crate::ids::{AgencyId, GroupId};
use crate::marking::{Distribution, Tlp};
use std::collections::BTreeSet;

/// Who is reading: their agency, the sharing groups the agency is in, and their roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub agency: AgencyId,
    pub groups: BTreeSet<GroupId>,
    pub roles: BTreeSet<Role>,
}

/// The facts about a report that decide access.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    pub owner: AgencyId,
    pub marking: Tlp,
    pub distribution: &'a Distribution,
    /// Whether the owner lets agencies that may not read the report learn that it holds an
    /// identifier (hit/no-hit). Off, such an agency learns nothing of the report.
    pub hit_notices: bool,
}

/// What a viewer may learn about one report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Nothing: not its content, not its existence, not a count.
    None,
    /// Only that the owner agency holds a report on the entity, and that it can be asked
    /// through a request for information.
    HitOnly,
    /// The whole report.
    Full,
}

pub fn report_access(viewer: &Viewer, subject: Subject<'_>) -> Access {
    let investigative =
        viewer.roles.contains(&Role::Analyst) || viewer.roles.contains(&Role::Supervisor);
    if subject.marking == Tlp::Red && !investigative {
        return Access::None;
    }
    if subject.owner == viewer.agency {
        return Access::Full;
    }
    let named = subject.distribution.agencies.contains(&viewer.agency);
    match subject.marking {
        Tlp::Clear | Tlp::Green => Access::Full,
        Tlp::Amber => {
            let via_group = subject
                .distribution
                .groups
                .iter()
                .any(|g| viewer.groups.contains(g));
            if named || via_group {
                Access::Full
            } else if subject.hit_notices {
                Access::HitOnly
            } else {
                Access::None
            }
        }
        Tlp::AmberStrict | Tlp::Red => {
            if named {
                Access::Full
            } else {
                Access::None
            }
        }
    }
}

/// Whether a distribution is allowed with a marking: AMBER+STRICT and RED name agencies only.
pub fn distribution_allowed(marking: Tlp, distribution: &Distribution) -> bool {
    !matches!(marking, Tlp::AmberStrict | Tlp::Red) || distribution.groups.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(agency: AgencyId, groups: &[GroupId], roles: &[Role]) -> Viewer {
        Viewer {
            agency,
            groups: groups.iter().copied().collect(),
            roles: roles.iter().copied().collect(),
        }
    }

    #[test]
    fn each_marking_against_owner_named_grouped_and_outsider() {
        let (owner, named, grouped, outsider) = (
            AgencyId::random(),
            AgencyId::random(),
            AgencyId::random(),
            AgencyId::random(),
        );
        let g = GroupId::random();
        let dist = Distribution {
            agencies: [named].into(),
            groups: [g].into(),
        };
        let a = Role::Analyst;
        let expect = [
            (
                Tlp::Clear,
                [Access::Full, Access::Full, Access::Full, Access::Full],
            ),
            (
                Tlp::Green,
                [Access::Full, Access::Full, Access::Full, Access::Full],
            ),
            (
                Tlp::Amber,
                [Access::Full, Access::Full, Access::Full, Access::HitOnly],
            ),
            (
                Tlp::AmberStrict,
                [Access::Full, Access::Full, Access::None, Access::None],
            ),
            (
                Tlp::Red,
                [Access::Full, Access::Full, Access::None, Access::None],
            ),
        ];
        for (marking, want) in expect {
            let s = Subject {
                owner,
                marking,
                distribution: &dist,
                hit_notices: true,
            };
            let got = [
                report_access(&viewer(owner, &[], &[a]), s),
                report_access(&viewer(named, &[], &[a]), s),
                report_access(&viewer(grouped, &[g], &[a]), s),
                report_access(&viewer(outsider, &[], &[a]), s),
            ];
            assert_eq!(got, want, "{marking}");
            // With hit notices off, nobody who may not read the report learns of it; the
            // readers keep reading it.
            let quiet = Subject {
                hit_notices: false,
                ..s
            };
            let got = [
                report_access(&viewer(owner, &[], &[a]), quiet),
                report_access(&viewer(named, &[], &[a]), quiet),
                report_access(&viewer(grouped, &[g], &[a]), quiet),
                report_access(&viewer(outsider, &[], &[a]), quiet),
            ];
            let want = want.map(|w| {
                if w == Access::HitOnly {
                    Access::None
                } else {
                    w
                }
            });
            assert_eq!(got, want, "{marking} without hit notices");
        }
    }

    #[test]
    fn red_needs_an_investigative_role_even_in_the_owner_agency() {
        let owner = AgencyId::random();
        let dist = Distribution::default();
        let s = Subject {
            owner,
            marking: Tlp::Red,
            distribution: &dist,
            hit_notices: true,
        };
        assert_eq!(
            report_access(&viewer(owner, &[], &[Role::Admin]), s),
            Access::None
        );
        assert_eq!(
            report_access(&viewer(owner, &[], &[Role::Liaison]), s),
            Access::None
        );
        assert_eq!(
            report_access(&viewer(owner, &[], &[Role::Supervisor]), s),
            Access::Full
        );
        let amber = Subject {
            marking: Tlp::Amber,
            ..s
        };
        assert_eq!(
            report_access(&viewer(owner, &[], &[Role::Admin]), amber),
            Access::Full
        );
    }

    #[test]
    fn strict_markings_refuse_groups() {
        let d = Distribution {
            agencies: Default::default(),
            groups: [GroupId::random()].into(),
        };
        assert!(distribution_allowed(Tlp::Amber, &d));
        assert!(!distribution_allowed(Tlp::AmberStrict, &d));
        assert!(!distribution_allowed(Tlp::Red, &d));
    }
}
