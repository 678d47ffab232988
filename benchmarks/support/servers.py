"""Start, probe and stop gunicorn servers for the benchmark; memory of their worker processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANCHORS = ROOT / "benchmarks" / "anchors"
CONFIG = "python:dashboard.serving.gunicorn_conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    base: str
    log_path: Path
    workers: int
    started: float = field(default_factory=time.perf_counter)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start(name: str, app: str, workers: int, var_dir: Path, threads: int | None = None,
          extra_env: dict[str, str] | None = None) -> Server:
    """``gunicorn -c dashboard.serving.gunicorn_conf -w N <app>`` on a free loopback port (not yet ready);
    ``extra_env`` adds environment variables (e.g. ``MIPEXR_DATA_DIR`` for another data package)."""
    port = free_port()
    env = dict(os.environ, **(extra_env or {}))
    env.update({"MIPEXR_VAR_DIR": str(var_dir), "MIPEXR_EXPOSE_WORKER": "1", "HOST": "127.0.0.1", "PORT": str(port),
                "MIPEXR_WORKERS": str(workers), "PYTHONPATH": os.pathsep.join([str(ROOT), str(ANCHORS)])})
    env.pop("MIPEXR_DB_URL", None)
    env.pop("MIPEXR_EXPORT_PREWARM", None)
    if threads:
        env["MIPEXR_THREADS"] = str(threads)
    log = Path(tempfile.mkstemp(prefix=f"mipexr-bench-{name}-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", CONFIG, app], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    return Server(name, proc, f"http://127.0.0.1:{port}", log, workers)


def _ready(server: Server) -> bool:
    if server.proc.poll() is not None:
        raise RuntimeError(f"{server.name} exited ({server.proc.returncode}): {server.log_tail()}")
    try:
        with urllib.request.urlopen(server.base + "/healthz", timeout=5) as resp:
            return resp.status == 200 and len(worker_pids(server.proc.pid)) >= server.workers
    except OSError:
        return False


def wait_ready(*pending: Server, timeout: float = 240) -> dict[str, float]:
    """Seconds from start until ``/healthz`` answered 200 with every worker running, per server name."""
    deadline = time.perf_counter() + timeout
    done: dict[str, float] = {}
    todo = list(pending)
    while todo and time.perf_counter() < deadline:
        for server in list(todo):
            if _ready(server):
                done[server.name] = time.perf_counter() - server.started
                todo.remove(server)
        time.sleep(0.25)
    if todo:
        raise RuntimeError(f"{todo[0].name} not ready after {timeout:.0f} s: {todo[0].log_tail()}")
    return done


def stop(server: Server, timeout: float = 40) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()
    try:
        server.log_path.unlink()
    except OSError:
        pass


def worker_pids(master: int) -> list[int]:
    """Child processes of ``master`` (gunicorn's workers), from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master:
            pids.append(int(entry))
    return sorted(pids)


def memory_mb(pid: int) -> tuple[float, float | None]:
    """(RSS, PSS) of a process in MB; PSS splits the pages shared with the master (preload) between sharers."""
    rss = pss = None
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss
