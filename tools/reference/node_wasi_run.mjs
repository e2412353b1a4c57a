// Runs a wasm32-wasip1 program under node:wasi (Node's uvwasi):
//
//   node node_wasi_run.mjs [--dir HOST::GUEST]... [--env KEY=VALUE]... [--] prog.wasm [args...]
//
// The same command line and exit statuses as `wasmux run` (127 missing file,
// 126 invalid module, 134 and a message on stderr for a trap). node:wasi is less
// conformant than Wasmtime: tests/programs/README.md lists where it differs.
import { readFileSync, existsSync } from "node:fs";
import { WASI } from "node:wasi";

const USAGE = "usage: node_wasi_run.mjs [--dir HOST::GUEST]... [--env KEY=VALUE]... [--] prog.wasm [args...]";
const EXIT_TRAP = 134;

function parse(argv) {
  const preopens = {};
  const env = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") { i++; break; }
    if ((arg === "--dir" || arg === "--env") && i + 1 < argv.length) {
      const value = argv[++i];
      if (arg === "--dir") {
        const sep = value.indexOf("::");
        const host = sep < 0 ? value : value.slice(0, sep);
        preopens[sep < 0 ? value : value.slice(sep + 2)] = host;
      } else {
        const sep = value.indexOf("=");
        if (sep < 0) fail(`--env needs KEY=VALUE, got ${value}`, 2);
        env[value.slice(0, sep)] = value.slice(sep + 1);
      }
      continue;
    }
    if (arg.startsWith("--")) fail(`unknown option ${arg}\n${USAGE}`, 2);
    break;
  }
  if (i >= argv.length) fail(USAGE, 2);
  return { preopens, env, program: argv[i], args: argv.slice(i + 1) };
}

function fail(message, status) {
  process.stderr.write(`node_wasi_run: ${message}\n`);
  process.exit(status);
}

const { preopens, env, program, args } = parse(process.argv.slice(2));
if (!existsSync(program)) fail(`${program}: no such file`, 127);

let module;
try {
  module = await WebAssembly.compile(readFileSync(program));
} catch (error) {
  fail(`${program}: invalid module: ${error.message}`, 126);
}

const wasi = new WASI({ version: "preview1", args: [program, ...args], env, preopens, returnOnExit: true });
try {
  // getImportObject() is Node >= 19.8; Debian 12's Node 18 has only wasiImport.
  const imports = wasi.getImportObject?.() ?? { wasi_snapshot_preview1: wasi.wasiImport };
  const instance = await WebAssembly.instantiate(module, imports);
  process.exitCode = wasi.start(instance);
} catch (error) {
  fail(`trap: ${error}`, EXIT_TRAP);
}
