"""Pages as users see them: the overview checks, the household page, the cadre's own page."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from support.places import OTHER_VILLAGE, TOWNSHIP

from fupin.assistance import services
from fupin.assistance.models import Visit
from fupin.registry.models import Household

from .conftest import make_household


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_overview_shows_uncovered_over_limit_behind_and_rule(township, clerk, cadre, areas):
    paired = [make_household() for _ in range(6)]
    Household.objects.filter(pk__in=[h.pk for h in paired]).update(pairing_cadre=cadre)
    unpaired = make_household()
    plan = services.plan_create(actor=clerk, household=paired[0])
    services.measure_add(actor=clerk, plan=plan, data={"measure_code": "SEC-DIBAO", "start_date": "2020-01-01",
                                                      "status": "in_place", "responsible_unit": "县民政局"})
    page = signed_in(township).get("/assistance/", {"area": TOWNSHIP, "year": 2020, "month": "2020-05"})
    html = page.content.decode()
    assert unpaired.household_number in html  # 未落实帮扶责任人
    assert "超过帮扶户数上限" in html and "刘帮扶" in html
    assert "其中 6 户本月帮扶责任人走访不足 3 次" in html
    assert "有劳动能力的家庭应至少安排一项开发式帮扶措施" in html


def test_household_page_masks_the_cadre_phone_for_cadres(township, cadre, household):
    services.cadre_assign(actor=township, household=household, cadre=cadre)
    plan = services.plan_create(actor=township, household=household)
    services.measure_add(actor=township, plan=plan, data={"measure_code": "EMP-PUBLIC", "start_date": "2020-03-01",
                                                         "status": "in_place", "responsible_unit": "镇政府"})
    own = signed_in(cadre).get(f"/assistance/households/{household.pk}/").content.decode()
    assert "139****1234" in own and "13904181234" not in own
    assert "13904181234" in signed_in(township).get(f"/assistance/households/{household.pk}/").content.decode()


def test_future_visit_from_the_household_page_shows_the_reason(cadre, household):
    client = signed_in(cadre)
    response = client.post(f"/assistance/households/{household.pk}/visits/",
                           {"visited_on": "2020-06-01", "visitor_role": "pairing_cadre", "content": "走访"}, follow=True)
    assert "晚于今天" in response.content.decode()
    assert Visit.objects.count() == 0


def test_stale_assignment_from_the_page_is_refused(township, cadre, household):
    Household.objects.filter(pk=household.pk).update(version=7)
    response = signed_in(township).post(f"/assistance/households/{household.pk}/assign/",
                                        {"cadre": cadre.pk, "started_on": "2020-05-01", "version": 1}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert Household.objects.get(pk=household.pk).pairing_cadre is None


def test_cadre_page_lists_only_own_households(township, cadre, household, make_user, areas):
    from .conftest import make_cadre

    other = make_cadre(make_user, township, "另一人", phone="13904187777")
    theirs = make_household()
    services.cadre_assign(actor=township, household=household, cadre=cadre)
    services.cadre_assign(actor=township, household=theirs, cadre=other)
    services.visit_record(actor=cadre, household=household, data={"visited_on": dt.date(2020, 5, 2), "content": "走访"})
    html = signed_in(cadre).get("/assistance/mine/").content.decode()
    assert f"household-{household.pk}" in html and f"household-{theirs.pk}" not in html
    assert "本月 1/3 次" in html and "还需走访 2 次" in html


def test_cadre_cannot_record_for_another_village_from_the_quick_form(cadre, township, household, areas):
    outside = make_household(village=OTHER_VILLAGE)
    services.cadre_assign(actor=township, household=household, cadre=cadre)
    response = signed_in(cadre).post("/assistance/mine/", {"household": outside.pk, "visited_on": "2020-05-10",
                                                          "visitor_role": "pairing_cadre", "content": "走访"})
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert Visit.objects.count() == 0


def test_find_opens_a_household_by_number_within_scope(clerk, household, other_household):
    client = signed_in(clerk)
    found = client.get("/assistance/find/", {"number": household.household_number})
    assert found.status_code == 302 and found["Location"] == f"/assistance/households/{household.pk}/"
    hidden = client.get("/assistance/find/", {"number": other_household.household_number}, follow=True)
    assert "没有找到户编号" in hidden.content.decode()


def test_cadre_list_masks_phones_for_cadres(cadre, make_user):
    from support.places import COUNTY

    from fupin.accounts.roles import Role

    assert "139****1234" in signed_in(cadre).get("/assistance/cadres/").content.decode()
    auditor = make_user(Role.AUDITOR, COUNTY)
    assert "13904181234" in signed_in(auditor).get("/assistance/cadres/").content.decode()
