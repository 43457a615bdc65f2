//! Opening the node's store from the command line: the embedded SQLite store in a data
//! directory (the default), or PostgreSQL when a database URL is given.

use anyhow::Context as _;
use std::path::PathBuf;
use std::sync::Arc;
use warroom_node::Node;
use warroom_store::Store;
use warroom_store_postgres::PgStore;
use warroom_store_sqlite::SqliteStore;

/// Where the data lives.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The data directory of the embedded store (created and migrated on first use).
    #[arg(long, default_value = "./warroom-data", env = "WARROOM_DATA")]
    pub data: PathBuf,
    /// A PostgreSQL URL (`postgres://user@host/db`); when given, the node keeps its data
    /// there instead of in --data. Several `warroom serve` processes may share one database.
    #[arg(long, env = "WARROOM_DATABASE", value_name = "URL")]
    pub database: Option<String>,
}

impl StoreArgs {
    pub fn open(&self) -> anyhow::Result<Arc<dyn Store>> {
        match &self.database {
            Some(url) => {
                let store = PgStore::connect(url)
                    .with_context(|| format!("cannot open the database {}", redact_url(url)))?;
                Ok(Arc::new(store))
            }
            None => {
                let store = SqliteStore::open(&self.data).with_context(|| {
                    format!("cannot open the data directory {}", self.data.display())
                })?;
                Ok(Arc::new(store))
            }
        }
    }

    pub fn node(&self) -> anyhow::Result<OpenNode> {
        Ok(OpenNode::new(Node::new(self.open()?)))
    }

    /// Where the data is, for messages: never with a password.
    pub fn describe(&self) -> String {
        match &self.database {
            Some(url) => redact_url(url),
            None => self.data.display().to_string(),
        }
    }
}

/// A node a command opened, closed when the command is done with it, whichever way it
/// leaves: [`Node::close`] stops the threads that hold handles on the node and its store, so
/// that the store closes (SQLite: checkpoints its WAL away) before the process exits, which
/// would otherwise cut those threads short.
#[derive(Debug)]
pub struct OpenNode(Option<Node>);

impl OpenNode {
    pub fn new(node: Node) -> Self {
        Self(Some(node))
    }

    /// Closes the node here rather than at the end of the scope.
    pub fn close_now(self) {
        drop(self);
    }
}

impl std::ops::Deref for OpenNode {
    type Target = Node;

    fn deref(&self) -> &Node {
        match &self.0 {
            Some(node) => node,
            // Only `drop` takes the node out.
            None => unreachable!("an OpenNode is used after its drop"),
        }
    }
}

impl Drop for OpenNode {
    fn drop(&mut self) {
        if let Some(node) = self.0.take() {
            node.close();
        }
    }
}

/// The URL without its password, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            // Options may carry a password too (`?password=`): drop the whole query.
            u.set_query(None);
            u.to_string()
        }
        Err(_) => "(an unparsable database URL)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://warroom:s3cret@db.example:5432/warroom"),
            "postgres://warroom:***@db.example:5432/warroom"
        );
        assert_eq!(
            redact_url("postgres://warroom@db/warroom?password=s3cret&sslmode=require"),
            "postgres://warroom@db/warroom"
        );
        assert!(!redact_url("postgres://a:s3cret@[::1/x").contains("s3cret"));
    }
}
