"""Assistance plans and measures: the catalogue, the labour-capacity rule, measures in place, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fupin.assistance import selectors, services
from fupin.assistance.catalogue import catalogue
from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .conftest import make_household


def add(actor, plan, code="EMP-PUBLIC", **changes):
    data = {"measure_code": code, "start_date": dt.date(2020, 3, 1), "amount": "3600", "status": "in_place",
            "responsible_unit": "哈尔套镇人民政府", **changes}
    return services.measure_add(actor=actor, plan=plan, data=data)


def test_measure_count_counts_only_measures_in_place_today(clerk, household):
    plan = services.plan_create(actor=clerk, household=household, needs="稳定务工收入")
    assert selectors.measure_count(household.pk) == 0
    add(clerk, plan)  # in place since March
    add(clerk, plan, "IND-LOAN", status="planned", start_date=dt.date(2020, 6, 1))
    add(clerk, plan, "EDU-GRANT", status="ended", start_date=dt.date(2019, 9, 1), end_date=dt.date(2020, 1, 31))
    add(clerk, plan, "IND-INSURE", start_date=dt.date(2020, 1, 1), end_date=dt.date(2020, 4, 30))
    assert selectors.measure_count(household.pk) == 1
    with clock.pinned(dt.date(2019, 12, 1)):
        assert selectors.measure_count(household.pk) == 0


def test_catalogue_measures_cite_the_documents():
    cat = catalogue()
    assert {"industry", "employment", "security", "social", "motivation", "education", "housing"} <= set(cat.categories)
    assert cat.measure("EMP-PUBLIC").kind == "work"
    assert cat.measure("SEC-DIBAO").kind == "protection"
    assert all(m.quote and m.seed for m in cat.measures.values())


def test_catalogue_quotes_are_in_the_seed_documents():
    from support.seeds import SEEDS_DIR as seeds

    if not seeds.exists():
        pytest.skip("seed documents not available")
    text = {p.name[:3]: p.read_text(encoding="utf-8") for p in seeds.glob("0*.txt")}
    cat = catalogue()
    quotes = [(m.seed, m.quote) for m in cat.measures.values()] + [(c.seed, c.quote) for c in cat.categories.values()]
    missing = [q for seed, q in quotes if q not in text[seed]]
    assert missing == []


def test_a_measure_keeps_its_catalogue_name_kind_and_version(clerk, household):
    plan = services.plan_create(actor=clerk, household=household)
    measure = add(clerk, plan, "SEC-DIBAO", amount="1234.5")
    assert (measure.name, measure.category, measure.kind) == ("农村低保（含渐退期）", "security", "protection")
    assert measure.catalogue_version == catalogue().version
    assert measure.amount == Decimal("1234.50")
    assert AuditEvent.objects.filter(action="assistance.measure_add").count() == 1


def test_labour_rule_wants_a_work_based_measure_for_households_that_can_work(clerk, household):
    plan = services.plan_create(actor=clerk, household=household)
    add(clerk, plan, "SEC-MEDICAL")
    check = selectors.plan_check(plan)
    assert check["has_labour"] is True and check["ok"] is False
    assert "开发式" in check["message"]
    add(clerk, plan, "IND-LOAN", status="planned")
    assert selectors.plan_check(plan)["ok"] is True


def test_labour_rule_wants_protection_for_households_that_cannot_work(clerk, no_labour_household):
    plan = services.plan_create(actor=clerk, household=no_labour_household)
    add(clerk, plan, "EMP-PUBLIC")
    check = selectors.plan_check(plan)
    assert check["has_labour"] is False and check["ok"] is False
    add(clerk, plan, "SEC-TEKUN")
    assert selectors.plan_check(plan)["ok"] is True


def test_ended_measures_do_not_satisfy_the_rule(clerk, household):
    plan = services.plan_create(actor=clerk, household=household)
    add(clerk, plan, "EMP-PUBLIC", status="ended", end_date=dt.date(2020, 4, 1))
    assert selectors.plan_check(plan)["ok"] is False


def test_plans_only_for_registered_or_monitored_households(clerk, areas):
    ordinary = make_household(status="candidate")
    with pytest.raises(ValidationFailed, match="建档立卡户或监测对象"):
        services.plan_create(actor=clerk, household=ordinary)
    monitored = make_household(status="candidate", monitoring_type="2")
    assert services.plan_create(actor=clerk, household=monitored).pk


def test_one_plan_per_household_year(clerk, household):
    services.plan_create(actor=clerk, household=household)
    with pytest.raises(Conflict):
        services.plan_create(actor=clerk, household=household)


@pytest.mark.parametrize("changes, message", [
    ({"measure_code": "NOPE"}, "没有措施代码"),
    ({"measure_code": ""}, "请选择帮扶措施"),
    ({"start_date": "2020-13-01"}, "格式应为"),
    ({"start_date": None}, "请填写开始日期"),
    ({"end_date": dt.date(2020, 1, 1)}, "结束日期不能早于开始日期"),
    ({"amount": "-5"}, "金额应在"),
    ({"amount": "abc"}, "金额应为数字"),
    ({"status": "done"}, "状态应为"),
    ({"responsible_unit": " "}, "请填写责任单位"),
    ({"start_date": dt.date(2020, 6, 1)}, "尚不能标为已落实"),
    ({"status": "ended"}, "请填写结束日期"),
])
def test_bad_measures_are_refused_and_nothing_written(clerk, household, changes, message):
    plan = services.plan_create(actor=clerk, household=household)
    with pytest.raises(ValidationFailed, match=message):
        add(clerk, plan, **changes)
    assert plan.measures.count() == 0


def test_stale_measure_edit_is_refused(clerk, household):
    plan = services.plan_create(actor=clerk, household=household)
    measure = add(clerk, plan, status="planned", start_date=dt.date(2020, 5, 1))
    services.measure_update(actor=clerk, measure=measure, version=1, changes={"status": "in_place"})
    with pytest.raises(Conflict, match="已被他人修改"):
        services.measure_update(actor=clerk, measure=measure, version=1, changes={"amount": "1"})
    measure.refresh_from_db()
    assert (measure.status, measure.version, measure.amount) == ("in_place", 2, Decimal("3600.00"))


def test_stale_plan_version_is_refused(clerk, household):
    plan = services.plan_create(actor=clerk, household=household)
    add(clerk, plan)
    with pytest.raises(Conflict):
        services.measure_add(actor=clerk, plan=plan, plan_version=1,
                             data={"measure_code": "IND-LOAN", "start_date": "2020-03-01",
                                   "responsible_unit": "县扶贫办"})


def test_plans_outside_the_area_cannot_be_made_or_seen(clerk, other_household, make_user):
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=clerk, household=other_household)
    with pytest.raises(NotFound):
        selectors.household_for(clerk, other_household.pk)


def test_card_measures_list_current_measures_with_the_cadre(clerk, household, cadre, township):
    services.cadre_assign(actor=township, household=household, cadre=cadre)
    plan = services.plan_create(actor=clerk, household=household)
    add(clerk, plan)
    add(clerk, plan, "EDU-GRANT", status="ended", start_date=dt.date(2019, 9, 1), end_date=dt.date(2020, 1, 31))
    rows = selectors.card_measures(household)
    assert [r["name"] for r in rows] == ["公益岗位（含光伏收益公益岗）", "教育资助（雨露计划等）"]
    assert rows[0]["category"] == "就业帮扶" and rows[0]["status"] == "已落实"
    assert rows[0]["cadre_name"] == "刘帮扶" and rows[0]["cadre_phone"] == "139****1234"


def test_a_frozen_year_refuses_plan_changes(clerk, household):
    from fupin.core.errors import Locked
    from fupin.registry.models import RegistryYear

    plan = services.plan_create(actor=clerk, household=household)
    RegistryYear.objects.filter(year=2020).update(frozen=True, frozen_at=clock.now())
    with pytest.raises(Locked, match="已封存"):
        add(clerk, plan)
    assert plan.measures.count() == 0
