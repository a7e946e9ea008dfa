// The browser tests' results for `cargo xtask test`, as machine output: one JSON line per
// top-level test as it ends (`{"name", "passed", "skipped"}`). Written line by line, because
// `--test-force-exit` (the tests leave servers and sockets open) ends the process right after
// the last test.

export default async function* results(source) {
  for await (const { type, data } of source) {
    if (data?.nesting !== 0 || (type !== "test:pass" && type !== "test:fail")) continue;
    yield `${JSON.stringify({ name: data.name, passed: type === "test:pass", skipped: Boolean(data.skip) })}\n`;
  }
}
