#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]
pub mod fixture;
pub mod world;
