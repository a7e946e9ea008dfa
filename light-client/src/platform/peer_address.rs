//! Which peer addresses a page can dial: browsers forbid plain `ws://` to other hosts from an
//! `https://` page, so such peers are refused up front with a clear message.

/// True when a WebSocket to this peer would be blocked: the page is https, the socket is not
/// secure, and the peer is not on this machine.
pub fn needs_secure_websocket(page_is_https: bool, secure: bool, remote_is_localhost: bool) -> bool {
    page_is_https && !secure && !remote_is_localhost
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_insecure_remote_peers_from_https_pages_are_refused() {
        assert!(needs_secure_websocket(true, false, false));
        assert!(!needs_secure_websocket(true, true, false));
        assert!(!needs_secure_websocket(true, false, true));
        assert!(!needs_secure_websocket(false, false, false));
    }
}
