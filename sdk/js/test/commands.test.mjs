// SPDX-License-Identifier: GPL-3.0-or-later
// Commands: blocking runs with options, streaming order, background handles, list, connect, kill.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { CommandHandle, Sandbox, TimeoutError } from "../dist/index.js";
import { conn } from "./support.mjs";

// One sandbox for this file's tests.
const sbx = await Sandbox.create(conn);
after(() => sbx.kill());

test("run returns stdout, stderr and exitCode; a failure is returned, not thrown", async () => {
  const r = await sbx.commands.run("echo out; echo err >&2; exit 3");
  assert.equal(r.stdout, "out\n");
  assert.equal(r.stderr, "err\n");
  assert.equal(r.exitCode, 3);
  assert.equal(r.error, null);
  assert.equal(r.truncated, false);
  assert.match(r.commandId, /^cmd_[a-z0-9]{16}$/);
  assert.ok(r.pid > 0);
  assert.equal((await sbx.commands.run("kill -9 $$")).exitCode, 137);
});

test("cwd, env and user", async () => {
  await sbx.files.makeDir("app");
  const r = await sbx.commands.run('pwd; echo "$CI"; whoami', { cwd: "app", env: { CI: "1" } });
  assert.equal(r.stdout, "/home/sandbox/app\n1\nsandbox\n");
  assert.equal((await sbx.commands.run("whoami", { user: "root" })).stdout, "root\n");
});

test("past timeoutMs the command is killed and TimeoutError carries its output", async () => {
  const err = await sbx.commands.run("echo started; sleep 30", { timeoutMs: 1000 }).catch((e) => e);
  assert.ok(err instanceof TimeoutError, String(err));
  assert.equal(err.status, 504);
  assert.equal(err.stdout, "started\n");
  assert.match(err.commandId, /^cmd_/);
  // The same with streaming callbacks.
  const chunks = [];
  const streamed = await sbx.commands
    .run("echo started; sleep 30", { timeoutMs: 1000, onStdout: (s) => chunks.push(s) })
    .catch((e) => e);
  assert.ok(streamed instanceof TimeoutError, String(streamed));
  assert.equal(streamed.stdout, "started\n");
  assert.equal(chunks.join(""), "started\n");
  const killed = (await sbx.commands.list()).find((c) => c.commandId === streamed.commandId);
  await (async () => {
    for (let i = 0; i < 50; i++) {
      const c = (await sbx.commands.list()).find((c) => c.commandId === streamed.commandId);
      if (c.status !== "running") return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${killed.commandId} still runs after its timeout`);
  })();
});

test("onStdout and onStderr get the output while it runs, in order, and the result matches", async () => {
  const out = [];
  const err = [];
  const times = [];
  const started = Date.now();
  const script = "for i in 1 2 3 4 5; do echo line$i; echo warn$i >&2; sleep 0.3; done";
  const r = await sbx.commands.run(script, {
    onStdout: (s) => {
      out.push(s);
      times.push(Date.now() - started);
    },
    onStderr: (s) => err.push(s),
  });
  assert.equal(r.exitCode, 0);
  assert.equal(out.join(""), "line1\nline2\nline3\nline4\nline5\n");
  assert.equal(err.join(""), "warn1\nwarn2\nwarn3\nwarn4\nwarn5\n");
  assert.equal(r.stdout, out.join(""));
  assert.equal(r.stderr, err.join(""));
  assert.ok(out.length >= 3, `only ${out.length} chunks: the output did not stream`);
  assert.ok(times[0] < 1000, `the first line came after ${times[0]} ms`);
});

test("start gives a handle: id, pid, logs, sendStdin, wait, kill", async () => {
  const proc = await sbx.commands.start("read a; echo got:$a; cat");
  assert.ok(proc instanceof CommandHandle);
  assert.match(proc.id, /^cmd_/);
  assert.ok(proc.pid > 0);
  assert.equal(proc.cmd, "read a; echo got:$a; cat");
  assert.equal(await proc.sendStdin("hello\n"), 6);
  assert.equal(await proc.sendStdin(new TextEncoder().encode("rest"), { eof: true }), 4);
  const logs = await proc.wait({ timeoutMs: 10_000 });
  assert.deepEqual(logs, { stdout: "got:hello\nrest", stderr: "", status: "exited", exitCode: 0, error: null, truncated: false });
  assert.deepEqual(await proc.logs(), logs);

  const server = await sbx.commands.start("python3 -m http.server 3000", { cwd: "app", env: { PORT: "3000" } });
  const running = await server.logs();
  assert.equal(running.status, "running");
  assert.equal(running.exitCode, null);
  await assert.rejects(server.wait({ timeoutMs: 300 }), TimeoutError);
  await server.kill();
  const ended = await server.wait({ timeoutMs: 10_000 });
  assert.notEqual(ended.status, "running");
  assert.equal(ended.exitCode, 128 + 15);

  const stubborn = await sbx.commands.start("trap '' TERM; sleep 60");
  await new Promise((r) => setTimeout(r, 200));
  await stubborn.kill({ signalNumber: 9 });
  assert.equal((await stubborn.wait({ timeoutMs: 10_000 })).exitCode, 137);
});

test("start with callbacks streams the output of a background command; run with background is start", async () => {
  const seen = [];
  const proc = await sbx.commands.start("for i in 1 2 3; do echo $i; sleep 0.2; done", { onStdout: (s) => seen.push(s) });
  await proc.wait();
  assert.equal(seen.join(""), "1\n2\n3\n");
  const bg = await sbx.commands.run("sleep 0.1; echo bg", { background: true });
  assert.ok(bg instanceof CommandHandle);
  assert.equal((await bg.wait()).stdout, "bg\n");
});

test("list names every command in camelCase; connect and kill by id", async () => {
  const proc = await sbx.commands.start("sleep 60");
  const listed = await sbx.commands.list();
  const mine = listed.find((c) => c.commandId === proc.id);
  assert.equal(mine.cmd, "sleep 60");
  assert.equal(mine.pid, proc.pid);
  assert.equal(mine.status, "running");
  assert.equal(mine.exitCode, null);
  assert.equal(mine.user, "sandbox");
  assert.equal(typeof mine.startedAt, "string");
  assert.equal(mine.endedAt, null);
  const again = await sbx.commands.connect(proc.id);
  assert.equal(again.pid, proc.pid);
  await sbx.commands.kill(proc.id);
  const logs = await again.wait({ timeoutMs: 10_000 });
  assert.equal(logs.status, "killed");
});
