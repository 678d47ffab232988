"""`python -m dashboard serve` (what ``./run.sh`` runs): production mode under gunicorn.

One server for the module: 2 workers on a free loopback port, its own var folder, ``MIPEXR_EXPOSE_WORKER=1``
so that responses name the worker that answered. Checked: pages answer, responses are compressed (brotli
and gzip, HTML and callback JSON), at least two worker processes answer, the health routes, the cache
headers of a fingerprinted Dash bundle, and Integration Lab writes from several workers after the fork.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest

from dashboard import config, ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None, data: bytes | None = None, timeout: float = 30):
    """(status, headers, raw body) without urllib's decoding; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _decode(headers, body: bytes) -> bytes:
    encoding = headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("serve-var")
    port = _free_port()
    env = {"PATH": "/usr/bin:/bin", "MIPEXR_VAR_DIR": str(var), "HOME": str(var),
           "MIPEXR_WORKERS": "2", "MIPEXR_EXPOSE_WORKER": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=config.PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if _get(base + "/healthz", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read())
            if time.time() > deadline:
                raise AssertionError("server did not answer within 90 s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        assert proc.returncode == 0, out
        assert "Traceback" not in out, out


def _map_callback_body(base: str, measure: str) -> bytes:
    """The request the browser sends when the map measure changes, built from /_dash-dependencies."""
    deps = json.loads(_decode(*_get(base + "/_dash-dependencies", {"Accept-Encoding": "br"})[1:]))
    dep = next(d for d in deps if any(i["id"] == ids.MAP_MEASURE for i in d["inputs"]))
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
               for part in dep["output"].strip(".").split("...")]
    values = {ids.MAP_MEASURE: measure, ids.MAP_SELECTED: None, ids.MAP_EDITION: "2021", ids.MAP_SINCE: "none"}
    body = {"output": dep["output"], "outputs": outputs,
            "inputs": [{"id": i["id"], "property": i["property"], "value": values[i["id"]]} for i in dep["inputs"]],
            "changedPropIds": [f"{ids.MAP_MEASURE}.value"], "state": []}
    return json.dumps(body).encode()


def test_pages_answer_through_gunicorn(server):
    status, headers, body = _get(server + "/_dash-layout")
    text = _decode(headers, body).decode()
    assert status == 200 and "MIPEX-R Explorer" in text and "Illustrative data" in text
    # Dash answers every path with its index page: the page-specific title that Dash Pages writes into
    # its og:title meta tag shows that the path reached its own page (an unknown path gets the app's).
    pages = {"/": "map", "/region/PT20": "Azores", "/compare?regions=PT20,PT17": "compare regions",
             "/explore": "explore and rank", "/methodology": "methodology"}
    for path, title in pages.items():
        status, headers, body = _get(server + path)
        found = re.search(r'<meta property="og:title" content="([^"]*)"', _decode(headers, body).decode())
        assert status == 200 and found and title in found.group(1), (path, found and found.group(1))


def _same_page(html: bytes) -> bytes:
    return re.sub(rb'"end_id":"[^"]*"', b"", html)  # Dash writes a per-request id into the index


def test_index_is_compressed_with_brotli_or_gzip(server):
    plain = _get(server + "/")[2]
    assert b"MIPEX-R Explorer" in plain
    status, headers, body = _get(server + "/", {"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert _same_page(_decode(headers, body)) == _same_page(plain) and len(body) < len(plain) / 2
    assert "Accept-Encoding" in headers.get("Vary", "")
    status, headers, body = _get(server + "/", {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and _same_page(_decode(headers, body)) == _same_page(plain)
    assert _get(server + "/", {"Accept-Encoding": "identity"})[1].get("Content-Encoding") is None


def test_callback_response_is_compressed(server):
    headers = {"Content-Type": "application/json", "Accept-Encoding": "br, gzip"}
    status, resp_headers, body = _get(server + "/_dash-update-component", headers,
                                      _map_callback_body(server, "area:health"))
    assert status == 200 and resp_headers["Content-Encoding"] == "br"
    payload = json.loads(brotli.decompress(body))
    assert ids.MAP_REGION_LIST in payload["response"] and len(body) < len(json.dumps(payload))
    headers["Accept-Encoding"] = "gzip"
    status, resp_headers, body = _get(server + "/_dash-update-component", headers,
                                      _map_callback_body(server, "overall"))
    assert status == 200 and resp_headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["response"][ids.MAP_LOCATION] == {"search": ""}


def test_at_least_two_workers_answer(server):
    body = _map_callback_body(server, "area:health")
    headers = {"Content-Type": "application/json"}
    workers: set[str] = set()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(10):  # rounds of 8 concurrent callbacks until two processes have answered
            answers = list(pool.map(lambda _: _get(server + "/_dash-update-component", headers, body), range(8)))
            assert all(status == 200 for status, _, _ in answers)
            workers |= {h["X-Worker"] for _, h, _ in answers}
            if len(workers) >= 2:
                break
    assert len(workers) >= 2, workers


def test_health_routes(server):
    status, headers, body = _get(server + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"} and headers["Cache-Control"] == "no-store"
    status, headers, body = _get(server + "/readyz")
    assert status == 200 and body == b"ready\n"


def test_fingerprinted_bundle_is_cached_for_a_year(server):
    html = _decode(*_get(server + "/", {"Accept-Encoding": "br"})[1:]).decode()
    bundles = re.findall(r'src="(/_dash-component-suites/[^"]+\.v[\w-]+m[0-9a-f]+\.(?:min\.)?js)"', html)
    assert bundles, html[:500]
    status, headers, body = _get(server + bundles[0], {"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "br" and brotli.decompress(body)
    css = re.findall(r'href="(/assets/[^"]+\?m=[^"]+)"', html)
    assert css and _get(server + css[0])[1]["Cache-Control"] == "public, max-age=31536000, immutable"


def test_lab_writes_from_several_workers_after_fork(server):
    """The Lab database was migrated in the master before the fork; every worker writes to it."""
    from tests.lab.helpers import valid_submission

    def submit(n: int):
        data = json.dumps(valid_submission(title=f"Practice number {n} from the serving test")).encode()
        return _get(server + "/lab/api/practices", {"Content-Type": "application/json"}, data)

    answers, workers = [], set()
    with ThreadPoolExecutor(max_workers=6) as pool:
        for round_ in range(5):  # rounds of 6 concurrent submissions until two processes have written
            batch = list(pool.map(submit, range(6 * round_, 6 * round_ + 6)))
            answers += batch
            workers |= {h["X-Worker"] for _, h, _ in batch}
            if len(workers) >= 2:
                break
    assert [status for status, _, _ in answers] == [201] * len(answers), [a[2][:200] for a in answers]
    assert len({json.loads(body)["id"] for _, _, body in answers}) == len(answers)
    assert len(workers) >= 2, workers


def test_bad_data_dir_fails_with_clear_message(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(tmp_path), "serve", "--port", "1"],
                            cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "datapackage.json" in result.stderr and "Traceback" not in result.stderr
