# SPDX-License-Identifier: GPL-3.0-or-later
"""The package's public names: seed 000's names exist, each has a docstring and type hints, only the stdlib is used."""

import ast
import importlib
import inspect
import os
import sys
import unittest

import support  # noqa: F401  (puts the SDK on sys.path)
import ai2in

MODULES = ["ai2in", "ai2in.sandbox", "ai2in.commands", "ai2in.pty", "ai2in.files", "ai2in.code",
           "ai2in.exceptions", "ai2in.cli", "ai2in._http", "ai2in._websocket", "ai2in._shell", "ai2in._config"]


def _functions(obj):  # type: ignore[no-untyped-def]
    for name, member in vars(obj).items():
        if name.startswith("_") and name != "__init__":
            continue
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if inspect.isfunction(member) or isinstance(member, property):
            yield name, member


class ApiSurfaceTest(unittest.TestCase):
    def test_seed_names(self) -> None:
        from ai2in import Sandbox

        for name in ("run_code", "connect", "list", "get_info", "set_timeout", "pause", "resume", "get_host",
                     "get_metrics", "kill", "__enter__", "__exit__"):
            self.assertTrue(callable(getattr(Sandbox, name)), name)
        for cls, names in [
            (ai2in.Commands, ("run", "start", "list")),
            (ai2in.CommandHandle, ("logs", "kill")),
            (ai2in.Pty, ("start",)),
            (ai2in.PtyHandle, ("send", "read", "resize", "kill")),
            (ai2in.Files, ("list", "read", "write", "upload", "download", "watch", "exists", "get_info", "remove",
                           "rename", "make_dir")),
            (ai2in.Watcher, ("poll", "stop")),
        ]:
            for name in names:
                self.assertTrue(callable(getattr(cls, name)), f"{cls.__name__}.{name}")
        params = inspect.signature(Sandbox.__init__).parameters
        for name in ("api_key", "base_url", "region", "timeout", "metadata"):
            self.assertIn(name, params)
        self.assertEqual(list(inspect.signature(Sandbox.run_code).parameters)[1:6],
                         ["code", "on_stdout", "on_stderr", "on_result", "on_error"])
        self.assertEqual(list(inspect.signature(ai2in.Pty.start).parameters)[1:3], ["cols", "rows"])
        self.assertEqual(inspect.signature(ai2in.Files.watch).parameters["path"].default, ".")
        self.assertIs(inspect.signature(ai2in.Files.watch).parameters["recursive"].default, True)
        self.assertEqual(inspect.signature(ai2in.Files.list).parameters["path"].default, ".")

    def test_docstrings_and_type_hints(self) -> None:
        problems = []
        for module_name in MODULES:
            module = importlib.import_module(module_name)
            self.assertTrue(module.__doc__, module_name)
            for name, obj in vars(module).items():
                if name.startswith("_") or getattr(obj, "__module__", None) != module_name:
                    continue
                if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                    continue
                if not obj.__doc__:
                    problems.append(f"{module_name}.{name}: no docstring")
                members = _functions(obj) if inspect.isclass(obj) else [(name, obj)]
                for member_name, member in members:
                    label = f"{module_name}.{name}" + (f".{member_name}" if inspect.isclass(obj) else "")
                    if isinstance(member, property):
                        if not member.__doc__:
                            problems.append(f"{label}: no docstring")
                        continue
                    if not member.__doc__ and member_name != "__init__":
                        problems.append(f"{label}: no docstring")
                    signature = inspect.signature(member)
                    for p in signature.parameters.values():
                        if p.name not in ("self", "cls") and p.annotation is p.empty:
                            problems.append(f"{label}({p.name}): no type hint")
                    if signature.return_annotation is signature.empty:
                        problems.append(f"{label}: no return type")
        self.assertEqual(problems, [])

    def test_standard_library_only(self) -> None:
        stdlib = getattr(sys, "stdlib_module_names", None)
        if stdlib is None:
            self.skipTest("sys.stdlib_module_names needs Python 3.10")
        package_dir = os.path.dirname(ai2in.__file__)
        for name in sorted(os.listdir(package_dir)):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(package_dir, name), encoding="utf-8") as f:
                tree = ast.parse(f.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    roots = [a.name.split(".")[0] for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    roots = [node.module.split(".")[0]]
                else:
                    continue
                for root in roots:
                    self.assertIn(root, stdlib, f"{name} imports {root}")


if __name__ == "__main__":
    unittest.main()
