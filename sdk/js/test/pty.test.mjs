// SPDX-License-Identifier: GPL-3.0-or-later
// Terminals: start, send, read (text and bytes), resize, kill, the onData stream, the WebSocket, list and connect.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { NotFoundError, PtyHandle, Sandbox } from "../dist/index.js";
import { conn, waitFor } from "./support.mjs";

// One sandbox for this file's tests.
const sbx = await Sandbox.create(conn);
after(() => sbx.kill());

/** Reads until `pattern` shows up in the text so far. */
async function readUntil(term, pattern) {
  let text = "";
  await waitFor(async () => {
    const out = await term.read();
    text += out.text;
    return pattern.test(text);
  }, `${pattern} in the terminal`);
  return text;
}

test("start, send, read drains text and bytes, resize, kill", async () => {
  const term = await sbx.pty.start({ cols: 120, rows: 30 });
  assert.ok(term instanceof PtyHandle);
  assert.match(term.id, /^pty_[a-z0-9]{16}$/);
  assert.ok(term.pid > 0);
  const line = "stty size; echo $((6*7))\n";
  assert.equal(await term.send(line), line.length);
  const text = await readUntil(term, /30 120[\s\S]*42/);
  assert.match(text, /30 120/);
  await term.resize({ cols: 100, rows: 40 });
  await term.send("stty size\n");
  await readUntil(term, /40 100/);
  const { text: rest, data, alive, exitCode, dropped } = await term.read();
  assert.equal(typeof rest, "string");
  assert.ok(data instanceof Uint8Array);
  assert.equal(alive, true);
  assert.equal(exitCode, null);
  assert.equal(dropped, false);
  // A character split between two reads is whole in the text.
  await term.send("printf '\\xc3'; sleep 0.5; printf '\\xa9\\n'\n");
  const text2 = await readUntil(term, /é/);
  assert.ok(!text2.includes("\ufffd"), JSON.stringify(text2));
  await term.kill();
  const end = await waitFor(async () => {
    const out = await term.read().catch((e) => e);
    return out instanceof NotFoundError || !out.alive ? out : null;
  }, "the terminal to end");
  assert.ok(end instanceof NotFoundError || end.alive === false);
  await assert.rejects(sbx.pty.start({ cols: 0, rows: 24 }), /cols|size|1/);
});

test("onData streams every byte in order from the first, onExit gets the exit code", async () => {
  const chunks = [];
  let exitCode = null;
  const term = await sbx.pty.start({
    cmd: "for i in $(seq 1 200); do echo line-$i; done; exit 7",
    onData: (d) => chunks.push(d),
    onExit: (code) => (exitCode = code),
  });
  await waitFor(() => exitCode !== null, "the exit message");
  assert.equal(exitCode, 7);
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  const lines = text.split(/\r?\n/).filter((l) => l.startsWith("line-"));
  assert.deepEqual(lines, Array.from({ length: 200 }, (_, i) => `line-${i + 1}`));
  term.disconnect();
});

test("the WebSocket: type and resize through it, reconnect from an offset without a gap", async () => {
  const term = await sbx.pty.start({ cols: 80, rows: 24 });
  let seen = "";
  const ws = await term.websocket({ offset: 0, onData: (d) => (seen += new TextDecoder().decode(d)) });
  assert.equal(ws.offset, 0);
  ws.resize(90, 33);
  ws.send("stty size\n");
  await waitFor(() => /33 90/.test(seen), "the resize through the socket");
  ws.close();
  const closed = await ws.closed;
  assert.equal(closed.code, 1000);
  // Reconnect from the first byte: everything is there again.
  let again = "";
  const ws2 = await term.websocket({ offset: 0, onData: (d) => (again += new TextDecoder().decode(d)) });
  await waitFor(() => again.includes("33 90"), "the output again from offset 0");
  ws2.close();
  await term.kill();
});

test("list and connect; an attached stream sees later output", async () => {
  const term = await sbx.pty.start({ cols: 81, rows: 25 });
  const listed = (await sbx.pty.list()).find((p) => p.ptyId === term.id);
  assert.deepEqual(
    { pid: listed.pid, cols: listed.cols, rows: listed.rows, alive: listed.alive, exitCode: listed.exitCode },
    { pid: term.pid, cols: 81, rows: 25, alive: true, exitCode: null },
  );
  let seen = "";
  const other = await sbx.pty.connect(term.id, { onData: (d) => (seen += new TextDecoder().decode(d)) });
  assert.equal(other.pid, term.pid);
  await term.send("echo from-the-first-handle\n");
  await waitFor(() => seen.includes("from-the-first-handle"), "the output on the second handle");
  other.disconnect();
  await term.kill();
  await assert.rejects(sbx.pty.connect("pty_0123456789abcdef"), NotFoundError);
});
