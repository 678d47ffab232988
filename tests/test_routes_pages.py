"""Unknown addresses answer 404 (with the app's friendly page); every page of the app answers 200."""

from __future__ import annotations

import pytest

from dashboard.app import create_app


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


@pytest.mark.parametrize("path", ["/", "/compare?regions=PT20,PT17", "/explore", "/region/PT20", "/methodology",
                                  "/data", "/self-assessment", "/lab"])
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
