"""One team's assessment walked in the browser from its self-assessment to the county ranking: the team
leader fills 附件1 and signs, the township passes it in the review page, the county assessor sees the
evidence from the records, adds a finding with a note and signs, ranks the round; the leading group
approves."""

import datetime as dt

import pytest
from assessment.process_kit import (
    SELF_FINDINGS,
    county_assess,
    make_people,
    make_teams,
    self_assess,
    township_pass,
)
from support.browser import sign_in
from support.places import OTHER_VILLAGE, PASSWORD, VILLAGE

from fupin.assessment import services
from fupin.assessment.models import AssessmentEntry, RoundStatus
from fupin.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def teams(people):
    return make_teams(people)


def as_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_self_assessment_to_ranking(live_server, page, screenshot, people, teams):
    with clock.pinned(dt.date(2020, 11, 20)):
        round_ = services.round_create(actor=people.officer, scheme_id="zhangwu-2020-team", year=2020,
                                       county_code="210922000000")
        # The other team is already through the county's evaluation.
        other = AssessmentEntry.objects.get(round=round_, area__code=OTHER_VILLAGE)
        self_assess(other, people.other_leader, {**SELF_FINDINGS, "11": {"funds": 60}})
        township_pass(other, people.township)
        county_assess(other, people.officer, {"11": {"funds": 60}, "12": {"income": 5},
                                              "24": {"village": 90, "households": 85}})
        ours = AssessmentEntry.objects.get(round=round_, area__code=VILLAGE)

        # The team leader fills the self-assessment and signs.
        as_user(page, live_server, people.leader)
        page.goto(f"{live_server.url}/assessment/rounds/")
        page.click(f"text={round_.title}")
        page.click("text=县卫健局驻富有村工作队")
        form = page.locator("#self-form form")
        form.locator("input[name=f-1-problems]").fill("1")
        form.locator("input[name=f-11-funds]").fill("150")
        form.locator("input[name=f-12-income]").fill("9.6")
        form.locator("input[name=f-24-village]").fill("98")
        form.locator("input[name=f-24-households]").fill("96")
        form.locator("textarea[name=summary]").fill("全年驻村280天，协调项目资金150万元")
        screenshot("assessment-self")
        page.click("#self-submit")
        page.wait_for_load_state("networkidle")
        assert "乡镇初审中" in page.locator("#entry-state").inner_text()

        # The township passes it in the review page.
        as_user(page, live_server, people.township)
        page.goto(f"{live_server.url}/assessment/entries/{ours.pk}/")
        page.click("text=查看审核记录")
        page.locator("form:has(input[name=act][value=approve]) button[type=submit]").click()
        page.wait_for_load_state("networkidle")

        # The county assessor sees the records' evidence, adds a finding with its note and signs.
        as_user(page, live_server, people.officer)
        page.goto(f"{live_server.url}/assessment/entries/{ours.pk}/")
        assert page.locator("table.evidence").is_visible()
        form = page.locator("#county-form form")
        assert form.locator("input[name=f-11-funds]").input_value() in ("150", "")
        form.locator("input[name=f-11-funds]").fill("150")
        form.locator("input[name=f-12-income]").fill("9.6")
        form.locator("input[name=f-24-village]").fill("98")
        form.locator("input[name=f-24-households]").fill("96")
        form.locator("input[name=f-20-gaps]").fill("2")
        form.locator("textarea[name=note-20]").fill("3月、4月工作日志缺入户记录")
        screenshot("assessment-county")
        page.click("#county-submit")
        page.wait_for_load_state("networkidle")
        assert "县级评价完成" in page.locator("#entry-state").inner_text()

        # Ranking (附件3).
        page.goto(f"{live_server.url}/assessment/rounds/{round_.pk}/")
        page.click("#rank-button")
        page.wait_for_load_state("networkidle")
        rows = page.locator("#entries-table tbody tr")
        assert rows.count() == 2 and "县卫健局驻富有村工作队" in rows.nth(0).inner_text()
        screenshot("assessment-ranking")

        # The leading group approves.
        as_user(page, live_server, people.admin)
        page.goto(f"{live_server.url}/assessment/rounds/{round_.pk}/")
        page.fill("input[name=approval_ref]", "彰武县脱贫攻坚领导小组2020年第6次会议")
        page.click("#approve-button")
        page.wait_for_load_state("networkidle")
        assert "领导小组已审定" in page.locator("#round-status").inner_text()
        round_.refresh_from_db()
        assert round_.status == RoundStatus.APPROVED
        assert not page.console_errors
