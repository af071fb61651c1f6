"""`podpora serve` as a vendor runs it: gunicorn with several processes, the worker and the
scheduler; /metrics adds up every process; SIGTERM stops every process it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for kid in map(int, kids):
                if kid not in found:
                    found.add(kid)
                    todo.append(kid)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has finished; only its exit status is left


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # its own SQLite database under tmp_path
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(PODPORA_DATA_DIR=str(tmp_path / "data"), PODPORA_LOG_FORMAT="kv")
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "podpora.cli", "serve", "--addr", f"127.0.0.1:{port}"]
        + ["--workers", "3"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
        assert proc.poll() is None, Path(log.name).read_text()
    else:
        proc.kill()
        pytest.fail("serve did not answer in 120 s:\n" + Path(log.name).read_text())
    yield proc, base, Path(log.name)
    if proc.poll() is None:
        for pid in descendants(proc.pid):
            os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait()


def test_serve_counts_across_processes_and_sigterm_stops_every_child(served):
    proc, base, log = served
    children = descendants(proc.pid)
    # gunicorn's master and 3 web processes, the task worker, the scheduler
    assert len(children) >= 6, children
    with ThreadPoolExecutor(8) as pool:  # at once, so that several processes answer
        statuses = list(pool.map(lambda _: get(f"{base}/healthz")[0], range(40)))
    assert statuses == [200] * 40
    status, css = get(f"{base}/static/podpora.css")
    assert status == 200 and css  # static files through WhiteNoise
    status, text = get(f"{base}/metrics")
    assert status == 200
    line = 'podpora_http_requests_total{method="GET",status="200",view="healthz"}'
    counted = [float(x.rsplit(" ", 1)[1]) for x in text.splitlines() if x.startswith(line)]
    assert counted == [41.0]  # the readiness probe and 40 more, whichever process served them
    assert "podpora_tasks_ready" in text
    lines = log.read_text()
    served_by = {w.split("=")[1] for w in lines.split() if w.startswith("pid=")}
    assert len(served_by) >= 2, "the requests should have reached several web processes"
    assert "view=healthz status=200" in lines

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    time.sleep(0.5)
    left = [pid for pid in children if alive(pid)]
    assert left == [], log.read_text()
