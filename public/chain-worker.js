// The chain service's worker (light_client::service::host): it keeps the pages that connect while
// its wasm loads (a shared worker's ports, or a dedicated worker's messages), then starts it.
self.taoscopeEarly = [];
self.onconnect = (event) => self.taoscopeEarly.push(event.ports[0]);
self.onmessage = (event) => self.taoscopeEarly.push(event.data);
importScripts("/taoscope-worker.js");
wasm_bindgen("/taoscope-worker_bg.wasm");
