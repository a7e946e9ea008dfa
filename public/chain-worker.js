// The chain service's worker (light_client::service::host). It keeps the pages that connect while
// its wasm loads (a shared worker's ports, or a dedicated worker's messages), then starts it.
// `cargo xtask` seals this file: the wasm-bindgen glue is written in place of `importScripts`, the
// wasm's SHA-384 is checked as it is fetched, and the result is named after its own hash. A file
// that fails its check starts nothing and every page is told why.
self.taoscopeEarly = [];
self.onconnect = (event) => self.taoscopeEarly.push(event.ports[0]);
self.onmessage = (event) => self.taoscopeEarly.push(event.data);
importScripts("/taoscope-worker.js");
wasm_bindgen({ module_or_path: "/taoscope-worker_bg.wasm" }).catch((error) => {
  const refusal = JSON.stringify({ version: 2, body: { Failed: { NoWorker: `its code did not load or failed its integrity check (${error}): reload the page, and if this stays, this copy of the site is damaged or was tampered with` } } });
  const tell = (port) => port.postMessage(refusal);
  if (self.SharedWorkerGlobalScope && self instanceof SharedWorkerGlobalScope) {
    self.taoscopeEarly.forEach(tell);
    self.onconnect = (event) => tell(event.ports[0]);
  } else {
    self.postMessage(refusal);
  }
});
