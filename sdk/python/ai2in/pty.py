# SPDX-License-Identifier: GPL-3.0-or-later
"""Interactive terminals (PTYs) in a sandbox."""

import base64
from typing import Any, Dict, List, Optional, Union

from ._http import ApiClient
from ._websocket import WebSocket


class PtyHandle:
    """A terminal started with :meth:`Pty.start`: type with :meth:`send`, drain output with :meth:`read`.

    Attributes:
        id: the terminal's id (``"pty_…"``).
        pid: the process id of its program (a login shell by default).
    """

    def __init__(self, client: ApiClient, sandbox_id: str, pty_id: str, pid: int) -> None:
        self._client = client
        self._sandbox_id = sandbox_id
        self.id: str = pty_id
        self.pid: int = pid

    def _path(self, tail: str = "") -> str:
        return f"/v1/sandboxes/{self._sandbox_id}/pty/{self.id}{tail}"

    def send(self, data: Union[str, bytes]) -> int:
        """Types ``data`` into the terminal (``"\\n"`` or ``"\\r"`` presses Enter); returns the bytes written."""
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        answer = self._client.json("POST", self._path("/input"), data=raw)
        return int(answer.get("written", 0)) if isinstance(answer, dict) else 0

    def read(self) -> Dict[str, Any]:
        """Drains what the terminal wrote since the last read.

        Returns ``{"data": bytes, "alive": bool, "exit_code": None | int}``
        (also ``dropped``: output was lost because nobody read it in time).
        Call it on a timer; it does not wait for output.
        """
        answer = self._client.json("GET", self._path("/output"))
        return {
            "data": base64.b64decode(answer.get("data") or ""),
            "alive": bool(answer.get("alive")),
            "exit_code": answer.get("exit_code"),
            "dropped": bool(answer.get("dropped", False)),
        }

    def resize(self, cols: int, rows: int) -> None:
        """Changes the terminal's size (the program gets SIGWINCH)."""
        self._client.json("POST", self._path("/resize"), json_body={"cols": cols, "rows": rows})

    def kill(self) -> None:
        """Ends the terminal: SIGHUP to its process group, SIGKILL after 2 s."""
        self._client.json("DELETE", self._path())

    def websocket(self, offset: Optional[int] = None) -> WebSocket:
        """Opens the terminal's WebSocket: output as binary messages, input and ``resize`` messages back.

        ``offset`` starts from that byte of the output (to reconnect without a gap).
        """
        query = {"from": offset} if offset is not None else None
        return WebSocket.connect(self._client, self._path("/ws"), query)

    def __repr__(self) -> str:
        return f"PtyHandle(id={self.id!r}, pid={self.pid})"


class Pty:
    """Starts and lists terminals in the sandbox (``sbx.pty``)."""

    def __init__(self, client: ApiClient, sandbox_id: str) -> None:
        self._client = client
        self._sandbox_id = sandbox_id

    def start(
        self,
        cols: int = 80,
        rows: int = 24,
        cwd: Optional[str] = None,
        env: Optional[Dict[str, str]] = None,
        user: Optional[str] = None,
        cmd: Optional[str] = None,
    ) -> PtyHandle:
        """Starts a terminal of ``cols`` × ``rows`` running ``cmd`` (default: the user's login shell)."""
        body: Dict[str, Any] = {"cols": cols, "rows": rows}
        if cwd is not None:
            body["cwd"] = cwd
        if env:
            body["env"] = dict(env)
        if user is not None:
            body["user"] = user
        if cmd is not None:
            body["cmd"] = cmd
        answer = self._client.json("POST", f"/v1/sandboxes/{self._sandbox_id}/pty", json_body=body)
        return PtyHandle(self._client, self._sandbox_id, answer["pty_id"], int(answer.get("pid") or 0))

    def list(self) -> List[Dict[str, Any]]:
        """Every terminal of the sandbox: ``{"pty_id", "pid", "cols", "rows", "alive", "exit_code", …}``."""
        answer = self._client.json("GET", f"/v1/sandboxes/{self._sandbox_id}/pty")
        return list(answer.get("ptys", []))

    def connect(self, pty_id: str) -> PtyHandle:
        """A handle to an existing terminal, e.g. one left running by ``ai2in shell``."""
        for p in self.list():
            if p.get("pty_id") == pty_id:
                return PtyHandle(self._client, self._sandbox_id, pty_id, int(p.get("pid") or 0))
        from .exceptions import NotFoundError

        raise NotFoundError(f"No terminal {pty_id} in sandbox {self._sandbox_id}.", code="not_found")
