"""Public-welfare jobs, microcredit and workshops: the rules each refuses with, and the append-only
records."""

import datetime as dt

import pytest
from registry.factories import make_household, member
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds import credit_book
from fupin.funds.models import JobPayment, Loan, LoanStatus, PublicJob, WorkshopStatus, WorkshopSubsidy
from fupin.funds.services import credit, jobs, workshops

from .conftest import D

pytestmark = pytest.mark.django_db


def household(number, people, **kw):
    return make_household(number=number, household_type="1", members=people, **kw)


# --- public-welfare jobs ---------------------------------------------------------------------------

def test_job_holder_age_limits_and_village(people):
    h = household("210922101202801", [member("赵大", "02", "1", dt.date(1952, 1, 1)),
                                      member("赵妻", "10", "2", dt.date(1958, 5, 1))])
    old, wife = h.persons.order_by("id")
    with pytest.raises(ValidationFailed) as exc:  # 68 > 65 for a man, no special reason
        jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="cleaner", holder_id=old.pk,
                        monthly_pay="430", starts_on=clock.today())
    assert exc.value.code == "holder_over_age" and "65" in exc.value.message
    job = jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="cleaner", holder_id=old.pk,
                          monthly_pay="430", starts_on=clock.today(), age_exception="身体健康，本人自愿")
    assert job.status == "active"
    with pytest.raises(ValidationFailed) as exc:  # 61 > 60 for a woman
        jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="road", holder_id=wife.pk,
                        monthly_pay="430", starts_on=clock.today())
    assert exc.value.code == "holder_over_age"
    with pytest.raises(ValidationFailed) as exc:
        jobs.job_create(actor=people.other_clerk, village_code=OTHER_VILLAGE, job_type="road", holder_id=wife.pk,
                        monthly_pay="430", starts_on=clock.today())
    assert exc.value.code == "person_outside_village"


def test_job_holder_must_be_registered_or_monitored(people):
    plain = make_household(number="210922101202802", status="removed",
                           members=[member("钱一", "02", "1", dt.date(1975, 1, 1))])
    with pytest.raises(ValidationFailed) as exc:
        jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="road", holder_id=plain.persons.get().pk,
                        monthly_pay="430", starts_on=clock.today())
    assert exc.value.code == "holder_not_eligible"
    plain.monitoring_type = "1"
    plain.save()
    assert jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="road", holder_id=plain.persons.get().pk,
                           monthly_pay="430", starts_on=clock.today()).pk


def test_pay_needs_attendance_the_holder_and_stays_within_monthly_pay(people):
    h = household("210922101202803", [member("孙二", "02", "1", dt.date(1970, 1, 1))])
    outsider = household("210922101203803", [member("周三", "02", "1", dt.date(1970, 1, 1))], village=OTHER_VILLAGE)
    job = jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="road", holder_id=h.persons.get().pk,
                          monthly_pay="430", starts_on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        jobs.payment_record(actor=people.clerk, job=job, year=2020, month=1, amount="430", paid_on=clock.today())
    assert exc.value.code == "no_attendance"
    jobs.attendance_record(actor=people.clerk, job=job, year=2020, month=1, days=22)
    with pytest.raises(ValidationFailed) as exc:
        jobs.payment_record(actor=people.clerk, job=job, year=2020, month=1, amount="430", paid_on=clock.today(),
                            payee_id=outsider.persons.get().pk)
    assert exc.value.code == "person_outside_village"
    with pytest.raises(ValidationFailed) as exc:
        jobs.payment_record(actor=people.clerk, job=job, year=2020, month=1, amount="500", paid_on=clock.today())
    assert exc.value.code == "payment_over_monthly_pay"
    pay = jobs.payment_record(actor=people.clerk, job=job, year=2020, month=1, amount="430", paid_on=clock.today())
    with pytest.raises(Conflict):
        pay.delete()
    jobs.job_entry_reverse(actor=people.clerk, entry=pay, reason="重复发放")
    assert sum(p.amount for p in JobPayment.objects.filter(job=job)) == 0
    with pytest.raises(Conflict):
        jobs.job_end(actor=people.clerk, job=job, on=clock.today(), version=0)
    assert PublicJob.objects.get(pk=job.pk).status == "active"


# --- microcredit -------------------------------------------------------------------------------------

@pytest.fixture
def lender(people):
    return credit.lender_register(actor=people.county, county_code="210922", name="彰武联社", risk_fund="300000")


def borrower(number="210922101202810", birth=dt.date(1975, 6, 1)):
    return household(number, [member("吴四", "02", "1", birth)]).persons.get()


def test_loan_breaking_an_eligibility_rule_is_refused_with_the_rule(people, lender):
    old = borrower(birth=dt.date(1962, 6, 1))  # 57 + 3 years = 60: allowed; + 3.5 is not
    with pytest.raises(ValidationFailed) as exc:
        credit.loan_apply(actor=people.clerk, borrower_id=old.pk, lender_id=lender.pk, amount="50000", term_years="3.5",
                          purpose="养牛")
    assert exc.value.code == "loan_not_eligible" and "年龄与授信期限之和不超过 60" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        credit.loan_apply(actor=people.clerk, borrower_id=old.pk, lender_id=lender.pk, amount="60000", term_years="3",
                          purpose="养牛")
    assert "5 万元" in exc.value.message
    assert Loan.objects.count() == 0
    loan = credit.loan_apply(actor=people.clerk, borrower_id=old.pk, lender_id=lender.pk, amount="50000",
                             term_years="3", purpose="养牛")
    assert loan.eligibility["eligible"] is True
    with pytest.raises(ValidationFailed) as exc:  # the household now has a loan outstanding
        credit.loan_apply(actor=people.clerk, borrower_id=old.pk, lender_id=lender.pk, amount="10000", term_years="1",
                          purpose="养羊")
    assert "无其他存量贷款" in exc.value.message


def disbursed(people, lender, person, amount="50000"):
    loan = credit.loan_apply(actor=people.clerk, borrower_id=person.pk, lender_id=lender.pk, amount=amount,
                             term_years="0.25", purpose="养牛", applied_on=dt.date(2020, 1, 2))
    loan = credit.loan_review(actor=people.township, loan=loan, on=dt.date(2020, 1, 5), version=1)
    loan = credit.loan_approve(actor=people.county, loan=loan, on=dt.date(2020, 1, 8), amount=amount,
                               annual_rate="0.0435", version=2)
    return credit.loan_disburse(actor=people.county, loan=loan, on=dt.date(2020, 1, 10), version=3)


def test_repayment_subsidy_warnings_and_the_bad_loan_gate(people, lender):
    a = disbursed(people, lender, borrower("210922101202811"))
    assert a.due_on == dt.date(2020, 4, 10) and a.subsidy_rate == 1
    credit.repayment_record(actor=people.clerk, loan=a, paid_on=dt.date(2020, 2, 10), principal="0", interest="543.75")
    assert credit_book.interest_subsidy(a) == D("543.75")
    with pytest.raises(ValidationFailed) as exc:
        credit.repayment_record(actor=people.clerk, loan=a, paid_on=dt.date(2020, 2, 11), principal="60000")
    assert exc.value.code == "repayment_over_balance"
    assert credit_book.warnings(Loan.objects.all(), clock.today()) == []  # due in 39 days
    clock.advance(days=10)
    assert [(w["level"], w["days"]) for w in credit_book.warnings(Loan.objects.all(), clock.today())] == [
        ("due_soon", 29)]
    clock.advance(days=39)
    assert [(w["level"], w["days"]) for w in credit_book.warnings(Loan.objects.all(), clock.today())] == [
        ("overdue", -10)]
    clock.advance(days=81)  # 91 days overdue: non-performing, 100% of the book
    assert credit_book.lender_book(lender, clock.today())["npl_ratio"] == 1
    nxt = credit.loan_apply(actor=people.clerk, borrower_id=borrower("210922101202812").pk, lender_id=lender.pk,
                            amount="10000", term_years="1", purpose="种植")
    nxt = credit.loan_review(actor=people.township, loan=nxt, on=clock.today(), version=1)
    nxt = credit.loan_approve(actor=people.county, loan=nxt, on=clock.today(), amount="10000", annual_rate="0.0435",
                              version=2)
    with pytest.raises(ValidationFailed) as exc:
        credit.loan_disburse(actor=people.county, loan=nxt, on=clock.today(), version=3)
    assert exc.value.code == "lending_suspended"
    credit.repayment_record(actor=people.clerk, loan=a, paid_on=clock.today(), principal="50000")
    lender.refresh_from_db()
    assert lender.suspended  # repaid, but lending resumes only after the consultation
    with pytest.raises(ValidationFailed):
        credit.loan_disburse(actor=people.county, loan=nxt, on=clock.today(), version=3)
    credit.lender_resume(actor=people.county, lender=lender, on=clock.today(), version=lender.version)
    assert credit.loan_disburse(actor=people.county, loan=nxt, on=clock.today(), version=3).status == LoanStatus.DISBURSED


def test_pool_is_ten_times_the_risk_fund(people):
    small = credit.lender_register(actor=people.county, county_code="210922", name="小银行", risk_fund="5000")
    with pytest.raises(ValidationFailed) as exc:
        disbursed(people, small, borrower("210922101202813"), amount="50001")
    assert exc.value.code in ("loan_pool_exceeded", "loan_not_eligible")
    with pytest.raises(ValidationFailed) as exc:
        disbursed(people, small, borrower("210922101202814"), amount="50000.01")
    with pytest.raises(ValidationFailed) as exc:
        disbursed(people, small, borrower("210922101202815"), amount="40000")
        disbursed(people, small, borrower("210922101202816"), amount="20000")
    assert exc.value.code == "loan_pool_exceeded" and "50,000.00元" in exc.value.message


def test_coverage_lists_willing_households_without_a_loan(people, lender):
    p = borrower("210922101202817")
    q = borrower("210922101202818")
    credit.demand_record(actor=people.clerk, household_id=p.household_id, year=2020, willing=True, project="养牛")
    credit.demand_record(actor=people.clerk, household_id=q.household_id, year=2020, willing=True, project="养羊")
    disbursed(people, lender, p)
    from fupin.funds.models import CreditDemand
    cov = credit_book.coverage(list(CreditDemand.objects.select_related("household")), list(Loan.objects.all()), 2020)
    assert cov["willing"] == 2 and cov["with_loan"] == 1
    assert [d.household.household_number for d in cov["without"]] == ["210922101202818"]


# --- workshops ---------------------------------------------------------------------------------------

def workshop(people, **kw):
    data = {"village_code": VILLAGE, "name": "富有村服装车间", "kind": "new", "usable_area": "220", "building_area": "240",
            "investment": "180000", "employees_total": 20, "employees_poor": 6}
    data.update(kw)
    return workshops.workshop_create(actor=people.clerk, **data)


@pytest.mark.parametrize("total,poor,ok", [(12, 4, False), (20, 6, True), (40, 10, False), (10, 5, True)])
def test_workshop_poor_employee_rule(people, total, poor, ok):
    w = workshop(people, employees_total=total, employees_poor=poor)
    assert workshops.qualification(w)["ok"] is ok


def test_workshop_certification_refused_with_every_failing_check(people):
    w = workshop(people, usable_area="180", investment="250000")
    with pytest.raises(ValidationFailed) as exc:
        workshops.workshop_certify(actor=people.county, workshop=w, on=clock.today(), version=1)
    assert exc.value.code == "workshop_not_qualified"
    assert "180" in exc.value.message and "200,000.00元" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        workshops.workshop_update(actor=people.clerk, workshop=w, version=1, employees_poor=30)
    assert exc.value.code == "poor_over_total"
    w = workshops.workshop_update(actor=people.clerk, workshop=w, version=1, usable_area="210", investment="200000")
    with pytest.raises(Conflict):
        workshops.workshop_update(actor=people.clerk, workshop=w, version=1, usable_area="230")
    w = workshops.workshop_certify(actor=people.county, workshop=w, on=clock.today(), version=2)
    assert w.status == WorkshopStatus.CERTIFIED


def test_workshop_subsidies_caps_and_reward(people):
    r = workshop(people, kind="renovated", building_area="160", usable_area="150", investment="0")
    with pytest.raises(Conflict):
        workshops.subsidy_pay(actor=people.county, workshop=r, kind="renovation", amount="50000", paid_on=clock.today())
    r = workshops.workshop_certify(actor=people.county, workshop=r, on=clock.today(), version=1)
    with pytest.raises(ValidationFailed) as exc:
        workshops.subsidy_pay(actor=people.county, workshop=r, kind="renovation", amount="120000", paid_on=clock.today())
    assert exc.value.code == "renovation_subsidy_over_cap"
    workshops.subsidy_pay(actor=people.county, workshop=r, kind="renovation", amount="100000", paid_on=clock.today())
    s = workshops.subsidy_pay(actor=people.county, workshop=r, kind="stable_job", persons=6, paid_on=clock.today())
    assert s.amount == D("6000.00")
    with pytest.raises(ValidationFailed) as exc:
        workshops.subsidy_pay(actor=people.county, workshop=r, kind="training", amount="3000", months=7,
                              paid_on=clock.today())
    assert exc.value.code == "training_too_long"
    workshops.subsidy_reverse(actor=people.county, subsidy=s, reason="人数有误")
    assert sum(x.amount for x in WorkshopSubsidy.objects.filter(workshop=r)) == D("100000.00")
