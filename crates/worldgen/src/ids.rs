//! Deterministic ids: UUIDv5 in a namespace derived from the seed, so that the same seed gives
//! the same agencies, groups, users and reports, and re-loading a world is idempotent.

use uuid::Uuid;

/// The namespace of one world: UUIDv5(URL namespace, `urn:warroom:worldgen:<seed>`).
pub(crate) fn world_namespace(seed: u64) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("urn:warroom:worldgen:{seed}").as_bytes(),
    )
}

pub(crate) fn agency_id(ns: &Uuid, slug: &str) -> Uuid {
    Uuid::new_v5(ns, format!("agency:{slug}").as_bytes())
}

pub(crate) fn group_id(ns: &Uuid, slug: &str) -> Uuid {
    Uuid::new_v5(ns, format!("group:{slug}").as_bytes())
}

pub(crate) fn user_id(ns: &Uuid, username: &str) -> Uuid {
    Uuid::new_v5(ns, format!("user:{username}").as_bytes())
}

/// The client id of the `n`th report (0-based, in submission order).
pub(crate) fn report_id(ns: &Uuid, n: u64) -> Uuid {
    Uuid::new_v5(ns, format!("report:{n}").as_bytes())
}
