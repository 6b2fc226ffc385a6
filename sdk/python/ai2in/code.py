# SPDX-License-Identifier: GPL-3.0-or-later
"""What :meth:`Sandbox.run_code <ai2in.Sandbox.run_code>` returns: results, logs and errors of a cell."""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

RESULT_FORMATS = (
    "text", "html", "markdown", "svg", "png", "jpeg", "pdf", "latex", "json", "javascript",
)
"""The representations a result may carry, in the engine's order."""


@dataclass
class Result:
    """One rich output of a cell: the value of its last expression, or something it displayed.

    Each format is ``None`` when the output does not have it. ``png``, ``jpeg``
    and ``pdf`` are base64 text (``base64.b64decode(result.png)`` gives the
    image's bytes); ``json`` is the decoded value. ``is_main_result`` is true
    for the cell's own value (what ``Execution.text`` reports), false for
    ``display(...)`` outputs such as a matplotlib figure.
    """

    text: Optional[str] = None
    html: Optional[str] = None
    markdown: Optional[str] = None
    svg: Optional[str] = None
    png: Optional[str] = None
    jpeg: Optional[str] = None
    pdf: Optional[str] = None
    latex: Optional[str] = None
    json: Optional[Any] = None
    javascript: Optional[str] = None
    is_main_result: bool = False

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Result":
        """Builds a Result from the engine's ``result`` object."""
        values = {name: data.get(name) for name in RESULT_FORMATS}
        return cls(**values, is_main_result=bool(data.get("is_main_result", False)))

    def formats(self) -> List[str]:
        """The names of the formats this result has, e.g. ``["text", "png"]``."""
        return [name for name in RESULT_FORMATS if getattr(self, name) is not None]

    def __getitem__(self, name: str) -> Any:
        """``result["png"]`` is ``result.png``: results read like the engine's JSON too."""
        if name in RESULT_FORMATS or name == "is_main_result":
            return getattr(self, name)
        raise KeyError(name)

    def __str__(self) -> str:
        return self.text or ""


@dataclass
class Logs:
    """What a cell printed: ``stdout`` and ``stderr`` as lists of the chunks that arrived."""

    stdout: List[str] = field(default_factory=list)
    stderr: List[str] = field(default_factory=list)


@dataclass
class Execution:
    """The outcome of one cell.

    Attributes:
        results: every rich output, in order (see :class:`Result`).
        logs: the printed output (:class:`Logs`).
        error: ``{"name", "value", "traceback"}`` when the cell raised, else ``None``.
        execution_count: the kernel's cell counter, when the engine sent it.
    """

    results: List[Result] = field(default_factory=list)
    logs: Logs = field(default_factory=Logs)
    error: Optional[Dict[str, str]] = None
    execution_count: Optional[int] = None

    @property
    def text(self) -> Optional[str]:
        """The text of the main result (the cell's last expression), or ``None``."""
        for result in self.results:
            if result.is_main_result:
                return result.text
        return None
