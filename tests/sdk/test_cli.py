# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``ai2in`` command line, run as a user runs it (a child process), and ``ai2in shell`` in a pseudo-terminal."""

import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
import unittest
from typing import List, Optional, Tuple

import support
from ai2in import NotFoundError, Sandbox


class CliTestCase(support.EngineTestCase):
    def cli(self, *args: str, input: Optional[bytes] = None, env: Optional[dict] = None,
            timeout: float = 120) -> Tuple[int, str, str]:
        """Runs ``ai2in ARGS`` and returns (exit status, stdout, stderr)."""
        done = subprocess.run([sys.executable, "-m", "ai2in", *args], input=input if input is not None else b"",
                              capture_output=True, env=env or self.engine.env(), timeout=timeout)
        return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")

    def created(self, *args: str) -> str:
        code, out, err = self.cli("create", *args)
        self.assertEqual(code, 0, err)
        sandbox_id = out.strip()

        def kill() -> None:
            try:
                Sandbox.connect(sandbox_id, api_key=self.key, base_url=self.url).kill()
            except NotFoundError:
                pass

        self.addCleanup(kill)
        return sandbox_id


class CliTest(CliTestCase):
    def test_version_and_help(self) -> None:
        import ai2in

        self.assertEqual(self.cli("--version")[:2], (0, f"ai2in {ai2in.__version__}\n"))
        code, out, _ = self.cli("--help")
        self.assertEqual(code, 0)
        for name in ("list", "create", "info", "kill", "pause", "resume", "exec", "cp", "logs", "shell"):
            self.assertIn(name, out)
        code, _, err = self.cli()
        self.assertEqual(code, 2)
        self.assertEqual(self.cli("frobnicate")[0], 2)

    def test_lifecycle_commands(self) -> None:
        sandbox_id = self.created("--timeout", "600", "--metadata", "who=cli", "--metadata", "n=1")
        self.assertRegex(sandbox_id, r"^sbx_[a-z0-9]{16}$")
        code, out, _ = self.cli("list")
        self.assertEqual(code, 0)
        self.assertIn(sandbox_id, out)
        self.assertTrue(out.startswith("ID"))
        code, out, _ = self.cli("list", "--json", "--metadata", "who=cli")
        listed = json.loads(out)
        self.assertEqual([s["sandbox_id"] for s in listed], [sandbox_id])
        self.assertEqual(listed[0]["metadata"], {"who": "cli", "n": "1"})
        code, out, _ = self.cli("--json", "info", sandbox_id)  # --json before the command works too
        self.assertEqual((code, json.loads(out)["end_at"] is not None), (0, True))
        code, out, _ = self.cli("info", sandbox_id)
        self.assertIn("status:   running", out)
        self.assertEqual(self.cli("pause", sandbox_id)[:2], (0, f"Paused {sandbox_id} (processes stopped, files kept).\n"))
        self.assertEqual(json.loads(self.cli("list", "--json", "--state", "paused")[1])[0]["sandbox_id"], sandbox_id)
        code, out, _ = self.cli("resume", sandbox_id, "--json")
        self.assertEqual(json.loads(out)["status"], "running")
        code, out, _ = self.cli("host", sandbox_id, "8080")
        self.assertEqual(out.strip(), f"http://8080-{sandbox_id}.localhost:{self.engine.preview_port}")
        self.assertEqual(self.cli("kill", sandbox_id)[:2], (0, f"Killed {sandbox_id}.\n"))
        self.assertNotIn(sandbox_id, self.cli("list")[1])

    def test_exec(self) -> None:
        sandbox_id = self.created()
        code, out, err = self.cli("exec", sandbox_id, "--", "bash", "-c", "echo out; echo err >&2; exit 7")
        self.assertEqual((code, out, err), (7, "out\n", "err\n"))
        code, out, _ = self.cli("exec", sandbox_id, "--", "ls / | grep -c home")  # one word: a shell line
        self.assertEqual((code, out), (0, "1\n"))
        code, out, _ = self.cli("exec", sandbox_id, "--cwd", "/tmp", "--env", "A=b c", "--", "sh", "-c", 'echo "$A" $(pwd)')
        self.assertEqual(out, "b c /tmp\n")
        code, out, _ = self.cli("exec", sandbox_id, "--user", "root", "--", "id", "-u")
        self.assertEqual((code, out), (0, "0\n"))
        code, out, _ = self.cli("exec", sandbox_id, "--", "wc", "-c", input=b"12345")
        self.assertEqual(out.strip(), "5")
        code, out, _ = self.cli("exec", "--json", sandbox_id, "--", "echo", "it's quoted")
        answer = json.loads(out)
        self.assertEqual((code, answer["stdout"], answer["exit_code"]), (0, "it's quoted\n", 0))
        # Output arrives while the command still runs.
        proc = subprocess.Popen([sys.executable, "-m", "ai2in", "exec", sandbox_id, "--",
                                 "echo first; sleep 10; echo second"],
                                stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=self.engine.env())
        self.assertEqual(proc.stdout.readline(), b"first\n")
        self.assertIsNone(proc.poll(), "the first line came only when the command ended")
        self.assertEqual(proc.stdout.read(), b"second\n")
        self.assertEqual(proc.wait(timeout=30), 0)
        proc.stdout.close()
        self.assertEqual(self.cli("exec", sandbox_id)[0], 2)
        # Ctrl+C (SIGINT) ends the command in the sandbox too, with the shell's 130.
        sbx = Sandbox.connect(sandbox_id, api_key=self.key, base_url=self.url)
        proc = subprocess.Popen([sys.executable, "-m", "ai2in", "exec", sandbox_id, "--", "sleep", "300"],
                                stdin=subprocess.DEVNULL, env=self.engine.env())
        command = self.wait_for(lambda: [c for c in sbx.commands.list() if c["cmd"] == "sleep 300"],
                                what="sleep 300 to start")[0]
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=30), 130)
        self.assertEqual(sbx.commands.connect(command["command_id"]).wait(timeout=30)["status"], "killed")

    def test_cp(self) -> None:
        sandbox_id = self.created()
        tmp = tempfile.mkdtemp(prefix="ai2in-cp-")
        self.addCleanup(lambda: __import__("shutil").rmtree(tmp, True))
        local = os.path.join(tmp, "data.bin")
        payload = os.urandom(300_000)
        with open(local, "wb") as f:
            f.write(payload)
        code, out, err = self.cli("cp", local, f"{sandbox_id}:in/")
        self.assertEqual(code, 0, err)
        self.assertIn("/home/sandbox/in/data.bin", out)
        self.assertEqual(self.cli("cp", local, f"{sandbox_id}:renamed.bin")[0], 0)
        back = os.path.join(tmp, "back.bin")
        self.assertEqual(self.cli("cp", f"{sandbox_id}:in/data.bin", back)[0], 0)
        with open(back, "rb") as f:
            self.assertEqual(f.read(), payload)
        self.assertEqual(self.cli("cp", f"{sandbox_id}:/home/sandbox/renamed.bin", tmp)[0], 0)
        self.assertTrue(os.path.exists(os.path.join(tmp, "renamed.bin")))
        self.assertEqual(self.cli("cp", "-", f"{sandbox_id}:note.txt", input=b"from stdin")[0], 0)
        self.assertEqual(self.cli("cp", f"{sandbox_id}:note.txt", "-")[1], "from stdin")
        code, _, err = self.cli("cp", f"{sandbox_id}:missing.txt", tmp)
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("ai2in: ") and len(err.strip().splitlines()) == 1, err)
        self.assertEqual(self.cli("cp", local, back)[0], 2)
        # Directories, both ways.
        tree = os.path.join(tmp, "tree")
        os.makedirs(os.path.join(tree, "sub", "empty"))
        for rel, content in (("a.txt", b"A"), ("sub/b.bin", payload[:1000])):
            with open(os.path.join(tree, *rel.split("/")), "wb") as f:
                f.write(content)
        code, out, err = self.cli("cp", tree, f"{sandbox_id}:in")
        self.assertEqual((code, out), (0, f"2 files, 1001 bytes → {sandbox_id}:in/tree\n"), err)
        sbx = Sandbox.connect(sandbox_id, api_key=self.key, base_url=self.url)
        self.assertEqual(sbx.files.read("in/tree/a.txt"), "A")
        self.assertEqual(sbx.files.get_info("in/tree/sub/empty")["type"], "dir")
        code, out, err = self.cli("cp", "--json", f"{sandbox_id}:in", os.path.join(tmp, "copy"))
        self.assertEqual(code, 0, err)
        copied = sorted(os.path.relpath(c["path"], os.path.join(tmp, "copy")) for c in json.loads(out))
        self.assertEqual(copied, ["data.bin", "tree/a.txt", "tree/sub/b.bin"])
        with open(os.path.join(tmp, "copy", "tree", "sub", "b.bin"), "rb") as f:
            self.assertEqual(f.read(), payload[:1000])
        self.assertTrue(os.path.isdir(os.path.join(tmp, "copy", "tree", "sub", "empty")))

    def test_logs(self) -> None:
        sandbox_id = self.created()
        self.cli("exec", sandbox_id, "--", "echo logged-output")
        self.cli("cp", "-", f"{sandbox_id}:f.txt", input=b"abc")
        code, out, _ = self.cli("logs", sandbox_id)
        self.assertEqual(code, 0)
        self.assertIn("created", out)
        self.assertIn("$ echo logged-output", out)
        self.assertIn("| logged-output", out)
        self.assertIn("file write /home/sandbox/f.txt (3 bytes)", out)
        code, out, _ = self.cli("logs", sandbox_id, "--json")
        kinds = [json.loads(line)["kind"] for line in out.splitlines()]
        self.assertEqual(kinds[0], "lifecycle")
        self.assertIn("command", kinds)
        # --follow prints new entries as they come and ends when the sandbox is killed.
        follow = subprocess.Popen([sys.executable, "-m", "ai2in", "logs", "-f", "--interval", "0.2", sandbox_id],
                                  stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=self.engine.env())
        sbx = Sandbox.connect(sandbox_id, api_key=self.key, base_url=self.url)
        sbx.commands.start("sleep 600")  # never ends: later entries must not wait for it
        background = sbx.commands.start("sleep 1; echo late-output")
        sbx.commands.run("echo follow-me")
        lines: List[bytes] = []
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not any(b"| late-output" in line for line in lines):
            lines.append(follow.stdout.readline())
        self.assertTrue(any(b"$ echo follow-me" in line for line in lines), lines)
        self.assertTrue(any(b"| late-output" in line for line in lines), lines)
        self.assertEqual(background.wait(timeout=30)["exit_code"], 0)
        sbx.kill()
        rest, _ = follow.communicate(timeout=40)
        self.assertEqual(follow.returncode, 0)
        self.assertIn(b"is gone", rest)

    def test_errors_are_one_line(self) -> None:
        cases = [
            (("info", "sbx_0123456789abcdef"), "No sandbox sbx_0123456789abcdef"),
            (("--api-key", "ai2in_live_wrong", "list"), "key"),
            (("--base-url", f"http://127.0.0.1:{support.free_port()}", "list"), "Cannot reach the engine"),
            (("create", "--timeout", "0"), "timeout"),
            (("create", "--metadata", "x=" + "y" * 3000), "2"),
        ]
        for args, needle in cases:
            with self.subTest(args=args[:2]):
                code, out, err = self.cli(*args)
                self.assertEqual(code, 1, err)
                self.assertEqual(len(err.strip().splitlines()), 1, err)
                self.assertTrue(err.startswith("ai2in: "), err)
                self.assertIn(needle, err)
                self.assertNotIn("Traceback", err)
        code, _, err = self.cli("create", "--metadata", "novalue")
        self.assertEqual(code, 2)
        self.assertIn("KEY=VALUE", err)
        env = self.engine.env()
        del env["AI2IN_API_KEY"]
        env["AI2IN_CREDENTIALS"] = "/nonexistent.json"
        code, _, err = self.cli("list", env=env)
        self.assertEqual(code, 1)
        self.assertIn("No API key", err)


class ShellTest(CliTestCase):
    """``ai2in shell`` in a pseudo-terminal: raw keys in, the sandbox's screen out."""

    def spawn(self, *args: str, rows: int = 30, cols: int = 100) -> Tuple[int, int]:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        pid = os.fork()
        if pid == 0:  # the child: the pty becomes its controlling terminal, as in a real terminal window
            try:
                os.close(master)
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                env = self.engine.env()
                env["TERM"] = "xterm"
                os.execve(sys.executable, [sys.executable, "-m", "ai2in", *args], env)
            finally:
                os._exit(127)
        os.close(slave)
        self.addCleanup(self._reap, pid, master)
        return pid, master

    def _reap(self, pid: int, master: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(master)
        except OSError:
            pass

    def read_until(self, master: int, needle: bytes, screen: bytearray, timeout: float = 30) -> bytes:
        deadline = time.monotonic() + timeout
        while needle not in screen:
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail(f"{needle!r} did not appear; the screen so far: {bytes(screen[-2000:])!r}")
            ready, _, _ = select.select([master], [], [], left)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    self.fail(f"the terminal closed before {needle!r}; screen: {bytes(screen[-600:])!r}")
                screen += chunk
        return bytes(screen)

    def wait_exit(self, pid: int, master: int, screen: bytearray, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    screen += os.read(master, 65536)
                except OSError:
                    pass
        self.fail(f"ai2in shell did not exit; screen: {bytes(screen[-600:])!r}")

    def test_shell_keys_resize_detach_attach(self) -> None:
        sandbox_id = self.created()
        pid, master = self.spawn("shell", sandbox_id)
        screen = bytearray()
        self.read_until(master, b"Ctrl+] detaches", screen)
        self.read_until(master, b"$ ", screen)
        os.write(master, b"echo hi-$((6*7))\r")
        self.read_until(master, b"hi-42", screen)
        # Raw mode: Ctrl+C goes to the sandbox's shell, not to the local ai2in.
        os.write(master, b"sleep 100\r")
        time.sleep(0.3)
        os.write(master, b"\x03")
        os.write(master, b"echo after-ctrl-c\r")
        self.read_until(master, b"\rafter-ctrl-c\r\n", screen)
        os.write(master, b"stty size\r")
        self.read_until(master, b"30 100", screen)
        # A window-size change reaches the sandbox's terminal (SIGWINCH → resize message).
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 132, 0, 0))
        for attempt in range(20):
            os.write(master, b"stty size\r")
            try:
                self.read_until(master, b"\r45 132\r\n", screen, timeout=0.5)
                break
            except AssertionError:
                if attempt == 19:
                    raise
        os.write(master, b"export MARK=kept\r")
        # Ctrl+] detaches: ai2in exits 0 and the terminal keeps running.
        os.write(master, b"\x1d")
        self.assertEqual(self.wait_exit(pid, master, screen), 0)
        self.assertIn(b"Detached", screen)
        sbx = Sandbox.connect(sandbox_id, api_key=self.key, base_url=self.url)
        ptys = sbx.pty.list()
        self.assertEqual(len(ptys), 1)
        self.assertTrue(ptys[0]["alive"])
        self.assertIn(f"--attach {ptys[0]['pty_id']}".encode(), screen)
        # Back to the same shell; its exit code becomes ai2in's.
        pid, master = self.spawn("shell", sandbox_id, "--attach", ptys[0]["pty_id"])
        screen = bytearray()
        self.read_until(master, b"Ctrl+] detaches", screen)
        os.write(master, b"echo mark=$MARK\r")
        self.read_until(master, b"mark=kept", screen)
        os.write(master, b"exit 5\r")
        self.assertEqual(self.wait_exit(pid, master, screen), 5)

    def test_shell_needs_a_terminal(self) -> None:
        sandbox_id = self.created()
        code, _, err = self.cli("shell", sandbox_id)
        self.assertEqual(code, 2)
        self.assertIn("terminal", err)
        pid, master = self.spawn("shell", "sbx_0123456789abcdef")
        screen = bytearray()
        self.assertEqual(self.wait_exit(pid, master, screen), 1)
        self.assertIn(b"No sandbox", screen)


if __name__ == "__main__":
    unittest.main()
