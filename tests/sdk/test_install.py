# SPDX-License-Identifier: GPL-3.0-or-later
"""The package installs with pip (offline, into a fresh venv) and its version is the project's."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import support
import ai2in

ROOT = os.path.normpath(os.path.join(support.HERE, "..", ".."))


def _has_wheel(python: str) -> bool:
    return subprocess.run([python, "-c", "import wheel, setuptools"], capture_output=True).returncode == 0


class VersionTest(unittest.TestCase):
    def test_version_is_the_cmake_project_version(self) -> None:
        # ctest passes the configured PROJECT_VERSION; run by hand, read it from the sources.
        configured = os.environ.get("AI2IN_PROJECT_VERSION")
        if configured:
            self.assertEqual(ai2in.__version__, configured)
            return
        with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
            text = f.read()
        literal = re.search(r"project\(\s*ai2in\s+VERSION\s+([0-9]+\.[0-9]+\.[0-9]+)", text)
        if literal:
            self.assertEqual(ai2in.__version__, literal.group(1))
            return
        # The project may take its version from the SDK's _version.py instead.
        self.assertRegex(text, r"project\(\s*ai2in\s+VERSION\s+\$\{", "no project(ai2in VERSION …) in CMakeLists.txt")
        cmake = shutil.which("cmake")
        if not cmake:
            self.skipTest("cmake is not installed to evaluate the project version")
        script = os.path.join(tempfile.mkdtemp(prefix="ai2in-ver-"), "version.cmake")
        self.addCleanup(shutil.rmtree, os.path.dirname(script), True)
        with open(script, "w", encoding="utf-8") as f:
            f.write(f'include("{os.path.join(ROOT, "cmake", "ProjectVersion.cmake")}")\n'
                    'message(STATUS "version=${AI2IN_PROJECT_VERSION}")\n')
        done = subprocess.run([cmake, "-P", script], capture_output=True, text=True)
        self.assertIn(f"version={ai2in.__version__}", done.stdout + done.stderr)

    def test_every_file_has_an_spdx_line(self) -> None:
        for top in (support.SDK_DIR, support.HERE):
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames[:] = [d for d in dirnames if d not in ("__pycache__", "build") and not d.endswith(".egg-info")]
                for name in filenames:
                    if name.endswith((".pyc",)):
                        continue
                    with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                        head = f.read(200)
                    self.assertIn("SPDX-License-Identifier: GPL-3.0-or-later", head, os.path.join(dirpath, name))


class InstallTest(unittest.TestCase):
    def test_pip_install_into_a_venv(self) -> None:
        # The venv sees the system's setuptools and wheel: --no-index builds without a download.
        candidates = [sys.executable, "/usr/bin/python3"]
        python = next((p for p in candidates if os.path.exists(p) and _has_wheel(p)), None)
        self.assertIsNotNone(python, "no Python here has both setuptools and wheel to build the package offline")
        tmp = tempfile.mkdtemp(prefix="ai2in-venv-")
        self.addCleanup(shutil.rmtree, tmp, True)
        venv = os.path.join(tmp, "venv")
        made = subprocess.run([python, "-m", "venv", "--system-site-packages", venv], capture_output=True, text=True)
        if made.returncode != 0:
            self.skipTest(f"cannot create a venv with {python}: {made.stderr.strip()[-300:]}")
        # pip builds in the source tree; a copy keeps build/ and *.egg-info out of the repository.
        source = os.path.join(tmp, "python")
        shutil.copytree(support.SDK_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        installed = subprocess.run(
            [os.path.join(venv, "bin", "pip"), "install", "--no-build-isolation", "--no-index", source],
            capture_output=True, text=True, env=env, cwd=tmp,
        )
        self.assertEqual(installed.returncode, 0, installed.stdout[-2000:] + installed.stderr[-2000:])
        version = subprocess.run([os.path.join(venv, "bin", "ai2in"), "--version"],
                                 capture_output=True, text=True, env=env, cwd=tmp)
        self.assertEqual((version.returncode, version.stdout.strip()), (0, f"ai2in {ai2in.__version__}"))
        imported = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                                   "import ai2in, os; print(ai2in.__file__)"],
                                  capture_output=True, text=True, env=env, cwd=tmp)
        self.assertTrue(imported.stdout.strip().startswith(venv), imported.stdout + imported.stderr)


if __name__ == "__main__":
    unittest.main()
