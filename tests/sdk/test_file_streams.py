# SPDX-License-Identifier: GPL-3.0-or-later
"""Streamed file transfers: uploads from file objects and iterators, downloads to files, the 32 MiB limit."""

import hashlib
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import tracemalloc
import unittest
from typing import Any, Optional, Tuple

from support import EngineTestCase

from ai2in import Chunks, EngineError, InvalidArgumentError, NotFoundError, TooLargeError
from ai2in._http import ApiClient
from ai2in.files import MAX_FILE_BYTES, Files

MIB = 1 << 20


class CountingReader(io.RawIOBase):
    """A seekable binary file that counts its reads; ``short_by`` makes it end early (a file that shrank)."""

    def __init__(self, size: int, short_by: int = 0) -> None:
        self.size = size
        self.short_by = short_by
        self.pos = 0
        self.reads = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self.pos = {os.SEEK_SET: 0, os.SEEK_CUR: self.pos, os.SEEK_END: self.size}[whence] + offset
        return self.pos

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        self.reads += 1
        n = max(0, min(len(b), self.size - self.short_by - self.pos))
        b[:n] = b"q" * n
        self.pos += n
        return n


class FileStreamsTest(EngineTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.big = os.urandom(MAX_FILE_BYTES)
        cls.big_sha = hashlib.sha256(cls.big).hexdigest()

    def setUp(self) -> None:
        self.sbx = self.new_sandbox()
        self.files = self.sbx.files
        self.tmp = tempfile.mkdtemp(prefix="ai2in-streams-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def local(self, name: str, data: bytes = b"") -> str:
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def remote_sha(self, path: str) -> str:
        return self.sbx.commands.run(f"sha256sum {path}")["stdout"].split()[0]

    def test_upload_32_mib_from_a_file_object(self) -> None:
        src = self.local("big.bin", self.big)
        with open(src, "rb") as f:
            answer = self.files.write("big.bin", f)
        self.assertEqual(answer, {"path": "/home/sandbox/big.bin", "written": MAX_FILE_BYTES})
        self.assertEqual(self.remote_sha("big.bin"), self.big_sha)
        # From where the file object stands, as read() would go on.
        with open(src, "rb") as f:
            f.seek(MAX_FILE_BYTES - 1000)
            self.assertEqual(self.files.upload("tail.bin", f)["written"], 1000)
        self.assertEqual(self.files.download("tail.bin"), self.big[-1000:])
        self.assertEqual(self.files.write("mem.bin", io.BytesIO(b"in memory"))["written"], 9)
        self.assertEqual(self.files.read("mem.bin"), "in memory")

    def test_upload_32_mib_from_an_iterator(self) -> None:
        pieces = (self.big[i:i + 3 * MIB + 17] for i in range(0, len(self.big), 3 * MIB + 17))
        self.assertEqual(self.files.write("it.bin", pieces)["written"], MAX_FILE_BYTES)
        self.assertEqual(self.remote_sha("it.bin"), self.big_sha)
        # Empty pieces, bytearrays and text pieces (UTF-8) are taken too.
        self.files.write("mixed.txt", [b"a", b"", bytearray(b"b"), "\u00e9", memoryview(b"c")])
        self.assertEqual(self.files.download("mixed.txt"), "ab\u00e9c".encode("utf-8"))

    def test_upload_from_a_pipe(self) -> None:
        # No size up front: sent chunked as it is read.
        r, w = os.pipe()
        data = os.urandom(5 * MIB + 3)

        def feed() -> None:
            with os.fdopen(w, "wb") as out:
                out.write(data)

        writer = threading.Thread(target=feed)
        writer.start()
        with os.fdopen(r, "rb") as f:
            self.assertEqual(self.files.write("pipe.bin", f)["written"], len(data))
        writer.join()
        self.assertEqual(self.files.download("pipe.bin"), data)

    def test_download_to_a_file(self) -> None:
        self.files.write("big.bin", self.big)
        dest = os.path.join(self.tmp, "down.bin")
        self.assertEqual(self.files.download("big.bin", to=dest), MAX_FILE_BYTES)
        with open(dest, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), self.big_sha)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.endswith(".part")], [])
        into = io.BytesIO()
        self.assertEqual(self.files.download("big.bin", to=into), MAX_FILE_BYTES)
        self.assertEqual(hashlib.sha256(into.getvalue()).hexdigest(), self.big_sha)

    def test_read_as_a_stream(self) -> None:
        self.files.write("big.bin", self.big)
        with self.files.read("big.bin", format="stream") as chunks:
            self.assertIsInstance(chunks, Chunks)
            self.assertEqual(chunks.size, MAX_FILE_BYTES)
            digest = hashlib.sha256()
            for piece in chunks:
                self.assertLessEqual(len(piece), MIB)
                digest.update(piece)
        self.assertEqual(digest.hexdigest(), self.big_sha)
        self.assertEqual(list(chunks), [])  # used up: nothing more
        self.files.write("small.txt", "caf\u00e9")
        self.assertEqual(self.files.read("small.txt", format="bytes"), "caf\u00e9".encode("utf-8"))
        self.assertEqual(self.files.read("small.txt"), "caf\u00e9")
        # Asked at once: a missing file raises at the call, not at the first piece.
        with self.assertRaises(NotFoundError):
            self.files.read("nothing-here", format="stream")
        with self.assertRaises(InvalidArgumentError):
            self.files.read("small.txt", format="lines")  # type: ignore[call-overload]
        # A stream left early lets its connection go.
        partial = self.files.read("big.bin", format="stream")
        self.assertGreater(len(next(partial)), 0)
        partial.close()
        self.assertEqual(list(partial), [])

    def test_failed_download_leaves_no_file(self) -> None:
        dest = os.path.join(self.tmp, "never.bin")
        with self.assertRaises(NotFoundError):
            self.files.download("nothing-here", to=dest)
        self.assertEqual(os.listdir(self.tmp), [])

    def test_download_cut_short(self) -> None:
        # A stand-in that promises more than it sends, since the engine does not fail on demand.
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Length", str(3 * MIB))
                self.end_headers()
                self.wfile.write(b"x" * MIB)
                self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        files = Files(ApiClient("k", f"http://127.0.0.1:{server.server_address[1]}"), "sbx_0123456789abcdef")
        dest = os.path.join(self.tmp, "short.bin")
        with self.assertRaises(EngineError) as caught:
            files.download("f.bin", to=dest)
        self.assertIn("ended 2097152 bytes short", str(caught.exception))
        self.assertEqual(os.listdir(self.tmp), [])  # neither the file nor its partial one

    def test_too_large_file_object_refused_before_sending(self) -> None:
        self.files.write("keep.bin", b"the original")
        reader = CountingReader(MAX_FILE_BYTES + 1)
        with self.assertRaises(TooLargeError) as caught:
            self.files.write("keep.bin", reader)
        self.assertEqual(caught.exception.status, 413)
        self.assertIn(str(MAX_FILE_BYTES), str(caught.exception))
        self.assertIn("nothing was sent", str(caught.exception))
        self.assertEqual(reader.reads, 0)  # not a byte read, so not a byte sent
        self.assertEqual(reader.tell(), 0)
        # A real file too, by its size on the disk.
        src = self.local("over.bin", b"")
        with open(src, "r+b") as f:
            f.truncate(MAX_FILE_BYTES + 1)
            with self.assertRaises(TooLargeError):
                self.files.upload("keep.bin", f)
            self.assertEqual(f.tell(), 0)
        self.assertEqual(self.files.download("keep.bin"), b"the original")

    def test_too_large_iterator_refused_and_file_unchanged(self) -> None:
        self.files.write("keep.bin", b"the original")
        taken = []

        def pieces():  # type: ignore[no-untyped-def]
            for _ in range(40):
                taken.append(1)
                yield b"z" * MIB

        with self.assertRaises(TooLargeError) as caught:
            self.files.write("keep.bin", pieces())
        self.assertIn("nothing was written", str(caught.exception))
        self.assertEqual(len(taken), 33)  # stopped at the first piece past the limit
        self.assertEqual(self.files.download("keep.bin"), b"the original")
        self.assertFalse(self.files.exists("never.bin"))
        with self.assertRaises(TooLargeError):
            self.files.write("never.bin", pieces())
        self.assertFalse(self.files.exists("never.bin"))
        # The sandbox is none the worse: the next upload goes through.
        self.assertEqual(self.files.write("keep.bin", b"new")["written"], 3)

    def test_file_that_shrinks_while_sent(self) -> None:
        self.files.write("keep.bin", b"the original")
        with self.assertRaises(InvalidArgumentError) as caught:
            self.files.write("keep.bin", CountingReader(3 * MIB, short_by=MIB))
        self.assertIn("ended after", str(caught.exception))
        self.assertEqual(self.files.download("keep.bin"), b"the original")

    def test_bad_data(self) -> None:
        with open(self.local("t.txt", b"text"), "r") as f, self.assertRaises(InvalidArgumentError):
            self.files.write("t.txt", f)  # type: ignore[arg-type]
        with self.assertRaises(InvalidArgumentError):
            self.files.write("t.txt", [b"ok", 5])  # type: ignore[list-item]
        with self.assertRaises(InvalidArgumentError):
            self.files.write("t.txt", 5)  # type: ignore[arg-type]
        self.assertFalse(self.files.exists("t.txt"))

    def test_cli_cp_streams_both_ways(self) -> None:
        def cli(*args: str, stdin: Optional[bytes] = None) -> Tuple[int, bytes, str]:
            done = subprocess.run([sys.executable, "-m", "ai2in", *args], input=stdin or b"", capture_output=True,
                                  env=self.engine.env(), timeout=120)
            return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")

        sid = self.sbx.sandbox_id
        src = self.local("big.bin", self.big)
        self.assertEqual(cli("cp", src, f"{sid}:big.bin")[0], 0)
        self.assertEqual(self.remote_sha("big.bin"), self.big_sha)
        back = os.path.join(self.tmp, "back.bin")
        self.assertEqual(cli("cp", f"{sid}:big.bin", back)[0], 0)
        with open(back, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), self.big_sha)
        code, out, _ = cli("cp", f"{sid}:big.bin", "-")
        self.assertEqual((code, hashlib.sha256(out).hexdigest()), (0, self.big_sha))
        self.assertEqual(cli("cp", "-", f"{sid}:piped.bin", stdin=self.big[:5 * MIB])[0], 0)
        self.assertEqual(self.files.download("piped.bin"), self.big[:5 * MIB])
        # Over the limit: one line, and the sandbox's file as it was.
        with open(src, "r+b") as f:
            f.truncate(MAX_FILE_BYTES + 1)
        code, _, err = cli("cp", src, f"{sid}:big.bin")
        self.assertEqual(code, 1)
        self.assertTrue(err.startswith("ai2in: ") and "33554432" in err and len(err.strip().splitlines()) == 1, err)
        self.assertEqual(self.remote_sha("big.bin"), self.big_sha)
        # A local side that cannot be written is named.
        code, _, err = cli("cp", f"{sid}:big.bin", os.path.join(self.tmp, "no-such-dir", "x.bin"))
        self.assertEqual(code, 1)
        self.assertIn("Cannot write", err)

    def test_streamed_download_memory(self) -> None:
        self.files.write("big.bin", self.big)
        dest = os.path.join(self.tmp, "down.bin")

        def peak(run) -> int:  # type: ignore[no-untyped-def]
            tracemalloc.start()
            try:
                run()
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

        streamed = peak(lambda: self.files.download("big.bin", to=dest))
        whole = peak(lambda: self.files.download("big.bin"))
        src = self.local("big.bin", self.big)

        def upload() -> None:
            with open(src, "rb") as f:
                self.files.write("up.bin", f)

        uploaded = peak(upload)
        print(f"\npeak Python memory for 32 MiB: download to a file {streamed / MIB:.1f} MiB, "
              f"download into bytes {whole / MIB:.1f} MiB, upload from a file {uploaded / MIB:.1f} MiB")
        self.assertLess(streamed, 4 * MIB)
        self.assertLess(uploaded, 4 * MIB)
        self.assertGreaterEqual(whole, MAX_FILE_BYTES)


if __name__ == "__main__":
    unittest.main()
