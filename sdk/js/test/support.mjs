// SPDX-License-Identifier: GPL-3.0-or-later
// What every test file shares: the suite's engine (started by run.mjs) and helpers.
import { execFileSync } from "node:child_process";
import { NotFoundError, Sandbox } from "../dist/index.js";

export const baseUrl = process.env.AI2IN_TEST_BASE_URL;
export const apiKey = process.env.AI2IN_TEST_API_KEY;
export const dataDir = process.env.AI2IN_TEST_DATA_DIR;
if (!baseUrl || !apiKey) throw new Error("Run the JS suite through test/run.mjs, which starts the engine.");

export const conn = { apiKey, baseUrl };

/** A sandbox killed when the test `t` ends. */
export async function newSandbox(t, opts = {}) {
  const sbx = await Sandbox.create({ ...conn, ...opts });
  t.after(async () => {
    await sbx.kill().catch((e) => {
      if (!(e instanceof NotFoundError)) throw e;
    });
  });
  return sbx;
}

/** A key of another team (`ai2ind keys create`), with optional budget flags. */
export function otherTeamKey(team, ...flags) {
  return execFileSync(process.env.AI2IN_ENGINE, ["keys", "create", "--team", team, "--data-dir", dataDir, ...flags], {
    encoding: "utf8",
  }).trim();
}

/** Polls `predicate` until it returns something truthy. */
export async function waitFor(predicate, what = "condition", timeoutMs = 30_000, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
