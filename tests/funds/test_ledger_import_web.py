"""The ledger imports through the API (multipart), the pages and the `fupin funds` command, and who may
import: anonymous, no role, a role without funds.edit, the right area and another area."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.funds.models import PublicJob, PVStation

from .test_ledger_import import holder, post_row, station_row, xlsx

pytestmark = pytest.mark.django_db

URLS = {"stations": "/api/funds/pv/stations/import", "posts": "/api/funds/jobs/import",
        "loans": "/api/funds/credit/loans/import"}


def upload(url, f, token=None):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().post(url, {"file": f}, **extra)


def test_who_may_import_through_the_api(people, make_user, token_for):
    url = URLS["stations"]
    assert upload(url, xlsx("stations", [station_row()])).status_code == 401
    denied = AuditEvent.objects.filter(outcome="denied").count()
    for nobody in (make_user(None, username="li_nobody"), people.cadre):  # no role; funds.view only
        r = upload(url, xlsx("stations", [station_row()]), token_for(nobody))
        assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    assert AuditEvent.objects.filter(outcome="denied").count() == denied + 2
    r = upload(url, xlsx("stations", [station_row()]), token_for(people.other_clerk))
    body = r.json()["error"]
    assert r.status_code == 400 and body["code"] == "import_rows_invalid"
    assert body["details"]["problems"][0] | {"message": ""} == {
        "row": 2, "column": "产权村代码", "code": "area_out_of_scope", "value": VILLAGE, "message": ""}
    assert AuditEvent.objects.filter(outcome="denied").count() == denied + 3 and not PVStation.objects.exists()
    r = upload(url, xlsx("stations", [station_row()]), token_for(people.clerk))
    assert r.status_code == 201 and r.json()["rows"] == 1 and r.json()["codes"] == [PVStation.objects.get().code]


def test_posts_and_loans_endpoints_refuse_bad_files_with_every_problem(people, token_for):
    a = holder()
    token = token_for(people.clerk)
    r = upload(URLS["posts"], xlsx("posts", [post_row(a), post_row(a, monthly_pay=-5)]), token)
    problems = r.json()["error"]["details"]["problems"]
    assert r.status_code == 400 and {(p["row"], p["column"]) for p in problems} == {(3, "月工资（元）"), (3, "证件号码")}
    assert not PublicJob.objects.exists()
    assert upload(URLS["posts"], xlsx("posts", [post_row(a)]), token).status_code == 201
    r = upload(URLS["loans"], xlsx("stations", [station_row()]), token)
    assert r.status_code == 400 and r.json()["error"]["code"] == "import_bad_layout"
    assert "户编号" in r.json()["error"]["details"]["missing"]
    r = upload(URLS["loans"], xlsx("loans", [], name="loans.xls"), token)
    assert r.status_code == 400 and r.json()["error"]["code"] == "import_not_xlsx"


@pytest.mark.parametrize("url", ["/api/funds/pv/stations/import/template", "/api/funds/jobs/import/template",
                                 "/api/funds/credit/loans/import/template"])
def test_templates_download_through_the_api(people, token_for, url):
    assert Client().get(url).status_code == 401
    r = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token_for(people.clerk)}")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(r.content)).sheetnames[1] == "填写说明"


def test_the_import_page_shows_each_problem_and_then_imports(people, make_user):
    page = "/funds/import/stations/"
    assert "/accounts/login/" in Client().get(page)["Location"]
    c = Client()
    c.force_login(make_user(Role.PAIRING_CADRE, VILLAGE, username="li_cadre"))
    assert c.get(page).status_code == 403
    c = Client()
    c.force_login(people.clerk)
    html = c.get(page).content.decode()
    assert "导入光伏电站台账" in html and "/funds/import/stations/template.xlsx" in html and "公益岗位台账" in html
    bad = xlsx("stations", [station_row(), station_row(capacity_kw=-1, village_code=OTHER_VILLAGE)])
    html = c.post(page, {"file": bad}).content.decode()
    assert 'id="import-problems"' in html and "装机容量（千瓦）" in html and "不在您的管辖范围内" in html
    assert not PVStation.objects.exists()
    html = c.post(page, {"file": xlsx("stations", [station_row()])}).content.decode()
    assert "导入完成" in html and PVStation.objects.get().code in html
    assert c.get("/funds/import/nothing/").status_code == 404


def test_the_page_template_filled_in_is_imported(people):
    c = Client()
    c.force_login(people.clerk)
    r = c.get("/funds/import/stations/template.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    ws.append([None, VILLAGE, "模板电站", 100, 800000, None, "2019-05-01", "建设用地", 3, 1200, None])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "filled.xlsx"
    html = c.post("/funds/import/stations/", {"file": out}).content.decode()
    assert "导入完成" in html and PVStation.objects.get().name == "模板电站"


def test_the_jobs_page_links_to_the_import_for_those_who_may_import(people):
    c = Client()
    c.force_login(people.clerk)
    assert "/funds/import/posts/" in c.get("/funds/jobs/").content.decode()
    c.force_login(people.cadre)
    assert "/funds/import/posts/" not in c.get("/funds/jobs/").content.decode()


def test_the_command_imports_as_the_user_and_fails_with_the_problems(people, tmp_path, capsys):
    good = tmp_path / "stations.xlsx"
    good.write_bytes(xlsx("stations", [station_row()]).getvalue())
    call_command("funds", "import-stations", str(good), "--user", people.clerk.username)
    assert "已导入光伏电站台账 1 行" in capsys.readouterr().out and PVStation.objects.count() == 1
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("funds", "import-stations", str(good), "--user", people.clerk.username)
    assert "第2行“电站名称”" in capsys.readouterr().err
    with pytest.raises(CommandError, match="没有启用的用户"):
        call_command("funds", "import-posts", str(good), "--user", "nobody-here")
    with pytest.raises(CommandError, match="permission|权限"):
        call_command("funds", "import-stations", str(good), "--user", people.cadre.username)
    out = tmp_path / "loans-template.xlsx"
    call_command("funds", "template", "loans", "--out", str(out))
    assert load_workbook(out).sheetnames == ["扶贫小额信贷台账", "填写说明"]


def test_the_posts_shortfall_list_is_paginated(people, token_for):
    r = Client().get("/api/funds/jobs/shortfall?page_size=501", HTTP_AUTHORIZATION=f"Bearer {token_for(people.county)}")
    assert r.status_code == 422
    r = Client().get("/api/funds/jobs/shortfall", HTTP_AUTHORIZATION=f"Bearer {token_for(people.county)}")
    assert r.status_code == 200 and set(r.json()) == {"items", "count"}
