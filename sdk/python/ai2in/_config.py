# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the engine is and which key to use, when the caller does not say."""

import json
import os
from typing import Any, Dict, Optional, Tuple

from .exceptions import AuthenticationError

DEFAULT_BASE_URL = "http://127.0.0.1:7300"
"""The local engine's address, used when nothing else names one."""

CREDENTIALS_FILE = "/var/lib/ai2in/credentials.json"
"""Where a local engine writes its API key and address on its first start."""


def _credentials(path: str) -> Dict[str, Any]:
    try:
        with open(path, "r", encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def resolve(api_key: Optional[str], base_url: Optional[str]) -> Tuple[str, str]:
    """Returns ``(api_key, base_url)`` from the arguments, else the environment, else the credentials file.

    ``base_url`` falls back to ``AI2IN_BASE_URL``, then the credentials file's
    ``base_url``, then :data:`DEFAULT_BASE_URL`. ``api_key`` falls back to
    ``AI2IN_API_KEY``, then the credentials file's ``api_key``
    (``AI2IN_CREDENTIALS`` names another file). Raises
    :class:`~ai2in.AuthenticationError` when no key is found anywhere.
    """
    path = os.environ.get("AI2IN_CREDENTIALS") or CREDENTIALS_FILE
    creds: Optional[Dict[str, Any]] = None
    if not base_url:
        base_url = os.environ.get("AI2IN_BASE_URL")
    if not base_url:
        creds = _credentials(path)
        value = creds.get("base_url")
        base_url = value if isinstance(value, str) and value else DEFAULT_BASE_URL
    if not api_key:
        api_key = os.environ.get("AI2IN_API_KEY")
    if not api_key:
        if creds is None:
            creds = _credentials(path)
        value = creds.get("api_key")
        if isinstance(value, str) and value:
            api_key = value
    if not api_key:
        raise AuthenticationError(
            "No API key: pass api_key=, set AI2IN_API_KEY, or run as a user who can read "
            f"{path} (the local engine writes it on its first start)."
        )
    return api_key, base_url.rstrip("/")
