#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test host's end of the network benchmark: accepts connections on
ADDRESS:PORT one after another, reads each to its end, then answers one byte
(so the sender knows everything arrived). Runs until killed."""
import socket
import sys

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(128)
buffer = bytearray(1 << 20)
view = memoryview(buffer)
while True:
    conn, _ = server.accept()
    with conn:
        while conn.recv_into(view):
            pass
        try:
            conn.sendall(b"k")
        except OSError:
            pass
