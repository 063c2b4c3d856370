"""Village PV stations: the land-rent cap, monthly settlements and their reversal, deep-poverty
recipients through the workflow review, and the yearly distribution plan checked against the pack."""

import datetime as dt

import pytest
from registry.factories import family, make_household, member
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.funds.models import PVPlan, PVPlanStatus, PVRecipient, PVSettlement, PVStation, RecipientStatus
from fupin.funds.services import pv as pv_svc
from fupin.funds.services import pv_plans
from fupin.workflow import services as wf

from .conftest import D

pytestmark = pytest.mark.django_db


def station(people, **kw):
    data = {"village_code": VILLAGE, "name": "富有村光伏电站", "capacity_kw": "300", "investment": "2400000",
            "grid_on": dt.date(2019, 6, 30), "land_type": "wasteland", "land_area_mu": "10", "land_rent_per_mu": "800"}
    data.update(kw)
    return pv_svc.station_register(actor=people.clerk, **data)


def settle(people, s, month, kwh="40000", price="0.75", **kw):
    return pv_svc.settlement_record(actor=people.county, station=s, year=2020, month=month, kwh=kwh, unit_price=price,
                                    settled_on=dt.date(2020, month, 28) if month < 3 else clock.today(), **kw)


def elderly_household(number="210922101202900"):
    people = [member("张老汉", "02", "1", dt.date(1948, 1, 5))]
    return make_household(number=number, household_type="1", members=people)


def approved_recipient(people, household):
    r = pv_plans.recipient_apply(actor=people.clerk, household_id=household.pk, year=2020, reason="孤寡老人",
                                 members={"lonely_elderly": [household.persons.get().pk]})
    review = wf.review_record_appraisal(actor=people.clerk, review=r.review_id, expected_version=1, attendees=20,
                                        votes_for=18, votes_against=2, votes_abstain=0, minutes="同意")
    wf.review_start_notice(actor=people.clerk, review=review, expected_version=review.version, starts_on=clock.today())
    clock.advance(days=7)
    review.refresh_from_db()
    review = wf.review_close_notice(actor=people.clerk, review=review, expected_version=review.version)
    wf.review_decide(actor=people.township, review=review, expected_version=review.version, decision="approve")
    r.refresh_from_db()
    return r


def test_land_rent_over_the_cap_is_refused_with_the_rule(people):
    with pytest.raises(ValidationFailed) as exc:
        station(people, land_rent_per_mu="1200")
    assert exc.value.code == "land_rent_over_cap" and "1000" in exc.value.message
    s = station(people, land_type="construction", land_rent_per_mu="1800", land_area_mu="5")
    assert s.land_rent_per_mu == D("1800.00") and PVStation.objects.count() == 1


def test_settlement_is_kwh_times_price_less_deductions_and_is_reversed_not_edited(people):
    s = station(people)
    row = settle(people, s, 1, taxes="1000", om_cost="2000", land_rent="500")
    assert row.gross == D("30000.00") and row.net == D("26500.00")
    with pytest.raises(Conflict):
        settle(people, s, 1)
    with pytest.raises(Conflict):
        row.save()
    rev = pv_svc.settlement_reverse(actor=people.county, settlement=row, reason="电量抄错")
    assert rev.net == D("-26500.00")
    assert pv_svc.village_revenue(s.village, 2020) == 0
    settle(people, s, 1, kwh="41000")
    assert pv_svc.village_revenue(s.village, 2020) == D("30750.00")


def test_settlement_bad_input_loses_nothing(people):
    s = station(people)
    with pytest.raises(ValidationFailed) as exc:
        settle(people, s, 1, taxes="40000")
    assert exc.value.code == "deductions_exceed_revenue"
    with pytest.raises(ValidationFailed) as exc:
        settle(people, s, 1, land_rent="9000")  # 10 亩 × 800 = 8,000 a year
    assert exc.value.code == "land_rent_over_lease"
    with pytest.raises(ValidationFailed):
        settle(people, s, 13)
    with pytest.raises(PermissionDenied):
        pv_svc.settlement_record(actor=people.clerk, station=s, year=2020, month=1, kwh="1", unit_price="1",
                                 settled_on=clock.today())
    assert PVSettlement.objects.count() == 0


def test_stale_station_edit_is_refused(people):
    s = station(people)
    pv_svc.station_update(actor=people.clerk, station=s, version=1, builder="中天农业")
    with pytest.raises(Conflict) as exc:
        pv_svc.station_update(actor=people.clerk, station=s, version=1, land_rent_per_mu="900")
    assert exc.value.code == "stale_version"


def test_recipient_goes_through_appraisal_notice_and_township(people):
    h = elderly_household()
    r = approved_recipient(people, h)
    assert r.status == RecipientStatus.APPROVED and "condition" in r.conditions


def test_recipient_township_approval_waits_for_the_seven_day_notice(people):
    h = elderly_household()
    r = pv_plans.recipient_apply(actor=people.clerk, household_id=h.pk, year=2020, reason="孤寡老人",
                                 members={"lonely_elderly": [h.persons.get().pk]})
    review = wf.review_record_appraisal(actor=people.clerk, review=r.review_id, expected_version=1, attendees=5,
                                        votes_for=5, votes_against=0, votes_abstain=0, minutes="同意")
    wf.review_start_notice(actor=people.clerk, review=review, expected_version=review.version, starts_on=clock.today())
    clock.advance(days=3)
    review.refresh_from_db()
    with pytest.raises((Conflict, ValidationFailed)):
        wf.review_close_notice(actor=people.clerk, review=review, expected_version=review.version)


def test_household_meeting_no_condition_is_refused_with_the_explanation(people):
    h = make_household(number="210922101202901", household_type="1", members=family())
    with pytest.raises(ValidationFailed) as exc:
        pv_plans.recipient_apply(actor=people.clerk, household_id=h.pk, year=2020, reason="申请")
    assert exc.value.code == "not_deep_poverty" and "pv_deep_poverty" in exc.value.message
    assert exc.value.details["clauses"]["condition"] is False
    assert PVRecipient.objects.count() == 0
    # condition (5): a major disaster loss stated by the village makes the same household eligible
    r = pv_plans.recipient_apply(actor=people.clerk, household_id=h.pk, year=2020, reason="火灾",
                                 major_disaster_loss=True)
    assert r.status == RecipientStatus.IN_REVIEW


def _revenue(people, total_kwh="320000"):
    s = station(people)
    settle(people, s, 1, kwh=total_kwh, price="0.75")  # 240,000 yuan
    return s


def test_plan_takes_the_county_share_and_needs_half_to_households_and_80pct_to_jobs(people):
    _revenue(people)
    h = elderly_household()
    approved_recipient(people, h)
    # 240,000 settled, 30% county fund (Zhangwu 2020) → 168,000 to the village
    with pytest.raises(ValidationFailed) as exc:
        pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020, lines=[
            {"kind": "public_works", "amount": "100000"}, {"kind": "subsidy", "household": h.pk, "amount": "60000"}])
    assert exc.value.code == "household_share_below_minimum"
    assert "84,000.00元" in exc.value.message and "24,000.00元" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020, lines=[
            {"kind": "jobs", "amount": "100000"}, {"kind": "subsidy", "household": h.pk, "amount": "10000"}])
    assert exc.value.code == "public_job_share_below_minimum" and "134,400.00元" in exc.value.message
    assert PVPlan.objects.count() == 0
    plan = pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020, lines=[
        {"kind": "jobs", "amount": "134400"}, {"kind": "subsidy", "household": h.pk, "amount": "6000"},
        {"kind": "public_works", "amount": "20000"}])
    assert plan.revenue == D("240000.00") and plan.county_fund == D("72000.00") and plan.village_revenue == D("168000.00")


def test_subsidy_only_for_approved_recipients_of_the_village(people):
    _revenue(people)
    stranger = make_household(village=OTHER_VILLAGE, number="210922101203900", household_type="1")
    applicant = elderly_household()
    pv_plans.recipient_apply(actor=people.clerk, household_id=applicant.pk, year=2020, reason="孤寡老人",
                             members={"lonely_elderly": [applicant.persons.get().pk]})
    base = [{"kind": "jobs", "amount": "134400"}]
    with pytest.raises(ValidationFailed) as exc:
        pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020,
                                lines=base + [{"kind": "subsidy", "household": stranger.pk, "amount": "100"}])
    assert exc.value.code == "household_outside_village"
    with pytest.raises(ValidationFailed) as exc:
        pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020,
                                lines=base + [{"kind": "subsidy", "household": applicant.pk, "amount": "100"}])
    assert exc.value.code == "not_a_recipient"


def test_plan_steps_publicity_and_stale_edit(people):
    _revenue(people)
    plan = pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020,
                                   lines=[{"kind": "jobs", "amount": "140000"}])
    with pytest.raises(Conflict):
        pv_plans.pv_plan_update(actor=people.clerk, plan=plan, version=0, lines=[{"kind": "jobs", "amount": "150000"}])
    plan = pv_plans.pv_plan_step(actor=people.clerk, plan=plan, step="decide", on=clock.today(), version=1)
    plan = pv_plans.pv_plan_step(actor=people.clerk, plan=plan, step="publicise", on=clock.today(), version=2)
    with pytest.raises(ValidationFailed) as exc:
        pv_plans.pv_plan_step(actor=people.township, plan=plan, step="approve", on=clock.today(), version=3)
    assert exc.value.code == "publicity_not_over"
    clock.advance(days=7)
    with pytest.raises(PermissionDenied):
        pv_plans.pv_plan_step(actor=people.clerk, plan=plan, step="approve", on=clock.today(), version=3)
    plan = pv_plans.pv_plan_step(actor=people.township, plan=plan, step="approve", on=clock.today(), version=3)
    plan = pv_plans.pv_plan_step(actor=people.county, plan=plan, step="file", on=clock.today(), version=4)
    assert plan.status == PVPlanStatus.FILED and plan.checks["jobs_minimum"] == "134400.00"
