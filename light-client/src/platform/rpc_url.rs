//! Trusted JSON-RPC endpoints are WebSocket URLs (`ws://host:port/path`, `wss://…`): parsed once,
//! with the same "this needs wss" rule the light client's peers follow in an https page.

/// Why an RPC endpoint URL was refused.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RpcUrlError {
    /// Not a `ws://` or `wss://` URL with a host.
    #[error("{0:?} is not a WebSocket URL like wss://host or ws://127.0.0.1:9944")]
    NotWebSocket(String),
    /// The port is not a number from 1 to 65535.
    #[error("{0:?} has a bad port")]
    BadPort(String),
}

/// A parsed `ws://` / `wss://` endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcUrl {
    /// `wss://` (TLS).
    pub secure: bool,
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port (default 80 for ws, 443 for wss).
    pub port: u16,
    /// Path and query, at least `/`.
    pub path: String,
}

impl RpcUrl {
    /// Parses `url`.
    pub fn parse(url: &str) -> Result<Self, RpcUrlError> {
        let not_ws = || RpcUrlError::NotWebSocket(url.to_string());
        let trimmed = url.trim();
        let (secure, rest) = if let Some(rest) = trimmed.strip_prefix("wss://") {
            (true, rest)
        } else if let Some(rest) = trimmed.strip_prefix("ws://") {
            (false, rest)
        } else {
            return Err(not_ws());
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(at) if rest[at..].starts_with('/') => (&rest[..at], rest[at..].to_string()),
            Some(at) => (&rest[..at], format!("/{}", &rest[at..])),
            None => (rest, "/".to_string()),
        };
        if authority.contains('@') || authority.chars().any(char::is_whitespace) {
            return Err(not_ws());
        }
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed.split_once(']').ok_or_else(not_ws)?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(not_ws());
        }
        let port = match port {
            None => {
                if secure {
                    443
                } else {
                    80
                }
            }
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|port| *port != 0)
                .ok_or_else(|| RpcUrlError::BadPort(url.to_string()))?,
        };
        Ok(Self {
            secure,
            host: host.to_ascii_lowercase(),
            port,
            path,
        })
    }

    /// True for this machine (`localhost`, 127.0.0.0/8, `::1`), which an https page may reach
    /// over plain `ws://`.
    pub fn is_local(&self) -> bool {
        self.host == "localhost" || self.host.starts_with("127.") || self.host == "::1"
    }
}

impl std::fmt::Display for RpcUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.secure { "wss" } else { "ws" };
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}{}", self.host, self.port, self.path)
        } else {
            write!(f, "{scheme}://{}:{}{}", self.host, self.port, self.path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_ports_and_paths() {
        let url = RpcUrl::parse("wss://entrypoint-finney.opentensor.ai:443").unwrap();
        assert_eq!(
            (url.secure, url.host.as_str(), url.port, url.path.as_str()),
            (true, "entrypoint-finney.opentensor.ai", 443, "/")
        );
        let url = RpcUrl::parse("ws://127.0.0.1:9944/rpc?x=1").unwrap();
        assert_eq!((url.secure, url.port, url.path.as_str()), (false, 9944, "/rpc?x=1"));
        assert!(url.is_local());
        let url = RpcUrl::parse("ws://[::1]:9944").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", 9944));
        assert!(url.is_local());
        assert_eq!(RpcUrl::parse("wss://Example.org/public-ws").unwrap().port, 443);
        assert_eq!(RpcUrl::parse("ws://example.org?a").unwrap().path, "/?a");
        assert_eq!(
            RpcUrl::parse("ws://[::1]:9944/x").unwrap().to_string(),
            "ws://[::1]:9944/x"
        );
        assert_eq!(RpcUrl::parse("wss://a.org").unwrap().to_string(), "wss://a.org:443/");
    }

    #[test]
    fn refuses_what_is_not_a_websocket_url() {
        for bad in [
            "https://example.org",
            "ws://",
            "ws://:9944",
            "javascript:alert(1)",
            "ws://user@host",
            "ws://a b",
        ] {
            assert!(matches!(RpcUrl::parse(bad), Err(RpcUrlError::NotWebSocket(_))), "{bad}");
        }
        for bad in ["ws://host:0", "ws://host:99999", "ws://host:x"] {
            assert!(matches!(RpcUrl::parse(bad), Err(RpcUrlError::BadPort(_))), "{bad}");
        }
    }
}
