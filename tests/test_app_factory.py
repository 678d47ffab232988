"""``create_app()`` is a real factory: every app built in one process answers every page and callback."""

from __future__ import annotations

import json

from dashboard import ids
from dashboard.app import create_app
from dashboard.callbacks import registry


def _outputs(output: str) -> list[dict] | dict:
    """The ``outputs`` spec Dash's renderer sends for an output string (``"..a.b...c.d.."`` = several)."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    specs = [dict(zip(("id", "property"), part.rsplit(".", 1))) for part in parts]
    return specs if output.startswith("..") else specs[0]


def _update(client, output: str, inputs: list[dict], changed: str, state: list[dict] | None = None) -> dict:
    body = {"output": output, "outputs": _outputs(output), "inputs": inputs, "changedPropIds": [changed],
            "state": state or []}
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def test_two_apps_in_one_process_each_have_every_callback():
    first, second = create_app(), create_app()
    outputs = []
    for app in (first, second):
        client = app.server.test_client()
        deps = client.get("/_dash-dependencies").get_json()
        outputs.append(sorted(d["output"] for d in deps))
        # every recorded callback, plus the Dash Pages router (and its clientside helper)
        assert len(deps) >= registry.count() + 1
        assert f"{ids.REGION_LOCATION}.pathname" in outputs[-1]
        assert any("_pages_content" in o for o in outputs[-1])
    assert outputs[0] == outputs[1]


def test_second_app_serves_a_page_and_runs_a_callback():
    create_app()  # a first app in the process must not take the callbacks away from the next one
    app = create_app()
    client = app.server.test_client()
    # the Dash Pages router renders the region page for /region/PT20
    deps = client.get("/_dash-dependencies").get_json()
    router = next(d for d in deps if "_pages_content" in d["output"])
    values = {"pathname": "/region/PT20", "search": ""}
    inputs = [{**i, "value": values.get(i["property"])} for i in router["inputs"]]
    state = [{**i, "value": None} for i in router["state"]]
    result = _update(client, router["output"], inputs, "_pages_location.pathname", state)
    assert "Azores" in json.dumps(result)
    # a page callback: choosing another region in the profile navigates there
    result = _update(client, f"{ids.REGION_LOCATION}.pathname",
                     [{"id": ids.REGION_SELECT, "property": "value", "value": "ES51"},
                      {"id": ids.REGION_LOCATION, "property": "pathname", "value": "/region/PT20"}],
                     f"{ids.REGION_SELECT}.value")
    assert result["response"][ids.REGION_LOCATION]["pathname"] == "/region/ES51"


def test_first_start_on_an_empty_var_folder_warns_of_nothing(caplog):
    """A first start (no database yet) creates the tables before anything reads them: no warning that the
    dataset store is unavailable (it was logged on every fresh start, from the Lab's seeding)."""
    import logging

    with caplog.at_level(logging.WARNING):
        create_app()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [r.getMessage() for r in caplog.records]
