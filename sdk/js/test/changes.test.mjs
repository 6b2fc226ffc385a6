// SPDX-License-Identifier: GPL-3.0-or-later
// What a sandbox changed against its template: files.changes, files.diff, files.patch, files.changesArchive.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { CHANGES_MANIFEST, InvalidArgumentError, NotFoundError, Sandbox } from "../dist/index.js";
import { conn } from "./support.mjs";

const home = "/home/sandbox";
const blob = new Uint8Array([0, 1, 2, 0, 255, 0, 104, 105]);
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

// One sandbox for this file's tests, changed once in every way the API names.
const sbx = await Sandbox.create(conn);
after(() => sbx.kill());

before(async () => {
  await sbx.files.write("app.js", "console.log('hi');\n");
  await sbx.files.write("dir with space/é.txt", "é\n");
  await sbx.files.upload("blob.bin", blob);
  const done = await sbx.commands.run(
    "printf '12.99-js\\n' > /etc/debian_version && rm /etc/issue.net && ln -s app.js /home/sandbox/link.js",
    { user: "root" },
  );
  assert.equal(done.exitCode, 0, done.stderr);
});

test("changes: each kind in camelCase, sorted, under a path, truncated at the limit", async () => {
  const changes = await sbx.files.changes();
  assert.ok(Array.isArray(changes));
  assert.equal(changes.truncated, false);
  const paths = changes.map((c) => c.path);
  assert.deepEqual(paths, [...paths].sort());
  const by = Object.fromEntries(changes.map((c) => [c.path, c]));
  assert.deepEqual(
    [by[`${home}/app.js`].change, by[`${home}/app.js`].type, by[`${home}/app.js`].size, by[`${home}/app.js`].symlinkTarget],
    ["added", "file", 19, null],
  );
  assert.equal(by[`${home}/dir with space`].type, "dir");
  assert.equal(by[`${home}/dir with space/é.txt`].change, "added");
  assert.deepEqual([by[`${home}/link.js`].type, by[`${home}/link.js`].symlinkTarget], ["symlink", "app.js"]);
  assert.equal(by["/etc/debian_version"].change, "modified");
  assert.deepEqual([by["/etc/issue.net"].change, by["/etc/issue.net"].type], ["deleted", "file"]);
  assert.equal(typeof by["/etc/issue.net"].mode, "number");
  assert.equal(by[home], undefined, "a template directory is listed only when deleted");

  const under = await sbx.files.changes({ path: `${home}/dir with space` });
  assert.deepEqual(under.map((c) => c.path), [`${home}/dir with space`, `${home}/dir with space/é.txt`]);
  const one = await sbx.files.changes({ path: home, limit: 1 });
  assert.deepEqual([one.length, one.truncated], [1, true]);
  await assert.rejects(sbx.files.changes({ limit: 0 }), InvalidArgumentError);
});

test("diff: a text file's unified diff, a binary file's hashes, errors", async () => {
  const d = await sbx.files.diff("/etc/debian_version", { context: 0 });
  assert.deepEqual([d.change, d.type, d.binary, d.tooLarge], ["modified", "file", false, false]);
  assert.deepEqual(d.after, { size: 9, sha256: sha256("12.99-js\n") });
  assert.equal(typeof d.before?.sha256, "string");
  const lines = d.diff.split("\n");
  assert.ok(lines.includes("+12.99-js"), d.diff);
  assert.ok(lines.some((l) => l.startsWith("-") && !l.startsWith("---")), d.diff);

  const b = await sbx.files.diff("blob.bin");
  assert.deepEqual([b.path, b.binary, b.before, b.diff], [`${home}/blob.bin`, true, null, ""]);
  assert.deepEqual(b.after, { size: blob.length, sha256: sha256(blob) });

  await assert.rejects(sbx.files.diff("/etc/passwd"), NotFoundError);
});

test("patch: the text changes as one unified diff, binary ones as a line", async () => {
  const patch = await sbx.files.patch();
  assert.equal(typeof patch, "string");
  const lines = patch.split("\n");
  for (const line of ["+12.99-js", "+console.log('hi');", "+é"]) assert.ok(lines.includes(line), line);
  assert.ok(lines.some((l) => l.startsWith("Binary files") && l.includes("blob.bin")), patch);
  const mine = await sbx.files.patch({ path: `${home}/dir with space` });
  assert.ok(mine.includes("+é"));
  assert.ok(!mine.includes("debian_version"));
});

test("changesArchive: a tar that GNU tar unpacks into the sandbox's files, links, modes and manifest", async () => {
  const tar = await sbx.files.changesArchive();
  assert.ok(tar instanceof Uint8Array);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai2in-js-archive-"));
  try {
    const file = path.join(dir, "changes.tar");
    fs.writeFileSync(file, tar);
    const names = execFileSync("tar", ["-tf", file], { encoding: "utf8" }).trim().split("\n");
    assert.equal(names.at(-1), CHANGES_MANIFEST, "the manifest is the last member");
    assert.ok(!names.includes("etc/issue.net"), "a deletion is in the manifest only");
    const root = path.join(dir, "root");
    fs.mkdirSync(root);
    execFileSync("tar", ["-xf", file, "-C", root]);
    const at = (p) => path.join(root, p);
    assert.equal(fs.readFileSync(at("home/sandbox/app.js"), "utf8"), "console.log('hi');\n");
    assert.equal(fs.readFileSync(at("home/sandbox/dir with space/é.txt"), "utf8"), "é\n");
    assert.deepEqual(new Uint8Array(fs.readFileSync(at("home/sandbox/blob.bin"))), blob);
    assert.equal(fs.readFileSync(at("etc/debian_version"), "utf8"), "12.99-js\n");
    assert.equal(fs.readlinkSync(at("home/sandbox/link.js")), "app.js", "a link stays a link");
    const changes = await sbx.files.changes();
    for (const c of changes.filter((c) => c.change !== "deleted")) {
      assert.equal(fs.lstatSync(at(c.path.slice(1))).mode & 0o7777, c.mode, c.path);
    }
    const manifest = fs.readFileSync(at(CHANGES_MANIFEST), "utf8").trimEnd().split("\n");
    assert.deepEqual(manifest, changes.map((c) => `${c.change[0].toUpperCase()} ${c.path}`));
    assert.ok(manifest.includes("D /etc/issue.net"));

    const gz = await sbx.files.changesArchive({ path: `${home}/dir with space`, gzip: true });
    assert.deepEqual([gz[0], gz[1]], [0x1f, 0x8b]);
    fs.writeFileSync(file, gz);
    assert.deepEqual(execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).trim().split("\n"), [
      "home/sandbox/dir with space/",
      "home/sandbox/dir with space/é.txt",
      CHANGES_MANIFEST,
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await assert.rejects(sbx.files.changesArchive({ path: "" }), InvalidArgumentError);
});
