// SPDX-License-Identifier: GPL-3.0-or-later
// Files: list, read, write, upload and download in every form, exists, info, remove, rename, makeDir, watch.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, test } from "node:test";
import { ConflictError, InvalidArgumentError, NotFoundError, PermissionDeniedError, Sandbox, Watcher } from "../dist/index.js";
import { conn, waitFor } from "./support.mjs";

// One sandbox for this file's tests.
const sbx = await Sandbox.create(conn);
after(() => sbx.kill());

test("write and read text; list entries in camelCase", async () => {
  const w = await sbx.files.write("app.py", "print('built by an agent')");
  assert.deepEqual(w, { path: "/home/sandbox/app.py", written: 26 });
  assert.equal(await sbx.files.read("app.py"), "print('built by an agent')");
  assert.equal((await sbx.commands.run("python3 app.py")).stdout, "built by an agent\n");
  const entries = await sbx.files.list(".");
  const app = entries.find((e) => e.name === "app.py");
  assert.equal(app.path, "/home/sandbox/app.py");
  assert.equal(app.type, "file");
  assert.equal(app.size, 26);
  assert.equal(app.owner, "sandbox");
  assert.equal(app.symlinkTarget, null);
  assert.equal(typeof app.mode, "number");
  assert.deepEqual(await sbx.files.list(), entries);
  await sbx.files.write("deep/a/b.txt", "x");
  const deep = await sbx.files.list("deep", { depth: 3 });
  assert.deepEqual(deep.map((e) => e.path), ["/home/sandbox/deep/a", "/home/sandbox/deep/a/b.txt"]);
  assert.equal((await sbx.files.getInfo("./deep/../deep/a")).path, "/home/sandbox/deep/a");
});

test("upload and download bytes, Blobs, streams and 32 MiB whole", async () => {
  const bytes = randomBytes(32 * 1024 * 1024);
  const w = await sbx.files.upload("big.bin", new Uint8Array(bytes));
  assert.equal(w.written, bytes.length);
  const back = await sbx.files.download("big.bin");
  assert.ok(back instanceof Uint8Array);
  assert.ok(Buffer.from(back).equals(bytes));

  const small = randomBytes(100_000);
  await sbx.files.upload("blob.bin", new Blob([small]));
  await sbx.files.upload("stream.bin", new Blob([small]).stream());
  await sbx.files.upload("iter.bin", (async function* () {
    yield small.subarray(0, 50_000);
    yield small.subarray(50_000);
  })());
  await sbx.files.upload("buffer.bin", small.buffer.slice(small.byteOffset, small.byteOffset + small.length));
  for (const name of ["blob.bin", "stream.bin", "iter.bin", "buffer.bin"]) {
    assert.ok(Buffer.from(await sbx.files.read(name, { format: "bytes" })).equals(small), name);
  }
  const blob = await sbx.files.read("blob.bin", { format: "blob" });
  assert.ok(blob instanceof Blob);
  assert.ok(Buffer.from(await blob.arrayBuffer()).equals(small));
  const stream = await sbx.files.read("blob.bin", { format: "stream" });
  const parts = [];
  for await (const chunk of stream) parts.push(chunk);
  assert.ok(Buffer.concat(parts).equals(small));
  await sbx.files.write("bytes.txt", new TextEncoder().encode("héllo"));
  assert.equal(await sbx.files.read("bytes.txt"), "héllo");
});

test("exists, getInfo, remove, rename, makeDir and their errors", async () => {
  assert.equal(await sbx.files.makeDir("d/e"), true);
  assert.equal(await sbx.files.makeDir("d/e"), false);
  assert.equal(await sbx.files.exists("d/e"), true);
  assert.equal((await sbx.files.getInfo("d/e")).type, "dir");
  await sbx.files.write("d/e/f.txt", "f");
  const moved = await sbx.files.rename("d/e/f.txt", "g/h.txt");
  assert.equal(moved.path, "/home/sandbox/g/h.txt");
  assert.equal(moved.type, "file");
  assert.equal(await sbx.files.exists("d/e/f.txt"), false);
  await sbx.files.remove("d");
  assert.equal(await sbx.files.exists("d"), false);
  await assert.rejects(sbx.files.remove("d"), NotFoundError);
  await assert.rejects(sbx.files.getInfo("nope"), NotFoundError);
  await assert.rejects(sbx.files.list("g/h.txt"), InvalidArgumentError);
  await assert.rejects(sbx.files.makeDir("g/h.txt"), ConflictError);
  await assert.rejects(sbx.files.read("/etc/shadow"), PermissionDeniedError);
  assert.match(await sbx.files.read("/etc/shadow", { user: "root" }), /^root:/);
  await sbx.commands.run("ln -s /etc/hostname link");
  const link = await sbx.files.getInfo("link");
  assert.equal(link.type, "symlink");
  assert.equal(link.symlinkTarget, "/etc/hostname");
});

test("watch: poll what changed, stop; onEvent gets each change as it happens", async () => {
  await sbx.files.makeDir("watched");
  const w = await sbx.files.watch("watched");
  assert.ok(w instanceof Watcher);
  assert.match(w.id, /^wch_/);
  assert.equal(w.path, "/home/sandbox/watched");
  await sbx.files.write("watched/sub/a.txt", "1");
  const events = await waitFor(async () => {
    const all = [];
    for (let i = 0; i < 10; i++) {
      all.push(...(await w.poll()));
      if (all.some((e) => e.path === "/home/sandbox/watched/sub/a.txt")) return all;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  }, "the recursive event");
  assert.ok(events.some((e) => e.type === "create" && e.path === "/home/sandbox/watched/sub" && e.isDir === true));
  assert.equal(w.dropped, false);
  await w.stop();
  await w.stop(); // stopping twice is fine
  await assert.rejects(w.poll(), NotFoundError);

  const seen = [];
  const live = await sbx.files.watch("watched", { recursive: false, onEvent: (e) => seen.push(e) });
  await sbx.files.write("watched/b.txt", "2");
  await sbx.files.remove("watched/b.txt");
  // (The atomic write's own temporary file comes and goes first.)
  await waitFor(
    () => seen.some((e) => e.type === "remove" && e.path === "/home/sandbox/watched/b.txt"),
    "the remove of b.txt on the stream",
  );
  const mine = seen.filter((e) => e.path === "/home/sandbox/watched/b.txt").map((e) => e.type);
  assert.equal(mine[0], "create");
  assert.equal(mine.at(-1), "remove");
  await live.stop();
  await assert.rejects(sbx.files.watch("watched/nope"), NotFoundError);
});
