# SPDX-License-Identifier: GPL-3.0-or-later
"""Previews with an access token: ``Sandbox(preview_auth=True)``, its token, headers and browser link."""

import http.cookiejar
import subprocess
import sys
import unittest
import urllib.error
import urllib.parse
import urllib.request

import support
from ai2in import InvalidArgumentError, Sandbox

SERVER = "python3 -m http.server 8000"


def opener(cookies: "http.cookiejar.CookieJar | None" = None) -> urllib.request.OpenerDirector:
    # Never through a proxy from the environment: tests send nothing off this machine.
    handlers: list = [urllib.request.ProxyHandler({})]
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    return urllib.request.build_opener(*handlers)


def status_of(op: urllib.request.OpenerDirector, request: "urllib.request.Request | str") -> "tuple[int, bytes]":
    try:
        with op.open(request, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class PreviewAuthTest(support.EngineTestCase):
    def start_server(self, sbx: Sandbox) -> str:
        sbx.files.write("index.html", "<p>the app</p>")
        sbx.commands.start(SERVER)
        url = sbx.get_host(8000)
        self.wait_for(lambda: any(p["port"] == 8000 for p in sbx.get_info()["ports"]), what="port 8000")
        return url

    def test_token_by_header_and_by_browser_cookie(self) -> None:
        sbx = self.new_sandbox(preview_auth=True)
        token = sbx.preview_token
        self.assertIsInstance(token, str)
        self.assertGreaterEqual(len(token or ""), 32)
        info = sbx.get_info()
        self.assertIs(info["preview_auth"], True)
        self.assertEqual(info["preview_token"], token)
        url = self.start_server(sbx)
        self.assertNotIn("ai2in_token", url)

        # Anonymous: refused with a sentence.
        status, body = status_of(opener(), url + "/")
        self.assertEqual(status, 401)
        self.assertIn(b"preview token", body)

        # A program sends the header.
        status, body = status_of(opener(), urllib.request.Request(url + "/", headers=sbx.preview_headers))
        self.assertEqual(status, 200)
        self.assertEqual(body, b"<p>the app</p>")

        # A browser opens the link once and keeps the cookie for that host.
        link = sbx.get_host(8000, with_token=True)
        self.assertEqual(urllib.parse.parse_qs(urllib.parse.urlsplit(link).query), {"ai2in_token": [token]})
        jar = http.cookiejar.CookieJar()
        browser = opener(jar)
        with browser.open(link, timeout=10) as r:
            self.assertEqual(r.status, 200)
            self.assertNotIn("ai2in_token", r.geturl())  # redirected to the URL without it
            self.assertEqual(r.read(), b"<p>the app</p>")
        self.assertEqual([c.name for c in jar], ["ai2in_preview_token"])
        status, body = status_of(browser, url + "/index.html")
        self.assertEqual((status, body), (200, b"<p>the app</p>"))

        # A wrong token is no token.
        status, _ = status_of(opener(), url + "/?ai2in_token=wrong")
        self.assertEqual(status, 401)

    def test_plain_sandbox_needs_no_token(self) -> None:
        sbx = self.new_sandbox()
        self.assertIsNone(sbx.preview_token)
        self.assertEqual(sbx.preview_headers, {})
        self.assertIs(sbx.get_info()["preview_auth"], False)
        url = self.start_server(sbx)
        self.assertEqual(sbx.get_host(8000, with_token=True), url)
        status, _ = status_of(opener(), url + "/")
        self.assertEqual(status, 200)

    def test_token_survives_reconnect_and_is_checked(self) -> None:
        sbx = self.new_sandbox(preview_auth=True)
        again = Sandbox.connect(sbx.id, api_key=self.key, base_url=self.url)
        self.assertEqual(again.preview_token, sbx.preview_token)
        listed = [s for s in Sandbox.list(api_key=self.key, base_url=self.url) if s["sandbox_id"] == sbx.id]
        self.assertEqual(listed[0]["preview_token"], sbx.preview_token)
        with self.assertRaises(InvalidArgumentError):
            Sandbox(api_key=self.key, base_url=self.url, preview_auth="yes")  # type: ignore[arg-type]

    def test_cli_create_and_host_with_token(self) -> None:
        def cli(*args: str) -> str:
            done = subprocess.run([sys.executable, "-m", "ai2in", *args], capture_output=True,
                                  env=self.engine.env(), timeout=120)
            self.assertEqual(done.returncode, 0, done.stderr.decode("utf-8", "replace"))
            return done.stdout.decode().strip()

        sandbox_id = cli("create", "--preview-auth")
        sbx = Sandbox.connect(sandbox_id, api_key=self.key, base_url=self.url)
        self.addCleanup(sbx.kill)
        token = sbx.preview_token
        self.assertTrue(token)
        plain = f"http://8000-{sandbox_id}.localhost:{self.engine.preview_port}"
        self.assertEqual(cli("host", sandbox_id, "8000"), plain)
        self.assertEqual(cli("host", sandbox_id, "8000", "--with-token"), f"{plain}/?ai2in_token={token}")


if __name__ == "__main__":
    unittest.main()
