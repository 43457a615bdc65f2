//! Server-Sent Events from one of the node's broadcast channels: each batch of notices is
//! shaped for the subscriber (through the node, which applies the sharing rules and audits),
//! a subscriber that fell behind gets a `lagged` event with how many batches it missed.

use axum::response::sse::Event;
use futures_util::Stream;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use tokio::sync::broadcast::{Receiver, error::RecvError};

pub fn events<T, F, Fut>(rx: Receiver<T>, shape: F) -> impl Stream<Item = Result<Event, Infallible>>
where
    T: Clone + Send + 'static,
    F: Fn(T) -> Fut + Send + 'static,
    Fut: Future<Output = Vec<Event>> + Send,
{
    futures_util::stream::unfold(
        (rx, shape, VecDeque::<Event>::new()),
        |(mut rx, shape, mut queue)| async move {
            loop {
                if let Some(event) = queue.pop_front() {
                    return Some((Ok(event), (rx, shape, queue)));
                }
                match rx.recv().await {
                    Ok(batch) => queue.extend(shape(batch).await),
                    Err(RecvError::Lagged(n)) => {
                        queue.push_back(Event::default().event("lagged").data(n.to_string()));
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    )
}
