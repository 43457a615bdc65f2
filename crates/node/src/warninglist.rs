//! The warninglist: values that must never correlate, each with the reason shown wherever the
//! value appears. Shipped entries are stored on first start ([`Node::seed_warninglist`]) and
//! managed like any other: admins add and remove entries through the API and the shell.

mod shipped;

use crate::{Actor, Node, NodeError, Result};
use jiff::Timestamp;
use std::str::FromStr;
use warroom_domain::{CountryCode, IdentifierKind, Role};
use warroom_normalize::{Context, normalize};
use warroom_store::WarningRecord;

/// Longest reason kept.
pub const MAX_REASON: usize = 500;

/// An entry to add.
#[derive(Clone, Debug, PartialEq)]
pub struct NewWarning {
    pub kind: String,
    pub value: String,
    /// Where a national writing is read; the actor's agency's country by default.
    pub region: Option<CountryCode>,
    pub reason: String,
}

/// Builds the stored entry: a value that normalises is keyed by its canonical form; a short
/// code (which E.164 cannot hold, so it never becomes an identifier) is kept as written.
fn entry(
    w: &NewWarning,
    source: &str,
    by: Option<warroom_domain::UserId>,
) -> Result<WarningRecord> {
    let kind = IdentifierKind::from_str(&w.kind)
        .map_err(|e| NodeError::invalid("kind", "invalid_kind", e.to_string()))?;
    let reason = w.reason.trim();
    if reason.is_empty() {
        return Err(NodeError::invalid(
            "reason",
            "required",
            "say why the value must not correlate",
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(NodeError::invalid(
            "reason",
            "too_long",
            format!("at most {MAX_REASON} characters"),
        ));
    }
    let ctx = Context { region: w.region };
    let (key, value, entity) = match normalize(kind, &w.value, &ctx) {
        Ok(n) => (
            format!("{}:{}", kind.as_str(), n.identifier.canonical()),
            n.identifier.canonical().to_owned(),
            Some(n.identifier.entity_id()),
        ),
        Err(e) if e.code() == "short_code" => {
            let raw: String = w.value.chars().filter(|c| !c.is_whitespace()).collect();
            let region = w.region.map_or_else(String::new, |r| r.to_string());
            (format!("{}:raw:{region}:{raw}", kind.as_str()), raw, None)
        }
        Err(e) => return Err(NodeError::invalid("value", e.code(), e.to_string())),
    };
    Ok(WarningRecord {
        key,
        kind: kind.as_str().to_owned(),
        value,
        entity,
        region: w.region,
        reason: reason.to_owned(),
        source: source.to_owned(),
        added_by: by,
        added_at: Timestamp::now(),
        removed_at: None,
    })
}

impl Node {
    /// The live entries, for any signed-in user: the list says nothing about any report.
    pub fn warninglist(&self, _actor: &Actor) -> Result<Vec<WarningRecord>> {
        Ok(self
            .store_ref()
            .warninglist()?
            .into_iter()
            .filter(|w| w.removed_at.is_none())
            .collect())
    }

    fn check_warninglist_admin(&self, actor: &Actor) -> Result<()> {
        match &actor.principal {
            None => Ok(()),
            Some(p) if p.has(Role::Admin) => Ok(()),
            Some(_) => Err(NodeError::Forbidden("only admins change the warninglist")),
        }
    }

    /// Adds an entry (or brings a removed one back with the new reason).
    pub fn add_warning(&self, actor: &Actor, w: &NewWarning) -> Result<WarningRecord> {
        self.check_warninglist_admin(actor)?;
        let region = w
            .region
            .or_else(|| actor.principal.as_ref().map(|p| p.agency.country));
        let record = entry(
            &NewWarning {
                region,
                ..w.clone()
            },
            "admin",
            actor.user_id(),
        )?;
        self.store_ref().put_warning(
            &record,
            &actor.audit("warninglist.add", "warning", &record.key),
        )?;
        self.after_noise_write();
        Ok(record)
    }

    /// Marks an entry removed: its value correlates again from now on.
    pub fn remove_warning(&self, actor: &Actor, key: &str) -> Result<()> {
        self.check_warninglist_admin(actor)?;
        let mut record = self
            .store_ref()
            .warninglist()?
            .into_iter()
            .find(|w| w.key == key && w.removed_at.is_none())
            .ok_or(NodeError::NotFound("warninglist entry"))?;
        record.removed_at = Some(Timestamp::now());
        self.store_ref()
            .put_warning(&record, &actor.audit("warninglist.remove", "warning", key))?;
        self.after_noise_write();
        Ok(())
    }

    /// Stores the shipped entries the store has never held (an entry an admin removed stays
    /// removed). Returns how many were added.
    pub fn seed_warninglist(&self) -> Result<usize> {
        let stored: std::collections::BTreeSet<String> = self
            .store_ref()
            .warninglist()?
            .into_iter()
            .map(|w| w.key)
            .collect();
        let actor = Actor::system("warninglist-seed");
        let mut added = 0;
        for (kind, value, region, reason) in shipped::SHIPPED {
            let region = CountryCode::from_str(region)
                .map_err(|e| NodeError::Corrupt(format!("shipped warninglist: {e}")))?;
            let w = NewWarning {
                kind: (*kind).to_owned(),
                value: (*value).to_owned(),
                region: Some(region),
                reason: (*reason).to_owned(),
            };
            let record = entry(&w, "shipped", None)
                .map_err(|e| NodeError::Corrupt(format!("shipped warninglist `{value}`: {e}")))?;
            if stored.contains(&record.key) {
                continue;
            }
            self.store_ref().put_warning(
                &record,
                &actor.audit("warninglist.add", "warning", &record.key),
            )?;
            added += 1;
        }
        if added > 0 {
            self.after_noise_write();
        }
        Ok(added)
    }

    /// The raw entries (short codes) matching a value as typed, for search answers.
    pub(crate) fn raw_warnings_matching(&self, value: &str) -> Result<Vec<WarningRecord>> {
        let raw: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        // Raw entries are short codes: only such a query reads the list from the store, not
        // every text search.
        let short_code = !raw.is_empty()
            && raw.len() <= 16
            && raw
                .chars()
                .all(|c| c.is_ascii_digit() || c == '#' || c == '*' || c == '-');
        if !short_code {
            return Ok(Vec::new());
        }
        Ok(self
            .store_ref()
            .warninglist()?
            .into_iter()
            .filter(|w| w.removed_at.is_none() && w.entity.is_none() && w.value == raw)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_entry_is_an_identifier_or_a_short_code() {
        for (kind, value, region, reason) in shipped::SHIPPED {
            let w = NewWarning {
                kind: (*kind).to_owned(),
                value: (*value).to_owned(),
                region: Some(CountryCode::from_str(region).unwrap()),
                reason: (*reason).to_owned(),
            };
            let e = entry(&w, "shipped", None).unwrap_or_else(|e| panic!("{value}: {e}"));
            assert!(e.key.starts_with(kind), "{}", e.key);
        }
    }

    #[test]
    fn national_writings_share_one_key_and_short_codes_stay_raw() {
        let th = Some(CountryCode::from_str("TH").unwrap());
        let a = entry(
            &NewWarning {
                kind: "phone".into(),
                value: "02-888-8888".into(),
                region: th,
                reason: "bank".into(),
            },
            "admin",
            None,
        )
        .unwrap();
        let b = entry(
            &NewWarning {
                kind: "phone".into(),
                value: "+66 2 888 8888".into(),
                region: th,
                reason: "bank".into(),
            },
            "admin",
            None,
        )
        .unwrap();
        assert_eq!(a.key, b.key);
        assert_eq!(a.key, "phone:+6628888888");
        assert!(a.entity.is_some());
        let short = entry(
            &NewWarning {
                kind: "phone".into(),
                value: "14 41".into(),
                region: th,
                reason: "AOC".into(),
            },
            "admin",
            None,
        )
        .unwrap();
        assert_eq!(short.key, "phone:raw:TH:1441");
        assert_eq!(short.entity, None);
        let bad = entry(
            &NewWarning {
                kind: "phone".into(),
                value: "abc".into(),
                region: th,
                reason: "x".into(),
            },
            "admin",
            None,
        );
        assert!(matches!(bad, Err(NodeError::Invalid(_))));
    }
}
