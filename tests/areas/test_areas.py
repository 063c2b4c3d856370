"""Division codes: loading, prefix scoping, history of renames and merges."""

import datetime as dt

import pytest
from django.core.management import call_command

from fupin.accounts.roles import Role
from fupin.areas.models import Area, AreaLevel
from fupin.areas.selectors import area_get, area_path
from fupin.areas.services import area_merge, area_rename, areas_load
from fupin.audit.models import AuditEvent
from fupin.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_zhangwu_has_24_townships_and_202_villages(areas):
    county = area_get("210922")
    assert county.name == "彰武县" and county.level == AreaLevel.COUNTY
    under = Area.objects.current().under(county.prefix)
    assert under.filter(level=AreaLevel.TOWNSHIP).count() == 24
    assert under.filter(level=AreaLevel.VILLAGE).count() == 202
    assert area_path(area_get("210922101202")) == "辽宁省 / 阜新市 / 彰武县 / 哈尔套镇 / 富有村委会"


def test_loading_twice_changes_nothing(areas):
    result = areas_load(actor=None, province="21", within=["210922"])
    assert result.created == 0 and result.renamed == 0 and result.unchanged > 200


def test_load_command_is_idempotent_for_the_whole_province(areas, capsys):
    call_command("areas", "load", "--province", "21", "--json")
    first = capsys.readouterr().out
    call_command("areas", "load", "--province", "21", "--json")
    second = capsys.readouterr().out
    assert '"created": 0' in second and '"renamed": 0' in second and '"created": 0' not in first
    assert Area.objects.current().filter(level=AreaLevel.VILLAGE).count() == 16727
    assert Area.objects.current().filter(level=AreaLevel.TOWNSHIP).count() == 1406


def test_unknown_province_is_a_clear_error(areas):
    with pytest.raises(NotFound, match="未知的省级区划代码"):
        areas_load(actor=None, province="99")


def test_rename_keeps_the_old_name_for_old_dates(make_user):
    admin = make_user(Role.SYSTEM_ADMIN, "210922")
    area_rename(actor=admin, code="210922101202", new_name="富有村", effective=dt.date(2024, 1, 1))
    assert area_get("210922101202").name == "富有村"
    assert area_get("210922101202", on=dt.date(2023, 12, 31)).name == "富有村委会"
    assert AuditEvent.objects.filter(action="area.rename").exists()


def test_merge_keeps_the_merged_village_resolvable(make_user):
    admin = make_user(Role.SYSTEM_ADMIN, "210922")
    area_merge(actor=admin, code="210922101203", into_code="210922101202", effective=dt.date(2024, 6, 1))
    with pytest.raises(NotFound):
        area_get("210922101203")
    old = area_get("210922101203", on=dt.date(2024, 1, 1))
    assert old.name == "黄花山村委会" and old.successor.code == "210922101202000"[:12]


def test_only_area_managers_rename(make_user):
    from fupin.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        area_rename(actor=make_user(Role.COUNTY_OFFICER, "210922"), code="210922101202", new_name="x",
                    effective=dt.date(2024, 1, 1))


def test_rename_with_an_earlier_date_is_refused(make_user):
    with pytest.raises(ValidationFailed):
        area_rename(actor=make_user(Role.SYSTEM_ADMIN, "210922"), code="210922101202", new_name="x",
                    effective=dt.date(2020, 1, 1))
