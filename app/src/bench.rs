//! The browser side of `cargo xtask bench` that no view exercises on its own: loading the whole
//! network (every subnet's metagraph) and comparing, per view, storage reads with runtime calls.
//! It runs its own clients (never the page's), so the numbers do not depend on what the views do;
//! `tests/e2e/bench.mjs` calls it as `window.wasmBindings.bench_whole_network(…)`.

use std::sync::Arc;

use futures::{FutureExt, StreamExt};
use light_client::BlockRef;
use light_client::RuntimeApiRead;
use light_client::client::{LightClient, RequestMeter, Rounds};
use light_client::model::SyncStatus;
use light_client::platform;
use wasm_bindgen::prelude::*;

/// Repetitions of each strategy measurement.
const STRATEGY_RUNS: usize = 3;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// A plain JS object built field by field.
struct Report(js_sys::Object);

impl Report {
    fn new() -> Self {
        Report(js_sys::Object::new())
    }

    fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = js_sys::Reflect::set(&self.0, &key.into(), &value.into());
        self
    }
}

fn numbers(values: &[f64]) -> JsValue {
    values
        .iter()
        .map(|v| JsValue::from(*v))
        .collect::<js_sys::Array>()
        .into()
}

/// Bytes received so far: from peers for the light client, from RPC nodes for the trusted one.
fn received(verified: bool) -> f64 {
    let traffic = platform::traffic();
    if verified {
        traffic.from_peers.unwrap_or(0) as f64
    } else {
        traffic.from_rpc_nodes as f64
    }
}

/// The newest finalized block once the client is in step with the chain.
async fn synced_block(client: &LightClient) -> Result<BlockRef, String> {
    if client.is_verified() {
        let mut statuses = client.sync_status();
        while let Some(status) = statuses.next().await {
            if matches!(status, SyncStatus::Ready { .. }) {
                break;
            }
        }
    }
    // Let the follower deliver every block finalized so far, then take the newest.
    let mut blocks = client.finalized_blocks();
    let mut newest = blocks.next().await.ok_or("the client stopped following the chain")?;
    gloo_timers::future::TimeoutFuture::new(500).await;
    while let Some(Some(block)) = blocks.next().now_or_never() {
        newest = block;
    }
    Ok(newest)
}

/// Every subnet, then every subnet's metagraph (as the views read it, or item by item from
/// storage), `parallel` metagraphs in flight at once, at `block`: time to the subnet list, to the
/// first metagraph and to the last, bytes received, value bytes.
async fn load_whole_network(
    client: &LightClient,
    block: &BlockRef,
    from_storage: bool,
    parallel: usize,
) -> Result<Report, String> {
    // Every metagraph describes the same block, however long the load takes.
    let _hold = client.hold(block);
    let (bytes_before, values_before, started) = (received(client.is_verified()), client.value_bytes_read(), now_ms());
    let subnets = client.subnets(block).await.map_err(|e| e.to_string())?.data;
    let subnet_list_ms = now_ms() - started;
    let loads = subnets.iter().map(|subnet| {
        let client = client.clone();
        let block = block.clone();
        let netuid = subnet.netuid;
        async move {
            let read = if from_storage {
                client.metagraph_from_storage(&block, netuid, 0).await
            } else {
                client.metagraph(&block, netuid).await
            };
            read.map_err(|e| format!("metagraph({netuid}): {e}"))
        }
    });
    // Metagraphs arrive in the order they finish, as a view streaming them would show them.
    let mut arriving = futures::stream::iter(loads).buffer_unordered(parallel.max(1));
    let (mut neurons, mut first_metagraph_ms) = (0, None);
    while let Some(metagraph) = arriving.next().await {
        first_metagraph_ms.get_or_insert_with(|| now_ms() - started);
        neurons += metagraph?.data.neurons.len();
    }
    let elapsed = now_ms() - started;
    Ok(Report::new()
        .set("parallel", parallel as f64)
        .set("ms", elapsed)
        .set("subnet_list_ms", subnet_list_ms)
        .set("first_metagraph_ms", first_metagraph_ms.unwrap_or(elapsed))
        .set("subnets", subnets.len() as f64)
        .set("neurons", neurons as f64)
        .set("bytes_received", received(client.is_verified()) - bytes_before)
        .set("value_bytes", (client.value_bytes_read() - values_before) as f64))
}

/// Every subnet, then every metagraph as batched storage proofs (`LightClient::whole_network`)
/// cut into requests as `rounds` says, at most `in_flight` at once: the figures of
/// `load_whole_network`, with the requests sent and the most that were in flight.
async fn load_whole_network_batched(
    client: &LightClient,
    block: &BlockRef,
    rounds: Rounds,
    in_flight: usize,
) -> Result<Report, String> {
    let _hold = client.hold(block);
    let (bytes_before, values_before, started) = (received(client.is_verified()), client.value_bytes_read(), now_ms());
    let subnets = client.subnets(block).await.map_err(|e| e.to_string())?.data;
    let subnet_list_ms = now_ms() - started;
    let meter = Arc::new(RequestMeter::default());
    let netuids = subnets.iter().map(|subnet| subnet.netuid).collect();
    let mut arriving = client.whole_network(block, netuids, rounds, in_flight, meter.clone());
    let (mut neurons, mut first_metagraph_ms) = (0, None);
    while let Some(metagraph) = arriving.next().await {
        first_metagraph_ms.get_or_insert_with(|| now_ms() - started);
        neurons += metagraph.map_err(|e| format!("whole_network: {e}"))?.data.neurons.len();
    }
    let elapsed = now_ms() - started;
    let rounds = match rounds {
        Rounds::KeySorted => "key-sorted",
        Rounds::PerSubnet => "per subnet",
    };
    Ok(Report::new()
        .set("rounds", rounds)
        .set("parallel", in_flight as f64)
        .set("ms", elapsed)
        .set("subnet_list_ms", subnet_list_ms)
        .set("first_metagraph_ms", first_metagraph_ms.unwrap_or(elapsed))
        .set("subnets", subnets.len() as f64)
        .set("neurons", neurons as f64)
        .set("requests", meter.sent() as f64)
        .set("max_in_flight", meter.max_in_flight() as f64)
        .set("bytes_received", received(client.is_verified()) - bytes_before)
        .set("value_bytes", (client.value_bytes_read() - values_before) as f64))
}

/// Waits (up to 60 s) until the light client has `peers` peers, and returns how many it has.
async fn wait_for_peers(client: &LightClient, peers: u32) -> u32 {
    let mut statuses = client.sync_status();
    let mut seen = 0;
    let deadline = now_ms() + 60_000.0;
    while now_ms() < deadline {
        let next = statuses.next().fuse();
        let timeout = gloo_timers::future::TimeoutFuture::new(1_000).fuse();
        futures::pin_mut!(next, timeout);
        futures::select! {
            status = next => match status {
                Some(SyncStatus::Ready { peers: now } | SyncStatus::Syncing { peers: now, .. }) => seen = now,
                Some(_) => {}
                None => break,
            },
            () = timeout => {}
        }
        if seen >= peers {
            break;
        }
    }
    seen
}

/// The whole network loaded once per entry of `concurrency` (metagraphs in flight), in order.
async fn sweep(client: &LightClient, block: &BlockRef, concurrency: &[u32]) -> Result<js_sys::Array, String> {
    let loads = js_sys::Array::new();
    for &parallel in concurrency {
        loads.push(&load_whole_network(client, block, false, parallel as usize).await?.0);
    }
    Ok(loads)
}

/// Time (ms) and bytes received by each of `runs` repetitions of `load`.
async fn measure<F, Fut>(verified: bool, runs: usize, load: F) -> Result<Report, String>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<usize, String>>,
{
    let (mut times, mut bytes, mut size) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        let (before, started) = (received(verified), now_ms());
        size = load().await?;
        times.push(now_ms() - started);
        bytes.push(received(verified) - before);
    }
    Ok(Report::new()
        .set("ms", numbers(&times))
        .set("bytes_received", numbers(&bytes))
        .set("data_bytes", size as f64))
}

/// Per view, storage reads (what the views do) against the runtime call that could replace them.
async fn compare_strategies(client: &LightClient, block: &BlockRef, netuid: u16) -> Result<Report, String> {
    let _hold = client.hold(block);
    let verified = client.is_verified();
    let subnets_storage = measure(verified, STRATEGY_RUNS, || async {
        let values = client.value_bytes_read();
        client.subnets(block).await.map_err(|e| e.to_string())?;
        Ok((client.value_bytes_read() - values) as usize)
    })
    .await?;
    let subnets_call = measure(verified, STRATEGY_RUNS, || async {
        client
            .runtime_api(block, RuntimeApiRead::AllDynamicInfo)
            .await
            .map_err(|e| e.to_string())
    })
    .await?;
    let metagraph_storage = measure(verified, STRATEGY_RUNS, || async {
        let values = client.value_bytes_read();
        client
            .metagraph_from_storage(block, netuid, 0)
            .await
            .map_err(|e| e.to_string())?;
        Ok((client.value_bytes_read() - values) as usize)
    })
    .await?;
    // The call as the view makes it: `get_selective_metagraph` with the reads made alongside.
    let metagraph_call = measure(verified, STRATEGY_RUNS, || async {
        let values = client.value_bytes_read();
        client.metagraph(block, netuid).await.map_err(|e| e.to_string())?;
        Ok((client.value_bytes_read() - values) as usize)
    })
    .await?;
    Ok(Report::new()
        .set(
            "subnets_view",
            Report::new()
                .set("storage_reads", subnets_storage.0)
                .set("runtime_call_get_all_dynamic_info", subnets_call.0)
                .0,
        )
        .set(
            "metagraph_view",
            Report::new()
                .set("netuid", f64::from(netuid))
                .set("storage_reads", metagraph_storage.0)
                .set("runtime_call_get_selective_metagraph_with_reads", metagraph_call.0)
                .0,
        ))
}

/// Starts a light client on the chain spec at `spec_url` (from the checkpoint at `checkpoint_url`
/// when not empty), waits until it is in step and has `peers` peers (60 s at most), loads the whole
/// network as batched storage proofs (key-sorted rounds, then per subnet; `batched_in_flight`
/// requests at once), then as the views
/// read it once per entry of `concurrency` (and item by item from storage when
/// `storage_reads_too`) and compares strategies on subnet `netuid`; then loads the whole network
/// through the trusted node at `rpc_url` the same ways.
#[wasm_bindgen]
#[allow(
    clippy::too_many_arguments,
    reason = "an export to JavaScript, whose positional arguments are bench.mjs's one call"
)]
pub async fn bench_whole_network(
    spec_url: String,
    checkpoint_url: String,
    rpc_url: String,
    netuid: u16,
    concurrency: Vec<u32>,
    storage_reads_too: bool,
    batched_in_flight: u32,
    peers: u32,
) -> Result<JsValue, JsValue> {
    let run = async {
        if concurrency.is_empty() {
            return Err("no concurrency to load the whole network with".to_string());
        }
        let spec = fetch_required_text(&spec_url, "the chain spec").await?;
        let checkpoint = if checkpoint_url.is_empty() {
            String::new()
        } else {
            fetch_required_text(&checkpoint_url, "the checkpoint").await?
        };
        let started = now_ms();
        let light = LightClient::start(&spec, &checkpoint).map_err(|e| e.to_string())?;
        let block = synced_block(&light).await?;
        // One block for every measurement below, however long they take together.
        let hold = light.hold(&block);
        let sync_ms = now_ms() - started;
        let peers_seen = wait_for_peers(&light, peers).await;
        let batched = js_sys::Array::new();
        for rounds in [Rounds::KeySorted, Rounds::PerSubnet] {
            batched.push(
                &load_whole_network_batched(&light, &block, rounds, batched_in_flight as usize)
                    .await?
                    .0,
            );
        }
        let light_loads = sweep(&light, &block, &concurrency).await?;
        let mut report = Report::new()
            .set("light_client_sync_ms", sync_ms)
            .set("peers", f64::from(peers_seen))
            .set("light_client_batched", batched)
            .set("light_client", light_loads);
        if storage_reads_too {
            let parallel = concurrency.first().copied().unwrap_or(1) as usize;
            let storage_load = load_whole_network(&light, &block, true, parallel).await?;
            report = report.set("light_client_storage_reads", storage_load.0);
        }
        let strategies = compare_strategies(&light, &block, netuid).await?;
        drop(hold);
        drop(light);

        let trusted = LightClient::connect_rpc(&rpc_url, &spec)
            .await
            .map_err(|e| e.to_string())?;
        let block = synced_block(&trusted).await?;
        let rpc_batched =
            load_whole_network_batched(&trusted, &block, Rounds::KeySorted, batched_in_flight as usize).await?;
        let rpc_loads = sweep(&trusted, &block, &concurrency).await?;
        Ok::<_, String>(
            report
                .set("rpc_batched", rpc_batched.0)
                .set("rpc", rpc_loads)
                .set("strategies", strategies.0),
        )
    };
    run.await.map(|report| report.0.into()).map_err(JsValue::from)
}

/// A file the site must serve (`what` names it in errors).
async fn fetch_required_text(url: &str, what: &str) -> Result<String, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|error| format!("cannot load {what} {url}: {error}"))?;
    if !response.ok() {
        return Err(format!("cannot load {what} {url}: HTTP {}", response.status()));
    }
    response
        .text()
        .await
        .map_err(|error| format!("cannot read {what} {url}: {error}"))
}
