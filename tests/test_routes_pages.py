"""Unknown addresses answer 404 (with the app's friendly page); every page of the app answers 200."""

from __future__ import annotations

import pytest

from dashboard.app import create_app


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


@pytest.mark.parametrize("path", ["/", "/compare?regions=PT20,PT17", "/explore", "/region/PT20", "/methodology",
                                  "/data", "/self-assessment", "/lab", "/outcomes"])
def test_pages_answer_200(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/nope", "/region", "/compare/extra", "/404"])
def test_unknown_paths_answer_404_with_the_app_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "MIPEX-R Explorer" in response.get_data(as_text=True)  # the app shell renders the friendly page


def test_routes_that_are_not_pages_keep_their_status(client):
    assert client.get("/export/status").status_code == 200
    assert client.get("/assets/10-app.css").status_code == 200


def test_favicon_is_found(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200 and response.mimetype.startswith("image/")


def test_every_menu_link_is_in_the_shell_and_answers(client):
    """The menu (NAV_LINKS) is in the served layout, "Policy & outcomes" included, and each link answers 200."""
    import json

    from dashboard.app import NAV_LINKS

    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "NavLink":
                found.append((node["props"]["children"], node["props"]["href"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(client.get("/_dash-layout").get_data(as_text=True)))
    assert ("Policy & outcomes", "/outcomes") in found
    assert found[:len(NAV_LINKS)] == list(NAV_LINKS)  # the menu, then links in the notice
    for _label, href in found:
        assert client.get(href).status_code == 200
