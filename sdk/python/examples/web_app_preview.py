# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a small web app into a sandbox, start it in the background and print its preview URL.

    python3 web_app_preview.py

The sandbox is paused, not killed, at the end: its files stay, and
`ai2in resume ID` (or Sandbox.connect(ID).resume()) brings it back later.
"""

import sys
import time

from ai2in import Sandbox

APP = '''
from http.server import BaseHTTPRequestHandler, HTTPServer

class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<h1>Hello from a sandbox</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

HTTPServer(("0.0.0.0", 8000), Hello).serve_forever()
'''


def main() -> int:
    sbx = Sandbox(metadata={"example": "web_app_preview"})
    sbx.files.write("site/server.py", APP)
    server = sbx.commands.start("python3 server.py", cwd="site")
    # The engine notices a listening port within about a second.
    for _ in range(50):
        if any(p["port"] == 8000 for p in sbx.get_info()["ports"]):
            break
        if server.logs()["status"] != "running":
            print("the server stopped:", server.logs()["stderr"], file=sys.stderr)
            sbx.kill()
            return 1
        time.sleep(0.2)
    print("open:", sbx.get_host(8000))
    input("press Enter to pause the sandbox… ")
    sbx.pause()
    print(f"paused {sbx.id}; resume it with: ai2in resume {sbx.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
