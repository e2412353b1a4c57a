// Wasmux in headless Chromium: first boot, the terminal, a pipeline, a
// resize, the embedding API, files across reloads, a reload in the middle of a large
// write, the page without cross-origin isolation, and a clear message
// where the browser lacks something. Run by `cargo xtask test` (and
// `cargo xtask test-browser`), which builds the site and serves it.
//
// The scenario tests share one browser profile (one OPFS) and run in order.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  ARTIFACTS,
  COMMANDS,
  EXECUTOR,
  ROOTFS,
  URL_ISOLATED,
  URL_PLAIN,
  command,
  lastRow,
  launch,
  open,
  waitForPrompt,
  waitForScreen,
} from "./harness.mjs";

let browser;
let page;

before(async () => {
  browser = await launch();
  page = browser.page;
});

after(async () => {
  if (browser.errors.length) console.log(`page errors:\n${browser.errors.join("\n")}`);
  await browser.close();
});

test(`first boot downloads rootfs.tar (${ROOTFS} rootfs), installs it and boots to a prompt`, async () => {
  const downloads = [];
  page.on("response", (response) => {
    if (response.url().endsWith("/rootfs.tar")) downloads.push(response.status());
  });
  await open(page, URL_ISOLATED);
  assert.deepEqual(downloads, [200]);
  const state = await page.evaluate(() => ({
    firstBoot: window.wasmux.firstBoot,
    executor: window.wasmux.executor,
    isolated: window.crossOriginIsolated,
    progress: window.wasmuxProgress,
  }));
  assert.equal(state.firstBoot, true);
  if (EXECUTOR) assert.equal(state.executor, EXECUTOR, "the page runs processes on the executor asked for");
  assert.equal(state.isolated, true, "the dev server sends COOP/COEP");
  const download = state.progress.filter((p) => p.phase === "download");
  assert.ok(download.length >= 2, "download progress was reported");
  assert.ok(download.at(-1).total > 0 && download.at(-1).loaded === download.at(-1).total);
  assert.deepEqual(
    [...new Set(state.progress.map((p) => p.phase))],
    ["download", "install", "boot"],
  );
});

test("a command typed into the terminal shows its output", async () => {
  const output = await command(page, COMMANDS.echo("hello from the terminal"));
  assert.deepEqual(output, ["hello from the terminal"]);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "terminal.png") });
});

test("a pipeline runs across processes", async () => {
  assert.deepEqual(await command(page, COMMANDS.pipeline), COMMANDS.pipelineOutput);
});

test("^C ends a program computing without system calls", async (t) => {
  const programs = process.env.WASMUX_GUESTS;
  if (!programs || ROOTFS !== "real") {
    t.skip("needs the guest programs (WASMUX_GUESTS) and the real rootfs");
    return;
  }
  const spin = readFileSync(join(programs, "spin_forever.wasm"));
  await page.evaluate(
    (bytes) => window.wasmux.fs.writeFile("/root/spin", new Uint8Array(bytes), { mode: 0o755 }),
    [...spin],
  );
  await page.keyboard.type("./spin");
  await page.keyboard.press("Enter");
  await waitForScreen(page, (rows) => lastRow(rows) === "spinning forever", "the program's first line");
  await page.keyboard.press("Control+C");
  await waitForPrompt(page, "the prompt after ^C");
  assert.deepEqual(await command(page, "echo $?"), ["130"]);
});

test("resizing the page resizes the console (TIOCGWINSZ)", async () => {
  const size = () => page.evaluate(() => `${window.wasmuxTerminal.rows} ${window.wasmuxTerminal.cols}`);
  assert.deepEqual(await command(page, COMMANDS.winsize), [await size()]);
  const before = await size();
  await page.setViewportSize({ width: 720, height: 420 });
  await page.waitForFunction((old) => `${window.wasmuxTerminal.rows} ${window.wasmuxTerminal.cols}` !== old, before);
  assert.deepEqual(await command(page, COMMANDS.winsize), [await size()]);
  await page.setViewportSize({ width: 1000, height: 640 });
});

test("the embedding API spawns with pipes and reads and writes files", async () => {
  const result = await page.evaluate(async (argv) => {
    const { wasmux } = window;
    const collect = async (process) => {
      let text = "";
      const decoder = new TextDecoder();
      await process.output.pipeTo(
        new WritableStream({ write: (chunk) => (text += decoder.decode(chunk, { stream: true })) }),
      );
      return text;
    };
    await wasmux.fs.mkdir("/root/api");
    await wasmux.fs.writeFile("/root/api/note.txt", "written through the API\n");
    const read = new TextDecoder().decode(await wasmux.fs.readFile("/root/api/note.txt"));

    const sort = await wasmux.spawn(argv.sort);
    const writer = sort.input.getWriter();
    await writer.write("banana\napple\ncherry\n");
    await writer.close();
    const sorted = await collect(sort);
    const sortStatus = await sort.exit;

    const pwd = await wasmux.spawn([...argv.shell, "pwd"], { cwd: "/root/api" });
    pwd.input.close();
    const cwd = await collect(pwd);

    const env = await wasmux.spawn(argv.env, { env: { WASMUX_TEST: "set by the page" } });
    env.input.close();
    const envText = await collect(env);

    let missing = null;
    await wasmux.spawn(["no-such-program"]).catch((error) => (missing = error.message));
    return { read, sorted, sortStatus, cwd, envText, missing, exit: await env.exit };
  }, COMMANDS.argv);
  assert.equal(result.read, "written through the API\n");
  assert.equal(result.sorted, "cherry\nbanana\napple\n");
  assert.equal(result.sortStatus, 0);
  assert.equal(result.cwd, "/root/api\n");
  assert.match(result.envText, /set by the page/);
  assert.equal(result.exit, 0);
  assert.match(result.missing, /no-such-program/);
});

test("files survive a page reload", async () => {
  await command(page, `${COMMANDS.echo("kept across reloads")} > /root/note`);
  await page.reload();
  await page.waitForFunction(() => window.wasmux || window.wasmuxError);
  await waitForPrompt(page, "the prompt after a reload");
  assert.equal(await page.evaluate(() => window.wasmux.firstBoot), false, "no second install");
  assert.deepEqual(await command(page, COMMANDS.cat("/root/note")), ["kept across reloads"]);
  const api = await page.evaluate(async () =>
    new TextDecoder().decode(await window.wasmux.fs.readFile("/root/api/note.txt")));
  assert.equal(api, "written through the API\n");
});

test("a reload in the middle of a large write leaves a bootable system", async () => {
  await page.keyboard.type(COMMANDS.bigWrite("/root/big"));
  await page.keyboard.press("Enter");
  // Let the write get going, check it is still running, then pull the plug.
  await new Promise((resolve) => setTimeout(resolve, 700));
  const rows = await page.evaluate(() => window.wasmuxScreen().filter((r) => r.trim() !== ""));
  assert.ok(rows.at(-1).includes("/root/big"), `the write is still running:\n${rows.join("\n")}`);
  await page.reload();
  await page.waitForFunction(() => window.wasmux || window.wasmuxError, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.wasmuxError ?? null), null);
  await waitForPrompt(page, "the prompt after a reload during a write");
  assert.deepEqual(await command(page, COMMANDS.cat("/root/note")), ["kept across reloads"]);
  assert.deepEqual(await command(page, COMMANDS.echo("still working")), ["still working"]);
  // The interrupted file is whatever part was committed, and writable again.
  await command(page, `${COMMANDS.echo("replaced")} > /root/big`);
  assert.deepEqual(await command(page, COMMANDS.cat("/root/big")), ["replaced"]);
});

test("a second tab on the same disk is told the disk is in use", async () => {
  const second = await browser.context.newPage();
  try {
    await second.goto(URL_ISOLATED);
    await second.waitForFunction(() => window.wasmuxError, null, { timeout: 20000 });
    assert.match(await second.locator("#panel").innerText(), /in use by another tab/);
  } finally {
    await second.close();
  }
  assert.deepEqual(await command(page, COMMANDS.echo("first tab fine")), ["first tab fine"]);
});

test("the page works without cross-origin isolation (no COOP/COEP)", async () => {
  const plain = await launch();
  try {
    await open(plain.page, URL_PLAIN, "?isolate=0");
    assert.equal(await plain.page.evaluate(() => window.crossOriginIsolated), false);
    assert.equal(await plain.page.evaluate(() => window.wasmux.executor), "interp");
    assert.deepEqual(await command(plain.page, COMMANDS.echo("no isolation needed")), [
      "no isolation needed",
    ]);
  } finally {
    await plain.close();
  }
});

test("a static host without COOP/COEP gets isolation from the service worker, and the jit", async () => {
  const plain = await launch();
  try {
    await plain.page.goto(URL_PLAIN);
    await plain.page.waitForFunction(() => window.wasmux || window.wasmuxError, null, { timeout: 30000 });
    const state = await plain.page.evaluate(() => ({
      isolated: window.crossOriginIsolated,
      executor: window.wasmux?.executor,
      controlled: Boolean(navigator.serviceWorker.controller),
      error: window.wasmuxError ?? null,
    }));
    assert.deepEqual(state, { isolated: true, executor: "jit", controlled: true, error: null });
    await waitForPrompt(plain.page, "the first prompt");
    assert.deepEqual(await command(plain.page, COMMANDS.echo("isolated by a service worker")), [
      "isolated by a service worker",
    ]);
  } finally {
    await plain.close();
  }
});

test("a browser without OPFS gets a clear message, not a blank page", async () => {
  const old = await launch();
  try {
    await old.page.addInitScript(() => {
      Object.defineProperty(StorageManager.prototype, "getDirectory", { value: undefined });
    });
    await old.page.goto(URL_ISOLATED);
    await old.page.waitForFunction(() => window.wasmuxError);
    const text = await old.page.locator("#panel").innerText();
    assert.match(text, /Wasmux cannot run here/);
    assert.match(text, /Origin Private File System/);
  } finally {
    await old.close();
  }
});
