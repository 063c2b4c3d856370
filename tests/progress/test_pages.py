"""Battle-map pages against the permission matrix, the drill-down from county to household, the
records behind every figure within the viewer's scope, and the dispatch pages and downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.progress import dispatch, services
from fupin.progress.indicators import indicators_refresh
from fupin.progress.models import Target

pytestmark = pytest.mark.django_db
OFFICER, REVIEWER, CLERK, MEMBER = Role.COUNTY_OFFICER, Role.TOWNSHIP_REVIEWER, Role.VILLAGE_CLERK, Role.WORKTEAM_MEMBER


@pytest.fixture
def refreshed(households):
    indicators_refresh(year=2020)
    return households


@pytest.fixture
def target(officer, refreshed):
    return services.target_create(actor=officer, area_code=TOWNSHIP, name="哈尔套镇务工人数", value=547, unit="人",
                                  deadline=dt.date(2020, 10, 31), period_start=dt.date(2020, 1, 1),
                                  lead_unit="县人社局", responsible_units="哈尔套镇")


@pytest.fixture
def snapshot(officer, target):
    return dispatch.snapshot_freeze(actor=officer, area_code=COUNTY, month="2020-06")


def test_county_map(make_user, token_for, refreshed):
    Matrix(f"/progress/map/{COUNTY}000000/", OFFICER, COUNTY, OTHER_COUNTY, marker="哈尔套镇").check(make_user, token_for)


def test_township_map(make_user, token_for, target):
    Matrix(f"/progress/map/{TOWNSHIP}000/", REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker="哈尔套镇务工人数").check(
        make_user, token_for)


def test_village_map(make_user, token_for, refreshed):
    Matrix(f"/progress/map/{VILLAGE}/", CLERK, VILLAGE, OTHER_VILLAGE,
           marker=refreshed["rich"].household_number).check(make_user, token_for)


def test_records_page(make_user, token_for, refreshed):
    Matrix(f"/progress/map/{TOWNSHIP}000/records/low_income_households/", REVIEWER, TOWNSHIP, OTHER_TOWNSHIP,
           marker=refreshed["other"].household_number).check(make_user, token_for)


def test_plans_and_dispatch_lists(make_user, token_for, snapshot):
    Matrix("/progress/plans/", OFFICER, COUNTY, OTHER_COUNTY, other_area_refused=False).check(make_user, token_for)
    Matrix("/progress/dispatch/", Role.AUDITOR, COUNTY, OTHER_COUNTY, marker="2020-06",
           other_area_refused=False).check(make_user, token_for)


def test_snapshot_page_and_excel(make_user, token_for, snapshot):
    Matrix(f"/progress/dispatch/{snapshot.pk}/", Role.AUDITOR, COUNTY, OTHER_COUNTY, marker="哈尔套镇务工人数").check(
        make_user, token_for)
    Matrix(f"/progress/dispatch/{snapshot.pk}/report.xlsx", OFFICER, COUNTY, OTHER_COUNTY).check(make_user, token_for)


def test_new_target_form(make_user, token_for):
    Matrix("/progress/targets/new/", OFFICER, COUNTY, OTHER_COUNTY, other_area_refused=False).check(
        make_user, token_for)


def test_drill_down_from_county_to_household(client, officer, refreshed):
    client.force_login(officer)
    county = client.get("/progress/").url
    assert county == f"/progress/map/{COUNTY}000000/"
    page = client.get(county).content.decode()
    assert f'href="/progress/map/{TOWNSHIP}000/?year=2020"' in page
    page = client.get(f"/progress/map/{TOWNSHIP}000/").content.decode()
    assert f'href="/progress/map/{VILLAGE}/?year=2020"' in page
    page = client.get(f"/progress/map/{VILLAGE}/").content.decode()
    rich = refreshed["rich"]
    assert f'href="/registry/households/{rich.pk}/"' in page and "已达标" in page
    assert client.get(f"/registry/households/{rich.pk}/").status_code == 200


def test_every_linked_figure_opens_its_records(client, officer, refreshed):
    client.force_login(officer)
    page = client.get(f"/progress/map/{COUNTY}000000/").content.decode()
    assert f'/progress/map/{COUNTY}000000/records/housing_shortfall/?year=2020' in page
    records = client.get(f"/progress/map/{COUNTY}000000/records/housing_shortfall/?year=2020").content.decode()
    assert refreshed["house"].household_number in records and refreshed["poor"].household_number not in records


def test_a_clerk_sees_only_their_villages_records(client, clerk, refreshed):
    client.force_login(clerk)
    assert client.get(f"/progress/map/{TOWNSHIP}000/records/households/").status_code == 404
    page = client.get(f"/progress/map/{VILLAGE}/records/households/").content.decode()
    assert refreshed["rich"].household_number in page and refreshed["other"].household_number not in page


def test_the_phone_is_masked_for_a_work_team_member(client, make_user, refreshed):
    client.force_login(make_user(MEMBER, VILLAGE))
    page = client.get(f"/progress/map/{VILLAGE}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page


def test_unknown_indicator_is_not_found(client, officer, refreshed):
    client.force_login(officer)
    assert client.get(f"/progress/map/{COUNTY}000000/records/nonsense/").status_code == 404


def test_target_form_refuses_bad_input_and_keeps_it(client, officer):
    client.force_login(officer)
    data = {"area": OTHER_COUNTY, "name": "越界目标", "direction": "at_least", "value": "5",
            "period_start": "2020-01-01", "deadline": "2020-06-30", "lead_unit": "县扶贫办"}
    response = client.post("/progress/targets/new/", data)
    assert response.status_code in (403, 404) or "没有执行此操作的权限" in response.content.decode()
    assert not Target.objects.exists()
    response = client.post("/progress/targets/new/", {**data, "area": COUNTY, "value": "-5"})
    assert response.status_code == 200 and "越界目标" in response.content.decode()
    assert not Target.objects.exists()
    response = client.post("/progress/targets/new/", {**data, "area": COUNTY})
    assert response.status_code == 302 and Target.objects.get().name == "越界目标"


def test_freeze_form_refuses_a_future_month(client, officer, refreshed):
    client.force_login(officer)
    response = client.post("/progress/dispatch/freeze/", {"area": f"{COUNTY}000000", "month": "2020-09"}, follow=True)
    assert "不能封存尚未到来的月份" in response.content.decode()
    response = client.post("/progress/dispatch/freeze/", {"area": f"{COUNTY}000000", "month": "2020-06"})
    assert response.status_code == 302 and "/progress/dispatch/" in response.url


def test_report_progress_from_the_map(client, officer, target):
    client.force_login(officer)
    url = f"/progress/targets/{target.pk}/report/"
    client.post(url, {"value": "300", "version": "1"})
    target.refresh_from_db()
    assert target.reported_value == 300
    response = client.post(url, {"value": "400", "version": "1"}, follow=True)
    assert "已被他人修改" in response.content.decode()
