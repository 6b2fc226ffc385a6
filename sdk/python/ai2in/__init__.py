# SPDX-License-Identifier: GPL-3.0-or-later
"""ai2in: create and use sandboxes on an ai2in engine, with the Python standard library only.

Quick start::

    from ai2in import Sandbox

    with Sandbox() as sbx:                      # created now, killed on exit
        print(sbx.commands.run("uname -a")["stdout"])
        print(sbx.run_code("6 * 7").text)        # "42"

The key and the engine come from ``api_key=`` / ``base_url=``, else
``AI2IN_API_KEY`` / ``AI2IN_BASE_URL``, else the local engine's
``/var/lib/ai2in/credentials.json``. Errors are :class:`SandboxError` and its
subclasses (see :mod:`ai2in.exceptions`).
"""

from ._version import __version__
from .code import Execution, Logs, Result
from .commands import CommandHandle, Commands
from .exceptions import (
    AuthenticationError,
    ConflictError,
    EngineError,
    EngineUnreachableError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SandboxError,
    TimeoutError,
    TooLargeError,
)
from ._http import Chunks
from .files import ChangeList, Files, Watcher
from .pty import Pty, PtyHandle
from .sandbox import Sandbox, SandboxQuery

__all__ = [
    "__version__",
    "Sandbox",
    "SandboxQuery",
    "Execution",
    "Logs",
    "Result",
    "Commands",
    "CommandHandle",
    "Files",
    "Watcher",
    "ChangeList",
    "Chunks",
    "Pty",
    "PtyHandle",
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
]
