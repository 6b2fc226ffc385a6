#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A tiny authoritative DNS server for the network suite's test host.

Usage: dns_responder.py LISTEN_ADDRESS NAME=IPV4 [NAME=IPV4 ...]
Answers A queries for the given names (TTL 30), NXDOMAIN for other names,
and an empty answer for other types. Runs until killed.
"""
import socket
import struct
import sys


def read_name(msg: bytes, pos: int) -> "tuple[str, int]":
    labels = []
    while True:
        n = msg[pos]
        if n == 0:
            return ".".join(labels).lower(), pos + 1
        labels.append(msg[pos + 1:pos + 1 + n].decode("ascii", "replace"))
        pos += 1 + n


def main() -> None:
    listen = sys.argv[1]
    names = {}
    for pair in sys.argv[2:]:
        name, _, address = pair.partition("=")
        names[name.lower()] = socket.inet_aton(address)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((listen, 53))
    while True:
        query, peer = s.recvfrom(4096)
        try:
            qid, flags, qdcount = struct.unpack("!HHH", query[:6])
            name, end = read_name(query, 12)
            qtype = struct.unpack("!H", query[end:end + 2])[0]
        except (IndexError, struct.error):
            continue
        question = query[12:end + 4]
        known = name in names
        answers = b""
        if known and qtype == 1:
            answers = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 30, 4) + names[name]
        rcode = 0 if known else 3
        head = struct.pack("!HHHHHH", qid, 0x8400 | (flags & 0x0100) | rcode, 1, 1 if answers else 0, 0, 0)
        s.sendto(head + question + answers, peer)


if __name__ == "__main__":
    main()
