"""registry_export: scope, masking by role, narrowing to an area, .xlsx that reads back, audit."""

import csv
import io

import pytest
from support.places import OTHER_COUNTY, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import NotFound, ValidationFailed
from fupin.registry.io.exporter import registry_export
from fupin.registry.io.importer import registry_import

from .kit import YEAR, col, generated, in_villages, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(dictionaries, tmp_path):
    header, rows = generated(120)
    registry_import(actor=None, file=write_csv(tmp_path / "county.csv", header, rows))
    return header, rows


def _rows(actor, **kw) -> list[list[str]]:
    out = io.BytesIO()
    registry_export(actor=actor, out=out, year=YEAR, fmt="csv", **kw)
    return list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def test_a_clerk_exports_only_their_village(county, make_user):
    header, rows = county
    exported = _rows(make_user(Role.VILLAGE_CLERK, VILLAGE))
    assert exported[0] == header
    mine = in_villages(header, rows, {VILLAGE})
    assert len(exported) - 1 == len(mine) > 0
    assert {r[col(header, "行政村代码")] for r in exported[1:]} == {VILLAGE}


def test_numbers_are_masked_for_a_role_without_pii_and_shown_to_one_with_it(county, make_user):
    header, rows = county
    ids, phones = col(header, "证件号码"), col(header, "户联系电话")
    department = _rows(make_user(Role.DEPARTMENT_USER, "210922", department="medical_insurance"))
    officer = _rows(make_user(Role.COUNTY_OFFICER, "210922"))
    assert len(department) == len(officer) == len(rows) + 1
    assert all("*" in r[ids] for r in department[1:])
    assert all(("*" in r[phones]) for r in department[1:] if r[phones])
    assert officer[1:] == rows
    assert department[1][ids][:6] == rows[0][ids][:6] and department[1][ids] != rows[0][ids]


def test_full_numbers_false_masks_even_for_a_role_that_may_see_them(county, make_user):
    header, _rows_ = county
    masked = _rows(make_user(Role.COUNTY_OFFICER, "210922"), full_numbers=False)
    assert all("*" in r[col(header, "证件号码")] for r in masked[1:])


def test_narrowing_to_an_area_and_refusing_one_outside(county, make_user):
    header, rows = county
    officer = make_user(Role.COUNTY_OFFICER, "210922")
    narrowed = _rows(officer, area=VILLAGE)
    assert len(narrowed) - 1 == len(in_villages(header, rows, {VILLAGE}))
    with pytest.raises(NotFound):
        _rows(officer, area=OTHER_COUNTY)
    assert AuditEvent.objects.filter(outcome="denied", area_code=OTHER_COUNTY.ljust(12, "0")).exists()


def test_the_xlsx_export_reads_back_unchanged(county, make_user, tmp_path):
    path = tmp_path / "export.xlsx"
    with path.open("wb") as fh:
        result = registry_export(actor=make_user(Role.COUNTY_OFFICER, "210922"), out=fh, year=YEAR, fmt="xlsx")
    assert result.rows == len(county[1]) and result.masked_rows == 0
    again = registry_import(actor=None, file=path)
    assert again.status == "imported"
    assert again.households_unchanged == again.households and again.households_updated == 0


def test_every_export_is_audited_with_what_left_unmasked(county, make_user):
    user = make_user(Role.DEPARTMENT_USER, "210922", department="civil_affairs")
    _rows(user)
    event = AuditEvent.objects.filter(action="registry.export").latest("seq")
    assert event.actor_id == user.pk
    assert event.details["rows"] == len(county[1]) and event.details["unmasked_rows"] == 0


def test_an_unknown_format_is_refused(county):
    with pytest.raises(ValidationFailed):
        registry_export(actor=None, out=io.BytesIO(), year=YEAR, fmt="pdf")


def test_export_of_an_impossible_year_is_a_422_not_a_server_error(make_user, token_for):
    from django.test import Client
    from support.places import VILLAGE

    from fupin.accounts.roles import Role

    token = token_for(make_user(Role.VILLAGE_CLERK, VILLAGE))
    response = Client().get("/api/registry/export?year=0", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    assert "year" in str(response.json()["error"]["details"])
