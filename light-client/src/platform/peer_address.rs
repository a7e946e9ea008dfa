//! Which peer addresses a page can dial: browsers forbid plain `ws://` to other hosts from an
//! `https://` page, so such peers are refused up front with a clear message.

/// True when a WebSocket to this peer would be blocked: the page is https, the socket is not
/// secure, and the peer is not on this machine.
pub fn needs_secure_websocket(page_is_https: bool, secure: bool, remote_is_localhost: bool) -> bool {
    page_is_https && !secure && !remote_is_localhost
}

/// Whether a page (https or not) may open a WebSocket to the peer at multiaddr `address`:
/// `/wss` and `/tls/…/ws` are secure; `ws` to 127.0.0.0/8, `::1` or `localhost` is allowed from
/// any page; other plain `ws` only from http pages. Addresses that are not WebSocket multiaddrs
/// are never dialable from a page.
pub fn page_can_dial(address: &str, page_is_https: bool) -> bool {
    let parts: Vec<&str> = address.split('/').collect();
    let websocket = parts.iter().any(|p| *p == "ws" || *p == "wss");
    if !websocket {
        return false;
    }
    let secure = parts.contains(&"wss") || parts.contains(&"tls");
    let local = matches!(
        parts.get(1..3),
        Some(["ip4", host]) if host.starts_with("127.")
    ) || matches!(
        parts.get(1..3),
        Some(["ip6", "::1"]) | Some(["dns" | "dns4" | "dns6", "localhost"])
    );
    !needs_secure_websocket(page_is_https, secure, local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_multiaddrs_a_page_can_dial() {
        let finney = "/dns/bootnode.finney.example/tcp/30333/ws/p2p/12D3KooWAbc";
        assert!(page_can_dial(finney, false), "ws from an http page");
        assert!(!page_can_dial(finney, true), "ws to another host from an https page");
        assert!(page_can_dial("/dns/gw.example/tcp/443/wss/p2p/12D3KooWAbc", true));
        assert!(page_can_dial("/dns/gw.example/tcp/443/tls/ws/p2p/12D3KooWAbc", true));
        assert!(
            page_can_dial("/ip4/127.0.0.1/tcp/30333/ws/p2p/12D3KooWAbc", true),
            "this machine"
        );
        assert!(page_can_dial("/dns/localhost/tcp/30333/ws/p2p/12D3KooWAbc", true));
        assert!(!page_can_dial("/ip4/10.0.0.1/tcp/30333/ws/p2p/12D3KooWAbc", true));
        assert!(
            !page_can_dial("/ip4/127.0.0.1/tcp/30333/p2p/12D3KooWAbc", false),
            "plain TCP is not for browsers"
        );
    }

    #[test]
    fn only_insecure_remote_peers_from_https_pages_are_refused() {
        assert!(needs_secure_websocket(true, false, false));
        assert!(!needs_secure_websocket(true, true, false));
        assert!(!needs_secure_websocket(true, false, true));
        assert!(!needs_secure_websocket(false, false, false));
    }
}
