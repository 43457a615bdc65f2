//! The web pages: server-rendered HTML (askama templates), their translations (Fluent, `en`
//! and `th`), server-side SVG (the map and the charts) and the static assets the binary
//! serves.
//!
//! Architecture invariant: this crate knows no HTTP and does no I/O at run time. The server
//! fetches through the node (which applies the sharing rules), fills the page structs of
//! [`pages`] and renders them; nothing here decides who may see what.
//!
//! Pages never carry inline scripts or styles, so the server's Content-Security-Policy can
//! forbid both and any request to another host.

pub mod assets;
pub mod chart;
pub mod chrome;
pub mod format;
pub mod i18n;
pub mod map;
pub mod pages;
mod svg;

pub use chrome::{Chrome, Flash, UserChrome};
pub use i18n::{Lang, Tr};
