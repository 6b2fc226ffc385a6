#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sending end of the network benchmark, run in a sandbox and on the
host alike: `tcp_send.py ADDRESS PORT MIB ROUNDS` sends MIB MiB per round to
tcp_sink.py and prints the best MiB/s; `tcp_send.py --connect ADDRESS PORT N`
opens and closes N connections and prints the median set-up time in ms."""
import socket
import statistics
import sys
import time


def send(address: str, port: int, mib: int) -> float:
    chunk = b"\0" * (1 << 20)
    s = socket.create_connection((address, port))
    start = time.monotonic()
    for _ in range(mib):
        s.sendall(chunk)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    seconds = time.monotonic() - start
    s.close()
    return mib / seconds


def connect(address: str, port: int, count: int) -> float:
    times = []
    for _ in range(count):
        start = time.monotonic()
        s = socket.create_connection((address, port))
        times.append((time.monotonic() - start) * 1000)
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
        s.close()
    return statistics.median(times)


if sys.argv[1] == "--connect":
    print(f"{connect(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])):.3f}")
else:
    print(f"{max(send(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])) for _ in range(int(sys.argv[4]))):.1f}")
