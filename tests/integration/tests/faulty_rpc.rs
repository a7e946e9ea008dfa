//! Fault row 9, trusted RPC nodes that misbehave: a node that accepts the WebSocket and then never
//! answers, one that answers with a message that is not JSON, one that answers with 50 MB, and one
//! of another chain (another genesis hash). Each must be refused with a typed error that names the
//! fault, in a bounded time, instead of a page that waits forever. The row's line gives the time
//! each took to be refused.

use std::time::{Duration, Instant};

use futures::StreamExt;
use light_client::client::LightClient;
use light_client::platform;
use light_client::rpc::{MAX_MESSAGE_BYTES, REQUEST_DEADLINE};
use light_client::transport::StartError;
use taoscope_integration_tests::{fault_row_passed, within};

/// How a fake node answers the first request it gets.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// Never answers (but keeps the connection open).
    Stalls,
    /// Answers with text that is not JSON.
    Garbles,
    /// Answers with one 50 MB message.
    Floods,
    /// Answers as a node of another chain: a genesis hash that is not the spec's.
    OtherGenesis,
}

/// Starts a WebSocket server on 127.0.0.1 that misbehaves as `fault` on every connection;
/// returns its `ws://` URL.
fn faulty_node(fault: Fault) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let url = format!("ws://{}", listener.local_addr().expect("its address"));
    let listener = smol::net::TcpListener::try_from(listener).expect("an async listener");
    platform::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            platform::spawn(serve(socket, fault));
        }
    });
    url
}

async fn serve(socket: smol::net::TcpStream, fault: Fault) {
    use soketto::handshake::{Server, server::Response};
    let mut server = Server::new(socket);
    let Ok(request) = server.receive_request().await else {
        return;
    };
    let key = request.key();
    if server
        .send_response(&Response::Accept { key, protocol: None })
        .await
        .is_err()
    {
        return;
    }
    let (mut sender, mut receiver) = server.into_builder().finish();
    let mut message = Vec::new();
    if receiver.receive_data(&mut message).await.is_err() {
        return;
    }
    let answer = match fault {
        Fault::Stalls => {
            // Hold the connection open past the client's deadline.
            platform::sleep(REQUEST_DEADLINE + Duration::from_secs(30)).await;
            return;
        }
        Fault::Garbles => "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":".to_string(),
        Fault::Floods => format!(
            "{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x{}\"}}",
            "00".repeat(25 * 1024 * 1024)
        ),
        Fault::OtherGenesis => format!("{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x{}\"}}", "22".repeat(32)),
    };
    let _ = sender.send_text_owned(answer).await;
    let _ = sender.flush().await;
    // Keep the connection open: the client must not rely on it closing.
    platform::sleep(Duration::from_secs(60)).await;
}

#[test]
#[ignore = "a fault row, run by the fault tier of `cargo xtask test`"]
fn row_09_misbehaving_rpc_nodes_are_refused_with_the_fault_named() {
    // The client only needs the spec's genesis hash to compare with the node's: a spec of
    // genesis facts (a state root) gives one, and no node of that chain is needed.
    let spec = serde_json::json!({
        "name": "Fault rows", "id": "fault_rows", "chainType": "Live", "bootNodes": [],
        "genesis": { "stateRootHash": format!("0x{}", "11".repeat(32)) },
    })
    .to_string();
    assert!(
        light_client::chain_spec::genesis_hash(&spec).is_ok(),
        "a spec with a genesis hash"
    );
    const { assert!(50 * 1024 * 1024 > MAX_MESSAGE_BYTES, "the flood is over the limit") };
    platform::block_on(async {
        let row = |fault: Fault| {
            let spec = spec.clone();
            async move {
                let url = faulty_node(fault);
                let started = Instant::now();
                let outcome = within(
                    REQUEST_DEADLINE.as_secs() + 30,
                    "a faulty node's refusal",
                    LightClient::connect_rpc(&url, &spec),
                )
                .await;
                (fault, started.elapsed(), outcome.err())
            }
        };
        let faults = [Fault::Stalls, Fault::Garbles, Fault::Floods, Fault::OtherGenesis];
        let rows = futures::stream::iter(faults)
            .map(row)
            .buffer_unordered(faults.len())
            .collect::<Vec<_>>()
            .await;
        let mut figures = Vec::new();
        for (fault, took, error) in rows {
            let error = error.unwrap_or_else(|| panic!("{fault:?}: a misbehaving node was accepted"));
            match (fault, &error) {
                (Fault::OtherGenesis, StartError::WrongChain { found, .. }) => {
                    assert_eq!(found, &format!("0x{}", "22".repeat(32)), "{error}");
                }
                (Fault::OtherGenesis, _) => panic!("{fault:?}: expected WrongChain, got {error}"),
                (_, StartError::NoGenesis { reason, .. }) => {
                    let expected = match fault {
                        Fault::Stalls => format!("no answer within {} s", REQUEST_DEADLINE.as_secs()),
                        Fault::Garbles => "not JSON".to_string(),
                        _ => format!("over the {} MB limit", MAX_MESSAGE_BYTES / (1024 * 1024)),
                    };
                    assert!(reason.contains(&expected), "{fault:?}: {reason}");
                }
                _ => panic!("{fault:?}: expected NoGenesis, got {error}"),
            }
            println!("    {fault:?}: {error}");
            figures.push(format!("{fault:?} refused in {:.1} s", took.as_secs_f64()));
        }
        fault_row_passed(
            9,
            "trusted RPC nodes that stall, garble, flood or serve another chain",
            &figures.join(", "),
        );
    });
}
