"""Loading department files: matching, alerts with the values that fired, and every kind of bad input
(unknown IDs, duplicates, wrong layout, GBK encoding, a second upload of the same file)."""

from __future__ import annotations

import pytest
from support.places import COUNTY

from fupin.audit.models import AuditEvent
from fupin.core.errors import PermissionDenied, ValidationFailed
from fupin.feeds.models import DepartmentAlert, FeedRecord, FeedUpload
from fupin.feeds.services import feed_load

from .conftest import CIVIL_HEADER, MEDICAL_HEADER, claim, persons, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def load(actor, path, kind="medical_insurance"):
    return feed_load(actor=actor, kind_key=kind, county_code=COUNTY, path=path, year=2020)


def test_costs_above_the_household_income_raise_one_alert_with_the_values(tmp_path, medical, family_here,
                                                                           family_there):
    wang, li = persons(family_here)
    zhao = persons(family_there)[0]
    income = family_here.net_income
    rows = [claim(wang, "A1", out_of_pocket=str(income - 100)), claim(li, "A2", out_of_pocket="200.00"),
            claim(zhao, "B1", out_of_pocket="10.00")]
    upload = load(medical, write_csv(tmp_path / "m.csv", MEDICAL_HEADER, rows))
    assert (upload.rows_total, upload.rows_accepted, upload.alerts_raised) == (3, 3, 1)
    alert = DepartmentAlert.objects.get()
    assert alert.household == family_here and alert.person == wang and alert.village.code == family_here.village.code
    assert alert.values == {"facts": 2, "amount": f"{income + 100:.2f}", "income": f"{income:.2f}"}
    assert alert.threshold["param"] == "rigid_expenditure_factor" and alert.threshold["pack"] == "zhangwu-2020@2"
    assert alert.threshold["limit"] == f"{income:.2f}"
    assert alert.record.fact_key.endswith("|A1") and alert.risk_types == ["01"]
    assert AuditEvent.objects.filter(action="feeds.process", details__alerts=1).exists()


def test_costs_accumulate_over_uploads_and_the_alert_is_raised_once(tmp_path, medical, family_here):
    wang = persons(family_here)[0]
    half = family_here.net_income / 2
    first = load(medical, write_csv(tmp_path / "may.csv", MEDICAL_HEADER, [claim(wang, "A1", out_of_pocket=str(half))]))
    assert first.alerts_raised == 0
    june = load(medical, write_csv(tmp_path / "june.csv", MEDICAL_HEADER,
                                   [claim(wang, "A2", day="2020-06-03", out_of_pocket=str(half + 1))]))
    assert june.alerts_raised == 1
    july = load(medical, write_csv(tmp_path / "july.csv", MEDICAL_HEADER,
                                   [claim(wang, "A3", day="2020-07-03", out_of_pocket="500")]))
    assert july.alerts_raised == 0 and DepartmentAlert.objects.count() == 1


def test_the_same_file_twice_stores_nothing_new_and_raises_no_second_alert(tmp_path, medical, family_here):
    wang = persons(family_here)[0]
    path = write_csv(tmp_path / "m.csv", MEDICAL_HEADER, [claim(wang, "A1", out_of_pocket="99999")])
    assert load(medical, path).alerts_raised == 1
    again = load(medical, path)
    assert (again.rows_accepted, again.rows_duplicate, again.alerts_raised) == (0, 1, 0)
    assert "同一文件已于" in again.message and again.problems[0]["problem"] == "此记录已在以前的上传中报送过"
    assert FeedRecord.objects.count() == 1 and DepartmentAlert.objects.count() == 1


def test_the_same_fact_in_another_file_is_not_counted_twice(tmp_path, medical, family_here):
    wang = persons(family_here)[0]
    big = str(family_here.net_income * 3 / 4)
    load(medical, write_csv(tmp_path / "a.csv", MEDICAL_HEADER, [claim(wang, "A1", out_of_pocket=big)]))
    other = load(medical, write_csv(tmp_path / "b.csv", MEDICAL_HEADER,
                                    [claim(wang, "A1", out_of_pocket=big), claim(wang, "Z9", out_of_pocket="1")]))
    assert (other.rows_accepted, other.rows_duplicate, other.alerts_raised) == (1, 1, 0)


def test_unknown_ids_bad_rows_and_duplicates_are_reported_row_by_row_and_the_rest_is_processed(
        tmp_path, medical, family_here, family_elsewhere):
    wang = persons(family_here)[0]
    outsider = persons(family_elsewhere)[0]
    rows = [claim(wang, "A1"),
            ["无名", "210922196001010000", "A2", "", "", "2020-05-01", "1", "1"],       # check digit wrong
            claim(wang, "A3", out_of_pocket="一百"),                                    # not an amount
            claim(wang, "A4", day="2020-13-45"),                                        # not a date
            claim(wang, "A5", day="2019-12-31"),                                        # outside the year
            claim(wang, "A1"),                                                          # repeats row 2
            claim(outsider, "C1"),                                                      # another county
            ["", "", "", "", "", "", "", ""]]                                           # blank: left out
    upload = load(medical, write_csv(tmp_path / "m.csv", MEDICAL_HEADER, rows))
    assert (upload.rows_total, upload.rows_accepted, upload.rows_invalid, upload.rows_duplicate,
            upload.rows_unknown) == (7, 1, 4, 1, 1)
    problems = {p["row"]: p["problem"] for p in upload.problems}
    assert problems == {3: "身份证号校验位错误",
                        4: "“个人自付金额”不是有效金额（应为不小于0的数字，最多两位小数）",
                        5: "“结算日期”不是有效日期（如 2020-05-01）",
                        6: "“结算日期”不在 2020 年度内",
                        7: "与第2行重复",
                        8: "身份证号不在 2020 年建档立卡人口中"}
    assert FeedRecord.objects.get().row_number == 2


@pytest.mark.parametrize(("header", "message"), [
    (MEDICAL_HEADER[:-1], "缺少列：个人自付金额"),
    ([*MEDICAL_HEADER, "备注"], "多出不认识的列：备注"),
    (CIVIL_HEADER, "缺少列：结算单号、结算日期、医疗总费用、个人自付金额"),
])
def test_a_wrong_layout_refuses_the_whole_file(tmp_path, medical, family_here, header, message):
    wang = persons(family_here)[0]
    path = write_csv(tmp_path / "m.csv", header, [claim(wang, "A1")[:len(header)]])
    with pytest.raises(ValidationFailed) as caught:
        load(medical, path)
    assert message in caught.value.message and "整个文件未处理" in caught.value.message
    assert FeedRecord.objects.count() == 0 and FeedUpload.objects.get().status == "failed"


def test_a_gbk_file_reads_like_a_utf8_one(tmp_path, medical, family_here):
    wang = persons(family_here)[0]
    path = write_csv(tmp_path / "gbk.csv", MEDICAL_HEADER, [claim(wang, "A1", out_of_pocket="99999")], encoding="gbk")
    assert path.read_bytes().find("身份证号".encode("gbk")) >= 0
    upload = load(medical, path)
    assert (upload.rows_accepted, upload.alerts_raised) == (1, 1)
    assert FeedRecord.objects.get().data["姓名"] == "王福"


def test_an_xlsx_file_with_a_title_row_and_date_cells(tmp_path, medical, family_here):
    import datetime as dt

    wang = persons(family_here)[0]
    path = tmp_path / "m.xlsx"
    write_xlsx(path, ["彰武县医保结算数据（2020年5月）"], [MEDICAL_HEADER,
               [wang.name, wang.id_number, "A1", "医院", None, dt.datetime(2020, 5, 6), 300, 120.5]])
    upload = load(medical, path)
    assert upload.rows_accepted == 1, upload.problems
    record = FeedRecord.objects.get()
    assert (record.row_number, str(record.occurred_on), str(record.amount)) == (3, "2020-05-06", "120.50")


def test_a_file_that_is_not_text_is_refused(tmp_path, medical, family_here):
    path = tmp_path / "m.csv"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(ValidationFailed, match="不是文本"):
        load(medical, path)


def test_civil_affairs_alerts_each_new_assistance(tmp_path, officer, family_here):
    wang, li = persons(family_here)
    rows = [[wang.name, wang.id_number, "低保", "2020-04-01", "3600"], [li.name, li.id_number, "临时救助", "2020-04-02", ""],
            [li.name, li.id_number, "救济", "2020-04-02", ""]]
    upload = load(officer, write_csv(tmp_path / "c.csv", CIVIL_HEADER, rows), kind="civil_affairs")
    assert (upload.rows_accepted, upload.rows_invalid, upload.alerts_raised) == (2, 1, 2)
    assert "“救助类别”应为：低保、特困、临时救助" in upload.problems[0]["problem"]


def test_a_department_uploads_only_its_own_kind(tmp_path, medical, family_here):
    path = write_csv(tmp_path / "c.csv", CIVIL_HEADER, [])
    with pytest.raises(PermissionDenied, match="民政局"):
        load(medical, path, kind="civil_affairs")
    with pytest.raises(ValidationFailed, match="未知的部门数据类型"):
        load(medical, path, kind="tax")


def test_spaces_a_lower_case_x_and_thousands_separators_are_tidied(tmp_path, medical, family_here):
    wang = persons(family_here)[0]
    row = [f" {wang.name} ", f" {wang.id_number.lower()} ", " A1 ", "", "", " 2020-05-01 ", "1,300.00", " 99,999 "]
    upload = load(medical, write_csv(tmp_path / "m.csv", MEDICAL_HEADER, [row, ["  "] * 8]))
    assert (upload.rows_total, upload.rows_accepted, upload.alerts_raised) == (1, 1, 1), upload.problems
    record = FeedRecord.objects.get()
    assert (str(record.amount), record.data["结算单号"]) == ("99999.00", "A1")


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_files_over_a_megabyte_in_either_encoding(tmp_path, medical, family_here, encoding):
    wang = persons(family_here)[0]
    rows = [claim(wang, f"长编号{i:06d}", out_of_pocket="1.00") for i in range(15000)]
    path = write_csv(tmp_path / "big.csv", MEDICAL_HEADER, rows, encoding=encoding)
    assert path.stat().st_size > 1 << 20
    upload = load(medical, path)
    assert (upload.rows_accepted, upload.alerts_raised) == (15000, 1)
