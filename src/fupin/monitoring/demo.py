"""Demo data of anti-return monitoring for the demo county: exited households of 富有村委会 (Zhangwu,
2020) at every step of the procedure — just proposed, in the village appraisal, in the village notice,
at the township, at the county, at entry, monitored with monthly records, under an elimination review,
eliminated, and one not included — all walked through the real services and reviews (with the
clock set to 2020), by the demo accounts clerk, workteam, township and officer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from fupin.accounts.models import User
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.monitoring.models import MonitoringCase
from fupin.registry.models import Household, HouseholdStatus, PersonStatus
from fupin.workflow.models import Review
from fupin.workflow.services import review_act

VILLAGE = "210922101202"  # 富有村委会
YEAR = 2020
APPRAISAL = {"attendees": 17, "votes_for": 15, "votes_against": 1, "votes_abstain": 1,
             "minutes": "村“两委”和村民代表研究评议预监测对象"}
CLEAN_FACTS = {"member_public_payroll": False, "supporter_public_or_stable_job": False, "member_village_head": False,
               "member_enterprise_income": "0", "car_value": "0", "machinery_value": "0",
               "bought_commercial_housing": False, "enterprise_with_dividend": False, "large_grower": False,
               "long_term_contracting": False, "employs_others": False, "concealed_assets": False,
               "rural_hukou_resident": True}
# (step reached, proposer, found_by, risk types, proposal date, reason)
PLAN = [
    ("appraisal", "workteam", "workteam_visit", ["01"], dt.date(2020, 11, 23), "驻村走访发现户主住院，医疗支出骤增"),
    ("village_notice", "clerk", "application", ["06"], dt.date(2020, 11, 9), "农户本人申请：意外事故致劳动力受伤"),
    ("township", "clerk", "screening", ["04"], dt.date(2020, 10, 19), "村组摸排：洪涝受灾，玉米绝收"),
    ("county", "clerk", "cadre_visit", ["03"], dt.date(2020, 9, 21), "帮扶责任人申报：家庭成员新增重度残疾"),
    ("entry", "workteam", "workteam_visit", ["01", "03"], dt.date(2020, 9, 7), "驻村摸排：慢性病和残疾叠加，收入下降"),
    ("monitored", "clerk", "application", ["01"], dt.date(2020, 6, 1), "农户申请：因病刚性支出超过上年收入"),
    ("eliminating", "clerk", "screening", ["04"], dt.date(2020, 3, 2), "村组摸排：冰雹灾害损失较大"),
    ("eliminated", "clerk", "cadre_visit", ["06"], dt.date(2020, 2, 3), "帮扶责任人申报：意外事故"),
    ("rejected", "clerk", "application", ["99"], dt.date(2020, 8, 3), "农户申请：家庭变故"),
    ("alert", "clerk", "department_alert", ["01"], dt.date(2020, 11, 25), "医保部门预警：年度自付医疗费用较高"),
]
ORDER = ["proposal", "appraisal", "village_notice", "township", "county", "entry"]


def _act(review, actor, name, **fields):
    review.refresh_from_db()
    return review_act(actor=actor, review=review, act=name, expected_version=review.version, **fields)


def _walk(review, users, until: str, *, level: str = "medium", reject: bool = False) -> None:
    """Take a review from its appraisal to the stage `until` (which waits; a notice is left running)."""
    target = ORDER.index(until) if until in ORDER else len(ORDER)
    if target > 1:
        _act(review, users["clerk"], "appraisal", **APPRAISAL)
    if target >= 2:
        clock.advance(days=1)
        _act(review, users["clerk"], "start_notice", place="村务公开栏")
    if target > 2:
        clock.advance(days=7)
        _act(review, users["clerk"], "close_notice")
    if target > 3:
        clock.advance(days=2)
        data = {"visit_date": clock.today().isoformat(), "visitors": "哈尔套镇包村干部 王建国、村“两委” 刘丽",
                "findings": "入户走访核实，情况属实"}
        if review.kind == "monitoring.identify":
            data["risk_level"] = level
        _act(review, users["township"], "approve", reason="镇党委会研究同意", data=data)
    if reject:
        clock.advance(days=3)
        _act(review, users["officer"], "reject", reason="行业部门数据筛查：家庭有成员在国企稳定就业，收入超过监测线")
        return
    if target > 4:
        clock.advance(days=3)
        data = {"leading_group_meeting": "县扶贫开发领导小组2020年第6次会议"} if review.kind == "monitoring.identify" else {}
        _act(review, users["officer"], "approve", reason="领导小组审定同意", data=data)
    if target > 5:
        clock.advance(days=1)
        _act(review, users["officer"], "announce", content="已录入全国扶贫开发信息系统，书面通知乡镇")


def _months(case, users, first: dt.date, count: int, per_person: int) -> None:
    from fupin.monitoring.rhythm import monthly_record_save

    members = max(case.household.member_count, 1)
    for i in range(count):
        month = dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        monthly_record_save(actor=users["clerk"], case=case, month=month, data={
            "income": Decimal(per_person * members), "expenses": Decimal(380 * members),
            "rigid_expenses": Decimal(120 * members), "education_secured": True, "medical_secured": True,
            "housing_secured": True, "water_secured": True, "anomaly": ""})


def _measure(household) -> None:
    """A measure in place (公益岗位) unless the assistance demo already planned one, so that the
    elimination criterion 「帮扶措施落实」 holds."""
    from fupin.assistance.models import AssistancePlan, MeasureKind, MeasureStatus, PlanMeasure
    from fupin.monitoring.elimination import measure_count

    if measure_count(household.pk):
        return
    plan, _created = AssistancePlan.objects.get_or_create(household=household, defaults={"year": household.year})
    PlanMeasure.objects.create(plan=plan, measure_code="JY03", catalogue_version=1, name="公益岗位",
                               category="就业帮扶", kind=MeasureKind.WORK, start_date=dt.date(2020, 3, 1),
                               status=MeasureStatus.IN_PLACE, responsible_unit="彰武县人力资源和社会保障局",
                               amount=Decimal("6000.00"))


def _candidates() -> list[Household]:
    """Exited households of the village with 三保障 recorded and someone able to work."""
    qs = (Household.objects.filter(year=YEAR, village__code=VILLAGE, status=HouseholdStatus.EXITED,
                                   compulsory_education_secured=True,
                                   basic_medical_secured=True, housing_secured=True, safe_drinking_water=True)
          .filter(persons__status=PersonStatus.ACTIVE, persons__labour_skill__in=["1", "2", "3"])
          .distinct().select_related("village").order_by("household_number"))
    return list(qs[:len(PLAN)])


def demo_monitoring() -> dict:
    """Idempotent: nothing is added once the village has monitoring cases."""
    if MonitoringCase.objects.filter(village__code=VILLAGE).exists():
        return {"created": False}
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "workteam", "township", "officer"])}
    households = _candidates()
    if len(users) < 4 or len(households) < len(PLAN):
        return {"created": False}
    with transaction.atomic():
        entered = _identify(users, households)
        # The assistance demo plans measures for monitored households; it runs now (it is idempotent) so
        # that the elimination below finds them, and adds none of its own plans for these households later.
        from fupin.assistance.demo import demo_assistance

        demo_assistance()
        _monitor_and_eliminate(users, entered)
        steps = {step: case.pk for step, case in entered.items()}
        audit_event(actor=None, action="monitoring.demo", details={"cases": len(steps), "steps": steps})
    return {"created": True, "cases": len(steps), "steps": steps}


def _identify(users, households) -> dict[str, MonitoringCase]:
    from fupin.monitoring.services import case_open, case_propose

    cases = {}
    for (step, proposer, found_by, risks, on, reason), household in zip(PLAN, households, strict=True):
        with clock.pinned(dt.datetime(on.year, on.month, on.day, 9, 0)):
            if step == "alert":
                case = case_propose(actor=users[proposer], household=household, found_by=found_by, reason=reason,
                                    risk_types=risks, source="feeds-demo-medical")
            else:
                case = case_open(actor=users[proposer], household=household, found_by=found_by, reason=reason,
                                 risk_types=risks, facts=CLEAN_FACTS)
            review = Review.objects.get(kind="monitoring.identify", subject_id=str(case.pk))
            if step in ORDER[1:]:
                _walk(review, users, step)
            elif step == "rejected":
                _walk(review, users, "county", reject=True)
            elif step in ("monitored", "eliminating", "eliminated"):
                _walk(review, users, "done", level="high" if step == "monitored" else "medium")
        case.refresh_from_db()
        cases[step] = case
    return cases


def _monitor_and_eliminate(users, cases: dict[str, MonitoringCase]) -> None:
    from fupin.monitoring.services import elimination_propose

    for step, months in (("monitored", 5), ("eliminating", 6), ("eliminated", 6)):
        case = cases[step]
        first = case.identified_on.replace(day=1)
        with clock.pinned(dt.datetime(first.year, first.month, 1, 9, 0) + dt.timedelta(days=31 * months)):
            _months(case, users, first, months, per_person=720)
            if step == "monitored":
                continue
            _measure(case.household)
            case.refresh_from_db()
            review = elimination_propose(actor=users["clerk"], case=case,
                                         reason="收入连续稳定超过监测线，“三保障”有保障，帮扶措施已落实",
                                         expected_version=case.version)
            _walk(review, users, "county" if step == "eliminating" else "done")
