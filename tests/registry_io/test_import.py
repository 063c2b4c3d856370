"""registry_import: round trip, idempotent re-import, updates, atomic and partial modes, and the
checks that need the whole file or the database (scope, duplicates, members, lifecycle, frozen years)."""

import io

import pytest
from support.places import VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import PermissionDenied
from fupin.registry.io.exporter import registry_export
from fupin.registry.io.importer import import_error_workbook, registry_import
from fupin.registry.models import Household, Person, RegistryYear
from fupin.registry.services import registry_year_freeze

from .kit import YEAR, col, counts, error_rows, generated, households_of, in_villages, set_column, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_file(dictionaries, tmp_path):
    header, rows = generated(40)
    return write_csv(tmp_path / "county.csv", header, rows)


def _import(path, **kw):
    kw.setdefault("actor", None)
    return registry_import(file=path, **kw)


def test_a_generated_file_imports_and_exports_back_byte_for_byte(county_file):
    result = _import(county_file)
    assert result.status == "imported", result.problems[:3]
    header, rows = generated(40)
    assert counts() == (len(households_of(header, rows)), len(rows))
    assert (result.households_created, result.persons_created) == counts()
    out = io.BytesIO()
    registry_export(actor=None, out=out, year=YEAR, fmt="csv", full_numbers=True)
    assert out.getvalue() == county_file.read_bytes()


def test_reimporting_the_same_file_changes_nothing(county_file):
    _import(county_file)
    versions = dict(Household.objects.values_list("household_number", "version"))
    again = _import(county_file)
    assert again.status == "imported"
    assert (again.households_created, again.households_updated) == (0, 0)
    assert again.households_unchanged == len(versions)
    assert again.persons_unchanged == Person.objects.count()
    assert dict(Household.objects.values_list("household_number", "version")) == versions


def test_reimport_updates_changed_households_and_members_and_moves_their_version(county_file, tmp_path):
    _import(county_file)
    header, rows = generated(40)
    target = rows[0][col(header, "户编号")]
    block = [r for r in rows if r[col(header, "户编号")] == target]
    for r in block:
        r[col(header, "户联系电话")] = "13800001111"
        r[col(header, "自然村")] = "新建屯"
    last_education = rows[-1][col(header, "文化程度")]
    rows[-1][col(header, "文化程度")] = "小学" if last_education != "小学" else "初中"
    result = _import(write_csv(tmp_path / "edited.csv", header, rows))
    assert result.status == "imported"
    assert result.households_updated == 2 and result.persons_updated == 1
    changed = Household.objects.get(year=YEAR, household_number=target)
    assert (changed.phone, changed.natural_village, changed.version) == ("13800001111", "新建屯", 2)
    last = Person.objects.get(year=YEAR, person_number=rows[-1][col(header, "人编号")])
    assert last.education == ("30" if last_education != "小学" else "40")
    assert Household.objects.exclude(household_number__in=[target, rows[-1][col(header, "户编号")]]).filter(
        version__gt=1).count() == 0


def test_one_invalid_row_writes_nothing_and_the_error_workbook_names_row_column_and_reason(dictionaries, tmp_path):
    header, rows = generated(40)
    rows[3][col(header, "证件号码")] = rows[3][col(header, "证件号码")][:17] + (
        "0" if rows[3][col(header, "证件号码")][17] != "0" else "1")
    result = _import(write_csv(tmp_path / "bad.csv", header, rows))
    assert result.status == "rejected"
    assert counts() == (0, 0)
    assert not AuditEvent.objects.filter(action="registry.import").exists()
    problem = result.problems[0]
    assert (problem.row, problem.column) == (5, "证件号码")  # data row 4 is the file's 5th row
    assert "校验位错误" in problem.message
    workbook = import_error_workbook(result, tmp_path / "errors.xlsx")
    assert error_rows(workbook)[0][:2] == (5, "证件号码")
    assert "校验位错误" in error_rows(workbook)[0][4]


def test_partial_mode_imports_the_valid_households_and_rejects_a_household_with_one_bad_member(dictionaries, tmp_path):
    header, rows = generated(40)
    by_household = households_of(header, rows)
    bad = next(hn for hn, members in by_household.items() if len(members) >= 3)
    members = by_household[bad]
    members[1][col(header, "出生日期")] = "1901-01-01"  # not the date in the ID number
    result = _import(write_csv(tmp_path / "partial.csv", header, rows), partial=True)
    assert result.status == "partial"
    assert not Household.objects.filter(household_number=bad).exists()
    assert not Person.objects.filter(person_number=members[0][col(header, "人编号")]).exists(), \
        "the valid members of the bad household are not imported either"
    assert counts() == (len(by_household) - 1, len(rows) - len(members))
    assert (result.households_rejected, result.rows_rejected) == (1, len(members))
    assert any("出生日期" in p.message for p in result.problems)
    event = AuditEvent.objects.get(action="registry.import")
    assert event.details["households_created"] == len(by_household) - 1
    assert event.details["problems"] == result.problem_count


def _another_village(header, rows) -> str:
    return next(r[col(header, "行政村代码")] for r in rows if r[col(header, "行政村代码")] != VILLAGE)


def test_a_clerk_may_import_only_households_of_their_village(dictionaries, make_user, tmp_path):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    header, rows = generated(120)
    mine = in_villages(header, rows, {VILLAGE})
    theirs = in_villages(header, rows, {_another_village(header, rows)})
    assert mine and theirs
    both = mine + theirs
    set_column(header, both, "户状态", "拟纳入")
    result = _import(write_csv(tmp_path / "two.csv", header, both), actor=clerk, partial=True)
    assert result.status == "partial"
    assert set(Household.objects.values_list("village__code", flat=True)) == {VILLAGE}
    out_of_scope = [p for p in result.problems if p.code == "village_out_of_scope"]
    assert out_of_scope and all(p.column == "行政村代码" for p in out_of_scope)
    assert "不在您的管辖范围内" in out_of_scope[0].message


def test_a_clerk_cannot_create_households_in_a_status_other_than_candidate(dictionaries, make_user, tmp_path):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    officer = make_user(Role.COUNTY_OFFICER, "210922")
    header, rows = generated(120)
    mine = in_villages(header, rows, {VILLAGE})
    set_column(header, mine, "户状态", "已脱贫")
    path = write_csv(tmp_path / "exited.csv", header, mine)
    refused = _import(path, actor=clerk)
    assert refused.status == "rejected" and counts() == (0, 0)
    assert {p.code for p in refused.problems} == {"status_needs_approval"}
    assert _import(path, actor=officer).status == "imported"


def test_an_existing_household_in_another_village_cannot_be_overwritten(dictionaries, make_user, tmp_path):
    header, rows = generated(120)
    other = _another_village(header, rows)
    theirs = in_villages(header, rows, {other})
    _import(write_csv(tmp_path / "theirs.csv", header, theirs))
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    set_column(header, theirs, "行政村代码", VILLAGE)  # the same 户编号, claimed for the clerk's village
    set_column(header, theirs, "户状态", "拟纳入")
    result = _import(write_csv(tmp_path / "claim.csv", header, theirs), actor=clerk)
    assert result.status == "rejected"
    assert "household_out_of_scope" in {p.code for p in result.problems}
    assert set(Household.objects.values_list("village__code", flat=True)) == {other}


_IDENTITY = ("证件号码", "证件类型", "姓名", "性别", "出生日期", "残疾类别", "残疾等级")


def _same_person(header, target: list[str], source: list[str]) -> None:
    for name in _IDENTITY:
        target[col(header, name)] = source[col(header, name)]


def test_the_same_person_in_two_households_of_the_file_rejects_both(dictionaries, tmp_path):
    header, rows = generated(40)
    by_household = list(households_of(header, rows).items())
    (first, a), (second, b) = by_household[0], by_household[1]
    _same_person(header, b[-1], a[0])
    result = _import(write_csv(tmp_path / "twice.csv", header, rows), partial=True)
    assert not Household.objects.filter(household_number__in=[first, second]).exists()
    assert Household.objects.count() == len(by_household) - 2
    twice = [p for p in result.problems if p.code == "duplicate_id_number"]
    assert {p.household_number for p in twice} == {first, second}
    assert f"户{first}" in twice[0].message and f"户{second}" in twice[0].message


def test_a_person_registered_in_another_household_of_the_year_is_refused(dictionaries, tmp_path):
    header, rows = generated(40)
    by_household = list(households_of(header, rows).values())
    _import(write_csv(tmp_path / "first.csv", header, by_household[0]))
    newcomer = by_household[1]
    _same_person(header, newcomer[-1], by_household[0][0])
    result = _import(write_csv(tmp_path / "second.csv", header, newcomer))
    assert result.status == "rejected"
    assert [p.code for p in result.problems] == ["person_in_two_households"]
    assert by_household[0][0][col(header, "户编号")] in result.problems[0].message


def test_members_the_system_holds_must_be_listed(dictionaries, tmp_path):
    header, rows = generated(40)
    block = next(m for m in households_of(header, rows).values() if len(m) >= 3)
    _import(write_csv(tmp_path / "full.csv", header, block))
    shorter = block[:-1]
    set_column(header, shorter, "人数", str(len(shorter)))
    for name in ("人均纯收入", "人均可支配收入"):  # they follow the member count
        set_column(header, shorter, name, "")
    result = _import(write_csv(tmp_path / "shorter.csv", header, shorter))
    assert result.status == "rejected"
    assert [p.code for p in result.problems] == ["member_missing"]
    assert block[-1][col(header, "姓名")] in result.problems[0].message
    assert Person.objects.count() == len(block)


def test_household_status_changes_only_through_the_lifecycle(dictionaries, tmp_path):
    header, rows = generated(40)
    block = next(m for m in households_of(header, rows).values() if m[0][col(header, "户状态")] == "已脱贫")
    _import(write_csv(tmp_path / "one.csv", header, block))
    set_column(header, block, "户状态", "返贫")
    result = _import(write_csv(tmp_path / "status.csv", header, block))
    assert [p.code for p in result.problems] == ["status_change"]
    assert "状态变更" in result.problems[0].message
    assert Household.objects.get().status == "exited"


def test_a_frozen_year_refuses_the_import(dictionaries, make_user, tmp_path, county_file):
    admin = make_user(Role.COUNTY_ADMIN, "210922")
    registry_year_freeze(actor=admin, county_code="210922", year=YEAR)
    result = _import(county_file)
    assert result.status == "rejected" and counts() == (0, 0)
    assert {p.code for p in result.problems} == {"year_frozen"}
    assert "已封存" in result.problems[0].message


def test_the_year_comes_from_the_file_and_must_match_the_one_asked_for(county_file):
    assert _import(county_file, year=2021).status == "rejected"
    assert counts(2021) == (0, 0)
    result = _import(county_file)
    assert result.year == YEAR and result.status == "imported"
    assert RegistryYear.objects.filter(year=YEAR, county__code="210922000000").exists()


def test_a_national_file_without_our_columns_imports_by_village_names(dictionaries, tmp_path):
    from fupin.registry.schema import NATIONAL_LAYOUT

    header, rows = generated(40)
    keep = [col(header, h) for h in NATIONAL_LAYOUT]
    national = [[r[i] for i in keep] for r in rows if r[col(header, "户状态")] != "自然减少"]
    result = _import(write_csv(tmp_path / "national.csv", list(NATIONAL_LAYOUT), national), year=YEAR)
    assert result.status == "imported", result.problems[:3]
    person = Person.objects.get(person_number=national[0][NATIONAL_LAYOUT.index("人编号")])
    original = next(r for r in rows if r[col(header, "人编号")] == person.person_number)
    assert person.birth_date.isoformat() == original[col(header, "出生日期")]
    assert person.household.village.code == original[col(header, "行政村代码")]
    assert person.household.status == "exited"  # 户类型 脱贫户
    assert str(person.household.per_capita_net_income) == original[col(header, "人均纯收入")]


def test_importing_needs_the_right_to_edit_somewhere(dictionaries, make_user, county_file):
    cadre = make_user(Role.PAIRING_CADRE, VILLAGE)
    with pytest.raises(PermissionDenied):
        _import(county_file, actor=cadre)
    assert counts() == (0, 0)


def test_household_type_changes_only_through_the_lifecycle(dictionaries, tmp_path):
    header, rows = generated(40)
    block = next(m for m in households_of(header, rows).values() if m[0][col(header, "户类型")] == "脱贫户")
    _import(write_csv(tmp_path / "one.csv", header, block))
    set_column(header, block, "户类型", "贫困户")
    result = _import(write_csv(tmp_path / "type.csv", header, block))
    assert [p.code for p in result.problems] == ["household_type_change"]
    assert "系统中为“脱贫户”，文件中为“贫困户”" in result.problems[0].message


def test_two_members_may_swap_wrongly_entered_id_numbers(dictionaries, tmp_path):
    header, rows = generated(40)
    block = next(m for m in households_of(header, rows).values()
                 if len(m) >= 2 and all(r[col(header, "证件类型")] == "居民身份证" for r in m[:2]))
    _import(write_csv(tmp_path / "one.csv", header, block))
    for name in ("证件号码", "出生日期", "性别"):
        i = col(header, name)
        block[0][i], block[1][i] = block[1][i], block[0][i]
    result = _import(write_csv(tmp_path / "swapped.csv", header, block))
    assert result.status == "imported" and result.persons_updated == 2
    first = Person.objects.get(person_number=block[0][col(header, "人编号")])
    assert first.id_number == block[0][col(header, "证件号码")]


def test_a_header_repeated_on_every_page_is_skipped(dictionaries, tmp_path):
    header, rows = generated(40)
    paged = rows[:10] + [list(header)] + rows[10:]
    result = _import(write_csv(tmp_path / "paged.csv", header, paged))
    assert result.status == "imported" and result.rows == len(rows)
