# SPDX-License-Identifier: GPL-3.0-or-later
"""What a sandbox changed against its template: ``files.changes``, ``files.diff``, ``files.patch``,
``files.changes_archive`` and ``ai2in diff``."""

import hashlib
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
from typing import Any, Dict, Optional, Tuple

import support
from ai2in import ChangeList, ConflictError, InvalidArgumentError, NotFoundError, Sandbox, TooLargeError
from ai2in.files import CHANGES_MANIFEST

HOME = "/home/sandbox"
NEW = f"{HOME}/new.py"
NEW_TEXT = "print('made by the agent')\n"
SPACED_DIR = f"{HOME}/dir with space"
SPACED = f"{SPACED_DIR}/é.txt"
SPACED_TEXT = "ünïcödé\n"
LINK = f"{HOME}/link.py"
BLOB = f"{HOME}/blob.bin"
BLOB_BYTES = b"\x00\x01\x02ai2in\x00" + bytes(range(256)) * 8 + b"\x00"
MODIFIED = "/etc/debian_version"
MODIFIED_TEXT = "12.99-ai2in\n"
DELETED = "/etc/issue.net"
SCRIPT = f"{HOME}/run.sh"
SCRIPT_TEXT = "#!/bin/sh\necho ran\n"
SCRIPT_MODE = 0o750


def template_file(path: str) -> Optional[bytes]:
    """The base template's copy of a file, read on the host (None when it cannot be read)."""
    try:
        with open(os.path.join(support.templates_dir(), "base", "rootfs", path.lstrip("/")), "rb") as f:
            return f.read()
    except OSError:
        return None


class ChangesTest(support.EngineTestCase):
    """One sandbox, changed in every way the API names, then looked at through the SDK and the CLI."""

    sbx: Sandbox

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.sbx = Sandbox(api_key=cls.key, base_url=cls.url)
        try:
            cls._change(cls.sbx)
        except BaseException:
            cls.sbx.kill()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            cls.sbx.kill()
        except NotFoundError:
            pass
        super().tearDownClass()

    @staticmethod
    def _change(sbx: Sandbox) -> None:
        sbx.files.write(NEW, NEW_TEXT)
        sbx.files.write(SPACED, SPACED_TEXT)
        sbx.files.upload(BLOB, BLOB_BYTES)
        sbx.files.write(SCRIPT, SCRIPT_TEXT)
        done = sbx.commands.run(
            f"printf %s {shlex.quote(MODIFIED_TEXT)} > {MODIFIED} && rm {DELETED} && ln -s new.py {LINK}"
            f" && chmod {SCRIPT_MODE:o} {SCRIPT}", user="root"
        )
        if done["exit_code"] != 0:
            raise AssertionError(f"changing the sandbox failed: {done}")

    def by_path(self, changes: Any) -> Dict[str, Dict[str, Any]]:
        return {c["path"]: c for c in changes}

    # -- files.changes -----------------------------------------------------

    def test_changes_marks_each_kind(self) -> None:
        changes = self.sbx.files.changes()
        self.assertIsInstance(changes, ChangeList)
        self.assertIsInstance(changes, list)
        self.assertFalse(changes.truncated)
        paths = [c["path"] for c in changes]
        self.assertEqual(paths, sorted(paths), "the engine sorts changes by path")
        self.assertEqual(len(paths), len(set(paths)))
        got = self.by_path(changes)
        for path in (NEW, SPACED_DIR, SPACED, LINK, BLOB, MODIFIED, DELETED):
            self.assertIn(path, got, f"{path} is not among the changes: {sorted(got)}")
        expected = {
            NEW: ("added", "file", len(NEW_TEXT.encode())),
            SPACED: ("added", "file", len(SPACED_TEXT.encode())),
            BLOB: ("added", "file", len(BLOB_BYTES)),
            MODIFIED: ("modified", "file", len(MODIFIED_TEXT)),
        }
        for path, (change, kind, size) in expected.items():
            with self.subTest(path=path):
                self.assertEqual((got[path]["change"], got[path]["type"], got[path]["size"]), (change, kind, size))
                self.assertIsNone(got[path]["symlink_target"])
                self.assertIsInstance(got[path]["mode"], int)
                self.assertRegex(got[path]["mtime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        self.assertEqual((got[SPACED_DIR]["change"], got[SPACED_DIR]["type"]), ("added", "dir"))
        self.assertEqual((got[LINK]["change"], got[LINK]["type"], got[LINK]["symlink_target"]),
                         ("added", "symlink", "new.py"))
        deleted = got[DELETED]
        self.assertEqual((deleted["change"], deleted["type"]), ("deleted", "file"))
        original = template_file(DELETED)
        if original is not None:  # size, mode and mtime are then the template's
            self.assertEqual(deleted["size"], len(original))
        # A template directory is listed only when deleted: /home/sandbox and /etc are not.
        self.assertNotIn(HOME, got)
        self.assertNotIn("/etc", got)

    def test_changes_under_a_path_and_limit(self) -> None:
        under = self.sbx.files.changes(HOME)
        self.assertTrue(under, "nothing under the home")
        self.assertTrue(all(c["path"].startswith(HOME + "/") for c in under), [c["path"] for c in under])
        self.assertEqual({NEW, SPACED_DIR, SPACED, LINK, BLOB} - {c["path"] for c in under}, set())
        spaced = self.sbx.files.changes(SPACED_DIR)
        self.assertEqual([c["path"] for c in spaced if c["path"] != SPACED_DIR], [SPACED])
        one = self.sbx.files.changes(HOME, limit=1)
        self.assertEqual((len(one), one.truncated), (1, True))
        self.assertEqual(one[0], under[0])
        everything = self.sbx.files.changes(HOME, limit=100000)
        self.assertFalse(everything.truncated)
        with self.assertRaises(InvalidArgumentError):
            self.sbx.files.changes(limit=0)
        with self.assertRaises(InvalidArgumentError):
            self.sbx.files.changes(limit=100001)

    # -- files.diff --------------------------------------------------------

    def test_diff_of_a_modified_text_file(self) -> None:
        d = self.sbx.files.diff(MODIFIED)
        self.assertEqual((d["path"], d["change"], d["type"], d["binary"]), (MODIFIED, "modified", "file", False))
        self.assertEqual(d["after"], {"size": len(MODIFIED_TEXT),
                                      "sha256": hashlib.sha256(MODIFIED_TEXT.encode()).hexdigest()})
        lines = d["diff"].splitlines()
        self.assertIn("+" + MODIFIED_TEXT.rstrip("\n"), lines)
        original = template_file(MODIFIED)
        if original is not None:
            self.assertEqual(d["before"], {"size": len(original), "sha256": hashlib.sha256(original).hexdigest()})
            for line in original.decode().splitlines():
                self.assertIn("-" + line, lines)
        else:
            self.assertTrue(any(line.startswith("-") and not line.startswith("---") for line in lines), d["diff"])
        self.assertTrue(any(line.startswith("@@") for line in lines), d["diff"])

    def test_diff_of_added_deleted_binary_and_link(self) -> None:
        added = self.sbx.files.diff(SPACED)
        self.assertEqual((added["change"], added["binary"], added["before"]), ("added", False, None))
        self.assertIn("+" + SPACED_TEXT.rstrip("\n"), added["diff"].splitlines())

        blob = self.sbx.files.diff(BLOB)
        self.assertEqual((blob["change"], blob["binary"], blob["before"], blob["diff"]), ("added", True, None, ""))
        self.assertEqual(blob["after"], {"size": len(BLOB_BYTES), "sha256": hashlib.sha256(BLOB_BYTES).hexdigest()})
        self.assertFalse(blob.get("too_large", False))

        deleted = self.sbx.files.diff(DELETED)
        self.assertEqual((deleted["change"], deleted["after"]), ("deleted", None))
        self.assertIsNotNone(deleted["before"])
        original = template_file(DELETED)
        if original is not None:
            self.assertEqual(deleted["before"]["sha256"], hashlib.sha256(original).hexdigest())
            for line in original.decode().splitlines():
                self.assertIn("-" + line, deleted["diff"].splitlines())

        link = self.sbx.files.diff(LINK)
        self.assertEqual((link["change"], link["type"]), ("added", "symlink"))
        self.assertIn("+new.py", link["diff"].splitlines(), "a symlink's diff is of its target")

    def test_diff_context_and_errors(self) -> None:
        zero = self.sbx.files.diff(MODIFIED, context=0)
        self.assertTrue(all(not line.startswith(" ") for line in zero["diff"].splitlines()), zero["diff"])
        with self.assertRaises(NotFoundError):
            self.sbx.files.diff("/etc/passwd")  # in the template, not changed
        with self.assertRaises(NotFoundError):
            self.sbx.files.diff(f"{HOME}/never-made.txt")
        with self.assertRaises(InvalidArgumentError):
            self.sbx.files.diff(MODIFIED, context=101)

    # -- files.patch -------------------------------------------------------

    def test_patch_has_text_diffs_and_binary_lines(self) -> None:
        patch = self.sbx.files.patch()
        self.assertIsInstance(patch, str)
        lines = patch.splitlines()
        self.assertIn("+" + MODIFIED_TEXT.rstrip("\n"), lines)
        self.assertIn("+" + NEW_TEXT.rstrip("\n"), lines)
        self.assertIn("+" + SPACED_TEXT.rstrip("\n"), lines)
        self.assertTrue(any(line.startswith("Binary files") and "blob.bin" in line for line in lines), patch)
        self.assertTrue(any(line.startswith("+++ b/etc/debian_version") for line in lines), patch)
        original = template_file(DELETED)
        if original is not None:
            for line in original.decode().splitlines():
                self.assertIn("-" + line, lines)
        home = self.sbx.files.patch(HOME)
        self.assertIn("+" + NEW_TEXT.rstrip("\n"), home.splitlines())
        self.assertNotIn("debian_version", home)

    def test_patch_applies_with_git(self) -> None:
        """``git apply -p1`` in a copy of the template's /etc turns it into the sandbox's /etc."""
        git = shutil.which("git")
        etc = os.path.join(support.templates_dir(), "base", "rootfs", "etc")
        if git is None or not os.path.isdir(etc):
            self.skipTest("needs git and a readable base template")
        patch = self.sbx.files.patch("/etc")
        with tempfile.TemporaryDirectory(prefix="ai2in-patch-") as root:
            shutil.copytree(etc, os.path.join(root, "etc"), symlinks=True)
            done = subprocess.run([git, "apply", "-p1", "-"], cwd=root, input=patch.encode(),
                                  capture_output=True)
            self.assertEqual(done.returncode, 0, done.stderr.decode("utf-8", "replace") + "\n" + patch)
            with open(os.path.join(root, MODIFIED.lstrip("/")), encoding="utf-8") as f:
                self.assertEqual(f.read(), MODIFIED_TEXT)
            self.assertFalse(os.path.lexists(os.path.join(root, DELETED.lstrip("/"))))

    # -- files.changes_archive ---------------------------------------------

    def check_archive(self, tar: tarfile.TarFile, under: str = "/") -> None:
        """``tar`` holds every added and modified path under ``under`` as the sandbox has it, and the manifest."""
        listed = [c for c in self.sbx.files.changes(under)]
        members = tar.getmembers()
        self.assertEqual(members[-1].name, CHANGES_MANIFEST, "the manifest is the last member")
        by_name = {m.name: m for m in members[:-1]}
        kept = [c for c in listed if c["change"] != "deleted" and c["type"] in ("file", "dir", "symlink")]
        self.assertEqual(sorted(by_name), sorted(c["path"].lstrip("/") for c in kept))
        for c in kept:
            m = by_name[c["path"].lstrip("/")]
            with self.subTest(path=c["path"]):
                self.assertEqual({"file": m.isfile(), "dir": m.isdir(), "symlink": m.issym()}[c["type"]], True)
                self.assertEqual(m.mode, c["mode"])
                if c["type"] == "file":
                    self.assertEqual(m.size, c["size"])
        manifest = tar.extractfile(members[-1]).read().decode("utf-8")
        self.assertEqual(manifest.splitlines(),
                         [f"{c['change'][0].upper()} {c['path']}" for c in listed])
        self.assertNotIn(DELETED.lstrip("/"), by_name, "a deletion is in the manifest only")

    def test_archive_holds_files_links_dirs_modes_owners_and_the_manifest(self) -> None:
        data = self.sbx.files.changes_archive()
        self.assertIsInstance(data, bytes)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            self.check_archive(tar)
            content = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
            self.assertEqual(content[NEW.lstrip("/")], NEW_TEXT.encode())
            self.assertEqual(content[SPACED.lstrip("/")], SPACED_TEXT.encode(), "a name with a space and an é")
            self.assertEqual(content[BLOB.lstrip("/")], BLOB_BYTES)
            self.assertEqual(content[MODIFIED.lstrip("/")], MODIFIED_TEXT.encode())
            self.assertEqual(content[SCRIPT.lstrip("/")], SCRIPT_TEXT.encode())
            link = tar.getmember(LINK.lstrip("/"))
            self.assertTrue(link.issym())
            self.assertEqual(link.linkname, "new.py", "a link is stored as a link, not followed")
            self.assertTrue(tar.getmember(SPACED_DIR.lstrip("/")).isdir())
            self.assertEqual(tar.getmember(SCRIPT.lstrip("/")).mode, SCRIPT_MODE)
            # Owners as the sandbox has them: the files API writes as "sandbox", the command ran as root.
            ids = self.sbx.commands.run("id -u sandbox; id -g sandbox")["stdout"].split()
            new = tar.getmember(NEW.lstrip("/"))
            self.assertEqual([str(new.uid), str(new.gid)], ids)
            self.assertEqual((tar.getmember(MODIFIED.lstrip("/")).uid, tar.getmember(MODIFIED.lstrip("/")).gid), (0, 0))
            listed = self.by_path(self.sbx.files.changes(HOME))
            mtime = listed[NEW]["mtime"]
            self.assertEqual(int(new.mtime), self._epoch(mtime))
            manifest = tar.extractfile(CHANGES_MANIFEST).read().decode("utf-8").splitlines()
        for line in (f"A {NEW}", f"A {SPACED}", f"A {LINK}", f"A {BLOB}", f"M {MODIFIED}", f"D {DELETED}"):
            self.assertIn(line, manifest)

    @staticmethod
    def _epoch(iso: str) -> int:
        import datetime
        return int(datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ")
                   .replace(tzinfo=datetime.timezone.utc).timestamp())

    def test_archive_gzipped_under_a_path_and_to_a_file(self) -> None:
        with tempfile.TemporaryDirectory(prefix="ai2in-archive-") as d:
            out = os.path.join(d, "home.tar.gz")
            size = self.sbx.files.changes_archive(HOME, gzip=True, to=out)
            self.assertEqual(os.listdir(d), ["home.tar.gz"], "nothing but the archive is left")
            self.assertEqual(os.path.getsize(out), size)
            with open(out, "rb") as f:
                self.assertEqual(f.read(2), b"\x1f\x8b")
            with tarfile.open(out, mode="r:gz") as tar:
                self.check_archive(tar, HOME)
                self.assertEqual(tar.extractfile(BLOB.lstrip("/")).read(), BLOB_BYTES)
                self.assertNotIn(MODIFIED.lstrip("/"), tar.getnames())

    def test_archive_errors(self) -> None:
        with self.assertRaises(NotFoundError):
            self.sbx._client.request("GET", "/v1/sandboxes/sbx_0000000000000000/changes/archive")
        with self.assertRaises(InvalidArgumentError):
            self.sbx._client.request("GET", f"/v1/sandboxes/{self.sbx.id}/changes/archive", query={"format": "zip"})
        with tempfile.TemporaryDirectory(prefix="ai2in-archive-") as d:
            with self.assertRaises(InvalidArgumentError):
                self.sbx.files.changes_archive("", to=os.path.join(d, "x.tar"))
            self.assertEqual(os.listdir(d), [], "a refused archive leaves no file")

    # -- ai2in diff --------------------------------------------------------

    def cli(self, *args: str) -> Tuple[int, bytes, str]:
        done = subprocess.run([sys.executable, "-m", "ai2in", *args], input=b"", capture_output=True,
                              env=self.engine.env(), timeout=120)
        return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")

    def test_cli_lines(self) -> None:
        code, out, err = self.cli("diff", self.sbx.id)
        self.assertEqual(code, 0, err)
        lines = out.decode("utf-8").splitlines()
        for line in (f"A  {NEW}", f"A  {SPACED_DIR}/", f"A  {SPACED}", f"A  {LINK} -> new.py", f"A  {BLOB}",
                     f"M  {MODIFIED}", f"D  {DELETED}"):
            self.assertIn(line, lines)
        self.assertTrue(all(line[:3] in ("A  ", "M  ", "D  ") for line in lines), lines)

        code, out, err = self.cli("diff", self.sbx.id, HOME, "--limit", "1")
        self.assertEqual(code, 0, err)
        lines = out.decode("utf-8").splitlines()
        self.assertEqual(len(lines), 2, lines)
        self.assertTrue(lines[0].startswith("A  " + HOME + "/"), lines)
        self.assertIn("truncated", lines[1])

    def test_cli_json_and_patch(self) -> None:
        code, out, err = self.cli("diff", self.sbx.id, SPACED_DIR, "--json")
        self.assertEqual(code, 0, err)
        listed = json.loads(out)
        self.assertEqual(listed, list(self.sbx.files.changes(SPACED_DIR)))
        self.assertEqual([c["path"] for c in listed], [SPACED_DIR, SPACED])

        code, out, err = self.cli("diff", self.sbx.id, "--patch")
        self.assertEqual(code, 0, err)
        self.assertEqual(out, self.sbx.files.patch().encode("utf-8"))
        self.assertIn(b"Binary files", out)

    def test_cli_archive(self) -> None:
        with tempfile.TemporaryDirectory(prefix="ai2in-archive-") as d:
            out = os.path.join(d, "changes.tar")
            code, _, err = self.cli("diff", self.sbx.id, "--archive", out)
            self.assertEqual(code, 0, err)
            with tarfile.open(out, mode="r:") as tar:
                self.check_archive(tar)
            missing = os.path.join(d, "missing.tar")
            code, _, err = self.cli("diff", "sbx_0000000000000000", "--archive", missing)
            self.assertEqual(code, 1, err)
            self.assertFalse(os.path.exists(missing))
            code, _, err = self.cli("diff", self.sbx.id, "--archive", out, "--patch")
            self.assertEqual(code, 2, err)

    def test_cli_errors(self) -> None:
        code, out, err = self.cli("diff", "sbx_0000000000000000")
        self.assertEqual((code, out), (1, b""))
        self.assertTrue(err.startswith("ai2in: ") and err.count("\n") == 1, err)
        code, _, err = self.cli("diff", self.sbx.id, "--patch", "--json")
        self.assertEqual(code, 2, err)


class ChangesOfLargeFilesTest(support.EngineTestCase):
    def test_diff_of_a_side_over_4_mib_is_empty_and_says_so(self) -> None:
        sbx = self.new_sandbox()
        text = ("x" * 1023 + "\n") * (4 * 1024 + 1)
        sbx.files.write("big.txt", text)
        d = sbx.files.diff(f"{HOME}/big.txt")
        self.assertEqual((d["change"], d["diff"], d.get("too_large")), ("added", "", True))
        self.assertEqual(d["after"], {"size": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()})


    def test_archive_refuses_a_file_over_32_mib_and_writes_odd_names_on_one_line(self) -> None:
        sbx = self.new_sandbox()
        done = sbx.commands.run(f"mkdir {HOME}/big && head -c 33554433 /dev/zero > {HOME}/big/huge.bin"
                                f" && echo small > {HOME}/small.txt")
        self.assertEqual(done["exit_code"], 0, done)
        with self.assertRaises(TooLargeError) as caught:
            sbx.files.changes_archive()
        self.assertIn(f"{HOME}/big/huge.bin", str(caught.exception))
        with tarfile.open(fileobj=io.BytesIO(sbx.files.changes_archive(f"{HOME}/small.txt")), mode="r:") as tar:
            self.assertEqual(tar.getnames(), ["home/sandbox/small.txt", CHANGES_MANIFEST])
        # One manifest line per path, whatever its name holds.
        odd = f"{HOME}/odd/back\\slash\nnewline"
        sbx.files.write(odd, "odd\n")
        with tarfile.open(fileobj=io.BytesIO(sbx.files.changes_archive(f"{HOME}/odd")), mode="r:") as tar:
            self.assertEqual(tar.extractfile(odd.lstrip("/")).read(), b"odd\n")
            manifest = tar.extractfile(CHANGES_MANIFEST).read().decode("utf-8")
        self.assertEqual(manifest, f"A {HOME}/odd\nA {HOME}/odd/back\\\\slash\\nnewline\n")


class ChangesWhilePausedTest(support.EngineTestCase):
    def test_memory_pause_answers_stop_pause_is_a_conflict(self) -> None:
        sbx = self.new_sandbox()
        sbx.files.write("kept.txt", "kept\n")
        sbx.pause(keep_memory=True)
        self.assertIn(f"{HOME}/kept.txt", [c["path"] for c in sbx.files.changes(HOME)])
        sbx.resume()
        sbx.pause()
        with self.assertRaises(ConflictError):
            sbx.files.changes()
        with self.assertRaises(ConflictError):
            sbx.files.patch()
        with self.assertRaises(ConflictError):
            sbx.files.changes_archive()
        sbx.resume()
        self.assertIn(f"{HOME}/kept.txt", [c["path"] for c in sbx.files.changes(HOME)])


if __name__ == "__main__":
    unittest.main()
