// Small servers the end-to-end tests stand up on 127.0.0.1: a TCP proxy that counts connections
// (to see whether a page talked to an RPC node), the app served from another origin with some
// files rewritten (a fresh origin is a browser with no saved state), over http or https with a
// self-signed certificate made here, and a fake JSON-RPC node that answers a few methods its way.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocketServer } from "ws";
import { baseUrl } from "./harness.mjs";

const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));

/** A TCP proxy to `port` on 127.0.0.1 counting the connections made through it. */
export async function countingProxy(port = Number(process.env.DEVNET_RPC_PORT)) {
  const proxy = { connections: 0 };
  proxy.server = createServer((socket) => {
    proxy.connections += 1;
    const upstream = createConnection({ host: "127.0.0.1", port });
    socket.pipe(upstream).pipe(socket);
    const close = () => { socket.destroy(); upstream.destroy(); };
    socket.on("error", close);
    upstream.on("error", close);
  });
  proxy.url = `ws://127.0.0.1:${await listen(proxy.server)}`;
  return proxy;
}

/** Serves the page `html()` returns, on an origin of its own. */
export async function hostPage(html) {
  const server = createHttpServer((_, response) => {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(typeof html === "function" ? html() : html);
  });
  return { server, origin: `http://127.0.0.1:${await listen(server)}` };
}

/** A self-signed certificate for 127.0.0.1. */
function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), "taoscope-tls-"));
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
  ], { stdio: "ignore" });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** The app, proxied from its own server onto a new origin (https when `https`), with
 * `rewrite[path](text)` applied to the files it names. */
export async function appOrigin({ https = false, rewrite = {} } = {}) {
  const handler = async (request, response) => {
    const upstream = await fetch(baseUrl + request.url);
    let body = Buffer.from(await upstream.arrayBuffer());
    const path = new URL(request.url, baseUrl).pathname;
    if (rewrite[path]) body = Buffer.from(await rewrite[path](body.toString("utf8")));
    response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/octet-stream" });
    response.end(body);
  };
  const server = https ? createHttpsServer(selfSigned(), handler) : createHttpServer(handler);
  const port = await listen(server);
  return { server, url: `${https ? "https" : "http"}://127.0.0.1:${port}` };
}

/** A JSON-RPC WebSocket node whose `answer(method, params)` gives each result (undefined: an
 * error). */
export async function fakeNode(answer) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => server.on("listening", resolve));
  server.on("connection", (socket) => {
    socket.on("message", (data) => {
      const { id, method, params } = JSON.parse(String(data));
      const result = answer(method, params);
      socket.send(JSON.stringify(result === undefined
        ? { jsonrpc: "2.0", id, error: { code: -32601, message: `${method} is not served here` } }
        : { jsonrpc: "2.0", id, result }));
    });
  });
  return { server, url: `ws://127.0.0.1:${server.address().port}` };
}
