"""Every supervision page against the permission matrix, and what the pages let each role do."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from registry.factories import make_household
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.supervision import services
from fupin.supervision.models import Finding, FindingStatus

from .conftest import photo

pytestmark = pytest.mark.django_db
CLERK, OFFICER, REVIEWER = Role.VILLAGE_CLERK, Role.COUNTY_OFFICER, Role.TOWNSHIP_REVIEWER


# --- the matrix --------------------------------------------------------------------------------

def test_problem_list(make_user, token_for, finding):
    Matrix("/supervision/", CLERK, VILLAGE, OTHER_VILLAGE, marker="帮扶责任人8月仅走访1次",
           other_area_refused=False).check(make_user, token_for)


def test_finding_page(make_user, token_for, finding):
    Matrix(f"/supervision/{finding.pk}/", REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker="帮扶责任人8月仅走访1次").check(
        make_user, token_for)


def test_overdue_page(make_user, token_for, finding, today):
    from fupin.core import clock

    with clock.pinned(dt.date(2020, 10, 8)):
        Matrix("/supervision/overdue/", REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker="帮扶责任人8月仅走访1次",
               other_area_refused=False).check(make_user, token_for)


def test_campaign_list(make_user, token_for, campaign):
    Matrix("/supervision/campaigns/", CLERK, VILLAGE, "210922102201", marker=campaign.name,
           other_area_refused=False).check(make_user, token_for)


def test_campaign_page(make_user, token_for, campaign, finding):
    Matrix(f"/supervision/campaigns/{campaign.pk}/", REVIEWER, TOWNSHIP, OTHER_TOWNSHIP,
           marker="帮扶责任人8月仅走访1次").check(make_user, token_for)


def test_checklist_page(make_user, token_for, checklist):
    Matrix(f"/supervision/checklists/{checklist.pk}/", Role.AUDITOR, COUNTY, OTHER_COUNTY,
           marker="“134”定期例会制度").check(make_user, token_for)


def test_new_finding_form(make_user, token_for, campaign):
    Matrix("/supervision/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="富有村委会", other_area_refused=False).check(
        make_user, token_for)


def test_new_campaign_form(make_user, token_for, checklist):
    Matrix("/supervision/campaigns/new/", OFFICER, COUNTY, OTHER_COUNTY, marker="哈尔套镇",
           other_area_refused=False).check(make_user, token_for)


def test_problem_list_export(make_user, token_for, finding):
    Matrix("/supervision/export/problems.xlsx", CLERK, VILLAGE, OTHER_VILLAGE, other_area_refused=False).check(
        make_user, token_for)


def test_evidence_download(make_user, token_for, finding, clerk):
    services.rectification_report(actor=clerk, finding=finding, measures="已整改", uploads=[photo()])
    evidence = finding.evidence.get()
    Matrix(f"/supervision/{finding.pk}/evidence/{evidence.pk}/", CLERK, VILLAGE, OTHER_VILLAGE).check(
        make_user, token_for)


@pytest.fixture
def visit_check(officer, areas):
    make_household(village=VILLAGE, status="exited", exit_year=2019, phone="13912345678")
    campaign = services.campaign_create(actor=officer, county_code=COUNTY, kind="lookback", name="回头看", year=2020,
                                        start_date=dt.date(2020, 9, 1), end_date=dt.date(2020, 9, 30),
                                        covered_codes=[TOWNSHIP], sample_percent=100)
    return campaign.checks.get()


def test_visit_page(make_user, token_for, visit_check):
    Matrix(f"/supervision/visits/{visit_check.pk}/", CLERK, VILLAGE, OTHER_VILLAGE, marker="王福").check(
        make_user, token_for)


def test_visit_page_masks_the_phone_without_pii(client, make_user, visit_check):
    client.force_login(make_user(Role.WORKTEAM_MEMBER, VILLAGE))
    page = client.get(f"/supervision/visits/{visit_check.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    client.force_login(make_user(CLERK, VILLAGE))
    assert "13912345678" in client.get(f"/supervision/visits/{visit_check.pk}/").content.decode()


# --- doing the work through the pages ----------------------------------------------------------

def test_officer_records_a_finding_through_the_form(client, officer, campaign, checklist):
    client.force_login(officer)
    item = checklist.items.get(no="8.2")
    response = client.post("/supervision/new/", {
        "area": VILLAGE, "campaign": campaign.pk, "checklist_item": item.pk, "description": "3户取水往返超过10分钟",
        "severity": "serious", "responsible_kind": "village", "found_on": "2020-09-12", "deadline": "2020-10-12"})
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/{finding.pk}/"
    assert finding.checklist_item == item


def test_form_shows_a_deadline_before_the_finding_date_and_keeps_the_input(client, officer):
    client.force_login(officer)
    response = client.post("/supervision/new/", {
        "area": VILLAGE, "description": "3户取水往返超过10分钟", "severity": "general", "responsible_kind": "village",
        "found_on": "2020-09-12", "deadline": "2020-09-01"})
    page = response.content.decode()
    assert response.status_code == 200 and "整改时限 2020-09-01 早于发现日期 2020-09-12" in page
    assert "3户取水往返超过10分钟" in page and not Finding.objects.exists()


def test_village_reports_with_a_file_and_county_cannot_close_without_evidence(client, clerk, officer, finding):
    client.force_login(clerk)
    response = client.post(f"/supervision/{finding.pk}/report/", {"version": finding.version, "measures": "已整改"})
    assert response.status_code == 302
    client.force_login(officer)
    finding.refresh_from_db()
    response = client.post(f"/supervision/{finding.pk}/verify/", {"version": finding.version, "decision": "close"})
    assert response.status_code == 400
    assert "没有整改佐证材料，不能销号" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED


def test_stale_verification_from_the_page_is_refused(client, clerk, officer, finding):
    services.rectification_report(actor=clerk, finding=finding, measures="已整改", uploads=[photo()])
    client.force_login(officer)
    response = client.post(f"/supervision/{finding.pk}/verify/", {"version": 1, "decision": "close"})
    assert response.status_code == 400 and "已被他人修改" in response.content.decode()


def test_clerk_sees_no_verify_form_and_cannot_post_one(client, clerk, finding):
    client.force_login(clerk)
    page = client.get(f"/supervision/{finding.pk}/").content.decode()
    assert "上报整改" in page and "提交核验结论" not in page
    assert client.post(f"/supervision/{finding.pk}/verify/", {"version": 1, "decision": "close"}).status_code == 403


def test_exported_problem_list_and_ledger(client, clerk, officer, finding):
    services.rectification_report(actor=clerk, finding=finding, measures="补走访3次", uploads=[photo()])
    finding.refresh_from_db()
    services.finding_close(actor=officer, finding=finding, comment="属实")
    client.force_login(officer)
    sheet = load_workbook(io.BytesIO(client.get("/supervision/export/problems.xlsx").content)).active
    header = [c.value for c in sheet[3]]
    row = dict(zip(header, [c.value for c in sheet[4]], strict=True))
    assert row["问题描述"].startswith("帮扶责任人8月") and row["村"] == "富有村委会" and row["乡镇"] == "哈尔套镇"
    assert row["督查要点"] == "1.5 组织保障" and row["状态"] == "已销号"
    ledger = load_workbook(io.BytesIO(client.get("/supervision/export/ledger.xlsx").content)).active
    header = [c.value for c in ledger[3]]
    row = dict(zip(header, [c.value for c in ledger[4]], strict=True))
    assert row["整改措施"] == "补走访3次" and row["佐证材料"] == 1 and row["核验意见"] == "属实"
    assert row["销号日期"].date() == dt.date(2020, 9, 15)


def test_export_holds_only_the_readers_areas(client, officer, make_user, finding):
    services.finding_record(actor=officer, area_code=OTHER_VILLAGE, description="黄花山村的问题",
                            responsible_kind="village", found_on=dt.date(2020, 9, 1), deadline=dt.date(2020, 9, 30))
    client.force_login(make_user(CLERK, VILLAGE))
    sheet = load_workbook(io.BytesIO(client.get("/supervision/export/problems.xlsx").content)).active
    texts = [sheet.cell(row=r, column=7).value for r in range(4, sheet.max_row + 1)]
    assert any(t and t.startswith("帮扶责任人") for t in texts) and "黄花山村的问题" not in texts
