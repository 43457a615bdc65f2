//! TLP 2.0 markings and distributions (SPEC section 4).
//!
//! This module only describes a marking; deciding who may read what is the policy module's job
//! (the Node issue), so that there is one door to data.

use crate::ids::{AgencyId, GroupId};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// Traffic Light Protocol 2.0, ordered from least to most restrictive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown TLP marking {0:?}; expected one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED")]
pub struct TlpError(pub String);

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The TLP 2.0 label as written in the standard (`TLP:` prefix omitted).
    pub fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "CLEAR",
            Tlp::Green => "GREEN",
            Tlp::Amber => "AMBER",
            Tlp::AmberStrict => "AMBER+STRICT",
            Tlp::Red => "RED",
        }
    }

    /// Whether content under this marking may leave this node at all (federation).
    /// AMBER+STRICT and RED never do.
    pub fn may_leave_node(self) -> bool {
        matches!(self, Tlp::Clear | Tlp::Green | Tlp::Amber)
    }

    /// Whether the distribution list restricts readers (AMBER and stricter).
    pub fn restricted_to_distribution(self) -> bool {
        matches!(self, Tlp::Amber | Tlp::AmberStrict | Tlp::Red)
    }
}

impl FromStr for Tlp {
    type Err = TlpError;
    /// Accepts `AMBER+STRICT`, `tlp:amber+strict`, `amber_strict`, and TLP 1.0's `WHITE` (= CLEAR).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let t = t.strip_prefix("TLP:").unwrap_or(&t);
        match t {
            "CLEAR" | "WHITE" => Ok(Tlp::Clear),
            "GREEN" => Ok(Tlp::Green),
            "AMBER" => Ok(Tlp::Amber),
            "AMBER+STRICT" | "AMBER_STRICT" | "AMBER-STRICT" => Ok(Tlp::AmberStrict),
            "RED" => Ok(Tlp::Red),
            _ => Err(TlpError(s.to_owned())),
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a report is addressed to: sharing groups and/or named agencies.
/// For AMBER+STRICT and RED only the named agencies count (SPEC section 4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Distribution {
    pub agencies: BTreeSet<AgencyId>,
    pub groups: BTreeSet<GroupId>,
}

impl Distribution {
    pub fn is_empty(&self) -> bool {
        self.agencies.is_empty() && self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tlp_spellings() {
        assert_eq!("tlp:amber+strict".parse(), Ok(Tlp::AmberStrict));
        assert_eq!("WHITE".parse(), Ok(Tlp::Clear));
        assert_eq!(" red ".parse(), Ok(Tlp::Red));
        assert!("PURPLE".parse::<Tlp>().is_err());
        for t in Tlp::ALL {
            assert_eq!(t.as_str().parse(), Ok(t));
        }
    }

    #[test]
    fn strict_markings_never_leave_the_node() {
        assert!(!Tlp::AmberStrict.may_leave_node());
        assert!(!Tlp::Red.may_leave_node());
        assert!(Tlp::Green.may_leave_node());
        assert!(Tlp::Red > Tlp::Amber);
    }
}
