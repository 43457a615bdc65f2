//! The stored form of a report's entity list, shared by the backends: per entity its 16-byte
//! id, then kind and value each as a u32 big-endian length and UTF-8 bytes. A report keeps its
//! list exactly as written, even where the entity table holds another label for the id.

use crate::EntityRef;
use uuid::Uuid;
use warroom_domain::EntityId;

/// Encodes the list.
pub fn encode(entities: &[EntityRef]) -> Vec<u8> {
    let size: usize = entities
        .iter()
        .map(|e| 24 + e.kind.len() + e.value.len())
        .sum();
    let mut out = Vec::with_capacity(size);
    for e in entities {
        out.extend_from_slice(e.id.0.as_bytes());
        put_str(&mut out, &e.kind);
        put_str(&mut out, &e.value);
    }
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // Entity values are bounded far below 4 GiB (normalisation refuses over 4 KiB).
    let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&s.as_bytes()[..len as usize]);
}

/// Decodes a list; `None` when the bytes are not one (truncated, or not UTF-8).
pub fn decode(mut b: &[u8]) -> Option<Vec<EntityRef>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (id, rest) = b.split_first_chunk::<16>()?;
        let (kind, rest) = take_str(rest)?;
        let (value, rest) = take_str(rest)?;
        out.push(EntityRef {
            id: EntityId(Uuid::from_bytes(*id)),
            kind: kind.to_owned(),
            value: value.to_owned(),
        });
        b = rest;
    }
    Some(out)
}

fn take_str(b: &[u8]) -> Option<(&str, &[u8])> {
    let (len, rest) = b.split_first_chunk::<4>()?;
    let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
    if rest.len() < len {
        return None;
    }
    let (s, rest) = rest.split_at(len);
    Some((std::str::from_utf8(s).ok()?, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_lists_round_trip_and_truncation_is_refused() {
        let list = vec![
            EntityRef {
                id: EntityId(Uuid::from_bytes([7; 16])),
                kind: "phone".to_owned(),
                value: "+66812345678".to_owned(),
            },
            EntityRef {
                id: EntityId(Uuid::from_bytes([9; 16])),
                kind: "person".to_owned(),
                value: "สมชาย".to_owned(),
            },
        ];
        let blob = encode(&list);
        assert_eq!(decode(&blob), Some(list));
        assert_eq!(decode(&blob[..blob.len() - 1]), None);
        assert_eq!(decode(&[]), Some(vec![]));
        let mut bad_utf8 = encode(&[EntityRef {
            id: EntityId(Uuid::nil()),
            kind: "x".to_owned(),
            value: "y".to_owned(),
        }]);
        let last = bad_utf8.len() - 1;
        bad_utf8[last] = 0xff;
        assert_eq!(decode(&bad_utf8), None);
    }
}
