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
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest

from dashboard import config, ids
from tests.serving import decode, get, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("serve-var")
    with running_server(var, MIPEXR_WORKERS="2", MIPEXR_EXPOSE_WORKER="1") as (base, _):
        yield base


def _map_callback_body(base: str, measure: str) -> bytes:
    """The request the browser sends when the server answers a map measure change (without the values in the
    browser: a workspace, many regions, another edition), built from /_dash-dependencies."""
    deps = json.loads(decode(*get(base + "/_dash-dependencies", {"Accept-Encoding": "br"})[1:]))
    dep = next(d for d in deps if any(i["id"] == ids.MAP_MEASURE_WANTED for i in d["inputs"]))
    outputs = []
    for part in dep["output"].strip(".").split("..."):
        out_id, prop = part.rsplit(".", 1)
        # a pattern output (the side panel's measure line) matches nothing without a chosen region
        outputs.append([] if out_id.startswith("{") else {"id": out_id, "property": prop})
    values = {ids.MAP_MEASURE_WANTED: {"measure": measure, "whole": True, "at": 0}, ids.MAP_SELECTED: "",
              ids.MAP_EDITION: "2021", ids.MAP_SINCE: "none", ids.MAP_LOCATION: ""}
    entry = lambda i: {"id": i["id"], "property": i["property"], "value": values[i["id"]]}  # noqa: E731
    body = {"output": dep["output"], "outputs": outputs, "inputs": [entry(i) for i in dep["inputs"]],
            "changedPropIds": [f"{ids.MAP_MEASURE_WANTED}.data"], "state": [entry(i) for i in dep["state"]]}
    return json.dumps(body).encode()


def test_pages_answer_through_gunicorn(server):
    status, headers, body = get(server + "/_dash-layout")
    text = decode(headers, body).decode()
    assert status == 200 and "MIPEX-R Explorer" in text and "Illustrative data" in text
    # Dash answers every path with its index page: the page-specific title that Dash Pages writes into
    # its og:title meta tag shows that the path reached its own page (an unknown path gets the app's).
    pages = {"/": "map", "/region/PT20": "Azores", "/compare?regions=PT20,PT17": "compare regions",
             "/explore": "explore and rank", "/methodology": "methodology"}
    for path, title in pages.items():
        status, headers, body = get(server + path)
        found = re.search(r'<meta property="og:title" content="([^"]*)"', decode(headers, body).decode())
        assert status == 200 and found and title in found.group(1), (path, found and found.group(1))


def _same_page(html: bytes) -> bytes:
    return re.sub(rb'"end_id":"[^"]*"', b"", html)  # Dash writes a per-request id into the index


def test_index_is_compressed_with_brotli_or_gzip(server):
    plain = get(server + "/")[2]
    assert b"MIPEX-R Explorer" in plain
    status, headers, body = get(server + "/", {"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert _same_page(decode(headers, body)) == _same_page(plain) and len(body) < len(plain) / 2
    assert "Accept-Encoding" in headers.get("Vary", "")
    status, headers, body = get(server + "/", {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and _same_page(decode(headers, body)) == _same_page(plain)
    assert get(server + "/", {"Accept-Encoding": "identity"})[1].get("Content-Encoding") is None


def test_callback_response_is_compressed(server):
    headers = {"Content-Type": "application/json", "Accept-Encoding": "br, gzip"}
    status, resp_headers, body = get(server + "/_dash-update-component", headers,
                                      _map_callback_body(server, "area:health"))
    assert status == 200 and resp_headers["Content-Encoding"] == "br"
    payload = json.loads(brotli.decompress(body))
    assert ids.MAP_LIST_ROWS in payload["response"] and len(body) < len(json.dumps(payload))
    headers["Accept-Encoding"] = "gzip"
    status, resp_headers, body = get(server + "/_dash-update-component", headers,
                                      _map_callback_body(server, "overall"))
    assert status == 200 and resp_headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(body))["response"][ids.MAP_LOCATION] == {"search": ""}


def test_at_least_two_workers_answer(server):
    body = _map_callback_body(server, "area:health")
    headers = {"Content-Type": "application/json"}
    workers: set[str] = set()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(10):  # rounds of 8 concurrent callbacks until two processes have answered
            answers = list(pool.map(lambda _: get(server + "/_dash-update-component", headers, body), range(8)))
            assert all(status == 200 for status, _, _ in answers)
            workers |= {h["X-Worker"] for _, h, _ in answers}
            if len(workers) >= 2:
                break
    assert len(workers) >= 2, workers


def test_health_routes(server):
    status, headers, body = get(server + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"} and headers["Cache-Control"] == "no-store"
    status, headers, body = get(server + "/readyz")
    assert status == 200 and body == b"ready\n"


def test_fingerprinted_bundle_is_cached_for_a_year(server):
    html = decode(*get(server + "/", {"Accept-Encoding": "br"})[1:]).decode()
    bundles = re.findall(r'src="(/_dash-component-suites/[^"]+\.v[\w-]+m[0-9a-f]+\.(?:min\.)?js)"', html)
    assert bundles, html[:500]
    status, headers, body = get(server + bundles[0], {"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "br" and brotli.decompress(body)
    css = re.findall(r'href="(/assets/[^"]+\?m=[^"]+)"', html)
    assert css and get(server + css[0])[1]["Cache-Control"] == "public, max-age=31536000, immutable"


def test_lab_writes_from_several_workers_after_fork(server):
    """The Lab database was migrated in the master before the fork; every worker writes to it."""
    from tests.lab.helpers import valid_submission

    def submit(n: int):
        data = json.dumps(valid_submission(title=f"Practice number {n} from the serving test")).encode()
        return get(server + "/lab/api/practices", {"Content-Type": "application/json"}, data)

    answers, workers = [], set()
    with ThreadPoolExecutor(max_workers=6) as pool:
        for round_ in range(5):  # rounds of 6 concurrent submissions until two processes have written
            batch = list(pool.map(submit, range(6 * round_, 6 * round_ + 6)))
            answers += batch
            workers |= {h["X-Worker"] for status, h, _ in batch if status == 201}
            if len(workers) >= 2:
                break
    # each worker counts 5 submissions a minute per address (no Redis here): when more of a round reached one
    # worker, those are refused with 429 and stored nowhere, as they should be
    stored = [body for status, _, body in answers if status == 201]
    assert {status for status, _, _ in answers} <= {201, 429}, [a[2][:200] for a in answers]
    assert len(stored) >= 2 and len({json.loads(body)["id"] for body in stored}) == len(stored)
    assert len(workers) >= 2, workers


def test_bad_data_dir_fails_with_clear_message(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(tmp_path), "serve", "--port", "1"],
                            cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "datapackage.json" in result.stderr and "Traceback" not in result.stderr
