"""Integration Lab in a real browser: submit a practice for a region outside the 25 (FR10, found by typing in
the region dropdown) through /lab/contribute (first with errors), approve it on the moderation page, and
find it on /lab (with its "Contributed by" badge and its point on the map) and on its own page."""

from __future__ import annotations

import os
import uuid

import pytest
from selenium.webdriver.common.by import By

from dashboard import ids
from dashboard.components.lab import dom_id
from tests.e2e.conftest import (
    assert_no_console_errors,
    external_requests,
    wait_for,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def by_dom_id(browser, component_id):
    """The element of a pattern-matching id (its DOM id is JSON, which CSS selectors cannot name)."""
    el = browser.execute_script("return document.getElementById(arguments[0]);", dom_id(component_id))
    assert el is not None, f"no element {component_id}"
    return el


def field(browser, name):
    return by_dom_id(browser, ids.lab_field(name))


def choose(browser, name, label):
    """Tick a checklist box / radio button by its visible label."""
    container = field(browser, name)
    option = container.find_element(By.XPATH, f".//label[normalize-space()='{label}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", option)


def choose_in_dropdown(browser, component_id, search, value):
    """Open a searchable dropdown, type ``search`` and pick the option whose value is ``value``."""
    button = by_dom_id(browser, component_id)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button)
    box = wait_for(browser, "input.dash-dropdown-search")
    box.send_keys(search)
    option = wait_for(browser, f"[role=option] input[value='{value}']")
    browser.execute_script("arguments[0].closest('[role=option]').click();", option)
    wait_until(lambda: value in (by_dom_id(browser, component_id).text or ""), message=f"{value} chosen")


def type_into(browser, name, text):
    el = field(browser, name)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
    el.clear()
    el.send_keys(text)


def click(browser, css):
    """Scroll to and click (JS click: Bootstrap's smooth scrolling makes native clicks land short)."""
    el = wait_for(browser, css)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
    browser.execute_script("arguments[0].click();", el)


def test_submit_approve_and_find_a_practice(app_url, browser):
    token = os.environ.get("MIPEXR_ADMIN_TOKEN")
    assert token, "the e2e app is started with MIPEXR_ADMIN_TOKEN set"
    marker = uuid.uuid4().hex[:10]
    title = f"Browser test welcome desks {marker}"

    # 1. the empty form is refused, field by field
    browser.get(f"{app_url}/lab/contribute")
    wait_for(browser, f"#{ids.LAB_FORM_SUBMIT}")
    click(browser, f"#{ids.LAB_FORM_SUBMIT}")
    errors = wait_for(browser, "#lab-form-errors")
    assert "need attention" in errors.text and "Title of the practice" in errors.text
    wait_until(lambda: "is-invalid" in (field(browser, "title").get_attribute("class") or ""),
               message="title marked invalid")
    feedback = by_dom_id(browser, ids.lab_feedback("consent"))
    assert "confirm" in feedback.text

    # 2. a complete answer is stored as pending
    type_into(browser, "title", title)
    choose_in_dropdown(browser, ids.lab_choice("region_id"), "FR10", "FR10")  # not one of the 25
    type_into(browser, "year_start", "2020")
    choose(browser, "policy_areas", "Language")
    choose(browser, "policy_areas", "Education")
    choose(browser, "target_group", "Both TCN and BIP")
    type_into(browser, "responsible_body", "Regional integration office")
    type_into(browser, "description", "Welcome desks in rural municipalities give newcomers one place to ask.")
    type_into(browser, "regional_contribution", "The region funds the desks and trains their staff.")
    choose(browser, "contribution_mode", "Both directly and through social actors")
    type_into(browser, "lessons_learnt", "Desks staffed by people from the community were trusted most.")
    type_into(browser, "transferability_tips", "Start where municipalities already cooperate.")
    type_into(browser, "aspect_communication_inspiring", f"Leaflets in eight languages {marker}.")
    type_into(browser, "aspect_sustainability_improvement", "Funding is renewed every year.")
    type_into(browser, "links", "https://example.org/welcome-desks")
    type_into(browser, "provenance", "Evaluation report of the regional integration plan")
    type_into(browser, "submitter_organisation", "Example Regional Office")
    browser.execute_script("arguments[0].click();", field(browser, "consent"))
    click(browser, f"#{ids.LAB_FORM_SUBMIT}")
    success = wait_for(browser, "#lab-form-success")
    assert "stored" in success.text
    practice_id = wait_for(browser, "#lab-submission-id").text.lstrip("#")
    assert practice_id.isdigit()
    assert_no_console_errors(browser)

    # 3. pending: not on /lab yet
    browser.get(f"{app_url}/lab?q={marker}")
    wait_for(browser, "#lab-no-results")

    # 4. a moderator approves it on the token-protected page
    browser.get(f"{app_url}/lab/admin")
    wait_for(browser, "#token").send_keys(token)
    click(browser, "#lab-admin-login")
    click(browser, f"#approve-{practice_id}")
    wait_until(lambda: f"Approved #{practice_id}" in wait_for(browser, "#lab-admin-message").text,
               message="approval message")

    # 5. now it is listed with its own badge, its region has a point on the map, and its page shows the assessment
    browser.get(f"{app_url}/lab?q={marker}")
    card = wait_for(browser, f"#lab-result-{practice_id}")
    assert title in card.text and "Ile-de-France" in card.text
    assert "Contributed by Example Regional Office" in card.text and "Source-based" not in card.text
    count = wait_for(browser, f"#{ids.LAB_RESULT_COUNT}")
    assert count.text.startswith("1 practice")
    assert "EuroGeographics" in wait_for(browser, f"#{ids.LAB_MAP_CREDIT}").text
    wait_for(browser, f"#{ids.LAB_MAP} .main-svg")
    points = wait_until(lambda: browser.execute_script(
        "const g = document.querySelector('#lab-map .js-plotly-plot');"
        "return g && g.data && g.data[1] ? Array.from(g.data[1].customdata || []) : null;"), message="map data")
    assert points == ["FR10"]
    assert_no_console_errors(browser)

    link = card.find_element(By.LINK_TEXT, title)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", link)
    aspects = wait_for(browser, f"#{ids.LAB_PRACTICE_ASPECTS}")
    wait_until(lambda: marker in aspects.text, message="assessment text")
    assert "Funding is renewed every year." in aspects.text
    assert not browser.find_elements(By.ID, ids.LAB_PRACTICE_PROFILE_LINK)  # FR10 has no MIPEX-R profile
    provenance = browser.find_element(By.ID, ids.LAB_PRACTICE_PROVENANCE).text
    assert "Evaluation report" in provenance and "Example Regional Office" in provenance
    assert_no_console_errors(browser)
    assert external_requests(browser) == []


def test_lab_filters_and_map_work_offline(app_url, browser):
    browser.get(f"{app_url}/lab?region=SE224")
    wait_for(browser, f"#{ids.LAB_MAP} .main-svg")
    count = wait_for(browser, f"#{ids.LAB_RESULT_COUNT}")
    wait_until(lambda: count.text.startswith("2 practices"), message="two Skåne practices")
    assert "Source-based" in browser.find_element(By.ID, ids.LAB_RESULTS).text
    # full-text search narrows the list without reloading the page
    search = browser.find_element(By.ID, ids.LAB_SEARCH)
    search.send_keys("health communication")
    wait_until(lambda: browser.find_element(By.ID, ids.LAB_RESULT_COUNT).text.startswith("1 practice"),
               message="search narrows to one")
    href = browser.find_element(By.ID, ids.LAB_EXPORT_CSV).get_attribute("href")
    assert "/lab/export.csv?" in href and "region=SE224" in href and "q=health" in href
    click(browser, f"#{ids.LAB_CLEAR_FILTERS}")
    wait_until(lambda: "in the Integration Lab" in browser.find_element(By.ID, ids.LAB_RESULT_COUNT).text,
               message="all practices after clearing")
    assert "Illustrative" in browser.find_element(By.ID, ids.LAB_RESULTS).text
    assert_no_console_errors(browser)
    assert external_requests(browser) == []
