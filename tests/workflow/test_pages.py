"""What users see and do on the workflow pages."""

import re

import pytest
from django.test import Client

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.workflow.models import Objection, ReviewStatus

from .kit import APPRAISAL_OK, act

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, review, **data):
    review.refresh_from_db()
    return client.post(f"/workflow/reviews/{review.pk}/act/", {"expected_version": review.version, **data})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_walk_the_whole_path_through_the_pages(people, opened):
    clerk, township, county = _client(people.clerk), _client(people.township), _client(people.county)
    page = _text(clerk.get(f"/workflow/reviews/{opened.pk}/"))
    assert "登记民主评议" in page and "赞成票超过实到人数的半数" in page

    response = _post(clerk, opened, act="appraisal", **APPRAISAL_OK)
    assert response.status_code == 302
    page = _text(clerk.get(response["Location"]))
    assert "已办理：登记民主评议" in page and "发布公示" in page
    assert "实到21人，赞成18票，反对2票，弃权1票" in page

    assert _post(clerk, opened, act="start_notice", place="村务公开栏").status_code == 302
    assert _post(clerk, opened, act="add_objection", raised_by="村民王某", contact="13912345678",
                 content="家有轿车").status_code == 302
    objection = Objection.objects.get()
    page = _text(clerk.get(f"/workflow/reviews/{opened.pk}/"))
    assert "正在公示：2024-03-01 至 2024-03-07（7天）" in page and f"处理异议 #{objection.pk}（村民王某）" in page

    response = _post(clerk, opened, act="close_notice")
    assert response.status_code == 400 and "方可结束公示" in _text(response)
    _post(clerk, opened, act="resolve_objection", objection_id=objection.pk, outcome="dismissed",
          resolution="车辆为亲属所有")
    clock.advance(days=7)
    assert _post(clerk, opened, act="close_notice").status_code == 302

    page = _text(township.get(f"/workflow/reviews/{opened.pk}/"))
    assert "风险等级" in page and "退回至" in page
    assert _post(township, opened, act="approve", field_risk_level="medium", reason="属实").status_code == 302
    assert _post(county, opened, act="approve").status_code == 302
    assert _post(county, opened, act="announce", content="公告").status_code == 302
    opened.refresh_from_db()
    assert opened.status == ReviewStatus.APPROVED
    page = _text(county.get(f"/workflow/reviews/{opened.pk}/"))
    assert "已通过" in page and "风险等级：中" in page and 'name="act"' not in page


def test_bad_input_comes_back_with_the_message(people, opened):
    clerk = _client(people.clerk)
    response = _post(clerk, opened, act="appraisal", **{**APPRAISAL_OK, "votes_for": "30"})
    assert response.status_code == 400
    page = _text(response)
    assert "赞成、反对、弃权票数之和（33）超过实到人数（21）" in page
    assert 'name="minutes" rows="4" required>村民代表会议评议：同意纳入</textarea>' in page  # kept for correction
    opened.refresh_from_db()
    assert opened.version == 1


def test_stale_form_is_refused(people, opened):
    clerk = _client(people.clerk)
    response = clerk.post(f"/workflow/reviews/{opened.pk}/act/", {"act": "withdraw", "expected_version": 1,
                                                                  "reason": "放弃"})
    assert response.status_code == 302
    response = clerk.post(f"/workflow/reviews/{opened.pk}/act/", {"act": "appraisal", "expected_version": 1,
                                                                  **APPRAISAL_OK})
    assert response.status_code == 409 and "已办结" in _text(response)


def test_acting_without_the_stage_role_is_refused_and_audited(people, opened):
    township = _client(people.township)
    page = _text(township.get(f"/workflow/reviews/{opened.pk}/"))
    assert "办理“村民主评议”需要在富有村委会（村级）拥有“registry.propose”权限" in page
    assert 'value="appraisal"' not in page
    denied = AuditEvent.objects.filter(outcome="denied").count()
    response = _post(township, opened, act="appraisal", **APPRAISAL_OK)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(outcome="denied").count() == denied + 1


def test_contact_numbers_masked_without_pii_right(people, opened, make_user):
    act(opened, people.clerk, "appraisal", **APPRAISAL_OK)
    act(opened, people.clerk, "start_notice")
    act(opened, people.clerk, "add_objection", raised_by="村民王某", contact="13912345678", content="有车")
    cadre = make_user(Role.PAIRING_CADRE, opened.area.code)
    assert "139****5678" in _text(_client(cadre).get(f"/workflow/reviews/{opened.pk}/"))
    assert "13912345678" in _text(_client(people.clerk).get(f"/workflow/reviews/{opened.pk}/"))


def test_inbox_shows_counts_and_menu(people, opened, make_user):
    page = _text(_client(people.clerk).get("/workflow/"))
    assert "待办审核" in page and "共 1 件待办" in page
    assert "测试识别纳入 · 村民主评议" in page
    assert "富有村委会" in page
    clock.advance(days=16)
    assert "其中 1 件已逾期" in _text(_client(people.clerk).get("/workflow/"))
    home = _text(_client(make_user(Role.SYSTEM_ADMIN, "210922")).get("/"))
    assert 'href="/workflow/"' not in home
    assert _client(make_user(Role.SYSTEM_ADMIN, "210922")).get("/workflow/").status_code == 403


def test_withdraw_from_the_page(people, opened):
    clerk = _client(people.clerk)
    assert "撤回申请" in _text(clerk.get(f"/workflow/reviews/{opened.pk}/"))
    assert "撤回申请" not in _text(_client(people.workteam).get(f"/workflow/reviews/{opened.pk}/"))
    _post(clerk, opened, act="withdraw", reason="农户放弃")
    opened.refresh_from_db()
    assert opened.status == ReviewStatus.WITHDRAWN
    page = _text(clerk.get(f"/workflow/reviews/{opened.pk}/"))
    assert "该事项已办结（已撤回），不能再办理" in page


def test_unknown_review_is_not_found(people):
    assert _client(people.clerk).get("/workflow/reviews/999999/").status_code == 404
    assert _client(people.clerk).post("/workflow/reviews/999999/act/", {"act": "approve"}).status_code == 404
