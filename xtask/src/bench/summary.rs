//! The sections side by side, as tables a person reads: where cold and warm starts spend their
//! time, light client beside trusted RPC; the whole network through the light client, our
//! trusted-RPC path and the bittensor SDK; one embed against four and one tab against two on the
//! site's one worker; and each view's byte budget (the proofs a peer sends, split by what their
//! bytes are) beside the bytes the page received.

use serde_json::Value;

/// The section named `name` among the `BENCH` JSON lines.
fn section<'a>(sections: &'a [Value], name: &str) -> Option<&'a Value> {
    sections.iter().find(|s| s["section"] == name)
}

fn seconds(ms: &Value) -> String {
    ms.as_f64().map_or("—".into(), |ms| format!("{:.2} s", ms / 1000.0))
}

fn megabytes(bytes: &Value) -> String {
    bytes.as_f64().map_or("—".into(), |b| format!("{:.2} MB", b / 1e6))
}

fn kilobytes(bytes: &Value) -> String {
    bytes.as_f64().map_or("—".into(), |b| format!("{:.0} KB", b / 1e3))
}

/// One row per load: who read, how many metagraphs at once, and the times and bytes.
fn load_rows(out: &mut String, client: &str, loads: &Value) {
    for load in loads.as_array().into_iter().flatten() {
        out.push_str(&format!(
            "  {client:<26} {:>9} {:>13} {:>16} {:>12} {:>12} {:>12}\n",
            load["parallel"].to_string(),
            seconds(&load["subnet_list_ms"]),
            seconds(&load["first_metagraph_ms"]),
            seconds(&load["ms"]),
            megabytes(&load["bytes_received"]),
            megabytes(&load["value_bytes"]),
        ));
        if let Some(requests) = load["requests"].as_u64() {
            out.push_str(&format!(
                "    {} rounds: {requests} requests, at most {} in flight\n",
                load["rounds"].as_str().unwrap_or("?"),
                load["max_in_flight"]
            ));
        }
        if let Some(failed) = load["failed_reads"].as_array().filter(|f| !f.is_empty()) {
            out.push_str(&format!("    {} reads failed, first: {}\n", failed.len(), failed[0]));
        }
    }
}

/// The start's phases, each as the median time it added to the one before.
fn start_phases(out: &mut String, phases: &Value) {
    // The worker reads the manifest and the spec before it sends the page the chain's facts.
    const PHASES: [(&str, &str); 4] = [
        ("chain_facts", "chain facts"),
        ("client_started", "client started"),
        ("first_finalized", "1st finalized"),
        ("first_shown", "1st view shown"),
    ];
    out.push_str("\nstart phases: median ms each phase adds (from navigation)\n");
    out.push_str(&format!("  {:<24}", "start"));
    for (_, label) in PHASES {
        out.push_str(&format!(" {label:>15}"));
    }
    out.push('\n');
    for (key, label) in [
        ("light_client_cold", "light client, cold"),
        ("rpc_cold", "trusted RPC, cold"),
        ("light_client_warm", "light client, warm"),
        ("rpc_warm", "trusted RPC, warm"),
    ] {
        out.push_str(&format!("  {label:<24}"));
        for (phase, _) in PHASES {
            let added = &phases[key]["added_ms"][phase];
            out.push_str(&format!(
                " {:>15}",
                added.as_i64().map_or("—".into(), |ms| ms.to_string())
            ));
        }
        out.push('\n');
    }
}

/// One embed against four on another site, one dashboard tab against two: what each client of
/// the one worker costs.
fn sharing_table(out: &mut String, sharing: &Value) {
    out.push_str(&format!(
        "\none light client per browser: sockets and bytes from peers over {} s, memory at its end\n",
        sharing["embeds"]["one"]["window_s"]
    ));
    out.push_str(&format!(
        "  {:<26} {:>8} {:>12} {:>14} {:>12} {:>16}\n",
        "", "sockets", "from peers", "memory (all)", "of worker", "verified after"
    ));
    for (label, run, verified) in [
        (
            "one embed, another site",
            &sharing["embeds"]["one"],
            "all_verified_after_ms",
        ),
        (
            "four embeds, another site",
            &sharing["embeds"]["four"],
            "all_verified_after_ms",
        ),
        ("one dashboard tab", &sharing["tabs"]["one"], "verified_after_ms"),
        ("two dashboard tabs", &sharing["tabs"]["two"], "verified_after_ms"),
    ] {
        let worker = &run["memory"]["worker"];
        let worker_bytes =
            worker["js_heap_bytes"].as_u64().unwrap_or(0) + worker["wasm_memory_bytes"].as_u64().unwrap_or(0);
        let verified = match &run[verified] {
            Value::Array(times) => times.iter().map(seconds).collect::<Vec<_>>().join(", "),
            time => seconds(time),
        };
        out.push_str(&format!(
            "  {label:<26} {:>8} {:>12} {:>14} {:>12} {verified:>16}\n",
            run["peer_sockets"],
            megabytes(&run["bytes_from_peers"]),
            megabytes(&run["memory"]["total"]["bytes"]),
            megabytes(&Value::from(worker_bytes)),
        ));
    }
}

/// The start-phase, whole-network and byte-budget tables from the run's `BENCH` lines (JSON texts); a
/// section the run lacks is left out.
pub fn side_by_side(lines: &[String]) -> String {
    let sections: Vec<Value> = lines
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let mut out = String::new();
    if let Some(phases) = section(&sections, "start_phases") {
        start_phases(&mut out, phases);
    }
    for (name, title) in [
        ("whole_network", "whole network, finney scale, one node"),
        (
            "whole_network_3_peers",
            "whole network, finney scale, three nodes as the light client's peers",
        ),
    ] {
        let Some(whole) = section(&sections, name) else {
            continue;
        };
        out.push_str(&format!(
            "\n{title}: the subnet list, then every subnet's metagraph (one block)\n"
        ));
        out.push_str(&format!(
            "  {:<26} {:>9} {:>13} {:>16} {:>12} {:>12} {:>12}\n",
            "client", "in flight", "subnet list", "first metagraph", "last", "received", "value bytes"
        ));
        load_rows(&mut out, "light client, batched", &whole["light_client_batched"]);
        load_rows(&mut out, "light client, calls", &whole["light_client"]);
        load_rows(&mut out, "trusted RPC, batched", &whole["rpc_batched"]);
        load_rows(&mut out, "trusted RPC (ours), calls", &whole["rpc"]);
        if let Some(sdk) = section(&sections, "sdk_whole_network").filter(|_| name == "whole_network") {
            let name = format!("bittensor SDK {}", sdk["sdk"].as_str().unwrap_or("?"));
            load_rows(&mut out, &name, &sdk["loads"]);
        }
        out.push_str(&format!(
            "  light client / trusted RPC, calls: {} at the same concurrency, {} each at its fastest\n",
            whole["ratio_time_lc_over_rpc_same_concurrency"], whole["ratio_time_lc_over_rpc_each_fastest"]
        ));
        out.push_str(&format!(
            "  light client batched / trusted RPC calls: {} at its fastest, {} at as many in flight ({} peers)\n",
            whole["ratio_time_batched_over_rpc_fastest"],
            whole["ratio_time_batched_over_rpc_same_in_flight"],
            whole["peers"]
        ));
    }
    if let Some(steady) = section(&sections, "steady_state_bytes") {
        out.push_str("\nsteady state: bytes an open page receives once it shows verified data\n");
        for (name, view) in steady.as_object().into_iter().flatten().filter(|(_, v)| v.is_object()) {
            out.push_str(&format!(
                "  {name:<16} {:<28} {:>12}/min over {} s, {} views shown\n",
                view["route"].as_str().unwrap_or("?"),
                kilobytes(&view["bytes_per_minute"]),
                view["seconds"],
                view["views_shown"]
            ));
        }
    }
    if let Some(sharing) = section(&sections, "sharing") {
        sharing_table(&mut out, sharing);
    }
    if let Some(budget) = section(&sections, "byte_budget") {
        let wire = section(&sections, "strategy_storage_vs_runtime_calls");
        let wire_of = |view: &str, strategy: &str| {
            wire.map_or(Value::Null, |w| w[view][strategy]["bytes_received"]["median"].clone())
        };
        let rows = [
            (
                "subnets view, storage reads",
                "subnets_view_storage_reads",
                wire_of("subnets_view", "storage_reads"),
            ),
            (
                "subnets view, get_all_dynamic_info",
                "subnets_view_get_all_dynamic_info",
                wire_of("subnets_view", "runtime_call_get_all_dynamic_info"),
            ),
            (
                "metagraph, call + reads",
                "metagraph_view_call",
                wire_of("metagraph_view", "runtime_call_get_selective_metagraph_with_reads"),
            ),
            (
                "metagraph, storage reads",
                "metagraph_view_storage_reads",
                wire_of("metagraph_view", "storage_reads"),
            ),
        ];
        out.push_str(&format!(
            "\nbyte budget per view (subnet {}): the proofs a peer sends for it, by what their bytes are\n",
            budget["netuid"]
        ));
        out.push_str(&format!(
            "  {:<36} {:>8} {:>9} {:>9} {:>8} {:>8} {:>8} {:>7} {:>9}\n",
            "view", "values", "proofs", "in proof", "hashes", "keys", "headers", "code", "received"
        ));
        let mut budget_row = |label: &str, view: &Value, received: &Value| {
            if view.is_null() {
                return;
            }
            let part = |field: &str| {
                view["call_proofs"][field].as_u64().unwrap_or(0) + view["read_proof"][field].as_u64().unwrap_or(0)
            };
            out.push_str(&format!(
                "  {label:<36} {:>8} {:>9} {:>9} {:>8} {:>8} {:>8} {:>7} {:>9}\n",
                kilobytes(&view["scale_value_bytes"]),
                kilobytes(&view["proof_bytes"]),
                kilobytes(&(part("values_inline") + part("value_nodes")).into()),
                kilobytes(&part("child_and_value_hashes").into()),
                kilobytes(&part("partial_keys").into()),
                kilobytes(&part("node_headers").into()),
                kilobytes(&part("runtime_code").into()),
                kilobytes(received),
            ));
        };
        for (label, key, received) in rows {
            budget_row(label, &budget["views"][key], &received);
        }
        // Every subnet's price: the storage the balancer formula needs, or the runtime's answer.
        for (label, key) in [
            ("all prices, formula over storage", "storage_formula"),
            ("all prices, current_alpha_price_all", "runtime_call"),
        ] {
            budget_row(label, &budget["price_paths"][key], &Value::Null);
        }
        let metagraph = &budget["views"]["metagraph_view_call"];
        if metagraph["node_ms_to_prove_the_calls"].is_number() {
            out.push_str(&format!(
                "  the node took {} ms to prove the metagraph call (what a peer does for a light client), {} ms to answer it over RPC\n",
                metagraph["node_ms_to_prove_the_calls"], metagraph["node_ms_to_answer_the_calls"]
            ));
        }
        out.push_str(
            "  values: the SCALE bytes the query decodes; proofs: one call proof per call plus one read proof of\n  \
             every key read (the least a peer sends); received: what the page's client took from peers for the view\n  \
             (proofs, headers and justifications, libp2p framing, and proof nodes repeated across requests)\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines() -> Vec<String> {
        let load = |parallel: u32, ms: u32| {
            serde_json::json!({"parallel": parallel, "ms": ms, "subnet_list_ms": 300, "first_metagraph_ms": 900,
                "bytes_received": 61_200_000, "value_bytes": 3_800_000})
        };
        vec![
            serde_json::json!({"section": "whole_network", "light_client": [load(4, 25_100)], "rpc": [load(4, 12_000)],
                "light_client_batched": [{"rounds": "key-sorted", "parallel": 8, "ms": 9_000, "requests": 400, "max_in_flight": 8,
                    "bytes_received": 20_000_000, "value_bytes": 3_700_000}],
                "ratio_time_lc_over_rpc_same_concurrency": 2.09, "ratio_time_lc_over_rpc_each_fastest": 2.09,
                "ratio_time_batched_over_rpc_fastest": 0.75, "peers": 1})
            .to_string(),
            serde_json::json!({"section": "sdk_whole_network", "sdk": "11.3.0", "loads": [
                {"parallel": 1, "ms": 40_000, "subnet_list_ms": 100, "first_metagraph_ms": 500,
                 "bytes_received": 9_000_000, "value_bytes": null, "failed_reads": ["subnets.metagraph(3): boom"]}]})
            .to_string(),
            serde_json::json!({"section": "byte_budget", "netuid": 1, "views": {"metagraph_view_call": {
                "scale_value_bytes": 29_000, "proof_bytes": 464_000,
                "node_ms_to_prove_the_calls": 350.5, "node_ms_to_answer_the_calls": 40.2,
                "call_proofs": {"values_inline": 10_000, "value_nodes": 20_000, "child_and_value_hashes": 300_000,
                    "partial_keys": 90_000, "node_headers": 4_000, "runtime_code": 0},
                "read_proof": {"values_inline": 1_000, "value_nodes": 0, "child_and_value_hashes": 30_000,
                    "partial_keys": 8_000, "node_headers": 1_000, "runtime_code": 0}}}})
            .to_string(),
            serde_json::json!({"section": "steady_state_bytes", "embed": {"route": "/embed/x", "seconds": 60,
                "bytes_per_minute": 2_500_000, "views_shown": 5}})
            .to_string(),
            serde_json::json!({"section": "strategy_storage_vs_runtime_calls", "metagraph_view": {
                "runtime_call_get_selective_metagraph_with_reads": {"bytes_received": {"median": 520_000}}}})
            .to_string(),
        ]
    }

    #[test]
    fn every_client_is_a_row_with_its_times_and_bytes() {
        let table = side_by_side(&lines());
        let row = |client: &str| {
            table
                .lines()
                .find(|l| l.trim_start().starts_with(client))
                .expect(client)
                .to_string()
        };
        assert!(row("light client, calls").contains("25.10 s") && row("light client, calls").contains("61.20 MB"));
        assert!(row("light client, batched").contains("9.00 s") && row("light client, batched").contains("20.00 MB"));
        assert!(table.contains("key-sorted rounds: 400 requests, at most 8 in flight"));
        assert!(table.contains("/embed/x") && table.contains("2500 KB/min over 60 s, 5 views shown"));
        assert!(table.contains("batched / trusted RPC calls: 0.75 at its fastest"));
        assert!(row("trusted RPC (ours)").contains("12.00 s"));
        assert!(row("bittensor SDK 11.3.0").contains("40.00 s"));
        assert!(table.contains("1 reads failed, first: \"subnets.metagraph(3): boom\""));
        assert!(table.contains("2.09 at the same concurrency"));
    }

    #[test]
    fn the_budget_adds_call_and_read_proofs_and_shows_what_was_received() {
        let table = side_by_side(&lines());
        let row = table
            .lines()
            .find(|l| l.contains("metagraph, call + reads"))
            .expect("the metagraph row");
        let cells: Vec<&str> = row.split_whitespace().collect();
        // values, proofs, in proof (31 KB), hashes (330 KB), keys (98 KB), headers, code, received
        assert_eq!(
            &cells[cells.len() - 16..],
            [
                "29", "KB", "464", "KB", "31", "KB", "330", "KB", "98", "KB", "5", "KB", "0", "KB", "520", "KB"
            ]
        );
        assert!(
            !table.contains("subnets view, storage reads"),
            "a view the run lacks is left out"
        );
    }

    #[test]
    fn start_phases_show_what_each_phase_adds() {
        let phases = |facts: i64, shown: i64| {
            serde_json::json!({"added_ms": {"chain_facts": facts, "client_started": 700,
                "first_finalized": null, "first_shown": shown}})
        };
        let line = serde_json::json!({"section": "start_phases", "light_client_cold": phases(40, 300),
            "rpc_cold": phases(41, 120), "light_client_warm": phases(42, 310), "rpc_warm": phases(43, 90)})
        .to_string();
        let table = side_by_side(&[line]);
        let row = table
            .lines()
            .find(|l| l.contains("light client, warm"))
            .expect("the warm row");
        assert_eq!(
            row.split_whitespace().skip(3).collect::<Vec<_>>(),
            ["42", "700", "—", "310"]
        );
    }

    #[test]
    fn sharing_shows_each_run_with_its_worker_and_every_tab() {
        let run = |sockets: u64, verified: Value| {
            serde_json::json!({"window_s": 40, "peer_sockets": sockets, "bytes_from_peers": 4_200_000,
                "memory": {"total": {"bytes": 90_000_000}, "worker": {"js_heap_bytes": 1_000_000, "wasm_memory_bytes": 2_000_000}},
                "all_verified_after_ms": verified.clone(), "verified_after_ms": verified})
        };
        let line = serde_json::json!({"section": "sharing",
            "embeds": {"one": run(2, Value::from(1900)), "four": run(2, Value::from(2500))},
            "tabs": {"one": run(2, serde_json::json!([1800])), "two": run(3, serde_json::json!([1800, 300]))}})
        .to_string();
        let table = side_by_side(&[line]);
        let row = table
            .lines()
            .find(|l| l.contains("two dashboard tabs"))
            .expect("the two-tab row");
        assert_eq!(
            row.split_whitespace().skip(3).collect::<Vec<_>>(),
            [
                "3", "4.20", "MB", "90.00", "MB", "3.00", "MB", "1.80", "s,", "0.30", "s"
            ]
        );
        assert!(table.contains("over 40 s"), "{table}");
    }

    #[test]
    fn no_sections_no_tables() {
        assert_eq!(side_by_side(&["not json".to_string()]), "");
    }
}
