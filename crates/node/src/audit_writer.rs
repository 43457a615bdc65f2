//! Group commit for audit events that go with no other write (reads, logins).
//!
//! Every read of a report or entity is audited before its answer leaves the node. Committing
//! one transaction per read would cap lookups at the disk's commit rate, so a writer thread
//! gathers the events of concurrent requests into one `append_audit` call and then releases all
//! of them: each caller still waits until its own event is durable.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use warroom_store::{AuditDraft, Store, StoreError};

type Ack = SyncSender<Result<(), String>>;
type Job = (Vec<AuditDraft>, Ack);

/// Most events committed in one transaction.
const MAX_BATCH: usize = 1024;
/// Events waiting before callers are made to wait for room.
const QUEUE: usize = 8192;

#[derive(Debug)]
pub(crate) struct AuditWriter {
    tx: Mutex<Option<SyncSender<Job>>>,
}

impl AuditWriter {
    pub(crate) fn start(store: Arc<dyn Store>) -> Self {
        let (tx, rx) = sync_channel(QUEUE);
        std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || run(store, rx))
            .map_or_else(
                |e| {
                    tracing::error!(error = %e, "cannot start the audit writer");
                    Self {
                        tx: Mutex::new(None),
                    }
                },
                |_| Self {
                    tx: Mutex::new(Some(tx)),
                },
            )
    }

    /// Appends the events and returns once they are committed.
    pub(crate) fn append(&self, events: Vec<AuditDraft>) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let sender = self
            .tx
            .lock()
            .map_err(|_| StoreError::Backend("audit writer lock poisoned".into()))?
            .clone()
            .ok_or_else(|| StoreError::Backend("the audit writer is not running".into()))?;
        let (ack_tx, ack_rx) = sync_channel(1);
        sender
            .send((events, ack_tx))
            .map_err(|_| StoreError::Backend("the audit writer stopped".into()))?;
        match ack_rx.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Backend(e)),
            Err(_) => Err(StoreError::Backend("the audit writer stopped".into())),
        }
    }
}

fn run(store: Arc<dyn Store>, rx: Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        let mut count = batch[0].0.len();
        while count < MAX_BATCH {
            match rx.try_recv() {
                Ok(next) => {
                    count += next.0.len();
                    batch.push(next);
                }
                Err(_) => break,
            }
        }
        let events: Vec<AuditDraft> = batch.iter().flat_map(|(e, _)| e.iter().cloned()).collect();
        let result = store.append_audit(&events).map_err(|e| e.to_string());
        if let Err(e) = &result {
            tracing::error!(error = %e, events = events.len(), "audit append failed; the reads are refused");
        }
        for (_, ack) in batch {
            let _ = ack.send(result.clone());
        }
    }
}
