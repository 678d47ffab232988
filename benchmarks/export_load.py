"""A cheap request's latency while heavy exports run: a CSV download, idle and under 8 concurrent brief renders.

The app is served in this process by waitress on loopback (8 threads, as ``python -m dashboard serve``).
Eight client threads keep asking for uncached PDF briefs (each a different set of regions, so the export
cache never answers; a 503 "busy" is waited out for its ``Retry-After``/10 and asked again), while one client
times CSV downloads (``/export/data.csv?view=ranking``). Printed as ``name: value unit`` lines:

* the CSV's median and 90th-percentile latency idle and under load, and the ratio loaded/idle (goal ≤ 3×);
* how many briefs were made and how many times the pool said "busy";
* the anchor, in the same process: the same load with a pool as large as the server's thread count (8
  workers, no waiting line), i.e. what happens when every request thread renders — the old behaviour.

Usage::

    .venv/bin/python benchmarks/export_load.py [--seconds 20] [--clients 8] [--samples 25]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CSV_PATH = "/export/data.csv?view=ranking&measure=overall&page=/explore"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 300) -> tuple[int, float, dict]:
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status, time.perf_counter() - t0, dict(r.headers)
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, time.perf_counter() - t0, dict(exc.headers)


def csv_latencies(base: str, samples: int, gap: float = 0.15) -> list[float]:
    out = []
    for _ in range(samples):
        status, seconds, _ = _get(base + CSV_PATH)
        assert status == 200, f"CSV answered {status}"
        out.append(seconds)
        time.sleep(gap)
    return out


def brief_ids(dataset):
    """Region sets no brief has been made for yet: single regions, then pairs, then triples."""
    ids = list(dataset.regions["region_id"])
    combos = [c for n in (1, 2, 3) for c in itertools.combinations(ids, n)]
    return iter(combos)


class Load:
    """``clients`` threads asking for uncached briefs until stopped."""

    def __init__(self, base: str, combos, clients: int):
        self.base, self.combos, self.clients = base, combos, clients
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.made = self.busy = self.other = 0
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def _next(self):
        with self.lock:
            return next(self.combos, None)

    def _run(self) -> None:
        while not self.stop.is_set():
            ids = self._next()
            if ids is None:
                return
            while not self.stop.is_set():
                status, _, headers = _get(f"{self.base}/brief/{','.join(ids)}.pdf")
                with self.lock:
                    if status == 200:
                        self.made += 1
                    elif status == 503:
                        self.busy += 1
                    else:
                        self.other += 1
                if status != 503:
                    break
                time.sleep(int(headers.get("Retry-After", "5")) / 10)  # a client that waits a little, then asks again

    def __enter__(self):
        for t in self.threads:
            t.start()
        time.sleep(1.0)  # let the renders start
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=300)


def measure(base: str, combos, clients: int, samples: int) -> tuple[list[float], Load]:
    with Load(base, combos, clients) as load:
        loaded = csv_latencies(base, samples)
    return loaded, load


def _ms(values: list[float], q: float | None = None) -> float:
    if q is None:
        return statistics.median(values) * 1000
    return statistics.quantiles(values, n=10)[int(q * 10) - 1] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent brief clients (default 8)")
    parser.add_argument("--samples", type=int, default=25, help="CSV requests per phase (default 25)")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (default 8, as `serve`)")
    parser.add_argument("--no-anchor", action="store_true", help="skip the unbounded-pool anchor")
    args = parser.parse_args(argv)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N" is what we measure

    from waitress.server import create_server

    from dashboard import state
    from dashboard.app import create_app
    from dashboard.export import browser as chromium
    from dashboard.export import pool as render_pool
    from dashboard.routes import export as export_routes

    problem = chromium.browser_problem()
    if problem:
        print(f"skipped: {problem}")
        return 1
    app = create_app()
    port = _free_port()
    server = create_server(app.server, host="127.0.0.1", port=port, threads=args.threads)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    combos = brief_ids(state.current())

    print(f"server: waitress, {args.threads} threads, loopback · pool: {render_pool.get_pool().workers} worker(s), "
          f"{render_pool.get_pool().queue} waiting · clients: {args.clients} brief renders")
    _get(f"{base}/brief/{','.join(next(combos))}.pdf")  # Chromium started and warm before any timing
    csv_latencies(base, 5, 0)  # warm the CSV path
    idle = csv_latencies(base, args.samples)
    loaded, load = measure(base, combos, args.clients, args.samples)
    ratio = _ms(loaded) / _ms(idle)
    print(f"csv_idle_median: {_ms(idle):.1f} ms")
    print(f"csv_idle_p90: {_ms(idle, 0.9):.1f} ms")
    print(f"csv_under_{args.clients}_briefs_median: {_ms(loaded):.1f} ms")
    print(f"csv_under_{args.clients}_briefs_p90: {_ms(loaded, 0.9):.1f} ms")
    print(f"csv_loaded_vs_idle: {ratio:.2f} x (goal <= 3 x)")
    print(f"briefs_made: {load.made} · busy_answers (503): {load.busy} · other: {load.other}")

    if not args.no_anchor:  # the old behaviour: every request thread renders (a pool as large as the server)
        export_routes.cache.clear()
        old = render_pool._pool
        render_pool._pool = render_pool.RenderPool(workers=args.threads, queue=0, wait=600)
        try:
            anchor, anchor_load = measure(base, combos, args.clients, args.samples)
        finally:
            render_pool._pool.shutdown()
            render_pool._pool = old
        print(f"anchor_csv_under_{args.clients}_briefs_unbounded_median: {_ms(anchor):.1f} ms "
              f"(ratio to idle {_ms(anchor) / _ms(idle):.2f} x; briefs made {anchor_load.made})")
        print(f"bounded_pool_vs_unbounded: {_ms(loaded) / _ms(anchor):.2f} x")
    server.close()
    return 0 if ratio <= 3 else 2


if __name__ == "__main__":
    sys.exit(main())
