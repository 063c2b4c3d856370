"""PV, jobs, microcredit and workshop pages and API against the permission matrix; masking of ID numbers;
page forms turning refusals into messages; the two Excel reports read back with openpyxl."""

import datetime as dt
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook
from registry.factories import make_household, member
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.funds.models import Loan, PVStation, Workshop
from fupin.funds.services import credit, jobs, pv, pv_plans, workshops

pytestmark = pytest.mark.django_db


def _station(people):
    s = pv.station_register(actor=people.clerk, village_code=VILLAGE, name="富有村光伏电站", capacity_kw="300",
                            investment="2400000", grid_on=dt.date(2019, 6, 30), land_type="wasteland", land_area_mu="10",
                            land_rent_per_mu="800")
    pv.settlement_record(actor=people.county, station=s, year=2020, month=1, kwh="320000", unit_price="0.75",
                         settled_on=dt.date(2020, 1, 31))
    return s


def _job(people):
    h = make_household(number="210922101202850", household_type="1",
                       members=[member("郑五", "02", "1", dt.date(1970, 1, 1))])
    return jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="cleaner", holder_id=h.persons.get().pk,
                           monthly_pay="430", starts_on=dt.date(2020, 1, 1))


def _loan(people):
    lender = credit.lender_register(actor=people.county, county_code="210922", name="彰武联社", risk_fund="3000000")
    h = make_household(number="210922101202851", household_type="1",
                       members=[member("冯六", "02", "1", dt.date(1980, 1, 1))])
    return credit.loan_apply(actor=people.clerk, borrower_id=h.persons.get().pk, lender_id=lender.pk, amount="30000",
                             term_years="2", purpose="养牛")


def _workshop(people):
    return workshops.workshop_create(actor=people.clerk, village_code=VILLAGE, name="富有村服装车间", kind="new",
                                     usable_area="220", building_area="240", investment="180000", employees_total=20,
                                     employees_poor=6)


def test_pv_pages_and_api(people, make_user, token_for):
    s = _station(people)
    Matrix("/funds/pv/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=s.code,
           other_area_refused=False).check(make_user, token_for)
    Matrix(f"/funds/pv/stations/{s.pk}/", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker=s.code).check(
        make_user, token_for)
    Matrix(f"/api/funds/pv/stations/{s.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker=s.code).check(
        make_user, token_for)
    Matrix("/api/funds/pv/stations", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True, marker=s.code,
           other_area_refused=False).check(make_user, token_for)


def test_pv_plan_api_refuses_a_plan_under_the_household_share(people, token_for):
    _station(people)
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(people.clerk)}"}
    r = client.post("/api/funds/pv/plans", json.dumps({"village_code": VILLAGE, "year": 2020, "lines": [
        {"kind": "public_works", "amount": "160000"}]}), content_type="application/json", **auth)
    assert r.status_code == 400 and r.json()["error"]["code"] == "household_share_below_minimum"
    r = client.post("/api/funds/pv/plans", json.dumps({"village_code": VILLAGE, "year": 2020, "lines": [
        {"kind": "jobs", "amount": "140000"}]}), content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    assert r.json()["county_fund"] == "72000.00" and r.json()["village_revenue"] == "168000.00"


def test_pv_plan_step_matrix(people, make_user, token_for):
    _station(people)
    p = pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020, lines=[{"kind": "jobs",
                                                                                            "amount": "140000"}])
    Matrix(f"/api/funds/pv/plans/{p.pk}/steps/decide", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           method="post", data={"on": "2020-03-02", "version": 1}).check(make_user, token_for)
    p.refresh_from_db()
    assert p.status == "decided"
    Matrix(f"/funds/pv/plans/{p.pk}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=p.code).check(
        make_user, token_for)


def test_stale_pv_plan_edit_answers_409(people, token_for):
    _station(people)
    p = pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020, lines=[{"kind": "jobs",
                                                                                            "amount": "140000"}])
    r = Client().put(f"/api/funds/pv/plans/{p.pk}", json.dumps({"version": 7, "lines": [{"kind": "jobs",
                                                                                          "amount": "150000"}]}),
                     content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_for(people.clerk)}")
    assert r.status_code == 409 and r.json()["error"]["code"] == "stale_version"


def test_job_pages_mask_id_numbers_for_readers_without_pii(people, make_user, token_for):
    job = _job(people)
    Matrix("/funds/jobs/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=job.code,
           other_area_refused=False).check(make_user, token_for)
    Matrix(f"/api/funds/jobs/{job.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker=job.code).check(
        make_user, token_for)
    full = job.holder.id_number
    client = Client()
    client.force_login(people.cadre)
    page = client.get(f"/funds/jobs/{job.pk}/").content.decode()
    assert full not in page and full[:6] in page
    client.force_login(people.clerk)
    assert full in client.get(f"/funds/jobs/{job.pk}/").content.decode()


def test_job_payment_page_refusal_becomes_a_message(people):
    job = _job(people)
    client = Client()
    client.force_login(people.clerk)
    r = client.post(f"/funds/jobs/{job.pk}/", {"step": "pay", "year": 2020, "month": 1, "amount": "430",
                                                "paid_on": "2020-02-05"}, follow=True)
    assert "没有考勤记录" in r.content.decode()
    assert not job.payments.exists()


def test_credit_pages_api_and_refused_application(people, make_user, token_for):
    loan = _loan(people)
    Matrix("/funds/credit/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=loan.code,
           other_area_refused=False).check(make_user, token_for)
    Matrix(f"/funds/credit/loans/{loan.pk}/", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker=loan.code).check(
        make_user, token_for)
    Matrix(f"/api/funds/credit/loans/{loan.pk}/steps/review", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP,
           api=True, method="post", data={"on": "2020-03-02", "version": 1}).check(make_user, token_for)
    assert Loan.objects.get(pk=loan.pk).status == "reviewed"
    young = make_household(number="210922101202852", household_type="1",
                           members=[member("小王", "02", "1", dt.date(2003, 1, 1))]).persons.get()
    r = Client().post("/api/funds/credit/loans", json.dumps({"borrower_id": young.pk, "lender_id": loan.lender_id,
                                                             "amount": "10000", "term_years": "1", "purpose": "养羊"}),
                      content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_for(people.clerk)}")
    body = r.json()["error"]
    assert r.status_code == 400 and body["code"] == "loan_not_eligible" and "年满 18 周岁" in body["message"]
    assert body["details"]["clauses"]["adult"] is False
    assert Loan.objects.count() == 1


def test_workshop_pages_and_api(people, make_user, token_for):
    w = _workshop(people)
    Matrix("/funds/workshops/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=w.code,
           other_area_refused=False).check(make_user, token_for)
    Matrix(f"/api/funds/workshops/{w.pk}/steps/certify", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True,
           method="post", data={"on": "2020-03-02", "version": 1}).check(make_user, token_for)
    assert Workshop.objects.get(pk=w.pk).status == "certified"
    Matrix(f"/funds/workshops/{w.pk}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=w.code).check(
        make_user, token_for)


def test_pv_report_rows_and_total_add_up(people):
    s = _station(people)
    pv.settlement_record(actor=people.county, station=s, year=2020, month=2, kwh="1000", unit_price="0.75",
                         taxes="50", settled_on=dt.date(2020, 2, 29))
    pv_plans.pv_plan_create(actor=people.clerk, village_code=VILLAGE, year=2020, lines=[{"kind": "jobs",
                                                                                        "amount": "140000"}])
    client = Client()
    client.force_login(people.township)
    r = client.get("/funds/pv/report.xlsx", {"area": TOWNSHIP, "year": 2020})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[2]]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    village, total = rows[0], next(row for row in rows if row[0] == "合计")
    net = header.index("结算收益（元）")
    assert village[1] == "富有村委会" and village[net] == pytest.approx(240700.0)
    assert total[net] == pytest.approx(sum(row[net] for row in rows[:-1] if row[0] != "合计" and row[net]))
    assert village[header.index("公益岗位（元）")] == pytest.approx(140000.0)
    assert client.get("/funds/pv/report.xlsx", {"area": OTHER_COUNTY, "year": 2020}).status_code in (403, 404)


def test_credit_report(people):
    loan = _loan(people)
    loan = credit.loan_review(actor=people.township, loan=loan, on=clock.today(), version=1)
    loan = credit.loan_approve(actor=people.county, loan=loan, on=clock.today(), amount="30000", annual_rate="0.0435",
                               version=2)
    credit.loan_disburse(actor=people.county, loan=loan, on=clock.today(), version=3)
    credit.demand_record(actor=people.clerk, household_id=loan.household_id, year=2020, willing=True)
    client = Client()
    client.force_login(people.county)
    r = client.get("/funds/credit/report.xlsx", {"area": COUNTY, "year": 2020})
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[2]]
    row = next(ws.iter_rows(min_row=3, max_row=3, values_only=True))
    assert row[0] == "哈尔套镇" and row[header.index("发放金额（元）")] == pytest.approx(30000.0)
    assert row[header.index("应贷尽贷率")] == "100.00%"
    assert wb.worksheets[1]["A3"].value == "彰武联社"


def test_station_page_form_refusal(people):
    client = Client()
    client.force_login(people.clerk)
    r = client.post("/funds/pv/stations/new/", {"village_code": VILLAGE, "name": "新电站", "capacity_kw": "300",
                                                "investment": "100", "grid_on": "2020-01-01", "funding": "fiscal",
                                                "land_type": "construction", "land_area_mu": "3",
                                                "land_rent_per_mu": "2500"})
    assert r.status_code == 200 and "2000" in r.content.decode()
    assert not PVStation.objects.exists()


def test_credit_warning_and_coverage_api(people, make_user, token_for):
    loan = _loan(people)
    loan = credit.loan_review(actor=people.township, loan=loan, on=dt.date(2020, 3, 2), version=1)
    loan = credit.loan_approve(actor=people.county, loan=loan, on=dt.date(2020, 3, 2), amount="30000",
                               annual_rate="0.0435", version=2)
    credit.loan_disburse(actor=people.county, loan=loan, on=dt.date(2020, 3, 2), version=3)
    Loan.objects.filter(pk=loan.pk).update(due_on=dt.date(2020, 3, 20))  # a short loan: due in 18 days
    Matrix("/api/funds/credit/warnings", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker=loan.code,
           other_area_refused=False).check(make_user, token_for)
    r = Client().get("/api/funds/credit/warnings", HTTP_AUTHORIZATION=f"Bearer {token_for(people.township)}").json()
    assert r["count"] == 1 and r["items"][0]["level"] == "due_soon" and r["items"][0]["days"] == 18
    credit.demand_record(actor=people.clerk, household_id=loan.household_id, year=2020, willing=True)
    cov = Client().get("/api/funds/credit/coverage?year=2020",
                       HTTP_AUTHORIZATION=f"Bearer {token_for(people.clerk)}").json()
    assert cov["willing"] == 1 and cov["with_loan"] == 1 and cov["without"] == []


def test_pv_page_forms_create_a_recipient_and_a_plan(people):
    _station(people)
    h = make_household(number="210922101202860", household_type="1",
                       members=[member("陈老汉", "02", "1", dt.date(1949, 2, 1))])
    client = Client()
    client.force_login(people.clerk)
    r = client.post("/funds/pv/recipients/new/", {"household_number": h.household_number, "year": 2020,
                                                  "reason": "孤寡老人", "lonely_elderly": h.persons.get().id_number})
    assert r.status_code == 302 and "/workflow/reviews/" in r["Location"]
    r = client.post("/funds/pv/plans/new/", {"village_code": VILLAGE, "year": 2020, "public_works": "100000",
                                             "subsidies": f"{h.household_number} 500"})
    body = r.content.decode()
    assert r.status_code == 200 and "不是2020年经乡镇审核的光伏收益资助对象" in body
    r = client.post("/funds/pv/plans/new/", {"village_code": VILLAGE, "year": 2020, "jobs": "150000",
                                             "public_works": "10000"})
    assert r.status_code == 302
    plan_page = client.get(r["Location"]).content.decode()
    assert "150,000.00" in plan_page and "72,000.00" in plan_page
