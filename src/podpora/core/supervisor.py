"""Runs a few long-lived child processes as one service and stops all of them together.

`podpora serve` starts gunicorn (which forks the web processes), the task worker(s) and the
scheduler through this. Each child gets its own process group, so that a Ctrl-C in the
terminal reaches only us and every child is stopped the same orderly way; each is also told by
the kernel to stop should we die without cleaning up (Linux: PR_SET_PDEATHSIG). On SIGTERM or
SIGINT each child receives SIGTERM and may finish what it is doing; whatever is still running
after the grace period is killed with its whole group. If one child dies on its own, the
others are stopped too and we exit non-zero, so that systemd (or whoever started us) restarts
the service whole.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field

log = logging.getLogger("podpora.serve")
PR_SET_PDEATHSIG = 1


def _child_setup() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the process group still lets us stop it
        pass


@dataclass
class Supervisor:
    commands: dict[str, list[str]]
    env: dict[str, str] | None = None
    grace: float = 25.0
    children: dict[str, subprocess.Popen] = field(default_factory=dict)
    stopping: bool = False

    def start(self) -> None:
        for name, argv in self.commands.items():
            self.children[name] = subprocess.Popen(
                argv, env=self.env, start_new_session=True, preexec_fn=_child_setup
            )
            log.info("started %s (pid %s)", name, self.children[name].pid)

    def request_stop(self, signum=None, frame=None) -> None:
        self.stopping = True

    def run(self) -> int:
        """Start everything, wait for a signal or a child's death, stop everything."""
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        self.start()
        code = 0
        try:
            while not self.stopping:
                dead = [(n, c.returncode) for n, c in self.children.items() if c.poll() is not None]
                if dead:
                    for name, rc in dead:
                        log.error("%s stopped on its own (exit %s); stopping the rest", name, rc)
                    code = 1
                    break
                time.sleep(0.2)
        finally:
            self.stop()
        return code

    def stop(self) -> None:
        for name, child in self.children.items():
            if child.poll() is None:
                log.info("stopping %s (pid %s)", name, child.pid)
                _signal_quietly(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for name, child in self.children.items():
            if child.poll() is None:
                log.warning("%s did not stop in %.0f s: killed", name, self.grace)
            # The whole group: a web process whose master is gone is stopped too.
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            child.wait()


def _signal_quietly(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass
