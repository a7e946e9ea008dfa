//! Live queries: re-run a query on each new finalized block and report only what changed. Blocks
//! that arrive while a query runs collapse into one re-run at the newest, so a slow query never
//! builds a backlog. A plain stream: no task is spawned, the consumer drives it.

use std::future::Future;

use futures::channel::mpsc;
use futures::{Stream, StreamExt};

use crate::chain::BlockRef;
use crate::model::Snapshot;

/// What one re-run found.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveUpdate<T, E> {
    /// The value differs from the last one reported (or is the first).
    Changed(Snapshot<T>),
    /// Same value as before, now confirmed at a newer finalized block.
    Unchanged {
        /// The newer block's number.
        block_number: u64,
        /// Its hash.
        block_hash: String,
    },
    /// The query failed at this block; the last reported value still stands.
    Failed {
        /// The block the query was run at.
        block_number: u64,
        /// Why it failed.
        error: E,
    },
}

struct State<Q, T> {
    blocks: mpsc::UnboundedReceiver<BlockRef>,
    query: Q,
    last: Option<T>,
}

/// Runs `query` at each block of `blocks` (newest first when several are waiting) and yields what
/// changed. Ends when `blocks` ends.
pub fn updates<T, E, Q, Fut>(
    blocks: mpsc::UnboundedReceiver<BlockRef>,
    query: Q,
) -> impl Stream<Item = LiveUpdate<T, E>>
where
    T: PartialEq + Clone,
    Q: FnMut(BlockRef) -> Fut,
    Fut: Future<Output = Result<Snapshot<T>, E>>,
{
    let state = State {
        blocks,
        query,
        last: None,
    };
    futures::stream::unfold(state, |mut state| async move {
        let mut block = state.blocks.next().await?;
        while let Ok(newer) = state.blocks.try_recv() {
            block = newer;
        }
        let update = match (state.query)(block.clone()).await {
            Ok(snapshot) if state.last.as_ref() == Some(&snapshot.data) => LiveUpdate::Unchanged {
                block_number: snapshot.block_number,
                block_hash: snapshot.block_hash,
            },
            Ok(snapshot) => {
                state.last = Some(snapshot.data.clone());
                LiveUpdate::Changed(snapshot)
            }
            Err(error) => LiveUpdate::Failed {
                block_number: block.number,
                error,
            },
        };
        Some((update, state))
    })
}

// Native only: they drive futures with the native platform's executor.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn block(number: u64) -> BlockRef {
        BlockRef {
            number,
            hash: format!("0x{number:02x}"),
            runtime: None,
        }
    }

    #[test]
    fn reports_changes_confirmations_and_failures_and_skips_stale_blocks() {
        let (sender, blocks) = mpsc::unbounded();
        for number in [1, 2, 3] {
            sender.unbounded_send(block(number)).unwrap();
        }
        let mut queried = Vec::new();
        let updates: Vec<LiveUpdate<u64, String>> = crate::platform::block_on(async {
            let mut stream = Box::pin(updates(blocks, |block: BlockRef| {
                queried.push(block.number);
                let number = block.number;
                async move {
                    match number {
                        5 => Err("peer gone".to_string()),
                        _ => Ok(Snapshot {
                            block_number: number,
                            block_hash: block.hash,
                            source: crate::model::Source::LightClient,
                            data: number / 4,
                        }),
                    }
                }
            }));
            let mut seen = vec![stream.next().await.unwrap()];
            for number in [4, 5, 8] {
                sender.unbounded_send(block(number)).unwrap();
                seen.push(stream.next().await.unwrap());
            }
            drop(sender);
            assert!(stream.next().await.is_none(), "ends with the blocks");
            seen
        });
        assert_eq!(queried, [3, 4, 5, 8], "blocks 1 and 2 were already stale");
        assert!(matches!(&updates[0], LiveUpdate::Changed(s) if s.block_number == 3 && s.data == 0));
        assert!(matches!(&updates[1], LiveUpdate::Changed(s) if s.data == 1));
        assert_eq!(
            updates[2],
            LiveUpdate::Failed {
                block_number: 5,
                error: "peer gone".into()
            }
        );
        assert_eq!(
            updates[3],
            LiveUpdate::Changed(Snapshot {
                block_number: 8,
                block_hash: "0x08".into(),
                source: crate::model::Source::LightClient,
                data: 2
            })
        );
    }

    #[test]
    fn an_equal_value_is_only_confirmed() {
        let (sender, blocks) = mpsc::unbounded();
        sender.unbounded_send(block(1)).unwrap();
        sender.unbounded_send(block(2)).unwrap();
        let constant = |block: BlockRef| async move {
            Ok::<_, String>(Snapshot {
                block_number: block.number,
                block_hash: block.hash,
                source: crate::model::Source::LightClient,
                data: "same",
            })
        };
        crate::platform::block_on(async {
            let mut stream = Box::pin(updates(blocks, constant));
            assert!(matches!(stream.next().await, Some(LiveUpdate::Changed(_))));
            sender.unbounded_send(block(3)).unwrap();
            assert_eq!(
                stream.next().await,
                Some(LiveUpdate::Unchanged {
                    block_number: 3,
                    block_hash: "0x03".into()
                })
            );
        });
    }
}
