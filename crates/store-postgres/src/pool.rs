//! The store's own tokio runtime, its fixed pool of connections, and how a synchronous call
//! drives a query.
//!
//! tokio-postgres splits a connection in two: a `Connection` future that owns the socket (it
//! needs a tokio reactor, so it runs as a task on the store's runtime) and a `Client` whose
//! futures only exchange messages with that task over `futures-channel` channels. A client future
//! therefore needs no reactor and no tokio context on the thread that polls it: every store call
//! polls its futures with `futures_executor::block_on` on the calling thread, which works the
//! same on a plain thread, a `spawn_blocking` thread, or inside a tokio runtime's task (where
//! the sync `postgres` crate would panic). Nothing here awaits a tokio primitive on the calling
//! thread: results from the runtime come back over std channels, since a tokio `JoinHandle`
//! polled inside another runtime's task would draw on that task's cooperative budget and could
//! spin once it is spent.

use crate::error::{Error, Res, backend, describe};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, NoTls, Row, Statement};
use warroom_store::StoreError;

/// Worker threads of the store's runtime: they only move bytes between sockets and channels.
const RUNTIME_WORKERS: usize = 2;

/// How long dropping the store waits for its connections to say goodbye to the server.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Prepared statements kept per connection before the cache is emptied; the listing query has
/// one text per combination of filters (at most 128), the rest are fixed.
const STATEMENT_CACHE: usize = 256;

/// The store's runtime. Dropped with `shutdown_background`, which (unlike a plain drop) is
/// allowed inside another runtime's task, where a store may well be dropped.
pub(crate) struct Runtime {
    rt: Option<tokio::runtime::Runtime>,
    /// Connection tasks still running, so a drop can let them close cleanly first.
    live: Arc<AtomicUsize>,
}

impl Runtime {
    pub(crate) fn new() -> Result<Self, StoreError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(RUNTIME_WORKERS)
            .thread_name("warroom-pg")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Open(format!("cannot start the store's runtime: {e}")))?;
        Ok(Self {
            rt: Some(rt),
            live: Arc::new(AtomicUsize::new(0)),
        })
    }

    pub(crate) fn handle(&self) -> Res<&tokio::runtime::Handle> {
        self.rt
            .as_ref()
            .map(tokio::runtime::Runtime::handle)
            .ok_or_else(|| backend("the store's runtime has stopped"))
    }

    /// Runs `fut` on the runtime and blocks the calling thread (any thread) for its output.
    pub(crate) fn run<T: Send + 'static>(
        &self,
        fut: impl Future<Output = T> + Send + 'static,
    ) -> Res<T> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.handle()?.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv()
            .map_err(|_| backend("the store's runtime stopped during a call"))
    }

    /// Opens a connection: the socket and its task on the runtime, the client for the caller.
    pub(crate) fn connect(&self, config: &Config) -> Res<Client> {
        let config = config.clone();
        let live = Arc::clone(&self.live);
        self.run(async move {
            let (client, connection) = config.connect(NoTls).await?;
            let guard = Live::enter(&live);
            tokio::spawn(async move {
                // Ends when the client is dropped or the server goes away; a broken connection
                // shows as `Client::is_closed` and is replaced at the next checkout.
                let _ = connection.await;
                drop(guard);
            });
            Ok::<_, tokio_postgres::Error>(client)
        })?
        .map_err(Error::from)
    }

    /// Counts a task that owns a connection (the change feed's) in [`Runtime::live`].
    pub(crate) fn live_counter(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.live)
    }
}

/// Counts one running connection task for as long as it lives (aborted tasks included).
#[derive(Debug)]
pub(crate) struct Live(Arc<AtomicUsize>);

impl Live {
    pub(crate) fn enter(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::AcqRel);
        Self(Arc::clone(counter))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // The clients are gone by now (the store drops its pool first): give their tasks a
        // moment to send Terminate, so the server does not log a lost connection.
        let start = Instant::now();
        while self.live.load(Ordering::Acquire) > 0 && start.elapsed() < CLOSE_GRACE {
            std::thread::sleep(Duration::from_millis(2));
        }
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("live_connections", &self.live.load(Ordering::Relaxed))
            .finish()
    }
}

/// One connection with its prepared statements.
pub(crate) struct Conn {
    client: Client,
    statements: RefCell<HashMap<String, Statement>>,
}

impl Conn {
    pub(crate) fn new(client: Client) -> Self {
        Self {
            client,
            statements: RefCell::new(HashMap::new()),
        }
    }

    pub(crate) fn db(&self) -> Db<'_> {
        Db { conn: self }
    }
}

/// What the query modules see of a connection: prepared statements (cached per connection)
/// and the queries that use them. Futures of a `Db` are polled on the calling thread.
#[derive(Clone, Copy)]
pub(crate) struct Db<'c> {
    conn: &'c Conn,
}

impl std::fmt::Debug for Db<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").finish_non_exhaustive()
    }
}

impl<'c> Db<'c> {
    pub(crate) fn client(&self) -> &'c Client {
        &self.conn.client
    }

    /// The statement for `sql`, prepared on this connection the first time it is asked for.
    /// Parameter types come from the text (every array parameter carries a cast).
    pub(crate) async fn statement(&self, sql: &str) -> Res<Statement> {
        if let Some(s) = self.conn.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.conn.client.prepare(sql).await?;
        let mut cache = self.conn.statements.borrow_mut();
        if cache.len() >= STATEMENT_CACHE {
            cache.clear();
        }
        cache.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) async fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Res<Vec<Row>> {
        let stmt = self.statement(sql).await?;
        Ok(self.conn.client.query(&stmt, params).await?)
    }

    pub(crate) async fn query_opt(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Res<Option<Row>> {
        let stmt = self.statement(sql).await?;
        Ok(self.conn.client.query_opt(&stmt, params).await?)
    }

    pub(crate) async fn execute(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Res<u64> {
        let stmt = self.statement(sql).await?;
        Ok(self.conn.client.execute(&stmt, params).await?)
    }

    /// Runs statements without parameters in one round trip (simple query protocol).
    pub(crate) async fn batch(&self, sql: &str) -> Res<()> {
        Ok(self.conn.client.batch_execute(sql).await?)
    }
}

/// A fixed number of connections, each opened at start and reopened when found broken.
pub(crate) struct Pool {
    config: Config,
    /// `None` for a slot whose connection was lost and could not be opened again yet.
    slots: Mutex<Vec<Option<Conn>>>,
    freed: Condvar,
    size: usize,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").field("size", &self.size).finish()
    }
}

impl Pool {
    pub(crate) fn new(config: Config, conns: Vec<Conn>) -> Self {
        let size = conns.len();
        Self {
            config,
            slots: Mutex::new(conns.into_iter().map(Some).collect()),
            freed: Condvar::new(),
            size,
        }
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// A connection for one store call, waiting for one to be returned if all are in use.
    /// A broken connection (or an empty slot) is opened anew; if that fails the slot stays
    /// empty for the next caller to retry and this call fails.
    pub(crate) fn lease<'p>(&'p self, rt: &Runtime) -> Res<Lease<'p>> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if let Some(slot) = slots.pop() {
                    break slot;
                }
                slots = self
                    .freed
                    .wait(slots)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let conn = match slot {
            Some(c) if !c.client.is_closed() => c,
            _ => match rt.connect(&self.config) {
                Ok(client) => Conn::new(client),
                Err(e) => {
                    self.give_back(None);
                    return Err(match e {
                        Error::Pg(e) => backend(format!(
                            "cannot reconnect to the database: {}",
                            describe(&e)
                        )),
                        other => other,
                    });
                }
            },
        };
        Ok(Lease {
            pool: self,
            conn: Some(conn),
            settled: false,
        })
    }

    fn give_back(&self, slot: Option<Conn>) {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(slot);
        self.freed.notify_one();
    }
}

/// A connection out of the pool. It goes back when dropped, but only if the call that used it
/// [`Lease::settle`]d it: a call that panicked or stopped midway (inside a transaction, with
/// replies still coming) leaves a connection in an unknown state, and that one is closed
/// instead, which also makes the server roll back whatever it had open.
pub(crate) struct Lease<'p> {
    pool: &'p Pool,
    conn: Option<Conn>,
    settled: bool,
}

impl Lease<'_> {
    pub(crate) fn conn(&self) -> Res<&Conn> {
        self.conn
            .as_ref()
            .ok_or_else(|| backend("a pooled connection was used after it was returned"))
    }

    /// The connection is idle and outside any transaction: it may serve the next call.
    pub(crate) fn settle(&mut self) {
        self.settled = true;
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let conn = self.conn.take().filter(|_| self.settled);
        self.pool.give_back(conn);
    }
}

impl std::fmt::Debug for Lease<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lease")
            .field("settled", &self.settled)
            .finish_non_exhaustive()
    }
}
