// SPDX-License-Identifier: GPL-3.0-or-later
// Parity: every public method and property of the Python SDK's classes exists
// in the JS SDK under its camelCase name, every public Python export is
// exported, and Sandbox()'s keyword arguments are Sandbox.create()'s options.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as sdk from "../dist/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const pythonSdk = path.resolve(here, "..", "..", "python");

/** The Python SDK's public surface, as Python itself sees it. */
function pythonSurface() {
  const script = `
import inspect, json
import ai2in
classes = {}
for name in ai2in.__all__:
    obj = getattr(ai2in, name)
    if not inspect.isclass(obj) or issubclass(obj, BaseException):
        continue
    members = {}
    for attr, member in vars(obj).items():
        if attr.startswith("_") and attr not in ("__enter__", "__exit__"):
            continue
        if isinstance(member, (staticmethod, classmethod)):
            members[attr] = "static"
        elif isinstance(member, property) or inspect.isfunction(member):
            members[attr] = "instance"
    params = [p for p in inspect.signature(obj.__init__).parameters if p != "self"] if name == "Sandbox" else []
    classes[name] = {"members": members, "params": params}
print(json.dumps({"exports": [n for n in ai2in.__all__ if not n.startswith("_")], "classes": classes}))
`;
  return JSON.parse(
    execFileSync("python3", ["-c", script], { encoding: "utf8", env: { ...process.env, PYTHONPATH: pythonSdk } }),
  );
}

const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

// Names that are not a plain snake_case → camelCase mapping, each for a reason.
const RENAMED = {
  timeout: "timeoutMs", // the JS API counts milliseconds, as the seed's timeoutMs
  request_timeout: "requestTimeoutMs",
};
// Python classes that are plain data in JS: a TypeScript type, nothing to call.
// (ChangeList: Python's list with .truncated is an array with .truncated in JS.)
const TYPE_ONLY = new Set(["SandboxQuery", "Logs", "ChangeList"]);
// Python classes whose JS counterpart is the platform's own: Chunks, the pieces of
// `files.read(path, format="stream")`, is the ReadableStream<Uint8Array> of `{ format: "stream" }`.
const PLATFORM = new Set(["Chunks"]);

/** What the JS SDK lacks of a Python surface: a list of sentences, empty when nothing. */
function missing(surface, js, declarations) {
  const gaps = [];
  for (const name of surface.exports) {
    if (name === "__version__") {
      if (!("VERSION" in js)) gaps.push("export VERSION (Python's __version__)");
    } else if (!TYPE_ONLY.has(name) && !PLATFORM.has(name) && !(name in js)) {
      gaps.push(`export ${name}`);
    }
  }
  for (const [cls, { members, params }] of Object.entries(surface.classes)) {
    if (PLATFORM.has(cls)) continue;
    if (TYPE_ONLY.has(cls)) {
      if (!new RegExp(`interface ${cls}\\b`).test(declarations)) gaps.push(`type ${cls}`);
      continue;
    }
    const target = js[cls];
    if (typeof target !== "function") continue; // reported as a missing export above
    for (const [member, kind] of Object.entries(members)) {
      if (member === "__enter__" || member === "__exit__") {
        if (typeof target.prototype[Symbol.asyncDispose] !== "function") gaps.push(`${cls}[Symbol.asyncDispose] (Python's with)`);
        continue;
      }
      const name = camel(member);
      const has = kind === "static" ? typeof target[name] === "function" : name in target.prototype;
      if (!has) gaps.push(`${cls}${kind === "static" ? "." : "#"}${name} (Python's ${member})`);
    }
    for (const param of params) {
      const name = RENAMED[param] ?? camel(param);
      if (!new RegExp(`\\b${name}\\?:`).test(declarations)) gaps.push(`Sandbox.create option ${name} (Python's ${param}=)`);
    }
  }
  return gaps;
}

const declarations = fs
  .readdirSync(path.join(here, "..", "dist"))
  .filter((f) => f.endsWith(".d.ts"))
  .map((f) => fs.readFileSync(path.join(here, "..", "dist", f), "utf8"))
  .join("\n");

test("the JS SDK has every public method, property and export of the Python SDK", () => {
  const surface = pythonSurface();
  // The listing found the classes it must have found, so an empty result means something.
  for (const cls of ["Sandbox", "Commands", "CommandHandle", "Files", "Watcher", "Pty", "PtyHandle", "Result", "Execution"]) {
    assert.ok(cls in surface.classes, `Python's ${cls} was not listed`);
  }
  assert.ok(Object.keys(surface.classes.Sandbox.members).length > 15);
  assert.deepEqual(missing(surface, sdk, declarations), []);
});

test("the parity check fails for a method, an option or an export the JS SDK lacks", () => {
  const surface = pythonSurface();
  surface.exports.push("BrandNewError");
  surface.classes.Files.members.copy_tree = "instance";
  surface.classes.Sandbox.members.from_snapshot = "static";
  surface.classes.Sandbox.params.push("gpu_count");
  assert.deepEqual(missing(surface, sdk, declarations), [
    "export BrandNewError",
    "Sandbox.fromSnapshot (Python's from_snapshot)",
    "Sandbox.create option gpuCount (Python's gpu_count=)",
    "Files#copyTree (Python's copy_tree)",
  ]);
});

test("the seeds' JS names exist with the seeds' shapes", () => {
  const { Sandbox, Commands, CommandHandle, Pty, PtyHandle, Files, Watcher } = sdk;
  for (const name of ["create", "connect", "list"]) assert.equal(typeof Sandbox[name], "function", name);
  for (const name of ["runCode", "getInfo", "setTimeout", "pause", "resume", "getHost", "getMetrics", "kill", "updateNetwork"]) {
    assert.equal(typeof Sandbox.prototype[name], "function", name);
  }
  for (const [cls, names] of [
    [Commands, ["run", "start", "list"]],
    [CommandHandle, ["logs", "kill", "wait", "sendStdin"]],
    [Pty, ["start"]],
    [PtyHandle, ["send", "read", "resize", "kill"]],
    [Files, ["list", "read", "write", "upload", "download", "exists", "remove", "rename", "makeDir", "watch"]],
    [Watcher, ["poll", "stop"]],
  ]) {
    for (const name of names) assert.equal(typeof cls.prototype[name], "function", `${cls.name}.${name}`);
  }
  // Shapes the seeds read: result.exitCode, c.commandId, { text, alive } = await term.read().
  assert.match(declarations, /exitCode: number;/);
  assert.match(declarations, /commandId: string;/);
  assert.match(declarations, /interface PtyOutput[\s\S]*text: string;[\s\S]*alive: boolean;/);
  assert.match(declarations, /end_at: string \| null;/);
  assert.match(declarations, /interface SandboxOptions extends ConnectionOptions/);
  assert.match(declarations, /interface ConnectionOptions[^}]*\bapiKey\?:/);
  for (const option of ["timeoutMs", "allowInternetAccess", "network"]) {
    assert.match(declarations, new RegExp(`interface SandboxOptions[^}]*\\b${option}\\?:`), option);
  }
});

test("the package's version is the project's", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(here, "..", "package.json"), "utf8"));
  const py = fs.readFileSync(path.join(pythonSdk, "ai2in", "_version.py"), "utf8").match(/__version__ = "([^"]+)"/)[1];
  assert.equal(sdk.VERSION, pkg.version);
  assert.equal(pkg.version, py);
  assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [], "the package has no runtime dependency");
});
