"""扶贫明白卡: the page and the PDF, masking per role, and the sections other capabilities contribute."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from support.matrix import Matrix
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.registry import card
from fupin.registry.card import register_card_section

from .factories import make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(dictionaries, make_user):
    cadre = make_user(Role.PAIRING_CADRE, VILLAGE)
    cadre.full_name, cadre.organisation, cadre.phone = "刘干部", "县农业农村局", "13800001111"
    cadre.save()
    return make_household(pairing_cadre=cadre, food_secure=True, clothing_secure=True, housing_secured=False)


@pytest.fixture
def section():
    """A section registered as another app would; removed afterwards."""
    def visits(household, actor):
        return [{"label": "2020-06-01", "value": "入户走访"}, {"label": "落实", "value": True}]

    def not_here(household, actor):
        return None

    def broken(household, actor):
        raise RuntimeError("boom")

    before = dict(card._SECTIONS)
    register_card_section(40, "走访记录", visits)
    register_card_section(41, "不适用的部分", not_here)
    register_card_section(42, "出错的部分", broken)
    yield
    card._SECTIONS.clear()
    card._SECTIONS.update(before)


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_card_page_matrix(household, make_user, token_for):
    Matrix(f"/registry/households/{household.pk}/card/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           marker="王福").check(make_user, token_for)


def test_card_shows_household_members_income_needs_and_cadre(household, make_user):
    page = _client(make_user(Role.VILLAGE_CLERK, VILLAGE)).get(f"/registry/households/{household.pk}/card/")
    html = page.content.decode()
    assert "扶贫明白卡（2020年度）" in html and "彰武县 哈尔套镇 富有村委会" in html
    for text in ("王福", "李桂兰", "王浩", "3500.00", "不愁吃", "住房安全有保障", "刘干部", "县农业农村局",
                 "13800001111", "户主签字"):
        assert text in html, text
    head = household.persons.get(relation="02")
    assert head.id_number in html


def test_card_masks_numbers_for_roles_without_pii(household, make_user):
    html = _client(make_user(Role.PAIRING_CADRE, VILLAGE)).get(
        f"/registry/households/{household.pk}/card/").content.decode()
    head = household.persons.get(relation="02")
    assert head.id_number not in html and head.id_number[:6] + "*" * 10 + head.id_number[-2:] in html
    assert "13912345678" not in html and "139****5678" in html
    assert "138****1111" in html


def test_contributed_sections_on_the_card_and_the_detail_page(household, make_user, section):
    clerk = _client(make_user(Role.VILLAGE_CLERK, VILLAGE))
    for url in (f"/registry/households/{household.pk}/card/", f"/registry/households/{household.pk}/"):
        html = clerk.get(url).content.decode()
        assert "走访记录" in html and "入户走访" in html, url
        assert "不适用的部分" not in html and "出错的部分" not in html, url
        assert "<td>是</td>" in html  # a True value is shown as 是


def test_funds_income_distribution_section(household, make_user):
    from fupin.areas.models import Area
    from fupin.funds.models import DistributionLine, DistributionPlan

    village = Area.objects.current().get(code=VILLAGE)
    plan = DistributionPlan.objects.create(
        code="FP-2020-01", area=village, year=2020, title="光伏电站收益分配", income_total=Decimal("10000"),
        status="paid", decided_on=dt.date(2020, 3, 1), publicity_from=dt.date(2020, 3, 2),
        publicity_to=dt.date(2020, 3, 9), reviewed_on=dt.date(2020, 3, 15), approved_on=dt.date(2020, 3, 20),
        paid_on=dt.date(2020, 4, 1))
    DistributionLine.objects.create(plan=plan, kind="household", village=village, household=household,
                                    amount=Decimal("800.00"))
    html = _client(make_user(Role.VILLAGE_CLERK, VILLAGE)).get(
        f"/registry/households/{household.pk}/card/").content.decode()
    assert "资产收益分配" in html and "2020 光伏电站收益分配" in html and "800.00 元" in html


chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")


@chromium
def test_pdf_is_an_a4_card_with_masked_numbers(household, make_user, tmp_path):
    cadre_reader = make_user(Role.PAIRING_CADRE, VILLAGE)
    response = _client(cadre_reader).get(f"/registry/households/{household.pk}/card.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="registry.card_pdf", target_id=str(household.pk)).exists()
    if shutil.which("pdftotext"):
        path = tmp_path / "card.pdf"
        path.write_bytes(data)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
        head = household.persons.get(relation="02")
        assert "扶贫明白卡" in text and "王福" in text
        assert head.id_number not in text and head.id_number[-2:] in text
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
        assert "595.276 x 841.89" in info or "A4" in info  # A4 in points


@chromium
def test_pdf_api_matrix(household, make_user, token_for):
    Matrix(f"/api/registry/households/{household.pk}/card.pdf", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE,
           api=True).check(make_user, token_for)


def test_household_page_links_to_monitoring_and_assistance_for_those_who_may_use_them(household, make_user):
    clerk, auditor = Client(), Client()
    clerk.force_login(make_user(Role.VILLAGE_CLERK, VILLAGE))
    auditor.force_login(make_user(Role.AUDITOR, "210922"))
    page = clerk.get(f"/registry/households/{household.pk}/").content.decode()
    assert f"/monitoring/new/?household={household.pk}" in page and "纳入防返贫监测" in page
    assert f"/assistance/households/{household.pk}/" in page
    other = auditor.get(f"/registry/households/{household.pk}/").content.decode()
    assert "/monitoring/new/" not in other and f"/assistance/households/{household.pk}/" in other
