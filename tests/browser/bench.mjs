// `cargo xtask bench --browser [--json FILE]`: the browser figures, each
// against a reference measured in the same page, printed in
// tests/bench's form (name, value, reference, ratio, target).
//
// The guests are in the site's bench/ folder (xtask/src/web_guests.rs).

import { writeFileSync } from "node:fs";
import { launch, open, URL_ISOLATED } from "./harness.mjs";

const MIB = 1048576;
/// 64 KiB chunks the file and pipe guests move (web_guests.rs's CHUNKS).
const BYTES = 1024 * 65536;
/// clock_time_get calls of the syscall guest (web_guests.rs's SYSCALLS).
const SYSCALLS = 100000;
const GUESTS = [
  ["hello.wasm", "/hello"], ["true.wasm", "/true"], ["file.wasm", "/file"],
  ["writer.wasm", "/writer"], ["reader.wasm", "/reader"], ["syscall.wasm", "/syscall"],
  ["fib.wasm", "/fib"], ["sieve.wasm", "/sieve"], ["mix.wasm", "/mix"],
  ["fib-large.wasm", "/fib-large"], ["sieve-large.wasm", "/sieve-large"], ["mix-large.wasm", "/mix-large"],
];
/// The compute kernels: small for the interpreter; 8-16x larger for the
/// jit, so that the engine's own run takes 50-100 ms (web_guests.rs).
const KERNELS = ["fib", "sieve", "mix"];
const LARGE_KERNELS = ["fib-large", "sieve-large", "mix-large"];

function figure(name, value, unit, reference, referenceIs, target) {
  return { name, value, unit, reference, ratio: reference > 0 ? value / reference : NaN, referenceIs, target };
}

function line(f) {
  const number = (x) => x.toFixed(3).padStart(12);
  return `${f.name.padEnd(28)} ${number(f.value)} ${f.unit.padEnd(5)} reference ${number(f.reference)} ${f.unit.padEnd(5)} (${f.referenceIs}); ratio ${f.ratio.toFixed(3)}; target ${f.target}`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/// Waits for the prompt and returns when it was shown (ms since navigation).
async function promptTime(page) {
  await page.waitForFunction(() => window.wasmux || window.wasmuxError, null, { timeout: 60000 });
  const error = await page.evaluate(() => window.wasmuxError ?? null);
  if (error) throw new Error(`boot failed: ${error}`);
  await page.waitForFunction(
    () => {
      const rows = window.wasmuxScreen().filter((row) => row.trim() !== "");
      return /[$#]$/.test((rows.at(-1) ?? "").trimEnd());
    },
    null,
    { timeout: 60000, polling: 5 },
  );
  return page.evaluate(() => window.wasmuxTimes);
}

// In-page helpers, installed once per page.
async function installHelpers(page) {
  await page.evaluate(async () => {
    class Exit extends Error {
      constructor(code) {
        super(`exit ${code}`);
        this.code = code;
      }
    }
    const bytes = async (name) => new Uint8Array(await (await fetch(`bench/${name}`)).arrayBuffer());
    /// A minimal WASI for the reference runs on the page's engine.
    const wasi = (module, memory) => {
      const imports = {};
      for (const { module: from, name } of WebAssembly.Module.imports(module)) {
        imports[from] ??= {};
        imports[from][name] = (...args) => {
          if (name === "proc_exit") throw new Exit(args[0]);
          if (name === "fd_write") {
            const view = new DataView(memory().buffer);
            let total = 0;
            for (let i = 0; i < args[2]; i++) total += view.getUint32(args[1] + 8 * i + 4, true);
            view.setUint32(args[3], total, true);
          }
          return 0;
        };
      }
      return imports;
    };
    window.bench = {
      bytes,
      /// ms of one run of `name` on the page's engine, instantiation included.
      async engine(name) {
        const module = await WebAssembly.compile(await bytes(name));
        let instance;
        const started = performance.now();
        instance = await WebAssembly.instantiate(module, wasi(module, () => instance.exports.memory));
        try {
          instance.exports._start();
        } catch (error) {
          if (!(error instanceof Exit)) throw error;
        }
        return performance.now() - started;
      },
      /// ms from spawn to exit of `argv` in Wasmux (measured in the Worker).
      async wasmux(argv) {
        const process = await window.wasmux.spawn(argv);
        process.output.pipeTo(new WritableStream());
        process.input.close();
        const status = await process.exit;
        if (status !== 0) throw new Error(`${argv.join(" ")} exited with ${status}`);
        return process.elapsedMs;
      },
      async install(names) {
        for (const [name, path] of names) {
          await window.wasmux.fs.writeFile(path, await bytes(name), { mode: 0o755 });
        }
      },
      /// ms to move BYTES through a TransformStream in 64 KiB chunks.
      async streamPipe(total) {
        const chunk = new Uint8Array(65536);
        const started = performance.now();
        const { readable, writable } = new TransformStream();
        const reading = (async () => {
          const reader = readable.getReader();
          for (;;) if ((await reader.read()).done) break;
        })();
        const writer = writable.getWriter();
        for (let done = 0; done < total; done += chunk.length) await writer.write(chunk);
        await writer.close();
        await reading;
        return performance.now() - started;
      },
      async fetchMs(url) {
        const started = performance.now();
        await (await fetch(url, { cache: "no-store" })).arrayBuffer();
        return performance.now() - started;
      },
    };
  });
}

/// Microseconds per system call: the syscall guest's run, less /true's.
async function syscallUs(page) {
  await page.evaluate(() => window.bench.wasmux(["/syscall"]));
  const loop = [];
  const empty = [];
  for (let round = 0; round < 5; round++) {
    loop.push(await page.evaluate(() => window.bench.wasmux(["/syscall"])));
    empty.push(await page.evaluate(() => window.bench.wasmux(["/true"])));
  }
  return ((median(loop) - median(empty)) * 1000) / SYSCALLS;
}

/// Geometric means (ms) of the compute kernels in Wasmux and on the engine.
async function compute(page, kernels) {
  let wasmuxProduct = 1;
  let engineProduct = 1;
  for (const name of kernels) {
    await page.evaluate((n) => window.bench.wasmux([`/${n}`]), name);
    await page.evaluate((n) => window.bench.engine(`${n}.wasm`), name);
    const ours = [];
    const theirs = [];
    // Five interleaved rounds: single runs vary by up to 1.5x on a busy machine.
    for (let round = 0; round < 5; round++) {
      ours.push(await page.evaluate((n) => window.bench.wasmux([`/${n}`]), name));
      theirs.push(await page.evaluate((n) => window.bench.engine(`${n}.wasm`), name));
    }
    const executor = await page.evaluate(() => window.wasmux.executor);
    console.log(`  ${name} (${executor}): wasmux ${median(ours).toFixed(1)} ms, engine ${median(theirs).toFixed(1)} ms, ${(median(ours) / median(theirs)).toFixed(2)}x`);
    wasmuxProduct *= median(ours);
    engineProduct *= median(theirs);
  }
  const geo = (product) => product ** (1 / kernels.length);
  return { wasmux: geo(wasmuxProduct), engine: geo(engineProduct) };
}

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes("--json") ? args[args.indexOf("--json") + 1] : null;
  const figures = [];
  const emit = (f) => {
    figures.push(f);
    console.log(line(f));
  };
  const browser = await launch();
  const { page } = browser;
  try {
    // First boot: download, install, boot, prompt; a fresh disk each time.
    const first = [];
    let fetchMs = [];
    for (let round = 0; round < 3; round++) {
      await page.goto(`${URL_ISOLATED}?disk=bench-first-${round}.img&reset=1`);
      const times = await promptTime(page);
      first.push(times.lastOutput - times.bootStart);
      await installHelpers(page);
      fetchMs.push(await page.evaluate(() => window.bench.fetchMs("rootfs.tar")));
      await page.evaluate(() => window.wasmux.shutdown());
    }
    emit(figure("web_first_boot_ms", median(first), "ms", median(fetchMs),
      "fetching rootfs.tar alone, same page", "<= 2000 ms"));

    // Warm boots: the same disk, reloaded.
    const warm = [];
    const ready = [];
    await page.goto(`${URL_ISOLATED}?disk=bench.img&reset=1`);
    await promptTime(page);
    const bootedOn = await page.evaluate(() => window.wasmux.executor);
    for (let round = 0; round < 7; round++) {
      await page.reload();
      const times = await promptTime(page);
      warm.push(times.lastOutput - times.bootStart);
      ready.push(times.terminalReady);
    }
    emit(figure("web_boot_prompt_ms", median(warm), "ms", median(ready),
      `the page loading its terminal, from navigation (booted on ${bootedOn})`, "<= 300 ms"));

    // The interpreter's figures, on a page that asks for it.
    await page.goto(`${URL_ISOLATED}?disk=bench-interp.img&reset=1&executor=interp`);
    await promptTime(page);
    await installHelpers(page);
    await page.evaluate((guests) => window.bench.install(guests), GUESTS);
    const interpSyscallUs = await syscallUs(page);

    // File throughput: the file guest vs raw sync-handle writes and reads,
    // interleaved (OPFS speed drifts), after a warm-up round of each (the
    // first writes grow the files on the host's disk).
    const fileMs = [];
    const rawMs = [];
    await page.evaluate(() => window.bench.wasmux(["/file"]));
    await page.evaluate((bytes) => window.wasmux._call("rawOpfs", [bytes]), BYTES);
    for (let round = 0; round < 5; round++) {
      fileMs.push(await page.evaluate(() => window.bench.wasmux(["/file"])));
      rawMs.push(await page.evaluate((bytes) => window.wasmux._call("rawOpfs", [bytes]), BYTES));
    }
    const mbps = (ms) => (2 * BYTES) / MIB / (ms / 1000);
    emit(figure("web_opfs_ratio", mbps(median(fileMs)), "MB/s", mbps(median(rawMs)),
      "raw OPFS sync handle, same Worker, same pattern", ">= 0.8 (ratio)"));

    // Program start to exit.
    await page.evaluate(() => window.bench.wasmux(["/hello"]));
    const hello = [];
    const helloEngine = [];
    for (let round = 0; round < 15; round++) {
      hello.push(await page.evaluate(() => window.bench.wasmux(["/hello"])));
      helloEngine.push(await page.evaluate(() => window.bench.engine("hello.wasm")));
    }
    emit(figure("web_hello_start_ms", median(hello), "ms", median(helloEngine),
      "the same module on the page's engine, minimal WASI", "<= 5 ms"));

    // Pipe throughput between two guests.
    const pipe = [];
    for (let round = 0; round < 3; round++) pipe.push(await page.evaluate(() => window.bench.wasmux(["/writer"])));
    const stream = [];
    for (let round = 0; round < 3; round++) stream.push(await page.evaluate((b) => window.bench.streamPipe(b), BYTES));
    emit(figure("web_pipe_mbps", BYTES / MIB / (median(pipe) / 1000), "MB/s",
      BYTES / MIB / (median(stream) / 1000), "a TransformStream in the same page, 64 KiB chunks", ">= 500 MB/s"));

    // The interpreter against the engine (how the dispatch was chosen).
    const interp = await compute(page, KERNELS);
    emit(figure("web_compute_ratio", interp.wasmux, "ms", interp.engine,
      "fib, sieve, mix on the page's engine (geometric mean)", "report"));

    // The jit executor: each process in a Worker of its own.
    await page.goto(`${URL_ISOLATED}?disk=bench-jit.img&reset=1&executor=jit`);
    await promptTime(page);
    await installHelpers(page);
    await page.evaluate((guests) => window.bench.install(guests), GUESTS);
    const jit = await compute(page, LARGE_KERNELS);
    emit(figure("web_compute_ratio_vs_v8", jit.engine / jit.wasmux, "x", 1,
      "the engine's own time / the jit process's, spawn to exit; fib(34), sieve, mix x8 (geometric mean)", ">= 0.9"));
    await page.evaluate(() => window.bench.wasmux(["/hello"]));
    const jitHello = [];
    const jitHelloEngine = [];
    for (let round = 0; round < 15; round++) {
      jitHello.push(await page.evaluate(() => window.bench.wasmux(["/hello"])));
      jitHelloEngine.push(await page.evaluate(() => window.bench.engine("hello.wasm")));
    }
    emit(figure("web_jit_hello_start_ms", median(jitHello), "ms", median(jitHelloEngine),
      "the same module on the page's engine, minimal WASI", "<= 5 ms"));
    emit(figure("web_jit_syscall_us", await syscallUs(page), "us", interpSyscallUs,
      "the same clock_time_get loop on the interp executor", "<= 15 us"));
    const jitPipe = [];
    for (let round = 0; round < 3; round++) jitPipe.push(await page.evaluate(() => window.bench.wasmux(["/writer"])));
    emit(figure("web_jit_pipe_mbps", BYTES / MIB / (median(jitPipe) / 1000), "MB/s",
      BYTES / MIB / (median(stream) / 1000), "a TransformStream in the same page, 64 KiB chunks", ">= 500 MB/s"));
  } finally {
    if (browser.errors.length) console.error("page errors:", browser.errors.join("\n"));
    await browser.close();
  }
  if (json) {
    const rows = figures.map(({ name, value, unit, reference, ratio }) => ({ name, value, unit, reference, ratio }));
    writeFileSync(json, JSON.stringify(rows, null, 2));
  }
}

main().catch((error) => {
  console.error(`bench --browser: ${error.message}`);
  process.exit(1);
});
