//! PLACEHOLDER: being written.
use crate::{Context, Normalized};
#[derive(Debug)]
pub struct Extracted {
    pub span: std::ops::Range<usize>,
    pub normalized: Normalized,
}
pub fn extract(text: &str, ctx: &Context) -> Vec<Extracted> {
    let _ = (text, ctx);
    Vec::new()
}
