"""The shell: every page answers, shows the illustrative notice, and fetches nothing off the machine."""

import pytest

from dashboard import ids
from tests.e2e.conftest import assert_no_console_errors, external_requests, wait_for

pytestmark = pytest.mark.e2e


def test_home_loads_offline_with_notice(app_url, browser):
    browser.get(app_url + "/")
    notice = wait_for(browser, f"#{ids.NOTICE}")
    assert "Illustrative data" in notice.text
    assert_no_console_errors(browser)
    assert external_requests(browser) == []
