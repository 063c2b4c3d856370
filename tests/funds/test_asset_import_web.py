"""The inventory-form imports (附件3, 附件4) through the API (multipart), the import page and the `fupin
funds` command, and who may import: anonymous, no role, a role without funds.edit, the right area and
another area."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from fupin.accounts.roles import Role
from fupin.funds.inventory import FORMS
from fupin.funds.models import Asset, EquityInvestment

from .test_asset_import import equity_row, form_file, office_row

pytestmark = pytest.mark.django_db
URLS = {"equity": "/api/funds/import/equity", "assets": "/api/funds/import/assets"}


def upload(url, f, token=None):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post(url, {"file": f}, **extra)


@pytest.mark.parametrize(("kind", "row", "model"), [("assets", office_row, Asset), ("equity", equity_row, EquityInvestment)])
def test_who_may_import_through_the_api(people, make_user, token_for, kind, row, model):
    form = 4 if kind == "assets" else 3
    url = URLS[kind]
    assert upload(url, form_file(form, [row()])).status_code == 401
    for nobody in (make_user(None, username="li_nobody"), people.cadre):
        r = upload(url, form_file(form, [row()]), token_for(nobody))
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    r = upload(url, form_file(form, [row()]), token_for(people.other_clerk))
    assert r.status_code == 400 and r.json()["error"]["details"]["problems"][0]["code"] == "area_out_of_scope"
    r = upload(url, form_file(form, [row()]), token_for(people.clerk))
    assert r.status_code == 201 and r.json()["codes"] == [model.objects.get().code]


def test_the_api_refuses_a_total_mismatch_with_the_numbers(people, token_for):
    r = upload(URLS["assets"], form_file(4, [office_row()], totals={"资金投入（万元）": Decimal("61")}),
               token_for(people.clerk))
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == "total_mismatch"
    assert error["details"]["totals"][0] | {"sheet": ""} == {"sheet": "", "column": "资金投入（万元）", "printed": "61",
                                                            "computed": "60"}
    assert not Asset.objects.exists()


def test_the_template_endpoint_and_page_give_the_empty_form(people, token_for):
    r = Client().get("/api/funds/import/assets/template", HTTP_AUTHORIZATION=f"Bearer {token_for(people.clerk)}")
    assert r.status_code == 200
    c = Client()
    c.force_login(people.clerk)
    r = c.get("/funds/import/equity/template.xlsx")
    assert r.status_code == 200
    c.force_login(people.cadre)
    assert c.get("/funds/import/equity/template.xlsx").status_code == 403


def test_the_page_shows_the_mismatch_then_imports(people, tmp_path):
    c = Client()
    c.force_login(people.clerk)
    page = c.get("/funds/import/assets/").content.decode()
    assert "扶贫资金形成资产情况调查表（附件4）" in page and "下载空白表" in page
    html = c.post("/funds/import/assets/", {"file": form_file(4, [office_row()], totals={"资金投入（万元）": Decimal("61")})})
    html = html.content.decode()
    assert "合计为 61，各行之和为 60" in html and 'id="import-problems"' in html and not Asset.objects.exists()
    html = c.post("/funds/import/assets/", {"file": form_file(4, [office_row()])}).content.decode()
    assert "导入完成" in html and Asset.objects.get().name == "富有村村部"
    c.force_login(people.cadre)
    assert c.get("/funds/import/assets/").status_code == 403


def test_the_command_imports_both_forms(people, tmp_path, capsys, make_user):
    good = tmp_path / "form4.xlsx"
    good.write_bytes(form_file(4, [office_row()]).getvalue())
    call_command("funds", "import-assets", str(good), "--user", people.clerk.username)
    assert "已导入扶贫资金形成资产情况调查表（附件4） 1 行" in capsys.readouterr().out
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("funds", "import-assets", str(good), "--user", people.clerk.username)
    assert "第5行“资产名称”" in capsys.readouterr().err
    bad = tmp_path / "form3.xlsx"
    bad.write_bytes(form_file(3, [equity_row()], totals={"资金入股额度（万元）": Decimal("2")}).getvalue())
    with pytest.raises(CommandError):
        call_command("funds", "import-equity", str(bad), "--user", make_user(Role.TOWNSHIP_REVIEWER, "210922101",
                                                                           username="tw2").username)
    assert "合计为 2，各行之和为 20" in capsys.readouterr().err and not EquityInvestment.objects.exists()
    out = tmp_path / "t.xlsx"
    call_command("funds", "template", "equity", "--out", str(out))
    assert [c.value for c in load_workbook(out).active[3]] == [c.header for c in FORMS[3].columns]
