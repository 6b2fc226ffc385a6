// SPDX-License-Identifier: GPL-3.0-or-later
// Both WebSocket paths: the package's own client on node:http (this Node has
// no global WebSocket unless told to) and the runtime's own WebSocket, which
// cannot set headers and so sends the key as ?access_token=.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Sandbox } from "../dist/index.js";
import { apiKey, baseUrl, conn } from "./support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

// What each path must do: a terminal's onData and onExit, a watch's onEvent.
const scenario = `
if (process.env.AI2IN_TEST_NO_NATIVE_WS) delete globalThis.WebSocket;
const { Sandbox } = await import(${JSON.stringify(path.join(here, "..", "dist", "index.js"))});
const sbx = await Sandbox.create();
try {
  let out = "";
  let exit = null;
  const term = await sbx.pty.start({ cmd: "echo via-$((40+2)); exit 3", onData: (d) => (out += new TextDecoder().decode(d)), onExit: (c) => (exit = c) });
  const events = [];
  const watcher = await sbx.files.watch(".", { onEvent: (e) => events.push(e.type + " " + e.path) });
  await sbx.files.write("seen.txt", "x");
  for (let i = 0; i < 200 && (exit === null || !events.some((e) => e.endsWith("/seen.txt"))); i++) await new Promise((r) => setTimeout(r, 50));
  await watcher.stop();
  term.disconnect();
  console.log(JSON.stringify({ native: typeof globalThis.WebSocket === "function", out, exit, events }));
} finally {
  await sbx.kill();
}
`;

function runScenario(flags, env) {
  const run = spawnSync(process.execPath, [...flags, "--input-type=module", "-e", scenario], {
    encoding: "utf8",
    env: { ...process.env, ...env, AI2IN_API_KEY: apiKey, AI2IN_BASE_URL: baseUrl },
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split("\n").at(-1));
}

// Node 22+ has a global WebSocket; Node 20 has it behind a flag; Node 18 not at all.
const nativeFlags =
  typeof globalThis.WebSocket === "function"
    ? []
    : process.allowedNodeEnvironmentFlags.has("--experimental-websocket")
      ? ["--experimental-websocket", "--no-warnings"]
      : null;

for (const [label, flags, env, native] of [
  ["the package's own client on node:http", [], { AI2IN_TEST_NO_NATIVE_WS: "1" }, false],
  ["the runtime's own WebSocket", nativeFlags, {}, true],
]) {
  test(`terminal and watch streams through ${label}`, { skip: flags === null && "this Node has no WebSocket of its own" }, () => {
    const result = runScenario(flags, env);
    assert.equal(result.native, native);
    assert.match(result.out, /via-42/);
    assert.equal(result.exit, 3);
    assert.ok(result.events.includes("create /home/sandbox/seen.txt"), result.events.join());
  });
}

test("a refused terminal stream is an error with the engine's sentence", async () => {
  const sbx = await Sandbox.create(conn);
  const term = await sbx.pty.start({ cmd: "sleep 30" });
  await sbx.kill();
  // The engine upgrades, then closes with its sentence as the reason.
  const err = await term.websocket().catch((e) => e);
  assert.equal(err.name, "EngineError", String(err));
  assert.equal(err.message, `No sandbox ${sbx.id}.`);
  assert.equal(err.details.close_code, 1000);
  const watchErr = await sbx.files.watch(".", { onEvent: () => {} }).catch((e) => e);
  assert.equal(watchErr.name, "NotFoundError");
});
