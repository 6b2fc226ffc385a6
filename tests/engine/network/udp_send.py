#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run as root in a sandbox: `udp_send.py SOURCE DEST PORT PAYLOAD` sends one
UDP datagram whose IPv4 header names SOURCE, written by hand on a raw socket
(CAP_NET_RAW), so any source address can be claimed; `-` as SOURCE sends
from a plain socket instead."""
import socket
import struct
import sys

source, dest, port, payload = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
if source == "-":
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(payload, (dest, port))
    sys.exit(0)
udp = struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload  # checksum 0: none
header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0x1234, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(source), socket.inet_aton(dest))
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
raw.sendto(header + udp, (dest, 0))
