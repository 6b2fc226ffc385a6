# SPDX-License-Identifier: GPL-3.0-or-later
"""ai2in kernel driver: one Jupyter kernel, spoken to through JSON lines.

The agent starts this script as the sandbox user and writes one request per
line on stdin:
  {"id": ..., "op": "run", "code": "...", "timeout_ms": N}
  {"id": ..., "op": "interrupt"}
  {"id": ..., "op": "restart"}
and reads one event per line on stdout:
  {"id": ..., "type": "stdout"|"stderr", "text": ...}
  {"id": ..., "type": "result", "result": {...}}
  {"id": ..., "type": "error", "error": {"name", "value", "traceback"}}
  {"id": ..., "type": "end", "execution_count": N}
Every request ends with an "end" event. Before the first request is read the
driver says {"type": "ready"} or {"type": "fatal", "message": ...} and exits.
Whenever the kernel (re)starts, the driver says {"type": "ports", "ports":
[N, ...]}: the TCP ports the kernel listens on itself.
"""

import json
import os
import queue
import re
import signal
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
MIME = (
    ("text/plain", "text"),
    ("text/html", "html"),
    ("text/markdown", "markdown"),
    ("image/svg+xml", "svg"),
    ("image/png", "png"),
    ("image/jpeg", "jpeg"),
    ("application/pdf", "pdf"),
    ("text/latex", "latex"),
    ("application/json", "json"),
    ("application/javascript", "javascript"),
)
INTERRUPT_GRACE_S = 3.0
READY_TIMEOUT_S = 60.0
# What `python3 -m ipykernel_launcher` does, without the debugger's import:
# ipykernel imports debugpy at start for JupyterLab's debugger panel, which
# run_code never uses, and that import is a fifth of a cold start.
# `-m` puts the working directory first on sys.path, `-c` puts '': match it.
FAST_LAUNCH = ("import os, sys; sys.modules['debugpy'] = None; "
               "sys.path[:1] = [os.getcwd()] if sys.path[:1] == [''] else sys.path[:1]; "
               "from ipykernel import kernelapp; kernelapp.launch_new_instance()")


# The events get a private copy of stdout; fd 1 itself becomes stderr, so
# nothing else (the kernel, its children, C libraries) can write into the
# agent's JSON channel.
EVENTS = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)


def emit(event):
    EVENTS.write(json.dumps(event, ensure_ascii=False) + "\n")
    EVENTS.flush()


def bundle(data, is_main):
    result = {key: None for _, key in MIME}
    for mime, key in MIME:
        if mime in data:
            value = data[mime]
            if key == "json":
                result[key] = value
            elif isinstance(value, list):
                result[key] = "".join(value)
            else:
                result[key] = value
    result["is_main_result"] = is_main
    return result


class Kernel:
    """The ipykernel process, started by hand rather than by jupyter_client.

    Writing the connection file ourselves lets the kernel (a second of
    imports) start before this driver imports jupyter_client (a third of a
    second): the two overlap, which is most of what a cold start can save.
    """

    def __init__(self):
        self.proc = None
        self.connection_file = None
        self.socket_dir = None

    def start(self):
        import subprocess
        import tempfile

        # Unix sockets (zmq's ipc transport), not TCP: the kernel's five
        # sockets are then no listening ports, so they never show up as the
        # sandbox's ports (nor as preview URLs), and only processes that can
        # open this private directory can reach them.
        self.socket_dir = tempfile.mkdtemp(prefix="ai2in-kernel-")
        info = {"transport": "ipc", "ip": os.path.join(self.socket_dir, "k"), "shell_port": 1, "iopub_port": 2,
                "stdin_port": 3, "control_port": 4, "hb_port": 5,
                "key": os.urandom(16).hex(), "signature_scheme": "hmac-sha256", "kernel_name": "python3"}
        self.connection_file = os.path.join(self.socket_dir, "connection.json")
        with open(self.connection_file, "w") as f:
            json.dump(info, f)
        env = dict(os.environ)
        env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # The kernel exits by itself when this driver dies.
        env["JPY_PARENT_PID"] = str(os.getpid())
        # No history database: faster start, and no sqlite lock between restarts.
        argv = [sys.executable or "python3", "-c", FAST_LAUNCH, "-f", self.connection_file,
                "--HistoryManager.enabled=False"]
        # Its own session, so an interrupt reaches the kernel's whole group
        # and nothing the agent's group receives.
        self.proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, start_new_session=True)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def listening_ports(self):
        """The TCP ports the kernel itself listens on: ipykernel binds one on
        127.0.0.1 for the output of forked subprocesses. The agent leaves
        them out of the sandbox's ports, where they would look like a
        server of the user's."""
        fd_dir = "/proc/%d/fd" % self.proc.pid
        inodes = set()
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            return []
        for fd in fds:
            try:
                link = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[len("socket:["):-1])
        ports = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(table) as f:
                    next(f, None)
                    for line in f:
                        cols = line.split()
                        # local address "HEX:PORT", state 0A = LISTEN, inode
                        if len(cols) > 9 and cols[3] == "0A" and cols[9] in inodes:
                            ports.add(int(cols[1].rsplit(":", 1)[1], 16))
            except OSError:
                pass
        return sorted(ports)

    def signal(self, signum):
        if self.alive():
            try:
                os.killpg(self.proc.pid, signum)
            except ProcessLookupError:
                pass

    def interrupt(self):
        self.signal(signal.SIGINT)

    def stop(self):
        if self.proc is not None:
            self.signal(signal.SIGKILL)
            self.proc.wait()
            self.proc = None
        if self.connection_file:
            import shutil

            shutil.rmtree(self.socket_dir, ignore_errors=True)
            self.connection_file = None


class Driver:
    def __init__(self):
        self.kernel = Kernel()
        self.kc = None
        self.inbox = b""
        self.queue = []
        self.stdin_open = True

    # -- kernel lifecycle -------------------------------------------------

    def start(self):
        self.kernel.start()
        self.connect()

    def connect(self):
        from jupyter_client.blocking import BlockingKernelClient

        import zmq

        self.kc = BlockingKernelClient(connection_file=self.kernel.connection_file)
        self.kc.load_connection_file()
        # The client usually connects before the kernel has bound its ports;
        # retry every 10 ms rather than zmq's 100 so the first contact is not
        # late by up to a tenth of a second.
        self.kc.context.setsockopt(zmq.RECONNECT_IVL, 10)
        self.kc.start_channels()
        self.wait_for_ready()
        emit({"type": "ports", "ports": self.kernel.listening_ports()})

    def wait_for_ready(self):
        # jupyter_client's own wait ends with 0.2 s of listening for silence
        # on IOPub; a cold start is the first thing a user waits for, and
        # runs filter IOPub by their own request anyway. Ready is: the kernel
        # answered kernel_info, and one IOPub message showed that channel up.
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if not self.kernel.alive():
                raise RuntimeError("the kernel exited while starting")
            self.kc.kernel_info()
            # Any kernel_info reply will do: a kernel slower than the wait
            # answers an earlier request, and matching ids would keep this
            # loop one reply behind for ever.
            reply = self.next_message(self.kc.get_shell_msg, 1.0)
            if reply is None or reply.get("msg_type") != "kernel_info_reply":
                continue
            if self.next_message(self.kc.get_iopub_msg, 1.0) is not None:
                return
        raise RuntimeError("the kernel did not become ready within %d s" % READY_TIMEOUT_S)

    def restart(self):
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        self.kernel.stop()
        self.start()

    def shutdown(self):
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        finally:
            self.kernel.stop()

    # -- requests ---------------------------------------------------------

    def read_requests(self, wait_s):
        """Reads what stdin has within wait_s; returns the requests."""
        import select

        if not self.stdin_open:
            time.sleep(wait_s)
            return []
        ready, _, _ = select.select([0], [], [], wait_s)
        if not ready:
            return []
        chunk = os.read(0, 65536)
        if not chunk:
            self.stdin_open = False
            return []
        self.inbox += chunk
        out = []
        while b"\n" in self.inbox:
            line, self.inbox = self.inbox.split(b"\n", 1)
            if not line.strip():
                continue
            try:
                request = json.loads(line)
            except ValueError:
                emit({"type": "invalid", "message": "The driver got a line that is not JSON."})
                continue
            if isinstance(request, dict):
                out.append(request)
        return out

    @staticmethod
    def next_message(get, timeout):
        try:
            return get(timeout=timeout)
        except queue.Empty:
            return None

    def take(self, requests):
        """Handles interrupts at once; queues the rest."""
        for request in requests:
            if request.get("op") == "interrupt":
                self.kernel.interrupt()
                emit({"id": request.get("id"), "type": "end"})
            else:
                self.queue.append(request)

    def serve(self):
        while self.stdin_open or self.queue:
            if not self.queue:
                self.take(self.read_requests(1.0))
                continue
            request = self.queue.pop(0)
            op = request.get("op")
            if op == "run":
                self.run(request)
            elif op == "restart":
                self.restart()
                emit({"id": request.get("id"), "type": "end"})
            else:
                emit({"id": request.get("id"), "type": "error",
                      "error": {"name": "ValueError", "value": "Unknown driver op: %r." % (op,), "traceback": ""}})
                emit({"id": request.get("id"), "type": "end", "execution_count": None})

    def run(self, request):
        rid = request.get("id")
        code = request.get("code")
        timeout_s = max(0.001, float(request.get("timeout_ms") or 300000) / 1000.0)
        # Cells reach the kernel one at a time, so there is never a queue for
        # the kernel to drop after an error; and with stop_on_error a cell
        # sent a moment after an error (or an interrupt) could be skipped.
        msg_id = self.kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=False)
        deadline = time.monotonic() + timeout_s
        interrupted_at = None
        timed_out = False
        replied = idle = False
        count = None
        while not (replied and idle):
            now = time.monotonic()
            if not timed_out and now >= deadline:
                timed_out = True
                interrupted_at = now
                self.kernel.interrupt()
            if timed_out and now - interrupted_at > INTERRUPT_GRACE_S:
                # The kernel ignores SIGINT (a C extension holding it): a
                # fresh kernel is the only way back.
                self.restart()
                break
            restart_requested = False
            for pending in self.read_requests(0):
                if pending.get("op") == "restart":
                    restart_requested = True
                self.take([pending])
            if restart_requested:
                self.queue = [r for r in self.queue if r.get("op") == "restart"][:1] + \
                             [r for r in self.queue if r.get("op") != "restart"]
                emit({"id": rid, "type": "error",
                      "error": {"name": "KernelRestarted",
                                "value": "The kernel was restarted before the execution finished.",
                                "traceback": ""}})
                emit({"id": rid, "type": "end", "execution_count": count})
                return
            if not self.kernel.alive():
                emit({"id": rid, "type": "error",
                      "error": {"name": "KernelDied", "value": "The kernel died during the execution; it was restarted.",
                                "traceback": ""}})
                self.restart()
                emit({"id": rid, "type": "end", "execution_count": count})
                return
            wait = 0.05 if timed_out else min(0.05, max(0.0, deadline - now))
            msg = self.next_message(self.kc.get_iopub_msg, 0 if idle else wait)
            if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                kind = msg["msg_type"]
                content = msg["content"]
                if kind == "status":
                    idle = idle or content.get("execution_state") == "idle"
                elif kind == "stream":
                    emit({"id": rid, "type": "stderr" if content.get("name") == "stderr" else "stdout",
                          "text": content.get("text", "")})
                elif kind in ("execute_result", "display_data"):
                    emit({"id": rid, "type": "result",
                          "result": bundle(content.get("data", {}), kind == "execute_result")})
                elif kind == "error" and not timed_out:
                    emit({"id": rid, "type": "error", "error": {
                        "name": content.get("ename", ""),
                        "value": content.get("evalue", ""),
                        "traceback": ANSI.sub("", "\n".join(content.get("traceback", []))),
                    }})
            # The reply usually comes just before "idle"; wait for it once idle.
            reply = self.next_message(self.kc.get_shell_msg, wait if idle and msg is None else 0)
            if reply is not None and reply["parent_header"].get("msg_id") == msg_id:
                replied = True
                count = reply["content"].get("execution_count")
                if reply["content"].get("status") == "aborted":
                    emit({"id": rid, "type": "error", "error": {
                        "name": "ExecutionAborted",
                        "value": "The kernel skipped this cell after an error in an earlier one.",
                        "traceback": ""}})
        if timed_out:
            emit({"id": rid, "type": "error", "error": {
                "name": "TimeoutError",
                "value": "The execution did not finish within %d ms and was interrupted." % int(timeout_s * 1000),
                "traceback": ""}})
        emit({"id": rid, "type": "end", "execution_count": count})


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        driver = Driver()
        driver.start()
    except Exception as e:
        emit({"type": "fatal", "message": "%s: %s" % (type(e).__name__, e)})
        return 1
    emit({"type": "ready"})
    try:
        driver.serve()
    finally:
        driver.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
