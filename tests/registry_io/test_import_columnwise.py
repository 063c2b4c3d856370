"""A plain CSV file is read by Polars and checked column-wise, and a year's first import is written
straight into the registry tables; either way the registry ends up exactly as with the csv module, the
per-record checks and the staging tables, with the same problems. Files are generated, then edited."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from fupin.accounts.roles import Role
from fupin.registry.io import importer
from fupin.registry.io.importer import registry_import
from fupin.registry.io.layout import build
from fupin.registry.models import Household, Person

from .kit import YEAR, col, generated, in_villages, write_csv
from .test_import_vectorised import AWKWARD

pytestmark = pytest.mark.django_db


def _registry() -> tuple[dict, dict]:
    households = {h.pop("household_number"): h for h in Household.objects.filter(year=YEAR).values()}
    persons = {p.pop("person_number"): p for p in Person.objects.filter(year=YEAR).values()}
    for record in (*households.values(), *persons.values()):
        for key in ("id", "household_id", "created_at", "updated_at"):
            record.pop(key, None)
    return households, persons


def _import(path, *, columnwise: bool, actor=None, partial: bool = True, monkeypatch):
    monkeypatch.setattr(importer, "COLUMNWISE_CSV", columnwise)
    monkeypatch.setattr(importer, "DIRECT_FIRST_IMPORT", columnwise)
    Person.objects.filter(year=YEAR).delete()
    Household.objects.filter(year=YEAR).delete()
    result = registry_import(actor=actor, file=path, year=YEAR, partial=partial)
    problems = sorted((p.row or 0, p.column, p.message, p.code) for p in result.problems)
    return result.status, result.message, problems, _registry()


def _same_both_ways(path, monkeypatch, **kwargs):
    fast = _import(path, columnwise=True, monkeypatch=monkeypatch, **kwargs)
    slow = _import(path, columnwise=False, monkeypatch=monkeypatch, **kwargs)
    assert fast[:3] == slow[:3]
    assert fast[3][0] == slow[3][0]
    assert fast[3][1] == slow[3][1]
    return fast


def test_a_clean_file_gives_the_same_registry(dictionaries, tmp_path, monkeypatch):
    header, rows = generated(households=80, seed=21)
    status, _message, problems, (households, persons) = _same_both_ways(
        write_csv(tmp_path / "clean.csv", header, rows), monkeypatch)
    assert status == "imported" and not problems
    assert len(households) == 80 and len(persons) == len(rows)


@pytest.mark.parametrize("seed", range(6))
def test_edited_files_give_the_same_registry_and_problems(dictionaries, tmp_path, monkeypatch, seed):
    header, rows = generated(households=60, seed=seed + 30)
    rng = random.Random(seed)
    half = len(rows) // 2
    for _ in range(40):  # awkward cells in the second half
        r, c = rng.randrange(half, len(rows)), rng.randrange(len(header))
        rows[r][c] = rng.choice(AWKWARD)
    hn, pn, idn = col(header, "户编号"), col(header, "人编号"), col(header, "证件号码")
    members = {}  # the second member of each household, in four households
    for i in range(1, half):
        if rows[i][hn] == rows[i - 1][hn] and len(members) < 4:
            members.setdefault(rows[i][hn], i)
    a, b, c, d = members.values()
    person = [i for i in build(header, year_given=True).person.values() if i not in (hn, pn, idn)]
    for target, source in ((a, b), (c, d)):  # the same person (another 人编号) in two households
        for i in (*person, idn):
            rows[target][i] = rows[source][i]
    rows.insert(20, [""] * len(header))  # a blank row
    _status, _message, problems, _registry_rows = _same_both_ways(
        write_csv(tmp_path / "edited.csv", header, rows), monkeypatch)
    codes = {p[3] for p in problems}
    assert "duplicate_id_number" in codes


def test_an_atomic_import_with_one_bad_row_writes_nothing_either_way(dictionaries, tmp_path, monkeypatch):
    header, rows = generated(households=40, seed=9)
    rows[-1][col(header, "证件号码")] = "210922193604207986"  # wrong check digit, in the last household
    status, message, problems, (households, persons) = _same_both_ways(
        write_csv(tmp_path / "bad.csv", header, rows), monkeypatch, partial=False)
    assert status == "rejected" and households == {} and persons == {}
    assert problems and {p[0] for p in problems} == {len(rows) + 1}  # the header is row 1


def test_a_village_clerk_creating_registered_households_is_refused_alike(dictionaries, make_user, tmp_path,
                                                                        monkeypatch):
    header, rows = generated(households=400)
    village = Counter(r[col(header, "行政村代码")] for r in rows).most_common(1)[0][0]
    clerk = make_user(Role.VILLAGE_CLERK, village)
    mine = in_villages(header, rows, {village})
    status_column = col(header, "户状态")
    first = {}
    for row in mine:  # every other household 拟纳入, the rest 已脱贫
        first.setdefault(row[col(header, "户编号")], len(first))
        row[status_column] = "拟纳入" if first[row[col(header, "户编号")]] % 2 else "已脱贫"
    status, _message, problems, (households, _persons) = _same_both_ways(
        write_csv(tmp_path / "clerk.csv", header, mine), monkeypatch, actor=clerk)
    assert status == "partial" and len(households) >= 2
    assert "status_needs_approval" in {p[3] for p in problems}


def test_quoted_or_irregular_files_are_read_by_the_csv_module(dictionaries, tmp_path, monkeypatch):
    header, rows = generated(households=20, seed=2)
    rows[3][col(header, "家庭住址")] = "彰武镇, 东郊村 \"一组\""  # needs quotes in the CSV
    rows[-1] = rows[-1][:10]  # a truncated last row
    _status, _message, problems, _registry_rows = _same_both_ways(
        write_csv(tmp_path / "quoted.csv", header, rows), monkeypatch)
    assert "short_row" in {p[3] for p in problems}


def test_a_household_split_in_two_places_is_reported_alike(dictionaries, tmp_path, monkeypatch):
    header, rows = generated(households=30, seed=5)
    rows.append(list(rows[0]))  # its 户编号 again, away from its block, in the last batch
    status, _message, problems, (households, _persons) = _same_both_ways(
        write_csv(tmp_path / "split.csv", header, rows), monkeypatch)
    assert status == "partial" and len(households) == 29
    assert [p[0] for p in problems if p[3] == "household_repeated"] == [2, len(rows) + 1]


@pytest.mark.parametrize("form", ["crlf", "gbk"])
def test_windows_line_ends_and_gbk_are_read_alike(dictionaries, tmp_path, monkeypatch, form):
    header, rows = generated(households=40, seed=12)
    rows[5][col(header, "证件号码")] = "2109221936042079"  # one bad household, for the problems
    path = write_csv(tmp_path / f"{form}.csv", header, rows, encoding="gb18030" if form == "gbk" else "utf-8-sig")
    if form == "crlf":
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    status, _message, problems, (households, _persons) = _same_both_ways(path, monkeypatch)
    assert status == "partial" and len(households) == 39 and problems
