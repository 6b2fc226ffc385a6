# SPDX-License-Identifier: GPL-3.0-or-later
"""The scripts in sdk/python/examples run as a user would run them, with the key from the environment."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import support
from ai2in import Sandbox, SandboxQuery

EXAMPLES = os.path.join(support.SDK_DIR, "examples")


class ExamplesTest(support.EngineTestCase):
    def run_example(self, name: str, stdin: bytes = b"") -> str:
        cwd = tempfile.mkdtemp(prefix="ai2in-ex-")
        self.addCleanup(shutil.rmtree, cwd, True)
        done = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)], input=stdin, capture_output=True,
                              env=self.engine.env(), cwd=cwd, timeout=120)
        out = done.stdout.decode()
        self.assertEqual(done.returncode, 0, out + done.stderr.decode())
        self.files = os.listdir(cwd)
        return out

    def test_run_agent_code(self) -> None:
        out = self.run_example("run_agent_code.py")
        self.assertIn("[1] = 28.27", out)
        self.assertIn("step 2", out)
        self.assertIn("[4] ZeroDivisionError", out)
        self.assertIn("chart-3.png", self.files)

    def test_repo_task(self) -> None:
        out = self.run_example("repo_task.py")
        self.assertIn("tests exit code: 0", out)
        self.assertIn("answer: 42", out)
        self.assertIn("/home/sandbox/project/answer.txt", out)

    def test_web_app_preview(self) -> None:
        out = self.run_example("web_app_preview.py", stdin=b"\n")
        paused = Sandbox.list(SandboxQuery(metadata={"example": "web_app_preview"}),
                              api_key=self.key, base_url=self.url)
        for info in paused:
            self.addCleanup(Sandbox.connect(info["sandbox_id"], api_key=self.key, base_url=self.url).kill)
        self.assertEqual([s["status"] for s in paused], ["paused"])
        self.assertIn(f"open: http://8000-{paused[0]['sandbox_id']}.localhost:", out)


if __name__ == "__main__":
    unittest.main()
