# SPDX-License-Identifier: GPL-3.0-or-later
"""The :class:`Sandbox`: one isolated Linux machine run by the engine."""

from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Type, TypeVar, Union

from ._config import resolve
from ._http import ApiClient
from .code import Execution, Logs, Result
from .commands import Commands
from .exceptions import EngineError, InvalidArgumentError, NotFoundError, SandboxError
from .files import Files
from .pty import Pty

S = TypeVar("S", bound="Sandbox")

NetworkRules = Mapping[str, Sequence[str]]
"""A network policy's rule lists: ``{"allow_out": [rule, …], "deny_out": [rule, …]}``."""


def _network_json(network: NetworkRules) -> Dict[str, Any]:
    """The ``network`` field of a request, from what the caller gave.

    Rules themselves are the engine's to check (it answers a sentence); a
    plain string where a list belongs would otherwise be sent letter by letter.
    """
    if not isinstance(network, Mapping):
        raise InvalidArgumentError('network must be a dict like {"allow_out": [...], "deny_out": [...]}.')
    out: Dict[str, Any] = {}
    for key, rules in network.items():
        if isinstance(rules, (str, bytes)):
            raise InvalidArgumentError(f"network[{key!r}] must be a list of rules, not a single string.")
        out[str(key)] = None if rules is None else list(rules)
    return out


@dataclass
class SandboxQuery:
    """A filter for :meth:`Sandbox.list`.

    Attributes:
        metadata: only sandboxes whose metadata has every one of these pairs.
        state: only sandboxes in one of these states (``"running"``, ``"paused"``, ``"error"``).
    """

    metadata: Optional[Dict[str, str]] = None
    state: Optional[List[str]] = None


class Sandbox:
    """A sandbox on the engine. Constructing one creates it; ``with Sandbox() as sbx:`` kills it on exit.

    Example::

        from ai2in import Sandbox

        with Sandbox(timeout=300, metadata={"session": "agent-42"}) as sbx:
            sbx.files.write("app.py", "print('hello')")
            print(sbx.commands.run("python3 app.py")["stdout"])

    Attributes:
        id: the sandbox id (``"sbx_…"``); also ``sandbox_id``.
        commands: shell commands and background processes (:class:`~ai2in.commands.Commands`).
        pty: interactive terminals (:class:`~ai2in.pty.Pty`).
        files: the filesystem (:class:`~ai2in.files.Files`).
        region: the region asked for at creation (a self-hosted engine has one place; it is kept for reference).
    """

    commands: Commands
    pty: Pty
    files: Files

    def __init__(
        self,
        template: str = "base",
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        region: Optional[str] = None,
        timeout: Optional[int] = None,
        metadata: Optional[Dict[str, str]] = None,
        envs: Optional[Dict[str, str]] = None,
        cpu_count: Optional[int] = None,
        memory_mb: Optional[int] = None,
        preview_auth: bool = False,
        allow_internet_access: bool = True,
        network: Optional[NetworkRules] = None,
        request_timeout: float = 60.0,
    ) -> None:
        """Creates a sandbox and waits until it runs (about a tenth of a second on a local engine).

        Args:
            template: the template to start from (``"base"``: Debian 12 with Python).
            api_key: the team's key; default ``AI2IN_API_KEY``, then the local engine's credentials file.
            base_url: the engine; default ``AI2IN_BASE_URL``, then the credentials file, then ``http://127.0.0.1:7300``.
            region: accepted for compatibility; a self-hosted engine runs everything where it is.
            timeout: a hard lifetime in seconds (1 … 86400); without one the sandbox lives until killed
                or idle for the engine's idle period (30 minutes by default).
            metadata: string tags, at most 2 KB as JSON; :meth:`list` can filter on them.
            envs: environment variables every command in the sandbox sees.
            cpu_count: CPUs of quota (default: the engine's --default-cpus, 2 unless set).
            memory_mb: memory limit in MiB (default 512).
            preview_auth: previews of the sandbox's ports answer only requests that bring its
                :attr:`preview_token` (as the ``X-Ai2in-Preview-Token`` header, or a cookie a browser
                gets from ``get_host(port, with_token=True)``); others get 401.
            request_timeout: seconds to wait for an ordinary answer of the engine.

        Raises:
            AuthenticationError, InvalidArgumentError, TooLargeError, RateLimitError,
            EngineUnreachableError, EngineError.
        """
        key, url = resolve(api_key, base_url)
        client = ApiClient(key, url, request_timeout)
        body: Dict[str, Any] = {"template": template}
        if timeout is not None:
            body["timeout"] = timeout
        if metadata is not None:
            body["metadata"] = dict(metadata)
        if envs is not None:
            body["envs"] = dict(envs)
        if cpu_count is not None:
            body["cpu_count"] = cpu_count
        if memory_mb is not None:
            body["memory_mb"] = memory_mb
        if preview_auth is not False:
            body["preview_auth"] = preview_auth
        if allow_internet_access is not True:
            body["allow_internet_access"] = allow_internet_access
        if network is not None:
            body["network"] = _network_json(network)
        info = client.json("POST", "/v1/sandboxes", json_body=body, timeout=max(request_timeout, 120))
        self._attach(client, info, region)

    def _attach(self, client: ApiClient, info: Dict[str, Any], region: Optional[str]) -> None:
        if not isinstance(info, dict) or not isinstance(info.get("sandbox_id"), str):
            raise EngineError("The engine's answer has no sandbox id.")
        self._client = client
        self.id: str = info["sandbox_id"]
        self.region: Optional[str] = region
        self._info: Dict[str, Any] = info
        self.commands = Commands(client, self.id)
        self.pty = Pty(client, self.id)
        self.files = Files(client, self.id)

    @property
    def sandbox_id(self) -> str:
        """The sandbox id (``"sbx_…"``), the same as :attr:`id`."""
        return self.id

    @property
    def api_key(self) -> str:
        """The key this object uses."""
        return self._client.api_key

    @property
    def base_url(self) -> str:
        """The engine this object talks to."""
        return self._client.base_url

    def __repr__(self) -> str:
        return f"Sandbox(id={self.id!r}, base_url={self._client.base_url!r})"

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.kill()
        except NotFoundError:
            pass

    def _path(self, tail: str = "") -> str:
        return f"/v1/sandboxes/{self.id}{tail}"

    @classmethod
    def create(cls: Type[S], template: str = "base", **options: Any) -> S:
        """Creates a sandbox, the same as ``Sandbox(template, **options)`` (every keyword of the constructor).

        Example: ``sbx = Sandbox.create(allow_internet_access=False, network={"allow_out": ["pypi.org"]})``.
        """
        return cls(template, **options)

    # -- finding sandboxes -------------------------------------------------

    @classmethod
    def connect(
        cls: Type[S],
        sandbox_id: str,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        auto_resume: bool = False,
        request_timeout: float = 60.0,
    ) -> S:
        """Reconnects to an existing sandbox by id, from any process.

        A paused sandbox stays paused unless ``auto_resume`` is true: call
        :meth:`resume` to start it. Raises :class:`~ai2in.NotFoundError` for an
        unknown id.
        """
        key, url = resolve(api_key, base_url)
        client = ApiClient(key, url, request_timeout)
        body = {"auto_resume": True} if auto_resume else None
        info = client.json("POST", f"/v1/sandboxes/{sandbox_id}/connect", json_body=body, timeout=max(request_timeout, 120))
        sbx = cls.__new__(cls)
        sbx._attach(client, info, None)
        return sbx

    @staticmethod
    def list(
        query: Union[SandboxQuery, Mapping[str, Any], None] = None,
        *,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """Every sandbox of the team on the engine, running, paused and in error, oldest first (as :meth:`get_info` dicts).

        ``query`` filters: ``SandboxQuery(metadata={"session": "agent-42"}, state=["paused"])``
        or the same as a dict.
        """
        key, url = resolve(api_key, base_url)
        client = ApiClient(key, url)
        params: Dict[str, Any] = {}
        if query is not None:
            if isinstance(query, SandboxQuery):
                metadata, state = query.metadata, query.state
            elif isinstance(query, Mapping):
                unknown = set(query) - {"metadata", "state"}
                if unknown:
                    raise InvalidArgumentError(f"Unknown query field(s): {', '.join(sorted(unknown))}.")
                metadata, state = query.get("metadata"), query.get("state")
            else:
                raise InvalidArgumentError("query must be a SandboxQuery or a dict with 'metadata' and 'state'.")
            if metadata:
                import urllib.parse

                params["metadata"] = urllib.parse.urlencode(dict(metadata))
            if state:
                states: Iterable[str] = [state] if isinstance(state, str) else state
                params["state"] = ",".join(str(getattr(s, "value", s)) for s in states)
        answer = client.json("GET", "/v1/sandboxes", query=params)
        return list(answer.get("sandboxes", []))

    # -- lifecycle ---------------------------------------------------------

    def get_info(self) -> Dict[str, Any]:
        """The sandbox as the engine sees it: ``status``, ``end_at``, ``paused_at``, ``node_id``, ``metadata``, ``ports``, …

        ``status`` is ``running``, ``paused`` or ``error`` (its PID 1 died; nothing
        runs in it any more; ``error_reason`` says why; :meth:`kill` removes it).
        ``network`` is the policy in force and the sandbox's address:
        ``{"allow_internet_access": True, "allow_out": [], "deny_out": [], "address": "100.72.0.2"}``.
        """
        self._info = self._client.json("GET", self._path())
        return self._info

    def is_running(self) -> bool:
        """Whether the sandbox exists and runs (``False`` when paused or gone)."""
        try:
            return self.get_info().get("status") == "running"
        except NotFoundError:
            return False

    def set_timeout(self, seconds: int) -> Dict[str, Any]:
        """Kills the sandbox ``seconds`` from now (at most 86400: 24 h); returns the info with the new ``end_at``."""
        self._info = self._client.json("POST", self._path("/timeout"), json_body={"timeout": seconds})
        return self._info

    def update_network(
        self,
        allow_internet_access: Optional[bool] = None,
        network: Optional[NetworkRules] = None,
    ) -> Dict[str, Any]:
        """Changes the network policy at once, running or paused; returns the info with the new ``network``.

        What is given replaces what is in force, and what is left out (``None``,
        or a list missing from ``network``) stays as it is:
        ``update_network(network={"deny_out": []})`` empties the deny list
        and keeps the allow list. ``get_info()["network"]`` reads the policy
        and the sandbox's ``address``. New connections follow the new policy.
        With nothing given nothing changes, and the info is read afresh.
        """
        body: Dict[str, Any] = {}
        if allow_internet_access is not None:
            body["allow_internet_access"] = allow_internet_access
        if network is not None:
            body["network"] = _network_json(network)
        if not body:
            return self.get_info()
        self._info = self._client.json("POST", self._path("/network"), json_body=body)
        return self._info

    def pause(self, keep_memory: bool = False) -> Dict[str, Any]:
        """Pauses the sandbox: returns its info with ``"status": "paused"``.

        By default every process ends (no CPU, no memory) and the whole
        filesystem is kept. ``keep_memory=True`` freezes the processes
        instead, so they carry on after :meth:`resume`.
        """
        body = {"keep_memory": True} if keep_memory else None
        self._info = self._client.json("POST", self._path("/pause"), json_body=body, timeout=120)
        return self._info

    def resume(self) -> Dict[str, Any]:
        """Starts a paused sandbox again on its kept filesystem; returns its info with ``"status": "running"``."""
        self._info = self._client.json("POST", self._path("/resume"), timeout=120)
        return self._info

    def get_host(self, port: int, *, with_token: bool = False) -> str:
        """The preview URL of a port inside the sandbox, e.g. ``http://3000-sbx_….localhost:7301``.

        The URL works for whatever listens on the port now or later. For a
        sandbox created with ``preview_auth=True``, ``with_token=True`` gives
        the URL to open in a browser (``…/?ai2in_token=…``): the preview
        answers it with a cookie for that host and sends the browser on to the
        same URL without the token. Programs send :attr:`preview_headers`
        instead. Without preview_auth the token changes nothing.
        """
        answer = self._client.json("GET", self._path(f"/host/{int(port)}"))
        url = str(answer["url"])
        token = self.preview_token if with_token else None
        if token:
            import urllib.parse

            url += "/?" + urllib.parse.urlencode({"ai2in_token": token})
        return url

    @property
    def preview_token(self) -> Optional[str]:
        """The token the previews of a sandbox created with ``preview_auth=True`` require; ``None`` without."""
        if "preview_token" not in self._info:
            self.get_info()
        token = self._info.get("preview_token")
        return str(token) if token else None

    @property
    def preview_headers(self) -> Dict[str, str]:
        """Headers that let a program's requests through the previews (``{}`` without preview_auth).

        Example: ``urllib.request.Request(sbx.get_host(3000), headers=sbx.preview_headers)``.
        """
        token = self.preview_token
        return {"X-Ai2in-Preview-Token": token} if token else {}

    def get_metrics(self) -> Dict[str, Any]:
        """Live usage: ``cpu_percent``, ``cpu_count``, ``memory_bytes``, ``memory_limit_bytes``, ``pids``, ``uptime_seconds``.

        Also the network counters since the sandbox was created (never reset by
        a pause): ``net_in_bytes``, ``net_out_bytes``, ``net_in_packets``,
        ``net_out_packets``.
        """
        return self._client.json("GET", self._path("/metrics"))

    def kill(self) -> None:
        """Destroys the sandbox and its filesystem. Use :meth:`pause` to keep the files."""
        self._client.json("DELETE", self._path(), timeout=120)

    # -- code --------------------------------------------------------------

    def run_code(
        self,
        code: str,
        on_stdout: Optional[Callable[[str], Any]] = None,
        on_stderr: Optional[Callable[[str], Any]] = None,
        on_result: Optional[Callable[[Result], Any]] = None,
        on_error: Optional[Callable[[Dict[str, str]], Any]] = None,
        timeout: Optional[int] = None,
    ) -> Execution:
        """Runs a cell in the sandbox's stateful Python kernel and returns its :class:`~ai2in.Execution`.

        Variables persist from one call to the next. The callbacks are called
        as output arrives: ``on_stdout(text)``, ``on_stderr(text)``,
        ``on_result(Result)``, ``on_error({"name", "value", "traceback"})``.
        An exception in the cell is returned in ``Execution.error``, not
        raised. ``timeout`` (seconds, default 300, at most 3600) interrupts a
        cell that runs longer (its error is then named ``TimeoutError``).
        The first call starts the kernel and takes a second or two.
        """
        body: Dict[str, Any] = {"code": code}
        if timeout is not None:
            body["timeout"] = timeout
        execution = Execution()
        limit = (timeout if timeout is not None else 300) + 60
        ended = False
        try:
            for event in self._client.ndjson("POST", self._path("/code"), json_body=body, timeout=limit):
                ended = self._code_event(event, execution, on_stdout, on_stderr, on_result, on_error) or ended
        except KeyboardInterrupt:
            # Ctrl+C in the caller stops the cell too, not only the wait for it.
            try:
                self.interrupt_code()
            except SandboxError:
                pass
            raise
        if not ended:
            raise EngineError("The engine's answer to run_code ended before the cell did.")
        return execution

    @staticmethod
    def _code_event(
        event: Dict[str, Any],
        execution: Execution,
        on_stdout: Optional[Callable[[str], Any]],
        on_stderr: Optional[Callable[[str], Any]],
        on_result: Optional[Callable[[Result], Any]],
        on_error: Optional[Callable[[Dict[str, str]], Any]],
    ) -> bool:
        """Adds one NDJSON event to ``execution`` and calls its callback; true for the final event."""
        kind = event.get("type")
        if kind == "stdout":
            text = str(event.get("text", ""))
            execution.logs.stdout.append(text)
            if on_stdout:
                on_stdout(text)
        elif kind == "stderr":
            text = str(event.get("text", ""))
            execution.logs.stderr.append(text)
            if on_stderr:
                on_stderr(text)
        elif kind == "result":
            result = Result.from_json(event.get("result") or {})
            execution.results.append(result)
            if on_result:
                on_result(result)
        elif kind == "error":
            error = dict(event.get("error") or {})
            execution.error = error
            if on_error:
                on_error(error)
        elif kind == "end":
            count = event.get("execution_count")
            execution.execution_count = count if isinstance(count, int) else None
            return True
        return False

    def interrupt_code(self) -> None:
        """Interrupts the cell that runs now (from another thread)."""
        self._client.json("POST", self._path("/code/interrupt"))

    def restart_code(self) -> None:
        """Restarts the kernel: every variable is gone."""
        self._client.json("POST", self._path("/code/restart"), timeout=120)


__all__ = ["Sandbox", "SandboxQuery", "Execution", "Logs", "Result"]
