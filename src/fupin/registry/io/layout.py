"""The columns of a registry file: which header feeds which field of `registry/schema.py`.

A file in the national export layout (全国扶贫开发信息系统, 2022: the exact Chinese headers of
`schema.NATIONAL_LAYOUT`) may carry our extra columns too (the `label` of fields without a national
header, `schema.EXTRA_COLUMNS`), in any order. Headers are compared after dropping spaces and line
breaks and treating full-width and half-width brackets alike, so “县（市、区、旗）” is “县(市、区、旗)”.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fupin.registry import income, schema
from fupin.registry.schema import HOUSEHOLD, PERSON, FieldSpec

# Without these a row cannot be placed or checked.
REQUIRED = ("户编号", "人编号", "姓名", "证件号码", "与户主关系")
# The village is given by its code (our column) or by its names (the national columns).
VILLAGE_CODE_HEADER = schema.field(HOUSEHOLD, "village").header
VILLAGE_NAME_HEADER = schema.field(HOUSEHOLD, "village_name").header
YEAR_HEADER = schema.field(HOUSEHOLD, "year").header
_TRANSLATE = str.maketrans({"（": "(", "）": ")", " ": "", "\u3000": "", "\n": "", "\r": "", "\t": "",
                            "\ufeff": ""})


def normalise(header: str) -> str:
    return str(header or "").translate(_TRANSLATE)


def _catalogue() -> dict[str, dict[str, FieldSpec]]:
    """normalised header → {entity: spec}; 户编号 and 年度 feed both the household and the person."""
    out: dict[str, dict[str, FieldSpec]] = {}
    for spec in schema.ALL_FIELDS:
        out.setdefault(normalise(spec.header), {})[spec.entity] = spec
    return out


CATALOGUE = _catalogue()


@dataclass
class Layout:
    """Where each field sits in the rows of one file."""

    header: list[str]
    household: dict[str, int] = field(default_factory=dict)  # field name → column index
    person: dict[str, int] = field(default_factory=dict)
    ignored: list[int] = field(default_factory=list)  # columns with an empty header

    def header_of(self, entity: str, name: str) -> str:
        index = (self.household if entity == HOUSEHOLD else self.person).get(name)
        return self.header[index] if index is not None else schema.field(entity, name).header

    @property
    def has_income(self) -> bool:
        return all(n in self.household for n in income.INPUTS)

    def household_specs(self) -> list[tuple[int, FieldSpec]]:
        return [(i, schema.field(HOUSEHOLD, n)) for n, i in self.household.items()]

    def person_specs(self) -> list[tuple[int, FieldSpec]]:
        return [(i, schema.field(PERSON, n)) for n, i in self.person.items()]


def looks_like_header(cells: list[str]) -> bool:
    """A row is the header if it names the columns that identify a person."""
    names = {normalise(c) for c in cells}
    return all(h in names for h in ("户编号", "人编号", "证件号码"))


def describe(cells: list[str]) -> str:
    """Why a row is not a usable header, for the message when no row is."""
    names = {normalise(c) for c in cells if str(c).strip()}
    if not names:
        return "第一行是空的，应为表头（户编号、人编号、姓名、证件号码……）"
    missing = [h for h in REQUIRED if normalise(h) not in names]
    shown = "、".join(str(c).strip() for c in cells if str(c).strip())
    if len(shown) > 120:
        shown = shown[:120] + "……"
    return f"表头缺少必需的列：{'、'.join(missing)}（找到的表头为：{shown}）"


class LayoutProblems(Exception):
    def __init__(self, problems: list[tuple[str, str, str]]):
        super().__init__("；".join(message for _c, message, _code in problems))
        self.problems = problems  # (column header, message, code)


def build(header: list[str], *, year_given: bool) -> Layout:
    """The layout of a header row, or LayoutProblems naming every header problem."""
    layout = Layout(header=[str(h).strip() for h in header])
    problems: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    unknown = []
    for index, raw in enumerate(layout.header):
        key = normalise(raw)
        if not key:
            layout.ignored.append(index)
            continue
        if key in seen:
            problems.append((raw, f"表头“{raw}”出现了两次（第{seen[key] + 1}列和第{index + 1}列）", "duplicate_header"))
            continue
        seen[key] = index
        specs = CATALOGUE.get(key)
        if specs is None:
            unknown.append(raw)
            continue
        for entity, spec in specs.items():
            (layout.household if entity == HOUSEHOLD else layout.person)[spec.name] = index
    for raw in unknown:
        problems.append((raw, f"无法识别的表头“{raw}”：不是国扶系统导出格式或本系统扩展列中的列名", "unknown_header"))
    for required in REQUIRED:
        if normalise(required) not in seen:
            problems.append((required, f"缺少必需的列“{required}”", "missing_header"))
    if VILLAGE_CODE_HEADER not in seen and VILLAGE_NAME_HEADER not in seen:
        problems.append((VILLAGE_NAME_HEADER, f"缺少行政村：需要“{VILLAGE_CODE_HEADER}”列，或“{VILLAGE_NAME_HEADER}”列"
                         "（可加“乡(镇)”“县(市、区、旗)”列帮助区分同名村）", "missing_header"))
    if not year_given and YEAR_HEADER not in seen:
        problems.append((YEAR_HEADER, "缺少年度：文件中没有“年度”列，请在导入时指定年度", "missing_year"))
    present = [n for n in income.INPUTS if n in layout.household]
    if present and len(present) < len(income.INPUTS):
        missing = [schema.field(HOUSEHOLD, n).header for n in income.INPUTS if n not in layout.household]
        problems.append((missing[0], "收入核算列不完整：有收入明细列时须同时提供" + "、".join(
            schema.field(HOUSEHOLD, n).header for n in income.INPUTS) + f"（缺少{'、'.join(missing)}）",
            "partial_income"))
    if problems:
        raise LayoutProblems(problems)
    return layout
