// SPDX-License-Identifier: GPL-3.0-or-later
// Errors: typed classes with the engine's sentence and status, keys and teams,
// configuration fallbacks, unreachable and failing engines, aborted calls.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  AuthenticationError,
  EngineError,
  EngineUnreachableError,
  InvalidArgumentError,
  NotFoundError,
  RateLimitError,
  Sandbox,
  SandboxError,
  TimeoutError,
  TooLargeError,
} from "../dist/index.js";
import { apiKey, baseUrl, conn, newSandbox, otherTeamKey } from "./support.mjs";

/** A stand-in engine that answers each request with the next of `answers` and records what it got. */
async function standIn(t, answers) {
  const seen = [];
  const server = http.createServer((req, res) => {
    let size = 0;
    req.on("data", (c) => (size += c.length));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, size });
      const [status, body, type] = answers.shift() ?? [404, "{}"];
      res.writeHead(status, { "Content-Type": type ?? "application/json", "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${server.address().port}`, seen };
}

test("unknown ids answer NotFoundError with the engine's sentence and status", async (t) => {
  const err = await Sandbox.connect("sbx_0123456789abcdef", conn).catch((e) => e);
  assert.ok(err instanceof NotFoundError && err instanceof SandboxError && err instanceof Error);
  assert.equal(err.status, 404);
  assert.equal(err.code, "not_found");
  assert.equal(err.name, "NotFoundError");
  assert.match(err.message, /sbx_0123456789abcdef/);
  const sbx = await newSandbox(t);
  await assert.rejects(sbx.commands.connect("cmd_0123456789abcdef"), NotFoundError);
  await assert.rejects(sbx.pty.connect("pty_0123456789abcdef"), NotFoundError);
  await assert.rejects(sbx.files.read("/no/such/file"), NotFoundError);
  await assert.rejects(sbx.commands.kill("cmd_0123456789abcdef"), NotFoundError);
});

test("another team's key sees none of this team's sandboxes", async (t) => {
  const sbx = await newSandbox(t);
  const other = { apiKey: otherTeamKey("js-other"), baseUrl };
  await assert.rejects(Sandbox.connect(sbx.id, other), NotFoundError);
  assert.ok(!(await Sandbox.list(other)).some((s) => s.sandbox_id === sbx.id));
  const theirs = await Sandbox.create(other);
  t.after(() => theirs.kill());
  await assert.rejects(Sandbox.connect(theirs.id, conn), NotFoundError);
});

test("a wrong key is an AuthenticationError; no key anywhere says where to put one", async () => {
  const err = await Sandbox.list({ apiKey: "ai2in_live_wrong", baseUrl }).catch((e) => e);
  assert.ok(err instanceof AuthenticationError);
  assert.equal(err.status, 401);
  const saved = { ...process.env };
  try {
    delete process.env.AI2IN_API_KEY;
    process.env.AI2IN_CREDENTIALS = "/nonexistent/credentials.json";
    const none = await Sandbox.create({ baseUrl }).catch((e) => e);
    assert.ok(none instanceof AuthenticationError);
    assert.match(none.message, /No API key: pass apiKey, set AI2IN_API_KEY/);
    assert.equal(none.status, undefined);
  } finally {
    process.env = saved;
  }
});

test("key and address from the environment, then from the credentials file", async () => {
  const saved = { ...process.env };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai2in-js-creds-"));
  try {
    process.env.AI2IN_API_KEY = apiKey;
    process.env.AI2IN_BASE_URL = baseUrl;
    assert.ok(Array.isArray(await Sandbox.list()));
    delete process.env.AI2IN_API_KEY;
    delete process.env.AI2IN_BASE_URL;
    const file = path.join(dir, "credentials.json");
    fs.writeFileSync(file, JSON.stringify({ api_key: apiKey, base_url: baseUrl }));
    process.env.AI2IN_CREDENTIALS = file;
    assert.ok(Array.isArray(await Sandbox.list()));
    // The option wins over both.
    await assert.rejects(Sandbox.list({ apiKey: "ai2in_live_wrong" }), AuthenticationError);
  } finally {
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an engine that is not there is EngineUnreachableError; a bad address is refused", async () => {
  // A port nothing listens on: one the kernel just gave out and took back.
  const probe = http.createServer();
  await new Promise((r) => probe.listen(0, "127.0.0.1", r));
  const port = probe.address().port;
  await new Promise((r) => probe.close(r));
  const err = await Sandbox.list({ apiKey: "k", baseUrl: `http://127.0.0.1:${port}` }).catch((e) => e);
  assert.ok(err instanceof EngineUnreachableError, String(err));
  assert.equal(
    err.message,
    `Cannot reach the engine at http://127.0.0.1:${port}: connection refused. Is ai2ind running, and is AI2IN_BASE_URL right?`,
  );
  await assert.rejects(Sandbox.list({ apiKey: "k", baseUrl: "ftp://example" }), InvalidArgumentError);
  await assert.rejects(Sandbox.list({ apiKey: "k", baseUrl: "not a url" }), InvalidArgumentError);
});

test("bad input is InvalidArgumentError with the engine's sentence; oversized metadata is TooLargeError", async (t) => {
  const err = await Sandbox.create({ ...conn, cpuCount: 0 }).catch((e) => e);
  assert.ok(err instanceof InvalidArgumentError);
  assert.equal(err.status, 400);
  assert.equal(err.code, "bad_request");
  assert.ok(err.message.length > 10);
  const big = await Sandbox.create({ ...conn, metadata: { blob: "x".repeat(3000) } }).catch((e) => e);
  assert.ok(big instanceof TooLargeError && big instanceof InvalidArgumentError);
  assert.equal(big.status, 413);
  await assert.rejects(Sandbox.create({ ...conn, timeoutMs: -5 }), /timeoutMs must be a positive number/);
  const sbx = await newSandbox(t);
  await assert.rejects(sbx.commands.run(""), InvalidArgumentError);
  await assert.rejects(sbx.commands.run("true", { user: "nobody-here" }), InvalidArgumentError);
  await assert.rejects(sbx.commands.run("true", { timeoutMs: 121_000 }), /at most 120000 ms/);
});

test("a team over its budget gets RateLimitError", async (t) => {
  const key = otherTeamKey("js-budget", "--max-cpu", "1");
  const sbx = await Sandbox.create({ apiKey: key, baseUrl, cpuCount: 1 });
  t.after(() => sbx.kill());
  const err = await Sandbox.create({ apiKey: key, baseUrl, cpuCount: 1 }).catch((e) => e);
  assert.ok(err instanceof RateLimitError, String(err));
  assert.equal(err.status, 429);
  assert.equal(err.code, "quota_exceeded");
});

test("an oversized upload is refused: a known size before anything is sent, a stream at the limit", async (t) => {
  const { url, seen } = await standIn(t, [[200, '{"sandbox_id": "sbx_0123456789abcdef"}']]);
  const sbx = await Sandbox.connect("sbx_0123456789abcdef", { apiKey: "k", baseUrl: url });
  assert.equal(seen.length, 1);
  const over = new Uint8Array(32 * 1024 * 1024 + 1);
  for (const data of [over, over.buffer, new Blob([over])]) {
    const err = await sbx.files.upload("big.bin", data).catch((e) => e);
    assert.ok(err instanceof TooLargeError, String(err));
    assert.equal(err.status, 413);
    assert.match(err.message, /over the engine's limit of 33554432 bytes per file; nothing was sent/);
  }
  // A stream has no size up front: it is stopped at its first piece past the
  // limit, so no whole request reaches the engine either.
  for (const data of [
    new Blob([over]).stream(),
    (async function* () {
      for (let i = 0; i < 33; i++) yield new Uint8Array(1024 * 1024);
    })(),
  ]) {
    const err = await sbx.files.upload("big.bin", data).catch((e) => e);
    assert.ok(err instanceof TooLargeError, String(err));
    assert.equal(err.status, 413);
    assert.match(err.message, /passed the engine's limit of 33554432 bytes per file; nothing was written/);
  }
  assert.equal(seen.length, 1, "a request reached the engine");
});

test("failures of the engine and answers that make no sense are EngineError", async (t) => {
  const { url } = await standIn(t, [
    [500, '{"error": {"code": "internal", "message": "The engine failed to mount the overlay."}}'],
    [200, "this is not json"],
    [503, '{"error": {"code": "unavailable", "message": "The agent does not answer."}}'],
    [200, '{"sandbox_id": "sbx_0123456789abcdef"}'],
    [200, '{"type": "stdout", "text": "partial"}\n', "application/x-ndjson"],
  ]);
  const stand = { apiKey: "k", baseUrl: url };
  const e1 = await Sandbox.list(stand).catch((e) => e);
  assert.ok(e1 instanceof EngineError);
  assert.equal(e1.message, "The engine failed to mount the overlay.");
  assert.equal(e1.status, 500);
  await assert.rejects(Sandbox.list(stand), EngineError);
  const e3 = await Sandbox.list(stand).catch((e) => e);
  assert.equal(e3.code, "unavailable");
  const sbx = await Sandbox.connect("sbx_0123456789abcdef", stand);
  const seen = [];
  const e4 = await sbx.runCode("print('x')", { onStdout: (s) => seen.push(s) }).catch((e) => e);
  assert.ok(e4 instanceof EngineError);
  assert.match(e4.message, /ended before the cell did/);
  assert.deepEqual(seen, ["partial"]);
});

test("an aborted call rejects at once with the signal's reason and leaves the engine usable", async (t) => {
  const sbx = await newSandbox(t);
  const already = AbortSignal.abort();
  await assert.rejects(sbx.getInfo({ signal: already }), { name: "AbortError" });

  const started = Date.now();
  const err = await sbx.commands.run("sleep 20", { signal: AbortSignal.timeout(300) }).catch((e) => e);
  assert.equal(err.name, "TimeoutError"); // AbortSignal.timeout's own reason, not the SDK's class
  assert.ok(!(err instanceof SandboxError));
  assert.ok(Date.now() - started < 5000, "the abort did not wait for the command");

  assert.equal((await sbx.runCode("0")).text, "0"); // the kernel runs: the abort below meets a running cell
  const controller = new AbortController();
  const reason = new Error("the user changed their mind");
  setTimeout(() => controller.abort(reason), 300);
  const cell = sbx.runCode("import time\nfor i in range(100):\n    time.sleep(0.1)", { signal: controller.signal });
  await assert.rejects(cell, (e) => e === reason);
  // Aborting runCode interrupts the cell: the kernel answers the next one promptly.
  const next = Date.now();
  assert.equal((await sbx.runCode("1 + 1")).text, "2");
  assert.ok(Date.now() - next < 8000, "the cell was not interrupted");

  const streamed = await sbx.commands
    .run("for i in 1 2 3 4 5 6 7 8 9; do echo $i; sleep 1; done", { onStdout: () => {}, signal: AbortSignal.timeout(500) })
    .catch((e) => e);
  assert.equal(streamed.name, "TimeoutError");
  assert.ok(!(streamed instanceof SandboxError));
  // ...and the streamed run was killed with it.
  const last = (await sbx.commands.list()).at(-1);
  await (async () => {
    for (let i = 0; i < 50 && (await sbx.commands.list()).at(-1).status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  assert.notEqual((await sbx.commands.list()).at(-1).status, "running", `${last.commandId} still runs`);
});

test("the SDK's own time limit is a TimeoutError", async (t) => {
  // A server that takes connections and never answers.
  const server = http.createServer(() => {});
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  const started = Date.now();
  const err = await Sandbox.list({ apiKey: "k", baseUrl: url, requestTimeoutMs: 300 }).catch((e) => e);
  assert.ok(err instanceof TimeoutError, String(err));
  assert.match(err.message, /did not answer GET \/v1\/sandboxes within 0\.3 s/);
  assert.ok(Date.now() - started < 3000);
});
