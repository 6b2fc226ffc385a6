# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``ai2in`` command line: manage sandboxes and work inside them from a shell.

Every command takes ``--json`` for output a script can read, and
``--api-key`` / ``--base-url`` (default: ``AI2IN_API_KEY`` / ``AI2IN_BASE_URL``,
then the local engine's credentials file). Errors are one line on stderr with
a non-zero exit status: 1 for an error the engine or the SDK reports, 2 for
wrong usage, 130 after Ctrl+C.
"""

import argparse
import json
import os
import posixpath
import shlex
import sys
import threading
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import __version__
from ._config import resolve
from ._http import ApiClient
from .commands import CommandHandle
from .exceptions import NotFoundError, SandboxError
from .files import Files
from .sandbox import Sandbox, SandboxQuery


class UsageError(Exception):
    """Wrong use of the command line (exit status 2)."""


# -- output helpers ----------------------------------------------------------


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, sort_keys=True))


def _table(rows: List[List[str]], header: List[str]) -> str:
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _short_time(value: Optional[str]) -> str:
    """``2026-11-22T10:00:00.000Z`` → ``2026-11-22 10:00:00``; ``None`` → ``-``."""
    if not value:
        return "-"
    return value.replace("T", " ")[:19]


def _pairs(items: Optional[Sequence[str]], what: str) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"{what} {item!r} is not KEY=VALUE")
        out[key] = value
    return out


def _client(args: argparse.Namespace) -> ApiClient:
    key, url = resolve(args.api_key, args.base_url)
    return ApiClient(key, url)


def _connect(args: argparse.Namespace, sandbox_id: str) -> Sandbox:
    """A Sandbox object for an id without the side effects of connect (no activity, no resume)."""
    client = _client(args)
    info = client.json("GET", f"/v1/sandboxes/{sandbox_id}")
    sbx = Sandbox.__new__(Sandbox)
    sbx._attach(client, info, None)
    return sbx


def _rules(rules: Any) -> str:
    return ", ".join(str(r) for r in rules or []) or "-"


def _network_lines(network: Dict[str, Any]) -> List[Tuple[str, str]]:
    """The policy in force as (name, value) rows; what ``info`` and ``network`` print."""
    internet = network.get("allow_internet_access", True)
    return [
        ("address", str(network.get("address") or "-")),
        ("internet", "open (deny_out closes)" if internet else "closed (allow_out opens)"),
        ("allow", _rules(network.get("allow_out"))),
        ("deny", _rules(network.get("deny_out"))),
    ]


def _describe(info: Dict[str, Any]) -> str:
    ports = ", ".join(f"{p.get('port')} → {p.get('url')}" for p in info.get("ports") or []) or "-"
    metadata = ", ".join(f"{k}={v}" for k, v in (info.get("metadata") or {}).items()) or "-"
    fields = [
        ("id", info.get("sandbox_id")),
        ("status", str(info.get("status")) + (f" ({info['pause_kind']})" if info.get("pause_kind") else "")
         + (f": {info['error_reason']}" if info.get("error_reason") else "")),
        ("template", info.get("template")),
        ("created", _short_time(info.get("created_at"))),
        ("started", _short_time(info.get("started_at"))),
        ("ends", _short_time(info.get("end_at")) if info.get("end_at") else "when killed (or idle)"),
        ("paused", _short_time(info.get("paused_at"))),
        ("node", info.get("node_id")),
        ("cpus", info.get("cpu_count")),
        ("memory", f"{info.get('memory_mb')} MiB"),
        ("metadata", metadata),
        ("ports", ports),
    ]
    if isinstance(info.get("network"), dict):
        fields += _network_lines(info["network"])
    return "\n".join(f"{name + ':':<10}{value}" for name, value in fields)


# -- commands ----------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    """``ai2in list``: the team's sandboxes as a table (or JSON)."""
    query = SandboxQuery(
        metadata=_pairs(args.metadata, "metadata") or None,
        state=args.state.split(",") if args.state else None,
    )
    sandboxes = Sandbox.list(query, api_key=args.api_key, base_url=args.base_url)
    if args.json:
        _print_json(sandboxes)
        return 0
    if not sandboxes:
        print("No sandboxes.")
        return 0
    rows = [
        [
            s.get("sandbox_id", ""),
            s.get("status", ""),
            s.get("template", ""),
            _short_time(s.get("created_at")),
            _short_time(s.get("end_at")),
            ",".join(f"{k}={v}" for k, v in (s.get("metadata") or {}).items()),
        ]
        for s in sandboxes
    ]
    print(_table(rows, ["ID", "STATUS", "TEMPLATE", "CREATED", "ENDS", "METADATA"]))
    return 0


def _create_network(args: argparse.Namespace) -> Optional[Dict[str, List[str]]]:
    """``--allow-out`` / ``--deny-out`` of ``create`` as the ``network`` field (``None`` without either)."""
    network: Dict[str, List[str]] = {}
    if args.allow_out:
        network["allow_out"] = list(args.allow_out)
    if args.deny_out:
        network["deny_out"] = list(args.deny_out)
    return network or None


def cmd_create(args: argparse.Namespace) -> int:
    """``ai2in create``: creates a sandbox and prints its id."""
    sbx = Sandbox(
        args.template,
        api_key=args.api_key,
        base_url=args.base_url,
        timeout=args.timeout,
        metadata=_pairs(args.metadata, "metadata") or None,
        envs=_pairs(args.env, "env") or None,
        cpu_count=args.cpus,
        memory_mb=args.memory,
        preview_auth=args.preview_auth,
        allow_internet_access=not args.no_internet,
        network=_create_network(args),
    )
    if args.json:
        _print_json(sbx._info)
    else:
        print(sbx.id)
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    """``ai2in info ID``: one sandbox's state, lifetime, metadata and ports."""
    info = _connect(args, args.id)._info
    if args.json:
        _print_json(info)
    else:
        print(_describe(info))
    return 0


def network_change(current: Dict[str, Any], internet: Optional[bool], allow: Sequence[str], deny: Sequence[str],
                   clear_allow: bool, clear_deny: bool) -> Dict[str, Any]:
    """The body of ``POST …/network`` for ``ai2in network``: ``{}`` when nothing changes.

    A list that changes is sent whole: the ``--clear-…`` flag empties it
    first, then the rules given are added to it (a rule already there is
    not added twice).
    """
    body: Dict[str, Any] = {}
    if internet is not None:
        body["allow_internet_access"] = internet
    rules: Dict[str, List[str]] = {}
    for key, added, clear in (("allow_out", allow, clear_allow), ("deny_out", deny, clear_deny)):
        if not added and not clear:
            continue
        kept = [] if clear else [str(r) for r in current.get(key) or []]
        rules[key] = kept + [r for i, r in enumerate(added) if r not in kept and r not in added[:i]]
    if rules:
        body["network"] = rules
    return body


def cmd_network(args: argparse.Namespace) -> int:
    """``ai2in network ID``: prints the network policy in force; with options, changes it first."""
    sbx = _connect(args, args.id)
    internet = True if args.internet else False if args.no_internet else None
    body = network_change(sbx._info.get("network") or {}, internet, args.allow_out or [], args.deny_out or [],
                          args.clear_allow, args.clear_deny)
    info = sbx.update_network(body.get("allow_internet_access"), body.get("network")) if body else sbx._info
    network = info.get("network")
    if not isinstance(network, dict):
        raise SandboxError("The engine's answer has no network policy; it may predate per-sandbox networks.")
    if args.json:
        _print_json(network)
    else:
        print("\n".join(f"{name + ':':<10}{value}" for name, value in _network_lines(network)))
    return 0


def cmd_kill(args: argparse.Namespace) -> int:
    """``ai2in kill ID…``: destroys sandboxes."""
    client = _client(args)
    for sandbox_id in args.ids:
        client.json("DELETE", f"/v1/sandboxes/{sandbox_id}", timeout=120)
        if args.json:
            _print_json({"sandbox_id": sandbox_id, "killed": True})
        else:
            print(f"Killed {sandbox_id}.")
    return 0


def cmd_pause(args: argparse.Namespace) -> int:
    """``ai2in pause ID``: pauses a sandbox (files kept; ``--keep-memory`` freezes its processes)."""
    info = _connect(args, args.id).pause(keep_memory=args.keep_memory)
    if args.json:
        _print_json(info)
    else:
        how = "frozen with its memory" if info.get("pause_kind") == "freeze" else "processes stopped, files kept"
        print(f"Paused {args.id} ({how}).")
    return 0


def cmd_resume(args: argparse.Namespace) -> int:
    """``ai2in resume ID``: starts a paused sandbox again."""
    info = _connect(args, args.id).resume()
    if args.json:
        _print_json(info)
    else:
        print(f"Resumed {args.id}.")
    return 0


def cmd_host(args: argparse.Namespace) -> int:
    """``ai2in host ID PORT``: prints the preview URL of a port."""
    url = _connect(args, args.id).get_host(args.port, with_token=args.with_token)
    if args.json:
        _print_json({"port": args.port, "url": url})
    else:
        print(url)
    return 0


def _command_line(words: List[str]) -> str:
    if not words:
        raise UsageError("exec needs a command: ai2in exec ID -- CMD [ARG…]")
    # One word is taken as a shell line ("ls | wc -l"); several are quoted as separate words.
    return words[0] if len(words) == 1 else shlex.join(words)


def _feed_stdin(handle: CommandHandle) -> None:
    try:
        while True:
            chunk = os.read(sys.stdin.fileno(), 65536)
            if not chunk:
                break
            handle.send_stdin(chunk)
        handle.send_stdin(b"", eof=True)
    except (OSError, SandboxError):
        pass


def cmd_exec(args: argparse.Namespace) -> int:
    """``ai2in exec ID -- CMD…``: runs a command, streams its output and returns its exit code.

    The command starts in the background and its output is polled, so it
    shows while the command runs; piped stdin is forwarded, a terminal's is
    not (the command sees end of input). Ctrl+C kills the command.
    """
    cmd = _command_line(args.words)
    sbx = _connect(args, args.id)
    handle = sbx.commands.start(cmd, cwd=args.cwd, env=_pairs(args.env, "env") or None, user=args.user)
    try:
        interactive = sys.stdin.isatty()
    except (AttributeError, ValueError):
        interactive = True
    try:
        if interactive or sys.stdin.closed:
            handle.send_stdin(b"", eof=True)
        else:
            threading.Thread(target=_feed_stdin, args=(handle,), daemon=True).start()
    except SandboxError:
        pass  # it already ended
    sent = {"stdout": 0, "stderr": 0}
    streams = {"stdout": sys.stdout.buffer, "stderr": sys.stderr.buffer}
    interval = 0.02
    try:
        while True:
            logs = handle.logs()
            if not args.json:
                for name in ("stdout", "stderr"):
                    data = str(logs.get(name) or "").encode("utf-8")
                    if len(data) > sent[name]:
                        streams[name].write(data[sent[name]:])
                        streams[name].flush()
                    sent[name] = len(data)
            if logs.get("status") != "running":
                break
            time.sleep(interval)
            interval = min(interval * 1.5, 0.25)
    except KeyboardInterrupt:
        try:
            handle.kill()
        except SandboxError:
            pass
        return 130
    code = logs.get("exit_code")
    code = code if isinstance(code, int) else 1
    if args.json:
        _print_json({"command_id": handle.id, "stdout": logs.get("stdout", ""), "stderr": logs.get("stderr", ""),
                     "exit_code": code, "error": logs.get("error"), "status": logs.get("status")})
    elif logs.get("error"):
        print(f"ai2in: {cmd}: {logs['error']}", file=sys.stderr)
    return code if 0 <= code <= 255 else 1


def _split_remote(spec: str) -> Tuple[Optional[str], str]:
    """``sbx_…:path`` → (id, path); a local path → (None, path)."""
    head, sep, tail = spec.partition(":")
    if sep and head.startswith("sbx_") and "/" not in head:
        return head, tail or "."
    return None, spec


def cmd_cp(args: argparse.Namespace) -> int:
    """``ai2in cp SRC DST``: copies a file or a directory between this machine and a sandbox (``ID:PATH``).

    Like ``cp``, a destination that is an existing directory (or ends with
    ``/``) receives the source under its own name. ``-`` is stdin or stdout
    (single files only). Directories are copied whole, links and special
    files left out; a download goes at most 16 levels deep.
    """
    src_id, src = _split_remote(args.src)
    dst_id, dst = _split_remote(args.dst)
    if (src_id is None) == (dst_id is None):
        raise UsageError("cp copies between this machine and a sandbox: one side must be SANDBOX_ID:PATH")
    copied: List[Tuple[str, int]] = []
    if src_id is None:  # upload
        assert dst_id is not None
        files = _connect(args, dst_id).files
        name = "stdin" if src == "-" else os.path.basename(os.path.normpath(src))
        if dst in ("", ".", "~", "./", "~/"):
            dst = name
        elif dst.endswith("/") or _is_remote_dir(files, dst):
            dst = dst.rstrip("/") + "/" + name
        if src != "-" and os.path.isdir(src):
            files.make_dir(dst)
            for dirpath, dirnames, filenames in os.walk(src):
                rel = os.path.relpath(dirpath, src)
                base = dst if rel == "." else dst + "/" + rel.replace(os.sep, "/")
                for d in dirnames:
                    if not os.path.islink(os.path.join(dirpath, d)):
                        files.make_dir(base + "/" + d)
                for f in filenames:
                    local = os.path.join(dirpath, f)
                    if os.path.isfile(local) and not os.path.islink(local):
                        answer = _upload_local(files, base + "/" + f, local)
                        copied.append((str(answer.get("path")), int(answer.get("written", 0))))
        else:
            answer = files.upload(dst, sys.stdin.buffer) if src == "-" else _upload_local(files, dst, src)
            copied.append((str(answer.get("path")), int(answer.get("written", 0))))
        where = f"{dst_id}:"
    else:
        files = _connect(args, src_id).files
        info = files.get_info(src)
        if dst == "-":
            if info.get("type") == "dir":
                raise UsageError(f"{src} is a directory; it cannot go to stdout")
            with files.read(src, format="stream") as chunks:
                for piece in chunks:
                    sys.stdout.buffer.write(piece)
            sys.stdout.buffer.flush()
            return 0
        if os.path.isdir(dst):
            dst = os.path.join(dst, posixpath.basename(posixpath.normpath(src)) or "download")
        if info.get("type") == "dir":
            root = str(info.get("path") or src)
            _make_local_dir(dst)
            for entry in files.list(root, depth=16):
                rel = posixpath.relpath(str(entry.get("path")), root)
                local = os.path.join(dst, *rel.split("/"))
                if entry.get("type") == "dir":
                    _make_local_dir(local)
                elif entry.get("type") == "file":
                    _make_local_dir(os.path.dirname(local))
                    copied.append((local, _download_local(files, str(entry.get("path")), local)))
        else:
            copied.append((dst, _download_local(files, src, dst)))
        where = ""
    if args.json:
        _print_json([{"path": path if where else os.path.abspath(path), "written": n} for path, n in copied])
    elif len(copied) == 1:
        print(f"{copied[0][1]} bytes → {where}{copied[0][0]}")
    else:
        print(f"{len(copied)} files, {sum(n for _, n in copied)} bytes → {where}{dst}")
    return 0


def _upload_local(files: Files, remote: str, local: str) -> Dict[str, Any]:
    """Sends a local file as it is read (never whole in memory)."""
    try:
        f = open(local, "rb")
    except OSError as e:
        raise SandboxError(f"Cannot read {local}: {e.strerror}.") from None
    with f:
        return files.upload(remote, f)


def _download_local(files: Files, remote: str, local: str) -> int:
    """Writes a sandbox's file to a local one as it arrives; returns its size."""
    try:
        return int(files.download(remote, to=local))
    except OSError as e:
        raise SandboxError(f"Cannot write {local}: {e.strerror}.") from None


def _make_local_dir(path: str) -> None:
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise SandboxError(f"Cannot make the directory {path}: {e.strerror}.") from None


def _is_remote_dir(files: Files, path: str) -> bool:
    try:
        return files.get_info(path).get("type") == "dir"
    except NotFoundError:
        return False


def _entry_lines(entry: Dict[str, Any]) -> List[str]:
    """One activity entry as text: a head line, then a command's output, indented."""
    when = str(entry.get("time") or "")[11:23]
    kind = entry.get("kind")
    if kind == "command":
        status = entry.get("status")
        tail = f"exit {entry.get('exit_code')}" if status == "exited" else str(status)
        if entry.get("error"):
            tail = f"{entry['error']}, {tail}"
        bg = " &" if entry.get("background") else ""
        lines = [f"{when}  $ {entry.get('cmd')}{bg}   [{tail}]"]
        for name in ("stdout", "stderr"):
            text = str(entry.get(name) or "")
            lines += [f"{'':14}{'!' if name == 'stderr' else '|'} {line}" for line in text.splitlines()]
        return lines
    if kind == "code":
        lines = [f"{when}  >>> cell [{entry.get('outcome')}]"]
        lines += [f"{'':14}: {line}" for line in str(entry.get("code") or "").splitlines()]
        out = str(entry.get("stdout") or "") + (str(entry.get("result")) + "\n" if entry.get("result") else "")
        lines += [f"{'':14}| {line}" for line in out.splitlines()]
        error = entry.get("error")
        if isinstance(error, dict):
            lines.append(f"{'':14}! {error.get('name')}: {error.get('value')}")
        return lines
    if kind == "file":
        op = entry.get("op")
        what = f"{op} {entry.get('path')}"
        if op == "rename":
            what += f" → {entry.get('to')}"
        if op == "write":
            what += f" ({entry.get('bytes')} bytes)"
        return [f"{when}  file {what}"]
    if kind == "lifecycle":
        extra = [str(entry[k]) for k in ("pause_kind", "end_at", "reason") if entry.get(k)]
        return [f"{when}  {entry.get('event')}" + (f" ({', '.join(extra)})" if extra else "")]
    if kind == "pty":
        return [f"{when}  terminal {entry.get('pty_id')} {entry.get('event')}"]
    return [f"{when}  {kind}"]


def cmd_logs(args: argparse.Namespace) -> int:
    """``ai2in logs ID``: prints the activity log; ``--follow`` keeps polling until the sandbox is gone."""
    client = _client(args)
    path = f"/v1/sandboxes/{args.id}/activity"
    page = 500

    def emit(entry: Dict[str, Any]) -> None:
        if args.json:
            print(json.dumps(entry, sort_keys=True))
        else:
            print("\n".join(_entry_lines(entry)))

    after = 0
    # With --follow, an entry still changing (a running command) is shown once it has ended;
    # the cursor moves on meanwhile and each waiting entry is read again on its own.
    waiting: List[int] = []
    try:
        while True:
            try:
                answer = client.json("GET", path, query={"after": after, "limit": page})
                entries = answer.get("entries") or []
                running = set(answer.get("running") or [])
                for entry in entries:
                    if args.follow and entry.get("seq") in running:
                        waiting.append(int(entry["seq"]))
                    else:
                        emit(entry)
                after = int(answer.get("next_after") or after)
                if not args.follow:
                    sys.stdout.flush()
                    if len(entries) < page:
                        return 0
                    continue
                for seq in list(waiting):
                    again = client.json("GET", path, query={"after": seq - 1, "limit": 1})
                    found = [e for e in again.get("entries") or [] if e.get("seq") == seq]
                    if not found:  # dropped from the bounded log
                        waiting.remove(seq)
                    elif seq not in set(again.get("running") or []):
                        emit(found[0])
                        waiting.remove(seq)
            except NotFoundError:
                if not args.follow:
                    raise
                if not args.json:
                    print(f"({args.id} is gone)")
                return 0
            sys.stdout.flush()
            if len(entries) < page:
                time.sleep(args.interval)
    except KeyboardInterrupt:
        return 0


_CHANGE_MARKS = {"added": "A", "modified": "M", "deleted": "D"}


def _printable(path: str) -> str:
    """A path on one line: control characters (a newline in a name) as ``\\xNN``."""
    return "".join(c if c >= " " and c != "\x7f" else f"\\x{ord(c):02x}" for c in path)


def change_line(change: Dict[str, Any]) -> str:
    """One change as ``ai2in diff`` prints it: ``A  /path``, a ``/`` after a directory, ``-> target`` after a link."""
    mark = _CHANGE_MARKS.get(str(change.get("change")), "?")
    line = f"{mark}  {_printable(str(change.get('path')))}"
    if change.get("type") == "dir":
        line += "/"
    target = change.get("symlink_target")
    if change.get("type") == "symlink" and target is not None:
        line += f" -> {_printable(str(target))}"
    return line


def cmd_diff(args: argparse.Namespace) -> int:
    """``ai2in diff ID [PATH]``: what the sandbox added, modified and deleted against its template.

    ``--patch`` writes the text changes as one unified diff instead, byte for
    byte, so ``ai2in diff ID --patch > x.patch`` can be applied with ``git
    apply -p1`` from ``/``. ``--archive OUT`` writes the added and modified
    paths as a tar (gzipped when OUT ends in ``.tar.gz`` or ``.tgz``; ``-``
    for standard output), with the list of changes as its last member.
    """
    if args.patch and args.json:
        raise UsageError("--patch writes a unified diff; it does not go with --json")
    if args.patch and args.limit is not None:
        raise UsageError("--limit applies to the list of changes, not to --patch")
    if args.archive is not None and (args.patch or args.json or args.limit is not None):
        raise UsageError("--archive writes a tar; it does not go with --patch, --json or --limit")
    client = _client(args)
    if args.archive is not None:
        gzip = args.archive.endswith((".tar.gz", ".tgz"))
        if args.archive == "-":
            sys.stdout.buffer.write(Files(client, args.id).changes_archive(args.path))
            sys.stdout.buffer.flush()
            return 0
        size = Files(client, args.id).changes_archive(args.path, gzip=gzip, to=args.archive)
        print(f"Wrote {args.archive} ({size} bytes).", file=sys.stderr)
        return 0
    if args.patch:
        _, payload, _ = client.request("GET", f"/v1/sandboxes/{args.id}/changes/patch",
                                       query={"path": args.path}, timeout=300)
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return 0
    files = Files(client, args.id)
    changes = files.changes(args.path, limit=args.limit)
    note = (f"(truncated: only the first {len(changes)} changes are listed; "
            "name a PATH or raise --limit to see the rest)")
    if args.json:
        _print_json(list(changes))
        if changes.truncated:
            print(f"ai2in diff: {note}", file=sys.stderr)
        return 0
    for change in changes:
        print(change_line(change))
    if changes.truncated:
        print(note)
    return 0


def cmd_shell(args: argparse.Namespace) -> int:
    """``ai2in shell ID``: an interactive terminal in the sandbox (see :mod:`ai2in._shell`)."""
    from ._shell import shell_main

    if not os.isatty(sys.stdin.fileno()):
        raise UsageError("shell needs a terminal on stdin (use exec for scripts)")
    sbx = _connect(args, args.id)
    if args.attach:
        handle = sbx.pty.connect(args.attach)
        created = False
    else:
        try:
            size = os.get_terminal_size(sys.stdin.fileno())
            cols, rows = size.columns, size.lines
        except OSError:
            cols, rows = 80, 24
        env = {"TERM": os.environ.get("TERM") or "xterm-256color"}
        handle = sbx.pty.start(cols=cols, rows=rows, env=env, user=args.user, cwd=args.cwd, cmd=args.cmd)
        created = True
    return shell_main(handle, sbx.id, created)


# -- parser ------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser (every command and option)."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS lets the options stand before or after the command name.
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON for scripts")
    common.add_argument("--api-key", default=argparse.SUPPRESS, metavar="KEY", help="API key (default: $AI2IN_API_KEY, then the local engine's)")
    common.add_argument("--base-url", default=argparse.SUPPRESS, metavar="URL", help="engine address (default: $AI2IN_BASE_URL, then http://127.0.0.1:7300)")

    parser = argparse.ArgumentParser(
        prog="ai2in",
        parents=[common],
        description="Create and use sandboxes on an ai2in engine.",
        epilog="ai2in COMMAND --help describes a command.",
    )
    parser.add_argument("--version", action="version", version=f"ai2in {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    p = add("list", "list sandboxes (running, paused and in error)")
    p.add_argument("--state", metavar="STATES", help="running, paused, error, or several: running,paused")
    p.add_argument("--metadata", action="append", metavar="K=V", help="only sandboxes with this tag (repeatable)")
    p.set_defaults(func=cmd_list)

    p = add("create", "create a sandbox and print its id")
    p.add_argument("--template", default="base", help="template (default: base)")
    p.add_argument("--timeout", type=int, metavar="SECONDS", help="hard lifetime, 1 … 86400 s")
    p.add_argument("--metadata", action="append", metavar="K=V", help="a tag (repeatable)")
    p.add_argument("--env", action="append", metavar="K=V", help="an environment variable for every command (repeatable)")
    p.add_argument("--cpus", type=int, help="CPU quota (default: the engine's, 2 unless it was started otherwise)")
    p.add_argument("--memory", type=int, metavar="MIB", help="memory limit (default: 512)")
    p.add_argument("--preview-auth", action="store_true",
                   help="previews answer only requests with the sandbox's preview token (see 'host --with-token')")
    p.add_argument("--no-internet", action="store_true",
                   help="close every destination but those of --allow-out")
    p.add_argument("--allow-out", action="append", metavar="RULE",
                   help="open a destination: IPv4 address, CIDR, host name or *.domain (repeatable; wins over --deny-out)")
    p.add_argument("--deny-out", action="append", metavar="RULE",
                   help="close a destination, e.g. 0.0.0.0/0 for all (repeatable)")
    p.set_defaults(func=cmd_create)

    p = add("info", "show a sandbox")
    p.add_argument("id")
    p.set_defaults(func=cmd_info)

    p = add("network", "show a sandbox's network policy, or change it (at once, running or paused)")
    p.add_argument("id")
    internet = p.add_mutually_exclusive_group()
    internet.add_argument("--internet", action="store_true", help="open destinations no rule names")
    internet.add_argument("--no-internet", action="store_true", help="close destinations --allow-out does not open")
    p.add_argument("--allow-out", action="append", metavar="RULE", help="add a rule to the allow list (repeatable)")
    p.add_argument("--deny-out", action="append", metavar="RULE", help="add a rule to the deny list (repeatable)")
    p.add_argument("--clear-allow", action="store_true", help="empty the allow list first")
    p.add_argument("--clear-deny", action="store_true", help="empty the deny list first")
    p.set_defaults(func=cmd_network)

    p = add("kill", "destroy sandboxes and their files")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.set_defaults(func=cmd_kill)

    p = add("pause", "pause a sandbox (its files are kept)")
    p.add_argument("id")
    p.add_argument("--keep-memory", action="store_true", help="freeze the processes instead of stopping them")
    p.set_defaults(func=cmd_pause)

    p = add("resume", "start a paused sandbox again")
    p.add_argument("id")
    p.set_defaults(func=cmd_resume)

    p = add("host", "print the preview URL of a port")
    p.add_argument("id")
    p.add_argument("port", type=int)
    p.add_argument("--with-token", action="store_true",
                   help="for a sandbox created with --preview-auth: the URL that lets a browser in")
    p.set_defaults(func=cmd_host)

    p = add("exec", "run a command, stream its output, exit with its exit code")
    p.add_argument("id")
    p.add_argument("--cwd", help="working directory (relative to the home)")
    p.add_argument("--env", action="append", metavar="K=V", help="an environment variable (repeatable)")
    p.add_argument("--user", help="run as this user (default: sandbox)")
    # main() takes everything after "--" as the command; words without "--" land here.
    p.add_argument("words", nargs="*", metavar="-- CMD [ARG…]")
    p.set_defaults(func=cmd_exec)

    p = add("cp", "copy a file to or from a sandbox (SANDBOX_ID:PATH on one side; - is stdin/stdout)")
    p.add_argument("src")
    p.add_argument("dst")
    p.set_defaults(func=cmd_cp)

    p = add("logs", "show what was done in a sandbox (its activity log)")
    p.add_argument("id")
    p.add_argument("-f", "--follow", action="store_true", help="keep printing new entries")
    p.add_argument("--interval", type=float, default=1.0, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_logs)

    p = add("diff", "show what a sandbox changed against its template (A added, M modified, D deleted)")
    p.add_argument("id")
    p.add_argument("path", nargs="?", default="/", metavar="PATH", help="only changes under this path (default: /)")
    p.add_argument("--patch", action="store_true",
                   help="print the text changes as one unified diff (git apply -p1 takes it from /)")
    p.add_argument("--limit", type=int, metavar="N", help="list at most N changes (1 … 100000; default: 10000)")
    p.add_argument("--archive", metavar="OUT",
                   help="write the added and modified paths as a tar to OUT (.tar.gz or .tgz: gzipped; -: stdout), "
                        "the list of changes, deletions included, as its member .ai2in-changes.txt")
    p.set_defaults(func=cmd_diff)

    p = add("shell", "open an interactive terminal in a sandbox (Ctrl+] detaches)")
    p.add_argument("id")
    p.add_argument("--attach", metavar="PTY_ID", help="return to a terminal left running by a detach")
    p.add_argument("--user", help="log in as this user (default: sandbox)")
    p.add_argument("--cwd", help="start in this directory")
    p.add_argument("--cmd", help="run this instead of the login shell")
    p.set_defaults(func=cmd_shell)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line with ``argv`` (default: ``sys.argv[1:]``) and returns the exit status."""
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    after: Optional[List[str]] = None
    if "--" in words:
        cut = words.index("--")
        words, after = words[:cut], words[cut + 1:]
    args = parser.parse_args(words)
    if after is not None:
        if getattr(args, "command", None) != "exec":
            parser.error("only exec takes a command after --")
        args.words = list(getattr(args, "words", [])) + after
    for name, default in (("json", False), ("api_key", None), ("base_url", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except UsageError as e:
        print(f"ai2in {args.command}: {e}", file=sys.stderr)
        return 2
    except SandboxError as e:
        print(f"ai2in: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`ai2in logs ID | head`): quiet, and nothing left to flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
