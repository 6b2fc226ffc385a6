// SPDX-License-Identifier: GPL-3.0-or-later
// runCode: streaming callbacks in order, kept state, rich results, errors, timeouts, restart.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Execution, Result, Sandbox } from "../dist/index.js";
import { conn } from "./support.mjs";

// One sandbox for this file's tests.
const sbx = await Sandbox.create(conn);
after(() => sbx.kill());

test("callbacks get stdout, stderr and results in order while the cell runs; state is kept", async () => {
  const calls = [];
  const execution = await sbx.runCode(
    "import sys, time\ncounter = 5\nprint('first', flush=True)\ntime.sleep(2.0)\n" +
      "print('oops', file=sys.stderr)\ndisplay(counter * 2)\ncounter + 1\n",
    {
      onStdout: (t) => calls.push(["stdout", t, Date.now()]),
      onStderr: (t) => calls.push(["stderr", t, Date.now()]),
      onResult: (r) => calls.push(["result", r.text, r.isMainResult]),
      onError: (e) => calls.push(["error", e]),
    },
  );
  const finished = Date.now();
  assert.ok(execution instanceof Execution);
  assert.deepEqual(
    calls.map((c) => c.slice(0, 2)),
    [["stdout", "first\n"], ["stderr", "oops\n"], ["result", "10"], ["result", "6"]],
  );
  assert.ok(calls[0][2] < finished - 500, "stdout arrived only at the end");
  assert.deepEqual(execution.results.map((r) => r.isMainResult), [false, true]);
  assert.equal(execution.text, "6");
  assert.deepEqual(execution.logs, { stdout: ["first\n"], stderr: ["oops\n"] });
  assert.equal((await sbx.runCode("counter")).text, "5");

  const errors = [];
  const failed = await sbx.runCode("raise ValueError('bad value')", { onError: (e) => errors.push(e) });
  assert.deepEqual(errors, [failed.error]);
  assert.equal(failed.error.name, "ValueError");
  assert.equal(failed.error.value, "bad value");
  assert.match(failed.error.traceback, /ValueError/);
  assert.equal(typeof failed.executionCount, "number");
  assert.equal(failed.text, undefined);
});

test("rich results: png, html, markdown, latex and the main result", async () => {
  const execution = await sbx.runCode(
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nplt.show()\n" +
      "from IPython.display import HTML, Markdown, Latex\n" +
      "display(HTML('<b>bold</b>'), Markdown('*it*'), Latex(r'$x^2$'))\n{'a': 1}\n",
  );
  assert.equal(execution.error, undefined);
  const pngs = execution.results.filter((r) => r.png);
  assert.equal(pngs.length, 1);
  assert.ok(Buffer.from(pngs[0].png, "base64").subarray(0, 8).equals(Buffer.from("\x89PNG\r\n\x1a\n", "latin1")));
  assert.ok(pngs[0].formats().includes("png"));
  assert.deepEqual(execution.results.filter((r) => r.html).map((r) => r.html), ["<b>bold</b>"]);
  assert.deepEqual(execution.results.filter((r) => r.markdown).map((r) => r.markdown), ["*it*"]);
  assert.deepEqual(execution.results.filter((r) => r.latex).map((r) => r.latex), ["$x^2$"]);
  const main = execution.results.at(-1);
  assert.ok(main instanceof Result);
  assert.equal(main.isMainResult, true);
  assert.equal(main.text, "{'a': 1}");
  assert.equal(String(main), "{'a': 1}");
  assert.deepEqual(Result.fromJson({ text: "x", html: null, is_main_result: true }).formats(), ["text"]);
});

test("a throwing callback ends the call with its own error and interrupts the cell", async () => {
  const mine = new Error("stop here");
  await assert.rejects(
    sbx.runCode("import time\nprint('go', flush=True)\ntime.sleep(60)", {
      onStdout: () => {
        throw mine;
      },
    }),
    (e) => e === mine,
  );
  const started = Date.now();
  const next = await sbx.runCode("'free again'");
  assert.equal(next.text, "'free again'");
  assert.ok(Date.now() - started < 10_000, "the cell went on running");
});

test("timeoutMs interrupts a long cell; restartCode forgets every variable", async () => {
  const execution = await sbx.runCode("import time\ntime.sleep(30)", { timeoutMs: 1000 });
  assert.equal(execution.error.name, "TimeoutError");
  await sbx.runCode("kept = 1");
  await sbx.restartCode();
  assert.equal((await sbx.runCode("kept")).error.name, "NameError");
  await assert.rejects(sbx.runCode("1", { timeoutMs: 3_600_001 }), /at most 3600000 ms/);
});

test("interruptCode stops the running cell", async () => {
  const running = sbx.runCode("import time\nprint('go', flush=True)\ntime.sleep(60)", {
    onStdout: () => setTimeout(() => sbx.interruptCode(), 100),
  });
  const execution = await running;
  assert.equal(execution.error.name, "KeyboardInterrupt");
});
