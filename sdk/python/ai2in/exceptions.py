# SPDX-License-Identifier: GPL-3.0-or-later
"""Errors raised by the SDK.

Every failure the SDK reports is a :class:`SandboxError`; the subclasses say
what kind of failure it was. Errors that come from the engine carry its HTTP
status, its error code (``not_found``, ``conflict``, …) and its human sentence,
which is also the exception's message::

    SandboxError
    ├── AuthenticationError     401: no key, a malformed, unknown or revoked key
    ├── PermissionDeniedError   403: the sandbox user may not touch that file
    ├── NotFoundError           404: unknown sandbox, command, file, terminal …
    ├── ConflictError           409: wrong state (paused, already paused, …)
    ├── InvalidArgumentError    400: a bad field, path or value
    │   └── TooLargeError       413: metadata over 2 KB, a file over 32 MB
    ├── RateLimitError          429: the team runs its maximum of sandboxes
    ├── TimeoutError            504, or no answer in time (also a builtin TimeoutError)
    ├── EngineError             500/503 and answers the SDK cannot read
    └── EngineUnreachableError  no connection to the engine (also a ConnectionError)
"""

import builtins
from typing import Any, Dict, Optional


class SandboxError(Exception):
    """Base class of every error the SDK raises.

    Attributes:
        message: the human sentence (the engine's, when it came from the engine).
        status: the HTTP status of the engine's answer, or ``None``.
        code: the engine's error code (``"not_found"``, …), or ``None``.
        details: any other fields of the engine's error object.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        details: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.status: Optional[int] = status
        self.code: Optional[str] = code
        self.details: Dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        return self.message


class AuthenticationError(SandboxError):
    """The engine refused the API key, or no key could be found."""


class PermissionDeniedError(SandboxError):
    """The sandbox user may not do that to that file."""


class NotFoundError(SandboxError):
    """The sandbox, command, file, terminal or watch does not exist (for this key)."""


class ConflictError(SandboxError):
    """The sandbox is not in a state that allows the request, or the target exists."""


class InvalidArgumentError(SandboxError):
    """The request had a missing, unknown, mistyped or out-of-range value."""


class TooLargeError(InvalidArgumentError):
    """Metadata over 2 KB, or a file over 32 MB."""


class RateLimitError(SandboxError):
    """The team already runs the engine's maximum number of sandboxes."""


class TimeoutError(SandboxError, builtins.TimeoutError):
    """A blocking command ran past its limit, or the engine did not answer in time.

    For a command that timed out, ``stdout``, ``stderr`` and ``command_id``
    hold what it wrote before it was killed (empty when unknown).
    """

    @property
    def stdout(self) -> str:
        """What the timed-out command wrote to stdout."""
        return str(self.details.get("stdout", ""))

    @property
    def stderr(self) -> str:
        """What the timed-out command wrote to stderr."""
        return str(self.details.get("stderr", ""))

    @property
    def command_id(self) -> Optional[str]:
        """The id of the timed-out command, when the engine named it."""
        value = self.details.get("command_id")
        return str(value) if value is not None else None


class EngineError(SandboxError):
    """The engine failed (500), the sandbox's agent did not answer (503), or the answer made no sense."""


class EngineUnreachableError(SandboxError, ConnectionError):
    """No connection to the engine: it is not running, or the address is wrong."""


_BY_CODE = {
    "invalid_json": InvalidArgumentError,
    "bad_request": InvalidArgumentError,
    "unauthorized": AuthenticationError,
    "permission_denied": PermissionDeniedError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "too_large": TooLargeError,
    "quota_exceeded": RateLimitError,
    "internal": EngineError,
    "unavailable": EngineError,
    "timeout": TimeoutError,
}

_BY_STATUS = {
    400: InvalidArgumentError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: TooLargeError,
    429: RateLimitError,
    504: TimeoutError,
}


def error_from_answer(status: int, body: bytes) -> SandboxError:
    """Builds the exception for an engine answer with an error status.

    The class follows the engine's error code, else the HTTP status; the
    message is the engine's sentence, else a sentence naming the status.
    """
    import json

    code: Optional[str] = None
    message = ""
    details: Dict[str, Any] = {}
    try:
        parsed = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        err = parsed["error"]
        code = err.get("code") if isinstance(err.get("code"), str) else None
        message = err.get("message") if isinstance(err.get("message"), str) else ""
        details = {k: v for k, v in err.items() if k not in ("code", "message")}
    cls = _BY_CODE.get(code or "") or _BY_STATUS.get(status) or (
        EngineError if status >= 500 else SandboxError
    )
    if not message:
        message = f"The engine answered HTTP {status}" + (f" ({code})." if code else ".")
    return cls(message, status=status, code=code, details=details)


__all__ = [
    "SandboxError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "InvalidArgumentError",
    "TooLargeError",
    "RateLimitError",
    "TimeoutError",
    "EngineError",
    "EngineUnreachableError",
    "error_from_answer",
]
