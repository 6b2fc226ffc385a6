// SPDX-License-Identifier: GPL-3.0-or-later
// Lifecycle: create, connect, list with filters, info, timeout, pause/resume, metrics, host, kill, await using.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConflictError, InvalidArgumentError, NotFoundError, Sandbox } from "../dist/index.js";
import { conn, newSandbox } from "./support.mjs";

test("create with options, get info, set timeout in milliseconds", async (t) => {
  const sbx = await newSandbox(t, {
    timeoutMs: 300_000,
    metadata: { suite: "js-lifecycle" },
    envs: { GREETING: "hi" },
    cpuCount: 1,
    memoryMb: 256,
    region: "ap-south-1",
  });
  assert.match(sbx.id, /^sbx_[a-z0-9]{16}$/);
  assert.equal(sbx.sandboxId, sbx.id);
  assert.equal(sbx.region, "ap-south-1");
  assert.equal(sbx.baseUrl, conn.baseUrl);
  assert.equal(sbx.apiKey, conn.apiKey);
  const info = await sbx.getInfo();
  assert.equal(info.status, "running");
  assert.equal(info.cpu_count, 1);
  assert.equal(info.memory_mb, 256);
  assert.deepEqual(info.metadata, { suite: "js-lifecycle" });
  const left = Date.parse(info.end_at) - Date.now();
  assert.ok(left > 290_000 && left <= 300_000, `end_at is ${left} ms away`);
  assert.equal((await sbx.commands.run("echo $GREETING")).stdout, "hi\n");

  const extended = await sbx.setTimeout(3_600_000);
  const now = Date.parse(extended.end_at) - Date.now();
  assert.ok(now > 3_590_000 && now <= 3_600_000, `end_at is ${now} ms away`);
  assert.equal((await sbx.getInfo()).end_at, extended.end_at);
  await assert.rejects(sbx.setTimeout(86_400_001), InvalidArgumentError);
  await assert.rejects(sbx.setTimeout(0), InvalidArgumentError);
  assert.equal(await sbx.isRunning(), true);
  assert.equal(String(sbx), `Sandbox(${sbx.id} at ${conn.baseUrl})`);
});

test("template given first, as Sandbox.create(template, options)", async (t) => {
  const sbx = await Sandbox.create("base", conn);
  t.after(() => sbx.kill());
  assert.equal((await sbx.getInfo()).template, "base");
  await assert.rejects(Sandbox.create("no-such-template", conn), InvalidArgumentError);
});

test("pause keeps the files, resume runs again, twice over", async (t) => {
  const sbx = await newSandbox(t);
  await sbx.files.write("notes.txt", "kept");
  for (let i = 0; i < 2; i++) {
    const paused = await sbx.pause();
    assert.equal(paused.status, "paused");
    assert.equal(paused.pause_kind, "stop");
    assert.equal(await sbx.isRunning(), false);
    await assert.rejects(sbx.commands.run("true"), ConflictError);
    await assert.rejects(sbx.pause(), ConflictError);
    assert.equal((await sbx.resume()).status, "running");
    assert.equal(await sbx.files.read("notes.txt"), "kept");
  }
  const frozen = await sbx.pause({ keepMemory: true });
  assert.equal(frozen.pause_kind, "freeze");
  await sbx.resume();
});

test("connect from elsewhere, with autoResume", async (t) => {
  const sbx = await newSandbox(t);
  const same = await Sandbox.connect(sbx.id, conn);
  assert.equal(same.id, sbx.id);
  assert.equal((await same.commands.run("echo hi")).stdout, "hi\n");
  await sbx.pause();
  const still = await Sandbox.connect(sbx.id, conn);
  assert.equal((await still.getInfo()).status, "paused");
  const resumed = await Sandbox.connect(sbx.id, { ...conn, autoResume: true });
  assert.equal((await resumed.getInfo()).status, "running");
});

test("list with metadata and state filters", async (t) => {
  const tag = `list-${process.pid}`;
  const a = await newSandbox(t, { metadata: { suite: tag } });
  const b = await newSandbox(t, { metadata: { suite: tag, role: "other" } });
  await b.pause();
  const ids = async (query) => (await Sandbox.list({ ...conn, query })).map((s) => s.sandbox_id);
  assert.deepEqual(await ids({ metadata: { suite: tag } }), [a.id, b.id]);
  assert.deepEqual(await ids({ metadata: { role: "other" } }), [b.id]);
  assert.deepEqual(await ids({ metadata: { suite: tag }, state: ["running"] }), [a.id]);
  assert.deepEqual(await ids({ metadata: { suite: tag }, state: "paused" }), [b.id]);
  assert.ok((await Sandbox.list(conn)).some((s) => s.sandbox_id === a.id));
  await assert.rejects(Sandbox.list({ ...conn, query: { state: ["sleeping"] } }), InvalidArgumentError);
  await assert.rejects(Sandbox.list({ ...conn, query: { colour: "red" } }), /Unknown query field\(s\): colour/);
});

test("metrics and the preview URL of a port", async (t) => {
  const sbx = await newSandbox(t);
  const m = await sbx.getMetrics();
  for (const field of ["cpu_percent", "cpu_count", "memory_bytes", "memory_limit_bytes", "pids", "uptime_seconds"]) {
    assert.equal(typeof m[field], "number", field);
  }
  const url = await sbx.getHost(3000);
  assert.match(url, new RegExp(`^http://3000-${sbx.id}\\.localhost:\\d+$`));
  await assert.rejects(sbx.getHost(70000), InvalidArgumentError);
  await assert.rejects(sbx.getHost(3.5), InvalidArgumentError);
  assert.equal(sbx.previewToken, null);
  assert.deepEqual(sbx.previewHeaders, {});
  assert.equal(await sbx.getHost(3000, { withToken: true }), url);
});

test("preview auth: the token, its headers and the browser URL", async (t) => {
  const sbx = await newSandbox(t, { previewAuth: true });
  assert.match(sbx.previewToken, /^[a-z0-9]{32}$/);
  assert.deepEqual(sbx.previewHeaders, { "X-Ai2in-Preview-Token": sbx.previewToken });
  await sbx.commands.start("python3 -m http.server 3000");
  const url = await sbx.getHost(3000);
  assert.equal(await sbx.getHost(3000, { withToken: true }), `${url}/?ai2in_token=${sbx.previewToken}`);
  const answer = await (async () => {
    for (let i = 0; i < 100; i++) {
      const r = await fetch(url + "/", { headers: sbx.previewHeaders });
      if (r.status === 200) return r;
      await r.arrayBuffer();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the server did not answer through the preview");
  })();
  assert.match(await answer.text(), /Directory listing/);
  const refused = await fetch(url + "/");
  assert.equal(refused.status, 401);
  await refused.arrayBuffer();
});

test("kill: gone for every call, and await using kills at the end of the scope", async (t) => {
  const sbx = await Sandbox.create(conn);
  await sbx.kill();
  await assert.rejects(sbx.getInfo(), NotFoundError);
  await assert.rejects(sbx.commands.run("true"), NotFoundError);
  await assert.rejects(sbx.files.read("x"), NotFoundError);
  await assert.rejects(sbx.kill(), NotFoundError);
  assert.equal(await sbx.isRunning(), false);

  // The syntax itself is checked by the README examples (compiled by tsc); here the protocol.
  assert.equal(typeof Symbol.asyncDispose, "symbol");
  const scoped = await Sandbox.create(conn);
  await scoped[Symbol.asyncDispose]();
  await assert.rejects(Sandbox.connect(scoped.id, conn), NotFoundError);
  await scoped[Symbol.asyncDispose](); // already gone: no error
  t.diagnostic(`killed ${sbx.id} and ${scoped.id}`);
});
