"""A village clerk signs in and sees only their own village; the shell works without CSP violations."""

import pytest
from support.browser import sign_in
from support.places import OTHER_VILLAGE, PASSWORD, VILLAGE

from fupin.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_village_clerk_sees_only_their_village(live_server, page, screenshot, make_user):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk_e2e")
    sign_in(page, live_server, clerk.username, PASSWORD)
    assert page.get_by_test_id("who").inner_text() == clerk.display_name
    page.goto(f"{live_server.url}/areas/")
    table = page.locator("table.data").inner_text()
    assert "富有村委会" in table and "黄花山村委会" not in table
    screenshot("clerk-areas")
    page.goto(f"{live_server.url}/areas/{OTHER_VILLAGE}/")
    assert "区划不在您的管辖范围内" in page.content()
    assert page.console_errors == []  # no CSP violations, no script errors


def test_township_reviewer_filters_and_sorts_with_htmx(live_server, page, screenshot, make_user):
    reviewer = make_user(Role.TOWNSHIP_REVIEWER, "210922101", username="township_e2e")
    sign_in(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/areas/")
    page.fill("input[name=q]", "黄花山")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**q=*")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1 and "黄花山村委会" in rows.first.inner_text()
    page.goto(f"{live_server.url}/areas/?sort=-code")
    first = page.locator("table.data tbody tr").first.inner_text()
    page.goto(f"{live_server.url}/areas/?sort=code")
    assert page.locator("table.data tbody tr").first.inner_text() != first
    screenshot("township-areas")
    assert page.console_errors == []


def test_language_switch_to_english(live_server, page, make_user):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk_en")
    sign_in(page, live_server, clerk.username, PASSWORD)
    page.click(".lang-switch button")
    page.wait_for_load_state("networkidle")
    assert "Workbench" in page.content() and "Sign out" in page.content()
    page.click(".lang-switch button")
    page.wait_for_load_state("networkidle")
    assert "工作台" in page.content()
