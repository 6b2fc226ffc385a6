# SPDX-License-Identifier: GPL-3.0-or-later
"""Network policies from the SDK and the CLI: the requests they build (tables, no engine) and the real engine's answers.

Traffic stays on this machine: the only packets a test makes a sandbox send
go to its own gateway (the engine's end of its link), which every policy
keeps closed, so they count in the metrics and are refused at once.
"""

import ipaddress
import json
import time
import unittest
from typing import Any, Dict

import support
from ai2in import InvalidArgumentError, NotFoundError, Sandbox
from ai2in.cli import _create_network, build_parser, network_change
from ai2in.sandbox import _network_json
from test_cli import CliTestCase

NPM = "registry.npmjs.org"


class RequestBuildingTest(unittest.TestCase):
    def test_network_field(self) -> None:
        cases = [
            ({"allow_out": [NPM]}, {"allow_out": [NPM]}),
            ({"allow_out": (NPM, "*.debian.org"), "deny_out": ["0.0.0.0/0"]},
             {"allow_out": [NPM, "*.debian.org"], "deny_out": ["0.0.0.0/0"]}),
            ({"deny_out": []}, {"deny_out": []}),
            ({"allow_out": None}, {"allow_out": None}),
            # The engine refuses unknown keys and bad rules with its own sentence.
            ({"allowOut": ["x"]}, {"allowOut": ["x"]}),
            ({}, {}),
        ]
        for given, sent in cases:
            with self.subTest(given=given):
                self.assertEqual(_network_json(given), sent)
        for bad in ("0.0.0.0/0", ["0.0.0.0/0"], {"deny_out": "0.0.0.0/0"}, {"allow_out": b"x"}):
            with self.subTest(bad=bad), self.assertRaises(InvalidArgumentError) as caught:
                _network_json(bad)  # type: ignore[arg-type]
            self.assertTrue(str(caught.exception).endswith("."), str(caught.exception))

    def test_cli_change(self) -> None:
        current = {"allow_internet_access": True, "allow_out": ["a.example"], "deny_out": ["0.0.0.0/0"]}
        cases = [
            # (internet, allow, deny, clear_allow, clear_deny) -> body
            ((None, [], [], False, False), {}),
            ((False, [], [], False, False), {"allow_internet_access": False}),
            ((True, [], [], False, False), {"allow_internet_access": True}),
            ((None, ["b.example"], [], False, False), {"network": {"allow_out": ["a.example", "b.example"]}}),
            ((None, ["a.example", "b.example", "b.example"], [], False, False),
             {"network": {"allow_out": ["a.example", "b.example"]}}),
            ((None, ["b.example"], [], True, False), {"network": {"allow_out": ["b.example"]}}),
            ((None, [], [], False, True), {"network": {"deny_out": []}}),
            ((None, [], ["198.51.100.0/24"], False, True), {"network": {"deny_out": ["198.51.100.0/24"]}}),
            ((False, [NPM], [], True, True),
             {"allow_internet_access": False, "network": {"allow_out": [NPM], "deny_out": []}}),
        ]
        for (internet, allow, deny, clear_allow, clear_deny), body in cases:
            with self.subTest(args=(internet, allow, deny, clear_allow, clear_deny)):
                self.assertEqual(network_change(current, internet, allow, deny, clear_allow, clear_deny), body)
        # A sandbox whose info has no lists yet.
        self.assertEqual(network_change({}, None, ["x.example"], [], False, False),
                         {"network": {"allow_out": ["x.example"]}})

    def test_cli_create_options(self) -> None:
        parser = build_parser()
        cases = [
            ([], None, False),
            (["--no-internet"], None, True),
            (["--allow-out", NPM, "--allow-out", "*.debian.org"], {"allow_out": [NPM, "*.debian.org"]}, False),
            (["--deny-out", "0.0.0.0/0", "--allow-out", NPM], {"allow_out": [NPM], "deny_out": ["0.0.0.0/0"]}, False),
        ]
        for words, network, closed in cases:
            with self.subTest(words=words):
                args = parser.parse_args(["create", *words])
                self.assertEqual(_create_network(args), network)
                self.assertEqual(args.no_internet, closed)


def gateway_of(sbx: Sandbox) -> str:
    """The sandbox's gateway: the resolver the engine wrote into its /etc/resolv.conf."""
    text = sbx.files.read("/etc/resolv.conf")
    servers = [line.split()[1] for line in text.splitlines() if line.startswith("nameserver")]
    if not servers:
        raise AssertionError(f"no nameserver in the sandbox's resolv.conf:\n{text}")
    return servers[0]


class NetworkTest(support.EngineTestCase):
    def assertPolicy(self, info: Dict[str, Any], internet: bool, allow: list, deny: list) -> None:
        network = info["network"]
        self.assertEqual((network["allow_internet_access"], network["allow_out"], network["deny_out"]),
                         (internet, allow, deny), network)

    def test_default_policy_and_address(self) -> None:
        sbx = self.new_sandbox()
        info = sbx.get_info()
        self.assertPolicy(info, True, [], [])
        address = ipaddress.ip_address(info["network"]["address"])
        self.assertEqual(address.version, 4)
        # Another sandbox gets another address; a pause keeps it.
        other = self.new_sandbox()
        self.assertNotEqual(other.get_info()["network"]["address"], str(address))
        sbx.pause()
        sbx.resume()
        self.assertEqual(sbx.get_info()["network"]["address"], str(address))

    def test_policy_at_create_and_live(self) -> None:
        sbx = Sandbox.create(api_key=self.key, base_url=self.url, allow_internet_access=False,
                             network={"allow_out": [NPM, "*.debian.org"], "deny_out": ["198.51.100.0/24"]})
        self.addCleanup(sbx.kill)
        self.assertPolicy(sbx.get_info(), False, [NPM, "*.debian.org"], ["198.51.100.0/24"])

        # A given field replaces, a missing one stays.
        info = sbx.update_network(network={"deny_out": []})
        self.assertPolicy(info, False, [NPM, "*.debian.org"], [])
        self.assertPolicy(sbx.get_info(), False, [NPM, "*.debian.org"], [])
        info = sbx.update_network(allow_internet_access=True)
        self.assertPolicy(info, True, [NPM, "*.debian.org"], [])
        info = sbx.update_network(network={"allow_out": [NPM], "deny_out": ["0.0.0.0/0"]})
        self.assertPolicy(info, True, [NPM], ["0.0.0.0/0"])
        self.assertPolicy(sbx.update_network(), True, [NPM], ["0.0.0.0/0"])

        # Paused too; the policy survives the resume.
        sbx.pause()
        self.assertPolicy(sbx.update_network(allow_internet_access=False), False, [NPM], ["0.0.0.0/0"])
        sbx.resume()
        self.assertPolicy(sbx.get_info(), False, [NPM], ["0.0.0.0/0"])

    def test_bad_policies_are_refused_with_a_sentence(self) -> None:
        sbx = self.new_sandbox(network={"deny_out": ["198.51.100.0/24"]})
        cases = [
            ("not a rule", {"network": {"deny_out": ["not a rule"]}}, "not a rule"),
            ("IPv6", {"network": {"deny_out": ["2001:db8::/32"]}}, "IPv6"),
            ("prefix 33", {"network": {"deny_out": ["10.0.0.0/33"]}}, "10.0.0.0/33"),
            ("unknown key", {"network": {"allowOut": []}}, "allowOut"),
            ("257 rules", {"network": {"deny_out": [f"h{i}.example.com" for i in range(257)]}}, "256"),
            ("flag a string", {"allow_internet_access": "no"}, "allow_internet_access"),
        ]
        before = set(s["sandbox_id"] for s in Sandbox.list(api_key=self.key, base_url=self.url))
        for label, fields, part in cases:
            with self.subTest(case=label):
                with self.assertRaises(InvalidArgumentError) as caught:
                    Sandbox(api_key=self.key, base_url=self.url, **fields)
                self.assertIn(part, str(caught.exception))
                with self.assertRaises(InvalidArgumentError) as caught:
                    sbx.update_network(**fields)
                self.assertIn(part, str(caught.exception))
        # Nothing half-made: no new sandbox, the policy in force unchanged.
        self.assertEqual(set(s["sandbox_id"] for s in Sandbox.list(api_key=self.key, base_url=self.url)), before)
        self.assertPolicy(sbx.get_info(), True, [], ["198.51.100.0/24"])
        with self.assertRaises(NotFoundError):
            sbx._client.json("POST", "/v1/sandboxes/sbx_0123456789abcdef/network",
                             json_body={"allow_internet_access": False})

    def test_metrics_count_the_traffic(self) -> None:
        sbx = self.new_sandbox()
        before = sbx.get_metrics()
        for key in ("net_in_bytes", "net_out_bytes", "net_in_packets", "net_out_packets"):
            self.assertIsInstance(before[key], int, key)
            self.assertGreaterEqual(before[key], 0, key)
        # Twenty connection attempts to the gateway: every policy closes the
        # host, so each is answered at once and nothing leaves this machine.
        gateway = gateway_of(sbx)
        script = ("import socket, time\n"
                  "t = time.monotonic()\n"
                  "for _ in range(20):\n"
                  "    s = socket.socket(); s.settimeout(3)\n"
                  f"    print(s.connect_ex(({gateway!r}, 9)))\n"
                  "    s.close()\n"
                  "print('took', time.monotonic() - t)\n")
        sbx.files.write("probe.py", script)
        result = sbx.commands.run("python3 probe.py")
        self.assertEqual(result["exit_code"], 0, result)
        took = float(result["stdout"].split()[-1])
        self.assertLess(took, 3.0, f"closed connections must fail at once:\n{result['stdout']}")

        def grown() -> Dict[str, Any]:
            m = sbx.get_metrics()
            return m if m["net_out_packets"] >= before["net_out_packets"] + 20 else {}

        after = self.wait_for(grown, timeout=10, interval=0.2, what="the sent packets in the metrics")
        self.assertGreater(after["net_out_bytes"], before["net_out_bytes"] + 20 * 40)
        self.assertGreaterEqual(after["net_in_packets"], before["net_in_packets"])
        # The history's readings carry the counters too, never decreasing.
        time.sleep(1.5)
        history = sbx._client.json("GET", f"/v1/sandboxes/{sbx.id}/metrics", query={"since": 0})
        samples = history["samples"]
        self.assertTrue(samples)
        for key in ("net_in_bytes", "net_out_bytes", "net_in_packets", "net_out_packets"):
            values = [s[key] for s in samples]
            self.assertEqual(values, sorted(values), key)
        self.assertGreaterEqual(samples[-1]["net_out_packets"], before["net_out_packets"] + 20)


class NetworkCliTest(CliTestCase):
    def test_create_and_network_commands(self) -> None:
        sandbox_id = self.created("--no-internet", "--allow-out", NPM, "--allow-out", "*.debian.org",
                                  "--deny-out", "198.51.100.0/24")
        code, out, err = self.cli("network", sandbox_id, "--json")
        self.assertEqual(code, 0, err)
        network = json.loads(out)
        self.assertEqual((network["allow_internet_access"], network["allow_out"], network["deny_out"]),
                         (False, [NPM, "*.debian.org"], ["198.51.100.0/24"]))
        code, out, _ = self.cli("network", sandbox_id)
        self.assertIn("internet: closed (allow_out opens)", out)
        self.assertIn(f"allow:    {NPM}, *.debian.org", out)
        self.assertIn(f"address:  {network['address']}", out)

        # Rules are added; --clear-… empties a list first; --internet opens.
        code, out, err = self.cli("network", sandbox_id, "--internet", "--allow-out", "pypi.org", "--clear-deny")
        self.assertEqual(code, 0, err)
        self.assertIn("internet: open (deny_out closes)", out)
        self.assertIn(f"allow:    {NPM}, *.debian.org, pypi.org", out)
        self.assertIn("deny:     -", out)
        code, out, _ = self.cli("network", sandbox_id, "--json", "--clear-allow", "--deny-out", "0.0.0.0/0",
                                "--allow-out", NPM)
        network = json.loads(out)
        self.assertEqual((network["allow_internet_access"], network["allow_out"], network["deny_out"]),
                         (True, [NPM], ["0.0.0.0/0"]))
        # `info` shows the policy as well.
        code, out, _ = self.cli("info", sandbox_id)
        self.assertIn("deny:     0.0.0.0/0", out)

    def test_errors_are_one_line(self) -> None:
        sandbox_id = self.created()
        cases = [
            (("network", sandbox_id, "--allow-out", "not a rule"), 1, "not a rule"),
            (("network", sandbox_id, "--deny-out", "::/0"), 1, "IPv6"),
            (("create", "--deny-out", "10.0.0.0/99"), 1, "10.0.0.0/99"),
            (("network", "sbx_0123456789abcdef"), 1, "No sandbox sbx_0123456789abcdef"),
            (("network", sandbox_id, "--internet", "--no-internet"), 2, "not allowed with"),
        ]
        for args, status, part in cases:
            with self.subTest(args=args):
                code, out, err = self.cli(*args)
                self.assertEqual(code, status, err)
                self.assertEqual(out, "")
                self.assertIn(part, err)
                if status == 1:
                    self.assertEqual(len(err.strip().splitlines()), 1, err)
                    self.assertTrue(err.startswith("ai2in: "), err)
        # The refused change changed nothing.
        network = json.loads(self.cli("network", sandbox_id, "--json")[1])
        self.assertEqual((network["allow_internet_access"], network["allow_out"], network["deny_out"]), (True, [], []))


if __name__ == "__main__":
    unittest.main()
