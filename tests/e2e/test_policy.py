"""A county officer screens a village from the policy page, the worker stores the decisions, the household
page shows them beside the live explanation, and a what-if with a higher poverty line lists who changes."""

from decimal import Decimal

import pytest
from registry.factories import make_household
from support.browser import sign_in
from support.places import COUNTY, PASSWORD, VILLAGE

from fupin.accounts.roles import Role
from fupin.policy.models import ScreeningRun
from fupin.tasks.services import worker_loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screen_then_household_page_then_whatif(live_server, page, screenshot, make_user):
    officer = make_user(Role.COUNTY_OFFICER, COUNTY, username="officer_policy_e2e")
    poor = make_household(household_type="1", wage_income=Decimal("3000.00"), business_income=Decimal("0.00"),
                          transfer_income=Decimal("0.00"), production_costs=Decimal("0.00"))
    near = make_household(household_type="2", food_secure=True, clothing_secure=True, basic_medical_secured=True,
                          compulsory_education_secured=True, housing_secured=True, safe_drinking_water=True,
                          wage_income=Decimal("12600.00"), business_income=Decimal("0.00"),
                          transfer_income=Decimal("0.00"), production_costs=Decimal("0.00"))

    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/policy/")
    page.select_option("#start-run select[name=pack]", "zhangwu-2020@1")
    page.fill("#start-run input[name=year]", "2020")
    page.fill("#start-run input[name=area]", VILLAGE)
    page.click("#start-run button[type=submit]")
    page.wait_for_url("**/tasks/*/")
    assert worker_loop(once=True) == 1
    run = ScreeningRun.objects.get()
    assert run.households == 2

    page.goto(f"{live_server.url}/registry/households/{poor.pk}/")
    stored = page.locator("#policy tr[data-rule=low_income_list] td.stored")
    assert stored.inner_text() == "是"
    assert page.locator("#policy th a", has_text=f"#{run.pk}").is_visible()
    screenshot("policy-household-stored")

    page.goto(f"{live_server.url}/policy/whatif/")
    page.select_option("select[name=pack]", "zhangwu-2020@1")
    page.fill("input[name=year]", "2020")
    page.fill("input[name=area]", VILLAGE)
    page.fill("textarea[name=changes]", "national_poverty_line=4500")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    row = page.locator("#whatif-rules tr[data-rule=exit_standard]")
    assert row.locator("td").nth(1).inner_text() == "1"
    assert page.locator("table[data-rule=exit_standard]").get_by_text(near.household_number).is_visible()
    screenshot("policy-whatif")
    assert page.console_errors == []
