# SPDX-License-Identifier: GPL-3.0-or-later
"""The SDK beyond the seeds' examples: errors, extras, streaming, rich results, terminals, watches."""

import base64
import http.server
import json
import os
import subprocess
import threading
import time
import unittest
from typing import Any, List

import support
import ai2in
from ai2in import (
    AuthenticationError,
    ConflictError,
    EngineError,
    EngineUnreachableError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Sandbox,
    SandboxError,
    SandboxQuery,
    TimeoutError,
    TooLargeError,
)
from ai2in.exceptions import error_from_answer


class ErrorMappingTest(unittest.TestCase):
    """The engine's error answers become the documented classes (pure, no engine)."""

    def test_table(self) -> None:
        cases = [
            (400, "invalid_json", InvalidArgumentError),
            (400, "bad_request", InvalidArgumentError),
            (401, "unauthorized", AuthenticationError),
            (403, "permission_denied", PermissionDeniedError),
            (404, "not_found", NotFoundError),
            (409, "conflict", ConflictError),
            (413, "too_large", TooLargeError),
            (429, "quota_exceeded", RateLimitError),
            (500, "internal", EngineError),
            (503, "unavailable", EngineError),
            (504, "timeout", TimeoutError),
        ]
        for status, code, cls in cases:
            with self.subTest(code=code):
                body = json.dumps({"error": {"code": code, "message": f"Sentence for {code}."}}).encode()
                e = error_from_answer(status, body)
                self.assertIs(type(e), cls)
                self.assertIsInstance(e, SandboxError)
                self.assertEqual((str(e), e.status, e.code), (f"Sentence for {code}.", status, code))

    def test_unreadable_answers(self) -> None:
        for status, body, cls in [
            (502, b"<html>bad gateway</html>", EngineError),
            (404, b"", NotFoundError),
            (418, b"{\"error\": 3}", SandboxError),
            (500, b"\xff\xfe", EngineError),
        ]:
            with self.subTest(status=status, body=body):
                e = error_from_answer(status, body)
                self.assertIs(type(e), cls)
                self.assertIn(str(status), str(e))

    def test_builtin_bases(self) -> None:
        import builtins

        self.assertTrue(issubclass(TimeoutError, builtins.TimeoutError))
        self.assertTrue(issubclass(EngineUnreachableError, ConnectionError))
        e = error_from_answer(504, json.dumps({"error": {"code": "timeout", "message": "m", "stdout": "so far",
                                                         "stderr": "", "command_id": "cmd_x"}}).encode())
        self.assertEqual((e.stdout, e.stderr, e.command_id), ("so far", "", "cmd_x"))


class EngineErrorsTest(support.EngineTestCase):
    """Every exception class, provoked on the real engine."""

    def test_wrong_key(self) -> None:
        with self.assertRaises(AuthenticationError) as cm:
            Sandbox(api_key="ai2in_live_" + "x" * 32, base_url=self.url)
        self.assertEqual(cm.exception.status, 401)
        self.assertIn("key", str(cm.exception))
        with self.assertRaises(AuthenticationError):
            Sandbox.list(api_key="not-a-key", base_url=self.url)

    def test_no_key_anywhere(self) -> None:
        saved = {k: os.environ.pop(k, None) for k in ("AI2IN_API_KEY", "AI2IN_CREDENTIALS")}
        os.environ["AI2IN_CREDENTIALS"] = "/nonexistent/credentials.json"
        try:
            with self.assertRaises(AuthenticationError) as cm:
                Sandbox(base_url=self.url)
            self.assertIn("AI2IN_API_KEY", str(cm.exception))
        finally:
            os.environ.pop("AI2IN_CREDENTIALS", None)
            for k, v in saved.items():
                if v is not None:
                    os.environ[k] = v

    def test_defaults_from_environment_and_credentials_file(self) -> None:
        saved = {k: os.environ.pop(k, None) for k in ("AI2IN_API_KEY", "AI2IN_BASE_URL", "AI2IN_CREDENTIALS")}
        try:
            os.environ["AI2IN_API_KEY"] = self.key
            os.environ["AI2IN_BASE_URL"] = self.url
            self.assertIsInstance(Sandbox.list(), list)
            del os.environ["AI2IN_API_KEY"], os.environ["AI2IN_BASE_URL"]
            # The engine's own credentials file names both the key and the address.
            os.environ["AI2IN_CREDENTIALS"] = os.path.join(self.engine.data_dir, "credentials.json")
            self.assertIsInstance(Sandbox.list(), list)
        finally:
            for k in ("AI2IN_API_KEY", "AI2IN_BASE_URL", "AI2IN_CREDENTIALS"):
                os.environ.pop(k, None)
            for k, v in saved.items():
                if v is not None:
                    os.environ[k] = v
        from ai2in import _config

        self.assertEqual(_config.DEFAULT_BASE_URL, "http://127.0.0.1:7300")
        self.assertEqual(_config.CREDENTIALS_FILE, "/var/lib/ai2in/credentials.json")

    def test_unknown_ids(self) -> None:
        with self.assertRaises(NotFoundError) as cm:
            Sandbox.connect("sbx_0123456789abcdef", api_key=self.key, base_url=self.url)
        self.assertIn("sbx_0123456789abcdef", str(cm.exception))
        sbx = self.new_sandbox()
        with self.assertRaises(NotFoundError):
            sbx.files.read("no/such/file")
        with self.assertRaises(NotFoundError):
            sbx.commands.kill("cmd_0123456789abcdef")
        with self.assertRaises(NotFoundError):
            sbx.pty.connect("pty_0123456789abcdef")

    def test_unreachable_engine(self) -> None:
        url = f"http://127.0.0.1:{support.free_port()}"
        with self.assertRaises(EngineUnreachableError) as cm:
            Sandbox(api_key=self.key, base_url=url)
        self.assertIn(url, str(cm.exception))
        self.assertIsInstance(cm.exception, ConnectionError)
        with self.assertRaises(EngineUnreachableError):
            Sandbox(api_key=self.key, base_url="http://no-such-host.invalid:7300")
        with self.assertRaises(InvalidArgumentError):
            Sandbox(api_key=self.key, base_url="ftp://example.com")

    def test_bad_input(self) -> None:
        with self.assertRaises(InvalidArgumentError) as cm:
            Sandbox(api_key=self.key, base_url=self.url, timeout=0)
        self.assertEqual(cm.exception.code, "bad_request")
        with self.assertRaises(InvalidArgumentError):
            Sandbox("no-such-template", api_key=self.key, base_url=self.url)
        with self.assertRaises(InvalidArgumentError):
            Sandbox.list({"colour": "red"}, api_key=self.key, base_url=self.url)
        with self.assertRaises(InvalidArgumentError):
            Sandbox.list(SandboxQuery(state=["sleeping"]), api_key=self.key, base_url=self.url)
        sbx = self.new_sandbox()
        with self.assertRaises(InvalidArgumentError):
            sbx.get_host(70000)
        with self.assertRaises(InvalidArgumentError):
            sbx.commands.run("")
        with self.assertRaises(InvalidArgumentError):
            sbx.pty.start(cols=0)

    def test_too_large(self) -> None:
        with self.assertRaises(TooLargeError) as cm:
            Sandbox(api_key=self.key, base_url=self.url, metadata={"k": "v" * 3000})
        self.assertEqual(cm.exception.status, 413)
        sbx = self.new_sandbox()
        with self.assertRaises(TooLargeError):
            sbx.files.upload("big.bin", b"\0" * (32 * 1024 * 1024 + 1))

    def test_permission_denied(self) -> None:
        sbx = self.new_sandbox()
        with self.assertRaises(PermissionDeniedError) as cm:
            sbx.files.write("/etc/not-yours", "x")
        self.assertEqual(cm.exception.status, 403)
        sbx.files.write("/etc/as-root", "x", user="root")
        self.assertEqual(sbx.files.get_info("/etc/as-root")["owner"], "root")

    def test_conflict(self) -> None:
        sbx = self.new_sandbox()
        sbx.pause()
        with self.assertRaises(ConflictError):
            sbx.pause()
        with self.assertRaises(ConflictError):
            sbx.commands.run("true")
        with self.assertRaises(ConflictError) as cm:
            sbx.files.read("x")
        self.assertIn("paused", str(cm.exception))
        sbx.resume()
        with self.assertRaises(ConflictError):
            sbx.resume()

    def test_command_timeout(self) -> None:
        sbx = self.new_sandbox()
        with self.assertRaises(TimeoutError) as cm:
            sbx.commands.run("echo started; sleep 30", timeout=1)
        self.assertEqual(cm.exception.status, 504)
        self.assertEqual(cm.exception.stdout, "started\n")
        self.assertTrue(str(cm.exception.command_id).startswith("cmd_"))
        with self.assertRaises(TimeoutError):
            sbx.commands.start("sleep 30").wait(timeout=0.3)

    def test_rate_limit_and_teams(self) -> None:
        # A second team, so the cap is reached without touching the other tests' sandboxes.
        key = subprocess.run([os.environ["AI2IN_ENGINE"], "keys", "create", "--team", "quota",
                              "--data-dir", self.engine.data_dir],
                             check=True, capture_output=True, text=True).stdout.strip()
        made: List[Sandbox] = []
        try:
            with self.assertRaises(RateLimitError) as cm:
                for _ in range(64):
                    made.append(Sandbox(api_key=key, base_url=self.url))
            self.assertEqual(cm.exception.status, 429)
            self.assertGreater(len(made), 0)
            # Teams do not see each other's sandboxes.
            with self.assertRaises(NotFoundError):
                Sandbox.connect(made[0].id, api_key=self.key, base_url=self.url)
            # Paused sandboxes do not count against the cap.
            made[0].pause()
            made.append(Sandbox(api_key=key, base_url=self.url))
        finally:
            for sbx in made:
                sbx.kill()

    def test_engine_errors_and_unreadable_answers(self) -> None:
        # A stand-in server, since a healthy engine does not fail on demand.
        answers = iter([
            (500, b'{"error": {"code": "internal", "message": "The engine failed to mount the overlay."}}'),
            (200, b"this is not json"),
            (503, b'{"error": {"code": "unavailable", "message": "The agent does not answer."}}'),
        ])

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                status, body = next(answers)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                # A run_code answer cut off before its "end" event.
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = b'{"type": "stdout", "text": "partial"}\n'
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}"
            with self.assertRaises(EngineError) as cm:
                Sandbox.list(api_key="k", base_url=url)
            self.assertEqual(str(cm.exception), "The engine failed to mount the overlay.")
            with self.assertRaises(EngineError):
                Sandbox.list(api_key="k", base_url=url)
            with self.assertRaises(EngineError) as cm:
                Sandbox.list(api_key="k", base_url=url)
            self.assertEqual(cm.exception.code, "unavailable")
            sbx = Sandbox.__new__(Sandbox)
            sbx._attach(ai2in._http.ApiClient("k", url), {"sandbox_id": "sbx_0123456789abcdef"}, None)
            seen: List[str] = []
            with self.assertRaises(EngineError) as cm:
                sbx.run_code("print('x')", on_stdout=seen.append)
            self.assertEqual(seen, ["partial"])
            self.assertIn("ended before", str(cm.exception))
        finally:
            server.shutdown()
            server.server_close()


class SandboxExtrasTest(support.EngineTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.sbx = Sandbox(api_key=cls.key, base_url=cls.url, metadata={"suite": "extras"})

    @classmethod
    def tearDownClass(cls) -> None:
        cls.sbx.kill()
        super().tearDownClass()

    def test_list_query(self) -> None:
        other = self.new_sandbox(metadata={"suite": "extras", "role": "other"})
        other.pause()
        ids = lambda q: [s["sandbox_id"] for s in Sandbox.list(q, api_key=self.key, base_url=self.url)]  # noqa: E731
        self.assertEqual(ids(SandboxQuery(metadata={"suite": "extras"})), [self.sbx.id, other.id])
        self.assertEqual(ids(SandboxQuery(metadata={"role": "other"})), [other.id])
        self.assertEqual(ids(SandboxQuery(metadata={"suite": "extras"}, state=["running"])), [self.sbx.id])
        self.assertEqual(ids({"metadata": {"suite": "extras"}, "state": ["paused"]}), [other.id])
        self.assertEqual(ids({"metadata": {"suite": "extras"}, "state": ["running", "paused"]}), [self.sbx.id, other.id])
        self.assertEqual(ids(SandboxQuery(metadata={"suite": "a&b=c"})), [])

    def test_file_extras(self) -> None:
        files = self.sbx.files
        self.assertTrue(files.make_dir("extras/deep/dir"))
        self.assertFalse(files.make_dir("extras/deep/dir"))
        self.assertTrue(files.exists("extras/deep"))
        self.assertFalse(files.exists("extras/nothing"))
        files.write("extras/a.txt", "héllo")
        info = files.get_info("extras/a.txt")
        self.assertEqual((info["name"], info["type"], info["size"], info["path"]),
                         ("a.txt", "file", 6, "/home/sandbox/extras/a.txt"))
        moved = files.rename("extras/a.txt", "extras/moved/b.txt")
        self.assertEqual((moved["path"], moved["type"]), ("/home/sandbox/extras/moved/b.txt", "file"))
        self.assertFalse(files.exists("extras/a.txt"))
        self.assertEqual(files.read("extras/moved/b.txt"), "héllo")
        deep = [e["path"] for e in files.list("extras", depth=3)]
        self.assertIn("/home/sandbox/extras/deep/dir", deep)
        self.assertIn("/home/sandbox/extras/moved/b.txt", deep)
        self.assertIsNone(files.remove("extras"))
        self.assertFalse(files.exists("extras"))
        with self.assertRaises(NotFoundError):
            files.remove("extras")
        files.write("f", "x")
        with self.assertRaises(ConflictError):
            files.make_dir("f")  # a file is in the way
        with self.assertRaises(ConflictError):
            files.make_dir("f/sub")  # a file as a parent is in the way too

    def test_recursive_watch(self) -> None:
        self.sbx.files.make_dir("w")
        with self.sbx.files.watch("w", recursive=True) as w:
            self.sbx.files.make_dir("w/sub")
            self.wait_for(lambda: any(e["path"] == "/home/sandbox/w/sub" for e in w.poll()), what="mkdir event")
            self.sbx.commands.run("echo x > w/sub/new.txt && rm w/sub/new.txt")
            seen: List[Any] = []
            self.wait_for(lambda: seen.extend(w.poll()) or any(e["type"] == "remove" for e in seen),
                          what="create and remove in a new subdirectory")
            kinds = [(e["type"], e["path"]) for e in seen]
            self.assertIn(("create", "/home/sandbox/w/sub/new.txt"), kinds)
            self.assertIn(("remove", "/home/sandbox/w/sub/new.txt"), kinds)
        flat = self.sbx.files.watch("w", recursive=False)
        self.sbx.files.write("w/sub/deeper.txt", "x")
        self.sbx.files.write("w/top.txt", "x")
        events = self.wait_for(flat.poll, what="top-level event")
        self.assertNotIn("/home/sandbox/w/sub/deeper.txt", [e["path"] for e in events])
        flat.stop()
        flat.stop()  # stopping twice is fine

    def test_run_code_streams_and_keeps_state(self) -> None:
        calls: List[Any] = []
        execution = self.sbx.run_code(
            "import sys, time\n"
            "counter = 5\n"
            "print('first', flush=True)\n"
            "time.sleep(2.0)\n"
            "print('oops', file=sys.stderr)\n"
            "display(counter * 2)\n"
            "counter + 1\n",
            on_stdout=lambda t: calls.append(("stdout", t, time.monotonic())),
            on_stderr=lambda t: calls.append(("stderr", t, time.monotonic())),
            on_result=lambda r: calls.append(("result", r.text, r.is_main_result)),
            on_error=lambda e: calls.append(("error", e)),
        )
        finished = time.monotonic()
        self.assertEqual([c[:2] for c in calls],
                         [("stdout", "first\n"), ("stderr", "oops\n"), ("result", "10"), ("result", "6")])
        self.assertLess(calls[0][2], finished - 0.5, "stdout arrived while the cell still ran")
        self.assertEqual([r.is_main_result for r in execution.results], [False, True])
        self.assertEqual(execution.text, "6")
        self.assertEqual(self.sbx.run_code("counter").text, "5")
        errors: List[Any] = []
        failed = self.sbx.run_code("raise ValueError('bad value')", on_error=errors.append)
        self.assertEqual(errors, [failed.error])
        self.assertEqual((failed.error["name"], failed.error["value"]), ("ValueError", "bad value"))
        self.assertIn("ValueError", failed.error["traceback"])
        self.assertIsInstance(failed.execution_count, int)

    def test_run_code_rich_results(self) -> None:
        execution = self.sbx.run_code(
            "import matplotlib.pyplot as plt\n"
            "plt.plot([1, 2, 3], [1, 4, 9])\n"
            "plt.show()\n"
            "from IPython.display import HTML, Markdown, Latex\n"
            "display(HTML('<b>bold</b>'), Markdown('*it*'), Latex(r'$x^2$'))\n"
            "{'a': 1}\n"
        )
        self.assertIsNone(execution.error, execution.error)
        pngs = [r for r in execution.results if r.png]
        self.assertEqual(len(pngs), 1, [r.formats() for r in execution.results])
        self.assertTrue(base64.b64decode(pngs[0].png).startswith(b"\x89PNG\r\n\x1a\n"))
        self.assertIn("png", pngs[0].formats())
        self.assertEqual([r.html for r in execution.results if r.html], ["<b>bold</b>"])
        self.assertEqual([r.markdown for r in execution.results if r.markdown], ["*it*"])
        self.assertEqual([r.latex for r in execution.results if r.latex], ["$x^2$"])
        main = execution.results[-1]
        self.assertTrue(main.is_main_result)
        self.assertEqual(main.text, "{'a': 1}")
        self.assertEqual(main["text"], main.text)

    def test_run_code_ctrl_c_interrupts_the_cell(self) -> None:
        def stop(_text: str) -> None:
            raise KeyboardInterrupt

        with self.assertRaises(KeyboardInterrupt):
            self.sbx.run_code("import time\nprint('go', flush=True)\ntime.sleep(60)", on_stdout=stop)
        # The cell ended in the kernel with KeyboardInterrupt (the activity log records it as it ends).
        client = self.sbx._client

        def interrupted() -> bool:
            entries = client.json("GET", f"/v1/sandboxes/{self.sbx.id}/activity")["entries"]
            return any(e["kind"] == "code" and "time.sleep(60)" in e["code"] and e["outcome"] == "error"
                       and (e.get("error") or {}).get("name") == "KeyboardInterrupt" for e in entries)

        self.wait_for(interrupted, what="the interrupted cell in the activity log")
        after = self.sbx.run_code("'free again'")
        # Engines before 499368e could skip this cell silently on a freshly started kernel.
        self.assertEqual((after.text, after.error), ("'free again'", None))

    def test_run_code_timeout_and_restart(self) -> None:
        execution = self.sbx.run_code("import time\ntime.sleep(30)", timeout=1)
        self.assertEqual(execution.error["name"], "TimeoutError")
        self.sbx.run_code("kept = 1")
        self.sbx.restart_code()
        self.assertEqual(self.sbx.run_code("kept").error["name"], "NameError")

    def test_pty_send_read_resize(self) -> None:
        term = self.sbx.pty.start(cols=100, rows=40)
        self.assertTrue(term.id.startswith("pty_"))
        buf = bytearray()

        def screen_has(text: bytes):  # type: ignore[no-untyped-def]
            def check() -> bool:
                buf.extend(term.read()["data"])
                return text in buf
            return check

        term.send("stty size\n")
        self.wait_for(screen_has(b"40 100"), what="stty size of the new terminal")
        term.resize(cols=132, rows=50)
        term.send(b"stty size\r")
        self.wait_for(screen_has(b"50 132"), what="stty size after resize")
        entry = next(p for p in self.sbx.pty.list() if p["pty_id"] == term.id)
        self.assertEqual((entry["cols"], entry["rows"], entry["alive"]), (132, 50, True))
        term.send("exit 3\n")
        out = self.wait_for(lambda: (lambda r: r if not r["alive"] else None)(term.read()), what="the shell to exit")
        self.assertEqual(out["exit_code"], 3)

    def test_pty_websocket(self) -> None:
        from ai2in._websocket import OP_BINARY, OP_TEXT

        term = self.sbx.pty.start(cmd="cat")
        ws = term.websocket(offset=0)
        try:
            opcode, payload = ws.recv()
            self.assertEqual(opcode, OP_TEXT)
            self.assertEqual(json.loads(payload)["type"], "attached")
            big = b"y" * 70000 + b"\n"  # a 64-bit length frame
            ws.send_binary(b"ping\n")
            ws.send_binary(big[:1000])
            got = bytearray()
            while b"ping" not in got or got.count(b"y") < 1000:
                opcode, payload = ws.recv()
                if opcode == OP_BINARY:
                    got += payload
            ws.send_text(json.dumps({"type": "resize", "cols": 90, "rows": 20}))
            self.wait_for(lambda: next(p for p in self.sbx.pty.list() if p["pty_id"] == term.id)["cols"] == 90,
                          what="resize over the WebSocket")
            term.kill()
            messages = []
            while True:
                message = ws.recv()
                if message is None:
                    break
                messages.append(message)
            self.assertIn("exit", [json.loads(p).get("type") for op, p in messages if op == OP_TEXT])
        finally:
            ws.close()

    def test_command_stdin_and_handle(self) -> None:
        proc = self.sbx.commands.start("read line; echo got:$line; cat")
        proc.send_stdin("one\n")
        proc.send_stdin(b"two", eof=True)
        logs = proc.wait(timeout=30)
        self.assertEqual((logs["stdout"], logs["exit_code"], logs["status"]), ("got:one\ntwo", 0, "exited"))
        same = self.sbx.commands.connect(proc.id)
        self.assertEqual((same.pid, same.cmd), (proc.pid, proc.cmd))
        self.assertIn(proc.id, repr(proc))

    def test_command_exit_codes(self) -> None:
        self.assertEqual(self.sbx.commands.run("exit 42")["exit_code"], 42)
        self.assertEqual(self.sbx.commands.run("kill -9 $$")["exit_code"], 137)
        who = self.sbx.commands.run("whoami; echo $HOME", user="root")
        self.assertEqual(who["stdout"], "root\n/root\n")

    def test_root_and_sudo(self) -> None:
        # user="root" reaches the agent through run, start and pty alike;
        # the default user gets root through sudo without a password.
        self.assertEqual(self.sbx.commands.run("id -u")["stdout"], "1000\n")
        self.assertEqual(self.sbx.commands.run("id -u", user="root")["stdout"], "0\n")
        self.assertEqual(self.sbx.commands.start("id -u", user="root").wait(timeout=30)["stdout"], "0\n")
        self.assertEqual(self.sbx.commands.run("sudo -n id -u")["stdout"], "0\n")
        term = self.sbx.pty.start(user="root", cmd="/bin/sh")
        seen = bytearray()
        term.send("echo uid-$(id -u)-end\n")
        self.wait_for(lambda: seen.extend(term.read()["data"]) or b"uid-0-end" in seen, what="id -u in a root terminal")
        term.kill()

    def test_sandbox_options(self) -> None:
        sbx = self.new_sandbox(envs={"GREETING": "namaste"}, cpu_count=2, memory_mb=256)
        self.assertEqual(sbx.commands.run("echo $GREETING")["stdout"], "namaste\n")
        info = sbx.get_info()
        self.assertEqual((info["cpu_count"], info["memory_mb"]), (2, 256))
        self.assertEqual(sbx.get_metrics()["memory_limit_bytes"], 256 * 1024 * 1024)
        self.assertTrue(sbx.is_running())
        sbx.pause()
        self.assertFalse(sbx.is_running())
        self.assertEqual(Sandbox.connect(sbx.id, api_key=self.key, base_url=self.url, auto_resume=True)
                         .get_info()["status"], "running")

    def test_help_is_useful(self) -> None:
        import pydoc

        text = pydoc.render_doc(Sandbox, renderer=pydoc.plaintext)
        for name in ("run_code", "connect", "list", "get_info", "set_timeout", "pause", "resume", "get_host",
                     "get_metrics", "kill", "api_key", "timeout"):
            self.assertIn(name, text)
        for name in ai2in.__all__:
            obj = getattr(ai2in, name)
            if callable(obj):
                self.assertTrue(obj.__doc__, f"{name} has no docstring")


if __name__ == "__main__":
    unittest.main()
