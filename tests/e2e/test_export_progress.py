"""Slow downloads say what is happening: a click on "Download brief (PDF)" announces "Preparing your brief…"
in the page's status line (role=status, aria-live), marks the link busy, then saves the server's file under the
server's name and says so; the link itself stays a plain download link."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from dashboard import ids
from dashboard.export.browser import browser_available
from tests.e2e.conftest import assert_no_console_errors, click, wait_for, wait_until

pytestmark = pytest.mark.e2e


def test_the_brief_pdf_link_shows_progress_and_downloads(app_url, browser):
    if not browser_available():
        pytest.skip("no Chromium for the server's PDF export")
    folder = Path(browser.download_dir)
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    for old in folder.glob("*.pdf"):  # another test may have saved the same brief: the browser would overwrite it
        old.unlink()
    before: set[Path] = set()
    browser.get(app_url + "/region/PT20")
    link = wait_for(browser, 'a[data-fmt="brief-pdf"]', timeout=45)
    status = browser.find_element(By.ID, ids.EXPORT_STATUS)
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert link.get_attribute("href").split("?")[0].endswith("/brief/PT20.pdf") and link.get_attribute(
        "download") is not None  # still a plain download link without the script
    click(browser, link)
    wait_until(lambda: "Preparing your brief" in status.text or "Downloaded" in status.text,
               message="the status line says the brief is being prepared")
    new = wait_until(lambda: [p for p in set(folder.glob("*.pdf")) - before
                              if p.stat().st_size > 0 and not Path(str(p) + ".crdownload").exists()],
                     timeout=90, message="the brief's PDF")
    assert new[0].read_bytes().startswith(b"%PDF")
    wait_until(lambda: "Downloaded " + new[0].name in status.text, message="the status line says it is done")
    assert link.get_attribute("aria-busy") is None
    assert_no_console_errors(browser)
