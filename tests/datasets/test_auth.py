"""Who may change the shared data: the admin token, compared in constant time; none configured = read-only."""

from __future__ import annotations

import pytest

from dashboard.datasets import (
    NotAuthorised,
    WebPublishingDisabled,
    admin_token,
    check_token,
    require_admin,
    web_publishing_enabled,
)


def test_check_token():
    assert check_token("s3cret-token", "s3cret-token")
    assert check_token(b"s3cret", "s3cret") and check_token("sécret", "sécret".encode())
    for given, expected in (("s3cret", "s3cret "), ("", ""), (None, None), ("x", None), (None, "x"), ("", "x"),
                            ("S3CRET", "s3cret"), ("s3cre", "s3cret")):
        assert not check_token(given, expected)


def test_without_a_configured_token_the_web_is_read_only(monkeypatch):
    monkeypatch.delenv("MIPEXR_ADMIN_TOKEN", raising=False)
    assert admin_token() is None and not web_publishing_enabled()
    with pytest.raises(WebPublishingDisabled, match="command line"):
        require_admin("anything")
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", "   ")
    assert not web_publishing_enabled()
    with pytest.raises(WebPublishingDisabled):
        require_admin("   ")


def test_require_admin(monkeypatch):
    monkeypatch.setenv("MIPEXR_ADMIN_TOKEN", "correct horse")
    assert web_publishing_enabled()
    require_admin("correct horse")
    for wrong in (None, "", "correct", "correct horse battery"):
        with pytest.raises(NotAuthorised) as info:
            require_admin(wrong)
        assert not isinstance(info.value, WebPublishingDisabled)
