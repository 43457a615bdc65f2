//! Conversions between domain values and SQLite columns. Reads borrow from the row where they
//! can (`get_ref`), and every value that does not decode is [`warroom_store::StoreError::Corrupt`]
//! naming the column, never its content.

use crate::error::{Error, Res, corrupt};
use jiff::Timestamp;
use rusqlite::Row;
use rusqlite::types::ValueRef;
use std::collections::BTreeSet;
use uuid::Uuid;
use warroom_domain::{AgencyId, Distribution, EntityId, GroupId};
use warroom_store::{EntityRef, StoreError, entity_list};

/// Nanoseconds since the epoch. An i64 covers 1677-09-21 to 2262-04-11, which every warroom
/// date falls in; anything outside is refused rather than stored rounded.
pub(crate) fn ts(t: Timestamp) -> Res<i64> {
    i64::try_from(t.as_nanosecond()).map_err(|_| {
        Error(StoreError::Backend(
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

fn value<'r>(row: &'r Row<'_>, i: usize) -> Res<ValueRef<'r>> {
    Ok(row.get_ref(i)?)
}

fn col_name(row: &Row<'_>, i: usize) -> String {
    row.as_ref()
        .column_name(i)
        .map_or_else(|_| format!("column {i}"), str::to_owned)
}

fn bad(row: &Row<'_>, i: usize) -> Error {
    corrupt(format!(
        "{} holds a value of the wrong type",
        col_name(row, i)
    ))
}

pub(crate) fn get_i64(row: &Row<'_>, i: usize) -> Res<i64> {
    value(row, i)?.as_i64().map_err(|_| bad(row, i))
}

pub(crate) fn get_opt_i64(row: &Row<'_>, i: usize) -> Res<Option<i64>> {
    value(row, i)?.as_i64_or_null().map_err(|_| bad(row, i))
}

pub(crate) fn get_u64(row: &Row<'_>, i: usize) -> Res<u64> {
    u64::try_from(get_i64(row, i)?).map_err(|_| bad(row, i))
}

pub(crate) fn get_bool(row: &Row<'_>, i: usize) -> Res<bool> {
    Ok(get_i64(row, i)? != 0)
}

pub(crate) fn get_str<'r>(row: &'r Row<'_>, i: usize) -> Res<&'r str> {
    value(row, i)?.as_str().map_err(|_| bad(row, i))
}

pub(crate) fn get_opt_str<'r>(row: &'r Row<'_>, i: usize) -> Res<Option<&'r str>> {
    value(row, i)?.as_str_or_null().map_err(|_| bad(row, i))
}

pub(crate) fn get_blob<'r>(row: &'r Row<'_>, i: usize) -> Res<&'r [u8]> {
    match value(row, i)? {
        ValueRef::Blob(b) => Ok(b),
        // SQLite keeps a bound empty blob as a zero-length blob, but a NULL is just as empty.
        ValueRef::Null => Ok(&[]),
        _ => Err(bad(row, i)),
    }
}

pub(crate) fn get_ts(row: &Row<'_>, i: usize) -> Res<Timestamp> {
    let n = get_i64(row, i)?;
    Timestamp::from_nanosecond(i128::from(n)).map_err(|_| bad(row, i))
}

pub(crate) fn get_opt_ts(row: &Row<'_>, i: usize) -> Res<Option<Timestamp>> {
    get_opt_i64(row, i)?
        .map(|n| Timestamp::from_nanosecond(i128::from(n)).map_err(|_| bad(row, i)))
        .transpose()
}

pub(crate) fn get_uuid(row: &Row<'_>, i: usize) -> Res<Uuid> {
    Uuid::from_slice(get_blob(row, i)?).map_err(|_| bad(row, i))
}

pub(crate) fn get_opt_uuid(row: &Row<'_>, i: usize) -> Res<Option<Uuid>> {
    match value(row, i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Blob(b) => Uuid::from_slice(b).map(Some).map_err(|_| bad(row, i)),
        _ => Err(bad(row, i)),
    }
}

pub(crate) fn get_hash(row: &Row<'_>, i: usize) -> Res<[u8; 32]> {
    <[u8; 32]>::try_from(get_blob(row, i)?).map_err(|_| bad(row, i))
}

/// Parses enumeration text with the domain's own parser.
pub(crate) fn get_enum<T>(
    row: &Row<'_>,
    i: usize,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Res<T> {
    let s = get_str(row, i)?;
    parse(s).ok_or_else(|| corrupt(format!("{} holds an unknown value", col_name(row, i))))
}

/// Concatenated 16-byte ids: set order in, set order out, no separators needed.
pub(crate) fn id_set_blob<'a>(ids: impl ExactSizeIterator<Item = &'a Uuid>) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len() * 16);
    for id in ids {
        out.extend_from_slice(id.as_bytes());
    }
    out
}

fn id_set<T: Ord>(row: &Row<'_>, i: usize, wrap: impl Fn(Uuid) -> T) -> Res<BTreeSet<T>> {
    let b = get_blob(row, i)?;
    if b.len() % 16 != 0 {
        return Err(bad(row, i));
    }
    Ok(b.chunks_exact(16)
        .map(|c| {
            let mut a = [0u8; 16];
            a.copy_from_slice(c);
            wrap(Uuid::from_bytes(a))
        })
        .collect())
}

#[derive(Debug)]
pub(crate) struct DistributionBlobs {
    pub(crate) agencies: Vec<u8>,
    pub(crate) groups: Vec<u8>,
}

pub(crate) fn distribution_blobs(d: &Distribution) -> DistributionBlobs {
    DistributionBlobs {
        agencies: id_set_blob(d.agencies.iter().map(|a| &a.0)),
        groups: id_set_blob(d.groups.iter().map(|g| &g.0)),
    }
}

/// Reads a distribution from its agencies column `i` and groups column `i + 1`.
pub(crate) fn get_distribution(row: &Row<'_>, i: usize) -> Res<Distribution> {
    Ok(Distribution {
        agencies: id_set(row, i, AgencyId)?,
        groups: id_set(row, i + 1, GroupId)?,
    })
}

pub(crate) fn methods_json(methods: &[String]) -> Res<String> {
    serde_json::to_string(methods)
        .map_err(|e| Error(StoreError::Backend(format!("cannot encode methods: {e}"))))
}

pub(crate) fn get_methods(row: &Row<'_>, i: usize) -> Res<Vec<String>> {
    serde_json::from_str(get_str(row, i)?).map_err(|_| bad(row, i))
}

/// A report's entity list in the stored form (`warroom_store::entity_list`).
pub(crate) fn entities_blob(entities: &[EntityRef]) -> Vec<u8> {
    entity_list::encode(entities)
}

pub(crate) fn get_entities(row: &Row<'_>, i: usize) -> Res<Vec<EntityRef>> {
    entity_list::decode(get_blob(row, i)?).ok_or_else(|| bad(row, i))
}

/// Only the ids of a report's entity list, for finding its sightings again.
pub(crate) fn entity_ids(blob: &[u8]) -> Option<Vec<EntityId>> {
    Some(
        entity_list::decode(blob)?
            .into_iter()
            .map(|e| e.id)
            .collect(),
    )
}
