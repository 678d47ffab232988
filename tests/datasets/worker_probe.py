"""A stand-in for one app worker process (run by test_watcher.py): watch the published generation.

    python -m tests... worker_probe.py URL MODE TIMEOUT

Prints ``ready <generation>`` once it has asked the database, then ``switched <version> <generation>
<seconds after the change was first possible>`` when the published generation changes, or ``timeout``.
MODE ``fork``: the process warms its Watcher and the engine first, then forks and the CHILD does the
watching (as a pre-loading server forks its workers) — it must not reuse the parent's connection or cache.
"""

from __future__ import annotations

import os
import sys
import time

from dashboard.datasets import Watcher, db


def watch(watcher: Watcher, timeout: float) -> int:
    start = watcher.current()
    print(f"ready {start.generation}", flush=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = watcher.current()
        if now.generation != start.generation:
            print(f"switched {now.version_id} {now.generation} {time.time():.3f}", flush=True)
            return 0
        time.sleep(0.05)
    print("timeout", flush=True)
    return 1


def main() -> int:
    url, mode, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    watcher = Watcher(url)
    if mode != "fork":
        return watch(watcher, timeout)
    watcher.current()  # the parent holds a cached value and a pooled connection
    with db.get_engine(url).connect():
        pass
    pid = os.fork()
    if pid == 0:
        if db._engines or watcher._value is not None:  # the at-fork hooks must have dropped both
            print("inherited the parent's engine or cache", flush=True)
            os._exit(3)
        code = watch(watcher, timeout)
        sys.stdout.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
