"""Demo data for PV stations, public-welfare jobs, microcredit and workshops in Zhangwu (2020).

`demo_programs()` is idempotent (nothing happens when the county already has PV stations). It goes
through the services; the deep-poverty recipients go through the workflow review as the demo clerk and
township reviewer, on a clock pinned to 2020 (a public notice cannot be back-dated), and are left out
when those accounts or the registry households are missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from fupin.core import clock
from fupin.funds.models import PVStation
from fupin.funds.services import credit, jobs, pv, pv_plans, workshops
from fupin.registry.models import Household, HouseholdStatus, Person

COUNTY = "210922"
FUYOU, HUANGHUASHAN = "210922101202", "210922101203"
D = dt.date
LIVE = [HouseholdStatus.REGISTERED, HouseholdStatus.EXITED, HouseholdStatus.EXPECTED_EXIT]
# 富有村's monthly generation (kWh) of a 300 kW station: low in winter, high in spring and summer
MONTHLY_KWH = [24000, 30000, 38000, 42000, 45000, 44000, 41000, 40000, 37000, 32000, 26000, 22000]


def _stations() -> list[PVStation]:
    fuyou = pv.station_register(actor=None, village_code=FUYOU, name="富有村村级光伏扶贫电站", capacity_kw="300",
                                investment="2280000", grid_on=D(2019, 6, 28), land_type="wasteland",
                                land_area_mu="12", land_rent_per_mu="600", builder="辽宁中天新能源工程有限公司")
    huang = pv.station_register(actor=None, village_code=HUANGHUASHAN, name="黄花山村村级光伏扶贫电站",
                                capacity_kw="300", investment="2310000", grid_on=D(2020, 5, 20),
                                land_type="construction", land_area_mu="8", land_rent_per_mu="1500")
    for month, kwh in enumerate(MONTHLY_KWH, start=1):
        rent = "7200" if month == 12 else "0"
        pv.settlement_record(actor=None, station=fuyou, year=2020, month=month, kwh=kwh, unit_price="0.8500",
                             taxes=str((Decimal(kwh) * Decimal("0.02")).quantize(Decimal("0.01"))), om_cost="1500",
                             land_rent=rent, settled_on=D(2020, month, 28), reference=f"中天结〔2020〕{month:02d}")
        if month >= 6:
            pv.settlement_record(actor=None, station=huang, year=2020, month=month, kwh=kwh - 2000,
                                 unit_price="0.8500", om_cost="1500", settled_on=D(2020, month, 28))
    return [fuyou, huang]


def _people(village: str, count: int, *, low: int, high: int) -> list[Person]:
    """Members of registered households of the village aged low..high in 2020, one per household."""
    out, seen = [], set()
    persons = (Person.objects.filter(household__village__code=village, household__year=2020,
                                     household__status__in=LIVE, household__household_type__in=["1", "2"])
               .select_related("household").order_by("household__household_number", "person_number"))
    for p in persons:
        age = 2020 - p.birth_date.year
        if p.household_id in seen or not low <= age <= high:
            continue
        seen.add(p.household_id)
        out.append(p)
        if len(out) == count:
            break
    return out


def _recipients(households: list[Household]) -> list:
    from django.contrib.auth import get_user_model

    from fupin.workflow import services as wf

    users = get_user_model().objects
    clerk, township = users.filter(username="clerk").first(), users.filter(username="township").first()
    if clerk is None or township is None:
        return []
    out = []
    with clock.pinned(D(2020, 10, 12)):
        for h in households:
            r = pv_plans.recipient_apply(actor=clerk, household_id=h.pk, year=2020, assembly_recognised=True,
                                         reason="家庭主要劳动力因病丧失劳动能力，经村民代表会议认可")
            review = wf.review_record_appraisal(actor=clerk, review=r.review_id, expected_version=1, attendees=31,
                                                votes_for=29, votes_against=1, votes_abstain=1,
                                                minutes="村民代表会议对申请户逐户评议，同意列入初步名单")
            wf.review_start_notice(actor=clerk, review=review, expected_version=review.version,
                                   starts_on=clock.today(), place="富有村村务公开栏")
            out.append(r)
        clock.advance(days=8)
        for r in out:
            review = wf.review_close_notice(actor=clerk, review=r.review_id,
                                            expected_version=_version(r.review_id))
            wf.review_decide(actor=township, review=review, expected_version=review.version, decision="approve")
    return out


def _version(review_id: int) -> int:
    from fupin.workflow.models import Review

    return Review.objects.get(pk=review_id).version


def _plan(recipients) -> None:
    lines = [{"kind": "subsidy", "household": r.household_id, "amount": "3000", "note": "深度贫困户生活补助"}
             for r in recipients]
    with clock.pinned(D(2020, 12, 21)):
        revenue, county, base = pv_plans.plan_amounts(pv_plans.village_area(FUYOU, "项目村"), 2020)
        jobs_amount = (base * Decimal("0.80")).quantize(Decimal("0.01"))
        rest = base - jobs_amount - Decimal(3000) * len(recipients)
        lines += [{"kind": "jobs", "amount": str(jobs_amount), "note": "保洁员、护林防火员等公益岗位工资"},
                  {"kind": "public_works", "amount": str((rest * Decimal("0.6")).quantize(Decimal("0.01"))),
                   "note": "村内道路维修、环境卫生整治"},
                  {"kind": "reserve", "amount": str((rest * Decimal("0.3")).quantize(Decimal("0.01"))),
                   "note": "防火、防汛等应急支出预留"}]
        plan = pv_plans.pv_plan_create(actor=None, village_code=FUYOU, year=2020, lines=lines)
        plan = pv_plans.pv_plan_step(actor=None, plan=plan, step="decide", on=D(2020, 12, 20))
        plan = pv_plans.pv_plan_step(actor=None, plan=plan, step="publicise", on=D(2020, 12, 21))
        clock.advance(days=10)
        plan = pv_plans.pv_plan_step(actor=None, plan=plan, step="approve", on=D(2020, 12, 29))
        pv_plans.pv_plan_step(actor=None, plan=plan, step="file", on=D(2020, 12, 30))


def _jobs() -> int:
    kinds = ["cleaner", "forest", "road", "drinking_water"]
    made = 0
    for kind, person in zip(kinds, _people(FUYOU, 4, low=30, high=58), strict=False):
        job = jobs.job_create(actor=None, village_code=FUYOU, job_type=kind, holder_id=person.pk, monthly_pay="430",
                              starts_on=D(2020, 1, 1), contract_no=f"富有公益岗〔2020〕{made + 1}号")
        for month in (1, 2, 3):
            jobs.attendance_record(actor=None, job=job, year=2020, month=month, days=22)
            jobs.payment_record(actor=None, job=job, year=2020, month=month, amount="430", paid_on=D(2020, month, 28))
        made += 1
    for person in _people(HUANGHUASHAN, 1, low=30, high=58):  # one post: under the minimum of 2 for a new station
        jobs.job_create(actor=None, village_code=HUANGHUASHAN, job_type="cleaner", holder_id=person.pk,
                        monthly_pay="430", starts_on=D(2020, 6, 1))
        made += 1
    return made


def _credit() -> int:
    lender = credit.lender_register(actor=None, county_code=COUNTY, name="彰武县农村信用合作联社", risk_fund="3000000")
    borrowers = _people(FUYOU, 6, low=26, high=50)
    for p in borrowers:
        credit.demand_record(actor=None, household_id=p.household_id, year=2020, willing=True, project="肉牛养殖")
    loans = []
    for n, p in enumerate(borrowers[:4]):
        loan = credit.loan_apply(actor=None, borrower_id=p.pk, lender_id=lender.pk, amount=["50000", "30000", "40000",
                                                                                             "20000"][n],
                                 term_years="3", purpose="肉牛养殖", applied_on=D(2020, 3, 2 + n))
        loan = credit.loan_review(actor=None, loan=loan, on=D(2020, 3, 10))
        if n == 3:
            loans.append(loan)  # waiting for the bank
            continue
        loan = credit.loan_approve(actor=None, loan=loan, on=D(2020, 3, 20), amount=loan.amount, annual_rate="0.0475",
                                   credit_score=85)
        loans.append(credit.loan_disburse(actor=None, loan=loan, on=D(2020, 3, 25)))
    for year in (2020, 2021, 2022):
        for loan in loans[:3]:
            credit.repayment_record(actor=None, loan=loan, paid_on=D(year, 12, 20), principal="0",
                                    interest=str((loan.approved_amount * Decimal("0.0475")).quantize(Decimal("0.01"))))
    credit.repayment_record(actor=None, loan=loans[0], paid_on=D(2023, 3, 20), principal=loans[0].approved_amount)
    credit.repayment_record(actor=None, loan=loans[1], paid_on=D(2023, 3, 22), principal=loans[1].approved_amount)
    return len(loans)  # loans[2] stays unpaid after its due date: the overdue warning and the bad-loan ratio


def _workshops() -> int:
    w = workshops.workshop_create(actor=None, village_code=FUYOU, name="富有村扶贫车间（服装加工）", kind="new",
                                  usable_area="260", building_area="300", investment="195000", employees_total=24,
                                  employees_poor=9, operator="彰武县锦绣服饰有限公司", business="服装来料加工")
    w = workshops.workshop_certify(actor=None, workshop=w, on=D(2020, 5, 8))
    workshops.workshop_file(actor=None, workshop=w, on=D(2020, 5, 20))
    workshops.subsidy_pay(actor=None, workshop=w, kind="stable_job", persons=6, paid_on=D(2020, 11, 30))
    workshops.subsidy_pay(actor=None, workshop=w, kind="training", amount="9000", months=3, persons=9,
                          paid_on=D(2020, 9, 30))
    workshops.workshop_create(actor=None, village_code=HUANGHUASHAN, name="黄花山村扶贫车间（旧校舍改造）",
                              kind="renovated", usable_area="140", building_area="165", investment="0",
                              employees_total=12, employees_poor=5, business="手工编织")
    return 2


def demo_programs() -> dict:
    if PVStation.objects.filter(village__code__startswith=COUNTY).exists():
        return {"created": False}
    # the demo's records run to 2023; on an earlier clock (a test's) they would be "in the future"
    with transaction.atomic(), clock.pinned(max(clock.today(), D(2023, 12, 31))):
        _stations()
        households = [p.household for p in _people(FUYOU, 2, low=55, high=90)]
        recipients = _recipients(households) if len(households) == 2 else []
        _plan(recipients)
        made = {"jobs": _jobs(), "workshops": _workshops()}
        made["loans"] = _credit() if len(_people(FUYOU, 4, low=26, high=50)) == 4 else 0
    return {"created": True, "recipients": len(recipients), **made}
