"""Security headers on every response: pages, the Lab, the Data page, the callback endpoint, exports."""

from __future__ import annotations

import json

import pytest

from dashboard import security
from dashboard.app import create_app


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def _csp(response) -> dict[str, list[str]]:
    value = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in value.split("; ")}


@pytest.mark.parametrize("path", ["/", "/lab", "/data", "/compare", "/nope", "/export/status", "/lab/export.json"])
def test_every_response_has_the_headers(client, path):
    response = client.get(path)
    for name, value in security.HEADERS.items():
        assert response.headers[name] == value, (path, name)
    csp = _csp(response)
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]


def test_callback_endpoint_has_the_headers(client):
    deps = client.get("/_dash-dependencies").get_json()
    assert deps  # the app has callbacks
    response = client.post("/_dash-update-component", data=json.dumps({}), content_type="application/json")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_inline_scripts_of_the_page_are_allowed_by_hash(client):
    import base64
    import hashlib
    import re

    html = re.sub(r"<!--.*?-->", "", client.get("/").get_data(as_text=True), flags=re.S)  # comments never run
    allowed = set(_csp(client.get("/"))["script-src"])
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
    # JSON data blocks (Dash's config) are not run, so CSP does not apply to them
    inline = [body for attrs, body in scripts if body.strip() and "application/json" not in attrs]
    assert inline, "the Dash index has inline scripts"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def test_policy_adds_a_nonce_when_asked():
    value = security.policy(["'sha256-abc'"], "n0nce")
    assert "script-src 'self' 'sha256-abc' 'nonce-n0nce'" in value


def test_printable_brief_inline_script_carries_the_response_nonce(client):
    import re

    response = client.get("/brief/PT20.html?charts=js")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = re.search(r'<script nonce="([^"]+)">', html)
    assert found, "the inline chart script has a nonce"
    assert f"'nonce-{found.group(1)}'" in response.headers["Content-Security-Policy"]
    other = client.get("/brief/PT20.html?charts=js").headers["Content-Security-Policy"]
    assert f"'nonce-{found.group(1)}'" not in other  # a fresh nonce per response


def test_printable_brief_has_no_inline_handler(client):
    html = client.get("/brief/PT20.html?charts=js").get_data(as_text=True)
    assert "onclick=" not in html and '<script src="/export/brief.js"></script>' in html
    js = client.get("/export/brief.js")
    assert js.status_code == 200 and js.mimetype == "application/javascript" and "window.print" in js.get_data(True)
