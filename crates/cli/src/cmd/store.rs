//! Opening the node's store from the command line.

use anyhow::Context as _;
use std::path::PathBuf;
use std::sync::Arc;
use warroom_node::Node;
use warroom_store::Store;
use warroom_store_sqlite::SqliteStore;

/// Where the data lives.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// The data directory of the embedded store (created and migrated on first use).
    #[arg(long, default_value = "./warroom-data", env = "WARROOM_DATA")]
    pub data: PathBuf,
}

impl StoreArgs {
    pub fn open(&self) -> anyhow::Result<Arc<dyn Store>> {
        let store = SqliteStore::open(&self.data)
            .with_context(|| format!("cannot open the data directory {}", self.data.display()))?;
        Ok(Arc::new(store))
    }

    pub fn node(&self) -> anyhow::Result<Node> {
        Ok(Node::new(self.open()?))
    }
}
