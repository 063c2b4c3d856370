"""A frozen year (封存) gives the same report bytes whenever it is regenerated: the export in the national
layout, the data-quality list and the 明白卡 PDF, even after a township has been renamed."""

import datetime as dt
import io
import shutil
import time

import pytest
from registry.factories import make_household
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP

from fupin.accounts.roles import Role
from fupin.areas.services import area_rename
from fupin.core.errors import Locked
from fupin.registry.io.exporter import registry_export
from fupin.registry.quality import quality_run
from fupin.registry.quality_export import quality_workbook
from fupin.registry.services import household_update, registry_year_freeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(dictionaries, make_user):
    make_household()
    make_household(village=OTHER_VILLAGE, status="candidate")
    admin = make_user(Role.COUNTY_ADMIN, COUNTY)
    registry_year_freeze(actor=admin, county_code=COUNTY, year=2020, note="年度报表")
    return admin


def _export(actor, fmt: str) -> bytes:
    out = io.BytesIO()
    registry_export(actor=actor, out=out, year=2020, fmt=fmt)
    return out.getvalue()


def _quality(actor) -> bytes:
    out = io.BytesIO()
    quality_workbook(actor=actor, run=quality_run(actor=actor, year=2020), out=out)
    return out.getvalue()


def test_exports_of_a_frozen_year_are_identical_byte_for_byte(frozen, make_user):
    cadre = make_user(Role.PAIRING_CADRE, COUNTY)  # masked numbers
    first = {"xlsx": _export(frozen, "xlsx"), "csv": _export(frozen, "csv"), "masked": _export(cadre, "xlsx"),
             "quality": _quality(frozen)}
    time.sleep(2.1)  # past the 2-second resolution of zip time stamps
    area_rename(actor=make_user(Role.SYSTEM_ADMIN, COUNTY), code=TOWNSHIP, new_name="哈尔套街道", effective=dt.date.today() + dt.timedelta(days=1))
    again = {"xlsx": _export(frozen, "xlsx"), "csv": _export(frozen, "csv"), "masked": _export(cadre, "xlsx"),
             "quality": _quality(frozen)}
    for name in first:
        assert first[name] == again[name], name
    assert "哈尔套镇".encode() in first["csv"] and "哈尔套街道".encode() not in again["csv"]
    with pytest.raises(Locked):  # and nothing can change underneath it
        from fupin.registry.models import Household

        h = Household.objects.filter(status="registered").first()
        household_update(actor=frozen, household_id=h.pk, expected_version=h.version, data={"address": "改"})


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_card_pdf_of_a_frozen_year_is_identical(frozen):
    from fupin.registry.models import Household
    from fupin.registry.views_card import card_pdf

    h = Household.objects.filter(status="registered").first()
    first = card_pdf(frozen, h)
    time.sleep(1.1)
    assert card_pdf(frozen, h) == first
