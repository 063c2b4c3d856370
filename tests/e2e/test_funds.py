"""A village clerk imports a filled 附件4 (形成资产情况调查表) through the import page: the first upload is
refused because its 合计 does not add up, the corrected one is imported, and the asset is on the list."""

from decimal import Decimal

import pytest
from funds.test_asset_import import form_file, office_row
from support.browser import sign_in
from support.places import PASSWORD, VILLAGE

from fupin.accounts.roles import Role
from fupin.funds.models import Asset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, path):
    page.set_input_files("input[type=file][name=file]", str(path))
    page.locator("form.funds-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_clerk_fixes_a_total_and_imports_the_assets(live_server, page, screenshot, make_user, tmp_path):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="fd_e2e_clerk")
    wrong, fixed = tmp_path / "附件4-填报.xlsx", tmp_path / "附件4-改正.xlsx"
    wrong.write_bytes(form_file(4, [office_row()], totals={"资金投入（万元）": Decimal("61")}).getvalue())
    fixed.write_bytes(form_file(4, [office_row()]).getvalue())

    sign_in(page, live_server, clerk.username, PASSWORD)
    page.goto(f"{live_server.url}/funds/import/assets/")
    assert "下载空白表" in page.content()
    _upload(page, wrong)
    alert = page.locator("#import-error")
    assert "合计与各行之和不符" in alert.inner_text()
    assert "合计为 61，各行之和为 60" in page.locator("#import-problems").inner_text()
    screenshot("funds-import-total-mismatch")
    assert not Asset.objects.exists()

    _upload(page, fixed)
    assert "导入完成" in page.locator("[role=status]").inner_text()
    page.goto(f"{live_server.url}/funds/assets/")
    assert "富有村村部" in page.locator("main").inner_text()
    screenshot("funds-import-assets-listed")
    assert page.console_errors == []
