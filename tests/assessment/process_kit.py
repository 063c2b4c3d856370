"""Builders for the assessment process tests: two teams of Zhangwu (富有村 and 黄花山村), each with a leader
who has an account, the township reviewer, a county officer (the assessment office) and a county
admin (the leading group), the clock pinned to November 2020."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.assessment import services
from fupin.workflow.services import review_decide
from fupin.workteams import services as team_services

TODAY = dt.date(2020, 11, 20)
SCHEME = "zhangwu-2020-team"
# What a team reports about itself: two problems in 1, the comparative 11 and 12, satisfaction 24.
SELF_FINDINGS = {"1": {"problems": 2}, "11": {"funds": 120}, "12": {"income": 8.5},
                 "24": {"village": 95, "households": 90}}


def _member(name: str, role: str, phone: str, user=None) -> dict:
    return {"name": name, "role": role, "sex": "male", "age": 40, "education": "bachelor",
            "political_status": "party_member", "phone": phone, "party_relation_transferred": True,
            "joined_on": dt.date(2020, 1, 1), "user": user}


def make_people(make_user) -> SimpleNamespace:
    return SimpleNamespace(
        leader=make_user(Role.WORKTEAM_MEMBER, VILLAGE),
        member=make_user(Role.WORKTEAM_MEMBER, VILLAGE),
        other_leader=make_user(Role.WORKTEAM_MEMBER, OTHER_VILLAGE),
        township=make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP),
        officer=make_user(Role.COUNTY_OFFICER, COUNTY),
        admin=make_user(Role.COUNTY_ADMIN, COUNTY),
        clerk=make_user(Role.VILLAGE_CLERK, VILLAGE),
        auditor=make_user(Role.AUDITOR, COUNTY),
    )


def _team(officer, unit, village, name, leader, member=None):
    team = team_services.team_create(actor=officer, unit=unit, village_code=village, name=name,
                                     start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 12, 31))
    team_services.member_add(actor=officer, team=team, data={**_member(f"{name[:2]}队长", "first_secretary",
                                                                           "13904180101"), "user": leader})
    if member is not None:
        team_services.member_add(actor=officer, team=team, data={**_member(f"{name[:2]}队员", "member",
                                                                               "13904180102"), "user": member})
    return team


def make_teams(people) -> list:
    unit_a = team_services.unit_create(actor=people.officer, county_code=COUNTY, name="彰武县卫生健康局", level="county")
    unit_b = team_services.unit_create(actor=people.officer, county_code=COUNTY, name="彰武县农业农村局", level="county")
    return [_team(people.officer, unit_a, VILLAGE, "县卫健局驻富有村工作队", people.leader, people.member),
            _team(people.officer, unit_b, OTHER_VILLAGE, "县农业农村局驻黄花山村工作队", people.other_leader)]


def make_round(people):
    return services.round_create(actor=people.officer, scheme_id=SCHEME, year=2020, county_code=COUNTY + "000000")


def entries(round_):
    return list(round_.entries.select_related("team", "area", "review").order_by("listing_order"))


def self_assess(entry, leader, findings=None):
    entry.refresh_from_db()
    return services.entry_self_assess(actor=leader, entry=entry, findings=findings or SELF_FINDINGS,
                                      summary="全年驻村工作总结", expected_version=entry.version)


def township_pass(entry, township):
    entry.refresh_from_db()
    review = entry.review
    review_decide(actor=township, review=review, expected_version=review.version, decision="approve",
                  reason="材料齐全，同意上报")


def county_assess(entry, officer, findings=None, submit=True, notes=None):
    entry.refresh_from_db()
    return services.entry_county_assess(actor=officer, entry=entry, findings=findings or {},
                                        notes=notes or {}, expected_version=entry.version, submit=submit)


def through_county(round_, people, county_findings=(None, None)):
    """Both teams self-assess, pass the township and the county."""
    for i, entry in enumerate(entries(round_)):
        leader = people.leader if entry.area.code == VILLAGE else people.other_leader
        self_assess(entry, leader, {**SELF_FINDINGS, "11": {"funds": 120 - 40 * i}})
        township_pass(entry, people.township)
        county_assess(entry, people.officer, county_findings[i] or {"11": {"funds": 120 - 40 * i},
                                                                   "12": {"income": 8.5},
                                                                   "24": {"village": 95, "households": 90}})
