# SPDX-License-Identifier: GPL-3.0-or-later
"""``ai2in shell``: a terminal in the sandbox driven from the user's own terminal."""

import json
import os
import select
import signal
import sys
import termios
import tty
from typing import Optional

from ._websocket import OP_BINARY, OP_TEXT, WebSocket
from .pty import PtyHandle

DETACH_KEY = b"\x1d"
"""Ctrl+]: leaves the terminal running and returns to the user's shell."""


def _size(fd: int) -> "tuple[int, int]":
    try:
        size = os.get_terminal_size(fd)
        return max(size.columns, 1), max(size.lines, 1)
    except OSError:
        return 80, 24


def run_shell(
    handle: PtyHandle, in_fd: int, out_fd: int, offset: Optional[int] = None, banner: bytes = b""
) -> "tuple[str, Optional[int]]":
    """Relays between the local terminal and the sandbox's until it ends or Ctrl+] is pressed.

    Puts ``in_fd`` in raw mode (restored on the way out), forwards window-size
    changes (SIGWINCH) as resize messages. Returns ``("exit", code)`` when the
    terminal's program ended, ``("detach", None)`` on Ctrl+], ``("closed", None)``
    when the engine closed the stream.
    """
    ws: WebSocket = handle.websocket(offset)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)

    def on_winch(_signum: int, _frame: object) -> None:
        try:
            os.write(wake_w, b"w")
        except OSError:
            pass

    saved = termios.tcgetattr(in_fd) if os.isatty(in_fd) else None
    old_handler = signal.signal(signal.SIGWINCH, on_winch)
    outcome: "tuple[str, Optional[int]]" = ("closed", None)
    try:
        if saved is not None:
            tty.setraw(in_fd, termios.TCSANOW)  # TCSAFLUSH would drop keys typed ahead
        if banner:
            # Written once the terminal is raw, so keys typed after it go to the sandbox unchanged.
            os.write(2, banner)
        cols, rows = _size(in_fd)
        ws.send_text(json.dumps({"type": "resize", "cols": cols, "rows": rows}))
        while True:
            if ws.has_buffered():
                ready = [ws]
            else:
                try:
                    ready, _, _ = select.select([in_fd, ws, wake_r], [], [])
                except InterruptedError:
                    continue
            if wake_r in ready:
                os.read(wake_r, 64)
                cols, rows = _size(in_fd)
                ws.send_text(json.dumps({"type": "resize", "cols": cols, "rows": rows}))
            if in_fd in ready:
                data = os.read(in_fd, 65536)
                if not data:
                    # The local input ended: leave the terminal running, as a detach does.
                    outcome = ("detach", None)
                    break
                cut = data.find(DETACH_KEY)
                if cut >= 0:
                    if cut:
                        ws.send_binary(data[:cut])
                    outcome = ("detach", None)
                    break
                ws.send_binary(data)
            if ws in ready:
                message = ws.recv()
                if message is None:
                    break
                opcode, payload = message
                if opcode == OP_BINARY:
                    _write_all(out_fd, payload)
                elif opcode == OP_TEXT:
                    try:
                        event = json.loads(payload.decode("utf-8"))
                    except ValueError:
                        continue
                    if event.get("type") == "exit":
                        code = event.get("exit_code")
                        outcome = ("exit", code if isinstance(code, int) else None)
                    elif event.get("type") == "error":
                        _write_all(out_fd, f"\r\nai2in: {event.get('message', 'error')}\r\n".encode())
    finally:
        if saved is not None:
            termios.tcsetattr(in_fd, termios.TCSADRAIN, saved)
        signal.signal(signal.SIGWINCH, old_handler)
        os.close(wake_r)
        os.close(wake_w)
        ws.close()
    return outcome


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            select.select([], [fd], [])
            continue
        view = view[n:]


def shell_main(handle: PtyHandle, sandbox_id: str, created: bool) -> int:
    """The ``ai2in shell`` command once a terminal exists; returns the exit status for the CLI."""
    in_fd, out_fd = sys.stdin.fileno(), sys.stdout.fileno()
    sys.stdout.flush()
    sys.stderr.flush()
    banner = f"Connected to {sandbox_id} ({handle.id}). Ctrl+] detaches.\r\n".encode()
    # A new terminal is replayed from its first byte so its prompt shows.
    how, code = run_shell(handle, in_fd, out_fd, 0 if created else None, banner)
    if how == "detach":
        sys.stderr.write(
            f"\r\nDetached; {handle.id} keeps running. Back to it: ai2in shell {sandbox_id} --attach {handle.id}\n"
        )
        return 0
    if how == "exit":
        sys.stderr.write("\r\n")
        return code if code is not None else 0
    sys.stderr.write("\r\nThe engine closed the terminal.\n")
    return 1
