"""Bad files: each gives a clear message, an error workbook, and writes nothing."""

import os
import time

import openpyxl
import pytest

from fupin.registry.io.importer import import_error_workbook, registry_import
from fupin.registry.models import Household

from .kit import col, counts, error_rows, generated, households_of, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _rejected(path, tmp_path, *, partial: bool = False, **kw):
    """Import `path`; assert nothing was written and the error workbook says why. Returns the result."""
    result = registry_import(actor=None, file=path, partial=partial, **kw)
    assert result.status == "rejected", result.message
    assert counts() == (0, 0)
    assert result.problems, "a rejected import names its problems"
    workbook = import_error_workbook(result, tmp_path / "errors.xlsx")
    listed = error_rows(workbook)
    assert [r[4] for r in listed] == [p.message for p in sorted(result.problems, key=lambda p: (p.row or 0, p.column))]
    return result


def test_wrong_headers_name_what_is_missing(dictionaries, tmp_path):
    header, rows = generated(10)
    header[col(header, "证件号码")] = "身份证"
    result = _rejected(write_csv(tmp_path / "typo.csv", header, rows), tmp_path)
    assert result.problems[0].code == "wrong_headers"
    assert "缺少必需的列：证件号码" in result.problems[0].message


def test_an_unknown_column_is_refused_rather_than_dropped(dictionaries, tmp_path):
    header, rows = generated(10)
    header.append("备注")
    for r in rows:
        r.append("x")
    result = _rejected(write_csv(tmp_path / "extra.csv", header, rows), tmp_path)
    assert [p.code for p in result.problems] == ["unknown_header"]
    assert result.problems[0].column == "备注" and result.problems[0].row == 1


def test_a_workbook_whose_sheets_are_something_else(dictionaries, tmp_path):
    path = tmp_path / "projects.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "项目库"
    book.active.append(["项目名称", "资金规模", "实施地点"])
    book.active.append(["光伏电站", 120, "哈尔套镇"])
    book.create_sheet("说明")["A1"] = "2020年扶贫项目"
    book.save(path)
    result = _rejected(path, tmp_path)
    assert result.problems[0].code == "wrong_sheet"
    message = result.problems[0].message
    assert "“项目库”" in message and "“说明”" in message and "证件号码" in message


def test_the_data_sheet_is_found_behind_an_instructions_sheet_and_a_title_row(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_xlsx(tmp_path / "national.xlsx", header, rows, sheet="已脱贫人口名单", title="彰武县已脱贫人口名单",
                      before=["填表说明"])
    result = registry_import(actor=None, file=path)
    assert result.status == "imported" and result.sheet == "已脱贫人口名单"
    assert counts() == (len(households_of(header, rows)), len(rows))


def test_merged_cells_are_refused_with_their_range(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_xlsx(tmp_path / "merged.xlsx", header, rows)
    block = next(m for m in households_of(header, rows).values() if len(m) >= 2)
    first = rows.index(block[0]) + 2
    book = openpyxl.load_workbook(path)
    letter = openpyxl.utils.get_column_letter(col(header, "户编号") + 1)
    book.active.merge_cells(f"{letter}{first}:{letter}{first + 1}")  # the common habit: one 户编号 per household
    book.save(path)
    result = _rejected(path, tmp_path)
    assert {p.code for p in result.problems} >= {"merged_cells"}
    merged = next(p for p in result.problems if p.code == "merged_cells")
    assert f"{letter}{first}:{letter}{first + 1}" in merged.message and merged.row == first


def test_merged_cells_in_partial_mode_reject_only_that_household(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_xlsx(tmp_path / "merged.xlsx", header, rows)
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("AZ2:BA2")
    book.save(path)
    result = registry_import(actor=None, file=path, partial=True)
    assert result.status == "partial"
    assert not Household.objects.filter(household_number=rows[0][col(header, "户编号")]).exists()
    assert Household.objects.count() == len(households_of(header, rows)) - 1


def test_a_merged_header_is_refused(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_xlsx(tmp_path / "header.xlsx", header, rows)
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("A1:B1")
    book.save(path)
    result = _rejected(path, tmp_path)
    assert [p.code for p in result.problems] == ["merged_cells"] and result.problems[0].row == 1


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_an_empty_file(dictionaries, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    result = _rejected(path, tmp_path)
    assert result.problems[0].code == "empty_file" and "空的" in result.problems[0].message


def test_an_empty_workbook(dictionaries, tmp_path):
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    result = _rejected(path, tmp_path)
    assert result.problems[0].code == "empty_file"


def test_a_file_with_only_the_header(dictionaries, tmp_path):
    header, _rows = generated(10)
    result = _rejected(write_csv(tmp_path / "header.csv", header, []), tmp_path)
    assert [p.code for p in result.problems] == ["no_rows"]


def test_a_truncated_csv_names_the_cut_row(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_csv(tmp_path / "full.csv", header, rows)
    data = path.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(data[: data.rfind(b",", 0, len(data) - 200)])  # in the middle of the last row
    result = _rejected(cut, tmp_path)
    short = [p for p in result.problems if p.code == "short_row"]
    assert short and short[0].row == len(rows) + 1
    assert "被截断" in short[0].message


def test_a_truncated_workbook(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_xlsx(tmp_path / "full.xlsx", header, rows)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    result = _rejected(cut, tmp_path)
    assert result.problems[0].code == "bad_xlsx"
    assert "损坏" in result.problems[0].message or "不完整" in result.problems[0].message


@pytest.mark.parametrize("name,magic", [("garbage.csv", b""), ("garbage.xlsx", b"PK\x03\x04")])
def test_fifty_megabytes_of_garbage_are_refused_quickly(dictionaries, tmp_path, name, magic):
    path = tmp_path / name
    with path.open("wb") as fh:
        fh.write(magic)
        for _ in range(50):
            fh.write(os.urandom(1 << 20))
    started = time.perf_counter()
    result = _rejected(path, tmp_path)
    assert time.perf_counter() - started < 30
    assert result.problems[0].code in ("not_text", "bad_xlsx")
    assert "无法识别" in result.problems[0].message or "不是" in result.problems[0].message


def test_fifty_megabytes_of_printable_garbage_fail_at_the_header(dictionaries, tmp_path):
    path = tmp_path / "letters.csv"
    line = (b"lorem,ipsum,dolor,sit,amet\n" * 1000)
    with path.open("wb") as fh:
        for _ in range(50 * 1024 * 1024 // len(line)):
            fh.write(line)
    result = _rejected(path, tmp_path)
    assert result.problems[0].code == "wrong_headers"


def test_formulas_instead_of_values(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_xlsx(tmp_path / "formula.xlsx", header, rows)
    book = openpyxl.load_workbook(path)
    letter = openpyxl.utils.get_column_letter(col(header, "务工时间（月）") + 1)
    book.active[f"{letter}3"] = "=1+2"
    book.save(path)
    result = _rejected(path, tmp_path)
    formula = [p for p in result.problems if p.code == "formula"]
    assert formula and (formula[0].row, formula[0].column) == (3, "务工时间（月）")
    assert "公式" in formula[0].message and "=1+2" in formula[0].message


def test_a_duplicated_row_within_a_household(dictionaries, tmp_path):
    header, rows = generated(10)
    rows.insert(1, list(rows[0]))
    result = _rejected(write_csv(tmp_path / "dup.csv", header, rows), tmp_path)
    codes = {p.code for p in result.problems}
    assert "duplicate_in_household" in codes
    assert any("出现2次" in p.message for p in result.problems)


def test_a_household_repeated_further_down_the_file(dictionaries, tmp_path):
    header, rows = generated(10)
    block = households_of(header, rows)[rows[0][col(header, "户编号")]]
    rows.extend(list(r) for r in block)
    result = _rejected(write_csv(tmp_path / "again.csv", header, rows), tmp_path)
    repeated = [p for p in result.problems if p.code == "household_repeated"]
    assert [p.row for p in repeated] == [2, len(rows) - len(block) + 2]
    assert "不相连的多处" in repeated[0].message


def test_an_old_xls_workbook(dictionaries, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    result = _rejected(path, tmp_path)
    assert result.problems[0].code == "xls_not_supported" and ".xlsx" in result.problems[0].message


def test_id_numbers_that_excel_turned_into_numbers(dictionaries, tmp_path):
    header, rows = generated(10)
    path = write_xlsx(tmp_path / "numbers.xlsx", header, rows)
    book = openpyxl.load_workbook(path)
    letter = openpyxl.utils.get_column_letter(col(header, "证件号码") + 1)
    cell = book.active[f"{letter}2"]
    cell.value = int(cell.value[:18]) if cell.value[:18].isdigit() else 210922195912270564
    book.save(path)
    result = _rejected(path, tmp_path)
    lost = [p for p in result.problems if p.code == "number_precision"]
    assert lost and lost[0].row == 2 and "文本" in lost[0].message


def test_a_gbk_csv_from_excel_on_chinese_windows_is_read(dictionaries, tmp_path):
    header, rows = generated(10)
    result = registry_import(actor=None, file=write_csv(tmp_path / "gbk.csv", header, rows, encoding="gb18030"))
    assert result.status == "imported" and counts() == (len(households_of(header, rows)), len(rows))
