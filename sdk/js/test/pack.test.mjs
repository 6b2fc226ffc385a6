// SPDX-License-Identifier: GPL-3.0-or-later
// `npm pack` makes a tarball that installs into an empty folder, without the
// registry, and every TypeScript example of the README compiles against it
// with tsc (await using included) and runs against the engine.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { apiKey, baseUrl } from "./support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.dirname(here);

/** npm, offline, with its cache (and logs) in the test's temporary folder. */
function npm(args, cwd, cache) {
  return execFileSync("npm", [...args, "--offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_cache: cache, npm_config_update_notifier: "false" },
  });
}

test("the packed package installs into an empty folder and runs the README's examples", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai2in-js-pack-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // dist/ is fresh (run.mjs built it), so the pack runs no scripts.
  const cache = path.join(dir, "npm-cache");
  const packed = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], pkg, cache));
  const files = packed[0].files.map((f) => f.path).sort();
  assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts") && files.includes("README.md"));
  assert.ok(files.every((f) => f.startsWith("dist/") || ["README.md", "package.json"].includes(f)), files.join());
  const tarball = path.join(dir, packed[0].filename);

  const app = path.join(dir, "app");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  npm(["install", tarball], app, cache);
  const installed = JSON.parse(fs.readFileSync(path.join(app, "node_modules", "@ai2in", "sdk", "package.json"), "utf8"));
  assert.deepEqual(installed.dependencies ?? {}, {});
  assert.deepEqual(fs.readdirSync(path.join(app, "node_modules")).filter((n) => !n.startsWith(".")), ["@ai2in"]);

  const readme = fs.readFileSync(path.join(pkg, "README.md"), "utf8");
  const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(examples.length >= 6, `only ${examples.length} examples in the README`);
  examples.forEach((code, i) => fs.writeFileSync(path.join(app, `example${i + 1}.ts`), code));
  fs.writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022", "ESNext.Disposable"],
        types: ["node"],
        typeRoots: [path.join(pkg, "node_modules", "@types")],
        strict: true,
        noEmitOnError: true,
      },
      include: ["example*.ts"],
    }),
  );
  const tsc = spawnSync(process.execPath, [path.join(pkg, "node_modules", "typescript", "bin", "tsc"), "-p", app], {
    encoding: "utf8",
  });
  assert.equal(tsc.status, 0, `the README's examples do not compile:\n${tsc.stdout}${tsc.stderr}`);

  const env = { ...process.env, AI2IN_API_KEY: apiKey, AI2IN_BASE_URL: baseUrl };
  const outputs = examples.map((_, i) => {
    // In the app's own folder, as a user runs them (an example may write a file).
    const run = spawnSync(process.execPath, [path.join(app, `example${i + 1}.js`)], {
      cwd: app,
      encoding: "utf8",
      env,
      timeout: 120_000,
    });
    assert.equal(run.status, 0, `example ${i + 1} failed:\n${run.stdout}${run.stderr}`);
    return run.stdout;
  });
  assert.match(outputs[0], /^built by an agent\n\npreview: http:\/\/3000-sbx_[a-z0-9]{16}\.localhost:\d+\n$/);
  assert.match(outputs[1], /Python 3\.\d+\.\d+\n 0\n[\s\S]*step 1\nstep 2\nstep 3\n/);
  assert.match(outputs[2], /^true [\s\S]*ls -la[\s\S]*streamed/);
  assert.match(outputs[3], /kept across pauses\n1\n$/);
  assert.match(outputs[4], /stdout: computing\n42\nZeroDivisionError\n$/);
  assert.match(outputs[5], /^3 true\n[\s\S]*create \/home\/sandbox\/new\.txt[\s\S]*file new\.txt 5\n/);
  assert.equal(outputs[6], "8388608\n"); // a file streamed up, then down into a local file
  assert.match(
    outputs[7],
    /^added file \/home\/sandbox\/app\.py\nfalse\nfalse 27\n[\s\S]*\+\+\+ b\/home\/sandbox\/app\.py\n@@[^\n]*@@\n\+print\('built by an agent'\)\n/,
  );
  assert.equal(outputs[8], "[ 'registry.npmjs.org' ]\ntrue [ '198.51.100.0/24' ]\n");
  assert.match(outputs[9], /^404 No sandbox sbx_0123456789abcdef[\s\S]*timed out after: ""\nTimeoutError\n$/);
  // The examples killed what they made.
  const left = await fetch(`${baseUrl}/v1/sandboxes`, { headers: { Authorization: `Bearer ${apiKey}` } }).then((r) => r.json());
  assert.deepEqual(left.sandboxes.filter((s) => s.metadata.session === "agent-42"), []);
});
