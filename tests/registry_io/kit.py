"""Registry files for the import/export tests: generated households in the national layout, cut,
edited and written as CSV or .xlsx."""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

import openpyxl

from fupin.registry.bulk import registry_generate_csv
from fupin.registry.models import Household, Person

YEAR = 2020


@functools.lru_cache(maxsize=8)
def _generated(households: int, seed: int, year: int) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    out = io.StringIO()
    registry_generate_csv(county_code="210922", households=households, seed=seed, year=year, out=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    return tuple(rows[0]), tuple(tuple(r) for r in rows[1:])


def generated(households: int = 40, seed: int = 7, year: int = YEAR) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a generated county file; rows are fresh lists the test may edit."""
    header, rows = _generated(households, seed, year)
    return list(header), [list(r) for r in rows]


def col(header: list[str], name: str) -> int:
    return header.index(name)


def households_of(header, rows) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for r in rows:
        out.setdefault(r[col(header, "户编号")], []).append(r)
    return out


def in_villages(header, rows, villages: set[str]) -> list[list[str]]:
    return [r for r in rows if r[col(header, "行政村代码")] in villages]


def set_column(header, rows, name: str, value: str) -> None:
    i = col(header, name)
    for r in rows:
        r[i] = value


def write_csv(path: Path, header, rows, *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header, rows, *, sheet: str = "名单", title: str | None = None,
               before: list[str] | None = None) -> Path:
    """An .xlsx as Excel users make them (shared strings), optionally with a title row above the
    header and other sheets (`before`) in front of the data sheet."""
    book = openpyxl.Workbook()
    first = book.active
    for i, name in enumerate(before or []):
        ws = first if i == 0 else book.create_sheet(name)
        ws.title = name
        ws["A1"] = "填表说明：请勿修改表头"
    ws = book.create_sheet(sheet) if before else first
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    book.save(path)
    return path


def counts(year: int = YEAR) -> tuple[int, int]:
    return Household.objects.filter(year=year).count(), Person.objects.filter(year=year).count()


def error_rows(path: Path) -> list[tuple]:
    """The rows of an error workbook's 错误清单 sheet (without the header)."""
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["错误清单"]
    rows = [tuple(c for c in r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    book.close()
    return rows
