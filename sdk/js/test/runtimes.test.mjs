// SPDX-License-Identifier: GPL-3.0-or-later
// The package on Bun and Deno (their own fetch and WebSocket), when this
// machine has them: on PATH, or named by AI2IN_TEST_BUN / AI2IN_TEST_DENO.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { apiKey, baseUrl } from "./support.mjs";

const smoke = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "smoke.mjs");

function find(name, variable) {
  if (process.env[variable]) return process.env[variable];
  const which = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() : null;
}

for (const [name, variable, args] of [
  ["bun", "AI2IN_TEST_BUN", [smoke]],
  ["deno", "AI2IN_TEST_DENO", ["run", "--allow-all", smoke]],
]) {
  const binary = find(name, variable);
  test(`every part works on ${name}`, { skip: !binary && `no ${name} here (put it on PATH or set ${variable})` }, () => {
    const run = spawnSync(binary, args, {
      encoding: "utf8",
      env: { ...process.env, AI2IN_API_KEY: apiKey, AI2IN_BASE_URL: baseUrl },
      timeout: 120_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").at(-1)), {
      run: "hi\n",
      streamed: "a\nb\n",
      download: 1 << 20,
      code: "42",
      pty: true,
      watch: true,
      notFound: true,
      abort: "TimeoutError",
      native: true,
    });
  });
}
