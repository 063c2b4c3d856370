"""A county officer opens the county battle map, sees the schematic map and the charts, and drills
down township → village → household, without CSP violations or script errors."""

import pytest
from progress.conftest import poor, rich
from support.browser import sign_in
from support.places import PASSWORD, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.progress.indicators import indicators_refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drill_down_from_county_to_household(live_server, page, screenshot, make_user):
    household = rich(VILLAGE, status="exited", exit_year=2020)
    poor(VILLAGE, status="registered")
    indicators_refresh(year=2020)
    officer = make_user(Role.COUNTY_OFFICER, "210922", username="officer_map")
    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/progress/")
    page.wait_for_selector(".pg-tiles")
    assert page.get_by_test_id("figure-households").inner_text() == "2"
    page.wait_for_selector(".pg-chart canvas")  # ECharts drew from the data-* attribute
    screenshot("battle-map-county")
    page.click(f'.pg-tile a[href^="/progress/map/{TOWNSHIP}000/"]')
    page.wait_for_url(f"**/progress/map/{TOWNSHIP}000/**")
    page.click(f'.pg-tile a[href^="/progress/map/{VILLAGE}/"]')
    page.wait_for_url(f"**/progress/map/{VILLAGE}/**")
    row = page.locator("table.data tbody tr", has_text=household.household_number)
    assert "已达标" in row.inner_text()
    screenshot("battle-map-village")
    row.locator("a").first.click()
    page.wait_for_url(f"**/registry/households/{household.pk}/")
    assert household.household_number in page.content()
    assert page.console_errors == []
