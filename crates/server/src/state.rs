use crate::limits::Limits;
use std::sync::Arc;
use warroom_node::Node;

#[derive(Clone, Debug)]
pub struct AppState {
    pub node: Node,
    pub limits: Arc<Limits>,
    /// Mark session cookies `Secure` (behind TLS).
    pub secure_cookies: bool,
}
