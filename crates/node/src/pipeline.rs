//! Pipelined bulk ingest: the caller's thread validates and normalises batch N+1 while a
//! writer thread commits batch N. Answers come back in input order, each only after its
//! batch is committed.

use crate::{Actor, LineOutcome, Node, NodeError, PreparedBatch, Result};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use warroom_wire::{FieldError, ReportIn};

/// An ingest in progress; see [`Node::ingest`].
#[derive(Debug)]
pub struct Ingest {
    node: Node,
    actor: Actor,
    to_writer: Option<SyncSender<PreparedBatch>>,
    from_writer: Receiver<Result<Vec<LineOutcome>>>,
    writer: Option<JoinHandle<()>>,
    in_flight: usize,
}

impl Node {
    /// Starts a pipelined ingest as `actor`.
    pub fn ingest(&self, actor: Actor) -> Result<Ingest> {
        self.check_may_submit(&actor)?;
        // One batch being written and one waiting: memory stays at two batches.
        let (to_writer, batches) = sync_channel::<PreparedBatch>(1);
        let (answers, from_writer) = sync_channel(2);
        let node = self.clone();
        let writer = std::thread::Builder::new()
            .name("ingest-writer".into())
            .spawn(move || {
                for batch in batches {
                    let result = node.store_batch(batch);
                    let failed = result.is_err();
                    if answers.send(result).is_err() || failed {
                        break;
                    }
                }
            })
            .map_err(|e| NodeError::Corrupt(format!("cannot start the ingest writer: {e}")))?;
        Ok(Ingest {
            node: self.clone(),
            actor,
            to_writer: Some(to_writer),
            from_writer,
            writer: Some(writer),
            in_flight: 0,
        })
    }
}

impl Ingest {
    /// Prepares `items` and hands them to the writer; returns the answers of every batch
    /// committed meanwhile, oldest first.
    pub fn push(
        &mut self,
        items: Vec<Result<ReportIn, Vec<FieldError>>>,
    ) -> Result<Vec<Vec<LineOutcome>>> {
        let prepared = self.node.prepare_batch(&self.actor, items)?;
        let sender = self.to_writer.as_ref().ok_or_else(stopped)?;
        if sender.send(prepared).is_err() {
            // The writer stopped on an error: report it.
            return self.collect(true).and_then(|_| Err(stopped()));
        }
        self.in_flight += 1;
        self.collect(false)
    }

    /// Waits for every batch handed over and returns their answers.
    pub fn finish(mut self) -> Result<Vec<Vec<LineOutcome>>> {
        self.to_writer = None;
        let answers = self.collect(true);
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
        answers
    }

    fn collect(&mut self, wait: bool) -> Result<Vec<Vec<LineOutcome>>> {
        let mut out = Vec::new();
        while self.in_flight > 0 {
            let next = if wait {
                self.from_writer.recv().ok()
            } else {
                self.from_writer.try_recv().ok()
            };
            let Some(answer) = next else { break };
            self.in_flight -= 1;
            out.push(answer?);
        }
        Ok(out)
    }
}

fn stopped() -> NodeError {
    NodeError::Corrupt("the ingest writer stopped".into())
}
