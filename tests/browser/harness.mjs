// Shared by the browser tests and the browser benchmark: Debian's chromium
// through playwright-core (never a downloaded browser), one fresh profile
// per launch, and helpers that read the page's terminal.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/// The server with COOP/COEP and the one without (cargo xtask passes both).
export const URL_ISOLATED = process.env.WASMUX_URL ?? "http://127.0.0.1:8080/";
export const URL_PLAIN = process.env.WASMUX_URL_PLAIN ?? URL_ISOLATED;
/// Where screenshots go.
export const ARTIFACTS = process.env.WASMUX_ARTIFACTS ?? "target/web/artifacts";
/// "real" (cargo xtask rootfs) or "test" (tests/browser/guest's stand-in).
export const ROOTFS = process.env.WASMUX_ROOTFS_KIND ?? "test";

/// Commands that mean the same on both root filesystems.
export const COMMANDS =
  ROOTFS === "real"
    ? {
        prompt: /[$#]$/,
        echo: (text) => `echo ${text}`,
        pipeline: "seq 5 | sort -r | head -n 3",
        cat: (path) => `cat ${path}`,
        bigWrite: (path) => `seq 4000000 > ${path}`,
        pipelineOutput: ["5", "4", "3"],
        winsize: "stty size",
        argv: { shell: ["sh", "-c"], sort: ["sort", "-r"], env: ["env"] },
      }
    : {
        prompt: /\$$/,
        echo: (text) => `echo ${text}`,
        pipeline: "abi_helper gen 5 | coreutils sort -r | abi_helper count",
        cat: (path) => `coreutils cat ${path}`,
        bigWrite: (path) => `abi_helper gen 4000000 > ${path}`,
        pipelineOutput: ["5 lines, sum 15"],
        winsize: "winsize",
        argv: { shell: ["tsh", "-c"], sort: ["coreutils", "sort", "-r"], env: ["abi_helper", "env", "WASMUX_TEST"] },
      };

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/// A browser with a fresh profile (so a fresh OPFS); close() removes it.
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "wasmux-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.WASMUX_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: { width: 1000, height: 640 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/// The terminal's rows as text.
export function screen(page) {
  return page.evaluate(() => window.wasmuxScreen?.() ?? []);
}

/// Waits until `test(rows)` holds for the screen; throws with the screen if not.
export async function waitForScreen(page, test, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let rows = [];
  for (;;) {
    const error = await page.evaluate(() => window.wasmuxError ?? null);
    if (error) throw new Error(`${what}: the page says: ${error}`);
    rows = await screen(page);
    if (test(rows)) return rows;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not on the screen after ${timeout} ms:\n${rows.join("\n").trimEnd()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/// The last non-empty row, without trailing blanks.
export function lastRow(rows) {
  return ([...rows].reverse().find((row) => row.trim() !== "") ?? "").trimEnd();
}

/// Waits for the prompt on the last non-empty row.
export function waitForPrompt(page, what = "the prompt", timeout) {
  return waitForScreen(page, (rows) => COMMANDS.prompt.test(lastRow(rows)), what, timeout);
}

/// The executor the scenario tests ask for on the isolated page ("jit",
/// "interp"; unset: the page's own choice). `cargo xtask test` runs them
/// once with each.
export const EXECUTOR = process.env.WASMUX_EXECUTOR ?? "";

/// `url` with `query` ("?a=1&b=2" or "") and, on the isolated page, the
/// executor asked for.
export function pageUrl(url, query = "") {
  const params = new URLSearchParams(query);
  if (EXECUTOR && url === URL_ISOLATED && !params.has("executor")) params.set("executor", EXECUTOR);
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

/// Opens the page and waits for the booted system and its prompt.
export async function open(page, url, query = "") {
  await page.goto(pageUrl(url, query));
  await page.waitForFunction(() => window.wasmux || window.wasmuxError, null, { timeout: 30000 });
  const error = await page.evaluate(() => window.wasmuxError ?? null);
  if (error) throw new Error(`boot failed: ${error}`);
  await waitForPrompt(page, "the first prompt");
}

/// Types a line into the terminal (as keys) and waits for the next prompt;
/// returns the rows printed between the command and that prompt.
export async function command(page, line, timeout) {
  const before = (await screen(page)).filter((row) => row.trim() !== "").length;
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
  const rows = await waitForScreen(
    page,
    (rows) => {
      const lines = rows.filter((row) => row.trim() !== "");
      return lines.length > before && COMMANDS.prompt.test(lastRow(rows));
    },
    `the prompt after \`${line}\``,
    timeout,
  );
  const lines = rows.filter((row) => row.trim() !== "");
  const typed = lines.findLastIndex((row) => row.trimEnd().endsWith(line));
  return lines.slice(typed + 1, -1).map((row) => row.trimEnd());
}
