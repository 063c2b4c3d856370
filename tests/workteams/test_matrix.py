"""Every work-team page and endpoint against the permission matrix (anonymous / no role / the role in
the right area / the role in another area)."""

from __future__ import annotations

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.workteams.models import AttendanceDay, AttendanceSignoff, TeamMember, WorkLog

from .conftest import member_data

pytestmark = pytest.mark.django_db
CLERK, MEMBER, OFFICER, SECRETARY = Role.VILLAGE_CLERK, Role.WORKTEAM_MEMBER, Role.COUNTY_OFFICER, Role.TOWNSHIP_REVIEWER


# --- pages -------------------------------------------------------------------------------------

def test_team_list(make_user, token_for, team):
    Matrix("/workteams/", CLERK, VILLAGE, OTHER_VILLAGE, marker=team.name, other_area_refused=False).check(
        make_user, token_for)


def test_team_page(make_user, token_for, team, members):
    Matrix(f"/workteams/{team.pk}/", MEMBER, VILLAGE, OTHER_VILLAGE, marker="吴海燕").check(make_user, token_for)


def test_team_page_masks_the_phone_for_a_team_member(client, make_user, team, members):
    client.force_login(make_user(MEMBER, VILLAGE))
    page = client.get(f"/workteams/{team.pk}/").content.decode()
    assert "139****0102" in page and "13904180102" not in page


def test_unit_list(make_user, token_for, unit):
    Matrix("/workteams/units/", OFFICER, COUNTY, OTHER_COUNTY, marker=unit.name, other_area_refused=False).check(
        make_user, token_for)


def test_attendance_page(make_user, token_for, team, members):
    Matrix(f"/workteams/{team.pk}/attendance/2020-05/", SECRETARY, TOWNSHIP, OTHER_TOWNSHIP,
           marker="乡镇党委书记签字").check(make_user, token_for)


def test_logs_page(make_user, token_for, team):
    Matrix(f"/workteams/{team.pk}/logs/", Role.AUDITOR, COUNTY, OTHER_COUNTY, marker=team.name).check(
        make_user, token_for)


def test_new_team_form(make_user, token_for, unit):
    Matrix("/workteams/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="富有村委会", other_area_refused=False).check(
        make_user, token_for)


def test_new_unit_form(make_user, token_for):
    Matrix("/workteams/units/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="彰武县", other_area_refused=False).check(
        make_user, token_for)


def test_new_member_form(make_user, token_for, team):
    Matrix(f"/workteams/{team.pk}/members/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="政治面貌").check(
        make_user, token_for)


def test_change_form(make_user, token_for, team, members):
    Matrix(f"/workteams/{team.pk}/changes/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="批准文号").check(
        make_user, token_for)


def test_record_attendance_page(make_user, token_for, team, members):
    data = {"member": [str(members[0].pk)], f"d-{members[0].pk}-4": "on", f"d-{members[0].pk}-5": "on"}
    Matrix(f"/workteams/{team.pk}/attendance/2020-05/", CLERK, VILLAGE, OTHER_VILLAGE, method="post", data=data,
           ok_status=302).check(make_user, token_for)
    assert sorted(d.day for d in AttendanceDay.objects.values_list("day", flat=True)) == [4, 5]


def test_signoff_page(make_user, token_for, team, members):
    Matrix(f"/workteams/{team.pk}/attendance/2020-05/signoff/", SECRETARY, TOWNSHIP, OTHER_TOWNSHIP, method="post",
           ok_status=302).check(make_user, token_for)
    assert AttendanceSignoff.objects.count() == 1


def test_second_signoff_on_the_page_is_refused_with_a_message(client, make_user, team, members):
    client.force_login(make_user(SECRETARY, TOWNSHIP))
    client.post(f"/workteams/{team.pk}/attendance/2020-05/signoff/")
    page = client.post(f"/workteams/{team.pk}/attendance/2020-05/signoff/", follow=True).content.decode()
    assert "每月只签一次" in page and AttendanceSignoff.objects.count() == 1


def test_add_log_page(make_user, token_for, team):
    Matrix(f"/workteams/{team.pk}/logs/", MEMBER, VILLAGE, OTHER_VILLAGE, method="post",
           data={"day": "2020-05-06", "kind": "work", "content": "召开两委会"}, ok_status=302).check(
        make_user, token_for)
    assert WorkLog.objects.count() == 1


# --- API ---------------------------------------------------------------------------------------

def test_api_team_list(make_user, token_for, team):
    Matrix("/api/workteams", CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker=team.name,
           other_area_refused=False).check(make_user, token_for)


def test_api_unit_list(make_user, token_for, unit):
    Matrix("/api/workteams/units", OFFICER, COUNTY, OTHER_COUNTY, api=True, marker=unit.name,
           other_area_refused=False).check(make_user, token_for)


def test_api_create_unit(make_user, token_for):
    Matrix("/api/workteams/units", OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post", ok_status=201,
           data={"county": COUNTY, "name": "彰武县教育局", "level": "county"}).check(make_user, token_for)


def test_api_create_team(make_user, token_for, unit):
    Matrix("/api/workteams", OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post", ok_status=201,
           data={"unit_id": unit.pk, "village": OTHER_VILLAGE, "name": "县卫健局驻黄花山村工作队",
                 "start_date": "2020-01-01", "end_date": "2021-12-31"}).check(make_user, token_for)


def test_api_team(make_user, token_for, team):
    Matrix(f"/api/workteams/{team.pk}", MEMBER, VILLAGE, OTHER_VILLAGE, api=True, marker=team.name).check(
        make_user, token_for)


def test_api_members(make_user, token_for, team, members):
    Matrix(f"/api/workteams/{team.pk}/members", CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker="13904180102").check(
        make_user, token_for)


def test_api_add_member(make_user, token_for, team):
    Matrix(f"/api/workteams/{team.pk}/members", OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post",
           ok_status=201, data=member_data("周明", "first_secretary")).check(make_user, token_for)
    assert TeamMember.objects.get().name == "周明"


def test_api_changes(make_user, token_for, team, members):
    Matrix(f"/api/workteams/{team.pk}/changes", Role.AUDITOR, COUNTY, OTHER_COUNTY, api=True).check(
        make_user, token_for)


def test_api_record_change(make_user, token_for, team, members):
    Matrix(f"/api/workteams/{team.pk}/changes", OFFICER, COUNTY, OTHER_COUNTY, api=True, method="post",
           ok_status=201, data={"kind": "replace", "reason": "transfer", "effective_on": "2020-07-10",
                                "approval_ref": "彰驻组〔2020〕3号", "member_out_id": members[2].pk,
                                "new_member": member_data("曹亮")}).check(make_user, token_for)


def test_api_attendance(make_user, token_for, team, members):
    Matrix(f"/api/workteams/{team.pk}/attendance/2020-05", SECRETARY, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           marker="郑旭").check(make_user, token_for)


def test_api_put_attendance(make_user, token_for, team, members):
    Matrix(f"/api/workteams/{team.pk}/attendance/2020-05", CLERK, VILLAGE, OTHER_VILLAGE, api=True, method="put",
           data={"member_id": members[0].pk, "days": [4, 5, 6]}).check(make_user, token_for)


def test_api_signoff(make_user, token_for, team, members):
    Matrix(f"/api/workteams/{team.pk}/attendance/2020-05/signoff", SECRETARY, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           method="post", ok_status=201).check(make_user, token_for)


def test_api_second_signoff_is_a_conflict(client, make_user, token_for, team, members):
    token = token_for(make_user(SECRETARY, TOWNSHIP))
    url = f"/api/workteams/{team.pk}/attendance/2020-05/signoff"
    assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 201
    second = client.post(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_signed"


def test_api_attendance_outside_the_period(client, make_user, token_for, team, members):
    token = token_for(make_user(CLERK, VILLAGE))
    response = client.put(f"/api/workteams/{team.pk}/attendance/2019-12", {"member_id": members[0].pk, "days": [2]},
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "outside_team_period"
    assert not AttendanceDay.objects.exists()


def test_api_logs(make_user, token_for, team):
    Matrix(f"/api/workteams/{team.pk}/logs", MEMBER, VILLAGE, OTHER_VILLAGE, api=True).check(make_user, token_for)


def test_api_add_log(make_user, token_for, team):
    Matrix(f"/api/workteams/{team.pk}/logs", MEMBER, VILLAGE, OTHER_VILLAGE, api=True, method="post", ok_status=201,
           data={"day": "2020-05-06", "content": "入户走访", "kind": "diary"}).check(make_user, token_for)


def test_api_findings(make_user, token_for, team, members):
    Matrix(f"/api/workteams/{team.pk}/findings?year=2020", OFFICER, COUNTY, OTHER_COUNTY, api=True,
           marker="unsigned_months").check(make_user, token_for)
