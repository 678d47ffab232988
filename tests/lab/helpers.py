"""Helpers shared by the Integration Lab tests."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def valid_submission(**overrides) -> dict:
    """A questionnaire answer that passes validation (override fields to break it)."""
    data = {
        "title": "Welcome desks for newcomers in rural municipalities",
        "region_id": "ES51",
        "year_start": 2019,
        "year_end": 2021,
        "policy_areas": ["general", "language"],
        "target_group": "both",
        "responsible_body": "Regional integration office",
        "description": "Welcome desks in twelve rural municipalities gave newcomers one place to ask for help.",
        "regional_contribution": "The region funded the desks and trained their staff.",
        "contribution_mode": "both",
        "lessons_learnt": "Desks worked best when staffed by people from the community.",
        "transferability_tips": "Start where municipalities already cooperate.",
        "aspects": {"communication": {"inspiring": "Leaflets in eight languages.", "improvement": "No website."}},
        "links": ["https://example.org/welcome-desks"],
        "provenance": "Evaluation report of the regional integration plan, 2022",
        "language": "en",
        "submitter_name": "Ana Example",
        "submitter_email": "ana@example.org",
        "submitter_organisation": "Example Regional Office",
        "consent": True,
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------------------------
# a live HTTP server on loopback


class LiveServer:
    def __init__(self, wsgi_app, threads: int = 16):
        from waitress.server import create_server

        self.port = free_port()
        self.server = create_server(wsgi_app, host="127.0.0.1", port=self.port, threads=threads,
                                    connection_limit=400, channel_timeout=60)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        from waitress import wasyncore

        # Close every socket from inside the server's own loop thread: the loop then ends, instead of
        # selecting on descriptors closed under it (EBADF in the thread).
        try:
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(self.server._map))
        except OSError:
            # The trigger's pipe is already gone (EBADF: its descriptor was closed under it, as seen once in
            # CI after 100 concurrent posts), so the loop cannot be woken. Close every socket from here
            # instead; the loop sees an empty map on its next turn (at most 1 s) and ends.
            wasyncore.close_all(self.server._map, ignore_all=True)
        self.thread.join(10)
        if self.thread.is_alive():  # pragma: no cover - the loop did not stop: close from here
            self.server.close()


#: Rate limits high enough not to interfere with a test about something else (concurrency, moderation).
UNLIMITED = {"submit": "100000/minute", "submit-attempt": "100000/minute", "moderation": "100000/minute"}


def lab_flask_app(limits: dict | None = None, **config):
    """A minimal Flask app carrying only the Lab's routes (``init_app`` accepts a Flask app too).

    ``limits`` overrides some of the Lab's rate limits (``dashboard.lab.guard.LIMITS``) for this app."""
    from flask import Flask

    from dashboard.lab import guard
    from dashboard.routes import lab_api

    app = Flask("lab-test")
    app.config.update(config)
    if limits:
        app.config[guard.LIMITS_CONFIG_KEY] = limits
    lab_api.init_app(app, seed_missing=False)
    return app


def admin_form_token(client, path: str = "/lab/admin") -> str:
    """The form token of the test client's moderation session (GET the page, read its hidden field)."""
    import re

    page = client.get(path).data.decode()
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the moderation page carries a form token"
    return found.group(1)


# --------------------------------------------------------------------------------------------
# concurrent submissions


def post_concurrently(base_url: str, n: int) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(n)
    results: list[tuple[int, dict] | None] = [None] * n

    def worker(i: int) -> None:
        body = json.dumps(valid_submission(title=f"Concurrent practice number {i:03d}")).encode()
        req = urllib.request.Request(f"{base_url}/lab/api/practices", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        barrier.wait()
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                results[i] = (resp.status, json.loads(resp.read()))
        except urllib.error.HTTPError as exc:
            results[i] = (exc.code, json.loads(exc.read() or b"{}"))
        except Exception as exc:  # noqa: BLE001 - recorded and reported by the assertion
            results[i] = (0, {"error": repr(exc)})

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return results  # type: ignore[return-value]


def assert_all_landed(url: str, results, n: int) -> None:
    from sqlalchemy import func, select

    from dashboard.lab import db
    from dashboard.lab.models import Practice

    failures = [r for r in results if r is None or r[0] != 201]
    assert not failures, f"{len(failures)} of {n} submissions not stored: {failures[:3]}"
    ids = {r[1]["id"] for r in results}
    assert len(ids) == n
    with db.session_scope(url) as s:
        assert s.scalar(select(func.count(Practice.id))) == n
        stored = set(s.scalars(select(Practice.title)).all())
    assert stored == {f"Concurrent practice number {i:03d}" for i in range(n)}
