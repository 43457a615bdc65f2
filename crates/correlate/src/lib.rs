//! The identifier index: canonical identifier → postings (the reports that hold it), from which
//! cross-agency hits, noise (warninglist and hub detection) and risk are computed on read.
//!
//! MISP stores one row per correlating pair, which explodes on busy values (a bank hotline in
//! n reports makes n² rows). This index keeps each sighting once, as a four-byte report handle
//! in its identifier's posting list, each report's facts once (owner, marking, interned
//! distribution, times), and per agency a list of eight-byte hit keys; who may see what of a
//! hit is worked out when it is read, by asking the node's policy about each report shown.
//!
//! ```text
//! ChangedReport ─apply─▶ IndexWriter (its own copy) ─publish─▶ ArcSwap<State> ◀─load─ IndexReader
//! ```
//!
//! # Concurrency: snapshot swap over shared tiles
//!
//! Readers never wait on the writer. The writer keeps its own copy of the index and, on
//! [`IndexWriter::publish`], swaps a new snapshot into an `arc_swap::ArcSwap` that readers
//! load lock-free. The copy is cheap because the index is made of tiles behind `Arc`s
//! (8,192 entity shards, reports in chunks of 256, each agency's hit keys in a two-level tree
//! of 512-key leaves):
//! a snapshot is a clone of a few hundred pointers, and a write copies only the tiles it
//! touches that a published snapshot still shares (`Arc::make_mut`); untouched tiles are shared
//! by every snapshot. So memory is one index plus the tiles changed since the last publish.
//!
//! A tile must stay small for that to hold: a posting list longer than 4,096 postings leaves
//! its shard's arena for a list of its own, in `Arc`ed leaves of 1,024 postings (`chunked`),
//! so a write to an identifier held by a million reports copies one leaf and a few dozen
//! pointers, not the million postings with the shard (38.7 ms a report on the real bench
//! store before, where every report names `example.com` and `example.net`).
//!
//! `left-right` was the other candidate: it keeps two full copies, which would halve the
//! memory budget (64 bytes a sighting) for each copy, and its `ReadHandle` is not `Sync`, so a
//! server needs a handle per thread or per call. A base-plus-delta design would need merges
//! that copy the whole base. Shared tiles give the same wait-free reads with one copy.
//!
//! # Measured (benches/index.rs, 10 million sightings, this 2-core machine under load)
//!
//! Rebuild 25.5 s wall (23.3 s CPU, 2 s of it generating the changes); 59 bytes a sighting
//! of heap by the estimate of [`IndexReader::stats`], 74 bytes of RSS growth (what growing
//! vectors leave with the allocator); an incoming report's apply + publish + shaping for its
//! agencies 0.25 ms median, 1.5 ms p99 (apply + publish alone 0.2 ms, 0.4 ms p99); a typical
//! lookup 2 µs. With two hubs in every report (the bench's `hubs` store, each held by 1.25
//! million reports): apply + publish 0.15 ms median, 0.3 to 0.6 ms p99 (5 ms and 9 to 21 ms
//! while long lists were kept in the shard's arena), 51 bytes a sighting of heap.
//!
//! # What is where
//!
//! - `entities`, `postings`, `table`: the index proper (shards, posting lists, hash tables);
//!   `chunked`: long posting lists (leaves outside the shard) and the view that reads either kind;
//! - `reports`: per-report facts; `agencies`: agency handles and marks;
//! - `entries`: the agencies' hit keys and busy-identifier subscriptions (an identifier in 30
//!   or more reports is "busy": its entries are read from its postings instead of being kept
//!   key by key for every agency that held it);
//! - `hits`: validating and shaping entries for a viewer; `noise`: warninglist and hubs
//!   ([`HubRule`]); `risk`: the explained score;
//! - `writer`, `reader`, `state`, `tiles`: publishing.

mod agencies;
mod chunked;
mod config;
mod entities;
mod entries;
mod hits;
mod key;
mod model;
mod noise;
mod postings;
mod reader;
mod reports;
mod risk;
mod state;
mod table;
mod tiles;
mod writer;

pub use config::{Config, HubRule};
pub use key::{HitKey, HitKeyError};
pub use model::{
    EntityView, Hit, HitFilter, NewHit, Noise, Posting, Risk, RiskTerm, Shown, Side, Stats,
};
pub use reader::IndexReader;
pub use writer::IndexWriter;

use arc_swap::ArcSwap;
use state::State;
use std::sync::Arc;

/// A new, empty index: its one writer and a reader (clone it for more).
pub fn index(config: Config) -> (IndexWriter, IndexReader) {
    let state = State {
        rule: config.hub,
        ..State::default()
    };
    let shared = Arc::new(ArcSwap::from_pointee(state.clone()));
    (
        IndexWriter::new(state, shared.clone()),
        IndexReader { shared },
    )
}
