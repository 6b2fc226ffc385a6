#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run inside a sandbox by the network suite: tries a TCP connection to each
address on PORT and prints "ADDRESS open|refused|timeout|error:ERRNO SECONDS"."""
import socket
import sys
import time

port = int(sys.argv[1])
for address in sys.argv[2:]:
    s = socket.socket()
    s.settimeout(3)
    start = time.monotonic()
    try:
        s.connect((address, port))
        result = "open"
    except ConnectionRefusedError:
        result = "refused"
    except socket.timeout:
        result = "timeout"
    except OSError as e:
        result = f"error:{e.errno}"
    finally:
        s.close()
    print(address, result, f"{time.monotonic() - start:.3f}", flush=True)
