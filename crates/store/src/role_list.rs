//! The stored form of a user's roles, shared by the backends: role names joined by `,` in the
//! set's order (readable in a hand-run query; a role this build does not know is corrupt data,
//! not a silently dropped permission).

use std::collections::BTreeSet;
use warroom_domain::Role;

/// `analyst,supervisor`.
pub fn encode(roles: &BTreeSet<Role>) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The set back; `None` if any name is not a role.
pub fn decode(s: &str) -> Option<BTreeSet<Role>> {
    s.split(',')
        .filter(|r| !r.is_empty())
        .map(Role::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_unknown_names_are_refused() {
        let roles: BTreeSet<Role> = [Role::Supervisor, Role::Analyst].into();
        let text = encode(&roles);
        assert_eq!(decode(&text), Some(roles));
        assert_eq!(decode(""), Some(BTreeSet::new()));
        assert_eq!(decode("analyst,root"), None);
    }
}
