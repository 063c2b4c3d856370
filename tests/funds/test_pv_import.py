"""Import of the monthly PV settlement statements from a real .xlsx file: all rows or none, totals
checked, errors by row number."""

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import Workbook

from fupin.core.errors import ValidationFailed
from fupin.funds.models import PVSettlement
from fupin.funds.services.pv_import import settlements_import

from .test_pv import station

pytestmark = pytest.mark.django_db

HEADER = ["电站编号", "年度", "月份", "发电量（千瓦时）", "结算单价", "税费", "运维费用", "场地租金", "结算日期"]


def xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_a_good_statement_is_imported(people):
    s = station(people)
    f = xlsx([[s.code, 2020, 1, 40000, 0.75, 600, 1500, 0, dt.date(2020, 1, 31)],
              [s.code, 2020, 2, 42000, 0.75, 630, 1500, 0, dt.date(2020, 2, 28)],
              ["合计", None, None, 82000, None, 1230, 3000, 0, None]])
    assert settlements_import(actor=people.county, fileobj=f) == {"rows": 2}
    assert sorted(PVSettlement.objects.values_list("month", "net")) == [(1, 27900), (2, 29370)]


def test_totals_that_do_not_add_up_are_refused(people):
    s = station(people)
    f = xlsx([[s.code, 2020, 1, 40000, 0.75, 600, 1500, 0, dt.date(2020, 1, 31)],
              ["合计", None, None, 50000, None, 600, 1500, 0, None]])
    with pytest.raises(ValidationFailed) as exc:
        settlements_import(actor=people.county, fileobj=f)
    assert exc.value.code == "import_totals_mismatch" and "50000" in exc.value.message
    assert not PVSettlement.objects.exists()


def test_one_bad_row_writes_nothing_and_names_the_row(people):
    s = station(people)
    f = xlsx([[s.code, 2020, 1, 40000, 0.75, 600, 1500, 0, dt.date(2020, 1, 31)],
              [s.code, 2020, 2, 1000, 0.75, 5000, 0, 0, dt.date(2020, 2, 28)],
              ["GF-unknown", 2020, 2, 1000, 0.75, 0, 0, 0, dt.date(2020, 2, 28)]])
    with pytest.raises(ValidationFailed) as exc:
        settlements_import(actor=people.county, fileobj=f)
    rows = [e["row"] for e in exc.value.details["errors"]]
    assert exc.value.code == "import_rows_invalid" and rows == [3, 4]
    assert not PVSettlement.objects.exists()


def test_import_through_the_api_and_the_page(people, token_for):
    s = station(people)
    f = xlsx([[s.code, 2020, 1, 40000, 0.75, 600, 1500, 0, dt.date(2020, 1, 31)]])
    f.name = "statement.xlsx"
    r = Client().post("/api/funds/pv/settlements/import", {"file": f},
                      HTTP_AUTHORIZATION=f"Bearer {token_for(people.county)}")
    assert r.status_code == 201 and r.json() == {"rows": 1}
    bad = io.BytesIO(b"not a spreadsheet")
    bad.name = "x.xlsx"
    client = Client()
    client.force_login(people.county)
    page = client.post("/funds/pv/settlements/import/", {"file": bad}, follow=True).content.decode()
    assert "无法读取" in page
    # a village clerk may not record settlements: every row is refused, nothing written
    f = xlsx([[s.code, 2020, 2, 40000, 0.75, 600, 1500, 0, dt.date(2020, 2, 28)]])
    f.name = "statement.xlsx"
    r = Client().post("/api/funds/pv/settlements/import", {"file": f},
                      HTTP_AUTHORIZATION=f"Bearer {token_for(people.clerk)}")
    assert r.status_code == 400 and PVSettlement.objects.count() == 1
