//! The client people use against the devnet: the bittensor SDK 11.3.0's typed reads (subnets,
//! alpha prices, delegates, a metagraph), run by `tests/sdk/read.py` at the block the light
//! client read, equal the light client's snapshot of that block. Needs the SDK: `cargo xtask
//! test` installs it into a cached virtual environment and runs this with `--ignored`.

use std::collections::BTreeMap;

use devnet_runner::Devnet;
use light_client::client::LightClient;
use light_client::model::Lifecycle;
use light_client::platform;
use taoscope_integration_tests::{finalized_at_least, within};

/// The environment variable naming the virtual environment's Python (set by `cargo xtask test`).
const SDK_PYTHON_VAR: &str = "TAOSCOPE_SDK_PYTHON";

/// Runs `read.py` at `block` and parses its JSON.
fn sdk_read(devnet: &Devnet, block: u64, netuid: u16) -> serde_json::Value {
    let python = std::env::var(SDK_PYTHON_VAR).unwrap_or_else(|_| {
        panic!("{SDK_PYTHON_VAR} is not set: run this through cargo xtask test, which installs the SDK")
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../sdk/read.py");
    // The SDK caches runtime metadata under ~/.bittensor: a fresh home per run, as a new user has.
    let home = std::env::temp_dir().join(format!("taoscope-sdk-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("SDK home");
    let output = std::process::Command::new(&python)
        .arg(script)
        .arg(devnet.ws_url(0))
        .arg(block.to_string())
        .arg(netuid.to_string())
        .env("HOME", &home)
        .output()
        .unwrap_or_else(|e| panic!("running {python}: {e}"));
    let _ = std::fs::remove_dir_all(&home);
    assert!(
        output.status.success(),
        "read.py failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("read.py prints JSON")
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
#[ignore = "needs the bittensor SDK; cargo xtask test installs it and runs this with --ignored"]
fn the_bittensor_sdk_reads_what_the_light_client_shows() {
    let devnet = Devnet::shared().expect("devnet starts");
    let spec = devnet.chain_spec().expect("chain spec");
    platform::block_on(async {
        let client = LightClient::start(&spec, "").expect("light client starts");
        let mut blocks = client.finalized_blocks();
        let block = finalized_at_least(&mut blocks, 12, 180).await;
        let subnets = within(120, "subnets()", client.subnets(&block)).await.expect("subnets");
        let validators = within(120, "validators()", client.validators(&block))
            .await
            .expect("validators");
        let metagraph = within(120, "metagraph()", client.metagraph(&block, 1))
            .await
            .expect("metagraph");
        let sdk = sdk_read(&devnet, block.number, 1);
        assert_eq!(sdk["block"].as_u64(), Some(block.number));

        // Subnets: the SDK lists the reportable ones; Taoscope also lists the one that is not.
        let reportable: Vec<_> = subnets
            .data
            .iter()
            .filter(|s| s.lifecycle != Lifecycle::NotReportable)
            .collect();
        let sdk_subnets = sdk["subnets"].as_array().expect("subnets");
        assert_eq!(sdk_subnets.len(), reportable.len(), "{sdk_subnets:?}");
        for (ours, theirs) in reportable.iter().zip(sdk_subnets) {
            assert_eq!(theirs["netuid"].as_u64(), Some(u64::from(ours.netuid)));
            assert_eq!(
                theirs["tempo"].as_u64(),
                Some(u64::from(ours.tempo)),
                "subnet {}",
                ours.netuid
            );
            assert_eq!(
                theirs["burn"].as_u64(),
                Some(ours.registration_cost_rao),
                "subnet {}",
                ours.netuid
            );
            assert_eq!(
                theirs["neuron_count"].as_u64(),
                Some(u64::from(ours.uids)),
                "subnet {}",
                ours.netuid
            );
        }

        // Prices: the SDK's come from current_alpha_price_all, rao per α rounded down; Taoscope's
        // from the pools' balancer weights in storage, or that same runtime answer for a pool with
        // a superellipse curve (subnet 4).
        let prices = sdk["alpha_prices"].as_object().expect("prices");
        assert_eq!(prices.len(), reportable.len());
        for ours in &reportable {
            let theirs = prices[&ours.netuid.to_string()].as_f64().expect("price");
            let price = ours.price.expect("every reportable subnet is priced");
            let difference = price - theirs;
            assert!(
                (-1e-12..1e-9 + 1e-12).contains(&difference),
                "subnet {}: light client {price} vs SDK {theirs}",
                ours.netuid
            );
        }

        // Delegates: the same hotkeys, owners, takes and permits.
        let sdk_delegates = sdk["delegates"].as_array().expect("delegates");
        assert_eq!(sdk_delegates.len(), validators.data.len());
        let ours: BTreeMap<&str, _> = validators.data.iter().map(|v| (v.hotkey.as_str(), v)).collect();
        for theirs in sdk_delegates {
            let hotkey = theirs["hotkey"].as_str().expect("hotkey");
            let validator = ours
                .get(hotkey)
                .unwrap_or_else(|| panic!("{hotkey} missing from the light client's list"));
            assert_eq!(theirs["owner"].as_str(), Some(validator.coldkey.as_str()), "{hotkey}");
            assert!(
                close(theirs["take"].as_f64().unwrap(), validator.take, 1e-12),
                "{hotkey} take"
            );
            let permits: Vec<u64> = validator.subnets.iter().map(|s| u64::from(s.netuid)).collect();
            let sdk_permits: Vec<u64> = theirs["validator_permits"]
                .as_array()
                .expect("permits")
                .iter()
                .filter_map(serde_json::Value::as_u64)
                .collect();
            assert_eq!(sdk_permits, permits, "{hotkey} permits");
        }

        // Subnet 1's metagraph, uid by uid.
        let neurons = sdk["metagraph"]["neurons"].as_array().expect("neurons");
        assert_eq!(neurons.len(), metagraph.data.neurons.len());
        for (ours, theirs) in metagraph.data.neurons.iter().zip(neurons) {
            let uid = ours.uid;
            assert_eq!(theirs["uid"].as_u64(), Some(u64::from(uid)));
            assert_eq!(theirs["hotkey"].as_str(), Some(ours.hotkey.as_str()), "uid {uid}");
            assert_eq!(theirs["coldkey"].as_str(), Some(ours.coldkey.as_str()), "uid {uid}");
            assert_eq!(theirs["active"].as_bool(), Some(ours.active), "uid {uid}");
            assert_eq!(
                theirs["validator_permit"].as_bool(),
                Some(ours.validator_permit),
                "uid {uid}"
            );
            assert_eq!(theirs["last_update"].as_u64(), Some(ours.last_update), "uid {uid}");
            assert_eq!(
                theirs["block_at_registration"].as_u64(),
                Some(ours.registered_at),
                "uid {uid}"
            );
            assert_eq!(theirs["emission"].as_u64(), Some(ours.emission_alpha), "uid {uid}");
            assert_eq!(theirs["alpha_stake"].as_u64(), Some(ours.stake_alpha), "uid {uid}");
            for (field, value) in [
                ("consensus", ours.consensus),
                ("incentive", ours.incentive),
                ("dividends", ours.dividends),
            ] {
                assert!(
                    close(theirs[field].as_f64().unwrap(), value, 1e-9),
                    "uid {uid} {field}: SDK {} vs {value}",
                    theirs[field]
                );
            }
        }
        assert!(
            metagraph.data.neurons.iter().any(|n| n.incentive > 0.0),
            "compared after an epoch"
        );
    });
}
