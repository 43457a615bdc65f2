//! Explicit limits on what one report may carry. The server adds its own on bodies and lines.

pub const MAX_ENTITIES: usize = 1_000;
pub const MAX_RELATIONSHIPS: usize = 2_000;
pub const MAX_METHODS: usize = 32;
/// Bytes of narrative.
pub const MAX_NARRATIVE: usize = 200_000;
/// Bytes of any other free-text field (names, aliases, refs).
pub const MAX_TEXT: usize = 1_000;
/// Agencies plus groups in a distribution.
pub const MAX_DISTRIBUTION: usize = 200;
/// Reports a listing returns at most.
pub const MAX_PAGE: usize = 500;
/// Readable reports an entity lookup lists at most (the sighting summary counts all of them).
pub const MAX_LOOKUP_REPORTS: usize = 100;
