// The official WASI testsuite in the page, on each executor asked for: run
// by `cargo xtask wasi-testsuite DIR --browser [--executor jit|interp]`,
// which parses the tests' .json specs (xtask/src/testsuite_spec.rs) into
// $WASMUX_TESTSUITE (a JSON list) and serves the site at $WASMUX_URL.
//
// Each test runs as under `wasmux run --dir COPY::/` (xtask/src/testsuite.rs):
// its root directory is copied into the Wasmux filesystem at
// /tmp/wts/N/root, the test written to /tmp/wts/N/test.wasm, and it is
// spawned through window.wasmux.spawn with sandbox { root: that copy,
// preopens: [["/", that copy]] } (none when the spec has no root), exactly
// the spec's environment and arguments, empty stdin. It passes when its exit
// status and (where the spec gives them) its output match; the page's
// output stream carries stdout and stderr together, so a spec giving both
// is checked against the two joined, and one giving only stdout against
// the whole stream.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./harness.mjs";

const URL = process.env.WASMUX_URL ?? "http://127.0.0.1:8080/";
const TESTS = JSON.parse(readFileSync(process.env.WASMUX_TESTSUITE, "utf8"));
const EXECUTORS = (process.env.WASMUX_EXECUTORS ?? "jit,interp").split(",");
const LIMIT_MS = 120_000;

/// Every file and directory below `dir`: [relative path, bytes or null for a directory].
function tree(dir, prefix = "") {
  const entries = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const relative = prefix ? `${prefix}/${name}` : name;
    if (statSync(path).isDirectory()) {
      entries.push([relative, null]);
      entries.push(...tree(path, relative));
    } else {
      entries.push([relative, readFileSync(path).toString("base64")]);
    }
  }
  return entries;
}

async function runOne(page, test, index) {
  const files = test.root ? tree(test.root) : [];
  const wasm = readFileSync(test.wasm).toString("base64");
  return page.evaluate(
    async ({ test, index, files, wasm, limit }) => {
      const fs = window.wasmux.fs;
      const decode = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dir = `/tmp/wts/${index}`;
      const root = `${dir}/root`;
      await fs.mkdir(root);
      for (const [path, base64] of files) {
        if (base64 === null) await fs.mkdir(`${root}/${path}`);
        else await fs.writeFile(`${root}/${path}`, decode(base64));
      }
      await fs.writeFile(`${dir}/test.wasm`, decode(wasm), { mode: 0o755 });
      const proc = await window.wasmux.spawn([`${dir}/test.wasm`, ...test.args], {
        env: test.env.map(([key, value]) => `${key}=${value}`),
        sandbox: { root, preopens: test.root ? [["/", root]] : [] },
      });
      await proc.input.getWriter().close().catch(() => {});
      const chunks = [];
      const reader = proc.output.getReader();
      const drained = (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          chunks.push(...value);
        }
      })();
      const timeout = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
      const status = await Promise.race([proc.exit, timeout(limit, "timeout")]);
      await Promise.race([drained, timeout(2000)]);
      return { status, output: new TextDecoder().decode(new Uint8Array(chunks)) };
    },
    { test, index, files, wasm, limit: LIMIT_MS },
  );
}

function problems(test, run) {
  const found = [];
  if (run.status !== test.exit_code) found.push(`exit code ${run.status}, expected ${test.exit_code}`);
  if (test.stdout !== null || test.stderr !== null) {
    const expected = (test.stdout ?? "") + (test.stderr ?? "");
    const output = run.output;
    if (output !== expected) found.push(`output ${JSON.stringify(output)}, expected ${JSON.stringify(expected)}`);
  }
  if (found.length && run.output && test.stdout === null) {
    found.push(`output ends: ${run.output.trim().split("\n").slice(-3).join(" | ")}`);
  }
  return found;
}

let failedAny = false;
const summary = [];
for (const executor of EXECUTORS) {
  const browser = await launch();
  try {
    const page = browser.page;
    await page.goto(`${URL}?executor=${executor}&disk=wts-${executor}.img&reset=1`);
    await page.waitForFunction(() => window.wasmux || window.wasmuxError, null, { timeout: 60000 });
    const error = await page.evaluate(() => window.wasmuxError ?? null);
    if (error) throw new Error(`boot failed: ${error}`);
    const got = await page.evaluate(() => window.wasmux.executor);
    if (got !== executor) throw new Error(`asked for the ${executor} executor, got ${got}`);
    let [passed, failed, skipped] = [0, 0, 0];
    for (const [index, test] of TESTS.entries()) {
      if (test.unsupported) {
        skipped += 1;
        console.log(`SKIP [${executor}] ${test.name}: ${test.unsupported}`);
        continue;
      }
      let found;
      try {
        found = problems(test, await runOne(page, test, index));
      } catch (error) {
        found = [`the page failed: ${error.message ?? error}`];
      }
      if (found.length === 0) {
        passed += 1;
        console.log(`PASS [${executor}] ${test.name}`);
      } else {
        failed += 1;
        console.log(`FAIL [${executor}] ${test.name}: ${found.join("; ")}`);
      }
    }
    if (browser.errors.length) console.log(`page errors (${executor}):\n${browser.errors.join("\n")}`);
    summary.push(`wasi-testsuite: ${passed}/${TESTS.length} passed on the ${executor} executor in the browser` +
      ` (${failed} failed, ${skipped} skipped)`);
    if (failed) failedAny = true;
  } finally {
    await browser.close();
  }
}
console.log(summary.join("\n"));
process.exit(failedAny ? 1 : 0);
