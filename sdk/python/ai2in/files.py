# SPDX-License-Identifier: GPL-3.0-or-later
"""The sandbox's filesystem: list, read, write, upload, download, watch, what changed, and the rest."""

import io
import os
import posixpath
import secrets
import stat
from typing import IO, Any, Dict, Iterable, Iterator, List, Literal, Optional, Tuple, Union, overload

from ._http import PIECE, ApiClient, Body, Chunks
from .exceptions import InvalidArgumentError, SandboxError, TooLargeError

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest file the engine takes or gives in one request (32 MiB)."""

CHANGES_MANIFEST = ".ai2in-changes.txt"
"""The last member of :meth:`Files.changes_archive`'s tar: one ``A|M|D /path`` line per change."""

FileData = Union[str, bytes, bytearray, memoryview, IO[bytes], Iterable[bytes]]
"""What :meth:`Files.write` and :meth:`Files.upload` take: text, bytes, a binary file object, or pieces of bytes."""

Destination = Union[str, "os.PathLike[str]", IO[bytes]]
"""Where :meth:`Files.download` and :meth:`Files.changes_archive` write with ``to``: a local path or a binary file object."""


def _too_large(sentence: str) -> TooLargeError:
    return TooLargeError(sentence, status=413, code="too_large")


def _over_limit(size: int) -> TooLargeError:
    return _too_large(f"{size} bytes is over the engine's limit of {MAX_FILE_BYTES} bytes per file; nothing was sent.")


def _remaining_size(f: Any) -> Optional[int]:
    """How many bytes a file object has from where it stands, when that can be known without reading it."""
    try:
        here = f.tell()
        info = os.fstat(f.fileno())
        if stat.S_ISREG(info.st_mode):
            return max(info.st_size - here, 0)
    except (AttributeError, OSError, ValueError):
        pass
    try:
        if f.seekable():
            here = f.tell()
            end = f.seek(0, os.SEEK_END)
            f.seek(here)
            return max(end - here, 0)
    except (AttributeError, OSError, ValueError):
        pass
    return None  # a pipe, a socket, a reader of something else


def _pieces_of_file(f: Any, size: Optional[int]) -> Iterator[bytes]:
    """The file's bytes from where it stands; exactly ``size`` of them when that is given."""
    sent = 0
    while size is None or sent < size:
        try:
            piece = f.read(PIECE if size is None else min(PIECE, size - sent))
        except OSError as e:
            # Not the engine's connection: the caller's own file failed.
            raise SandboxError(f"Reading the data to send failed: {e.strerror or e}; nothing was written.") from None
        if isinstance(piece, str):
            raise InvalidArgumentError("The file object gives text; open it in binary mode ('rb').")
        if not piece:
            if size is not None:
                raise InvalidArgumentError(
                    f"The file ended after {sent} of its {size} bytes (it changed while it was sent); nothing was written."
                )
            return
        sent += len(piece)
        yield piece


def _counted(pieces: Iterable[Any]) -> Iterator[bytes]:
    """Pieces of unknown total size, stopped with TooLargeError once they pass the limit (before that piece goes)."""
    sent = 0
    for piece in pieces:
        if isinstance(piece, str):
            piece = piece.encode("utf-8")
        elif isinstance(piece, memoryview):
            piece = piece.tobytes()  # its length in bytes, whatever its item size
        elif not isinstance(piece, (bytes, bytearray)):
            raise InvalidArgumentError(f"A piece of the data is {type(piece).__name__}, not bytes.")
        sent += len(piece)
        if sent > MAX_FILE_BYTES:
            raise _too_large(f"The data passed the engine's limit of {MAX_FILE_BYTES} bytes per file; nothing was written.")
        yield piece


def _body(data: FileData) -> Tuple[Body, Optional[int]]:
    """The request body for file data and its length (``None``: sent chunked, counted as it goes)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        size = memoryview(data).nbytes
        if size > MAX_FILE_BYTES:
            raise _over_limit(size)
        return bytes(data), size
    if isinstance(data, io.TextIOBase):
        raise InvalidArgumentError("The file object gives text; open it in binary mode ('rb').")
    if hasattr(data, "read"):
        size = _remaining_size(data)
        if size is not None and size > MAX_FILE_BYTES:
            raise _over_limit(size)
        pieces = _pieces_of_file(data, size)
        return (pieces, size) if size is not None else (_counted(pieces), None)
    if isinstance(data, dict) or not hasattr(data, "__iter__"):
        raise InvalidArgumentError(
            f"File data must be text, bytes, a binary file object or pieces of bytes, not {type(data).__name__}."
        )
    return _counted(data), None


def _save(chunks: Chunks, to: Destination) -> int:
    """Writes an answer's body to a file object, or to a local path that appears only whole; returns its size."""
    size = 0
    with chunks:
        if hasattr(to, "write"):
            for piece in chunks:
                to.write(piece)  # type: ignore[union-attr]
                size += len(piece)
            return size
        target = os.path.abspath(os.fspath(to))  # type: ignore[arg-type]
        # Made as open() makes a file (0666 less the umask), under a name
        # of its own until it is whole.
        partial = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{secrets.token_hex(6)}.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as out:
                for piece in chunks:
                    out.write(piece)
                    size += len(piece)
            os.replace(partial, target)
            return size
        except BaseException:
            os.unlink(partial)
            raise


def _clean(item: Dict[str, Any]) -> Dict[str, Any]:
    """Normalizes an answer's ``path`` (the engine keeps ``./`` and ``..`` parts of the request)."""
    path = item.get("path") if isinstance(item, dict) else None
    if isinstance(path, str) and path.startswith("/"):
        item["path"] = posixpath.normpath(path)
    return item


class ChangeList(List[Dict[str, Any]]):
    """What :meth:`Files.changes` returns: a plain list of changes, plus ``truncated``.

    ``truncated`` is true when the sandbox changed more paths than the
    ``limit`` let through; the list then holds the first ones by path.
    """

    def __init__(self, changes: Iterable[Dict[str, Any]] = (), truncated: bool = False) -> None:
        super().__init__(changes)
        self.truncated: bool = truncated

    def __repr__(self) -> str:
        return f"ChangeList({list.__repr__(self)}, truncated={self.truncated!r})"


class Watcher:
    """Collects changes under a directory; made by :meth:`Files.watch`.

    :meth:`poll` returns what changed since the previous poll; :meth:`stop`
    ends the watch. Also a context manager that stops on exit.
    """

    def __init__(self, client: ApiClient, sandbox_id: str, watch_id: str, path: str) -> None:
        self._client = client
        self._sandbox_id = sandbox_id
        self.id: str = watch_id
        self.path: str = path
        self.dropped: bool = False

    def poll(self) -> List[Dict[str, Any]]:
        """The events since the last poll: ``[{"type": "create|modify|remove", "path": "/abs", "is_dir": bool}]``.

        ``dropped`` becomes true when more than 10000 events waited and the oldest were lost.
        """
        answer = self._client.json("GET", f"/v1/sandboxes/{self._sandbox_id}/watches/{self.id}/events")
        self.dropped = bool(answer.get("dropped", False))
        return [_clean(e) for e in answer.get("events", [])]

    def stop(self) -> None:
        """Ends the watch. Stopping a watch that already ended (e.g. by a pause) is not an error."""
        from .exceptions import NotFoundError

        try:
            self._client.json("DELETE", f"/v1/sandboxes/{self._sandbox_id}/watches/{self.id}")
        except NotFoundError:
            pass

    def __enter__(self) -> "Watcher":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Watcher(id={self.id!r}, path={self.path!r})"


class Files:
    """Reads and changes files in the sandbox (``sbx.files``).

    Relative paths are relative to ``/home/sandbox``. ``user`` (default
    ``sandbox``) is whom an operation runs as: its permissions apply and new
    files belong to it.
    """

    def __init__(self, client: ApiClient, sandbox_id: str) -> None:
        self._client = client
        self._sandbox_id = sandbox_id

    def _path(self, tail: str = "") -> str:
        return f"/v1/sandboxes/{self._sandbox_id}/files{tail}"

    @staticmethod
    def _query(path: str, user: Optional[str], **more: Any) -> Dict[str, Any]:
        query: Dict[str, Any] = {"path": path}
        if user is not None:
            query["user"] = user
        query.update({k: v for k, v in more.items() if v is not None})
        return query

    def list(self, path: str = ".", depth: int = 1, user: Optional[str] = None) -> List[Dict[str, Any]]:
        """The entries of a directory: ``[{"name", "type", "size", "path", "mode", "mtime", "owner", …}]``.

        ``type`` is ``file``, ``dir``, ``symlink`` or ``other``; ``depth`` (1 … 16) also lists subdirectories.
        """
        answer = self._client.json("GET", self._path(), query=self._query(path, user, depth=depth))
        return [_clean(e) for e in answer.get("entries", [])]

    @overload
    def read(self, path: str, user: Optional[str] = None, *, format: Literal["text"] = "text") -> str: ...

    @overload
    def read(self, path: str, user: Optional[str] = None, *, format: Literal["bytes"]) -> bytes: ...

    @overload
    def read(self, path: str, user: Optional[str] = None, *, format: Literal["stream"]) -> Chunks: ...

    def read(self, path: str, user: Optional[str] = None, *, format: str = "text") -> Union[str, bytes, Chunks]:
        """The file's content: text (UTF-8; undecodable bytes become U+FFFD), or with ``format``, ``bytes`` or a stream.

        ``format="stream"`` returns :class:`~ai2in.Chunks`, an iterator of
        ``bytes`` pieces as they arrive (so the whole file is never in
        memory); the request is made at once, so a missing file raises here.
        Close it (or use it in a ``with`` block) when it is not read to the end.
        """
        if format == "stream":
            return self._client.stream("GET", self._path("/content"), query=self._query(path, user), timeout=300)
        if format not in ("text", "bytes"):
            raise InvalidArgumentError(f"format must be 'text', 'bytes' or 'stream', not {format!r}.")
        data = self.download(path, user=user)
        return data if format == "bytes" else data.decode("utf-8", errors="replace")

    @overload
    def download(self, path: str, user: Optional[str] = None) -> bytes: ...

    @overload
    def download(self, path: str, user: Optional[str] = None, *, to: Destination) -> int: ...

    def download(self, path: str, user: Optional[str] = None, *, to: Optional[Destination] = None) -> Union[bytes, int]:
        """The file's content as bytes (at most 32 MiB).

        With ``to`` (a local path or a binary file object), writes it there as
        it arrives instead, a piece at a time, and returns its size; a path
        appears only whole (a failed download leaves nothing behind).
        """
        if to is None:
            _, payload, _ = self._client.request("GET", self._path("/content"), query=self._query(path, user))
            return payload
        return _save(self.read(path, user, format="stream"), to)

    def write(self, path: str, content: FileData, user: Optional[str] = None) -> Dict[str, Any]:
        """Writes a file, replacing it atomically and creating parent directories.

        ``content`` is text (written as UTF-8), bytes, a binary file object
        (``open(p, "rb")``, ``io.BytesIO``; read from where it stands) or an
        iterable of ``bytes`` pieces; see :meth:`upload`. Returns
        ``{"path": "/abs/path", "written": N}``.
        """
        return self.upload(path, content, user=user)

    def upload(self, path: str, data: FileData, user: Optional[str] = None) -> Dict[str, Any]:
        """Writes bytes, a binary file object or pieces of bytes to a file (at most 32 MiB). Returns ``{"path", "written"}``.

        A file object or iterable is streamed: read a piece at a time as it is
        sent, never whole in memory. More than 32 MiB raises
        :class:`~ai2in.TooLargeError`: before anything is sent when the size
        is known (bytes, a regular or seekable file); for pieces of unknown
        total (an iterator, a pipe) once they pass the limit, ending the
        request unfinished. Either way the sandbox's file stays as it was.
        """
        body, length = _body(data)
        return _clean(self._client.json(
            "PUT", self._path("/content"), query=self._query(path, user), data=body, length=length, timeout=300
        ))

    def exists(self, path: str, user: Optional[str] = None) -> bool:
        """Whether a file, directory or link is at ``path``."""
        answer = self._client.json("GET", self._path("/exists"), query=self._query(path, user))
        return bool(answer.get("exists"))

    def get_info(self, path: str, user: Optional[str] = None) -> Dict[str, Any]:
        """One entry (see :meth:`list`); a link is described as the link, not its target."""
        return _clean(self._client.json("GET", self._path("/stat"), query=self._query(path, user)))

    def remove(self, path: str, user: Optional[str] = None) -> None:
        """Removes a file, a link, or a directory with everything in it."""
        self._client.json("DELETE", self._path(), query=self._query(path, user))

    def rename(self, old_path: str, new_path: str, user: Optional[str] = None) -> Dict[str, Any]:
        """Moves ``old_path`` to ``new_path`` (creating its parents) and returns the entry at the new path."""
        body: Dict[str, Any] = {"from": old_path, "to": new_path}
        if user is not None:
            body["user"] = user
        answer = self._client.json("POST", self._path("/rename"), json_body=body)
        return self.get_info(answer.get("path", new_path), user=user)

    def make_dir(self, path: str, user: Optional[str] = None) -> bool:
        """Makes a directory and its parents; returns ``False`` when it already existed."""
        body: Dict[str, Any] = {"path": path}
        if user is not None:
            body["user"] = user
        answer = self._client.json("POST", self._path("/mkdir"), json_body=body)
        return bool(answer.get("created"))

    def watch(self, path: str = ".", recursive: bool = True, user: Optional[str] = None) -> Watcher:
        """Starts watching a directory (with ``recursive``, also every directory below it) and returns a :class:`Watcher`."""
        body: Dict[str, Any] = {"path": path, "recursive": recursive}
        if user is not None:
            body["user"] = user
        answer = self._client.json("POST", f"/v1/sandboxes/{self._sandbox_id}/watches", json_body=body)
        return Watcher(self._client, self._sandbox_id, answer["watch_id"], answer.get("path", path))

    # -- what the sandbox changed against its template ---------------------

    def _changes_path(self, tail: str = "") -> str:
        return f"/v1/sandboxes/{self._sandbox_id}/changes{tail}"

    def changes(self, path: str = "/", limit: Optional[int] = None) -> ChangeList:
        """Every path under ``path`` the sandbox added, modified or deleted relative to its template, sorted by path.

        Each change is ``{"path", "change": "added|modified|deleted", "type":
        "file|dir|symlink|other", "size", "mode", "mtime", "symlink_target"}``
        (for a deleted path, ``size``, ``mode`` and ``mtime`` are the
        template's). A directory the sandbox made is listed with everything in
        it; a template directory only when it was deleted. ``limit`` is
        1 … 100 000 (the engine's default: 10 000); the answer is a
        :class:`ChangeList`, whose ``truncated`` says whether more changes
        were left out. A sandbox paused without its memory raises
        :class:`~ai2in.ConflictError` (resume it first).
        """
        query = self._query(path, None, limit=limit)
        answer = self._client.json("GET", self._changes_path(), query=query, timeout=120)
        return ChangeList((_clean(c) for c in answer.get("changes", [])), bool(answer.get("truncated", False)))

    def diff(self, path: str, context: int = 3) -> Dict[str, Any]:
        """One changed path against the template's: ``{"path", "change", "type", "binary", "before", "after", "diff"}``.

        ``before`` and ``after`` are ``{"size", "sha256"}``, or ``None`` for
        the side that has no file (added or deleted). ``diff`` is a unified
        diff with ``context`` lines (0 … 100) around each change; it is empty
        for a binary file, a directory, or a side over 4 MiB (then
        ``"too_large": True``). A symlink's diff is of its target. A path that
        did not change raises :class:`~ai2in.NotFoundError`.
        """
        query = self._query(path, None, context=context)
        return _clean(self._client.json("GET", self._changes_path("/diff"), query=query, timeout=120))

    def patch(self, path: str = "/") -> str:
        """Every text change under ``path`` as one unified diff (``git apply -p1`` takes it when ``path`` is ``/``).

        Binary files appear as ``Binary files … differ`` lines. At most 32 MiB;
        a larger patch raises :class:`~ai2in.TooLargeError`. Bytes that are
        not UTF-8 (in a path) become U+FFFD; the CLI's ``ai2in diff ID
        --patch`` writes them unchanged.
        """
        _, payload, _ = self._client.request(
            "GET", self._changes_path("/patch"), query=self._query(path, None), timeout=300
        )
        return payload.decode("utf-8", errors="replace")

    def changes_archive(self, path: str = "/", gzip: bool = False, to: Optional[Destination] = None) -> Union[bytes, int]:
        """The added and modified paths under ``path`` as a tar (with ``gzip``, a ``.tar.gz``).

        Members are named relative to ``/`` (``home/sandbox/app.py``):
        files with their content, directories, links as links, each with its
        mode, time and owner as the sandbox has them. A deletion cannot be a
        member: every change, deletions included, is a line ``A|M|D /path``
        of the last member, ``.ai2in-changes.txt`` (:data:`CHANGES_MANIFEST`;
        in a path, a backslash is written as two and a newline as a backslash and ``n``).
        Returns the archive's bytes; with ``to`` (a local path or a binary
        file object), writes it there as it arrives instead (a path appears
        only whole) and returns its size.
        A file over 32 MiB raises :class:`~ai2in.TooLargeError`; a sandbox
        paused without its memory :class:`~ai2in.ConflictError`.
        """
        query = self._query(path, None, format="tar.gz" if gzip else "tar")
        route = self._changes_path("/archive")
        if to is None:
            _, payload, _ = self._client.request("GET", route, query=query, timeout=300)
            return payload
        return _save(self._client.stream("GET", route, query=query, timeout=300), to)
