# SPDX-License-Identifier: GPL-3.0-or-later
"""A small WebSocket client (RFC 6455) on the standard library, for terminals and watches."""

import base64
import hashlib
import os
import socket
import struct
from typing import Optional, Tuple

from ._http import ApiClient, Query, _reason
from .exceptions import EngineError, EngineUnreachableError, error_from_answer

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


class WebSocket:
    """One client connection. :meth:`recv` returns whole messages; control frames are handled inside.

    Not for use from several threads at once, except that :meth:`send` may be
    called from one thread while another one waits in :meth:`recv`.
    """

    def __init__(self, sock: socket.socket, leftover: bytes = b"") -> None:
        self.sock = sock
        self._buffer = bytearray(leftover)
        self.closed = False
        self.close_code: Optional[int] = None

    @classmethod
    def connect(cls, client: ApiClient, path: str, query: Query = None, timeout: float = 30.0) -> "WebSocket":
        """Opens a WebSocket to an API path of the engine, with the client's key."""
        conn = client.connect(timeout)
        sock = conn.sock
        conn.sock = None  # the socket is ours from now on
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        host = client.host if ":" not in client.host else f"[{client.host}]"
        lines = [
            f"GET {client.url_path(path, query)} HTTP/1.1",
            f"Host: {host}:{client.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        lines += [f"{k}: {v}" for k, v in client.headers().items()]
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
            head, rest = _read_head(sock)
        except socket.timeout:
            sock.close()
            raise EngineError(f"The engine did not answer the WebSocket request for {path}.") from None
        except OSError as e:
            sock.close()
            raise EngineUnreachableError(f"The WebSocket to {path} broke: {_reason(e)}.") from None
        status_line, _, header_text = head.partition(b"\r\n")
        parts = status_line.split(b" ", 2)
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        headers = {}
        for line in header_text.split(b"\r\n"):
            name, sep, value = line.partition(b":")
            if sep:
                headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
        if status != 101:
            body = rest
            length = int(headers.get("content-length", "0") or 0)
            try:
                while len(body) < length:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    body += chunk
            except OSError:
                pass
            sock.close()
            raise error_from_answer(status or 502, body)
        expected = base64.b64encode(hashlib.sha1(key.encode("ascii") + _GUID).digest()).decode("ascii")
        if headers.get("sec-websocket-accept") != expected:
            sock.close()
            raise EngineError(f"The engine's WebSocket handshake for {path} had a wrong accept key.")
        sock.settimeout(None)
        return cls(sock, rest)

    def fileno(self) -> int:
        """The socket's descriptor, for select()."""
        return self.sock.fileno()

    def has_buffered(self) -> bool:
        """Whether bytes already read from the socket wait to be parsed (select() would not show them)."""
        pending = getattr(self.sock, "pending", None)
        return bool(self._buffer) or bool(pending and pending())

    # -- sending -----------------------------------------------------------

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        head = bytearray([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head.append(0x80 | n)
        elif n < 1 << 16:
            head.append(0x80 | 126)
            head += struct.pack("!H", n)
        else:
            head.append(0x80 | 127)
            head += struct.pack("!Q", n)
        mask = os.urandom(4)
        head += mask
        masked = bytes(b ^ mask[i & 3] for i, b in enumerate(payload)) if n < 4096 else _mask(payload, mask)
        self.sock.sendall(bytes(head) + masked)

    def send_binary(self, data: bytes) -> None:
        """Sends a binary message."""
        self._send_frame(OP_BINARY, data)

    def send_text(self, text: str) -> None:
        """Sends a text message."""
        self._send_frame(OP_TEXT, text.encode("utf-8"))

    def close(self, code: int = 1000, linger: float = 2.0) -> None:
        """Sends a close frame (once), waits up to ``linger`` seconds for the engine to close, and closes the socket.

        Waiting lets what was sent just before arrive: closing a socket with
        unread bytes makes the kernel reset the connection, and a reset may
        overtake the last messages.
        """
        if not self.closed:
            self.closed = True
            try:
                self._send_frame(OP_CLOSE, struct.pack("!H", code))
                self.sock.shutdown(socket.SHUT_WR)
                self.sock.settimeout(linger)
                while self.sock.recv(65536):
                    pass
            except OSError:  # a timeout included
                pass
        try:
            self.sock.close()
        except OSError:
            pass

    # -- receiving ---------------------------------------------------------

    def _read_exact(self, n: int) -> Optional[bytes]:
        while len(self._buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self._buffer)))
            if not chunk:
                return None
            self._buffer += chunk
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def _read_frame(self) -> Optional[Tuple[bool, int, bytes]]:
        head = self._read_exact(2)
        if head is None:
            return None
        fin = bool(head[0] & 0x80)
        opcode = head[0] & 0x0F
        masked = bool(head[1] & 0x80)
        n = head[1] & 0x7F
        if n == 126:
            ext = self._read_exact(2)
            if ext is None:
                return None
            n = struct.unpack("!H", ext)[0]
        elif n == 127:
            ext = self._read_exact(8)
            if ext is None:
                return None
            n = struct.unpack("!Q", ext)[0]
        mask = self._read_exact(4) if masked else None
        payload = self._read_exact(n) if n else b""
        if payload is None:
            return None
        if mask:
            payload = _mask(payload, mask)
        return fin, opcode, payload

    def recv(self) -> Optional[Tuple[int, bytes]]:
        """Waits for the next message: ``(OP_TEXT or OP_BINARY, payload)``, or ``None`` once closed."""
        message = bytearray()
        message_op: Optional[int] = None
        while True:
            try:
                frame = self._read_frame()
            except OSError:
                frame = None
            if frame is None:
                self.closed = True
                return None
            fin, opcode, payload = frame
            if opcode == OP_PING:
                try:
                    self._send_frame(OP_PONG, payload)
                except OSError:
                    pass
                continue
            if opcode == OP_PONG:
                continue
            if opcode == OP_CLOSE:
                if len(payload) >= 2:
                    self.close_code = struct.unpack("!H", payload[:2])[0]
                self.close()
                return None
            if opcode in (OP_TEXT, OP_BINARY):
                message_op = opcode
                message = bytearray(payload)
            elif opcode == OP_CONT:
                message += payload
            if fin and message_op is not None:
                return message_op, bytes(message)


def _mask(payload: bytes, mask: bytes) -> bytes:
    n = len(payload)
    key = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
    return (int.from_bytes(payload, "big") ^ key).to_bytes(n, "big")


def _read_head(sock: socket.socket) -> Tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise OSError("the engine closed the connection")
        data += chunk
        if len(data) > 65536:
            raise OSError("the answer's head is too long")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest
