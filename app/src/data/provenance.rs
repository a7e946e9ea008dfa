//! Where a value on screen comes from, as one value: which block confirms it, who vouches for it
//! (the light client or a trusted RPC node), when it was last confirmed and why the last refresh
//! failed. Every surface that states provenance (pages, table exports, chart SVGs, embed footers)
//! takes its words from the functions here, so none can say "verified" about unverified data.

use light_client::client::QueryError;
use light_client::model::{Snapshot, Source};

use crate::format;

/// A finalized block: number and `0x` hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockId {
    /// Block number.
    pub number: u64,
    /// Block hash, `0x`-prefixed hex.
    pub hash: String,
}

/// A refresh that failed while older data stayed on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshFailure {
    /// The block the failed attempt tried to read.
    pub at_block: u64,
    /// Why it failed (typed until rendered).
    pub error: QueryError,
}

/// The complete provenance of one live value.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// Who vouches for the value.
    pub source: Source,
    /// The block the value was first read at (charts and SVG downloads are drawn from it).
    pub read_at: BlockId,
    /// The newest finalized block whose state gave the same value (exports are stamped with it).
    pub confirmed: BlockId,
    /// When `confirmed` was last advanced, in milliseconds since the epoch (the page's clock).
    pub confirmed_at_ms: f64,
    /// The last refresh's failure, cleared by the next success.
    pub refresh_failure: Option<RefreshFailure>,
}

/// The provenance words a chart carries: the line stamped into its SVG and the part of its
/// download's file name that says which blocks it shows and whether all were verified.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartStamp {
    /// Stamped along the SVG's bottom.
    pub text: String,
    /// In the file name after the topic (`block-123`, `blocks-100-200-with-imported`).
    pub file_suffix: String,
}

/// The stamp of a chart of recorded history from block `first` to `last`, `imported` of its
/// points read from an imported file (every other point was verified by the light client when
/// this browser recorded it: trusted-RPC data is never recorded).
pub fn history_stamp(first: u64, last: u64, imported: usize) -> ChartStamp {
    let imported_note = match imported {
        0 => String::new(),
        1 => " · 1 point imported, not verified here".to_string(),
        n => format!(" · {n} points imported, not verified here"),
    };
    ChartStamp {
        text: format!(
            "Taoscope · history recorded in this browser, each point verified by light client · {} – {}{imported_note}",
            format::block(first),
            format::block(last)
        ),
        file_suffix: format!(
            "blocks-{first}-{last}{}",
            if imported > 0 { "-with-imported" } else { "" }
        ),
    }
}

/// How a history's points are vouched for, in one line beside its charts and tables.
pub fn history_label(points: usize, imported: usize) -> String {
    match imported {
        0 => format!("{points} points recorded in this browser · each verified by light client when recorded"),
        n => format!(
            "{points} points · {} verified by light client in this browser, {n} imported (not verified here)",
            points - n
        ),
    }
}

/// How a provenance reads when the page's clock says `now_ms` and the chain's connection is as
/// `connection` says: fresh, stale, or failing.
#[derive(Debug, Clone, PartialEq)]
pub enum Freshness {
    /// Confirmed recently, last refresh fine.
    Fresh,
    /// The last refresh failed; the data is from `since`.
    RefreshFailed {
        /// The newest block that confirmed the data on screen.
        since: u64,
        /// Why the refresh failed.
        reason: String,
    },
    /// No block has confirmed the data for `seconds`.
    Stale {
        /// Seconds since the last confirmation.
        seconds: u64,
    },
    /// The client has no peer (or its RPC node is gone): nothing new can arrive.
    Disconnected,
}

/// Seconds after which data that no new finalized block confirmed is called stale (finney
/// finalizes every 12–24 s; the devnet every 2–4 s).
pub const STALE_AFTER_SECONDS: f64 = 60.0;

impl Provenance {
    /// The provenance of a freshly read snapshot, confirmed `now_ms`.
    pub fn of_snapshot<T>(snapshot: &Snapshot<T>, now_ms: f64) -> Provenance {
        let block = BlockId {
            number: snapshot.block_number,
            hash: snapshot.block_hash.clone(),
        };
        Provenance {
            source: snapshot.source.clone(),
            read_at: block.clone(),
            confirmed: block,
            confirmed_at_ms: now_ms,
            refresh_failure: None,
        }
    }

    /// True only when the light client verified the value.
    pub fn is_verified(&self) -> bool {
        self.source.is_verified()
    }

    /// Seconds since the value was last confirmed.
    pub fn age_seconds(&self, now_ms: f64) -> f64 {
        ((now_ms - self.confirmed_at_ms) / 1000.0).max(0.0)
    }

    /// "Verified by light client" or "Unverified · HOST".
    pub fn label(&self) -> String {
        source_label(&self.source)
    }

    /// The line stamped into a chart's SVG drawn from this value.
    pub fn svg_stamp(&self) -> String {
        let who = match &self.source {
            Source::LightClient => "verified by light client".to_string(),
            Source::TrustedRpc { host } => format!("UNVERIFIED · from trusted RPC node {host}"),
        };
        format!(
            "Taoscope · {who} · finalized {} · {}",
            format::block(self.read_at.number),
            format::short(&self.read_at.hash)
        )
    }

    /// What a chart drawn from this value says about it, and its download's file name part.
    pub fn chart_stamp(&self) -> ChartStamp {
        ChartStamp {
            text: self.svg_stamp(),
            file_suffix: format!(
                "block-{}{}",
                self.read_at.number,
                if self.is_verified() { "" } else { "-unverified" }
            ),
        }
    }

    /// The short line in an embed's footer: "verified · #N" or "Unverified · HOST · #N".
    pub fn footer_label(&self) -> String {
        match &self.source {
            Source::LightClient => format!("verified · {}", format::block(self.confirmed.number)),
            Source::TrustedRpc { host } => format!("Unverified · {host} · {}", format::block(self.confirmed.number)),
        }
    }

    /// What state the data on screen is in.
    pub fn freshness(&self, now_ms: f64, connected: bool) -> Freshness {
        if let Some(failure) = &self.refresh_failure {
            return Freshness::RefreshFailed {
                since: self.confirmed.number,
                reason: failure.error.to_string(),
            };
        }
        if !connected {
            return Freshness::Disconnected;
        }
        let age = self.age_seconds(now_ms);
        if age > STALE_AFTER_SECONDS {
            Freshness::Stale { seconds: age as u64 }
        } else {
            Freshness::Fresh
        }
    }
}

/// "Verified by light client" or "Unverified · HOST" for a client's source.
pub fn source_label(source: &Source) -> String {
    match source {
        Source::LightClient => "Verified by light client".to_string(),
        Source::TrustedRpc { host } => format!("Unverified · {host}"),
    }
}

impl Freshness {
    /// The sentence shown beside the data, if any.
    pub fn notice(&self, confirmed: u64) -> Option<String> {
        match self {
            Freshness::Fresh => None,
            Freshness::RefreshFailed { since, reason } => {
                Some(format!("Couldn't refresh since {}: {reason}", format::block(*since)))
            }
            Freshness::Stale { seconds } => Some(format!(
                "Stale: no new finalized block has confirmed this for {} (showing {})",
                format::age(*seconds).trim_end_matches(" ago"),
                format::block(confirmed)
            )),
            Freshness::Disconnected => Some(format!("No peers: showing data from {}", format::block(confirmed))),
        }
    }
}

#[cfg(test)]
mod tests {
    use light_client::ChainError;

    use super::*;

    fn snapshot(source: Source) -> Snapshot<u8> {
        Snapshot {
            block_number: 197,
            block_hash: format!("0x{}", "ab".repeat(32)),
            source,
            data: 1,
        }
    }

    fn trusted() -> Source {
        Source::TrustedRpc {
            host: "node.example".into(),
        }
    }

    #[test]
    fn unverified_data_never_reads_as_verified_anywhere() {
        let provenance = Provenance::of_snapshot(&snapshot(trusted()), 0.0);
        assert!(!provenance.is_verified());
        for text in [provenance.label(), provenance.svg_stamp(), provenance.footer_label()] {
            assert!(text.contains("node.example"), "{text}");
            assert!(!text.to_lowercase().contains("verified by"), "{text}");
            assert!(!text.starts_with("verified") && !text.contains("✓"), "{text}");
        }
        assert_eq!(provenance.label(), "Unverified · node.example");
        assert_eq!(provenance.footer_label(), "Unverified · node.example · #197");
        assert!(provenance.svg_stamp().contains("UNVERIFIED"));
    }

    #[test]
    fn verified_data_says_so_with_its_block() {
        let provenance = Provenance::of_snapshot(&snapshot(Source::LightClient), 0.0);
        assert_eq!(provenance.label(), "Verified by light client");
        assert_eq!(provenance.footer_label(), "verified · #197");
        assert_eq!(
            provenance.svg_stamp(),
            format!(
                "Taoscope · verified by light client · finalized #197 · {}",
                format::short(&provenance.read_at.hash)
            )
        );
    }

    #[test]
    fn freshness_follows_failures_connection_and_age() {
        let mut provenance = Provenance::of_snapshot(&snapshot(Source::LightClient), 1_000.0);
        assert_eq!(provenance.freshness(30_000.0, true), Freshness::Fresh);
        assert_eq!(provenance.freshness(30_000.0, false), Freshness::Disconnected);
        assert_eq!(provenance.freshness(71_000.0, true), Freshness::Stale { seconds: 70 });
        provenance.refresh_failure = Some(RefreshFailure {
            at_block: 199,
            error: QueryError::Chain(ChainError::Unexpected("boom".into())),
        });
        let failed = provenance.freshness(2_000.0, true);
        assert!(
            matches!(&failed, Freshness::RefreshFailed { since: 197, .. }),
            "{failed:?}"
        );
        let notice = failed.notice(197).unwrap();
        assert!(notice.starts_with("Couldn't refresh since #197: "), "{notice}");
        assert!(notice.contains("boom"), "{notice}");
        assert_eq!(Freshness::Fresh.notice(197), None);
        assert!(Freshness::Stale { seconds: 70 }.notice(197).unwrap().contains("#197"));
    }
}
