// SPDX-License-Identifier: GPL-3.0-or-later
// The JS SDK against raw fetch and the Python SDK, in one run on one engine:
// the `commands.run("true")` round trip and a 32 MiB upload and download.
// Writes its section of docs/performance.md.
//
//   node bench/bench_sdk_js.mjs        (as root, base template built, sdk/js built:
//                                       cd sdk/js && npm ci && npx tsc)
// AI2IN_ENGINE names the engine (default build/engine/ai2ind).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.AI2IN_ENGINE ||= path.join(root, "build", "engine", "ai2ind");
const { startEngine, whyNoEngine } = await import(path.join(root, "sdk/js/test/engine.mjs"));
const { Sandbox } = await import(path.join(root, "sdk/js/dist/index.js"));

const ROUND_TRIPS = 300;
const TRANSFERS = 5;
const BIG = 32 * 1024 * 1024;

function percentile(samples, p) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const median = (s) => percentile(s, 50);
const fmt = (v, d = 2) => v.toFixed(d);

async function timeEach(n, fn) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  return samples;
}

/** The Python SDK's figures, measured by Python in its own process on the same sandbox. */
function pythonFigures(engine, sandboxId) {
  const script = `
import json, os, sys, time
from ai2in import Sandbox
sbx = Sandbox.connect(sys.argv[1])
for _ in range(20): sbx.commands.run("true")
runs = []
for _ in range(${ROUND_TRIPS}):
    t = time.perf_counter(); sbx.commands.run("true"); runs.append((time.perf_counter() - t) * 1000)
data = os.urandom(${BIG})
up, down = [], []
for _ in range(${TRANSFERS}):
    t = time.perf_counter(); sbx.files.upload("py.bin", data); up.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter(); back = sbx.files.download("py.bin"); down.append((time.perf_counter() - t) * 1000)
    assert back == data
print(json.dumps({"run": runs, "up": up, "down": down}))
`;
  const out = execFileSync("python3", ["-c", script, sandboxId], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...process.env,
      PYTHONPATH: path.join(root, "sdk/python"),
      AI2IN_API_KEY: engine.apiKey,
      AI2IN_BASE_URL: engine.baseUrl,
    },
  });
  return JSON.parse(out);
}

function writeSection(file, name, section) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  let text = fs.readFileSync(file, "utf8");
  const block = `${begin}\n${section}${end}`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a >= 0 && b > a) text = text.slice(0, a) + block + text.slice(b + end.length);
  else text = text.replace(/\n*$/, "\n\n") + block + "\n";
  fs.writeFileSync(file, text);
}

const why = whyNoEngine();
if (why) {
  console.error(`bench_sdk_js: cannot run: ${why}`);
  process.exit(1);
}
const engine = await startEngine();
let failed = false;
try {
  const conn = { apiKey: engine.apiKey, baseUrl: engine.baseUrl };
  const sbx = await Sandbox.create(conn);
  const headers = { Authorization: `Bearer ${engine.apiKey}`, "Content-Type": "application/json" };
  const commandsUrl = `${engine.baseUrl}/v1/sandboxes/${sbx.id}/commands`;
  const contentUrl = (p) => `${engine.baseUrl}/v1/sandboxes/${sbx.id}/files/content?path=${p}`;
  const rawRun = async () => {
    const r = await fetch(commandsUrl, { method: "POST", headers, body: JSON.stringify({ cmd: "true" }) });
    const answer = await r.json();
    if (answer.exit_code !== 0) throw new Error("raw run failed");
  };
  const sdkRun = async () => {
    if ((await sbx.commands.run("true")).exitCode !== 0) throw new Error("SDK run failed");
  };
  for (let i = 0; i < 20; i++) {
    await rawRun();
    await sdkRun();
  }
  // Interleaved, so both meet the same machine.
  const rawRuns = [];
  const sdkRuns = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    rawRuns.push(...(await timeEach(1, rawRun)));
    sdkRuns.push(...(await timeEach(1, sdkRun)));
  }

  const data = new Uint8Array(randomBytes(BIG));
  const raw = { up: [], down: [] };
  const js = { up: [], down: [] };
  for (let i = 0; i < TRANSFERS; i++) {
    raw.up.push(
      ...(await timeEach(1, async () => {
        const r = await fetch(contentUrl("raw.bin"), {
          method: "PUT",
          headers: { Authorization: headers.Authorization, "Content-Type": "application/octet-stream" },
          body: data,
        });
        await r.json();
      })),
    );
    raw.down.push(
      ...(await timeEach(1, async () => {
        const r = await fetch(contentUrl("raw.bin"), { headers: { Authorization: headers.Authorization } });
        if ((await r.arrayBuffer()).byteLength !== BIG) throw new Error("short raw download");
      })),
    );
    js.up.push(...(await timeEach(1, () => sbx.files.upload("js.bin", data))));
    js.down.push(
      ...(await timeEach(1, async () => {
        if ((await sbx.files.download("js.bin")).byteLength !== BIG) throw new Error("short SDK download");
      })),
    );
  }
  const py = pythonFigures(engine, sbx.id);
  await sbx.kill();

  const ratio = (a, b) => a / b;
  const rows = [];
  const row = (what, jsV, rawV, pyV, unit, decimals) => {
    const r = ratio(jsV, rawV);
    const pass = r <= 1.2;
    if (!pass) failed = true;
    rows.push(
      `| ${what} (${unit}) | ${fmt(jsV, decimals)} | ${fmt(rawV, decimals)} | ${fmt(pyV, decimals)} | JS ≤ 1.2 × fetch (now ${fmt(r)}) | ${pass ? "pass" : "fail"} |`,
    );
  };
  row('`commands.run("true")`, p50', median(sdkRuns), median(rawRuns), median(py.run), "ms", 2);
  rows.push(
    `| \`commands.run("true")\`, p99 (ms) | ${fmt(percentile(sdkRuns, 99))} | ${fmt(percentile(rawRuns, 99))} | ${fmt(percentile(py.run, 99))} | — | — |`,
  );
  row("32 MiB upload, median", median(js.up), median(raw.up), median(py.up), "ms", 0);
  row("32 MiB download, median", median(js.down), median(raw.down), median(py.down), "ms", 0);

  const when = new Date().toISOString().slice(0, 16).replace("T", " ");
  const section =
    "## JS SDK (`bench/bench_sdk_js.mjs`)\n\n" +
    `Run ${when} UTC on ${os.cpus().length} CPUs, kernel ${os.release()} (${os.arch()}), Node ${process.version}.\n` +
    `One engine and one sandbox; ${ROUND_TRIPS} command round trips (raw fetch and the JS SDK interleaved,\n` +
    `then the Python SDK in its own process) and ${TRANSFERS} uploads and downloads of the same 32 MiB of random\n` +
    "bytes each. Raw fetch is the same request written by hand (Node's fetch, kept-alive connection);\n" +
    "the Python SDK opens a connection per request.\n\n" +
    "| measure | JS SDK | raw fetch | Python SDK | goal | result |\n" +
    "| --- | --- | --- | --- | --- | --- |\n" +
    rows.join("\n") +
    "\n\n";
  writeSection(path.join(root, "docs", "performance.md"), "bench_sdk_js", section);
  console.log(section);
} finally {
  await engine.stop();
}
process.exit(failed ? 1 : 0);
