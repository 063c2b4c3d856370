"""回头看 of exited households: the sample, the visit, and what an at-risk visit sets off."""

from __future__ import annotations

import datetime as dt

import pytest
from registry.factories import make_household
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fupin.supervision import lookback, services
from fupin.supervision.models import FindingSource, LookbackCheck, VisitResult
from fupin.supervision.selectors import check_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def exited(areas):
    here = [make_household(village=VILLAGE, status="exited", exit_year=2019) for _ in range(5)]
    there = [make_household(village=OTHER_VILLAGE, status="exited", exit_year=2018) for _ in range(2)]
    make_household(village=VILLAGE, status="registered")  # not exited: never sampled
    make_household(village="210922102201", status="exited", exit_year=2019)  # another township: not covered
    return here, there


@pytest.fixture
def lookback_campaign(officer, exited):
    return services.campaign_create(actor=officer, county_code=COUNTY, kind="lookback", name="2020年脱贫质量回头看",
                                    year=2020, start_date=dt.date(2020, 9, 1), end_date=dt.date(2020, 10, 31),
                                    covered_codes=[TOWNSHIP], sample_percent=50)


def test_sample_takes_the_share_of_each_village_of_exited_households_only(lookback_campaign, exited):
    here, there = exited
    checks = list(lookback_campaign.checks.all())
    by_village = {}
    for c in checks:
        by_village.setdefault(c.village.code, []).append(c.household_id)
    assert len(by_village[VILLAGE]) == 3 and len(by_village[OTHER_VILLAGE]) == 1  # ceil(5/2), ceil(2/2)
    assert set(by_village[VILLAGE]) <= {h.pk for h in here}
    assert all(c.head_name == "王福" and c.result == VisitResult.PENDING for c in checks)


def test_stable_visit_is_recorded(lookback_campaign, clerk):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    done = lookback.lookback_record(actor=clerk, check=check, result="stable", visited_on=dt.date(2020, 9, 12),
                                    note="收入稳定，两不愁三保障均有保障")
    assert done.result == VisitResult.STABLE and done.finding is None and done.visitor == clerk


def test_at_risk_visit_raises_a_finding_for_the_village(lookback_campaign, clerk):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    done = lookback.lookback_record(actor=clerk, check=check, result="at_risk", visited_on=dt.date(2020, 9, 12),
                                    note="户主8月患脑梗住院，自付医疗费较多", risk_types=["01"])
    finding = done.finding
    assert finding.source == FindingSource.LOOKBACK and finding.household_id == check.household_id
    assert finding.responsible_area.code == VILLAGE and finding.deadline == dt.date(2020, 9, 30)
    assert finding.severity == "serious" and "脑梗" in finding.description


def test_at_risk_visit_can_propose_monitoring(lookback_campaign, clerk):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    done = lookback.lookback_record(actor=clerk, check=check, result="at_risk", visited_on=dt.date(2020, 9, 12),
                                    note="因灾损失严重", risk_types=["04"], propose_monitoring=True)
    try:
        from fupin.monitoring.models import MonitoringCase
    except ImportError:
        assert done.monitoring_ref == ""
    else:
        case = MonitoringCase.objects.get(pk=int(done.monitoring_ref))
        assert case.household_id == check.household_id


def test_a_township_records_the_visit_but_may_not_propose_monitoring(lookback_campaign, reviewer):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    with pytest.raises(ValidationFailed) as refused:
        lookback.lookback_record(actor=reviewer, check=check, result="at_risk", visited_on=dt.date(2020, 9, 12),
                                 note="因灾", risk_types=["04"], propose_monitoring=True)
    assert "纳入监测须由村" in refused.value.message


@pytest.mark.parametrize(("changes", "message"), [
    ({"result": "pending"}, "走访结果应为"),
    ({"visited_on": dt.date(2020, 9, 20)}, "不能晚于今天"),
    ({"visited_on": dt.date(2020, 8, 1)}, "早于回头看开始日期"),
    ({"result": "at_risk", "note": ""}, "请写明走访情况"),
    ({"propose_monitoring": True}, "只有存在返贫风险"),
    ({"result": "at_risk", "note": "因病", "risk_types": ["因病"]}, "风险类型代码无效"),
])
def test_bad_visit_is_refused(lookback_campaign, clerk, changes, message):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    data = {"result": "stable", "visited_on": dt.date(2020, 9, 12), "note": "", **changes}
    with pytest.raises(ValidationFailed) as refused:
        lookback.lookback_record(actor=clerk, check=check, **data)
    assert message in refused.value.message
    check.refresh_from_db()
    assert check.result == VisitResult.PENDING


def test_a_visit_is_recorded_once(lookback_campaign, clerk):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    lookback.lookback_record(actor=clerk, check=check, result="stable", visited_on=dt.date(2020, 9, 12))
    with pytest.raises(Conflict):
        lookback.lookback_record(actor=clerk, check=check, result="at_risk", visited_on=dt.date(2020, 9, 13),
                                 note="改口")


def test_stale_visit_is_refused(lookback_campaign, clerk):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    with pytest.raises(Conflict):
        lookback.lookback_record(actor=clerk, check=check, result="stable", visited_on=dt.date(2020, 9, 12),
                                 version=check.version + 1)


def test_another_village_neither_sees_nor_records(lookback_campaign, make_user):
    check = lookback_campaign.checks.filter(village__code=VILLAGE).first()
    other = make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)
    with pytest.raises(NotFound):
        check_get(actor=other, check_id=check.pk)
    with pytest.raises(PermissionDenied):
        lookback.lookback_record(actor=other, check=check, result="stable", visited_on=dt.date(2020, 9, 12))
    assert LookbackCheck.objects.get(pk=check.pk).result == VisitResult.PENDING
