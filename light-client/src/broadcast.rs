//! One value that many readers follow (the sync status, the finalized block, the best number,
//! the follower's problems): it keeps the latest value and hands each subscriber a stream of
//! what is published, dropping subscribers whose stream is gone.

use futures::channel::mpsc;

/// The latest published value and the streams of everyone who follows it.
pub(crate) struct Broadcast<T> {
    latest: Option<T>,
    subscribers: Vec<mpsc::UnboundedSender<T>>,
}

impl<T> Default for Broadcast<T> {
    fn default() -> Self {
        Self {
            latest: None,
            subscribers: Vec::new(),
        }
    }
}

impl<T: Clone> Broadcast<T> {
    /// A broadcast whose latest value is `initial` before anything is published.
    pub(crate) fn starting_at(initial: T) -> Self {
        Self {
            latest: Some(initial),
            subscribers: Vec::new(),
        }
    }

    /// The latest value (if there is one), then each value published from now on.
    pub(crate) fn watch(&mut self) -> mpsc::UnboundedReceiver<T> {
        let (sender, receiver) = mpsc::unbounded();
        if let Some(latest) = &self.latest {
            let _ = sender.unbounded_send(latest.clone());
        }
        self.subscribers.push(sender);
        receiver
    }

    /// Each value published from now on, without the latest one: for events, not states.
    pub(crate) fn changes(&mut self) -> mpsc::UnboundedReceiver<T> {
        let (sender, receiver) = mpsc::unbounded();
        self.subscribers.push(sender);
        receiver
    }

    /// Makes `value` the latest and sends it to every subscriber still listening.
    pub(crate) fn publish(&mut self, value: T) {
        self.subscribers
            .retain(|subscriber| subscriber.unbounded_send(value.clone()).is_ok());
        self.latest = Some(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything `receiver` holds now, without waiting.
    fn drain(receiver: &mut mpsc::UnboundedReceiver<u32>) -> Vec<u32> {
        std::iter::from_fn(|| receiver.try_recv().ok()).collect()
    }

    #[test]
    fn a_watcher_gets_the_latest_then_every_change_and_an_event_listener_only_changes() {
        let mut broadcast = Broadcast::default();
        let mut early = broadcast.watch();
        broadcast.publish(1);
        let mut late = broadcast.watch();
        let mut events = broadcast.changes();
        broadcast.publish(2);
        assert_eq!(drain(&mut early), [1, 2]);
        assert_eq!(drain(&mut late), [1, 2]);
        assert_eq!(drain(&mut events), [2]);
        assert_eq!(drain(&mut broadcast.watch()), [2]);
    }

    #[test]
    fn an_initial_value_is_watched_before_anything_is_published() {
        let mut broadcast = Broadcast::starting_at(7);
        assert_eq!(drain(&mut broadcast.watch()), [7]);
    }

    #[test]
    fn a_dropped_subscriber_is_forgotten_at_the_next_publish() {
        let mut broadcast = Broadcast::default();
        let kept = broadcast.watch();
        drop(broadcast.watch());
        broadcast.publish(1);
        assert_eq!(broadcast.subscribers.len(), 1);
        drop(kept);
    }
}
