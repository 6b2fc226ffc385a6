# SPDX-License-Identifier: GPL-3.0-or-later
"""One real engine for the whole SDK suite, started on first use and stopped at exit.

Mirrors tests/engine/EngineProcess.cpp: a private data dir under a 0711 temp
root, two free loopback ports, the templates from AI2IN_TEMPLATES, and the
engine binary from AI2IN_ENGINE.
"""

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from typing import Dict, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
SDK_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "sdk", "python"))
if SDK_DIR not in sys.path:
    sys.path.insert(0, SDK_DIR)

RUNC = "/usr/sbin/runc"


def templates_dir() -> str:
    return os.environ.get("AI2IN_TEMPLATES") or "/var/lib/ai2in/templates"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Engine:
    """A running ai2ind with its own data dir; ``base_url`` and ``api_key`` to reach it."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.root = tempfile.mkdtemp(prefix="ai2in-t-", dir="/tmp")
        os.chmod(self.root, 0o711)
        self.data_dir = os.path.join(self.root, "d")
        os.makedirs(self.data_dir)
        self.port = free_port()
        self.preview_port = free_port()
        while self.preview_port == self.port:
            self.preview_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.root, "engine.log")
        self._log = open(self.log_path, "wb")
        args = [
            binary, "serve",
            "--data-dir", self.data_dir,
            "--listen", f"127.0.0.1:{self.port}",
            "--preview-listen", f"localhost:{self.preview_port}",
            "--templates", templates_dir(),
            "--runtime", RUNC,
            "--node-id", "test-node",
            # Of this test process: suites and other engines never share it.
            "--network-name", network_name(),
            "--network-pool", f"100.73.{os.getpid() % 256}.0/24",
        ]
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_healthy()
        with open(os.path.join(self.data_dir, "credentials.json"), encoding="utf-8") as f:
            self.api_key: str = json.load(f)["api_key"]

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ai2ind exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base_url + "/v1/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"ai2ind did not become healthy in 30 s:\n{self.log()}")

    def log(self) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-4000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def env(self) -> Dict[str, str]:
        """The environment for a child process (the CLI) that should use this engine."""
        env = dict(os.environ)
        env["AI2IN_BASE_URL"] = self.base_url
        env["AI2IN_API_KEY"] = self.api_key
        env["PYTHONPATH"] = SDK_DIR + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        return env

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self._cleanup_leftovers()
        shutil.rmtree(self.root, ignore_errors=True)

    def _cleanup_leftovers(self) -> None:
        # Containers the engine did not get to delete, then mounts under our root.
        runc_root = os.path.join(self.data_dir, "runc")
        if os.path.isdir(runc_root):
            for name in os.listdir(runc_root):
                subprocess.run([RUNC, "--root", runc_root, "delete", "--force", name],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with open("/proc/self/mountinfo", encoding="utf-8") as f:
                points = [line.split()[4] for line in f]
        except OSError:
            points = []
        for p in sorted((p for p in points if p.startswith(self.root + "/")), key=len, reverse=True):
            subprocess.run(["umount", "-l", p], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The engine leaves its table for sandboxes that outlive it; a test's goes with the test.
        subprocess.run([self.binary, "network", "down", "--network-name", network_name()],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def network_name() -> str:
    """The test engine's --network-name: its nftables table and its links' prefix."""
    return f"p{os.getpid() % 1000000}"


_engine: Optional[Engine] = None
_failure: Optional[str] = None


def engine() -> Engine:
    """The suite's engine; skips the calling test with the reason when there cannot be one."""
    global _engine, _failure
    if _engine is not None:
        return _engine
    if _failure is not None:
        raise unittest.SkipTest(_failure)
    binary = os.environ.get("AI2IN_ENGINE")
    if not binary or not os.access(binary, os.X_OK):
        _failure = "AI2IN_ENGINE does not name an ai2ind binary"
    elif os.geteuid() != 0:
        _failure = "the engine needs root to start containers"
    elif not os.path.isdir(os.path.join(templates_dir(), "base")):
        _failure = f"the base template is not built in {templates_dir()}"
    if _failure is not None:
        raise unittest.SkipTest(_failure)
    _engine = Engine(binary)  # a failure to start is an error, not a skip
    atexit.register(_engine.stop)
    return _engine


class EngineTestCase(unittest.TestCase):
    """A test against the suite's engine: ``self.engine``, ``self.key``, ``self.url``."""

    engine: Engine
    key: str
    url: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.engine = engine()
        cls.key = cls.engine.api_key
        cls.url = cls.engine.base_url

    def new_sandbox(self, **kwargs):  # type: ignore[no-untyped-def]
        """A sandbox killed after the test."""
        from ai2in import NotFoundError, Sandbox

        sbx = Sandbox(api_key=self.key, base_url=self.url, **kwargs)

        def kill() -> None:
            try:
                sbx.kill()
            except NotFoundError:
                pass

        self.addCleanup(kill)
        return sbx

    def wait_for(self, predicate, timeout: float = 30.0, interval: float = 0.05, what: str = "condition"):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail(f"timed out waiting for {what}")
            time.sleep(interval)


def fetch(url: str, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    """GETs a preview URL with urllib: ``(status, body)``; HTTP error statuses are returned, not raised."""
    import urllib.error

    # The URL as it is, through the system resolver; never through a proxy
    # from the environment (tests send nothing off this machine).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
