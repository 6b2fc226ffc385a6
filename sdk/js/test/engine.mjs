// SPDX-License-Identifier: GPL-3.0-or-later
// One real engine for the whole JS suite, as tests/sdk/support.py starts one
// for the Python suite: a private data dir under a 0711 temp root, two free
// loopback ports, the templates from AI2IN_TEMPLATES, the binary from AI2IN_ENGINE.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const RUNC = "/usr/sbin/runc";

export function templatesDir() {
  return process.env.AI2IN_TEMPLATES || "/var/lib/ai2in/templates";
}

/** Why there cannot be an engine here, or null. */
export function whyNoEngine() {
  const binary = process.env.AI2IN_ENGINE;
  if (!binary) return "AI2IN_ENGINE does not name an ai2ind binary";
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    return `AI2IN_ENGINE (${binary}) is not an executable`;
  }
  if (process.getuid?.() !== 0) return "the engine needs root to start containers";
  if (!fs.existsSync(path.join(templatesDir(), "base"))) return `the base template is not built in ${templatesDir()}`;
  return null;
}

/** The test engine's --network-name: its nftables table and its links' prefix (1-7 letters or digits). */
function networkName() {
  return `j${process.pid % 1000000}`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function startEngine() {
  const root = fs.mkdtempSync(path.join("/tmp", "ai2in-js-"));
  fs.chmodSync(root, 0o711);
  const dataDir = path.join(root, "d");
  fs.mkdirSync(dataDir);
  const port = await freePort();
  let previewPort = await freePort();
  while (previewPort === port) previewPort = await freePort();
  const logPath = path.join(root, "engine.log");
  const log = fs.openSync(logPath, "w");
  const child = spawn(
    process.env.AI2IN_ENGINE,
    [
      "serve",
      "--data-dir", dataDir,
      "--listen", `127.0.0.1:${port}`,
      "--preview-listen", `localhost:${previewPort}`,
      "--templates", templatesDir(),
      "--runtime", RUNC,
      "--node-id", "test-node",
      // Of this process: its own nftables table and links, and addresses
      // apart from the other suites' (100.73.x.0/24), so engines never share them.
      "--network-name", networkName(),
      "--network-pool", `100.74.${process.pid % 256}.0/24`,
    ],
    { stdio: ["ignore", log, log], detached: true },
  );
  let exited = null;
  child.on("exit", (code) => (exited = code ?? -1));
  const baseUrl = `http://127.0.0.1:${port}`;
  const tail = () => fs.readFileSync(logPath, "utf8").slice(-4000);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) throw new Error(`ai2ind exited with ${exited}:\n${tail()}`);
    try {
      const r = await fetch(baseUrl + "/v1/health");
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`ai2ind did not become healthy in 30 s:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const apiKey = JSON.parse(fs.readFileSync(path.join(dataDir, "credentials.json"), "utf8")).api_key;

  async function stop() {
    if (exited === null) {
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await gone;
      clearTimeout(timer);
    }
    fs.closeSync(log);
    // Containers the engine did not get to delete, then mounts under our root.
    const runcRoot = path.join(dataDir, "runc");
    if (fs.existsSync(runcRoot)) {
      for (const name of fs.readdirSync(runcRoot)) {
        spawnSync(RUNC, ["--root", runcRoot, "delete", "--force", name], { stdio: "ignore" });
      }
    }
    const points = fs
      .readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .map((line) => line.split(" ")[4])
      .filter((p) => p && p.startsWith(root + "/"))
      .sort((a, b) => b.length - a.length);
    for (const p of points) spawnSync("umount", ["-l", p], { stdio: "ignore" });
    // The engine leaves its table for sandboxes that outlive it; a test's goes with the test.
    spawnSync(process.env.AI2IN_ENGINE, ["network", "down", "--network-name", networkName()], { stdio: "ignore" });
    fs.rmSync(root, { recursive: true, force: true });
  }

  return { baseUrl, apiKey, dataDir, root, previewPort, logPath, stop, tail };
}
