"""Income distribution plans: the minimum household share, households of the plan's own villages, income
actually received, the steps (decision → publicity → review → county approval → payment)."""

import datetime as dt

import pytest
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.funds import services as svc
from fupin.funds.models import DistributionLine, DistributionPlan, PlanStatus
from fupin.funds.selectors import household_distributions
from fupin.registry.models import HouseholdStatus

from .conftest import D, leased_asset, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def income(people):
    """50,000 of 2019 rent received by 富有村."""
    asset, contract = leased_asset(people)
    svc.income_receive(actor=people.clerk, contract=contract, period_year=2019, amount="50000",
                       received_on=dt.date(2019, 3, 1))
    return contract


@pytest.fixture
def households(areas):
    return [make_household(VILLAGE, f"2109221012020{n:03d}") for n in range(1, 4)]


def _lines(households, each="9000", collective="15000"):
    lines = [{"kind": "household", "household": h.pk, "amount": each} for h in households]
    lines.append({"kind": "collective", "village": VILLAGE, "amount": collective})
    return lines


def _create(people, households, **kw):
    return svc.plan_create(actor=people.clerk, area_code=VILLAGE, year=2019, title="2019年樱桃大棚租金分配方案",
                           income_total=kw.pop("income_total", "50000"), lines=kw.pop("lines", _lines(households)), **kw)


def test_a_plan_under_the_household_share_is_refused_with_the_rule_and_numbers(people, income, households):
    with pytest.raises(ValidationFailed) as err:
        _create(people, households, lines=_lines(households, each="6000", collective="25000"))
    assert err.value.code == "household_share_below_minimum"
    message = err.value.message
    assert "不低于可分配收益的 50%" in message
    assert "可分配收益 50,000.00元，应至少到户 25,000.00元，方案到户 18,000.00元（占 36%），差 7,000.00元" in message
    assert err.value.details["minimum_share"] == "0.50"
    assert not DistributionPlan.objects.exists() and not DistributionLine.objects.exists()


def test_exactly_the_minimum_share_passes(people, income, households):
    lines = [{"kind": "household", "household": households[0].pk, "amount": "25000"},
             {"kind": "public_welfare", "village": VILLAGE, "amount": "20000", "note": "公益岗位"}]
    plan = _create(people, households, lines=lines)
    assert plan.status == PlanStatus.DRAFT and plan.lines.count() == 2


def test_a_household_of_another_village_is_refused(people, income, households):
    stranger = make_household(OTHER_VILLAGE, "210922101203001")
    lines = _lines(households) + [{"kind": "household", "household": stranger.pk, "amount": "1000"}]
    with pytest.raises(ValidationFailed) as err:
        _create(people, households, lines=lines)
    assert err.value.code == "household_outside_village" and "黄花山" in err.value.message
    mislabelled = [{"kind": "household", "household": households[0].pk, "village": OTHER_VILLAGE, "amount": "30000"}]
    with pytest.raises(ValidationFailed) as err:
        _create(people, households, lines=mislabelled)
    assert err.value.code == "household_outside_village"
    assert not DistributionPlan.objects.exists()


def test_removed_households_and_duplicates_are_refused(people, income, households):
    removed = make_household(VILLAGE, "210922101202099", status=HouseholdStatus.REMOVED)
    with pytest.raises(ValidationFailed) as err:
        _create(people, households, lines=[{"kind": "household", "household": removed.pk, "amount": "30000"}])
    assert err.value.code == "household_not_registered"
    twice = [{"kind": "household", "household": households[0].pk, "amount": "15000"}] * 2
    with pytest.raises(ValidationFailed) as err:
        _create(people, households, lines=twice)
    assert err.value.code == "duplicate_household"


def test_lines_over_the_income_and_income_over_receipts_are_refused(people, income, households):
    with pytest.raises(ValidationFailed) as err:
        _create(people, households, lines=_lines(households, each="12000", collective="20000"))
    assert err.value.code == "lines_exceed_income" and "超出 6,000.00元" in err.value.message
    with pytest.raises(ValidationFailed) as err:
        _create(people, households, income_total="60000", lines=_lines(households, each="12000"))
    assert err.value.code == "income_exceeds_received"
    assert "到账 50,000.00元" in err.value.message
    _create(people, households)
    with pytest.raises(ValidationFailed) as err:  # the same income cannot be distributed twice
        _create(people, households, income_total="10000", lines=[
            {"kind": "household", "household": households[0].pk, "amount": "5000"}])
    assert err.value.code == "income_exceeds_received"


def test_the_steps_to_approval_and_payment(people, income, households):
    plan = _create(people, households)
    plan = svc.plan_decide(actor=people.clerk, plan=plan, on=dt.date(2020, 2, 20))
    plan = svc.plan_publicise(actor=people.clerk, plan=plan, on=dt.date(2020, 2, 21))
    assert plan.publicity_to == dt.date(2020, 2, 27)
    with pytest.raises(ValidationFailed) as err:
        svc.plan_review(actor=people.township, plan=plan, on=dt.date(2020, 2, 27))
    assert err.value.code == "publicity_not_over"
    with pytest.raises(PermissionDenied):
        svc.plan_review(actor=people.clerk, plan=plan, on=dt.date(2020, 2, 28))
    plan = svc.plan_review(actor=people.township, plan=plan, on=dt.date(2020, 2, 28))
    with pytest.raises(PermissionDenied):
        svc.plan_approve(actor=people.township, plan=plan, on=dt.date(2020, 3, 1))
    plan = svc.plan_approve(actor=people.county, plan=plan, on=dt.date(2020, 3, 1))
    assert plan.status == PlanStatus.APPROVED and plan.rules_pack == "default@2016"
    assert plan.household_share_min == D("0.5")
    plan = svc.plan_pay(actor=people.clerk, plan=plan, on=clock.today())
    assert plan.status == PlanStatus.PAID
    got = household_distributions(people.clerk, households[0])
    assert [(ln.plan.code, ln.amount) for ln in got] == [(plan.code, D("9000.00"))]
    assert household_distributions(people.other_clerk, households[0]).count() == 0
    assert AuditEvent.objects.filter(action__startswith="funds.plan").count() == 6


def test_a_returned_plan_is_changed_and_starts_again(people, income, households):
    plan = _create(people, households)
    plan = svc.plan_decide(actor=people.clerk, plan=plan, on=dt.date(2020, 2, 20))
    plan = svc.plan_reject(actor=people.township, plan=plan, on=dt.date(2020, 2, 21), reason="未留有余地")
    with pytest.raises(Conflict):
        svc.plan_publicise(actor=people.clerk, plan=plan, on=dt.date(2020, 2, 22))
    plan = svc.plan_update(actor=people.clerk, plan=plan, version=plan.version,
                           lines=_lines(households, each="9000", collective="10000"))
    assert plan.status == PlanStatus.DRAFT and plan.lines.count() == 4
