// SPDX-License-Identifier: GPL-3.0-or-later
// Network policy through the SDK: the create options, updateNetwork, the info
// and the counters. (Whether the policy holds for real traffic is the
// engine's suite's business; here, that the SDK says what the API means.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidArgumentError, Sandbox } from "../dist/index.js";
import { conn } from "./support.mjs";

/** Whether this engine knows network policies (engines before them refuse the field). */
async function engineHasNetwork() {
  const probe = await Sandbox.create({ ...conn, allowInternetAccess: true }).catch((e) => e);
  if (probe instanceof InvalidArgumentError && /allow_internet_access/.test(probe.message)) return false;
  if (probe instanceof Error) throw probe;
  await probe.kill();
  return true;
}

test("create with a policy, change it field by field, read it back", async (t) => {
  if (!(await engineHasNetwork())) {
    t.skip("this engine has no network policy yet (it refuses allow_internet_access)");
    return;
  }
  const sbx = await Sandbox.create({
    ...conn,
    allowInternetAccess: false,
    network: { allowOut: ["198.18.0.7", "registry.npmjs.org"] },
  });
  t.after(() => sbx.kill());
  const info = await sbx.getInfo();
  assert.equal(info.network.allow_internet_access, false);
  assert.deepEqual(info.network.allow_out, ["198.18.0.7", "registry.npmjs.org"]);
  assert.deepEqual(info.network.deny_out, []);
  assert.match(info.network.address, /^\d+\.\d+\.\d+\.\d+$/);

  // A field given replaces the one in force; one left out is kept.
  const changed = await sbx.updateNetwork({ allowInternetAccess: true, network: { denyOut: ["198.18.0.0/15"] } });
  assert.equal(changed.network.allow_internet_access, true);
  assert.deepEqual(changed.network.allow_out, ["198.18.0.7", "registry.npmjs.org"]);
  assert.deepEqual(changed.network.deny_out, ["198.18.0.0/15"]);
  assert.deepEqual((await sbx.getInfo()).network, changed.network);
  const cleared = await sbx.updateNetwork({ network: { allowOut: [] } });
  assert.deepEqual(cleared.network.allow_out, []);
  assert.deepEqual(cleared.network.deny_out, ["198.18.0.0/15"]);

  // A paused sandbox takes a change too.
  await sbx.pause();
  assert.equal((await sbx.updateNetwork({ allowInternetAccess: false })).network.allow_internet_access, false);
  await sbx.resume();

  for (const bad of [["not a rule!"], ["2001:db8::1"], Array.from({ length: 257 }, (_, i) => `198.18.${i >> 8}.${i & 255}`)]) {
    const err = await sbx.updateNetwork({ network: { denyOut: bad } }).catch((e) => e);
    assert.ok(err instanceof InvalidArgumentError, String(err));
    assert.equal(err.status, 400);
  }
  assert.deepEqual((await sbx.getInfo()).network.deny_out, ["198.18.0.0/15"], "a refused change changed something");
  await assert.rejects(Sandbox.create({ ...conn, network: { allowOut: ["bad rule"] } }), InvalidArgumentError);

  const m = await sbx.getMetrics();
  for (const field of ["net_in_bytes", "net_out_bytes", "net_in_packets", "net_out_packets"]) {
    assert.equal(typeof m[field], "number", field);
  }
});
