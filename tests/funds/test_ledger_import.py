"""Excel import of the PV-station, public-welfare-post and microloan ledgers, from real .xlsx files: one
good file per ledger, and each kind of bad input refused with its row and column, writing nothing."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from registry.factories import make_household, member
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.audit.models import AuditEvent
from fupin.core.errors import PermissionDenied
from fupin.funds.ledger_import import LEDGERS, ledger_import, ledger_template, sheet
from fupin.funds.models import Loan, PublicJob, PVStation
from fupin.funds.services import credit, jobs

from .ledger_kit import refused, save, where

pytestmark = pytest.mark.django_db


def xlsx(kind, rows, *, headers=None, name="ledger.xlsx") -> io.BytesIO:
    """A workbook in the ledger's layout; each row a {key: value} dict (missing keys left blank)."""
    columns = LEDGERS[kind].columns
    wb = Workbook()
    ws = wb.active
    ws.append(headers or [c.header for c in columns])
    for row in rows:
        ws.append([row.get(c.key) for c in columns])
    return save(wb, name)


def station_row(**kw):
    return {"village_code": VILLAGE, "name": "富有村光伏电站", "capacity_kw": 300, "investment": 2400000,
            "funding": "财政专项扶贫资金建设", "grid_on": dt.date(2018, 6, 30), "land_type": "荒山、荒坡和未利用地",
            "land_area_mu": 9.5, "land_rent_per_mu": 800, **kw}


def holder(number="210922101202901", name="赵大", birth=dt.date(1970, 1, 1), sex="1", village=VILLAGE, **kw):
    return make_household(number=number, village=village, household_type="1",
                          members=[member(name, "02", sex, birth)], **kw).persons.get()


def post_row(person, **kw):
    return {"village_code": VILLAGE, "job_type": "保洁员", "holder_name": person.name,
            "holder_id_number": person.id_number, "household_number": person.household.household_number,
            "monthly_pay": 500, "starts_on": dt.date(2020, 1, 1), **kw}


@pytest.fixture
def lender(people):
    return credit.lender_register(actor=people.county, county_code="210922", name="彰武联社", risk_fund="300000")


def loan_row(person, **kw):
    return {"household_number": person.household.household_number, "borrower_name": person.name,
            "borrower_id_number": person.id_number, "lender": "彰武联社", "amount": 50000, "term_years": 3,
            "purpose": "养牛", "applied_on": dt.date(2020, 3, 1), **kw}


# --- one good file per ledger ------------------------------------------------------------------------

def test_stations_are_imported_with_one_audit_event_for_the_batch(people):
    clerk = people.clerk
    before = AuditEvent.objects.count()
    f = xlsx("stations", [{"serial": "示例", **station_row(name="示例电站")}, station_row(),
                          station_row(name="富有村二号电站", land_type="建设用地", land_rent_per_mu=1500, funding=None)])
    done = ledger_import(kind="stations", actor=clerk, fileobj=f)
    assert done["rows"] == 2 and all(c.startswith("GF101202-") for c in done["codes"])
    assert set(PVStation.objects.values_list("name", "funding", "land_type")) == {
        ("富有村光伏电站", "fiscal", "wasteland"), ("富有村二号电站", "fiscal", "construction")}
    events = AuditEvent.objects.order_by("seq")[before:]
    assert [(e.action, e.after["rows"], e.area_code) for e in events] == [("funds.import.stations", 2, VILLAGE)]


def test_posts_are_imported_for_registered_holders(people):
    a, b = holder(), holder("210922101202902", "钱二", dt.date(1962, 5, 1), "1")
    f = xlsx("posts", [post_row(a), post_row(b, job_type="road", funding="其他资金", household_number=None,
                                            age_exception=None)])
    assert ledger_import(kind="posts", actor=people.clerk, fileobj=f)["rows"] == 2
    assert set(PublicJob.objects.values_list("holder__name", "job_type", "funding", "status")) == {
        ("赵大", "cleaner", "pv", "active"), ("钱二", "road", "other", "active")}


def test_loans_are_imported_as_applications(people, lender):
    a = holder("210922101202903", "吴四", dt.date(1975, 6, 1))
    f = xlsx("loans", [loan_row(a, for_production="是", other_outstanding="否")])
    done = ledger_import(kind="loans", actor=people.clerk, fileobj=f)
    loan = Loan.objects.get()
    assert done["codes"] == [loan.code] and loan.code.startswith("XD2020-")
    assert (loan.status, loan.borrower_id, loan.lender_id, loan.amount) == ("applied", a.pk, lender.pk, 50000)
    assert loan.eligibility["eligible"] is True


# --- the file as a whole -----------------------------------------------------------------------------

def test_a_wrong_layout_is_refused_naming_missing_and_unknown_headers(people):
    headers = [c.header for c in LEDGERS["stations"].columns if c.key != "capacity_kw"] + ["备注"]
    exc = refused("stations", people.clerk, xlsx("stations", [station_row()], headers=headers))
    assert exc.code == "import_bad_layout"
    assert exc.details["missing"] == ["装机容量（千瓦）"] and exc.details["unknown"] == ["备注"]
    assert "装机容量" in exc.message and "备注" in exc.message and not PVStation.objects.exists()


@pytest.mark.parametrize("name,content,code", [
    ("ledger.xls", None, "import_not_xlsx"),
    ("ledger.csv", None, "import_not_xlsx"),
    ("ledger.xlsx", b"village,name\n", "import_unreadable"),
    ("ledger.xlsx", b"PK\x03\x04 truncated", "import_unreadable"),
    ("ledger.xlsx", b"", "import_empty"),
])
def test_files_that_are_not_xlsx_workbooks_are_refused(people, name, content, code):
    f = xlsx("stations", [station_row()], name=name) if content is None else io.BytesIO(content)
    f.name = name
    assert refused("stations", people.clerk, f).code == code


def test_a_file_over_the_size_limit_is_refused(people, monkeypatch):
    f = xlsx("stations", [station_row()])
    monkeypatch.setattr(sheet, "MAX_UPLOAD_BYTES", 1024)
    exc = refused("stations", people.clerk, f)
    assert exc.code == "import_too_large" and not PVStation.objects.exists()


def test_a_template_without_rows_imports_nothing(people):
    out = io.BytesIO()
    ledger_template("posts").save(out)
    out.seek(0)
    out.name = "template.xlsx"
    assert refused("posts", people.clerk, out).code == "import_no_rows"


def test_the_template_has_the_headers_an_example_row_and_notes():
    out = io.BytesIO()
    ledger_template("loans").save(out)
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["扶贫小额信贷台账", "填写说明"]
    ws = wb["扶贫小额信贷台账"]
    assert [c.value for c in ws[1]] == [c.header for c in LEDGERS["loans"].columns]
    assert ws["A2"].value == "示例" and ws["B2"].number_format == "@"
    notes = [r[0] for r in wb["填写说明"].iter_rows(values_only=True)]
    assert "申请金额（元）" in notes and any("整批导入" in str(n) for n in notes)


# --- every row checked, nothing written ---------------------------------------------------------------

def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_written(people):
    f = xlsx("stations", [
        station_row(),
        station_row(name="二号", capacity_kw="三百", investment=-1),
        station_row(name="三号", grid_on="2019-13-01", land_type="山坡"),
        station_row(name="四号", land_area_mu=None, land_rent_per_mu=800.123),
        station_row(name="五号", grid_on=dt.date(2020, 12, 1)),
    ])
    exc = refused("stations", people.clerk, f)
    assert exc.code == "import_rows_invalid" and exc.details["rows"] == 5
    assert where(exc) == {(3, "装机容量（千瓦）", "bad_number"), (3, "总投资（元）", "negative_amount"),
                          (4, "并网日期", "bad_date"), (4, "场地类型", "bad_choice"),
                          (5, "占地面积（亩）", "required"), (5, "场地租金（元/亩/年）", "bad_precision"),
                          (6, "并网日期", "future_date")}
    assert "第3行" in exc.message and not PVStation.objects.exists()


def test_rent_over_the_cap_of_the_land_type_is_refused(people):
    exc = refused("stations", people.clerk, xlsx("stations", [station_row(land_rent_per_mu=1200)]))
    assert where(exc) == {(2, "场地租金（元/亩/年）", "land_rent_over_cap")} and "1000" in exc.message


def test_villages_must_exist_be_villages_and_lie_in_the_users_scope(people):
    f = xlsx("stations", [station_row(), station_row(village_code="210922999999"),
                          station_row(village_code=TOWNSHIP), station_row(village_code=OTHER_VILLAGE)])
    clerk = people.clerk
    denied = AuditEvent.objects.filter(outcome="denied").count()
    exc = refused("stations", clerk, f)
    assert where(exc) == {(3, "产权村代码", "unknown_area"), (4, "产权村代码", "owner_level"),
                          (5, "产权村代码", "area_out_of_scope")}
    assert AuditEvent.objects.filter(outcome="denied").count() == denied + 1
    assert not PVStation.objects.exists()


def test_duplicate_stations_in_the_file_and_in_the_database(people):
    ledger_import(kind="stations", actor=people.clerk, fileobj=xlsx("stations", [station_row()]))
    f = xlsx("stations", [station_row(), station_row(name="二号"), station_row(name="二号")])
    exc = refused("stations", people.clerk, f)
    assert where(exc) == {(2, "电站名称", "duplicate_in_database"), (4, "电站名称", "duplicate_in_file")}
    assert "第3行" in exc.details["problems"][1]["message"] and PVStation.objects.count() == 1


def test_post_holders_must_exist_match_and_be_eligible(people):
    a = holder()
    old = holder("210922101202902", "钱二", dt.date(1950, 5, 1))
    outsider = holder("210922101203903", "孙三", village=OTHER_VILLAGE)
    f = xlsx("posts", [
        post_row(a, holder_name="赵小"),
        post_row(old),
        post_row(outsider, household_number=None),
        post_row(a, holder_id_number="210922197001019999", household_number=None),
        {**post_row(a), "holder_id_number": 210922197001010000.0},
        post_row(a, household_number=old.household.household_number, job_type="园丁", monthly_pay=0),
    ])
    exc = refused("posts", people.clerk, f)
    assert where(exc) == {
        (2, "上岗人员姓名", "name_mismatch"), (3, "超龄特殊情况说明", "holder_over_age"),
        (4, "证件号码", "person_outside_village"), (5, "证件号码", "unknown_person"),
        (6, "证件号码", "code_as_number"), (7, "户编号", "household_mismatch"), (7, "岗位类型", "bad_choice"),
        (7, "月工资（元）", "negative_amount"), (7, "证件号码", "duplicate_in_file")}
    assert not PublicJob.objects.exists()


def test_a_holder_already_on_a_post_is_a_duplicate(people):
    a = holder()
    jobs.job_create(actor=people.clerk, village_code=VILLAGE, job_type="road", holder_id=a.pk, monthly_pay="430",
                    starts_on=dt.date(2020, 1, 1))
    exc = refused("posts", people.clerk, xlsx("posts", [post_row(a)]))
    assert where(exc) == {(2, "证件号码", "duplicate_in_database")} and PublicJob.objects.count() == 1


def test_loan_rows_checked_against_the_registry_the_lenders_and_the_rule(people, lender):
    a = holder("210922101202903", "吴四", dt.date(1975, 6, 1))
    b = holder("210922101202904", "郑五", dt.date(1962, 6, 1))
    c = holder("210922101202905", "王六", dt.date(1980, 6, 1))
    f = xlsx("loans", [
        loan_row(a, borrower_id_number=b.id_number),
        loan_row(b, term_years=3.5),
        loan_row(c, lender="某银行", borrower_name="王七"),
        loan_row(c, household_number="210922101202999"),
        loan_row(a, amount=50000.505, applied_on="2020/2/30", for_production="也许"),
    ])
    exc = refused("loans", people.clerk, f)
    assert where(exc) == {
        (2, "借款人证件号码", "unknown_person"), (3, "授信期限（年）", "loan_not_eligible"),
        (4, "贷款机构", "unknown_lender"), (4, "借款人姓名", "name_mismatch"), (5, "户编号", "unknown_household"),
        (6, "申请金额（元）", "bad_precision"), (6, "申请日期", "bad_date"), (6, "是否用于生产经营", "bad_bool"),
        (6, "户编号", "duplicate_in_file")}
    assert "microcredit_eligible" in exc.message and not Loan.objects.exists()


def test_a_household_with_a_live_loan_or_out_of_scope_is_refused(people, lender):
    a = holder("210922101202903", "吴四", dt.date(1975, 6, 1))
    far = holder("210922101203904", "郑五", dt.date(1975, 6, 1), village=OTHER_VILLAGE)
    credit.loan_apply(actor=people.clerk, borrower_id=a.pk, lender_id=lender.pk, amount="30000", term_years="2",
                      purpose="种植")
    exc = refused("loans", people.clerk, xlsx("loans", [loan_row(a), loan_row(far)]))
    assert where(exc) == {(2, "户编号", "duplicate_in_database"), (3, "户编号", "area_out_of_scope")}
    assert Loan.objects.count() == 1


def test_only_users_who_may_record_funds_import(people):
    with pytest.raises(PermissionDenied):
        ledger_import(kind="stations", actor=people.cadre, fileobj=xlsx("stations", [station_row()]))
    done = ledger_import(kind="stations", actor=people.township, fileobj=xlsx("stations", [station_row()]))
    assert done["rows"] == 1
    exc = refused("stations", people.other_township, xlsx("stations", [station_row(name="二号")]))
    assert where(exc) == {(2, "产权村代码", "area_out_of_scope")}
