"""What is wrong with an imported file, row by row, and the error workbook that lists it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

import xlsxwriter

# Enough for anyone to work through; past this the workbook says how many more there were.
MAX_KEPT = 100_000


@dataclass(frozen=True)
class ImportProblem:
    """One problem: the file row (1 = the first row of the sheet), the column header, the household
    and person it concerns, and what is wrong, in Chinese."""

    row: int | None
    column: str
    message: str
    code: str = "invalid"
    household_number: str = ""
    person_number: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        column = f"“{self.column}”列" if self.column else ""
        return f"{where}{column}：{self.message}"


class ProblemLog:
    """Problems as they are found, keeping the first MAX_KEPT and counting the rest."""

    def __init__(self, limit: int = MAX_KEPT):
        self.kept: list[ImportProblem] = []
        self.total = 0
        self.limit = limit

    def add(self, problem: ImportProblem) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def extend(self, problems: Iterable[ImportProblem]) -> None:
        for p in problems:
            self.add(p)

    def __bool__(self) -> bool:
        return self.total > 0

    def sorted(self) -> list[ImportProblem]:
        return sorted(self.kept, key=lambda p: (p.row or 0, p.column))


HEADERS = ("行号", "列", "户编号", "人编号", "问题", "问题代码")


def write_error_workbook(path, problems: list[ImportProblem], *, total: int, summary: list[tuple[str, str]]) -> None:
    """错误清单: one row per problem (row, column, household, person, reason), and a sheet with the
    import's summary. Small (at most MAX_KEPT rows), so written in one go."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    try:
        bold = book.add_format({"bold": True, "bg_color": "#FDE9E7", "border": 1})
        sheet = book.add_worksheet("错误清单")
        sheet.freeze_panes(1, 0)
        for col, (title, width) in enumerate(zip(HEADERS, (8, 22, 20, 22, 80, 24), strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, bold)
        for i, p in enumerate(problems, start=1):
            if p.row:
                sheet.write_number(i, 0, p.row)
            sheet.write_string(i, 1, p.column)
            sheet.write_string(i, 2, p.household_number)
            sheet.write_string(i, 3, p.person_number)
            sheet.write_string(i, 4, p.message)
            sheet.write_string(i, 5, p.code)
        if total > len(problems):
            sheet.write_string(len(problems) + 1, 4, f"另有{total - len(problems)}个问题未列出；请先改正以上问题后重新导入")
        info = book.add_worksheet("导入说明")
        info.set_column(0, 0, 24)
        info.set_column(1, 1, 90)
        for i, (key, value) in enumerate(summary):
            info.write_string(i, 0, key, bold)
            info.write_string(i, 1, value)
    finally:
        book.close()
