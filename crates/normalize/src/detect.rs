//! PLACEHOLDER: being written.
use crate::{Context, NormalizeError, Normalized};
#[derive(Debug)]
pub enum Detection {
    Found(Normalized),
    Ambiguous(Vec<Normalized>),
    None(NormalizeError),
}
pub fn detect(raw: &str, ctx: &Context) -> Detection {
    let _ = (raw, ctx);
    Detection::None(NormalizeError::Unrecognised)
}
