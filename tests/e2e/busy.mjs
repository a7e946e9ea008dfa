// What a page's main thread did while it was busy, from CDP's sampling profiler: the stretches
// of consecutive non-idle samples longer than a long task (50 ms), and the share of their samples
// by kind. Used by the benchmark to say where the page's long tasks come from.

/** Each sample's kind, from its stack (leaf first). */
function kindOf(stack) {
  const [leaf] = stack;
  if (leaf === "(garbage collector)") return "garbage_collection";
  if (leaf === "(program)") return "browser_native";
  if (stack.includes("__wbg_finalize_init")) return "wasm_start_and_first_mount";
  if (stack.some((name) => /^__wbg_(createElement|createTextNode|set_innerHTML|insertBefore|appendChild|append|setAttribute|removeAttribute|remove|replaceChildren|setProperty|set_textContent|set_data|before|after)/.test(name))) return "dom_calls";
  if (leaf.startsWith("wasm-function") || /shim|wasm-to-js|js-to-wasm/.test(leaf)) return "wasm";
  return "javascript";
}

/** Busy stretches over `over` ms in a `Profiler.stop` profile: each with its start (ms from the
 * profile's start), length and sample shares by kind. */
export function busyStretches(profile, over = 50) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackOf = (id) => {
    const names = [];
    for (let at = id; at !== undefined; at = parent.get(at)) names.push(nodes.get(at).callFrame.functionName || "(anonymous)");
    return names;
  };
  const stretches = [];
  let current = null;
  let time = profile.startTime;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i];
    const stack = stackOf(id);
    if (stack[0] === "(idle)") {
      if (current && (current.end - current.start) / 1000 > over) stretches.push(current);
      current = null;
      return;
    }
    current ??= { start: time, end: time, kinds: {} };
    current.end = time;
    const kind = kindOf(stack);
    current.kinds[kind] = (current.kinds[kind] ?? 0) + 1;
  });
  if (current && (current.end - current.start) / 1000 > over) stretches.push(current);
  return stretches.map(({ start, end, kinds }) => {
    const total = Object.values(kinds).reduce((sum, n) => sum + n, 0);
    const shares = Object.fromEntries(Object.entries(kinds).sort((a, b) => b[1] - a[1]).map(([kind, n]) => [kind, Number((n / total).toFixed(2))]));
    return { start_ms: Math.round((start - profile.startTime) / 1000), ms: Math.round((end - start) / 1000), shares };
  });
}
