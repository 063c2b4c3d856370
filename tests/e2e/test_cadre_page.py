"""A pairing cadre opens their own page on a phone, sees what is due this month and records a visit."""

import datetime as dt
from pathlib import Path

import pytest
from registry.factories import make_household, member
from support.browser import sign_in
from support.places import PASSWORD, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.assistance import services
from fupin.assistance.models import Visit
from fupin.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "Failed to load resource" not in msg.text else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


def test_cadre_records_a_visit_on_a_phone(live_server, phone, make_user):
    with clock.pinned(dt.date(2020, 5, 15)):
        township = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP, username="township_cadre_e2e")
        cadre = make_user(Role.PAIRING_CADRE, VILLAGE, username="cadre_e2e")
        services.cadre_profile_save(actor=township, user=cadre, area_code=VILLAGE,
                                    data={"name": "孙海涛", "unit_kind": "dispatching", "unit_name": "县卫生健康局",
                                          "phone": "13904181001"})
        household = make_household(members=[member("高志国", "02", "1", dt.date(1958, 6, 1)),
                                             member("高红", "10", "2", dt.date(1960, 2, 2))])
        services.cadre_assign(actor=township, household=household, cadre=cadre)

        sign_in(phone, live_server, cadre.username, PASSWORD)
        phone.goto(f"{live_server.url}/assistance/mine/")
        assert phone.get_by_test_id("due-total").inner_text() == "2020年5月还需走访 3 次"
        card = phone.get_by_test_id(f"household-{household.pk}")
        assert "高志国" in card.inner_text() and "本月 0/3 次" in card.inner_text()
        # The page fits the phone: nothing wider than the screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        phone.select_option("select[name=household]", str(household.pk))
        phone.fill("input[name=visited_on]", "2020-05-14")
        phone.fill("textarea[name=content]", "了解春耕和务工打算")
        phone.fill("textarea[name=problems]", "缺少种子款")
        phone.fill("textarea[name=measures_taken]", "联系小额信贷")
        phone.click("#quick-visit button[type=submit]")
        phone.wait_for_load_state("networkidle")

        assert "已登记" in phone.locator(".messages").inner_text()
        assert "本月 1/3 次" in phone.get_by_test_id(f"household-{household.pk}").inner_text()
        SCREENSHOTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "cadre-page-phone.png"), full_page=True)
        visit = Visit.objects.get(household=household)
        assert (visit.visitor, visit.visited_on, visit.problems) == (cadre, dt.date(2020, 5, 14), "缺少种子款")

        # A date in the future is refused with a message, and nothing is written.
        phone.select_option("select[name=household]", str(household.pk))
        phone.fill("input[name=visited_on]", "2020-05-20")
        phone.fill("textarea[name=content]", "计划走访")
        phone.click("#quick-visit button[type=submit]")
        phone.wait_for_load_state("networkidle")
        assert "晚于今天" in phone.content()
        assert Visit.objects.filter(household=household).count() == 1
        assert phone.console_errors == []
