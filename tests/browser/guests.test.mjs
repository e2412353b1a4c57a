// The guest test programs (tests/programs) in the browser on both executors,
// compared with the same invocations under `wasmux run`, the oracle (the
// native test suites check its behaviour). Run by `cargo xtask test-browser`
// after wasmux.test.mjs.
//
// Each invocation runs in a sandbox laid out the same way on both sides:
//   S/root      the program's root directory and its "/" preopen (unless noRoot)
//   S/outside.txt   a file beside the root, for programs that try to escape it
//   S/extraN    further preopens (`dirs`), under the names the program sees
//   S/root/bin  abi_helper.wasm and coreutils.wasm for programs that spawn them
// natively as `wasmux run --dir S/root::/ [--dir S/extraN::NAME] [--dir
// PROGRAMS::/bin] --env K=V PROGRAM ARGS` with stdout and stderr on one pipe;
// in the page through window.wasmux.spawn(argv, { env, sandbox: { root,
// preopens } }) (boot.js: root directory, exactly these preopens and this
// environment, WASI path rules, as `wasmux run`), the program written into
// the Wasmux filesystem at /tmp/guests/NAME.wasm (mode 0755).
//
// Normalized, because they must differ: lines the native CLI itself prints
// ("wasmux: PROGRAM: wasm trap: ..." on stderr: the page's API reports only
// the status, the kernel's log goes to the console) are dropped from the
// native output, and measured durations ("1.91ms", "5.6s": abi_hog prints
// its timings) read "<duration>" on both sides. Nothing else: the programs
// print only deterministic facts (no pids or inode numbers).
//
// KNOWN lists the differences seen and not fixed yet, with their reasons:
// those tests run and show both outputs, but are reported as TODO instead of
// failing the run. Any other difference fails it.
//
// One page per executor (?executor=jit, ?executor=interp), each on a fresh
// disk of its own. A mismatch fails with both outputs; a summary of every
// program on both executors is printed at the end.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { URL_ISOLATED, launch } from "./harness.mjs";

const PROGRAMS = process.env.WASMUX_GUESTS ?? "target/wasm32-wasip1-programs";
const WASMUX = process.env.WASMUX_BIN ?? "target/debug/wasmux";
/// Per run, on either side.
const LIMIT_MS = 120_000;
/// How long to wait for output to end once the program has exited (a child
/// it left running may hold the pipe).
const OUTPUT_GRACE_MS = 2_000;

const FRUIT = "pear\napple\nfig\n";

/// The invocations: every guest program of tests/programs as its host test
/// runs it (tests/tests/*.rs), except spin_forever (it never ends, and the
/// embedding API has no kill to end it with).
const INVOCATIONS = [
  { program: "hello", noRoot: true },
  { program: "exit_code", noRoot: true },
  { program: "trap_unreachable", noRoot: true },
  { program: "stdin_echo", noRoot: true, stdin: "hello stdin\nsecond line\n" },
  { name: "stdin_echo (empty stdin)", program: "stdin_echo", noRoot: true },
  {
    program: "args_env",
    noRoot: true,
    args: ["first", "with space", "", "ünïcödé"],
    env: [["ZED", "last"], ["ALPHA", "a=b=c"], ["EMPTY", ""]],
  },
  { name: "args_env (none)", program: "args_env", noRoot: true },
  { program: "clocks", noRoot: true },
  { program: "random", noRoot: true },
  { program: "sched_yield", noRoot: true },
  { program: "proc_raise", noRoot: true },
  { program: "compute_sieve", noRoot: true, args: ["100000", "3"] },
  { program: "poll_clock", noRoot: true },
  { program: "poll_fd", stdin: "ping\n" },
  { program: "preopens", dirs: ["/data", "relative/name"] },
  { name: "preopens (none)", program: "preopens", noRoot: true },
  { program: "file_read_write" },
  { program: "file_pread_pwrite" },
  { program: "file_sync_advise_allocate" },
  { program: "fdstat_flags" },
  { program: "file_stat_size" },
  { program: "file_times" },
  { program: "renumber" },
  { program: "path_open_flags" },
  { program: "directories" },
  { program: "readdir" },
  { program: "links" },
  { program: "std_file_io" },
  { program: "error_bad_fd" },
  { program: "error_fault" },
  { program: "error_rights" },
  { program: "error_path_escape" },
  { program: "error_invalid_arguments" },
  { program: "sockets_on_files" },
  { program: "c_file_io", args: ["from-the-test"] },
  { name: "coreutils cat", program: "coreutils", args: ["cat", "/fruit.txt"], files: { "fruit.txt": FRUIT } },
  {
    name: "coreutils sort -o",
    program: "coreutils",
    args: ["sort", "-o", "/sorted.txt", "/fruit.txt"],
    files: { "fruit.txt": FRUIT },
    check: ["sorted.txt"],
  },
  { name: "coreutils wc", program: "coreutils", noRoot: true, args: ["wc"], stdin: "one two\nthree\n" },
  {
    name: "coreutils cp",
    program: "coreutils",
    args: ["cp", "/fruit.txt", "/backup/fruit.txt"],
    files: { "fruit.txt": FRUIT, "backup/.keep": "" },
    check: ["backup/fruit.txt"],
  },
  { name: "coreutils cat (missing file)", program: "coreutils", args: ["cat", "/missing.txt"] },
  ...[
    "abi_pipeline",
    "abi_sigint",
    "abi_sigpipe",
    "abi_wait",
    "abi_hog",
    "abi_exec",
    "abi_pgroup",
    "abi_chdir",
    "abi_group_sigint",
    "abi_command",
    "abi_fds",
    "abi_signal_rules",
    "abi_wait_scope",
    "abi_leave_child",
    "abi_termios",
    "abi_sleep_signal",
  ].map((program) => ({ program, bin: true })),
].map((invocation) => ({
  name: invocation.program,
  args: [],
  env: [],
  stdin: "",
  dirs: [],
  files: {},
  check: [],
  ...invocation,
}));

/// Differences seen, by invocation: the executors they show on, and why.
const KNOWN = {
  abi_wait_scope: {
    executors: ["jit", "interp"],
    reason:
      "the program checks that it is init (pid 1), which it is under `wasmux run`; " +
      "in the page /sbin/init is, and the program gets another pid",
  },
};

/// Programs the abi programs spawn from /bin.
const BIN = ["abi_helper", "coreutils"];

const wasmPath = (program) => join(PROGRAMS, `${program}.wasm`);

/// Measured durations, which differ from run to run.
function normalize(output) {
  return output.replace(/\b\d+(\.\d+)?(ns|µs|us|ms|s)\b/g, "<duration>");
}

/// Drops what the native CLI itself says (see the top of the file).
function normalizeNative(output) {
  return normalize(
    output
      .split(/(?<=\n)/)
      .filter((line) => !line.startsWith("wasmux: "))
      .join(""),
  );
}

/// Runs one invocation under `wasmux run`: { status, output, files }.
function runNative(invocation, index) {
  const sandbox = mkdtempSync(join(tmpdir(), `wasmux-guest-${index}-`));
  try {
    const root = join(sandbox, "root");
    mkdirSync(root);
    writeFileSync(join(sandbox, "outside.txt"), "outside\n");
    for (const [path, text] of Object.entries(invocation.files)) {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const argv = ["run"];
    if (!invocation.noRoot) argv.push("--dir", `${root}::/`);
    invocation.dirs.forEach((guest, n) => {
      mkdirSync(join(sandbox, `extra${n}`));
      argv.push("--dir", `${join(sandbox, `extra${n}`)}::${guest}`);
    });
    if (invocation.bin) argv.push("--dir", `${PROGRAMS}::/bin`);
    for (const [key, value] of invocation.env) argv.push("--env", `${key}=${value}`);
    argv.push(wasmPath(invocation.program), ...invocation.args);
    // stdout and stderr on one pipe, as the page's output stream has them.
    const run = spawnSync("sh", ["-c", 'exec "$@" 2>&1', "sh", WASMUX, ...argv], {
      input: invocation.stdin,
      timeout: LIMIT_MS,
      maxBuffer: 64 << 20,
    });
    if (run.error) throw new Error(`wasmux run ${invocation.name}: ${run.error}`);
    const files = {};
    for (const path of invocation.check) {
      try {
        files[path] = readFileSync(join(root, path), "utf8");
      } catch {
        files[path] = null;
      }
    }
    return {
      status: run.status ?? 128 + 9,
      rawOutput: run.stdout.toString(),
      output: normalizeNative(run.stdout.toString()),
      files,
    };
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
}

/// Runs one invocation in the page: { status, output, files } (status
/// "timeout" when it did not end within the limit).
async function runInPage(page, invocation, index, written) {
  const programs = [invocation.program, ...(invocation.bin ? BIN : [])];
  for (const program of programs) {
    if (written.has(program)) continue;
    const base64 = readFileSync(wasmPath(program)).toString("base64");
    await page.evaluate(
      async ({ program, base64 }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        await window.wasmux.fs.mkdir("/tmp/guests");
        await window.wasmux.fs.writeFile(`/tmp/guests/${program}.wasm`, bytes, { mode: 0o755 });
      },
      { program, base64 },
    );
    written.add(program);
  }
  return page.evaluate(
    async ({ invocation, index, bin, limit, grace }) => {
      const fs = window.wasmux.fs;
      const sandbox = `/tmp/run/${index}`;
      const root = `${sandbox}/root`;
      await fs.mkdir(root);
      await fs.writeFile(`${sandbox}/outside.txt`, "outside\n");
      for (const [path, text] of Object.entries(invocation.files)) {
        const dir = `${root}/${path}`.replace(/\/[^/]*$/, "");
        await fs.mkdir(dir);
        await fs.writeFile(`${root}/${path}`, text);
      }
      const preopens = invocation.noRoot ? [] : [["/", root]];
      for (const [n, guest] of invocation.dirs.entries()) {
        await fs.mkdir(`${sandbox}/extra${n}`);
        preopens.push([guest, `${sandbox}/extra${n}`]);
      }
      if (bin) {
        await fs.mkdir(`${root}/bin`);
        for (const program of bin) {
          const bytes = await fs.readFile(`/tmp/guests/${program}.wasm`);
          await fs.writeFile(`${root}/bin/${program}.wasm`, bytes, { mode: 0o755 });
        }
        preopens.push(["/bin", `${root}/bin`]);
      }
      const proc = await window.wasmux.spawn([`/tmp/guests/${invocation.program}.wasm`, ...invocation.args], {
        env: invocation.env.map(([key, value]) => `${key}=${value}`),
        sandbox: { root, preopens },
      });
      const chunks = [];
      const reader = proc.output.getReader();
      const drained = (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          chunks.push(value);
        }
      })();
      const writer = proc.input.getWriter();
      if (invocation.stdin) await writer.write(new TextEncoder().encode(invocation.stdin)).catch(() => {});
      await writer.close().catch(() => {});
      const timeout = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
      const status = await Promise.race([proc.exit, timeout(limit, "timeout")]);
      await Promise.race([drained, timeout(grace)]);
      reader.releaseLock?.();
      const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
      const all = new Uint8Array(length);
      let at = 0;
      for (const chunk of chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
      const files = {};
      for (const path of invocation.check) {
        try {
          files[path] = new TextDecoder().decode(await fs.readFile(`${root}/${path}`));
        } catch {
          files[path] = null;
        }
      }
      return { status, rawOutput: new TextDecoder().decode(all), files };
    },
    { invocation, index, bin: invocation.bin ? BIN : null, limit: LIMIT_MS, grace: OUTPUT_GRACE_MS },
  );
}

function describeRun(run) {
  return `status ${run.status}\n--- output ---\n${run.output}${run.output.endsWith("\n") || !run.output ? "" : "\n"}--- end ---`;
}

const native = new Map();
/// Per executor: name -> "same" or the difference.
const results = { jit: new Map(), interp: new Map() };

before(() => {
  INVOCATIONS.forEach((invocation, index) => native.set(invocation.name, runNative(invocation, index)));
});

after(() => {
  const lines = ["guest programs, page vs `wasmux run`:"];
  for (const { name } of INVOCATIONS) {
    const oracle = native.get(name);
    const cell = (executor) => results[executor].get(name) ?? "not run";
    lines.push(`  ${name.padEnd(30)} native status ${String(oracle?.status).padEnd(4)} jit: ${cell("jit").padEnd(10)} interp: ${cell("interp")}`);
  }
  for (const executor of ["jit", "interp"]) {
    const same = [...results[executor].values()].filter((result) => result === "same").length;
    lines.push(`  ${executor}: ${same}/${INVOCATIONS.length} the same as wasmux run`);
  }
  for (const [name, { executors, reason }] of Object.entries(KNOWN)) {
    lines.push(`  known (${executors.join(", ")}) ${name}: ${reason}`);
  }
  console.log(lines.join("\n"));
});

for (const executor of ["jit", "interp"]) {
  describe(`guest programs on the ${executor} executor`, () => {
    let browser;
    let page;
    const written = new Set();

    before(async () => {
      browser = await launch();
      page = browser.page;
      await page.goto(`${URL_ISOLATED}?executor=${executor}&disk=guests-${executor}.img&reset=1`);
      await page.waitForFunction(() => window.wasmux || window.wasmuxError, null, { timeout: 60000 });
      const error = await page.evaluate(() => window.wasmuxError ?? null);
      if (error) throw new Error(`boot failed: ${error}`);
      assert.equal(await page.evaluate(() => window.wasmux.executor), executor);
    });

    after(async () => {
      if (browser.errors.length) console.log(`page errors (${executor}):\n${browser.errors.join("\n")}`);
      await browser.close();
    });

    INVOCATIONS.forEach((invocation, index) => {
      const known = KNOWN[invocation.name]?.executors.includes(executor) ? KNOWN[invocation.name].reason : undefined;
      const options = { timeout: LIMIT_MS + 30_000, ...(known ? { todo: `known difference: ${known}` } : {}) };
      test(`${invocation.name} behaves as under wasmux run`, options, async () => {
        const oracle = native.get(invocation.name);
        let got;
        try {
          got = await runInPage(page, invocation, index, written);
        } catch (error) {
          results[executor].set(invocation.name, "error");
          throw error;
        }
        got.output = normalize(got.rawOutput);
        const problems = [];
        if (got.status !== oracle.status) problems.push(`status ${got.status}, native ${oracle.status}`);
        if (got.output !== oracle.output) problems.push("output differs");
        for (const path of invocation.check) {
          if (got.files[path] !== oracle.files[path]) {
            problems.push(`${path}: ${JSON.stringify(got.files[path])}, native ${JSON.stringify(oracle.files[path])}`);
          }
        }
        results[executor].set(invocation.name, problems.length ? (known ? "KNOWN" : "DIFFERS") : "same");
        assert.ok(
          problems.length === 0,
          `${invocation.name} on ${executor}: ${problems.join("; ")}\n` +
            `=== ${executor} ===\n${describeRun(got)}\n` +
            `=== wasmux run (native) ===\n${describeRun(oracle)}`,
        );
      });
    });
  });
}
