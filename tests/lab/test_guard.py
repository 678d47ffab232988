"""Spam and forgery resistance of the Integration Lab: rate limits per client (API, form, moderator token),
the same-origin check, the moderation page's form tokens, the honeypot, and the Redis-backed counter."""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select

from dashboard.lab import db, guard
from dashboard.lab import repository as repo
from dashboard.lab.models import Practice

from .helpers import (
    UNLIMITED,
    LiveServer,
    admin_form_token,
    lab_flask_app,
    valid_submission,
)

pytestmark = pytest.mark.timeout(90)

TOKEN = "s3cret-moderator-token"


def rows(url: str) -> int:
    with db.session_scope(url) as s:
        return int(s.scalar(select(func.count(Practice.id))))


@pytest.fixture
def app(env_db, monkeypatch):
    for name in ("MIPEXR_ADMIN_TOKEN", guard.TRUSTED_PROXIES_ENV, guard.PUBLIC_URL_ENV, guard.REDIS_URL_ENV):
        monkeypatch.delenv(name, raising=False)
    return lab_flask_app()


# --------------------------------------------------------------------------------------------
# submissions


def test_50_rapid_submissions_from_one_client_are_throttled_and_none_accepted_is_lost(app, env_db):
    """50 submissions at once over real HTTP from one address: 5 stored (5/minute), 45 answered 429 with
    Retry-After and a plain reason; every accepted id is in the database with its own title."""
    n = 50
    barrier = threading.Barrier(n)
    results: list[tuple[int, dict, dict] | None] = [None] * n

    def post(i: int, base: str) -> None:
        body = json.dumps(valid_submission(title=f"Rapid practice number {i:03d}")).encode()
        req = urllib.request.Request(f"{base}/lab/api/practices", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        barrier.wait()
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                results[i] = (resp.status, json.loads(resp.read()), dict(resp.headers))
        except urllib.error.HTTPError as exc:
            results[i] = (exc.code, json.loads(exc.read() or b"{}"), dict(exc.headers))

    with LiveServer(app) as server:
        threads = [threading.Thread(target=post, args=(i, server.url)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert all(r is not None for r in results)
    accepted = [r for r in results if r[0] == 201]
    refused = [r for r in results if r[0] == 429]
    assert len(accepted) == 5 and len(refused) == 45, sorted(r[0] for r in results)
    for _status, body, headers in refused:
        assert int(headers["Retry-After"]) >= 1
        assert body == {"error": body["error"]} and body["error"].startswith("Not stored: too many submissions")
    # nothing lost: every acknowledged submission is stored, and nothing else
    assert rows(env_db) == len(accepted)
    stored_titles = {repo.get_practice(b["id"], include_unapproved=True, url=env_db).title for _s, b, _h in accepted}
    assert len(stored_titles) == 5 and all(t.startswith("Rapid practice number") for t in stored_titles)


def test_invalid_answers_do_not_use_up_the_allowance_but_a_flood_is_stopped(app, env_db):
    client = app.test_client()
    for _ in range(10):  # a person correcting the form
        assert client.post("/lab/api/practices", json=valid_submission(title="")).status_code == 422
    assert [client.post("/lab/api/practices", json=valid_submission()).status_code for _ in range(6)] == \
        [201] * 5 + [429]
    # every request counts towards the flood guard (20 a minute): invalid ones are refused too now
    statuses = [client.post("/lab/api/practices", json=valid_submission(title="")).status_code for _ in range(6)]
    assert statuses == [422] * 4 + [429] * 2
    assert rows(env_db) == 5


def test_the_hourly_limit_holds_too(env_db):
    app = lab_flask_app({"submit": "100/minute;3/hour"})
    client = app.test_client()
    assert [client.post("/lab/api/practices", json=valid_submission()).status_code for _ in range(4)] == \
        [201, 201, 201, 429]


def test_a_spoofed_forwarded_for_header_does_not_escape_the_limit(app, env_db):
    client = app.test_client()
    statuses = [client.post("/lab/api/practices", json=valid_submission(),
                            headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(7)]
    assert statuses == [201] * 5 + [429] * 2  # no proxy is trusted: the header is ignored
    other = app.test_client()
    r = other.post("/lab/api/practices", json=valid_submission(), environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert r.status_code == 201  # another address has its own allowance


def test_behind_a_trusted_proxy_the_forwarded_client_counts(env_db, monkeypatch):
    monkeypatch.setenv(guard.TRUSTED_PROXIES_ENV, "1")
    client = lab_flask_app().test_client()

    def post(forwarded: str) -> int:
        return client.post("/lab/api/practices", json=valid_submission(),
                           headers={"X-Forwarded-For": forwarded}).status_code

    # the proxy appends the real address; whatever the client put on the left is not trusted
    assert [post(f"10.9.9.{i}, 203.0.113.5") for i in range(6)] == [201] * 5 + [429]
    assert post("203.0.113.6") == 201


def test_client_address_rules():
    assert guard.client_address("10.0.0.1", "1.2.3.4", 0) == "10.0.0.1"
    assert guard.client_address("10.0.0.1", "1.2.3.4, 5.6.7.8", 1) == "5.6.7.8"
    assert guard.client_address("10.0.0.1", "1.2.3.4, 5.6.7.8", 2) == "1.2.3.4"
    assert guard.client_address("10.0.0.1", "5.6.7.8", 2) == "10.0.0.1"  # fewer hops than proxies: not trusted
    assert guard.client_address(None, None, 0) == "unknown"


def test_trusted_proxies_setting(monkeypatch, caplog):
    for raw, n in (("", 0), ("0", 0), ("2", 2), ("-1", 0), ("two", 0)):
        monkeypatch.setenv(guard.TRUSTED_PROXIES_ENV, raw)
        assert guard.trusted_proxies() == n
    assert "not a whole number" in caplog.text


# --------------------------------------------------------------------------------------------
# origin


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Referer": "http://evil.example/form.html"},
    {"Origin": "http://localhost.evil.example"},
    {"Origin": "https://localhost"},  # another scheme is another origin
])
def test_cross_origin_form_post_is_refused(app, env_db, headers):
    form = {k: str(v) for k, v in valid_submission().items() if k not in ("aspects", "policy_areas", "links")}
    form.update(policy_areas="health", aspect_inclusion_inspiring="Open to all", consent="on")
    r = app.test_client().post("/lab/api/practices", data=form, headers=headers)
    assert r.status_code == 403 and "did not come from this site" in r.json["error"]
    assert rows(env_db) == 0


@pytest.mark.parametrize("headers", [
    {"Origin": "http://localhost"},
    {"Origin": "HTTP://LOCALHOST:80"},
    {"Referer": "http://localhost/lab/contribute"},
    {},  # a script or curl: neither header, nothing to forge
])
def test_same_origin_posts_pass(app, headers):
    r = app.test_client().post("/lab/api/practices", json=valid_submission(), headers=headers)
    assert r.status_code == 201, r.json


def test_public_url_defines_the_origin(app, monkeypatch):
    monkeypatch.setenv(guard.PUBLIC_URL_ENV, "https://lab.example.org/mipex/")
    client = app.test_client()
    assert client.post("/lab/api/practices", json=valid_submission(),
                       headers={"Origin": "http://localhost"}).status_code == 403
    assert client.post("/lab/api/practices", json=valid_submission(),
                       headers={"Origin": "https://lab.example.org"}).status_code == 201


def test_origin_rules():
    own = {"http://127.0.0.1:8050"}
    assert guard.origin_allowed("http://127.0.0.1:8050", None, own)
    assert guard.origin_allowed(None, "http://127.0.0.1:8050/lab?x=1", own)
    assert guard.origin_allowed(None, None, own)
    assert not guard.origin_allowed("http://127.0.0.1:8051", None, own)
    assert not guard.origin_allowed("null", "http://127.0.0.1:8050/lab", own)  # Origin wins over Referer
    assert not guard.origin_allowed("http://[::1", None, own)
    assert guard.normalise_origin("https://Example.ORG:443/x") == "https://example.org"
    assert guard.normalise_origin("javascript:alert(1)") is None


def test_moderation_api_post_from_another_site_is_refused(app, env_db, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    pid = app.test_client().post("/lab/api/practices", json=valid_submission()).json["id"]
    r = app.test_client().post(f"/lab/api/practices/{pid}/approve", data={"token": TOKEN},
                               headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert repo.get_practice(pid, include_unapproved=True, url=env_db).status == "pending"


# --------------------------------------------------------------------------------------------
# the moderation page: form tokens and token guessing


def test_admin_forms_need_this_sites_origin_and_the_sessions_form_token(app, env_db, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    client = app.test_client()
    csrf = admin_form_token(client)
    assert client.get("/lab/admin").headers["Referrer-Policy"] == "same-origin"  # no-referrer would send Origin: null
    cookie = client.get_cookie("mipexr_lab_moderation", path="/lab/admin")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    assert client.post("/lab/admin", data={"token": TOKEN, "csrf_token": csrf}).status_code == 200
    # from another site: refused even with the right token and form token
    r = client.post("/lab/admin", data={"token": TOKEN, "csrf_token": csrf}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "not sent from this site" in r.get_data(as_text=True)
    # without a form token, with a forged one, or with another session's
    assert client.post("/lab/admin", data={"token": TOKEN}).status_code == 403
    assert client.post("/lab/admin", data={"token": TOKEN, "csrf_token": csrf + "x"}).status_code == 403
    other = app.test_client()
    other_csrf = admin_form_token(other)
    r = client.post("/lab/admin", data={"token": TOKEN, "csrf_token": other_csrf})
    assert r.status_code == 403 and "expired" in r.get_data(as_text=True)
    pid = client.post("/lab/api/practices", json=valid_submission()).json["id"]
    assert client.post(f"/lab/admin/{pid}/approve", data={"token": TOKEN}).status_code == 403
    assert repo.get_practice(pid, include_unapproved=True, url=env_db).status == "pending"
    assert client.post(f"/lab/admin/{pid}/approve", data={"token": TOKEN, "csrf_token": csrf}).status_code == 200


def test_form_tokens_are_signed_bound_and_expire(monkeypatch):
    monkeypatch.setenv(guard.SECRET_KEY_ENV, "k" * 40)
    token = guard.csrf_token("session-one-0123456789")
    assert guard.csrf_valid(token, "session-one-0123456789")
    assert not guard.csrf_valid(token, "session-two-0123456789")
    assert not guard.csrf_valid(token, "session-one-0123456789", max_age=-1)  # expired
    monkeypatch.setenv(guard.SECRET_KEY_ENV, "another key entirely, 40 characters long")
    assert not guard.csrf_valid(token, "session-one-0123456789")  # another app's key
    assert not guard.csrf_valid(None, "x") and not guard.csrf_valid("x" * 600, "x")


def test_secret_key_is_made_once_and_kept_private(monkeypatch, _isolated_var_dir):
    monkeypatch.delenv(guard.SECRET_KEY_ENV, raising=False)
    first = guard.secret_key()
    path = _isolated_var_dir / guard.SECRET_KEY_FILE
    assert len(first) >= 40 and path.read_text() == first
    assert path.stat().st_mode & 0o077 == 0  # readable by the owner only
    assert guard.secret_key() == first
    monkeypatch.setenv(guard.SECRET_KEY_ENV, "from-the-environment")
    assert guard.secret_key() == "from-the-environment"


def test_300_admin_token_guesses_are_throttled(app, env_db, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    client = app.test_client()
    csrf = admin_form_token(client)
    statuses = [client.post("/lab/admin", data={"token": f"guess-{i}", "csrf_token": csrf}).status_code
                for i in range(300)]
    assert statuses[:10] == [403] * 10 and set(statuses[10:]) == {429}
    r = client.post("/lab/admin", data={"token": "guess", "csrf_token": csrf})
    page = r.get_data(as_text=True)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "Too many attempts with a wrong moderator token" in page and "<!doctype html>" in page
    # locked out: even the right token is not compared until the window has passed
    assert client.post("/lab/admin", data={"token": TOKEN, "csrf_token": csrf}).status_code == 429
    # the JSON API shares the count for this address
    r = client.get("/lab/api/pending", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 429 and "wrong moderator token" in r.json["error"] and r.headers["Retry-After"]
    # another address is not locked out
    other = app.test_client()
    other_csrf = admin_form_token(other)
    r = other.post("/lab/admin", data={"token": TOKEN, "csrf_token": other_csrf},
                   environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert r.status_code == 200


def test_admin_token_guesses_on_the_json_api_are_throttled(app, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    client = app.test_client()
    statuses = [client.post("/lab/api/practices/1/approve", headers={"X-Admin-Token": f"guess{i}"}).status_code
                for i in range(15)]
    assert statuses == [403] * 10 + [429] * 5
    # a right token used many times is no guess: moderators are not locked out by their own work
    ok = lab_flask_app(UNLIMITED).test_client()
    assert {ok.get("/lab/api/pending", headers={"X-Admin-Token": TOKEN}).status_code for _ in range(30)} == {200}


def test_every_moderation_request_counts(env_db, monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", TOKEN)
    client = lab_flask_app({"moderation": "5/minute"}).test_client()
    statuses = [client.get("/lab/api/pending", headers={"X-Admin-Token": TOKEN}).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2


# --------------------------------------------------------------------------------------------
# honeypot


def test_honeypot_on_the_api_looks_received_and_stores_nothing(app, env_db, caplog):
    caplog.set_level(logging.WARNING, logger="dashboard.lab.guard")
    r = app.test_client().post("/lab/api/practices", json=valid_submission(website="http://spam.example"))
    assert r.status_code == 201 and r.json["status"] == "pending" and "Thank you" in r.json["message"]
    assert "id" not in r.json and "Location" not in r.headers
    assert rows(env_db) == 0
    assert "honeypot" in caplog.text
    # an empty honeypot is ignored by validation: the submission is stored
    assert app.test_client().post("/lab/api/practices", json=valid_submission(website="")).status_code == 201
    assert rows(env_db) == 1


def test_honeypot_on_the_form_path(env_db, regions):
    from dashboard.callbacks import lab as cb

    values = valid_submission(website="buy now")
    msg, errors, done = cb.submit_contribution(values, regions)
    assert done and errors == {} and "received" in json.dumps(msg.to_plotly_json(), default=str)
    assert rows(env_db) == 0


def test_honeypot_field_is_hidden_from_people_but_not_display_none(regions):
    from dashboard import ids
    from dashboard.components import lab as lab_components

    box = lab_components.honeypot()
    assert box.style["position"] == "absolute" and box.style["left"].startswith("-")
    assert "display" not in box.style
    assert getattr(box, "aria-hidden") == "true"
    label, field = box.children
    assert label.children == "Leave this field empty"
    assert field.id == ids.lab_field("website") and field.tabIndex == "-1" and field.autoComplete == "off"


# --------------------------------------------------------------------------------------------
# the Dash form's path (the callback request)


@pytest.fixture
def dash_app(env_db, monkeypatch):
    for name in ("MIPEXR_ADMIN_TOKEN", guard.TRUSTED_PROXIES_ENV, guard.PUBLIC_URL_ENV, guard.REDIS_URL_ENV):
        monkeypatch.delenv(name, raising=False)
    from dashboard.app import create_app

    return create_app()


def _dispatch(client, values: dict, headers: dict | None = None):
    """POST the contribution form's submit callback as the browser does (Dash's JSON callback request)."""
    from dashboard import ids
    from dashboard.lab.validation import FIELD_LABELS, HONEYPOT_FIELD

    fields = [f for f in FIELD_LABELS if f not in ("aspects", "region_id")] + [HONEYPOT_FIELD]
    deps = client.get("/_dash-dependencies").json
    spec = next(d for d in deps if any(i["id"] == ids.LAB_FORM_SUBMIT for i in d["inputs"]))
    field_state = [{"id": ids.lab_field(f), "property": "value", "value": values.get(f)} for f in fields]
    choice_state = [{"id": ids.lab_choice("region_id"), "property": "value", "value": values.get("region_id")}]
    body = {
        "output": spec["output"],
        "outputs": [
            {"id": ids.LAB_FORM_RESULT, "property": "children"},
            [{"id": ids.lab_field(f), "property": "class_name"} for f in fields],
            [{"id": ids.lab_choice("region_id"), "property": "className"}],
            [{"id": ids.lab_feedback(f), "property": "children"} for f in FIELD_LABELS],
            {"id": ids.LAB_FORM_SUBMIT, "property": "style"},
        ],
        "inputs": [{"id": ids.LAB_FORM_SUBMIT, "property": "n_clicks", "value": 1}],
        "state": [field_state, choice_state],
        "changedPropIds": [f"{ids.LAB_FORM_SUBMIT}.n_clicks"],
    }
    return client.post("/_dash-update-component", json=body, headers=headers or {})


def _flat_form(**overrides) -> dict:
    values = valid_submission(**overrides)
    aspects = values.pop("aspects")
    for key, parts in aspects.items():
        for part, text in parts.items():
            values[f"aspect_{key}_{part}"] = text
    values["links"] = "\n".join(values["links"])
    return values


def test_the_dash_form_path_is_checked_like_the_api(dash_app, env_db):
    client = dash_app.server.test_client()
    before = rows(env_db)
    r = _dispatch(client, _flat_form(title="Sent through the real callback"))
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    assert "lab-submission-id" in r.get_data(as_text=True)
    assert rows(env_db) == before + 1
    # from another site: refused, nothing stored
    r = _dispatch(client, _flat_form(), headers={"Origin": "http://evil.example"})
    assert "lab-form-cross-site" in r.get_data(as_text=True) and rows(env_db) == before + 1
    # the honeypot
    r = _dispatch(client, _flat_form(website="http://spam.example"))
    assert "received" in r.get_data(as_text=True) and rows(env_db) == before + 1
    # the same limits as the API, counted per client address across both paths
    texts = [_dispatch(client, _flat_form()).get_data(as_text=True) for _ in range(5)]
    assert ["lab-submission-id" in t for t in texts] == [True] * 4 + [False]
    assert "too many submissions" in texts[-1] and "lab-form-throttled" in texts[-1]
    assert client.post("/lab/api/practices", json=valid_submission()).status_code == 429
    assert rows(env_db) == before + 5


def test_a_cross_site_simple_post_cannot_reach_the_callback(dash_app, env_db):
    """A browser sends a cross-site POST without asking first only as a form or text/plain: Dash refuses both."""
    client = dash_app.server.test_client()
    before = rows(env_db)
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        r = client.post("/_dash-update-component", data=json.dumps({"output": "x"}), content_type=content_type,
                        headers={"Origin": "http://evil.example"})
        assert r.status_code >= 400
    assert rows(env_db) == before


# --------------------------------------------------------------------------------------------
# Redis


@pytest.fixture
def redis_url(redis_server):
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    return redis_server


def test_redis_storage_is_shared_by_every_worker(env_db, monkeypatch, redis_url):
    monkeypatch.setenv(guard.REDIS_URL_ENV, redis_url)
    worker_a, worker_b = lab_flask_app(), lab_flask_app()  # two apps = two workers
    throttle = worker_a.extensions[guard.EXTENSION_KEY]
    assert throttle.storage_name == "redis" and type(throttle.strategy.storage).__name__ == "RedisStorage"
    throttle.strategy.storage.reset()
    a, b = worker_a.test_client(), worker_b.test_client()
    statuses = [client.post("/lab/api/practices", json=valid_submission()).status_code
                for client in (a, b, a, b, a, b)]
    assert statuses == [201] * 5 + [429]
    assert rows(env_db) == 5


def test_unreachable_redis_falls_back_to_memory(env_db, monkeypatch, caplog):
    from .helpers import free_port

    monkeypatch.setenv(guard.REDIS_URL_ENV, f"redis://127.0.0.1:{free_port()}/0")
    client = lab_flask_app().test_client()
    statuses = [client.post("/lab/api/practices", json=valid_submission()).status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]
    assert "counting in memory" in caplog.text


def test_a_bad_redis_url_fails_the_start_loudly(env_db, monkeypatch):
    monkeypatch.setenv(guard.REDIS_URL_ENV, "mysql://user:pw@host/db")
    with pytest.raises(ValueError, match="MIPEXR_REDIS_URL must be a redis://") as info:
        lab_flask_app()
    assert "pw" not in str(info.value)


def test_throttled_message_and_wait():
    assert guard.Throttled("submit", 40).wait == "about 40 seconds"
    assert guard.Throttled("submit", 1).wait == "about 1 second"
    assert guard.Throttled("submit", 3000).wait == "about 50 minutes"
    assert re.match(r"Not stored: too many submissions", guard.Throttled("submit", 5).message)
