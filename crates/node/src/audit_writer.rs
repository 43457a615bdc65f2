//! Group commit for audit events that go with no other write (reads, logins).
//!
//! Every read of a report or entity is audited before its answer leaves the node. Committing
//! one transaction per read would cap lookups at the disk's commit rate, so a writer thread
//! gathers the events of concurrent requests into one `append_audit` call and then releases all
//! of them: each caller still waits until its own event is durable. A caller on an async
//! runtime waits without holding a thread ([`AuditWriter::append_async`]).

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use warroom_store::{AuditDraft, Store, StoreError};

/// Where a batch's outcome goes: a blocked thread or an awaiting task.
enum Ack {
    Thread(SyncSender<Result<(), String>>),
    Task(tokio::sync::oneshot::Sender<Result<(), String>>),
}

impl Ack {
    fn send(self, result: Result<(), String>) {
        // A caller that went away (a dropped request) needs no answer.
        let _ = match self {
            Ack::Thread(tx) => tx.send(result).ok(),
            Ack::Task(tx) => tx.send(result).ok(),
        };
    }
}

type Job = (Vec<AuditDraft>, Ack);

/// Most events committed in one transaction.
const MAX_BATCH: usize = 1024;
/// Events waiting before callers are made to wait for room.
const QUEUE: usize = 8192;

#[derive(Debug)]
pub(crate) struct AuditWriter {
    tx: Mutex<Option<SyncSender<Job>>>,
    /// Joined when the writer is dropped, so that the thread's handle on the store is gone
    /// (and the store closed, when it was the last) before the node's drop returns.
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
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
                        thread: Mutex::new(None),
                    }
                },
                |thread| Self {
                    tx: Mutex::new(Some(tx)),
                    thread: Mutex::new(Some(thread)),
                },
            )
    }

    /// Appends the events and returns once they are committed.
    pub(crate) fn append(&self, events: Vec<AuditDraft>) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let (ack_tx, ack_rx) = sync_channel(1);
        self.sender()?
            .send((events, Ack::Thread(ack_tx)))
            .map_err(|_| stopped())?;
        ack_rx
            .recv()
            .map_err(|_| stopped())?
            .map_err(StoreError::Backend)
    }

    /// [`AuditWriter::append`] for async callers: the wait holds no thread. Only the hand-over
    /// to the writer's queue can block, and only while the queue is full.
    pub(crate) async fn append_async(&self, events: Vec<AuditDraft>) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let (ack_tx, ack_rx) = tokio::sync::oneshot::channel();
        let sender = self.sender()?;
        let job = (events, Ack::Task(ack_tx));
        match sender.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job)) => {
                // Back-pressure: the writer is QUEUE jobs behind; wait for room off the runtime.
                tokio::task::spawn_blocking(move || sender.send(job))
                    .await
                    .map_err(|_| stopped())?
                    .map_err(|_| stopped())?;
            }
            Err(TrySendError::Disconnected(_)) => return Err(stopped()),
        }
        ack_rx
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::Backend)
    }

    fn sender(&self) -> Result<SyncSender<Job>, StoreError> {
        self.tx
            .lock()
            .map_err(|_| StoreError::Backend("audit writer lock poisoned".into()))?
            .clone()
            .ok_or_else(|| StoreError::Backend("the audit writer is not running".into()))
    }
}

impl Drop for AuditWriter {
    /// Closes the queue and waits for the writer to commit what it holds and end.
    fn drop(&mut self) {
        drop(self.tx.get_mut().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(thread) = self
            .thread
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            && thread.join().is_err()
        {
            tracing::error!("the audit writer panicked");
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Backend("the audit writer stopped".into())
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
            ack.send(result.clone());
        }
    }
}
