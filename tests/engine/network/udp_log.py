#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test host's UDP witness: `udp_log.py ADDRESS PORT` prints
"SOURCE PAYLOAD" for every datagram it receives, until killed."""
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    data, peer = s.recvfrom(2048)
    print(peer[0], data.decode("ascii", "replace"), flush=True)
