"""The county records a finding, the village rectifies it with a photo as evidence, the county opens the
evidence, verifies and closes it. (Closing without evidence is refused: tests/supervision/test_pages.py.)"""

import re

import pytest
from support.browser import sign_in
from support.places import COUNTY, PASSWORD, VILLAGE

from fupin.accounts.roles import Role
from fupin.supervision.models import Finding, FindingStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f3b9f20000000049454e44ae426082")


def test_finding_is_recorded_rectified_with_evidence_and_closed(live_server, page, screenshot, make_user, tmp_path,
                                                                 browser):
    officer = make_user(Role.COUNTY_OFFICER, COUNTY, username="officer_e2e")
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="clerk_e2e")

    # The county records the finding.
    sign_in(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/supervision/new/")
    page.select_option("#id_area", VILLAGE)
    page.fill("#id_description", "2户D级危房翻建后旧房未拆除")
    page.select_option("#id_severity", "serious")
    page.select_option("#id_responsible_kind", "village")
    found_on = page.input_value("#id_found_on")
    page.fill("#id_deadline", found_on)
    assert found_on, "the finding date defaults to today"
    page.click("form button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/supervision/\d+/$"))
    finding = Finding.objects.get()
    assert "2户D级危房翻建后旧房未拆除" in page.content() and finding.status == FindingStatus.OPEN

    # The village reports its measures first without, then sends a photo along.
    village = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    sign_in(village, live_server, clerk.username, PASSWORD)
    village.goto(f"{live_server.url}/supervision/")
    village.click("text=2户D级危房翻建后旧房未拆除")
    village.fill("#id_measures", "旧房已于本周拆除，宅基地已平整")
    photo = tmp_path / "拆除后照片.png"
    photo.write_bytes(PNG)
    village.set_input_files("#id_files", str(photo))
    village.click("button:has-text('上报整改')")
    village.wait_for_load_state("networkidle")
    assert "已上报整改情况" in village.content() and "拆除后照片.png" in village.content()
    assert "提交核验结论" not in village.content()  # only the county verifies
    village.context.close()

    # The county opens the evidence and closes the finding.
    page.goto(f"{live_server.url}/supervision/{finding.pk}/")
    assert page.locator("#steps").get_by_text("拆除后照片.png").is_visible()
    page.select_option("#id_decision", "close")
    page.fill("#id_comment", "现场核实，旧房已拆除")
    page.click("button:has-text('提交核验结论')")
    page.wait_for_load_state("networkidle")
    assert "已核验销号" in page.content()
    assert page.locator("#finding-status").inner_text().startswith("已销号")
    screenshot("rectification-closed")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.evidence.count() == 1
    assert page.console_errors == []
