"""A department file walked in the browser: the medical insurance bureau uploads its monthly claims
(.xlsx) on the feeds page and reads the row report (accepted, bad and unmatched rows, the alert raised),
without seeing the alert itself; the village clerk finds the alert, sees the values and the pack
threshold that fired it, and records the verification."""

import datetime as dt

import pytest
from feeds.conftest import MEDICAL_HEADER, claim, write_xlsx
from registry.factories import id_number, make_household, member
from support.browser import sign_in
from support.places import COUNTY, PASSWORD, VILLAGE

from fupin.accounts.roles import Department, Role
from fupin.feeds.models import AlertStatus, DepartmentAlert, FeedUpload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_department_upload_raises_an_alert_the_village_handles(live_server, page, screenshot, make_user, tmp_path):
    medical = make_user(Role.DEPARTMENT_USER, COUNTY, department=Department.MEDICAL_INSURANCE,
                        username="feeds_medical")
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE, username="feeds_clerk")
    household = make_household(village=VILLAGE, members=[
        member("王福", "02", "1", dt.date(1960, 3, 2)), member("李桂兰", "10", "2", dt.date(1962, 7, 15))])
    wang, li = household.persons.order_by("person_number")
    income = household.net_income
    stranger = id_number(dt.date(1970, 1, 1), "1", seq=7)  # a valid number nobody in the registry holds
    rows = [claim(wang, "ZY2020050001", out_of_pocket=f"{income - 50:.2f}"),
            claim(li, "MZ2020050002", out_of_pocket="80.00"),
            ["无名", "210922196001010000", "MZ2020050003", "彰武县人民医院", "", "2020-05-03", "50", "20"],
            ["张三", stranger, "MZ2020050004", "彰武县人民医院", "", "2020-05-04", "60", "30"]]
    path = write_xlsx(tmp_path / "医保局2020年5月结算.xlsx", MEDICAL_HEADER, rows)

    as_user(page, live_server, medical)
    page.goto(f"{live_server.url}/feeds/uploads/")
    page.select_option("select[name=kind]", "medical_insurance")
    page.set_input_files("input[name=file]", str(path))
    page.fill("input[name=year]", "2020")
    screenshot("feeds-upload")
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state("networkidle")
    upload = FeedUpload.objects.get()
    assert page.url.endswith(f"/feeds/uploads/{upload.pk}/")
    body = page.locator("main").inner_text()
    assert "共4行：接收2行，错误1行，重复0行，身份证号未匹配1行；产生预警1条" in body
    report = page.locator("table.data tbody tr")
    assert report.count() == 2
    assert "身份证号校验位错误" in report.nth(0).inner_text()
    unmatched = report.nth(1).inner_text()
    assert "未匹配" in unmatched and "身份证号不在 2020 年建档立卡人口中" in unmatched
    assert stranger not in body  # ID numbers are masked in the report
    screenshot("feeds-upload-report")
    # the department sees its report, not the households' alerts
    response = page.goto(f"{live_server.url}/feeds/")
    assert response.status in (403, 404)

    as_user(page, live_server, clerk)
    page.goto(f"{live_server.url}/feeds/")
    alerts = page.locator("#alerts-table tbody tr")
    assert alerts.count() == 1 and household.household_number in alerts.first.inner_text()
    assert "待处理" in alerts.first.inner_text()
    alerts.first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    facts = page.locator("dl.facts").inner_text()
    assert f"累计 {income + 30:.2f} 元（2 条记录）" in facts
    assert "政策包 zhangwu-2020@2 参数 rigid_expenditure_factor" in facts
    page.select_option("select[name=outcome]", AlertStatus.VERIFIED)
    page.fill("textarea[name=note]", "入户核实：户主住院，自付费用属实，已报乡镇")
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot("feeds-alert-handled")
    assert "已处理预警" in page.locator("body").inner_text()
    handled = page.locator("main").inner_text()
    assert "已核实" in handled and "入户核实：户主住院" in handled and "feeds_clerk" in handled
    alert = DepartmentAlert.objects.get()
    assert (alert.status, alert.handled_by, alert.note) == (AlertStatus.VERIFIED, clerk, "入户核实：户主住院，自付费用属实，已报乡镇")
    assert page.console_errors == []
