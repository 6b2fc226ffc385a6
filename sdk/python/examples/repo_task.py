# SPDX-License-Identifier: GPL-3.0-or-later
"""Give an agent a project to work on: upload files, run its tests, watch what changes, fetch results.

    python3 repo_task.py
"""

import sys

from ai2in import Sandbox, SandboxError

SOURCE = "def add(a, b):\n    return a + b\n"
TESTS = (
    "import unittest\nfrom calc import add\n\n"
    "class AddTest(unittest.TestCase):\n"
    "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n\n"
    "unittest.main()\n"
)


def main() -> int:
    try:
        sbx = Sandbox(timeout=300, envs={"PYTHONDONTWRITEBYTECODE": "1"})
    except SandboxError as e:  # e.g. no engine running, or a wrong key
        print(f"cannot create a sandbox: {e}", file=sys.stderr)
        return 1
    with sbx:
        sbx.files.upload("project/calc.py", SOURCE.encode())
        sbx.files.write("project/test_calc.py", TESTS)
        watcher = sbx.files.watch("project")

        result = sbx.commands.run("python3 test_calc.py", cwd="project")
        print("tests exit code:", result["exit_code"])
        print(result["stderr"].strip())

        sbx.commands.run("python3 -c 'import calc; print(calc.add(20, 22))' > answer.txt", cwd="project")
        for event in watcher.poll():
            print(f"{event['type']:>7}  {event['path']}")
        watcher.stop()

        print("answer:", sbx.files.read("project/answer.txt").strip())
        for entry in sbx.files.list("project"):
            print(f"{entry['type']:>4} {entry['size']:>6}  {entry['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
