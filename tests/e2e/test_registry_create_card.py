"""A village clerk creates a household with its head in the browser, opens its 明白卡, and finds it among the
data-quality issues (a 拟纳入 household under the poverty line: 漏登 to check)."""

import datetime as dt

import pytest
from registry.factories import ensure_dictionaries, id_number, make_household
from support.browser import sign_in
from support.places import PASSWORD, VILLAGE

from fupin.accounts.roles import Role
from fupin.registry.models import Household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_creates_a_household_and_opens_its_card(live_server, page, make_user, screenshot):
    ensure_dictionaries()
    make_household()  # the 2020 registry year of the county
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk_create_e2e")
    sign_in(page, live_server, clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/registry/?year=2020")
    page.get_by_test_id("create").click()
    form = page.get_by_test_id("create-form")
    form.locator("select[name=village]").select_option(VILLAGE)
    form.locator("input[name=address]").fill("富有村七组3号")
    form.locator("input[name=wage_income]").fill("2000")
    form.locator("input[name='head-name']").fill("钱永福")
    form.locator("input[name='head-id_number']").fill(id_number(dt.date(1966, 8, 8), "1", seq=61))
    form.locator("select[name='head-sex']").select_option("1")
    form.locator("input[name='head-birth_date']").fill("1966-08-08")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/registry/households/*/")
    household = Household.objects.get(address="富有村七组3号")
    assert "拟纳入" in page.get_by_test_id("status").inner_text()

    page.get_by_test_id("card-link").click()
    card = page.get_by_test_id("card")
    assert "扶贫明白卡（2020年度）" in card.inner_text() and "钱永福" in card.inner_text()
    screenshot("registry-card")

    page.goto(f"{live_server.url}/registry/quality/?year=2020&check=missed_registration_income")
    assert household.household_number in page.locator("#issues").inner_text()
    assert page.console_errors == []
