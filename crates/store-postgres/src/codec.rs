//! Conversions between domain values and PostgreSQL columns. Every value that does not decode is
//! [`warroom_store::StoreError::Corrupt`] naming the column, never its content.

use crate::error::{Error, Res, corrupt};
use jiff::Timestamp;
use std::collections::BTreeSet;
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;
use uuid::Uuid;
use warroom_domain::{AgencyId, Distribution, EntityId, GroupId};
use warroom_store::{EntityRef, StoreError, entity_list};

/// Nanoseconds since the epoch. An i64 covers 1677-09-21 to 2262-04-11, which every warroom
/// date falls in; anything outside is refused rather than stored rounded.
pub(crate) fn ts(t: Timestamp) -> Res<i64> {
    i64::try_from(t.as_nanosecond()).map_err(|_| {
        Error::Store(StoreError::Backend(
            "a timestamp outside 1677-2262 cannot be stored".to_owned(),
        ))
    })
}

/// For comparisons only: a bound outside the storable range still orders correctly.
pub(crate) fn ts_bound(t: Timestamp) -> i64 {
    let n = t.as_nanosecond();
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

pub(crate) fn opt_ts(t: Option<Timestamp>) -> Res<Option<i64>> {
    t.map(ts).transpose()
}

fn col_name(row: &Row, i: usize) -> String {
    row.columns()
        .get(i)
        .map_or_else(|| format!("column {i}"), |c| c.name().to_owned())
}

fn bad(row: &Row, i: usize) -> Error {
    corrupt(format!(
        "{} holds a value of the wrong type",
        col_name(row, i)
    ))
}

/// Column `i` as `T`; a NULL where `T` is not an `Option`, or another type, is corrupt data.
pub(crate) fn get<'r, T: FromSql<'r>>(row: &'r Row, i: usize) -> Res<T> {
    row.try_get(i).map_err(|_| bad(row, i))
}

pub(crate) fn get_u64(row: &Row, i: usize) -> Res<u64> {
    u64::try_from(get::<i64>(row, i)?).map_err(|_| bad(row, i))
}

fn timestamp(row: &Row, i: usize, n: i64) -> Res<Timestamp> {
    Timestamp::from_nanosecond(i128::from(n)).map_err(|_| bad(row, i))
}

pub(crate) fn get_ts(row: &Row, i: usize) -> Res<Timestamp> {
    timestamp(row, i, get(row, i)?)
}

pub(crate) fn get_opt_ts(row: &Row, i: usize) -> Res<Option<Timestamp>> {
    get::<Option<i64>>(row, i)?
        .map(|n| timestamp(row, i, n))
        .transpose()
}

pub(crate) fn get_hash(row: &Row, i: usize) -> Res<[u8; 32]> {
    <[u8; 32]>::try_from(get::<&[u8]>(row, i)?).map_err(|_| bad(row, i))
}

/// Parses enumeration text with the domain's own parser.
pub(crate) fn get_enum<T>(row: &Row, i: usize, parse: impl FnOnce(&str) -> Option<T>) -> Res<T> {
    let s: &str = get(row, i)?;
    parse(s).ok_or_else(|| corrupt(format!("{} holds an unknown value", col_name(row, i))))
}

/// A distribution as its two `uuid[]` columns, in set order.
#[derive(Debug)]
pub(crate) struct DistributionIds {
    pub(crate) agencies: Vec<Uuid>,
    pub(crate) groups: Vec<Uuid>,
}

impl DistributionIds {
    pub(crate) fn of(d: &Distribution) -> Self {
        Self {
            agencies: d.agencies.iter().map(|a| a.0).collect(),
            groups: d.groups.iter().map(|g| g.0).collect(),
        }
    }
}

/// Reads a distribution from its agencies column `i` and groups column `i + 1`.
pub(crate) fn get_distribution(row: &Row, i: usize) -> Res<Distribution> {
    let agencies: Vec<Uuid> = get(row, i)?;
    let groups: Vec<Uuid> = get(row, i + 1)?;
    Ok(Distribution {
        agencies: agencies.into_iter().map(AgencyId).collect::<BTreeSet<_>>(),
        groups: groups.into_iter().map(GroupId).collect::<BTreeSet<_>>(),
    })
}

/// A PostgreSQL array literal (`{"a","b"}`) of the items, for `UNNEST` of text that a query
/// casts back to an array per row (`UNNEST` of a two-dimensional array would flatten it).
pub(crate) fn array_literal<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("{");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in item.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// [`array_literal`] of ids.
pub(crate) fn uuid_array_literal(ids: &[Uuid]) -> String {
    let mut out = String::with_capacity(2 + ids.len() * 37);
    out.push('{');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
    }
    out.push('}');
    out
}

/// A report's entity list in the stored form (`warroom_store::entity_list`).
pub(crate) fn entities_blob(entities: &[EntityRef]) -> Vec<u8> {
    entity_list::encode(entities)
}

pub(crate) fn get_entities(row: &Row, i: usize) -> Res<Vec<EntityRef>> {
    entity_list::decode(get(row, i)?).ok_or_else(|| bad(row, i))
}

/// Only the ids of a report's entity list, for finding its sightings again.
pub(crate) fn entity_ids(row: &Row, i: usize) -> Res<Vec<EntityId>> {
    Ok(get_entities(row, i)?.into_iter().map(|e| e.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literals_quote_what_needs_it() {
        assert_eq!(array_literal([]), "{}");
        assert_eq!(
            array_literal(["a", "b\"c", "d\\e", "x,y", "NULL"]),
            r#"{"a","b\"c","d\\e","x,y","NULL"}"#
        );
        assert_eq!(
            uuid_array_literal(&[Uuid::from_u128(1), Uuid::from_u128(2)]),
            "{00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002}"
        );
    }
}
