# SPDX-License-Identifier: GPL-3.0-or-later
"""The sandbox's filesystem: list, read, write, upload, download, watch, what changed, and the rest."""

import os
import posixpath
import secrets
from typing import Any, Dict, Iterable, List, Optional, Union

from ._http import ApiClient, _transport_error
from .exceptions import TooLargeError

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest file the engine takes or gives in one request (32 MiB)."""

CHANGES_MANIFEST = ".ai2in-changes.txt"
"""The last member of :meth:`Files.changes_archive`'s tar: one ``A|M|D /path`` line per change."""


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

    def read(self, path: str, user: Optional[str] = None) -> str:
        """The file's content as text (UTF-8; undecodable bytes become U+FFFD). See :meth:`download` for bytes."""
        return self.download(path, user=user).decode("utf-8", errors="replace")

    def download(self, path: str, user: Optional[str] = None) -> bytes:
        """The file's content as bytes (at most 32 MiB)."""
        _, payload, _ = self._client.request("GET", self._path("/content"), query=self._query(path, user))
        return payload

    def write(self, path: str, content: Union[str, bytes], user: Optional[str] = None) -> Dict[str, Any]:
        """Writes a file (text as UTF-8), replacing it atomically and creating parent directories.

        Returns ``{"path": "/abs/path", "written": N}``.
        """
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        return self.upload(path, data, user=user)

    def upload(self, path: str, data: bytes, user: Optional[str] = None) -> Dict[str, Any]:
        """Writes bytes to a file (at most 32 MiB). Returns ``{"path", "written"}``."""
        if len(data) > MAX_FILE_BYTES:
            raise TooLargeError(
                f"{len(data)} bytes is over the engine's limit of {MAX_FILE_BYTES} bytes per file.",
                status=413,
                code="too_large",
            )
        return _clean(self._client.json(
            "PUT", self._path("/content"), query=self._query(path, user), data=bytes(data), timeout=300
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

    def changes_archive(self, path: str = "/", gzip: bool = False, to: Optional[str] = None) -> Union[bytes, int]:
        """The added and modified paths under ``path`` as a tar (with ``gzip``, a ``.tar.gz``).

        Members are named relative to ``/`` (``home/sandbox/app.py``):
        files with their content, directories, links as links, each with its
        mode, time and owner as the sandbox has them. A deletion cannot be a
        member: every change, deletions included, is a line ``A|M|D /path``
        of the last member, ``.ai2in-changes.txt`` (:data:`CHANGES_MANIFEST`;
        in a path, a backslash is written as two and a newline as a backslash and ``n``).
        Returns the archive's bytes; with ``to``, writes it to that file as it
        arrives instead (the file appears only whole) and returns its size.
        A file over 32 MiB raises :class:`~ai2in.TooLargeError`; a sandbox
        paused without its memory :class:`~ai2in.ConflictError`.
        """
        query = self._query(path, None, format="tar.gz" if gzip else "tar")
        route = self._changes_path("/archive")
        if to is None:
            _, payload, _ = self._client.request("GET", route, query=query, timeout=300)
            return payload
        target = os.path.abspath(to)
        conn, response = self._client.open("GET", route, query=query, timeout=300)
        # Made as open() makes a file (0666 less the umask), under a name
        # of its own until it is whole.
        partial = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.{secrets.token_hex(6)}.part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            size = 0
            with os.fdopen(fd, "wb") as out:
                while True:
                    try:
                        piece = response.read(1 << 20)
                    except BaseException as e:
                        raise _transport_error(e, "GET", route, 300) from None
                    if not piece:
                        break
                    out.write(piece)
                    size += len(piece)
            os.replace(partial, target)
            return size
        except BaseException:
            os.unlink(partial)
            raise
        finally:
            conn.close()
