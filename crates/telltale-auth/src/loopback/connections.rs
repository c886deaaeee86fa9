//! The listener's open connections, at most [`MAX_CONNECTIONS`]. When every slot is taken,
//! the oldest connection that has not sent a request yet is closed to make room: sockets
//! held open idle (by another local process, or the browser's own pre-connections) cannot
//! keep the browser's real redirect out, and one that has sent its request is never cut
//! off mid-answer.

use super::serve::{serve, Target};
use super::MAX_CONNECTIONS;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpStream;
use tokio::task::{AbortHandle, Id, JoinSet};

pub(super) struct Connections {
    tasks: JoinSet<Option<String>>,
    /// The connections holding a slot (closed ones leave when they are reaped or evicted).
    slots: HashMap<Id, Slot>,
}

struct Slot {
    opened: Instant,
    /// Set once its request head has arrived.
    requested: Arc<AtomicBool>,
    task: AbortHandle,
}

impl Connections {
    pub(super) fn new() -> Connections {
        Connections {
            tasks: JoinSet::new(),
            slots: HashMap::with_capacity(MAX_CONNECTIONS),
        }
    }

    /// True when no connection task is left to reap.
    pub(super) fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// How many connections hold a slot.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Serves `stream`, making room first if every slot is taken. Should all of them be
    /// answering a request (for a moment only: the pages are tiny), `stream` is closed
    /// unanswered instead.
    pub(super) fn open(&mut self, stream: TcpStream, target: &Arc<Target>) {
        if self.slots.len() >= MAX_CONNECTIONS && !self.close_oldest_idle() {
            return;
        }
        let requested = Arc::new(AtomicBool::new(false));
        let task = self
            .tasks
            .spawn(serve(stream, target.clone(), requested.clone()));
        let slot = Slot {
            opened: Instant::now(),
            requested,
            task,
        };
        self.slots.insert(slot.task.id(), slot);
    }

    /// Closes the oldest connection without a request; false when there is none.
    fn close_oldest_idle(&mut self) -> bool {
        let oldest = self
            .slots
            .iter()
            .filter(|(_, slot)| !slot.requested.load(Ordering::Acquire))
            .min_by_key(|(_, slot)| slot.opened)
            .map(|(id, _)| *id);
        match oldest.and_then(|id| self.slots.remove(&id)) {
            Some(slot) => {
                slot.task.abort();
                true
            }
            None => false,
        }
    }

    /// Waits for the next connection to end; gives the callback URL it carried, if any.
    /// `None` when there are no connections at all.
    pub(super) async fn next_closed(&mut self) -> Option<Option<String>> {
        let ended = self.tasks.join_next_with_id().await?;
        let (id, callback) = match ended {
            Ok((id, callback)) => (id, callback),
            // Evicted (already out of `slots`), or a panic in hyper: no answer either way.
            Err(err) => (err.id(), None),
        };
        self.slots.remove(&id);
        Some(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;
    use url::Url;

    /// A connected pair: the server's end is handed to `connections`.
    async fn connect(
        listener: &TcpListener,
        connections: &mut Connections,
        target: &Arc<Target>,
    ) -> TcpStream {
        let port = listener.local_addr().expect("address").port();
        let client = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connects");
        let (server, _) = listener.accept().await.expect("accepts");
        connections.open(server, target);
        client
    }

    #[tokio::test]
    async fn a_full_registry_closes_its_oldest_idle_connection_for_a_new_one() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("binds");
        let uri = Url::parse("http://127.0.0.1:1/oauth/callback").expect("url");
        let target = Arc::new(Target::new(uri, 1, "s".into()));
        let mut connections = Connections::new();
        let mut clients = Vec::new();
        for _ in 0..MAX_CONNECTIONS {
            clients.push(connect(&listener, &mut connections, &target).await);
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        let mut by_age: Vec<(Instant, Id)> = connections
            .slots
            .iter()
            .map(|(id, slot)| (slot.opened, *id))
            .collect();
        by_age.sort_by_key(|(opened, _)| *opened);
        let (oldest, second) = (by_age[0].1, by_age[1].1);
        // The oldest is answering a request, so the next oldest makes room.
        connections.slots[&oldest]
            .requested
            .store(true, Ordering::Release);
        let newcomer = connect(&listener, &mut connections, &target).await;
        assert_eq!(connections.len(), MAX_CONNECTIONS);
        assert!(connections.slots.contains_key(&oldest), "a busy one stays");
        assert!(
            !connections.slots.contains_key(&second),
            "the oldest idle one goes"
        );
        // The evicted task ends without an answer and the slot count stays put.
        assert_eq!(connections.next_closed().await, Some(None));
        assert_eq!(connections.len(), MAX_CONNECTIONS);
        drop((clients, newcomer));
    }
}
