//! The change feed: `NOTIFY warroom_<schema oid>, 'accounts' | 'reports' | 'correlation'`
//! inside each write transaction (so it is sent at commit, and only if the write commits), and
//! one `LISTEN` connection per store that forwards what it hears to the registered sinks.
//!
//! The listener is a task on the store's runtime, started by the first `subscribe`. It owns its
//! connection and drives it itself (`poll_message`, which is where notifications surface). When
//! the connection drops, or stops answering the periodic ping, it reconnects with backoff and
//! then calls every sink with every kind of change, since notifications sent meanwhile are lost.
//! It stops when the store is dropped.

use crate::error::{Res, backend, describe};
use crate::pool::{Live, Runtime};
use futures_util::StreamExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::watch;
use tokio_postgres::{AsyncMessage, Config, NoTls};
use warroom_store::{Change, StoreError};

/// The channel a store's writes notify on: `warroom_<schema oid>`. Channels are per database,
/// not per schema, so stores in different schemas of one database (the tests' way) would
/// otherwise hear each other.
pub(crate) fn channel(schema_key: i32) -> String {
    format!("warroom_{}", u32::from_ne_bytes(schema_key.to_ne_bytes()))
}

/// What ends a write transaction that changed `change`: the NOTIFY and the COMMIT, in one
/// round trip. The notification is sent at commit, and only if the transaction commits.
pub(crate) fn commit_sql(channel: &str, change: Change) -> String {
    let payload = match change {
        Change::Accounts => "accounts",
        Change::Reports => "reports",
        Change::Correlation => "correlation",
    };
    format!("NOTIFY {channel}, '{payload}'; COMMIT")
}

fn parse(payload: &str) -> Option<Change> {
    match payload {
        "accounts" => Some(Change::Accounts),
        "reports" => Some(Change::Reports),
        "correlation" => Some(Change::Correlation),
        _ => None,
    }
}

/// Every kind of change, told to every sink after a gap in the feed.
const EVERY_CHANGE: [Change; 3] = [Change::Accounts, Change::Reports, Change::Correlation];

type Sink = dyn Fn(Change) + Send + Sync;

/// The registered sinks, replaced whole on each `subscribe` so delivery never holds the lock
/// while a sink runs.
#[derive(Default)]
struct Sinks(Mutex<Arc<Vec<Arc<Sink>>>>);

impl Sinks {
    fn add(&self, sink: Arc<Sink>) {
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let mut next = Vec::with_capacity(all.len() + 1);
        next.extend(all.iter().cloned());
        next.push(sink);
        *all = Arc::new(next);
    }

    /// Calls every sink with `change` on the runtime's blocking pool, so a slow sink (or one
    /// that calls the store) never holds up the runtime's workers.
    fn deliver(self: &Arc<Self>, change: Change) {
        let all = Arc::clone(&self.0.lock().unwrap_or_else(PoisonError::into_inner));
        if all.is_empty() {
            return;
        }
        tokio::task::spawn_blocking(move || {
            for sink in all.iter() {
                // A panicking sink must not stop the feed for the others.
                let _ = catch_unwind(AssertUnwindSafe(|| sink(change)));
            }
        });
    }
}

/// Backoff between reconnection attempts.
const RETRY_MIN: Duration = Duration::from_millis(50);
const RETRY_MAX: Duration = Duration::from_secs(5);
/// How often the listener checks that its connection still answers, and how long it waits.
const PING_EVERY: Duration = Duration::from_secs(30);
const PING_TIMEOUT: Duration = Duration::from_secs(10);

/// The feed of one store: its sinks and, once started, its listener task.
pub(crate) struct Feed {
    sinks: Arc<Sinks>,
    /// Dropped with the store, which tells the listener to stop.
    stop: Mutex<Option<watch::Sender<()>>>,
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let started = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        f.debug_struct("Feed")
            .field("listening", &started)
            .finish_non_exhaustive()
    }
}

impl Feed {
    pub(crate) fn new() -> Self {
        Self {
            sinks: Arc::new(Sinks::default()),
            stop: Mutex::new(None),
        }
    }

    /// Starts the listener if it is not running (waiting until it listens, so that every
    /// change committed after this returns reaches the sink), then registers the sink.
    pub(crate) fn subscribe(
        &self,
        rt: &Runtime,
        config: &Config,
        channel: &str,
        sink: Box<Sink>,
    ) -> Result<(), StoreError> {
        let mut stop = self.stop.lock().unwrap_or_else(PoisonError::into_inner);
        if stop.is_none() {
            let (stop_tx, stop_rx) = watch::channel(());
            let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel(1);
            let listener = Listener {
                config: config.clone(),
                channel: channel.to_owned(),
                sinks: Arc::clone(&self.sinks),
                stop: stop_rx,
                live: rt.live_counter(),
            };
            rt.handle()?.spawn(listener.run(ready_tx));
            match ready_rx.recv() {
                Ok(Ok(())) => *stop = Some(stop_tx),
                Ok(Err(e)) => return Err(e.into()),
                Err(_) => {
                    return Err(StoreError::Backend(
                        "the change feed stopped before it started".to_owned(),
                    ));
                }
            }
        }
        self.sinks.add(Arc::from(sink));
        Ok(())
    }
}

struct Listener {
    config: Config,
    channel: String,
    sinks: Arc<Sinks>,
    stop: watch::Receiver<()>,
    live: Arc<AtomicUsize>,
}

/// Why a listening session ended.
enum Ended {
    /// The store was dropped.
    Stopped,
    /// The connection failed, before or after LISTEN.
    Lost(crate::error::Error),
}

impl Listener {
    async fn run(mut self, ready: std::sync::mpsc::SyncSender<Res<()>>) {
        let mut ready = Some(ready);
        let mut retry = RETRY_MIN;
        loop {
            let ended = self.session(&mut ready, &mut retry).await;
            match ended {
                Ended::Stopped => return,
                Ended::Lost(e) => {
                    if let Some(first) = ready.take() {
                        // The first session failed: `subscribe` reports it, nothing retries.
                        let _ = first.send(Err(e));
                        return;
                    }
                }
            }
            tokio::select! {
                () = tokio::time::sleep(retry) => {}
                _ = self.stop.changed() => return,
            }
            retry = (retry * 2).min(RETRY_MAX);
        }
    }

    /// One connection: LISTEN, then forward notifications until it ends.
    async fn session(
        &mut self,
        ready: &mut Option<std::sync::mpsc::SyncSender<Res<()>>>,
        retry: &mut Duration,
    ) -> Ended {
        let (client, mut connection) = match self.config.connect(NoTls).await {
            Ok(c) => c,
            Err(e) => return Ended::Lost(e.into()),
        };
        let guard = Live::enter(&self.live);
        let sinks = Arc::clone(&self.sinks);
        let channel = self.channel.clone();
        // Drives the connection (the client's queries need it too) and forwards notifications;
        // ends when the connection does.
        let mut driver = tokio::spawn(async move {
            let mut messages = futures_util::stream::poll_fn(|cx| connection.poll_message(cx));
            let mut error = None;
            while let Some(m) = messages.next().await {
                match m {
                    Ok(AsyncMessage::Notification(n)) if n.channel() == channel => {
                        if let Some(change) = parse(n.payload()) {
                            sinks.deliver(change);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        error = Some(describe(&e));
                        break;
                    }
                }
            }
            drop(guard);
            error
        });
        if let Err(e) = client
            .batch_execute(&format!("LISTEN {}", self.channel))
            .await
        {
            driver.abort();
            return Ended::Lost(e.into());
        }
        *retry = RETRY_MIN;
        match ready.take() {
            Some(first) => {
                let _ = first.send(Ok(()));
            }
            // Whatever was notified while we were away is lost: say everything may have changed.
            None => {
                for change in EVERY_CHANGE {
                    self.sinks.deliver(change);
                }
            }
        }
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            tokio::select! {
                ended = &mut driver => {
                    let why = match ended {
                        Ok(Some(e)) => e,
                        Ok(None) => "the server closed the connection".to_owned(),
                        Err(e) => e.to_string(),
                    };
                    return Ended::Lost(backend(format!("the change feed lost its connection: {why}")));
                }
                _ = ping.tick() => {
                    let alive = tokio::time::timeout(PING_TIMEOUT, client.simple_query("")).await;
                    if !matches!(alive, Ok(Ok(_))) {
                        driver.abort();
                        return Ended::Lost(backend("the change feed's connection stopped answering"));
                    }
                }
                _ = self.stop.changed() => {
                    // Dropping the client makes the connection send Terminate and end.
                    drop(client);
                    let _ = tokio::time::timeout(Duration::from_secs(1), &mut driver).await;
                    return Ended::Stopped;
                }
            }
        }
    }
}
