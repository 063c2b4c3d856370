"""One monitoring case walked in the browser from village screening to county entry, a different
person at each step: the work-team member proposes, the village clerk records the appraisal and runs
the notice, the township verifies and sets the risk level, the county officer determines, the county
administrator enters it."""

import datetime as dt

import pytest
from monitoring.kit import CLEAN_FACTS, exited_household
from support.browser import sign_in
from support.places import COUNTY, PASSWORD, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.monitoring.models import MonitoringCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def act_form(page, act):
    return page.locator(f"form:has(input[name=act][value={act}])")


def submit(form, page):
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def open_review(page, live_server, case):
    page.goto(f"{live_server.url}/monitoring/{case.pk}/")
    page.get_by_test_id("case-review").click()
    page.wait_for_load_state("networkidle")


def test_case_from_screening_to_county_entry(live_server, page, screenshot, make_user):
    with clock.pinned(dt.date(2020, 6, 1)):
        workteam = make_user(Role.WORKTEAM_MEMBER, VILLAGE, username="mon_workteam")
        clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="mon_clerk")
        township = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="mon_township")
        officer = make_user(Role.COUNTY_OFFICER, COUNTY, username="mon_officer")
        admin = make_user(Role.COUNTY_ADMIN, COUNTY, username="mon_admin")
        household = exited_household()

        as_user(page, live_server, workteam)
        page.goto(f"{live_server.url}/monitoring/new/?household={household.pk}")
        page.select_option("select[name=found_by]", "workteam_visit")
        page.check("input[name=risk_types][value='01']")
        page.fill("textarea[name=reason]", "驻村走访：户主住院，医疗支出骤增")
        for name, value in CLEAN_FACTS.items():
            if isinstance(value, bool):
                page.select_option(f"select[name=fact_{name}]", "1" if value else "0")
            else:
                page.fill(f"input[name=fact_{name}]", value)
        screenshot("monitoring-propose")
        page.click("form.narrow button[type=submit]")
        page.wait_for_load_state("networkidle")
        case = MonitoringCase.objects.get(household=household)
        assert "村委会研究评议" in page.get_by_test_id("case-step").inner_text()

        as_user(page, live_server, clerk)
        open_review(page, live_server, case)
        form = act_form(page, "appraisal")
        for name, value in (("attendees", "15"), ("votes_for", "12"), ("votes_against", "2"), ("votes_abstain", "1")):
            form.locator(f"input[name={name}]").fill(value)
        form.locator("textarea[name=minutes]").fill("村委会研究评议，同意列为预监测对象")
        submit(form, page)
        form = act_form(page, "start_notice")
        form.locator("input[name=place]").fill("村务公开栏")
        submit(form, page)
        assert "正在公示" in page.get_by_test_id("notice-window").inner_text()

        clock.advance(days=7)
        page.reload()
        submit(act_form(page, "close_notice"), page)
        assert "乡镇走访核查" in page.get_by_test_id("current-stage").inner_text()

        as_user(page, live_server, township)
        open_review(page, live_server, case)
        form = act_form(page, "approve")
        form.locator("input[name=field_visit_date]").fill("2020-06-08")
        form.locator("input[name=field_visitors]").fill("包村干部 王建国")
        form.locator("input[name=field_findings]").fill("入户核实，情况属实")
        form.locator("select[name=field_risk_level]").select_option("high")
        submit(form, page)
        assert "县级确定" in page.get_by_test_id("current-stage").inner_text()

        as_user(page, live_server, officer)
        open_review(page, live_server, case)
        form = act_form(page, "approve")
        form.locator("input[name=field_leading_group_meeting]").fill("县扶贫开发领导小组2020年第5次会议")
        submit(form, page)

        as_user(page, live_server, admin)
        open_review(page, live_server, case)
        submit(act_form(page, "announce"), page)
        assert page.get_by_test_id("review-status").inner_text() == "已通过"

        page.goto(f"{live_server.url}/monitoring/{case.pk}/")
        assert page.get_by_test_id("case-status").inner_text() == "监测中"
        assert page.get_by_test_id("risk-level").inner_text().startswith("高风险")
        assert page.get_by_test_id("identified-on").inner_text() != "—"
        screenshot("monitoring-case-entered")
        assert page.console_errors == []
    household.refresh_from_db()
    assert household.monitoring_type == "1" and household.risk_identified_on == dt.date(2020, 6, 8)
