"""The export service under load and faults: heavy work on a bounded pool (503 + Retry-After when full, cheap
requests unaffected), a cache keyed by the parsed request only, links that never come from the Host header,
a status that tells nothing about the server, the proxy setting, and a browser that survives a stopped render
and leaves no Chromium and no temp folder behind on SIGTERM/SIGINT.

Rendering is replaced by a counting stand-in where the test is about the service around it (no Chromium
needed); the browser tests use a Chromium of their own and skip with a stated reason without one.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import Flask, request
from openpyxl import load_workbook

from dashboard.errors import ExportError
from dashboard.export import brief as export_brief
from dashboard.export import browser as chromium
from dashboard.export import images as export_images
from dashboard.export import links
from dashboard.export import pool as render_pool
from dashboard.export.cache import ExportCache
from dashboard.export.tables import read_export_csv
from dashboard.routes import export as export_routes
from dashboard.routes import proxy

ROOT = Path(__file__).resolve().parent.parent
EVIL = "evil.example"


@pytest.fixture
def client(monkeypatch):
    """The export routes on a bare Flask app, with an empty cache and a pool of its own (1 worker, 1 waiting)."""
    monkeypatch.delenv(links.PUBLIC_URL_ENV, raising=False)
    server = Flask(__name__)
    export_routes.init_app(server)
    export_routes.cache.clear()
    pool = render_pool.RenderPool(workers=1, queue=1, wait=30)
    monkeypatch.setattr(render_pool, "_pool", pool)
    yield server.test_client()
    pool.shutdown()
    export_routes.cache.clear()


@pytest.fixture
def fake_render(monkeypatch):
    """Replace chart rendering by a stand-in that records its arguments (and can be held back by a gate)."""
    calls: list[dict] = []
    gate = threading.Event()
    gate.set()

    def fake(dataset, chart, fmt, size, **kwargs):
        calls.append(dict(kwargs, chart=chart, fmt=fmt, size=size))
        assert gate.wait(20), "the test never opened the gate"
        return f"{chart}:{fmt}:{kwargs.get('url')}".encode(), f"mipexr-{chart}.{fmt}"

    monkeypatch.setattr(export_images, "chart_export", fake)  # what every export job calls
    return calls, gate


# ---------------------------------------------------------------------------------------------
# the cache key: the parsed request only
# ---------------------------------------------------------------------------------------------

SAME_CHART = [
    "/export/chart.png?chart=radar&region=PT20&region=ES51&axis=phase&page=/compare",
    "/export/chart.png?chart=radar&region=PT20,ES51&axis=phase&page=/compare&bust=1",
    "/export/chart.png?bust=2&utm_source=x&page=/compare&axis=phase&regions=pt20,es51&chart=RADAR",
    "/export/chart.png?chart=radar&region=Azores&region=es51&axis=phase&axis=area&page=/compare&size=slide",
    "/export/chart.png?chart=radar&r=PT20;ES51&axis=phase&page=/compare&measure=area:health&country=ES",
]


def test_cache_key_ignores_unknown_keys_order_repeats_and_case(client, fake_render):
    calls, _ = fake_render
    bodies = {client.get(url).data for url in SAME_CHART}
    assert len(calls) == 1, f"one render for one chart, got {len(calls)}: {calls}"
    assert len(bodies) == 1 and len(export_routes.cache) == 1
    assert calls[0]["region_ids"] == ("PT20", "ES51") and calls[0]["axis"] == "phase"
    assert calls[0]["url"] == "/compare?regions=PT20,ES51", "the file's link is canonical too (no bust=…)"
    # what does change the chart does make a new one
    for url in ["/export/chart.png?chart=radar&region=PT20,ES51&axis=area&page=/compare",
                "/export/chart.png?chart=radar&region=ES51,PT20&axis=phase&page=/compare",
                "/export/chart.svg?chart=radar&region=PT20,ES51&axis=phase&page=/compare",
                "/export/chart.png?chart=radar&region=PT20,ES51&axis=phase&page=/compare&size=a4",
                "/export/chart.png?chart=radar&region=PT20,ES51&axis=phase&page=/compare&title=Mine"]:
        client.get(url)
    assert len(calls) == 6 and len(export_routes.cache) == 6


def test_map_and_ranking_defaults_are_one_key(client, fake_render):
    calls, _ = fake_render
    for url in ["/export/chart.png?chart=map", "/export/chart.png?chart=map&measure=overall&x=1",
                "/export/chart.png?chart=map&dimension=overall&sort=asc&axis=phase"]:
        assert client.get(url).status_code == 200
    for url in ["/export/chart.png?chart=ranking&measure=health&country=it,es&area=education,health",
                "/export/chart.png?chart=ranking&measure=area:health&country=IT&country=ES&sort=desc"
                "&area=health&area=area:education&target=all"]:
        assert client.get(url).status_code == 200
    assert len(calls) == 2, calls
    assert calls[1]["areas"] == ("education", "health"), "policy areas in display order"
    assert calls[1]["countries"] == ("IT", "ES") and calls[1]["measure"] == "area:health"


def test_brief_cache_key_and_comparison_link_keep_the_regions(client, monkeypatch):
    made = []
    monkeypatch.setattr(export_brief, "brief_pdf", lambda dataset, ids, view_url=None, appendix=None, **_editions:
                        made.append((tuple(ids), view_url) + ((appendix,) if appendix else ())) or b"%PDF-fake")
    for url in ["/brief/PT20,ES51.pdf", "/brief/pt20,es51.pdf?bust=3", "/brief/PT20;Catalonia.pdf?page=/elsewhere",
                "/brief/PT20,ES51.pdf?download=0"]:
        r = client.get(url, headers={"Host": EVIL})
        assert r.status_code == 200 and r.data == b"%PDF-fake", url
    assert made == [(("PT20", "ES51"), "/compare?regions=PT20,ES51")], "one render; the link keeps the regions"
    client.get("/brief/PT20.pdf")
    assert made[-1] == (("PT20",), "/region/PT20")
    for url in ["/brief/PT20.pdf?appendix=questions", "/brief/pt20.pdf?appendix=QUESTIONS&bust=1"]:
        assert client.get(url).status_code == 200
    assert made[-1] == (("PT20",), "/region/PT20", "questions") and len(made) == 3, "the appendix is its own key"


def test_cache_is_bounded_in_entries_and_bytes():
    cache = ExportCache(max_entries=3, max_bytes=1000)
    for i in range(5):
        cache.put(("k", i), None, (b"x" * 100, "f"))
    assert len(cache) == 3 and cache.get(("k", 0)) is None and cache.get(("k", 4)) is not None
    assert not cache.put("big", None, b"x" * 300), "a file over a quarter of the budget is not kept"
    for i in range(5, 9):
        cache.put(("k", i), None, b"y" * 240)
    assert cache.bytes <= 1000 and len(cache) <= 3
    assert cache.get(("k", 8)) == b"y" * 240, "the newest entry stays"


# ---------------------------------------------------------------------------------------------
# the render pool: bounded, separate from the request threads
# ---------------------------------------------------------------------------------------------

def _get_in_thread(client, url, results, name):
    def run():
        results[name] = client.get(url)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def _wait(predicate, timeout=10.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {message}")


def test_full_pool_answers_503_with_retry_after_and_csv_stays_fast(client, fake_render):
    calls, gate = fake_render
    gate.clear()
    pool = render_pool.get_pool()
    results: dict = {}
    first = _get_in_thread(client, "/export/chart.png?chart=radar&region=PT20", results, "a")
    _wait(lambda: len(calls) == 1, message="the first render to start")
    second = _get_in_thread(client, "/export/chart.png?chart=radar&region=ES51", results, "b")
    _wait(lambda: pool.pending == 2, message="the second export to wait in line")

    busy = client.get("/export/chart.png?chart=radar&region=ITF3")
    assert busy.status_code == 503 and busy.mimetype == "text/plain"
    assert busy.headers["Retry-After"].isdigit() and int(busy.headers["Retry-After"]) > 0
    assert b"busy, try again in a moment" in busy.data
    assert client.get("/brief/PT20.pdf").status_code == 503, "briefs share the line"

    t0 = time.perf_counter()
    csv = client.get("/export/data.csv?view=scores&region=PT20")
    assert csv.status_code == 200 and time.perf_counter() - t0 < 5, "a CSV never waits for renders"
    same = _get_in_thread(client, "/export/chart.png?chart=radar&region=pt20&bust=9", results, "same")
    time.sleep(0.2)
    assert pool.pending == 2, "the same export asked again waits for the one being made"

    gate.set()
    for t in (first, second, same):
        t.join(10)
    assert [results[k].status_code for k in ("a", "b", "same")] == [200, 200, 200]
    assert results["same"].data == results["a"].data and len(calls) == 2
    assert pool.refused == 2 and pool.pending == 0
    assert client.get("/export/chart.png?chart=radar&region=ITF3").status_code == 200, "room again"


def test_pool_wait_runs_out_and_a_waiting_job_is_cancelled():
    pool = render_pool.RenderPool(workers=1, queue=1, wait=0.2)
    gate = threading.Event()
    ran = []
    try:
        blocker = pool.submit(lambda: gate.wait(10))
        with pytest.raises(render_pool.ExportBusy) as err:
            pool.run(lambda: ran.append("second"))
        assert err.value.reason == "busy" and err.value.retry_after > 0
        gate.set()
        blocker.result(5)
        _wait(lambda: pool.pending == 0, message="the slots to be given back")
        assert ran == [], "the job that gave up waiting never ran"
        assert pool.run(lambda: 42) == 42
    finally:
        gate.set()
        pool.shutdown()


def test_errors_inside_a_job_reach_the_request(client):
    r = client.get("/export/chart.png?chart=ranking&measure=area:health&area=education")
    assert r.status_code == 400 and b"outside the chosen policy areas" in r.data
    assert render_pool.get_pool().pending == 0


def test_bad_values_are_refused_before_queueing(client, fake_render):
    calls, _ = fake_render
    for url, word in [("/export/chart.png?chart=compare&region=PT20", b"at least 2"),
                      ("/export/chart.png?chart=ranking&area=astrology", b"astrology"),
                      ("/export/chart.png?chart=ranking&target=tourists", b"tourists"),
                      ("/export/chart.png?chart=map&size=A5", b"size"),
                      ("/export/chart.png?chart=map&title=" + "x" * 300, b"title")]:
        r = client.get(url)
        assert r.status_code == 400 and word in r.data, url
    assert calls == [] and render_pool.get_pool().pending == 0


# ---------------------------------------------------------------------------------------------
# links in files: MIPEXR_PUBLIC_URL or a relative path, never the Host header
# ---------------------------------------------------------------------------------------------

def test_links_are_relative_or_public_and_pages_are_checked(monkeypatch):
    monkeypatch.delenv(links.PUBLIC_URL_ENV, raising=False)
    assert links.view_link("/explore", {"measure": "overall", "countries": ["IT", "ES"], "bust": "1"}) \
        == "/explore?measure=overall&country=IT,ES"
    assert links.view_link("/", {"measure": "area:health", "regions": ["PT20", "ES51"]}) \
        == "/?measure=area:health&region=PT20", "the map page takes one region"
    assert links.view_link("/region/PT20", {"measure": "overall"}) == "/region/PT20"
    for bad in ["//evil.example/x", "http://evil.example", "/a\\b", "/x?y=1", "/x#y", "x", "/" + "a" * 250,
                "/a//b", None, ["/"]]:
        assert links.view_link(bad) is None, bad
    monkeypatch.setenv(links.PUBLIC_URL_ENV, "https://mipexr.example.org/app/")
    assert links.brief_link(["PT20", "ES51"]) == "https://mipexr.example.org/app/compare?regions=PT20,ES51"
    assert links.brief_link(["PT20"]) == "https://mipexr.example.org/app/region/PT20"
    for bad in ["ftp://x.org", "https://user:pw@x.org", "https://x.org/?a=1", "mipexr.example.org", "https://"]:
        monkeypatch.setenv(links.PUBLIC_URL_ENV, bad)
        with pytest.raises(links.ConfigError, match=links.PUBLIC_URL_ENV):
            links.public_url()
    with pytest.raises(links.ConfigError):  # a malformed public URL stops the start
        export_routes.init_app(Flask("bad-public-url"))


@pytest.mark.parametrize("public", ["", "https://mipexr.example.org"])
def test_files_never_quote_the_host_header(client, monkeypatch, public):
    if public:
        monkeypatch.setenv(links.PUBLIC_URL_ENV, public)
    headers = {"Host": EVIL, "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}
    url = "/export/data.csv?view=ranking&measure=health&country=es&country=IT&page=/explore&bust=1&evil=http://x"
    header, _ = read_export_csv(client.get(url, headers=headers).data)
    assert f"View URL: {public}/explore?measure=area:health&country=ES,IT" in header
    assert not any(EVIL in line or "bust" in line for line in header)

    x = client.get("/export/data.xlsx?view=compare&regions=pt20,es51&page=/compare", headers=headers)
    about = {r[0]: r[1] for r in load_workbook(io.BytesIO(x.data))["About"].iter_rows(values_only=True) if r[0]}
    assert about["View URL"] == f"{public}/compare?regions=PT20,ES51"

    page = client.get("/brief/PT20,ES51.html?charts=js", headers=headers).data.decode()
    assert f'href="{public}/compare?regions=PT20,ES51"' in page
    assert f'View in the dashboard: <a href="{public}/compare?regions=PT20,ES51">' in page
    assert EVIL not in page


def test_status_says_only_available_and_a_plain_reason(client, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/opt/secret-location/chromium-123.0")
    body = client.get("/export/status").get_json()
    assert body == {"server_export": False, "message": chromium.STATUS_UNAVAILABLE}
    assert "secret" not in str(body) and "123" not in str(body)
    monkeypatch.delenv("BROWSER_PATH")
    if chromium.browser_available():
        assert client.get("/export/status").get_json() == {"server_export": True, "message": chromium.STATUS_AVAILABLE}


# ---------------------------------------------------------------------------------------------
# ProxyFix only when proxies are trusted
# ---------------------------------------------------------------------------------------------

def _who_app() -> Flask:
    app = Flask("who")

    @app.route("/who")
    def who():
        return f"{request.remote_addr} {request.scheme} {request.host}"

    proxy.init_app(app)
    return app


@pytest.mark.parametrize("setting,expected", [(None, "127.0.0.1 http localhost"), ("0", "127.0.0.1 http localhost"),
                                              ("1", "203.0.113.9 https public.example")])
def test_forwarded_headers_are_trusted_only_when_configured(monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv(proxy.ENV, raising=False)
    else:
        monkeypatch.setenv(proxy.ENV, setting)
    r = _who_app().test_client().get("/who", headers={"X-Forwarded-For": "203.0.113.9",
                                                      "X-Forwarded-Proto": "https",
                                                      "X-Forwarded-Host": "public.example"})
    assert r.data.decode() == expected


@pytest.mark.parametrize("bad", ["yes", "-1", "99"])
def test_a_bad_proxy_setting_stops_the_start(monkeypatch, bad):
    monkeypatch.setenv(proxy.ENV, bad)
    with pytest.raises(proxy.ProxySettingError, match=proxy.ENV):
        _who_app()


def test_create_app_applies_the_proxy_setting(monkeypatch):
    from werkzeug.middleware.proxy_fix import ProxyFix

    from dashboard.app import create_app

    monkeypatch.setenv(proxy.ENV, "2")
    server = create_app().server
    assert isinstance(server.wsgi_app, ProxyFix) and server.wsgi_app.x_for == 2


# ---------------------------------------------------------------------------------------------
# signals: clean up, then hand the signal on
# ---------------------------------------------------------------------------------------------

def test_signal_handlers_clean_up_then_chain_to_the_previous_handler(monkeypatch):
    stopped, previous_calls = [], []
    monkeypatch.setattr(chromium, "emergency_stop_all", lambda: stopped.append(True))
    old_term, old_int = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)

    def previous(signum, frame):
        previous_calls.append(signum)

    try:
        signal.signal(signal.SIGTERM, previous)
        # Python's own SIGINT handler (a process started in the background by a shell inherits SIGINT ignored)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        assert chromium.install_shutdown_handlers()
        assert chromium.install_shutdown_handlers(), "installing twice does not wrap twice"
        assert signal.getsignal(signal.SIGTERM).previous is previous
        os.kill(os.getpid(), signal.SIGTERM)
        _wait(lambda: previous_calls, message="the SIGTERM handler")
        assert stopped == [True] and previous_calls == [signal.SIGTERM]
        with pytest.raises(KeyboardInterrupt):  # SIGINT: cleaned up, then Python's own handler
            signal.getsignal(signal.SIGINT)(signal.SIGINT, None)
        assert stopped == [True, True]
    finally:
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)


def test_no_handlers_from_another_thread():
    result = []
    t = threading.Thread(target=lambda: result.append(chromium.install_shutdown_handlers()))
    t.start()
    t.join()
    assert result == [False]


# ---------------------------------------------------------------------------------------------
# with Chromium: a stopped render does not poison the browser; nothing is left behind
# ---------------------------------------------------------------------------------------------

def _needs_chromium():
    problem = chromium.browser_problem()
    if problem:
        pytest.skip(f"needs Chromium: {problem}")


def _group_members(pgid: int) -> list[int]:
    import psutil

    alive = []
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if os.getpgid(proc.pid) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                alive.append(proc.pid)
        except (ProcessLookupError, psutil.Error, OSError):
            continue
    return alive


def test_a_render_that_runs_out_of_time_does_not_poison_the_browser():
    import plotly.graph_objects as go

    _needs_chromium()
    browser = chromium.ExportBrowser(timeout=30)
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    try:
        assert browser.render(fig, "png", 200, 100)[:4] == b"\x89PNG"
        tmp, pgid = browser.tmp_dir, browser.pid
        assert tmp.name.startswith(f"{chromium.TMP_PREFIX}{os.getpid()}-") and (tmp / "chromium").is_dir()
        with pytest.raises(ExportError) as err:
            browser.render(fig, "svg", 4000, 4000, timeout=0.001)
        assert err.value.reason == "timeout" and "took longer" in str(err.value)
        assert browser.restarts_after_timeout == 1 and not _group_members(pgid), "the old Chromium is gone"
        assert browser.render(fig, "png", 200, 100)[:4] == b"\x89PNG", "the next render works"
        assert browser.print_pdf("<html><body><p>after</p></body></html>")[:5] == b"%PDF-"
        assert browser.starts == 2
        pgid = browser.pid
    finally:
        browser.shutdown()
    assert not tmp.exists(), "profile, kaleido page and brief pages removed"
    assert not _group_members(pgid), "no Chromium process left"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    import psutil

    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def _alive(pids) -> list[int]:
    import psutil

    out = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.append(pid)
        except psutil.Error:
            continue
    return out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_leaves_no_chromium_and_no_temp_folder_after_a_signal(tmp_path, sig):
    """``python -m dashboard serve`` in a process of its own: one export starts Chromium; after the signal the
    process ends, no Chromium of it survives and its temp folder (TMPDIR) holds nothing of it."""
    _needs_chromium()
    # a short temp folder of its own (pytest's are too long for the Unix socket Chromium makes in TMPDIR)
    tmpdir = Path(tempfile.mkdtemp(prefix="mx-", dir="/tmp"))
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmpdir), "MIPEXR_VAR_DIR": str(tmp_path / "var")}
    env.pop(links.PUBLIC_URL_ENV, None)
    # production mode (gunicorn, one worker): the export runs in the worker, which the signal ends through
    # the master; its clean-up runs when it exits
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--workers", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/export/status", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        try:
            with urllib.request.urlopen(f"{base}/export/chart.svg?chart=radar&region=PT20", timeout=120) as r:
                assert r.status == 200 and b"<svg" in r.read(200)
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"the export failed: {exc.code} {exc.read()[:300]!r}") from None
        children = _descendants(proc.pid)
        assert _alive(children), "Chromium runs for the export"
        ours = [p for p in tmpdir.iterdir() if p.name.startswith(chromium.TMP_PREFIX)]
        assert len(ours) == 1 and (ours[0] / "chromium").is_dir() and (ours[0] / "kaleido-page.html").is_file()
        assert [p.name for p in tmpdir.iterdir()] == [ours[0].name], "everything of the export in one folder"

        proc.send_signal(sig)
        code = proc.wait(timeout=60)
        assert code in (0, -sig, 128 + sig), f"ended by the signal, got {code}"
        _wait(lambda: not _alive(children), timeout=10, message="Chromium to end")
        assert list(tmpdir.iterdir()) == [], "no mipexr-export-*, kaleido or Chromium profile folder left"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for pid in _alive(_descendants(proc.pid)):
            os.kill(pid, signal.SIGKILL)
        out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        shutil.rmtree(tmpdir, ignore_errors=True)
    assert "Traceback" not in out, out[-2000:]


def test_a_stop_while_chromium_is_still_starting_stops_it_and_removes_the_folder():
    """A SIGTERM at boot lands while production mode pre-warms the browser: Chromium runs, its process id is
    not known yet. The stop finds it by its profile folder, stops it, then removes the folder (removing it
    first left Chromium writing in it, and tempfile's exit finalizer failed on 'Directory not empty')."""
    _needs_chromium()
    browser = chromium.ExportBrowser(timeout=30)
    errors: list[BaseException] = []

    def start():
        try:
            browser.start()
        except ExportError as exc:  # the stop below makes the start fail: expected
            errors.append(exc)

    starter = threading.Thread(target=start)
    starter.start()
    try:
        _wait(lambda: browser.tmp_dir is not None and chromium.groups_using(browser.tmp_dir),
              message="Chromium started with its profile in the private folder", timeout=30)
        tmp, groups = browser.tmp_dir, chromium.groups_using(browser.tmp_dir)
        assert not browser.running, "the stop must land while the start is under way"
        browser.emergency_stop()
        starter.join(60)
        assert not starter.is_alive()
        assert not tmp.exists(), "the folder is removed"
        assert all(not _group_members(g) for g in groups), "no Chromium process left"
    finally:
        browser.shutdown()
    assert all(not _group_members(g) for g in groups)
