# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP side of the SDK: one request to the engine, its errors made into exceptions."""

import http.client
import json
import socket
import ssl
import urllib.parse
from typing import Any, Dict, Iterable, Iterator, Mapping, Optional, Tuple, Union

from ._version import __version__
from .exceptions import (
    EngineError,
    EngineUnreachableError,
    InvalidArgumentError,
    SandboxError,
    TimeoutError,
    error_from_answer,
)

Query = Optional[Mapping[str, Any]]

Body = Union[bytes, Iterable[bytes]]
"""A request's raw body: bytes, or pieces of bytes sent as they come (see ``length``)."""

PIECE = 1 << 20
"""How much of a streamed body the SDK reads or sends at a time."""


class ApiClient:
    """Talks to one engine with one API key. Used by every other part of the SDK.

    Each request opens its own connection, so one client may be used from
    several threads at once.
    """

    def __init__(self, api_key: str, base_url: str, request_timeout: float = 60.0) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidArgumentError(
                f"The engine's address {base_url!r} is not an http:// or https:// URL."
            )
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.request_timeout = request_timeout
        self.scheme = parts.scheme
        self.host = parts.hostname
        try:
            self.port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise InvalidArgumentError(f"The engine's address {base_url!r} has a bad port.") from None
        self.prefix = parts.path.rstrip("/")

    # -- building blocks ---------------------------------------------------

    def url_path(self, path: str, query: Query = None) -> str:
        """The request target for an API path (``/v1/…``) and its query parameters."""
        target = self.prefix + path
        if query:
            pairs = {k: _query_value(v) for k, v in query.items() if v is not None}
            if pairs:
                # %20 for a space, not "+": the engine reads a query as RFC 3986 does, so a
                # "+" stays a plus sign there (a file "dir with space" would become "dir+with+space").
                target += "?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
        return target

    def headers(self) -> Dict[str, str]:
        """The headers every request carries."""
        return {
            "Authorization": f"Bearer {self.api_key}",
            "User-Agent": f"ai2in-python/{__version__}",
            "Accept": "application/json",
        }

    def connect(self, timeout: Optional[float]) -> http.client.HTTPConnection:
        """An open connection to the engine; raises EngineUnreachableError when there is none."""
        conn: http.client.HTTPConnection
        if self.scheme == "https":
            conn = http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.connect()
        except (socket.timeout, OSError) as e:
            conn.close()
            raise EngineUnreachableError(
                f"Cannot reach the engine at {self.base_url}: {_reason(e)}. "
                "Is ai2ind running, and is AI2IN_BASE_URL right?"
            ) from None
        if isinstance(conn.sock, socket.socket):
            try:
                conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        return conn

    # -- requests ----------------------------------------------------------

    def open(
        self,
        method: str,
        path: str,
        *,
        query: Query = None,
        json_body: Any = None,
        data: Optional[Body] = None,
        length: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        """Sends a request and returns the connection and the response, its body unread.

        ``data`` given in pieces goes with ``length`` as its Content-Length,
        or chunked without; an exception from the pieces stops the request
        (the engine then has no whole body, so it acts on nothing). An error
        status is read and raised as the matching exception. The caller
        closes the connection.
        """
        headers = self.headers()
        body: Optional[Body] = data
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif data is not None:
            headers["Content-Type"] = "application/octet-stream"
            if length is not None:
                headers["Content-Length"] = str(length)
        if body is None and method in ("POST", "PUT"):
            body = b""
        wait = self.request_timeout if timeout is None else timeout
        conn = self.connect(wait)
        target = self.url_path(path, query)
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            if response.status >= 400:
                payload = response.read()
                conn.close()
                raise error_from_answer(response.status, payload)
        except SandboxError:
            conn.close()
            raise
        except BaseException as e:
            conn.close()
            raise _transport_error(e, method, path, wait) from None
        return conn, response

    def stream(
        self, method: str, path: str, *, query: Query = None, timeout: Optional[float] = None
    ) -> "Chunks":
        """Sends a request and returns its answer's body as :class:`Chunks`; error statuses raise at once."""
        wait = self.request_timeout if timeout is None else timeout
        conn, response = self.open(method, path, query=query, timeout=timeout)
        return Chunks(conn, response, method, path, wait)

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Query = None,
        json_body: Any = None,
        data: Optional[Body] = None,
        length: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Tuple[int, bytes, http.client.HTTPMessage]:
        """Sends a request and returns ``(status, body, headers)``; error statuses raise."""
        wait = self.request_timeout if timeout is None else timeout
        conn, response = self.open(
            method, path, query=query, json_body=json_body, data=data, length=length, timeout=timeout
        )
        try:
            payload = response.read()
        except BaseException as e:
            raise _transport_error(e, method, path, wait) from None
        finally:
            conn.close()
        return response.status, payload, response.headers

    def json(
        self,
        method: str,
        path: str,
        *,
        query: Query = None,
        json_body: Any = None,
        data: Optional[Body] = None,
        length: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Sends a request and returns its JSON answer (``None`` for an empty answer)."""
        status, payload, _ = self.request(
            method, path, query=query, json_body=json_body, data=data, length=length, timeout=timeout
        )
        if not payload:
            return None
        try:
            return json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EngineError(
                f"The engine's answer to {method} {path} is not JSON (HTTP {status}).",
                status=status,
            ) from None

    def ndjson(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        timeout: Optional[float] = None,
    ) -> Iterator[Dict[str, Any]]:
        """Sends a request and yields each line of its NDJSON answer as it arrives."""
        wait = self.request_timeout if timeout is None else timeout
        conn, response = self.open(method, path, json_body=json_body, timeout=timeout)
        try:
            while True:
                try:
                    line = response.readline()
                except BaseException as e:
                    raise _transport_error(e, method, path, wait) from None
                if not line:
                    return
                line = line.strip()
                if not line:
                    continue
                try:
                    event = json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    raise EngineError(f"The engine sent a line that is not JSON: {line[:200]!r}") from None
                if isinstance(event, dict):
                    yield event
        finally:
            conn.close()


class Chunks:
    """An answer's body as it arrives: an iterator of ``bytes`` pieces of at most 1 MiB.

    Made by :meth:`ApiClient.stream`. The connection closes when the body has
    all come, on :meth:`close`, or at the end of a ``with`` block; a broken
    or timed-out connection raises the SDK's errors while iterating.
    """

    def __init__(self, conn: http.client.HTTPConnection, response: http.client.HTTPResponse, method: str, path: str,
                 wait: Optional[float]) -> None:
        self._conn: Optional[http.client.HTTPConnection] = conn
        self._response = response
        self._method = method
        self._path = path
        self._wait = wait
        self.size: Optional[int] = response.length
        """The body's length from the answer's head, or ``None`` when the engine did not say."""

    def __iter__(self) -> "Chunks":
        return self

    def __next__(self) -> bytes:
        if self._conn is None:
            raise StopIteration
        try:
            piece = self._response.read1(PIECE)
        except BaseException as e:
            self.close()
            raise _transport_error(e, self._method, self._path, self._wait) from None
        if not piece:
            # read1, unlike read, does not check the length the head promised.
            missing = self._response.length
            self.close()
            if missing:
                raise EngineError(
                    f"The connection to the engine broke during {self._method} {self._path}: "
                    f"the answer ended {missing} bytes short."
                )
            raise StopIteration
        return piece

    def close(self) -> None:
        """Lets go of the connection; the rest of the body is not read."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "Chunks":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Chunks({self._method} {self._path!r}, size={self.size!r})"


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _reason(e: BaseException) -> str:
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, socket.gaierror):
        return "unknown host name"
    if isinstance(e, socket.timeout):
        return "no answer to the connection"
    if isinstance(e, ssl.SSLError):
        return f"TLS failed ({e.reason or e})"
    text = getattr(e, "strerror", None) or str(e) or type(e).__name__
    return text[0].lower() + text[1:] if text else type(e).__name__


def _transport_error(e: BaseException, method: str, path: str, wait: Optional[float]) -> BaseException:
    """Turns an exception from the socket or http.client into one of ours (or lets ^C through)."""
    if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        return e
    if isinstance(e, socket.timeout):
        return TimeoutError(f"The engine did not answer {method} {path} within {wait:g} s.")
    if isinstance(e, (http.client.HTTPException, OSError)):
        return EngineError(f"The connection to the engine broke during {method} {path}: {_reason(e)}.")
    return e
