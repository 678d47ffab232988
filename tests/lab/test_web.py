"""HTTP routes: submission API, exports, moderation; 100 concurrent submissions over real HTTP."""

from __future__ import annotations

import json

import pytest

from dashboard.lab import db
from dashboard.lab import repository as repo

from .helpers import (
    UNLIMITED,
    LiveServer,
    admin_form_token,
    assert_all_landed,
    lab_flask_app,
    post_concurrently,
    valid_submission,
)

pytestmark = pytest.mark.timeout(60)

TOKEN = "s3cret-moderator-token"


@pytest.fixture
def client(env_db, monkeypatch):
    monkeypatch.delenv("MIPEXR_ADMIN_TOKEN", raising=False)
    return lab_flask_app(UNLIMITED).test_client()


def test_post_json_creates_pending_practice(client, env_db):
    r = client.post("/lab/api/practices", json=valid_submission())
    assert r.status_code == 201, r.json
    assert r.json["status"] == "pending" and isinstance(r.json["id"], int)
    assert "moderator" in r.json["message"]
    assert r.headers["Location"] == f"/lab/api/practices/{r.json['id']}"
    assert repo.get_practice(r.json["id"], include_unapproved=True, url=env_db).title.startswith("Welcome desks")
    # not public yet
    assert client.get(f"/lab/api/practices/{r.json['id']}").status_code == 404


def test_post_form_body(client):
    form = {k: v for k, v in valid_submission().items() if k not in ("aspects", "policy_areas", "links", "consent")}
    data = {**{k: str(v) for k, v in form.items()}, "policy_areas": ["health", "education"],
            "aspect_inclusion_inspiring": "Open to all", "consent": "on", "links": "https://example.org/a"}
    r = client.post("/lab/api/practices", data=data)
    assert r.status_code == 201, r.json


def test_invalid_submission_gets_422_with_field_errors(client, env_db):
    r = client.post("/lab/api/practices", json=valid_submission(title="", region_id="XX99", extra="?"))
    assert r.status_code == 422
    assert set(r.json["errors"]) == {"title", "region_id", "extra"}
    assert r.json["labels"]["title"] == "Title of the practice"
    assert "not stored" in r.json["error"]
    assert repo.list_all(url=env_db) == []


@pytest.mark.parametrize(
    "kwargs, status",
    [
        ({"data": b"{not json", "content_type": "application/json"}, 400),
        ({"data": b"[1, 2]", "content_type": "application/json"}, 400),
        ({"data": b"\xff\xfe", "content_type": "application/json"}, 400),
        ({"data": b"title=x", "content_type": "text/plain"}, 415),
        ({"data": b"{" + b" " * (300 * 1024) + b"}", "content_type": "application/json"}, 413),
    ],
)
def test_unreadable_bodies_are_refused_with_a_reason(client, kwargs, status):
    r = client.post("/lab/api/practices", **kwargs)
    assert r.status_code == status
    assert r.json["error"].startswith("Not stored")


def test_exports_only_approved(client, env_db):
    a = client.post("/lab/api/practices", json=valid_submission(title="Approved practice one")).json["id"]
    client.post("/lab/api/practices", json=valid_submission(title="Pending practice two"))
    repo.approve(a, url=env_db)
    r = client.get("/lab/export.csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    body = r.data.decode("utf-8-sig")
    assert "Approved practice one" in body and "Pending practice two" not in body
    assert "ana@example.org" not in body
    r = client.get("/lab/export.json?region=ES51")
    doc = json.loads(r.data)
    assert [p["title"] for p in doc["practices"]] == ["Approved practice one"]
    assert json.loads(client.get("/lab/export.json?region=SE224").data)["count"] == 0
    assert client.get(f"/lab/api/practices/{a}").json["title"] == "Approved practice one"
    assert client.get("/lab/api/practices/nope").status_code == 404


def test_admin_disabled_without_token(client):
    page = client.get("/lab/admin")
    assert page.status_code == 404 and "MIPEXR_ADMIN_TOKEN" in page.data.decode()
    assert client.post("/lab/admin", data={"token": "x"}).status_code == 404
    assert client.post("/lab/api/practices/1/approve").status_code == 404
    assert client.get("/lab/api/pending").status_code == 404


def test_admin_page_approve_and_reject(client, env_db, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    a = client.post("/lab/api/practices", json=valid_submission(title="First <script>x</script>")).json["id"]
    b = client.post("/lab/api/practices", json=valid_submission(title="Second practice")).json["id"]
    form = client.get("/lab/admin")  # the token form
    assert form.status_code == 200 and 'id="lab-admin-login"' in form.data.decode()
    assert form.headers["X-Frame-Options"] == "DENY" and form.headers["Cache-Control"] == "no-store"
    csrf = admin_form_token(client)
    refused = client.post("/lab/admin", data={"token": "wrong", "csrf_token": csrf})
    assert refused.status_code == 403 and "That token is not valid." in refused.data.decode()
    page = client.post("/lab/admin", data={"token": TOKEN, "csrf_token": csrf})
    html = page.data.decode()
    assert page.status_code == 200 and f"approve-{a}" in html and f"reject-{b}" in html
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html  # escaped
    assert "ana@example.org" in html  # moderators see the contact
    assert client.post(f"/lab/admin/{a}/approve", data={"token": "wrong", "csrf_token": csrf}).status_code == 403
    r = client.post(f"/lab/admin/{a}/approve", data={"token": TOKEN, "csrf_token": csrf})
    assert r.status_code == 200 and f"Approved #{a}" in r.data.decode()
    r = client.post(f"/lab/admin/{b}/reject", data={"token": TOKEN, "reason": "off topic", "csrf_token": csrf})
    assert f"Rejected #{b}" in r.data.decode()
    assert client.post("/lab/admin/999/approve", data={"token": TOKEN, "csrf_token": csrf}).status_code == 404
    assert repo.get_practice(a, url=env_db).status == "approved"
    assert repo.get_practice(b, include_unapproved=True, url=env_db).review_note == "off topic"


def test_moderation_json_api(client, env_db, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    pid = client.post("/lab/api/practices", json=valid_submission()).json["id"]
    assert client.get("/lab/api/pending").status_code == 403
    r = client.get("/lab/api/pending", headers={"Authorization": f"Bearer {TOKEN}"})
    assert [p["id"] for p in r.json["pending"]] == [pid] and r.json["pending"][0]["submitter_email"]
    r = client.post(f"/lab/api/practices/{pid}/approve", headers={"X-Admin-Token": TOKEN})
    assert r.status_code == 200 and r.json == {"id": pid, "status": "approved"}
    r = client.post(f"/lab/api/practices/{pid}/reject", headers={"X-Admin-Token": TOKEN}, json={"reason": "dup"})
    assert r.json["status"] == "rejected"
    assert repo.get_practice(pid, include_unapproved=True, url=env_db).review_note == "dup"
    r = client.post(f"/lab/api/practices/{pid}/approve", headers={"X-Admin-Token": TOKEN}, json=["not", "an object"])
    assert r.status_code == 200 and r.json["status"] == "approved"
    assert client.get("/lab/api/pending", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.post(f"/lab/api/practices/{pid}/delete", headers={"X-Admin-Token": TOKEN}).status_code == 404


def test_database_failure_is_reported_not_lost(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(_values, **_kw):
        raise OperationalError("INSERT", {}, Exception("disk I/O error at /secret/path"))

    monkeypatch.setattr(repo, "store_submission", broken)
    r = client.post("/lab/api/practices", json=valid_submission())
    assert r.status_code == 503 and r.json["error"] == (
        "Not stored: The practices database is unavailable. Please try again in a moment.")
    assert "disk" not in r.get_data(as_text=True) and r.headers["Retry-After"]


def test_init_app_is_idempotent_and_survives_a_bad_database(monkeypatch, tmp_path):
    from flask import Flask

    from dashboard.routes import lab_api

    monkeypatch.setenv("MIPEXR_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    app = Flask("x")
    lab_api.init_app(app)
    lab_api.init_app(app)  # second call: no duplicate blueprint
    assert lab_api.startup_error(app) and "127.0.0.1" in lab_api.startup_error(app)
    monkeypatch.setenv("MIPEXR_DB_URL", f"sqlite:///{tmp_path / 'ok.sqlite3'}")
    good = Flask("y")
    lab_api.init_app(good)
    assert lab_api.startup_error(good) is None
    # each app keeps its own outcome, and its requests see it
    assert "127.0.0.1" in lab_api.startup_error(app)
    with app.test_request_context():
        assert db.startup_error() == lab_api.startup_error(app)
    with good.test_request_context():
        assert db.startup_error() is None
    assert db.startup_error() is None  # outside any app
    db.dispose_engines()


# --------------------------------------------------------------------------------------------
# concurrency over real HTTP


@pytest.mark.timeout(120)
def test_100_concurrent_posts_all_land_sqlite(env_db):
    with LiveServer(lab_flask_app(UNLIMITED)) as server:
        results = post_concurrently(server.url, 100)
    assert_all_landed(env_db, results, 100)


def test_running_app_keeps_the_database_it_started_with(env_db, monkeypatch, tmp_path):
    app = lab_flask_app()
    monkeypatch.setenv("MIPEXR_DB_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")  # changed after start
    r = app.test_client().post("/lab/api/practices", json=valid_submission())
    assert r.status_code == 201
    assert repo.get_practice(r.json["id"], include_unapproved=True, url=env_db).status == "pending"
