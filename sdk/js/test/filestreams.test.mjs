// SPDX-License-Identifier: GPL-3.0-or-later
// Streamed file transfers: uploads from files on the disk, Node streams, web
// streams and async iterables; downloads to a local file; the 32 MiB limit.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, test } from "node:test";
import { EngineError, InvalidArgumentError, MAX_FILE_BYTES, NotFoundError, Sandbox, TooLargeError } from "../dist/index.js";
import { conn } from "./support.mjs";

const MIB = 1024 * 1024;
const sbx = await Sandbox.create(conn);
after(() => sbx.kill());
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ai2in-js-streams-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const big = randomBytes(MAX_FILE_BYTES);
const bigSha = createHash("sha256").update(big).digest("hex");
const bigFile = path.join(tmp, "big.bin");
fs.writeFileSync(bigFile, big);

// A Blob of a file on the disk (Node 20); Node 18 has none, so there the bytes in memory stand in.
const openAsBlob = fs.openAsBlob ?? (async (p) => new Blob([fs.readFileSync(p)]));
const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");
const remoteSha = async (p) => (await sbx.commands.run(`sha256sum ${p}`)).stdout.split(" ")[0];

test("32 MiB from a file on the disk: a Node Readable and fs.openAsBlob", async () => {
  const w = await sbx.files.write("readable.bin", fs.createReadStream(bigFile, { highWaterMark: MIB }));
  assert.deepEqual(w, { path: "/home/sandbox/readable.bin", written: MAX_FILE_BYTES });
  assert.equal(await remoteSha("readable.bin"), bigSha);
  const blob = await openAsBlob(bigFile);
  assert.equal((await sbx.files.upload("blob.bin", blob)).written, MAX_FILE_BYTES);
  assert.equal(await remoteSha("blob.bin"), bigSha);
});

test("32 MiB from an async iterable and from a web ReadableStream", async () => {
  const pieces = async function* () {
    for (let at = 0; at < big.length; at += 3 * MIB + 17) yield big.subarray(at, at + 3 * MIB + 17);
  };
  assert.equal((await sbx.files.write("iter.bin", pieces())).written, MAX_FILE_BYTES);
  assert.equal(await remoteSha("iter.bin"), bigSha);
  assert.equal((await sbx.files.write("web.bin", Readable.toWeb(fs.createReadStream(bigFile)))).written, MAX_FILE_BYTES);
  assert.equal(await remoteSha("web.bin"), bigSha);
  // Empty pieces and text pieces (UTF-8) are taken too.
  await sbx.files.write("mixed.txt", (async function* () {
    yield new Uint8Array([0x61]);
    yield new Uint8Array(0);
    yield "é";
  })());
  assert.equal(await sbx.files.read("mixed.txt"), "aé");
});

test("download to a local file, and the stream piped to one", async () => {
  await sbx.files.write("down.bin", big);
  const dest = path.join(tmp, "down.bin");
  assert.equal(await sbx.files.download("down.bin", { to: dest }), MAX_FILE_BYTES);
  assert.equal(sha(fs.readFileSync(dest)), bigSha);
  assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.endsWith(".part")), []);

  const piped = path.join(tmp, "piped.bin");
  const stream = await sbx.files.read("down.bin", { format: "stream" });
  await pipeline(Readable.fromWeb(stream), fs.createWriteStream(piped));
  assert.equal(sha(fs.readFileSync(piped)), bigSha);

  // A missing file rejects at the call and leaves nothing behind.
  const never = path.join(tmp, "never.bin");
  await assert.rejects(sbx.files.download("nothing-here", { to: never }), NotFoundError);
  assert.equal(fs.existsSync(never), false);
  assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.endsWith(".part")), []);
});

test("a download cut short is an EngineError, and leaves no file", async (t) => {
  // A stand-in that promises more than it sends, since the engine does not fail on demand.
  const server = http.createServer((req, res) => {
    if (req.method === "POST") {
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"sandbox_id": "sbx_0123456789abcdef"}');
      return;
    }
    res.writeHead(200, { "Content-Length": String(3 * MIB) });
    res.write(new Uint8Array(MIB), () => res.destroy());
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => server.close(r)));
  const stand = await Sandbox.connect("sbx_0123456789abcdef", { apiKey: "k", baseUrl: `http://127.0.0.1:${server.address().port}` });
  const dir = fs.mkdtempSync(path.join(tmp, "short-"));
  const err = await stand.files.download("f.bin", { to: path.join(dir, "short.bin") }).catch((e) => e);
  assert.ok(err instanceof EngineError, String(err));
  assert.match(err.message, /^The connection to the engine broke during GET \/v1\/sandboxes\/sbx_0123456789abcdef\/files\/content: /);
  assert.deepEqual(fs.readdirSync(dir), []);
});

test("the memory a 32 MiB transfer takes: streamed against whole", async () => {
  await sbx.files.write("mem.bin", big);
  // In a child with --expose-gc, sampling after a collection: the live
  // ArrayBuffer memory above where each call started, not garbage not yet collected.
  const child = `
    import { Sandbox } from ${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)};
    const [id, dest, src] = process.argv.slice(1);
    const sbx = await Sandbox.connect(id, ${JSON.stringify(conn)});
    const { createReadStream } = await import("node:fs");
    const peakOf = async (run) => {
      gc();
      const start = process.memoryUsage().arrayBuffers;
      let peak = 0;
      const sample = () => { gc(); peak = Math.max(peak, process.memoryUsage().arrayBuffers - start); };
      const timer = setInterval(sample, 2);
      const result = await run();
      clearInterval(timer);
      sample();
      return [peak, result];
    };
    const streamed = await peakOf(() => sbx.files.download("mem.bin", { to: dest }));
    const whole = await peakOf(() => sbx.files.download("mem.bin"));
    const upload = await peakOf(() => sbx.files.write("up.bin", createReadStream(src)));
    console.log(JSON.stringify({ streamed, whole: [whole[0], whole[1].byteLength], upload }));
  `;
  const { execFileSync } = await import("node:child_process");
  const out = execFileSync(
    process.execPath,
    ["--expose-gc", "--input-type=module", "-e", child, sbx.sandboxId, path.join(tmp, "mem.bin"), bigFile],
    { encoding: "utf8" },
  );
  const { streamed, whole, upload } = JSON.parse(out);
  assert.deepEqual([streamed[1], whole[1], upload[1].written], [MAX_FILE_BYTES, MAX_FILE_BYTES, MAX_FILE_BYTES]);
  console.log(
    `# peak live ArrayBuffer memory for 32 MiB: download to a file ${(streamed[0] / MIB).toFixed(1)} MiB, ` +
      `download into bytes ${(whole[0] / MIB).toFixed(1)} MiB, upload from a file stream ${(upload[0] / MIB).toFixed(1)} MiB`,
  );
  assert.ok(streamed[0] < 8 * MIB, "a streamed download holds only pieces");
  assert.ok(upload[0] < 8 * MIB, "a streamed upload holds only pieces");
  assert.ok(whole[0] >= MAX_FILE_BYTES, "a download into bytes holds the whole file");
  assert.equal(await remoteSha("up.bin"), bigSha);
});

test("over 32 MiB: a Blob refused before it is read, a stream at the limit; the file stays", async () => {
  await sbx.files.write("keep.bin", "the original");
  const overFile = path.join(tmp, "over.bin");
  fs.writeFileSync(overFile, "");
  fs.truncateSync(overFile, MAX_FILE_BYTES + 1);
  const err = await sbx.files.write("keep.bin", await openAsBlob(overFile)).catch((e) => e);
  assert.ok(err instanceof TooLargeError, String(err));
  assert.equal(err.status, 413);
  assert.match(err.message, /33554433 bytes is over the engine's limit of 33554432 bytes per file; nothing was sent/);

  const source = fs.createReadStream(overFile);
  const streamed = await sbx.files.write("keep.bin", source).catch((e) => e);
  assert.ok(streamed instanceof TooLargeError, String(streamed));
  assert.match(streamed.message, /passed the engine's limit of 33554432 bytes per file; nothing was written/);
  assert.ok(source.destroyed, "the source was let go");
  assert.equal(await sbx.files.read("keep.bin"), "the original");

  let taken = 0;
  const endless = async function* () {
    for (;;) {
      taken++;
      yield new Uint8Array(MIB);
    }
  };
  await assert.rejects(sbx.files.write("never.bin", endless()), TooLargeError);
  assert.equal(taken, 33, "stopped at the first piece past the limit");
  assert.equal(await sbx.files.exists("never.bin"), false);
  // The sandbox is none the worse: the next upload goes through.
  assert.equal((await sbx.files.write("keep.bin", "new")).written, 3);
});

test("a stream's own failure is the upload's, and bad pieces are refused; nothing is written", async () => {
  const broken = new Error("the source broke");
  const failing = async function* () {
    yield new Uint8Array(MIB);
    throw broken;
  };
  assert.equal(await sbx.files.write("broken.bin", failing()).catch((e) => e), broken);
  await assert.rejects(sbx.files.write("broken.bin", (async function* () {
    yield 5;
  })()), InvalidArgumentError);
  await assert.rejects(sbx.files.write("broken.bin", 5), InvalidArgumentError);
  assert.equal(await sbx.files.exists("broken.bin"), false);
});
