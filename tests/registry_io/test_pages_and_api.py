"""The import and export pages and endpoints: the permission matrix, and the whole flow — upload,
background task with progress, result, error workbook — through the page and through the API."""

import io

import openpyxl
import pytest
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.registry.io.importer import registry_import
from fupin.registry.models import Household
from fupin.tasks.models import Task
from fupin.tasks.services import worker_loop

from .kit import col, counts, generated, in_villages, set_column, write_csv
from .streams import StreamMatrix, read

pytestmark = pytest.mark.django_db


def _village_file(tmp_path, *, broken: bool = False):
    """The clerk's own village, as new candidate households (what a village may create)."""
    header, rows = generated(120)
    mine = in_villages(header, rows, {VILLAGE})
    set_column(header, mine, "户状态", "拟纳入")
    if broken:
        mine[0][col(header, "证件号码")] = "21092219"
    return write_csv(tmp_path / ("broken.csv" if broken else "village.csv"), header, mine), mine


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def imported_by_clerk(dictionaries, make_user, tmp_path):
    """A finished import with problems, started by a clerk of VILLAGE through the page."""
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    path, _rows = _village_file(tmp_path, broken=True)
    with path.open("rb") as fh:
        response = _client(clerk).post("/registry/import/", {"file": fh, "mode": "atomic"})
    task = Task.objects.get(kind="registry.import")
    assert response.status_code == 302 and response["Location"] == f"/registry/import/{task.pk}/"
    worker_loop(once=True)
    task.refresh_from_db()
    return task


# ------------------------------------------------------------------------------------ the matrix

def test_import_page(dictionaries, make_user, token_for):
    """Every clerk may import (their own village's rows): the other area gets the page too."""
    matrix = Matrix("/registry/import/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, other_area_refused=False)
    matrix.check(make_user, token_for)
    assert "上传并导入" in _client(make_user(Role.VILLAGE_CLERK, VILLAGE)).get("/registry/import/").content.decode()


def test_import_page_refuses_a_read_only_role(dictionaries, make_user):
    response = _client(make_user(Role.PAIRING_CADRE, VILLAGE)).get("/registry/import/")
    assert response.status_code == 403


def test_import_template(dictionaries, make_user, token_for):
    Matrix("/registry/import/template.xlsx", Role.TOWNSHIP_REVIEWER, "210922101", "210922102",
           other_area_refused=False).check(make_user, token_for)


def test_import_status_page(imported_by_clerk, make_user, token_for):
    Matrix(f"/registry/import/{imported_by_clerk.pk}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           marker="broken.csv").check(make_user, token_for)


def test_import_errors_download(imported_by_clerk, make_user, token_for):
    StreamMatrix(f"/registry/import/{imported_by_clerk.pk}/errors.xlsx", Role.VILLAGE_CLERK, VILLAGE,
                 OTHER_VILLAGE).check(make_user, token_for)


def test_import_errors_endpoint(imported_by_clerk, make_user, token_for):
    StreamMatrix(f"/api/registry/import/{imported_by_clerk.pk}/errors", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
                 api=True).check(make_user, token_for)


@pytest.fixture
def county(dictionaries, tmp_path):
    header, rows = generated(120)
    registry_import(actor=None, file=write_csv(tmp_path / "county.csv", header, rows))
    return in_villages(header, rows, {VILLAGE})[0][col(header, "户编号")]


def test_export_page(county, make_user, token_for):
    StreamMatrix("/registry/export/?year=2020&format=csv", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=county,
                 other_area_refused=False).check(make_user, token_for)


def test_export_endpoint(county, make_user, token_for):
    StreamMatrix("/api/registry/export?year=2020&format=csv", Role.DEPARTMENT_USER, COUNTY, OTHER_COUNTY,
                 department="civil_affairs", api=True, marker=county, other_area_refused=False).check(
        make_user, token_for)


def test_export_endpoint_narrowed_to_another_county_is_refused(county, make_user, token_for):
    StreamMatrix(f"/api/registry/export?year=2020&format=csv&area={COUNTY}", Role.COUNTY_OFFICER, COUNTY,
                 OTHER_COUNTY, api=True, marker=county).check(make_user, token_for)


def _post_import(token: str | None, path, **data):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with path.open("rb") as fh:
        return Client().post("/api/registry/import", {"file": fh, **data}, **extra)


def test_import_endpoint_matrix(dictionaries, make_user, token_for, tmp_path):
    """POST is multipart, so the matrix is spelled out: anonymous 401, no role 403 (audited), the
    role 202; a clerk of another village may start an import too (its rows are then refused)."""
    path, _rows = _village_file(tmp_path)
    assert _post_import(None, path).status_code == 401
    before = AuditEvent.objects.filter(outcome="denied").count()
    assert _post_import(token_for(make_user(None)), path).status_code == 403
    assert AuditEvent.objects.filter(outcome="denied").count() > before
    assert _post_import(token_for(make_user(Role.PAIRING_CADRE, VILLAGE)), path).status_code == 403
    assert _post_import(token_for(make_user(Role.VILLAGE_CLERK, VILLAGE)), path).status_code == 202
    outsider = _post_import(token_for(make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)), path)
    assert outsider.status_code == 202
    worker_loop(once=True)
    worker_loop(once=True)
    results = {t.created_by.assignments.get().area.code: t.result for t in Task.objects.filter(kind="registry.import")}
    assert results[VILLAGE]["status"] == "imported"
    assert results[OTHER_VILLAGE]["status"] == "rejected"
    assert {p["code"] for p in results[OTHER_VILLAGE]["problems"]} == {"village_out_of_scope"}


# -------------------------------------------------------------------------------------- the flow

def test_the_page_flow_upload_progress_result(dictionaries, make_user, tmp_path):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    client = _client(clerk)
    path, rows = _village_file(tmp_path)
    with path.open("rb") as fh:
        response = client.post("/registry/import/", {"file": fh, "year": "2020", "mode": "partial"})
    status_url = response["Location"]
    waiting = client.get(status_url)
    assert "排队中" in waiting.content.decode() and 'hx-trigger="every 1s"' in waiting.content.decode()
    assert counts() == (0, 0)
    worker_loop(once=True)
    done = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done
    assert f"新增{len({r[col(generated(120)[0], '户编号')] for r in rows})}户{len(rows)}人" in done
    assert "下载错误清单" not in done
    assert counts()[1] == len(rows)
    assert not list((tmp_path.parent).glob("*.csv.upload"))


def test_the_page_flow_with_problems_offers_the_error_workbook(imported_by_clerk, make_user):
    assert imported_by_clerk.result["status"] == "rejected"
    assert counts() == (0, 0)
    clerk = imported_by_clerk.created_by
    page = _client(clerk).get(f"/registry/import/{imported_by_clerk.pk}/").content.decode()
    assert "下载错误清单" in page and "证件号码" in page and "未写入任何数据" in page
    body = read(_client(clerk).get(f"/registry/import/{imported_by_clerk.pk}/errors.xlsx")).content
    sheet = openpyxl.load_workbook(io.BytesIO(body))["错误清单"]
    assert [c.value for c in sheet[1]][:5] == ["行号", "列", "户编号", "人编号", "问题"]
    assert sheet["A2"].value == 2 and sheet["B2"].value == "证件号码"


def test_uploading_something_that_is_not_a_registry_file(dictionaries, make_user, tmp_path):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    with path.open("rb") as fh:
        response = _client(clerk).post("/registry/import/", {"file": fh, "mode": "atomic"})
    assert response.status_code == 200 and "只能导入 .xlsx 工作簿或 .csv 文件" in response.content.decode()
    assert not Task.objects.exists()


def test_the_api_flow(dictionaries, make_user, token_for, tmp_path):
    officer = make_user(Role.COUNTY_OFFICER, COUNTY)
    token = token_for(officer)
    header, rows = generated(40)
    response = _post_import(token, write_csv(tmp_path / "county.csv", header, rows), partial="true")
    assert response.status_code == 202 and response.json()["kind"] == "registry.import"
    worker_loop(once=True)
    task = Client().get(f"/api/tasks/{response.json()['id']}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert task["status"] == "done" and task["result"]["status"] == "imported"
    assert task["result"]["persons_created"] == len(rows) == counts()[1]
    exported = read(Client().get("/api/registry/export?year=2020&format=xlsx", HTTP_AUTHORIZATION=f"Bearer {token}"))
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("application/vnd.openxml")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert sheet.max_row == len(rows) + 1
    assert Household.objects.count() == len({r[col(header, "户编号")] for r in rows})
