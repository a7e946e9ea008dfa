//! The browser platform in a real page (headless Chromium through wasm-bindgen-test-runner): the
//! smoldot `PlatformRef` opens a WebSocket to the devnet node's libp2p port and exchanges bytes,
//! its timers wait, its randomness is random, and the trusted-RPC text socket talks to the node.
//! `cargo xtask test` starts the devnet and passes its addresses at compile time.

#![cfg(target_arch = "wasm32")]

use std::pin::pin;
use std::time::Duration;

use futures::StreamExt;
use light_client::platform::{self, RpcUrl};
use smoldot_light::platform::{Address, PlatformRef};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// The panics are the point: a build without the devnet's addresses cannot run these tests, and
// says which variable it lacks (`clippy` builds them without, for linting only).
#[expect(
    clippy::option_env_unwrap,
    reason = "set by `cargo xtask test`; missing means a misuse, said by name"
)]
fn devnet_rpc() -> &'static str {
    option_env!("TAOSCOPE_DEVNET_RPC").expect("TAOSCOPE_DEVNET_RPC (the devnet's ws:// RPC URL) is set at build time")
}

#[expect(
    clippy::option_env_unwrap,
    reason = "set by `cargo xtask test`; missing means a misuse, said by name"
)]
fn devnet_p2p_port() -> u16 {
    option_env!("TAOSCOPE_DEVNET_P2P_PORT")
        .expect("TAOSCOPE_DEVNET_P2P_PORT (the devnet's libp2p WebSocket port) is set at build time")
        .parse()
        .expect("a port number")
}

#[wasm_bindgen_test]
async fn timers_wait_and_the_clock_moves() {
    let platform = platform::new_platform();
    let before = platform.now();
    let wall_before = platform.now_from_unix_epoch();
    platform.sleep(Duration::from_millis(120)).await;
    let waited = platform.now() - before;
    assert!(waited >= Duration::from_millis(110), "slept {waited:?}");
    assert!(waited < Duration::from_secs(5), "slept {waited:?}");
    assert!(platform.now_from_unix_epoch() > wall_before);
    assert!(
        wall_before > Duration::from_secs(1_700_000_000),
        "wall clock {wall_before:?}"
    );
}

#[wasm_bindgen_test]
fn random_bytes_are_filled_and_differ() {
    let platform = platform::new_platform();
    let (mut first, mut second) = ([0u8; 32], [0u8; 32]);
    platform.fill_random_bytes(&mut first);
    platform.fill_random_bytes(&mut second);
    assert_ne!(first, [0u8; 32]);
    assert_ne!(first, second);
}

/// The node answers libp2p's multistream-select greeting with its own over the platform's stream.
#[wasm_bindgen_test]
async fn a_stream_to_the_node_exchanges_bytes() {
    const GREETING: &[u8] = b"\x13/multistream/1.0.0\n";
    let platform = platform::new_platform();
    let stream = platform
        .connect_stream(Address::WebSocketIp {
            ip: std::net::IpAddr::from([127, 0, 0, 1]),
            port: devnet_p2p_port(),
        })
        .await;
    let mut stream = pin!(stream);
    let mut sent = false;
    let mut received = Vec::new();
    for _ in 0..200 {
        {
            let mut access = platform
                .read_write_access(stream.as_mut())
                .unwrap_or_else(|error| panic!("stream failed: {error}"));
            if !sent && access.write_bytes_queueable.unwrap_or(0) >= GREETING.len() {
                access.write_out(GREETING.to_vec());
                sent = true;
            }
            let bytes = std::mem::take(&mut access.incoming_buffer);
            access.read_bytes += bytes.len();
            received.extend(bytes);
            access.expected_incoming_bytes = Some(1);
        }
        if received.len() >= GREETING.len() {
            break;
        }
        platform.wait_read_write_again(stream.as_mut()).await;
    }
    assert!(sent, "the stream never became writable");
    assert!(received.len() >= GREETING.len(), "received only {received:?}");
    assert_eq!(&received[..GREETING.len()], GREETING, "the node's greeting");
}

/// A refused connection is an error for smoldot, not an exception in the page.
#[wasm_bindgen_test]
async fn a_refused_stream_reports_an_error() {
    let platform = platform::new_platform();
    let stream = platform
        .connect_stream(Address::WebSocketIp {
            ip: std::net::IpAddr::from([127, 0, 0, 1]),
            port: 9,
        })
        .await;
    let mut stream = pin!(stream);
    for _ in 0..100 {
        if platform.read_write_access(stream.as_mut()).is_err() {
            return;
        }
        platform.wait_read_write_again(stream.as_mut()).await;
    }
    panic!("a connection to a closed port never failed");
}

#[wasm_bindgen_test]
async fn the_trusted_rpc_socket_talks_to_the_node() {
    let url = RpcUrl::parse(devnet_rpc()).expect("devnet URL");
    let (outgoing, mut incoming) = platform::open_text_socket(&url).await.expect("the socket opens");
    outgoing
        .unbounded_send(r#"{"jsonrpc":"2.0","id":1,"method":"chainSpec_v1_genesisHash","params":[]}"#.into())
        .expect("sent");
    let answer = incoming.next().await.expect("an answer");
    assert!(answer.contains(r#""result":"0x"#), "{answer}");
    let closed = RpcUrl::parse("ws://127.0.0.1:9").expect("URL");
    assert!(platform::open_text_socket(&closed).await.is_err());
}

/// smoldot's secp256k1 host functions (`ext_crypto_secp256k1_ecdsa_recover*`, which a runtime call
/// may use) go through libsecp256k1's global contexts. The browser build has them built on first
/// use (`lazy-static-context`, light-client/Cargo.toml) instead of shipping 1.1 MB of tables: the
/// same crate build, driven here, must still derive and recover keys. The vector was made with
/// Python's `ecdsa` package (secret key 0x42…42, digest 0x17…17, RFC 6979, low s).
#[wasm_bindgen_test]
fn secp256k1_recovery_works_with_tables_built_on_first_use() {
    const PUBLIC_KEY: &str = "0424653eac434488002cc06bbfb7f10fe18991e35f9fe4302dbea6d2353dc0ab1c\
                              119fc5009a032aa9fe47f5e149bb8442f71f884ccb516590686d8ff6ab91c613";
    const SIGNATURE: &str = "1f7eadc45e3a30374dd7b2db06bfda147ba7452d58f09564d15ed94de365a053\
                             0fe5d641a1b109ea61d95d4e27983a67075cc5d2b61abb5f7194e1e2dd05fc80";
    let expected: Vec<u8> = hex::decode(PUBLIC_KEY).expect("hex");
    // The generator's table (ECMULT_GEN_CONTEXT) is built here, on first use.
    let secret = libsecp256k1::SecretKey::parse(&[0x42; 32]).expect("a valid secret key");
    let derived = libsecp256k1::PublicKey::from_secret_key(&secret).serialize();
    assert_eq!(
        derived.as_slice(),
        expected.as_slice(),
        "public key derived from the secret"
    );
    // Recovery (ECMULT_CONTEXT, the runtime's host function's path): exactly one recovery id
    // gives the signer's key back.
    let signature = libsecp256k1::Signature::parse_standard_slice(&hex::decode(SIGNATURE).expect("hex"))
        .expect("a valid signature");
    let message = libsecp256k1::Message::parse(&[0x17; 32]);
    let matches = (0u8..2)
        .filter(|id| {
            let id = libsecp256k1::RecoveryId::parse(*id).expect("0 or 1");
            libsecp256k1::recover(&message, &signature, &id)
                .is_ok_and(|key| key.serialize().as_slice() == expected.as_slice())
        })
        .count();
    assert_eq!(matches, 1, "one recovery id recovers the signer");
    let other = libsecp256k1::Message::parse(&[0x18; 32]);
    let recovered_for_other = (0u8..2).any(|id| {
        let id = libsecp256k1::RecoveryId::parse(id).expect("0 or 1");
        libsecp256k1::recover(&other, &signature, &id)
            .is_ok_and(|key| key.serialize().as_slice() == expected.as_slice())
    });
    assert!(!recovered_for_other, "another message does not recover the signer");
}
