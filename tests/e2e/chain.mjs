// The independent side of the end-to-end comparisons: the devnet node's own JSON-RPC, storage keys
// built here (twox128 written out below, so nothing is shared with the app's Rust code), plain
// SCALE decoding of the known shapes, and SS58 addresses.

import { createHash } from "node:crypto";

const rpcPort = process.env.DEVNET_RPC_PORT;

/** Calls the devnet node's JSON-RPC (or, given `port`, another node's). */
export async function rpc(method, params, port = rpcPort) {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;
const rotl = (x, r) => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc, input) => (rotl((acc + input * P2) & MASK, 31n) * P1) & MASK;
const merge = (acc, value) => (((acc ^ round(0n, value)) * P1) & MASK) + P4 & MASK;

function read64(bytes, at) {
  let value = 0n;
  for (let i = 7; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[at + i]);
  return value;
}

function read32(bytes, at) {
  return BigInt(bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + (BigInt(bytes[at + 3]) << 24n);
}

/** xxHash64 of `bytes` with `seed`. */
function xxh64(bytes, seed) {
  const length = bytes.length;
  let at = 0;
  let hash;
  if (length >= 32) {
    let v = [(seed + P1 + P2) & MASK, (seed + P2) & MASK, seed, (seed - P1) & MASK];
    for (; at + 32 <= length; at += 32) v = v.map((acc, lane) => round(acc, read64(bytes, at + 8 * lane)));
    hash = (rotl(v[0], 1n) + rotl(v[1], 7n) + rotl(v[2], 12n) + rotl(v[3], 18n)) & MASK;
    for (const lane of v) hash = merge(hash, lane);
  } else {
    hash = (seed + P5) & MASK;
  }
  hash = (hash + BigInt(length)) & MASK;
  for (; at + 8 <= length; at += 8) {
    hash ^= round(0n, read64(bytes, at));
    hash = (rotl(hash, 27n) * P1 + P4) & MASK;
  }
  if (at + 4 <= length) {
    hash ^= (read32(bytes, at) * P1) & MASK;
    hash = (rotl(hash, 23n) * P2 + P3) & MASK;
    at += 4;
  }
  for (; at < length; at += 1) {
    hash ^= (BigInt(bytes[at]) * P5) & MASK;
    hash = (rotl(hash, 11n) * P1) & MASK;
  }
  hash ^= hash >> 33n;
  hash = (hash * P2) & MASK;
  hash ^= hash >> 29n;
  hash = (hash * P3) & MASK;
  hash ^= hash >> 32n;
  return hash;
}

function le64Hex(value) {
  let hex = "";
  for (let i = 0n; i < 8n; i += 1n) hex += ((value >> (8n * i)) & 0xffn).toString(16).padStart(2, "0");
  return hex;
}

/** Substrate's twox128, hex without 0x. */
export function twox128(text) {
  const bytes = new TextEncoder().encode(text);
  return le64Hex(xxh64(bytes, 0n)) + le64Hex(xxh64(bytes, 1n));
}

/** Little-endian hex of a u16 (an Identity-hashed netuid or uid key). */
export const u16Key = (value) => (value & 0xff).toString(16).padStart(2, "0") + (value >> 8).toString(16).padStart(2, "0");

/** `SubtensorModule.item` key with Identity-hashed parts given as hex. */
export const subtensorKey = (item, ...parts) => `0x${twox128("SubtensorModule")}${twox128(item)}${parts.join("")}`;

/** A `Twox64Concat`-hashed key part given as hex: xxh64 (seed 0) as 8 LE bytes, then the part. */
export const twox64Concat = (hex) => le64Hex(xxh64(Buffer.from(hex, "hex"), 0n)) + hex;

/** The spot price of `netuid`'s α in TAO at `hash`, from raw storage, by the pool's own curve:
 * 1 for subnets off the dynamic mechanism (root); where `Swap.SwapSuperellipse[netuid]` holds a
 * curve `{a, b, centerAlpha, centerTao}` (Q32), `b²·X / (a²·Y)` with `X = centerAlpha − α·2³²`,
 * `Y = centerTao − τ·2³²` (the curve subtensor's sources put in place of the balancer), in whole
 * rao per α as the runtime gives it; else
 * finney's balancer price `(1 − q)/q · SubnetTAO/SubnetAlphaIn`, q = `Swap.SwapBalancer[netuid].quote`
 * (a Perquintill, parts of 10^18, 0.5 when absent); 0 for an empty α reserve. Returns the price,
 * q, which curve priced it, and what the balancer formula alone would say. */
export async function poolPrice(netuid, hash) {
  const read = async (key, decode, missing) => {
    const bytes = await storage(key, hash);
    return bytes === null ? missing : decode(new Scale(bytes));
  };
  const mechanism = await read(subtensorKey("SubnetMechanism", u16Key(netuid)), (s) => s.u16(), 0);
  const balancer = `0x${twox128("Swap")}${twox128("SwapBalancer")}${twox64Concat(u16Key(netuid))}`;
  const q = Number(await read(balancer, (s) => s.u64(), 500_000_000_000_000_000n)) / 1e18;
  if (mechanism !== 1) return { price: 1, q, curve: "none" };
  const tao = await read(subtensorKey("SubnetTAO", u16Key(netuid)), (s) => s.u64(), 0n);
  const alpha = await read(subtensorKey("SubnetAlphaIn", u16Key(netuid)), (s) => s.u64(), 0n);
  const superellipseKey = `0x${twox128("Swap")}${twox128("SwapSuperellipse")}${twox64Concat(u16Key(netuid))}`;
  const curve = await read(superellipseKey, (s) => ({ a: s.u128(), b: s.u128(), centerAlpha: s.i128(), centerTao: s.i128() }), null);
  const balancerFormula = alpha === 0n ? 0 : ((1 - q) / q) * (Number(tao) / Number(alpha));
  if (curve !== null) {
    const x = curve.centerAlpha - alpha * 2n ** 32n;
    const y = curve.centerTao - tao * 2n ** 32n;
    if (x <= 0n || y <= 0n || curve.a === 0n) return { price: 0, q, curve: "superellipse", balancerFormula };
    // In whole rao per α, rounded down, as the runtime's current_alpha_price gives a curve's price.
    const raoPerAlpha = (curve.b * curve.b * x * 10n ** 9n) / (curve.a * curve.a * y);
    return { price: Number(raoPerAlpha) / 1e9, q, curve: "superellipse", balancerFormula };
  }
  return { price: balancerFormula, q, curve: "balancer", balancerFormula };
}

/** How far apart `netuid`'s epochs are at `hash`, as the chain records them: the runtime's own
 * `SubnetInfoRuntimeApi.get_next_epoch_start_block(netuid)` answer (an `Option<u64>`) less the
 * raw `LastEpochBlock[netuid]`. Returns the blocks and both ends (null for no next epoch). */
export async function epochSpacing(netuid, hash) {
  const answer = await rpc("state_call", ["SubnetInfoRuntimeApi_get_next_epoch_start_block", `0x${u16Key(netuid)}`, hash]);
  const scale = new Scale(Buffer.from(answer.slice(2), "hex"));
  if (scale.u8() === 0) return null;
  const next = scale.u64();
  const lastBytes = await storage(subtensorKey("LastEpochBlock", u16Key(netuid)), hash);
  const last = lastBytes === null ? 0n : new Scale(lastBytes).u64();
  return { blocks: Number(next - last), last: Number(last), next: Number(next) };
}

/** Every key under `prefix` at `hash`, paged. */
export async function keysUnder(prefix, hash) {
  const keys = [];
  for (;;) {
    const page = await rpc("state_getKeysPaged", [prefix, 1000, keys.at(-1) ?? null, hash]);
    keys.push(...page);
    if (page.length < 1000) return keys;
  }
}

/** Reads a storage value at `hash` as bytes (null when absent). */
export async function storage(key, hash) {
  const hex = await rpc("state_getStorage", [key, hash]);
  return hex === null ? null : Buffer.from(hex.slice(2), "hex");
}

/** SCALE decoders over a byte cursor. */
export class Scale {
  constructor(bytes) {
    this.bytes = bytes ?? Buffer.alloc(0);
    this.at = 0;
  }
  u8() {
    return this.bytes[this.at++];
  }
  u16() {
    const value = this.bytes.readUInt16LE(this.at);
    this.at += 2;
    return value;
  }
  u64() {
    const value = this.bytes.readBigUInt64LE(this.at);
    this.at += 8;
    return value;
  }
  u128() {
    const low = this.u64();
    return low + (this.u64() << 64n);
  }
  i128() {
    const value = this.u128();
    return value >= 2n ** 127n ? value - 2n ** 128n : value;
  }
  compact() {
    const mode = this.bytes[this.at] & 3;
    if (mode === 0) return this.u8() >> 2;
    if (mode === 1) return this.u16() >> 2;
    if (mode === 2) {
      const value = this.bytes.readUInt32LE(this.at) >>> 2;
      this.at += 4;
      return value;
    }
    throw new Error("big compact not needed here");
  }
  vec(read) {
    const length = this.bytes.length === 0 ? 0 : this.compact();
    return Array.from({ length }, () => read(this));
  }
  account() {
    const value = this.bytes.subarray(this.at, this.at + 32);
    this.at += 32;
    return value;
  }
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58 (Bitcoin's alphabet) of `bytes`, leading zero bytes as "1"s. */
export function base58(bytes) {
  let number = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let text = "";
  while (number > 0n) {
    text = BASE58[Number(number % 58n)] + text;
    number /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}

/** SS58 (prefix 42) of a 32-byte public key. */
export function ss58(publicKey) {
  const body = Buffer.concat([Buffer.from([42]), Buffer.from(publicKey)]);
  const checksum = createHash("blake2b512").update(Buffer.concat([Buffer.from("SS58PRE"), body])).digest();
  return base58(Buffer.concat([body, checksum.subarray(0, 2)]));
}

/** The runtime's own `SwapRuntimeApi.sim_swap_tao_for_alpha` (`stake`) or `sim_swap_alpha_for_tao`
 * (`unstake`) answer for `amount` through `netuid`'s pool at `hash`: its six u64 fields. */
export async function simSwap(netuid, side, amount, hash) {
  const method = side === "stake" ? "SwapRuntimeApi_sim_swap_tao_for_alpha" : "SwapRuntimeApi_sim_swap_alpha_for_tao";
  const args = Buffer.alloc(10);
  args.writeUInt16LE(netuid, 0);
  args.writeBigUInt64LE(BigInt(amount), 2);
  const answer = await rpc("state_call", [method, `0x${args.toString("hex")}`, hash]);
  const scale = new Scale(Buffer.from(answer.slice(2), "hex"));
  const names = ["taoAmount", "alphaAmount", "taoFee", "alphaFee", "taoSlippage", "alphaSlippage"];
  return Object.fromEntries(names.map((name) => [name, scale.u64()]));
}

/** ⌊n^(1/k)⌋ for a BigInt n ≥ 0 (Newton's method from above). */
function integerRoot(n, k) {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / Number(k)) + 1);
  for (;;) {
    const next = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (next >= x) return x;
    x = next;
  }
}

const gcd = (a, b) => (b === 0n ? a : gcd(b, a % b));

/** What swapping `amount` through `netuid`'s pool gives at `hash`, computed here from raw storage
 * alone (SubnetMechanism, NetworksAdded, SubnetTAO, SubnetAlphaIn, Swap.FeeRate (33 when absent),
 * Swap.SwapBalancer (0.5 when absent), Swap.SwapSuperellipse), in the fields of the runtime's
 * `SimSwapResult`. The fee ⌊amount·⌊(rate<<64)/65535⌋ >> 64⌋ comes off the input. A balancer pool pays
 * ⌊R_out·(10^18 − e)/10^18⌋ with e = ⌊10^18·(R_in/(R_in + net))^(w_in/w_out)⌋, here the integer
 * root ⌊(10^(18b)·R_in^a / (R_in + net)^a)^(1/b)⌋ for w_in/w_out = a/b; a superellipse pool moves
 * along X²b² + Y²a² = K. Slippage: the gross input at the pre-trade spot price (rao per α, rounded
 * down as current_alpha_price gives it) less the output. Not dynamic: 1:1, no fee. A pool that
 * cannot pay (input over 1000× its reserve, an output reserve left under 1,000,000, nothing out):
 * all zeros. */
export async function poolSwap(netuid, side, amount, hash) {
  const read = async (key, decode, missing) => {
    const bytes = await storage(key, hash);
    return bytes === null ? missing : decode(new Scale(bytes));
  };
  amount = BigInt(amount);
  const S = 10n ** 18n;
  const stake = side === "stake";
  const answer = (net, fee, out, slippage) => ({
    taoAmount: stake ? net : out,
    alphaAmount: stake ? out : net,
    taoFee: stake ? fee : 0n,
    alphaFee: stake ? 0n : fee,
    taoSlippage: stake ? 0n : slippage,
    alphaSlippage: stake ? slippage : 0n,
  });
  const zeros = answer(0n, 0n, 0n, 0n);
  const mechanism = await read(subtensorKey("SubnetMechanism", u16Key(netuid)), (s) => s.u16(), 0);
  if (mechanism !== 1) {
    const exists = await read(subtensorKey("NetworksAdded", u16Key(netuid)), (s) => s.u8() === 1, false);
    const paid = exists ? amount : 0n;
    return answer(paid, 0n, paid, amount - paid);
  }
  const swapKey = (item) => `0x${twox128("Swap")}${twox128(item)}${twox64Concat(u16Key(netuid))}`;
  const rate = BigInt(await read(swapKey("FeeRate"), (s) => s.u16(), 33));
  const q = await read(swapKey("SwapBalancer"), (s) => s.u64(), 500_000_000_000_000_000n);
  const curve = await read(swapKey("SwapSuperellipse"), (s) => ({ a: s.u128(), b: s.u128(), cx: s.i128(), cy: s.i128() }), null);
  const tao = await read(subtensorKey("SubnetTAO", u16Key(netuid)), (s) => s.u64(), 0n);
  const alpha = await read(subtensorKey("SubnetAlphaIn", u16Key(netuid)), (s) => s.u64(), 0n);
  const fee = (amount * ((rate << 64n) / 65535n)) >> 64n;
  const net = amount - fee;
  const [reserveIn, reserveOut] = stake ? [tao, alpha] : [alpha, tao];
  const Q = 2n ** 32n;
  let price; // rao per α
  let out;
  if (curve === null) {
    price = alpha === 0n ? 0n : (((tao * (S - q)) / q) * 10n ** 9n) / alpha;
    const [wIn, wOut] = stake ? [q, S - q] : [S - q, q];
    const d = gcd(wIn, wOut);
    const [a, b] = [wIn / d, wOut / d];
    const e = integerRoot((S ** b * reserveIn ** a) / (reserveIn + net) ** a, b);
    out = (reserveOut * (S - e)) / S;
  } else {
    const x = curve.cx - alpha * Q;
    const y = curve.cy - tao * Q;
    if (x <= 0n || y <= 0n) return zeros;
    price = (curve.b * curve.b * x * 10n ** 9n) / (curve.a * curve.a * y);
    const k = x * x * curve.b * curve.b + y * y * curve.a * curve.a;
    // The input's coordinate shrinks by what enters; the output's is the root the curve leaves it.
    const [oldIn, oldOut, scaleIn, scaleOut] = stake ? [y, x, curve.a, curve.b] : [x, y, curve.b, curve.a];
    const newIn = oldIn - net * Q;
    if (newIn <= 0n) return zeros;
    const rest = k - newIn * newIn * scaleIn * scaleIn;
    if (rest < 0n) return zeros;
    out = (integerRoot(rest / (scaleOut * scaleOut), 2n) - oldOut) / Q;
  }
  if (net > 1000n * reserveIn || out <= 0n || reserveOut - out < 1_000_000n) return zeros;
  const worth = stake ? (price === 0n ? 0n : (amount * 10n ** 9n) / price) : (amount * price) / 10n ** 9n;
  const slippage = worth > out ? worth - out : 0n;
  return answer(net, fee, out, slippage);
}
