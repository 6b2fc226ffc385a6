// SPDX-License-Identifier: GPL-3.0-or-later
// The JS SDK's suite: builds the package with tsc, starts one real engine,
// runs every test/*.test.mjs against it with node --test, stops the engine.
// Exit code 77 (a CTest skip) when this machine cannot run an engine.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEngine, whyNoEngine } from "./engine.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.dirname(here);

const tsc = path.join(pkg, "node_modules", "typescript", "bin", "tsc");
if (!fs.existsSync(tsc)) {
  console.error("sdk/js/node_modules is missing: run `npm ci` in sdk/js (./dev.sh deps does).");
  process.exit(1);
}
const built = spawnSync(process.execPath, [tsc, "-p", path.join(pkg, "tsconfig.json")], { stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);

const why = whyNoEngine();
if (why) {
  console.log(`skipped: ${why}`);
  process.exit(77);
}

const only = process.argv.slice(2);
const files = (only.length ? only : fs.readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort()).map((f) =>
  path.resolve(here, f),
);
const engine = await startEngine();
let status = 1;
try {
  // One file at a time (Node 18 has no --test-concurrency; it runs files in parallel by the CPUs).
  const serial = process.allowedNodeEnvironmentFlags.has("--test-concurrency") ? ["--test-concurrency=1"] : [];
  const run = spawnSync(process.execPath, ["--test", ...serial, ...files], {
    stdio: "inherit",
    env: {
      ...process.env,
      AI2IN_TEST_BASE_URL: engine.baseUrl,
      AI2IN_TEST_API_KEY: engine.apiKey,
      AI2IN_TEST_DATA_DIR: engine.dataDir,
      AI2IN_TEST_PREVIEW_PORT: String(engine.previewPort),
    },
  });
  status = run.status ?? 1;
  if (status !== 0) console.error(`--- the engine's log (tail) ---\n${engine.tail()}`);
} finally {
  await engine.stop();
}
process.exit(status);
