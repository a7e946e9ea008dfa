// Small servers the end-to-end tests stand up on 127.0.0.1: a TCP proxy that counts connections
// (to see whether a page talked to an RPC node), the app served from another origin with some
// files rewritten (a fresh origin is a browser with no saved state), over http or https with a
// self-signed certificate made here, a fake JSON-RPC node that answers a few methods its way, and
// nginx (Debian's) running the configs users get: the static site's snippet and the wss gateway.

import { execFileSync, spawn } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";
import { baseUrl } from "./harness.mjs";

const listen = (server, port = 0) =>
  new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server.address().port)));

/** A TCP proxy to `port` on 127.0.0.1 counting the connections made through it and the bytes
 * it passed back to the clients, listening on `listenPort` (a free one by default). */
export async function countingProxy(port = Number(process.env.DEVNET_RPC_PORT), listenPort = 0) {
  const proxy = { connections: 0, bytesDown: 0 };
  proxy.server = createServer((socket) => {
    proxy.connections += 1;
    const upstream = createConnection({ host: "127.0.0.1", port });
    // Without this, Nagle's algorithm holds back the small frames peers exchange, and a request
    // through the proxy waits for a delayed acknowledgement at every round trip.
    socket.setNoDelay(true);
    upstream.setNoDelay(true);
    upstream.on("data", (chunk) => { proxy.bytesDown += chunk.length; });
    socket.pipe(upstream).pipe(socket);
    const close = () => { socket.destroy(); upstream.destroy(); };
    socket.on("error", close);
    upstream.on("error", close);
  });
  proxy.url = `ws://127.0.0.1:${await listen(proxy.server, listenPort)}`;
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

let certificate = null;

/** The tests' self-signed certificate for 127.0.0.1 and localhost (one per test process), as
 * files and as their contents. */
function selfSigned() {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), "taoscope-tls-"));
  const [keyFile, certFile] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", keyFile, "-out", certFile,
  ], { stdio: "ignore" });
  certificate = { key: readFileSync(keyFile), cert: readFileSync(certFile), keyFile, certFile };
  return certificate;
}

/** Chromium flags that make a browser accept the tests' certificate (and no other invalid one),
 * as a user's browser accepts a CA-signed one: everywhere, the chain worker's own fetches and
 * WebSockets included, which a page-level exception (Playwright's `ignoreHTTPSErrors`) does not
 * reach. */
export function trustTestCertificate() {
  const spki = new X509Certificate(selfSigned().cert).publicKey.export({ type: "spki", format: "der" });
  return [`--ignore-certificate-errors-spki-list=${createHash("sha256").update(spki).digest("base64")}`];
}

/** A port on 127.0.0.1 nothing listens on (until someone does). */
export const freePort = async () => {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
};

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Debian's nginx in the foreground on its own prefix, running `servers(port)` (the `server { }`
 * blocks, given a free port) inside `http { }`. Resolves once the port accepts connections. */
export async function nginx(servers) {
  const dir = mkdtempSync(join(tmpdir(), "taoscope-nginx-"));
  const port = await freePort();
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((kind) => `  ${kind}_temp_path ${dir}/${kind};`).join("\n");
  writeFileSync(join(dir, "nginx.conf"), `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log ${dir}/access.log;
${temp}
${servers(port)}
}
`);
  const child = spawn("/usr/sbin/nginx", ["-p", dir, "-e", `${dir}/error.log`, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  // nginx outlives its parent: stop it with the run even when a failing test never does.
  const stopWithRun = () => child.kill("SIGTERM");
  process.on("exit", stopWithRun);
  exited.then(() => process.off("exit", stopWithRun));
  for (let tries = 0; ; tries += 1) {
    const open = await new Promise((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => { socket.destroy(); resolve(true); });
      socket.on("error", () => resolve(false));
    });
    if (open) break;
    if (child.exitCode !== null || tries > 100) {
      throw new Error(`nginx did not start (exit ${child.exitCode}): ${readFileSync(join(dir, "error.log"), "utf8")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, dir, stop: async () => { child.kill("SIGTERM"); await exited; } };
}

/** The checked-in wss gateway (deploy/nginx/wss-gateway.conf) in front of the p2p WebSocket port
 * `nodePort`, with a self-signed certificate for localhost: only its lines marked EDIT change. */
export async function wssGateway(nodePort) {
  const { keyFile, certFile } = selfSigned();
  const shipped = readFileSync(join(repoRoot, "deploy", "nginx", "wss-gateway.conf"), "utf8");
  const edits = [
    [/listen 443 ssl;.*# EDIT.*/, (port) => `listen 127.0.0.1:${port} ssl;`],
    [/ssl_certificate .*# EDIT.*/, () => `ssl_certificate ${certFile};`],
    [/ssl_certificate_key .*;/, () => `ssl_certificate_key ${keyFile};`],
    [/proxy_pass http:\/\/127\.0\.0\.1:30335;.*# EDIT.*/, () => `proxy_pass http://127.0.0.1:${nodePort};`],
  ];
  return nginx((port) => edits.reduce((text, [line, edit]) => {
    if (!line.test(text)) throw new Error(`deploy/nginx/wss-gateway.conf no longer has a line like ${line}`);
    return text.replace(line, edit(port));
  }, shipped));
}

/** The app, proxied from its own server onto a new origin (https when `https`), with
 * `rewrite[path](text)` applied to the files it names (or serving them, if the app has none). */
export async function appOrigin({ https = false, rewrite = {} } = {}) {
  const handler = async (request, response) => {
    const upstream = await fetch(baseUrl + request.url);
    let body = Buffer.from(await upstream.arrayBuffer());
    const path = new URL(request.url, baseUrl).pathname;
    if (rewrite[path]) body = Buffer.from(await rewrite[path](body.toString("utf8")));
    // A rewritten path is served even where the app's server has no such file.
    const status = rewrite[path] ? 200 : upstream.status;
    const type = rewrite[path] && path.endsWith(".json") ? "application/json" : upstream.headers.get("content-type");
    response.writeHead(status, { "content-type": type ?? "application/octet-stream" });
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
