//! JSON-RPC over HTTP to the devnet's own nodes (what the independent read tests compare against,
//! and the runner's readiness checks), through `ureq`. Only 127.0.0.1, so no TLS and no proxy.

use std::sync::OnceLock;
use std::time::Duration;

use crate::RunnerError;

/// One agent for every call: no proxy from the environment (the nodes are local), no pooled
/// connections (a node that was killed and restarted must not be reached through a dead socket),
/// and, as before, at most 60 s for each read, so a hung node fails the call.
fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .proxy(None)
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .timeout_per_read(Some(Duration::from_secs(60)))
            .build()
            .into()
    })
}

/// Calls `method` with `params` on the node whose RPC listens on 127.0.0.1:`port`.
pub fn rpc_call(port: u16, method: &str, params: serde_json::Value) -> Result<serde_json::Value, RunnerError> {
    let fail = |message: String| RunnerError::Rpc {
        method: method.to_string(),
        message,
    };
    let body = serde_json::json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
    let mut response = agent()
        .post(format!("http://127.0.0.1:{port}/"))
        .header("Content-Type", "application/json")
        .send(body)
        .map_err(|e| fail(e.to_string()))?;
    // Whole-chain reads on the finney-scale preset exceed ureq's 10 MB default; the node is ours.
    let text = response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .read_to_string()
        .map_err(|e| fail(format!("read: {e}")))?;
    let reply: serde_json::Value = serde_json::from_str(&text).map_err(|e| fail(format!("bad JSON: {e}")))?;
    if let Some(error) = reply.get("error") {
        return Err(fail(error.to_string()));
    }
    Ok(reply["result"].clone())
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;

    use super::*;

    /// Answers one HTTP request on a free port with `response` and returns the port and a handle
    /// yielding the JSON body the client sent.
    fn one_reply(response: &'static str) -> (u16, std::thread::JoinHandle<serde_json::Value>) {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            (&stream).write_all(response.as_bytes()).unwrap();
            serde_json::from_slice(&body).unwrap()
        });
        (port, server)
    }

    #[test]
    fn a_chunked_result_is_read() {
        let (port, server) = one_reply(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
             14\r\n{\"jsonrpc\":\"2.0\",\"id\r\n14\r\n\":1,\"result\":\"0x2a\"}\r\n0\r\n\r\n",
        );
        let result = rpc_call(port, "chain_getFinalizedHead", serde_json::json!([]));
        assert_eq!(result.unwrap(), serde_json::json!("0x2a"));
        let request = server.join().unwrap();
        assert_eq!(request["method"], "chain_getFinalizedHead");
        assert_eq!(request["params"], serde_json::json!([]));
    }

    #[test]
    fn a_json_rpc_error_names_the_method() {
        let (port, _server) = one_reply(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 77\r\n\r\n\
             {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}",
        );
        let error = rpc_call(port, "no_such", serde_json::json!([])).unwrap_err();
        assert!(
            error.to_string().starts_with("JSON-RPC no_such: ") && error.to_string().contains("Method not found"),
            "{error}"
        );
    }

    #[test]
    fn a_closed_port_is_an_error_not_a_hang() {
        let port = TcpListener::bind(("127.0.0.1", 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        assert!(matches!(
            rpc_call(port, "system_health", serde_json::json!([])),
            Err(RunnerError::Rpc { method, .. }) if method == "system_health"
        ));
    }
}
