//! The key of a hit entry and its cursor form.

use std::fmt;
use std::str::FromStr;
use warroom_domain::EntityId;

/// A hit entry: the later report's `seq` and the identifier. Ordered by `seq`, then entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HitKey {
    pub seq: u64,
    pub entity: EntityId,
}

/// A cursor string that is not `seq.uuid`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a hit cursor (expected SEQ.UUID): {0:?}")]
pub struct HitKeyError(pub String);

impl fmt::Display for HitKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.seq, self.entity)
    }
}

impl FromStr for HitKey {
    type Err = HitKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || HitKeyError(s.chars().take(100).collect());
        let (seq, entity) = s.split_once('.').ok_or_else(err)?;
        if seq.is_empty() || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        Ok(Self {
            seq: seq.parse().map_err(|_| err())?,
            entity: entity.parse().map_err(|_| err())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_refuses_junk() {
        let k = HitKey {
            seq: 42,
            entity: EntityId::random(),
        };
        assert_eq!(k.to_string().parse::<HitKey>(), Ok(k));
        for bad in [
            "",
            "42",
            ".x",
            "x.y",
            "-1.6f1c1c7e-8d3a-4c45-9a53-0e5f6b1f7a11",
            "1.zz",
        ] {
            assert!(bad.parse::<HitKey>().is_err(), "{bad}");
        }
    }
}
