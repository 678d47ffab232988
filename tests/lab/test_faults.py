"""Fault tests: the Lab database deleted, read-only or unreachable while the app serves. Every fault ends
in a plain "the practices database is unavailable" (503 for the API, an alert on the pages), with no
connection detail, and no submission is acknowledged and then lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from dashboard.lab import db, migrations
from dashboard.lab import repository as repo

from .helpers import (
    UNLIMITED,
    admin_form_token,
    free_port,
    lab_flask_app,
    valid_submission,
)

pytestmark = pytest.mark.timeout(120)

UNAVAILABLE = "The practices database is unavailable."


def delete_database(url: str) -> None:
    path = Path(make_url(url).database)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def assert_plain(text: str, *secrets: str) -> None:
    for secret in ("OperationalError", "sqlite3", "psycopg", "Traceback", *secrets):
        assert secret not in text, (secret, text[:300])


def restart(url: str, monkeypatch) -> None:
    """A new process on the same database URL: fresh engines, the app's start-up (migrate) again."""
    db.dispose_engines()
    monkeypatch.setenv("MIPEXR_DB_URL", url)
    lab_flask_app(UNLIMITED)


# --------------------------------------------------------------------------------------------
# SQLite file deleted while serving


def test_sqlite_file_deleted_while_serving_is_refused_never_stored_then_lost(env_db, monkeypatch):
    app = lab_flask_app(UNLIMITED)
    client = app.test_client()
    acknowledged: list[tuple[int, str]] = []

    def submit(title: str):
        r = client.post("/lab/api/practices", json=valid_submission(title=title))
        if r.status_code == 201:
            acknowledged.append((r.json["id"], title))
        return r

    assert submit("Stored before the file went away").status_code == 201
    delete_database(env_db)
    for i in range(3):
        r = submit(f"Sent after the file went away {i}")
        assert r.status_code == 503 and r.json["error"] == f"Not stored: {UNAVAILABLE} Please try again in a moment."
        assert_plain(r.get_data(as_text=True), str(Path(make_url(env_db).database).parent))
    assert not Path(make_url(env_db).database).exists()  # no empty stand-in file was created by a request
    for path in ("/lab/export.csv", "/lab/export.json", "/lab/api/practices/1"):
        r = client.get(path)
        assert r.status_code == 503 and UNAVAILABLE in r.get_data(as_text=True)
    # after a restart, every acknowledged submission made after the deletion is there (there is none)
    restart(env_db, monkeypatch)
    after = [(pid, t) for pid, t in acknowledged if t.startswith("Sent after")]
    assert after == []
    for pid, title in after:  # pragma: no cover - documents the rule
        assert repo.get_practice(pid, include_unapproved=True, url=env_db).title == title
    # and the restarted app stores again
    assert lab_flask_app(UNLIMITED).test_client().post("/lab/api/practices", json=valid_submission()).status_code == 201


def test_file_deleted_between_commit_and_acknowledgement_is_not_acknowledged(env_db, monkeypatch):
    """The race: the file disappears while a submission's transaction is open. The row goes into the
    deleted file; the read-back in a new session notices and the submission is answered 503, not 201."""
    client = lab_flask_app(UNLIMITED).test_client()
    assert client.post("/lab/api/practices", json=valid_submission()).status_code == 201
    real = repo._practice_from

    def delete_then_build(values, regions):
        delete_database(env_db)
        return real(values, regions)

    monkeypatch.setattr(repo, "_practice_from", delete_then_build)
    r = client.post("/lab/api/practices", json=valid_submission(title="Written into a deleted file"))
    assert r.status_code == 503 and UNAVAILABLE in r.json["error"]
    monkeypatch.setattr(repo, "_practice_from", real)
    restart(env_db, monkeypatch)
    assert [p.title for p in repo.list_all(url=env_db)] == []  # gone with the file, and never acknowledged


def test_sqlite_file_replaced_while_serving_is_followed(env_db, monkeypatch, tmp_path):
    """A file restored from a backup (a new file at the same path): the old connections are dropped and the
    next submission goes into the new file, where it survives a restart."""
    client = lab_flask_app(UNLIMITED).test_client()
    old = client.post("/lab/api/practices", json=valid_submission(title="In the old file")).json["id"]
    backup = tmp_path / "backup.sqlite3"
    migrations.upgrade(f"sqlite:///{backup}")
    os.replace(backup, make_url(env_db).database)
    for suffix in ("-wal", "-shm"):
        Path(make_url(env_db).database + suffix).unlink(missing_ok=True)
    r = client.post("/lab/api/practices", json=valid_submission(title="In the restored file"))
    assert r.status_code == 201
    restart(env_db, monkeypatch)
    assert [p.title for p in repo.list_all(url=env_db)] == ["In the restored file"]
    assert repo.get_practice(r.json["id"], include_unapproved=True, url=env_db).title == "In the restored file"
    assert old == r.json["id"]  # a fresh file numbers from 1 again


# --------------------------------------------------------------------------------------------
# read-only database


def test_read_only_sqlite_database_answers_503(env_db, monkeypatch, regions):
    db.dispose_engines()
    path = make_url(env_db).database
    monkeypatch.setenv("MIPEXR_DB_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    app = lab_flask_app(UNLIMITED)
    client = app.test_client()
    r = client.post("/lab/api/practices", json=valid_submission())
    assert r.status_code == 503 and r.json["error"] == f"Not stored: {UNAVAILABLE} Please try again in a moment."
    assert_plain(r.get_data(as_text=True), "readonly", path)
    assert client.get("/lab/export.csv").status_code == 200  # reading still works
    # the form path says the same in an alert
    from dashboard.callbacks import lab as cb

    with app.test_request_context("/_dash-update-component", method="POST"):
        msg, errors, done = cb.submit_contribution(valid_submission(), regions)
    assert not done and "the practices database is unavailable" in str(msg.to_plotly_json())
    db.dispose_engines()
    assert repo.list_all(url=env_db) == []


def test_read_only_moderation_answers_a_plain_page(env_db, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", "tok")
    pid = lab_flask_app(UNLIMITED).test_client().post("/lab/api/practices", json=valid_submission()).json["id"]
    db.dispose_engines()
    path = make_url(env_db).database
    monkeypatch.setenv("MIPEXR_DB_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    client = lab_flask_app(UNLIMITED).test_client()
    csrf = admin_form_token(client)
    r = client.post(f"/lab/admin/{pid}/approve", data={"token": "tok", "csrf_token": csrf})
    page = r.get_data(as_text=True)
    assert r.status_code == 503 and UNAVAILABLE in page and "<!doctype html>" in page
    assert_plain(page, path)
    r = client.post(f"/lab/api/practices/{pid}/approve", headers={"X-Admin-Token": "tok"})
    assert r.status_code == 503 and r.json["error"] == f"{UNAVAILABLE} Please try again in a moment."


# --------------------------------------------------------------------------------------------
# PostgreSQL unreachable or read-only


CLOSED_PORT_URL = "postgresql+psycopg://lab_user:pw@127.0.0.1:{port}/lab_db_name"


def test_postgres_unreachable_answers_503_without_connection_details(monkeypatch, regions, dataset):
    port = free_port()  # nothing listens there
    url = CLOSED_PORT_URL.format(port=port)
    monkeypatch.setenv("MIPEXR_DB_URL", url)
    app = lab_flask_app(UNLIMITED)
    assert str(port) in (app.config[db.STARTUP_ERROR_KEY] or "")  # the operator's log/config has the details
    client = app.test_client()
    secrets = ("127.0.0.1", str(port), "lab_user", "lab_db_name", "postgresql", "Connection refused")
    r = client.post("/lab/api/practices", json=valid_submission())
    assert r.status_code == 503 and r.json["error"] == f"Not stored: {UNAVAILABLE} Please try again in a moment."
    assert_plain(r.get_data(as_text=True), *secrets)
    for path in ("/lab/export.csv", "/lab/export.json", "/lab/api/practices/3"):
        r = client.get(path)
        assert r.status_code == 503 and UNAVAILABLE in r.get_data(as_text=True)
        assert_plain(r.get_data(as_text=True), *secrets)
    # the pages, rendered inside one of the app's requests
    from dashboard.callbacks import lab as cb
    from dashboard.components import lab as lab_components
    from dashboard.lab.repository import PracticeFilter
    from dashboard.views import lab as lab_views

    with app.test_request_context("/lab"):
        view = lab_views.lab_view(dataset, PracticeFilter(), regions)
        shown = [str(lab_components.status(view).to_plotly_json()),
                 str(lab_components.results_list(view, regions)),
                 str(lab_components.db_unavailable(lab_views.practice_view("1").error).to_plotly_json()),
                 str(cb.submit_contribution(valid_submission(), regions)[0].to_plotly_json()),
                 cb.map_image(PracticeFilter(), "png")[1]]
    assert UNAVAILABLE in shown[0] and "unavailable" in shown[3] and "unavailable" in shown[4]
    for text in shown:
        assert_plain(text, *secrets)


def test_postgres_unreachable_on_the_real_pages(monkeypatch):
    """The /lab page of the whole app (its layout through Dash Pages) with PostgreSQL down."""
    port = free_port()
    monkeypatch.setenv("MIPEXR_DB_URL", CLOSED_PORT_URL.format(port=port))
    from dashboard.app import create_app

    app = create_app()  # Dash Pages imports the page modules: only then can they be imported here
    from dashboard.pages import lab as lab_page
    from dashboard.pages import lab_practice
    with app.server.test_request_context("/lab"):
        texts = [str(lab_page.layout().to_plotly_json()), str(lab_practice.layout(practice_id="1").to_plotly_json())]
    for text in texts:
        assert UNAVAILABLE in text
        assert_plain(text, "127.0.0.1", str(port), "lab_user", "lab_db_name", "postgresql", "refused")


@pytest.mark.postgres
def test_postgres_read_only_answers_503(pg_url, monkeypatch):
    import psycopg

    migrations.upgrade(pg_url)
    db.dispose_engines()
    u = make_url(pg_url)
    with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{u.database}" SET default_transaction_read_only = on')
    monkeypatch.setenv("MIPEXR_DB_URL", pg_url)
    client = lab_flask_app(UNLIMITED).test_client()
    r = client.post("/lab/api/practices", json=valid_submission())
    assert r.status_code == 503 and r.json["error"] == f"Not stored: {UNAVAILABLE} Please try again in a moment."
    assert_plain(r.get_data(as_text=True), "read-only", str(u.port), u.database)
    assert client.get("/lab/export.json").status_code == 200


@pytest.mark.postgres
def test_postgres_going_down_while_serving(pg_server, monkeypatch):
    """Connections of a pool whose server stops: the next submission is answered 503, not a 500."""
    url = pg_server.create_database()
    migrations.upgrade(url)
    monkeypatch.setenv("MIPEXR_DB_URL", url)
    client = lab_flask_app(UNLIMITED).test_client()
    assert client.post("/lab/api/practices", json=valid_submission()).status_code == 201
    # kill every connection to this database from the server side (as a restart would)
    import psycopg

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname="postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                      "pg_backend_pid()", (u.database,))
    r = client.post("/lab/api/practices", json=valid_submission(title="After the connections were cut"))
    assert r.status_code in (201, 503)
    if r.status_code == 201:  # the pool noticed (pre-ping) and reconnected: then it must really be stored
        db.dispose_engines()
        assert repo.get_practice(r.json["id"], include_unapproved=True, url=url).title == \
            "After the connections were cut"


def test_a_connection_to_a_file_that_vanished_while_opening_is_never_used(env_db, monkeypatch):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    engine = db.make_engine(env_db)
    monkeypatch.setattr(db, "_file_id", lambda _path: None)  # as if the file were deleted right after opening
    with pytest.raises(OperationalError, match="disappeared while being opened"):
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    engine.dispose()
