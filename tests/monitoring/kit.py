"""Helpers to walk monitoring cases through their reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from registry.factories import make_household

from fupin.core import clock
from fupin.workflow.services import review_act

APPRAISAL = {"attendees": 15, "votes_for": 12, "votes_against": 2, "votes_abstain": 1, "minutes": "村委会研究评议"}
CLEAN_FACTS = {"member_public_payroll": False, "supporter_public_or_stable_job": False, "member_village_head": False,
               "member_enterprise_income": "0", "car_value": "0", "machinery_value": "0",
               "bought_commercial_housing": False, "resettlement_housing": False, "enterprise_with_dividend": False,
               "livelihood_business_only": False, "large_grower": False, "long_term_contracting": False,
               "employs_others": False, "concealed_assets": False, "rural_hukou_resident": True,
               "previous_year_net_income": "9000", "rigid_expenditure": "20000"}
SECURE = dict(food_secure=True, clothing_secure=True, compulsory_education_secured=True, basic_medical_secured=True,
              housing_secured=True, safe_drinking_water=True)


def exited_household(**fields):
    values = {"status": "exited", "exit_year": 2019, "household_type": "2", **SECURE,
              "wage_income": Decimal("8000.00"), "business_income": Decimal("1000.00"),
              "transfer_income": Decimal("500.00"), "production_costs": Decimal("500.00"), **fields}
    return make_household(**values)


def act(review, actor, name, **fields):
    review.refresh_from_db()
    return review_act(actor=actor, review=review, act=name, expected_version=review.version, **fields)


def visit(level="high", when=None):
    return {"visit_date": (when or clock.today()).isoformat(), "visitors": "乡镇包村干部张明", "findings": "入户核实属实",
            "risk_level": level}


def through_village(review, people):
    act(review, people.clerk, "appraisal", **APPRAISAL)
    act(review, people.clerk, "start_notice", place="村务公开栏")
    clock.advance(days=7)
    act(review, people.clerk, "close_notice")


def to_entry(review, people, level="high"):
    through_village(review, people)
    act(review, people.township, "approve", reason="核查属实", data=visit(level))
    act(review, people.county, "approve", reason="领导小组审定", data={"leading_group_meeting": "2020年第5次会议"})
    act(review, people.county, "announce", content="录入全国扶贫开发信息系统", announced_on=clock.today())


START = dt.date(2020, 6, 1)


def measure_in_place(household, start=dt.date(2020, 6, 1)):
    """One assistance measure in place (the assistance app's records, inserted directly)."""
    from fupin.assistance.models import AssistancePlan, MeasureKind, MeasureStatus, PlanMeasure

    plan, _created = AssistancePlan.objects.get_or_create(household=household, defaults={"year": household.year})
    return PlanMeasure.objects.create(plan=plan, measure_code="JY01", catalogue_version=1, name="公益岗位",
                                      category="就业", kind=MeasureKind.WORK, start_date=start,
                                      status=MeasureStatus.IN_PLACE, responsible_unit="县人社局")
