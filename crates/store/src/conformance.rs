//! The conformance story every backend runs in its own tests (see `warroom-store-sqlite`).
//!
//! Each story gets a fresh, empty store and panics with a message naming what broke. The
//! stories pin down what the [`Store`] docs leave to prose (outcomes, ordering, which writes
//! append which audit events), so that every backend answers the node the same way.
//!
//! ```text
//! warroom_store::conformance::run_all(&|| Box::new(MyStore::open_fresh()));
//! ```
//! or one test per story over [`STORIES`], so a failure names its story.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod audit;
mod changes;
mod correlation;
mod fixture;
mod listing;
mod reports;
mod restore;
mod sightings;
mod windows;

use crate::Store;

/// A story: a function that takes an empty store and panics if the store misbehaves.
pub type Story = fn(&dyn Store);

/// Every story by name, in the order [`run_all`] runs them.
pub const STORIES: &[(&str, Story)] = &[
    ("accounts", accounts::story),
    ("reports", reports::story),
    ("report_listing", listing::story),
    ("entities_and_sightings", sightings::story),
    ("audit", audit::story),
    ("rate_windows", windows::story),
    ("restore", restore::story),
    ("change_log", changes::story),
    ("correlation", correlation::story),
];

/// Runs every story, each on a store fresh from `open`.
pub fn run_all(open: &dyn Fn() -> Box<dyn Store>) {
    for (name, story) in STORIES {
        let store = open();
        eprintln!("conformance story `{name}` on {}", store.backend());
        story(&*store);
    }
}

pub use accounts::story as accounts;
pub use audit::story as audit;
pub use changes::story as change_log;
pub use correlation::story as correlation;
pub use listing::story as report_listing;
pub use reports::story as reports;
pub use restore::story as restore;
pub use sightings::story as entities_and_sightings;
pub use windows::story as rate_windows;
