# SPDX-License-Identifier: GPL-3.0-or-later
"""Shell commands in a sandbox: blocking runs and background processes."""

import time
from typing import Any, Dict, List, Optional, Union

from ._http import ApiClient


class CommandHandle:
    """A command started in the background with :meth:`Commands.start`.

    Attributes:
        id: the command's id (``"cmd_…"``).
        pid: its process id inside the sandbox.
        cmd: the command line.
    """

    def __init__(self, client: ApiClient, sandbox_id: str, command_id: str, pid: int, cmd: str = "") -> None:
        self._client = client
        self._sandbox_id = sandbox_id
        self.id: str = command_id
        self.pid: int = pid
        self.cmd: str = cmd

    def _path(self, tail: str = "") -> str:
        return f"/v1/sandboxes/{self._sandbox_id}/commands/{self.id}{tail}"

    def logs(self) -> Dict[str, Any]:
        """Everything it wrote so far: ``{"stdout", "stderr", "status", "exit_code", "error", "truncated"}``.

        ``status`` is ``running``, ``exited`` or ``killed``; ``exit_code`` is
        ``None`` while it runs. ``error`` is ``"killed: out of memory"`` when
        the OOM killer ended it (exit code 137), else ``None``. ``truncated``
        is true when output was dropped (4 MiB per stream, 64 MiB for all
        commands of the sandbox, oldest finished commands' output first).
        """
        return self._client.json("GET", self._path())

    def kill(self, signal: int = 15) -> None:
        """Sends ``signal`` (SIGTERM by default) to everything the command started; SIGKILL follows after 2 s.

        Every process of the command's session is reached, also those in
        process groups of their own and while they fork (a fork bomb);
        only a process that called ``setsid()`` escapes.
        """
        self._client.json("POST", self._path("/kill"), json_body={"signal": signal})

    def send_stdin(self, data: Union[str, bytes], eof: bool = False) -> int:
        """Writes to its stdin (``eof=True`` closes stdin afterwards); returns the bytes written."""
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        answer = self._client.json("POST", self._path("/stdin"), query={"eof": eof} if eof else None, data=raw)
        return int(answer.get("written", 0)) if isinstance(answer, dict) else 0

    def wait(self, timeout: Optional[float] = None, interval: float = 0.1) -> Dict[str, Any]:
        """Polls until it has ended and returns its final :meth:`logs`.

        Raises :class:`~ai2in.TimeoutError` when it still runs after ``timeout`` seconds.
        """
        from .exceptions import TimeoutError

        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            logs = self.logs()
            if logs.get("status") != "running":
                return logs
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"Command {self.id} still runs after {timeout:g} s.")
            time.sleep(interval)

    def __repr__(self) -> str:
        return f"CommandHandle(id={self.id!r}, pid={self.pid}, cmd={self.cmd!r})"


class Commands:
    """Runs shell commands in the sandbox (``sbx.commands``). Commands run as ``/bin/bash -c CMD``."""

    def __init__(self, client: ApiClient, sandbox_id: str) -> None:
        self._client = client
        self._sandbox_id = sandbox_id

    def _body(self, cmd: str, cwd: Optional[str], env: Optional[Dict[str, str]], user: Optional[str]) -> Dict[str, Any]:
        body: Dict[str, Any] = {"cmd": cmd}
        if cwd is not None:
            body["cwd"] = cwd
        if env:
            body["env"] = dict(env)
        if user is not None:
            body["user"] = user
        return body

    def run(
        self,
        cmd: str,
        cwd: Optional[str] = None,
        env: Optional[Dict[str, str]] = None,
        user: Optional[str] = None,
        timeout: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Runs ``cmd`` to completion and returns ``{"stdout", "stderr", "exit_code", "error"}`` (also ``command_id``, ``pid``, ``truncated``).

        A non-zero exit code is returned, not raised. ``error`` is
        ``"killed: out of memory"`` when the sandbox ran out of memory and the
        kernel killed the command (exit code 137), else ``None``. ``cwd`` is relative to
        the user's home, ``env`` adds variables, ``user`` defaults to
        ``sandbox``. Runs are capped at ``timeout`` seconds (default and
        maximum 120); past it the process group is killed and
        :class:`~ai2in.TimeoutError` is raised with what it wrote so far.
        Use :meth:`start` for anything longer.
        """
        body = self._body(cmd, cwd, env, user)
        if timeout is not None:
            body["timeout"] = timeout
        limit = timeout if timeout is not None else 120
        return self._client.json(
            "POST", f"/v1/sandboxes/{self._sandbox_id}/commands", json_body=body, timeout=limit + 30
        )

    def start(
        self,
        cmd: str,
        cwd: Optional[str] = None,
        env: Optional[Dict[str, str]] = None,
        user: Optional[str] = None,
    ) -> CommandHandle:
        """Starts ``cmd`` in the background and returns a :class:`CommandHandle` at once."""
        body = self._body(cmd, cwd, env, user)
        body["background"] = True
        answer = self._client.json("POST", f"/v1/sandboxes/{self._sandbox_id}/commands", json_body=body)
        return CommandHandle(self._client, self._sandbox_id, answer["command_id"], int(answer["pid"]), cmd)

    def list(self) -> List[Dict[str, Any]]:
        """Every command of the sandbox: ``{"command_id", "cmd", "pid", "status", "exit_code", "error", …}``."""
        answer = self._client.json("GET", f"/v1/sandboxes/{self._sandbox_id}/commands")
        return list(answer.get("commands", []))

    def connect(self, command_id: str) -> CommandHandle:
        """A handle to an existing command, e.g. one found with :meth:`list`."""
        for c in self.list():
            if c.get("command_id") == command_id:
                return CommandHandle(self._client, self._sandbox_id, command_id, int(c.get("pid") or 0), c.get("cmd", ""))
        from .exceptions import NotFoundError

        raise NotFoundError(f"No command {command_id} in sandbox {self._sandbox_id}.", code="not_found")

    def kill(self, command_id: str, signal: int = 15) -> None:
        """Sends ``signal`` to every process the command ``command_id`` started (see :meth:`CommandHandle.kill`)."""
        self._client.json(
            "POST", f"/v1/sandboxes/{self._sandbox_id}/commands/{command_id}/kill", json_body={"signal": signal}
        )
