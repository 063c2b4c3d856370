"""The data-quality page, its Excel download, the API and `fupin registry quality`."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent

from .factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(dictionaries):
    """A 拟纳入 household under the poverty line: a 漏登 to check."""
    return make_household(status="candidate")


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_page_matrix(candidate, make_user, token_for):
    Matrix("/registry/quality/?year=2020", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           marker=candidate.household_number, other_area_refused=False).check(make_user, token_for)


def test_page_narrowed_to_an_area_outside_is_refused(candidate, make_user, token_for):
    Matrix(f"/registry/quality/?year=2020&area={VILLAGE}", Role.TOWNSHIP_REVIEWER, TOWNSHIP, "210922102",
           marker=candidate.household_number).check(make_user, token_for)


def test_page_counts_per_check_and_village(candidate, make_user):
    make_household(village=OTHER_VILLAGE, status="candidate")
    page = _client(make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)).get("/registry/quality/", {"year": 2020})
    html = page.content.decode()
    assert page.status_code == 200
    assert "漏登：收入低于扶贫标准但未纳入" in html and "富有村委会" in html and "黄花山村委会" in html
    assert "「该进未进，漏登" in html  # the source of the check is shown with it
    only = _client(make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)).get(
        "/registry/quality/", {"year": 2020, "check": "missing_cadre"}).content.decode()
    assert candidate.household_number not in only.split('id="issues"')[1]


@pytest.mark.parametrize("query", [{"year": "20x0"}, {"year": 2020, "check": "no_such_check"}])
def test_page_refuses_bad_parameters(candidate, make_user, query):
    response = _client(make_user(Role.VILLAGE_CLERK, VILLAGE)).get("/registry/quality/", query)
    assert response.status_code == 400
    assert "年度" in response.content.decode() or "未知的数据质量检查" in response.content.decode()


def test_excel_download(candidate, make_user):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    response = _client(clerk).get("/registry/quality/export/", {"year": 2020})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("年度", "检查类别", "检查项")
    assert any(r[6] == candidate.household_number and "漏登" in r[7] for r in rows[1:])
    assert AuditEvent.objects.filter(action="registry.quality_export", actor_id=clerk.pk).exists()


def test_excel_download_matrix(candidate, make_user, token_for):
    Matrix(f"/registry/quality/export/?year=2020&area={VILLAGE}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE
           ).check(make_user, token_for)


def test_api_list_matrix(candidate, make_user, token_for):
    Matrix("/api/registry/quality?year=2020", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker=candidate.household_number, other_area_refused=False).check(make_user, token_for)


def test_api_summary_matrix(candidate, make_user, token_for):
    Matrix(f"/api/registry/quality/summary?year=2020&area={COUNTY}", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY,
           api=True, marker="missed_registration_income").check(make_user, token_for)


def test_api_pages_and_filters(candidate, make_user, token_for):
    make_household(status="candidate")
    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = Client().get("/api/registry/quality", {"year": 2020, "check": "missed_registration_income",
                                                  "page_size": 1}, **auth).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["check"] == "missed_registration_income" and item["values"]["line"] == "4000.00"
    summary = Client().get("/api/registry/quality/summary", {"year": 2020}, **auth).json()
    counts = {c["id"]: c["count"] for c in summary["checks"]}
    assert counts["missed_registration_income"] == 2 and summary["households"] == 2


@pytest.mark.parametrize(("query", "status"), [
    ({}, 422), ({"year": 1800}, 422), ({"year": 2020, "check": "nope"}, 400), ({"year": 2020, "page": 0}, 422),
])
def test_api_bad_parameters(candidate, make_user, token_for, query, status):
    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = Client().get("/api/registry/quality", query, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == status
    assert "error" in response.json() or "detail" in response.json()


def test_command_prints_counts_and_writes_the_list(candidate, tmp_path):
    out = io.StringIO()
    target = tmp_path / "q.xlsx"
    call_command("registry", "quality", "--year", "2020", "--area", COUNTY, "--out", str(target), "--json", stdout=out)
    payload = json.loads(out.getvalue())
    counts = {c["id"]: c["count"] for c in payload["checks"]}
    assert counts["missed_registration_income"] == 1 and payload["households"] == 1
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][6] == candidate.household_number


def test_command_refuses_an_unknown_user_and_an_unknown_area(candidate):
    with pytest.raises(CommandError, match="没有启用的用户"):
        call_command("registry", "quality", "--year", "2020", "--user", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("registry", "quality", "--year", "2020", "--area", "999999", stdout=io.StringIO())
