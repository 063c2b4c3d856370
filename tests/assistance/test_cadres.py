"""Pairing cadres: profiles, assignments with history, the per-cadre limit (zhangwu-2020@2, or the
default of 5 where no pack sets it), coverage, visits and the monthly visit check."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import textwrap

import pytest
from django.test import override_settings
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.assistance import rules, selectors, services
from fupin.assistance.models import PairingAssignment, Visit
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fupin.policy.engine.packs import publish, shipped_folder
from fupin.policy.selectors import pack_set
from fupin.registry.models import Household

from .conftest import TODAY, make_cadre, make_household


def fresh(h: Household) -> Household:
    return Household.objects.select_related("village").get(pk=h.pk)


def assign(township, household, cadre, **kw):
    household = fresh(household)
    return services.cadre_assign(actor=township, household=household, cadre=cadre, version=household.version, **kw)


def test_assignment_sets_the_current_cadre_and_keeps_history(township, household, cadre, make_user):
    first = assign(township, household, cadre, started_on=dt.date(2020, 1, 1))
    assert fresh(household).pairing_cadre == cadre
    other = make_cadre(make_user, township, "孙接替", phone="13904185678")
    assign(township, household, other, started_on=dt.date(2020, 4, 1), reason="原帮扶责任人工作调动")
    first.refresh_from_db()
    assert (first.ended_on, first.end_reason) == (dt.date(2020, 4, 1), "原帮扶责任人工作调动")
    history = selectors.assignment_history(township, household)
    assert [a.cadre for a in history] == [other, cadre]
    assert fresh(household).pairing_cadre == other
    assert AuditEvent.objects.filter(action="assistance.cadre_assign").count() == 2


def test_unassign_ends_the_pairing(township, household, cadre):
    assign(township, household, cadre)
    h = fresh(household)
    services.cadre_unassign(actor=township, household=h, version=h.version, reason="户已销号")
    assert fresh(household).pairing_cadre is None
    assert PairingAssignment.objects.get(household=household).ended_on == TODAY


def test_a_sixth_household_is_refused(township, cadre, areas):
    households = [make_household() for _ in range(6)]
    for h in households[:5]:
        assign(township, h, cadre)
    with pytest.raises(ValidationFailed, match="不超过 5 户") as err:
        assign(township, households[5], cadre)
    assert err.value.code == "cadre_over_limit"
    assert fresh(households[5]).pairing_cadre is None
    assert PairingAssignment.objects.filter(household=households[5]).count() == 0


@contextlib.contextmanager
def village_pack(tmp_path, parameters: str):
    """The shipped packs plus a published village pack extending zhangwu-2020@2 with `parameters`."""
    folder = tmp_path / "policy"
    shutil.copytree(shipped_folder(), folder)
    (folder / "fuyou-2020.v1.yaml").write_text(textwrap.dedent(f"""\
        id: fuyou-2020
        version: 1
        title: 富有村 2020 年帮扶责任人安排（测试）
        jurisdiction: "{VILLAGE}"
        jurisdiction_name: 富有村委会
        year: 2020
        status: published
        extends: zhangwu-2020@2
        parameters:
        """) + textwrap.indent(textwrap.dedent(parameters), "  "), encoding="utf-8")
    publish(folder, "fuyou-2020@1")
    with override_settings(FUPIN_POLICY_DIR=str(folder)):
        pack_set(fresh=True)
        try:
            yield
        finally:
            pack_set(fresh=True)


CITE = 'cite: {seed: "000", quote: "过 5户，每月不少于 3 次到所帮扶的贫困户家了解情况，切"}'


def test_the_limits_come_from_the_zhangwu_pack_with_the_default_as_fallback(township, cadre, areas):
    assert rules.cadre_limits(VILLAGE, 2020) == rules.CadreLimits(5, 3, "zhangwu-2020@2")
    for _ in range(5):
        assign(township, make_household(), cadre)
    with pytest.raises(ValidationFailed, match="zhangwu-2020@2"):
        assign(township, make_household(), cadre)
    # no pack covers Zhangwu in 2019: the seed's figures, named as such
    assert rules.cadre_limits(VILLAGE, 2019) == rules.CadreLimits(5, 3, rules.DEFAULT_SOURCE)


def test_the_pack_can_raise_the_limit(township, cadre, areas, tmp_path):
    with village_pack(tmp_path, f"""\
            {rules.MAX_HOUSEHOLDS_PARAM}:
              title: 每名帮扶责任人帮扶户数上限
              type: integer
              value: 6
              {CITE}
            """):
        limits = rules.cadre_limits(VILLAGE, 2020)
        assert (limits.max_households, limits.min_visits, limits.source) == (6, 3, "fuyou-2020@1")
        for _ in range(6):
            assign(township, make_household(), cadre)
        with pytest.raises(ValidationFailed, match="不超过 6 户"):
            assign(township, make_household(), cadre)
    assert rules.cadre_limits(VILLAGE, 2020).max_households == 5


def test_the_monthly_visit_check_follows_the_pack(township, cadre, areas, tmp_path):
    household = make_household()
    assign(township, household, cadre)
    for day in (2, 9, 14):
        services.visit_record(actor=cadre, household=household, data={"visited_on": dt.date(2020, 5, day),
                                                                      "content": "了解生产情况"})
    assert selectors.visit_check(township, VILLAGE, 2020, TODAY)["behind"] == []
    with village_pack(tmp_path, f"""\
            {rules.MIN_VISITS_PARAM}:
              title: 帮扶责任人每月走访次数下限
              type: integer
              value: 4
              {CITE}
            """):
        result = selectors.visit_check(township, VILLAGE, 2020, TODAY)
        assert result["limits"].source == "fuyou-2020@1"
        assert [(r["household_id"], r["visits"], r["due"]) for r in result["behind"]] == [(household.pk, 3, 1)]


def test_stale_assignment_is_refused(township, household, cadre):
    stale = fresh(household).version
    Household.objects.filter(pk=household.pk).update(version=stale + 1)
    with pytest.raises(Conflict, match="已被他人修改"):
        services.cadre_assign(actor=township, household=fresh(household), cadre=cadre, version=stale)
    assert PairingAssignment.objects.count() == 0


def test_cadre_needs_a_profile_and_the_right_area(township, household, make_user):
    bare = make_user(Role.PAIRING_CADRE, VILLAGE)
    with pytest.raises(ValidationFailed, match="帮扶责任人档案"):
        assign(township, household, bare)
    elsewhere = make_cadre(make_user, township, "周外村", area=OTHER_VILLAGE)
    with pytest.raises(ValidationFailed, match="无权查看本村农户"):
        assign(township, household, elsewhere)


def test_assignment_in_the_future_is_refused(township, household, cadre):
    with pytest.raises(ValidationFailed, match="晚于今天"):
        assign(township, household, cadre, started_on=TODAY + dt.timedelta(days=1))


def test_only_townships_and_the_county_assign(clerk, household, cadre):
    with pytest.raises(PermissionDenied):
        assign(clerk, household, cadre)


@pytest.mark.parametrize("data, message", [
    ({"phone": "12345"}, "电话号码格式不正确"),
    ({"unit_kind": "army"}, "单位类别应为"),
    ({"unit_name": ""}, "请填写工作单位"),
])
def test_bad_profiles_are_refused(township, make_user, data, message):
    user = make_user(Role.PAIRING_CADRE, VILLAGE)
    good = {"name": "吴一", "unit_kind": "township", "unit_name": "哈尔套镇人民政府", "phone": "13904180000"}
    with pytest.raises(ValidationFailed, match=message):
        services.cadre_profile_save(actor=township, user=user, area_code=VILLAGE, data={**good, **data})


def test_profile_of_a_user_without_the_role_is_refused(township, make_user):
    user = make_user(None)
    with pytest.raises(ValidationFailed, match="没有"):
        services.cadre_profile_save(actor=township, user=user, area_code=VILLAGE,
                                    data={"name": "无角色", "unit_kind": "township", "unit_name": "镇政府",
                                          "phone": "13904180000"})


def test_stale_profile_edit_is_refused(township, cadre):
    profile = selectors.profile_of(cadre)
    data = {"name": "刘帮扶", "unit_kind": "department", "unit_name": "县民政局", "phone": "13904181234"}
    services.cadre_profile_save(actor=township, user=cadre, area_code=VILLAGE, data=data, version=profile.version)
    with pytest.raises(Conflict):
        services.cadre_profile_save(actor=township, user=cadre, area_code=VILLAGE, data=data, version=profile.version)


def test_coverage_lists_unpaired_and_over_limit(township, cadre, areas):
    paired = make_household()
    unpaired = make_household()
    monitored = make_household(status="exited", monitoring_type="1")
    make_household(status="exited")  # exited and not monitored: no cadre needed
    make_household(status="exited", monitoring_type="1", risk_eliminated=True)  # risk eliminated
    assign(township, paired, cadre)
    result = selectors.coverage(township, VILLAGE, 2020)
    assert result["needing"] == 3
    assert {h.pk for h in result["uncovered"]} == {unpaired.pk, monitored.pk}
    assert result["over_limit"] == []
    # Six households set directly (as an import would) put the cadre over the limit.
    for _ in range(5):
        Household.objects.filter(pk=make_household().pk).update(pairing_cadre=cadre)
    over = selectors.coverage(township, VILLAGE, 2020)["over_limit"]
    assert [(c["user"], c["households"]) for c in over] == [(cadre, 6)]


def test_visit_in_the_future_is_refused(cadre, household):
    with pytest.raises(ValidationFailed, match="晚于今天"):
        services.visit_record(actor=cadre, household=household,
                              data={"visited_on": TODAY + dt.timedelta(days=1), "content": "走访"})
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("data, message", [
    ({"content": "  "}, "请填写帮扶内容"),
    ({"content": "x" * 2001}, "不能超过"),
    ({"visited_on": "2020-02-30"}, "格式应为"),
    ({"visitor_role": "boss"}, "走访人身份应为"),
    ({"visited_on": dt.date(2017, 1, 1)}, "早于本户"),
])
def test_bad_visits_are_refused(cadre, household, data, message):
    with pytest.raises(ValidationFailed, match=message):
        services.visit_record(actor=cadre, household=household,
                              data={"visited_on": TODAY, "content": "了解务工情况", **data})
    assert Visit.objects.count() == 0


def test_visits_outside_the_area_are_refused(cadre, other_household):
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=cadre, household=other_household, data={"content": "走访"})
    with pytest.raises(NotFound):
        selectors.household_for(cadre, other_household.pk, "visit.record")


def test_monthly_visit_check_lists_who_is_behind(township, cadre, areas):
    good, behind = make_household(), make_household()
    assign(township, good, cadre)
    assign(township, behind, cadre)
    for day in (2, 9, 14):
        services.visit_record(actor=cadre, household=good, data={"visited_on": dt.date(2020, 5, day),
                                                                 "content": "了解生产情况"})
    services.visit_record(actor=cadre, household=behind, data={"visited_on": dt.date(2020, 5, 3), "content": "走访"})
    services.visit_record(actor=cadre, household=behind, data={"visited_on": dt.date(2020, 4, 28), "content": "走访"})
    result = selectors.visit_check(township, VILLAGE, 2020, TODAY)
    assert [(r["household_id"], r["visits"], r["due"], r["cadre_name"]) for r in result["behind"]] == [
        (behind.pk, 1, 2, "刘帮扶")]
    mine = {r["household"].pk: r["due"] for r in selectors.cadre_households(cadre)}
    assert mine == {good.pk: 0, behind.pk: 2}


def test_visits_by_someone_else_do_not_count_for_the_cadre(township, cadre, make_user, household):
    assign(township, household, cadre)
    member = make_user(Role.WORKTEAM_MEMBER, VILLAGE)
    for day in (2, 9, 14):
        services.visit_record(actor=member, household=household,
                              data={"visited_on": dt.date(2020, 5, day), "content": "走访", "visitor_role": "workteam"})
    assert selectors.visit_check(township, VILLAGE, 2020, TODAY)["behind"][0]["visits"] == 0


def test_phone_is_masked_without_pii_view(township, cadre, household):
    assign(township, household, cadre)
    profile = selectors.profile_of(cadre)
    assert selectors.cadre_phone(profile, township, VILLAGE) == "13904181234"
    assert selectors.cadre_phone(profile, cadre, VILLAGE) == "139****1234"


def test_exited_households_paired_with_a_cadre_are_still_checked(township, cadre, areas):
    exited = make_household(status="exited")
    Household.objects.filter(pk=exited.pk).update(pairing_cadre=cadre)
    result = selectors.visit_check(township, VILLAGE, 2020, TODAY)
    assert [(r["household_id"], r["due"]) for r in result["behind"]] == [(exited.pk, 3)]
    assert selectors.coverage(township, VILLAGE, 2020)["needing"] == 0
