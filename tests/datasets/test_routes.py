"""The Flask routes: a public list without private fields; publishing needs the admin token; a database that
cannot be reached answers 503 with a plain sentence (details only in the log)."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from dashboard.datasets import audit_log, db, published, save_version
from dashboard.lab.db import APP_CONFIG_KEY
from dashboard.routes import datasets as routes

from .conftest import validate, variant

pytestmark = pytest.mark.timeout(120)
TOKEN = "a-long-admin-token-for-tests"
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none"


def _app() -> Flask:
    app = Flask("test-datasets")
    routes.init_app(app)
    routes.init_app(app)  # safe twice
    return app.test_client()


@pytest.fixture
def client(sqlite_store, monkeypatch):
    monkeypatch.setenv("MIPEXR_DB_URL", sqlite_store)
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    return _app()


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_list_is_public_metadata_only(client, sqlite_store, package):
    v = save_version(package, validate=validate, created_by="ana@example.org", source="MIPEX-R 2021",
                     editions=[2021], url=sqlite_store)
    r = client.get("/datasets")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert body["published"]["version_id"] is None and body["published"]["generation"] == 0
    assert body["web_publishing"] is True
    [listed] = body["versions"]
    assert listed["id"] == v.id and listed["editions"] == [2021] and listed["source"] == "MIPEX-R 2021"
    assert {f["name"] for f in listed["files"]} == set(package)
    text = r.get_data(as_text=True)
    assert "ana@example.org" not in text and "created_by" not in text
    assert "region_id" not in text  # no file contents


def test_publish_rollback_reset_need_the_token(client, sqlite_store, package):
    a = save_version(package, validate=validate, created_by="x", url=sqlite_store)
    b = save_version(variant(package, "b"), validate=validate, created_by="x", url=sqlite_store)
    for headers, data in (({}, None), (_bearer("wrong"), None), (_bearer(""), None), ({"Authorization": TOKEN}, None),
                          ({}, {"token": "wrong"})):
        for path in (f"/datasets/{a.id}/publish", "/datasets/rollback", "/datasets/reset"):
            r = client.post(path, headers=headers, data=data)
            assert r.status_code == 403, (path, headers, data)
            assert "admin token" in r.get_json()["error"]
    assert published(url=sqlite_store) == (None, 0) and audit_log(url=sqlite_store) == []

    r = client.post(f"/datasets/{a.id}/publish", headers=_bearer(TOKEN))
    assert r.status_code == 200 and r.get_json() == {"message": f"Version {a.id} is now shown to everyone.",
                                                     "version_id": a.id, "generation": 1}
    r = client.post(f"/datasets/{b.id}/publish", data={"token": TOKEN, "expected_generation": "1", "by": "Ana  M."})
    assert r.status_code == 200 and r.get_json()["generation"] == 2
    assert audit_log(url=sqlite_store)[0].by == "web: Ana M."
    r = client.post(f"/datasets/{a.id}/publish", headers=_bearer(TOKEN), json={"expected_generation": 1})
    assert r.status_code == 409 and "reload and retry" in r.get_json()["error"] and r.get_json()["generation"] == 2
    assert client.post(f"/datasets/{a.id}/publish?expected_generation=x", headers=_bearer(TOKEN)).status_code == 400
    assert client.post("/datasets/999/publish", headers=_bearer(TOKEN)).status_code == 404
    assert client.post("/datasets/abc/publish", headers=_bearer(TOKEN)).status_code == 404
    r = client.post("/datasets/rollback", headers=_bearer(TOKEN))
    assert r.status_code == 200 and r.get_json()["version_id"] == a.id
    r = client.post("/datasets/reset", headers=_bearer(TOKEN))
    assert r.status_code == 200 and r.get_json()["version_id"] is None
    assert published(url=sqlite_store) == (None, 4)
    assert client.post("/datasets/rollback", headers=_bearer(TOKEN), data="x" * 70_000).status_code == 413
    assert client.get(f"/datasets/{a.id}/publish").status_code == 405  # never by a GET link


def test_without_a_configured_token_publishing_is_disabled(sqlite_store, package, monkeypatch):
    monkeypatch.setenv("MIPEXR_DB_URL", sqlite_store)
    monkeypatch.delenv("MIPEXR_ADMIN_TOKEN", raising=False)
    client = _app()
    a = save_version(package, validate=validate, created_by="x", url=sqlite_store)
    for token in ("", "anything"):
        r = client.post(f"/datasets/{a.id}/publish", headers=_bearer(token))
        assert r.status_code == 403 and "disabled" in r.get_json()["error"]
    assert client.get("/datasets").get_json()["web_publishing"] is False
    assert published(url=sqlite_store) == (None, 0)


def test_unreachable_database_at_start_answers_503_plainly(monkeypatch, caplog):
    monkeypatch.setenv("MIPEXR_DB_URL", UNREACHABLE)
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    with caplog.at_level(logging.WARNING):
        client = _app()
    for r in (client.get("/datasets"), client.post("/datasets/1/publish", headers=_bearer(TOKEN)),
              client.post("/datasets/reset", headers=_bearer(TOKEN))):
        assert r.status_code == 503
        message = r.get_json()["error"]
        assert "unavailable right now" in message
        assert "OperationalError" not in message and "127.0.0.1" not in message and "psycopg" not in message
    assert client.post("/datasets/reset", headers=_bearer("wrong")).status_code == 403  # the token comes first
    assert "could not be prepared" in caplog.text  # the details are in the log
    db.dispose_engines()


def test_database_lost_after_start_answers_503(client, sqlite_store, caplog):
    client.application.config[APP_CONFIG_KEY] = UNREACHABLE  # the pinned database goes away
    with caplog.at_level(logging.WARNING):
        r = client.get("/datasets")
        assert r.status_code == 503 and "unavailable right now" in r.get_json()["error"]
        r = client.post("/datasets/rollback", headers=_bearer(TOKEN))
        assert r.status_code == 503 and "nothing was changed" in r.get_json()["error"]
    assert "OperationalError" in caplog.text or "Connection refused" in caplog.text
    db.dispose_engines()
