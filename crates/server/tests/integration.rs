//! HTTP integration tests of the server, in one binary to link once. Each concern is a module in
//! `tests/integration/`; `common` builds nodes, accounts and clients for all of them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod integration {
    pub mod common;

    mod bad_input;
    mod correlation;
    mod neighbourhood;
    mod openapi;
    mod pages;
    mod policy;
    mod story;
}
