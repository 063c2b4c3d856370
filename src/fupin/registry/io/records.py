"""From file rows to checked household records.

Rows of one household sit together (the national export lists a household's members one after the
other, the household columns repeated on each row). `HouseholdReader.feed` collects them; when the
户编号 changes, the block is parsed, completed (what the national layout leaves out is derived: the
certificate type from the number's length, sex and birth date from the ID number, 在户 as the
person's status), checked by `registry/validation.py` (`validate_record`, the same rules as the
pages) and by the importer's own checks (the village exists, the year is not frozen, values fit the
database), and handed on as staging rows, or as problems naming row, column and reason.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import polars as pl

from fupin.registry import income, schema
from fupin.registry.io import columnar
from fupin.registry.io.layout import Layout, normalise
from fupin.registry.io.problems import ImportProblem
from fupin.registry.io.xlsx import CellError, Formula, Number
from fupin.registry.models import Household, Person
from fupin.registry.schema import HOUSEHOLD, PERSON, FieldSpec
from fupin.registry.validation import CodeLists, Problem, id_birth_date, id_sex, parse_value, validate_record

# Values that repeat down a column (codes, yes/no, dates) are parsed once; money rarely repeats.
_CACHE_LIMIT = 20_000
# Rows checked together by the vectorised path: large enough for column-wise work to pay, small
# enough to bound the memory a batch holds.
BATCH_ROWS = 20_000
_UNCACHED = frozenset({"str", "decimal"})
_ID_SHAPE = re.compile(r"^\d{17}[\dX]")
_PLAIN_MONEY = re.compile(r"^-?\d{1,12}\.\d\d$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Status of a new household when the file has no 户状态 column, from its 户类型.
_STATUS_FROM_TYPE = {"1": "registered", "2": "exited"}

# The columns the importer writes: every stored field except the keys, the links kept by other
# capabilities (pairing cadre) and the bookkeeping the merge sets.
HOUSEHOLD_COLUMNS = [f.name for f in Household._meta.concrete_fields
                     if f.name not in ("id", "year", "household_number", "village", "pairing_cadre", "version",
                                       "created_at", "updated_at")]
PERSON_COLUMNS = [f.name for f in Person._meta.concrete_fields
                  if f.name not in ("id", "household", "year", "person_number")]
_JSON = {"other_causes", "risk_types"}
_MAX_LENGTH = {**{(HOUSEHOLD, f.name): f.max_length for f in Household._meta.concrete_fields if f.max_length},
               **{(PERSON, f.name): f.max_length for f in Person._meta.concrete_fields if f.max_length}}
_MAX_MONEY = {f.name: Decimal(10) ** (f.max_digits - f.decimal_places) for f in Household._meta.concrete_fields
              if getattr(f, "max_digits", None)}
# Household fields changed only through the lifecycle (状态变更), never by re-importing a household.
LIFECYCLE_FIELDS = ("status", "exit_year", "household_type")
# Derived columns nothing reads back.
_NOT_PARSED = frozenset({"household_number", "age", "pairing_cadre_name"})
# Person fields always written: derived from the ID number or defaulted when the file lacks them.
PERSON_ALWAYS = ("id_type", "sex", "birth_date", "status")


@dataclass(frozen=True)
class VillageInfo:
    pk: int
    code: str
    name: str
    township: str
    county: str


@dataclass
class Context:
    """What checking a row needs to know, gathered once per import."""

    year: int
    codes: CodeLists
    allowed_prefixes: list[str] | None  # None: every area (system actor)
    villages: dict[str, VillageInfo]
    frozen_counties: frozenset[str] = frozenset()
    by_name: dict[str, list[VillageInfo]] = field(default_factory=dict)

    def __post_init__(self):
        if not self.by_name:
            for v in self.villages.values():
                self.by_name.setdefault(village_key(v.name), []).append(v)


def village_key(name: str) -> str:
    """Village names compared without the committee suffix: 富有村委会 = 富有村 = 富有村民委员会."""
    name = normalise(name)
    for suffix in ("村民委员会", "村委会"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + "村"
    return name


@dataclass
class Staged:
    """One valid household, as rows for the staging tables."""

    household: tuple
    persons: list[tuple]


class _Converter:
    """Cell → typed value for one column, with the field's parsing rules and a cache (the same codes,
    dates and yes/no answers repeat down a column)."""

    __slots__ = ("spec", "codes", "cache")

    def __init__(self, spec: FieldSpec, codes: CodeLists):
        self.spec = spec
        self.codes = codes
        self.cache: dict[str, tuple] = {}

    def entry(self, index: int) -> tuple:
        """(column index, field name, plain text?, cache, self) for the hot loop of `_parse`."""
        return index, self.spec.name, self.spec.type == "str", self.cache, self

    def __call__(self, raw) -> tuple[object, str, str]:
        """(value, problem message or "", problem code)."""
        if type(raw) is str:
            if self.spec.type == "str":
                return raw.strip(), "", ""
            if self.spec.type == "decimal" and _PLAIN_MONEY.match(raw):
                return Decimal(raw), "", ""  # what parse_value gives for "1234.50", without its rounding step
            hit = self.cache.get(raw)
            if hit is None:
                value, problem = parse_value(self.spec, raw, self.codes)
                hit = (value, problem.message if problem else "", problem.code if problem else "")
                if self.spec.type not in _UNCACHED and len(self.cache) < _CACHE_LIMIT:
                    self.cache[raw] = hit
            return hit
        return self._special(raw)

    def _special(self, raw) -> tuple[object, str, str]:
        label = self.spec.label
        if isinstance(raw, Formula):
            return None, f"{label}：单元格是公式（{raw[:60]}），请复制后“选择性粘贴为数值”再导入", "formula"
        if isinstance(raw, CellError):
            return None, f"{label}：单元格是错误值 {raw}", "cell_error"
        if isinstance(raw, Number):
            return self._number(str(raw))
        return self(str(raw))

    def _number(self, text: str) -> tuple[object, str, str]:
        spec = self.spec
        try:
            number = Decimal(text)
        except InvalidOperation:
            return self(text)
        if spec.type == "date":
            if number != number.to_integral_value() or not 1 <= number <= 2958465:
                return None, f"{spec.label}：“{text}”不是日期", "bad_format"
            return _EXCEL_EPOCH + dt.timedelta(days=int(number)), "", ""
        if spec.type in ("str", "code", "codes", "choice"):
            if number != number.to_integral_value():
                return self(text)
            digits = len(str(abs(int(number))))
            if digits > 15:
                return None, (f"{spec.label}：Excel把这一列存成了数字，超过15位的部分已丢失（{text}）；"
                              "请把该列设为“文本”格式后重新录入"), "number_precision"
            text = str(int(number))
            if spec.type in ("code", "codes") and self.codes.lookup(spec.dictionary, text) is None:
                padded = text.zfill(2)
                if self.codes.lookup(spec.dictionary, padded) is not None:
                    text = padded
        return self(text)


def _row_problem(problems: list[ImportProblem], row: int, column: str, message: str, code: str,
                 household: str, person: str = "") -> None:
    problems.append(ImportProblem(row, column, message, code, household, person))


class HouseholdReader:
    """Collects the rows of each household and turns every finished block into `Staged` rows
    (through `accept`) or problems (through `reject`)."""

    def __init__(self, layout: Layout, context: Context, *, accept: Callable[[Staged], None],
                 reject: Callable[[str, list[ImportProblem], int], None], strict_width: bool = False,
                 vectorised: bool = False, accept_frames: Callable[[pl.DataFrame, pl.DataFrame], None] | None = None):
        self.layout = layout
        self.strict_width = strict_width
        # Finished blocks wait here to be checked a batch at a time (columnar.py); None: one at a time.
        self.pending: list[tuple[str, list[tuple[int, list]]]] | None = [] if vectorised else None
        self.pending_rows = 0
        # The staging rows of the households columnar.py proves clean, as frames (None: as `Staged` rows).
        self.accept_frames = accept_frames or self._accept_rows
        self.carry: pl.DataFrame | None = None  # feed_frame: the rows of a household the next batch continues
        self.starts: list[pl.DataFrame] = []  # feed_frame: 户编号 and first row of each household
        self.ctx = context
        self.accept = accept
        self.reject = reject
        self.width = len(layout.header)
        self.hn_index = layout.household["household_number"]
        self.pn_index = layout.person["person_number"]
        self.h_conv = [_Converter(spec, context.codes).entry(i) for i, spec in layout.household_specs()
                       if spec.name not in _NOT_PARSED]
        self.p_conv = [_Converter(spec, context.codes).entry(i) for i, spec in layout.person_specs()
                       if spec.name not in _NOT_PARSED]
        # Coded values come from the dictionaries and fit their columns; free text may not.
        self.h_limits = [(n, layout.header_of(HOUSEHOLD, n), _MAX_LENGTH[(HOUSEHOLD, n)], schema.field(HOUSEHOLD, n).label)
                         for n in layout.household if (HOUSEHOLD, n) in _MAX_LENGTH and n != "household_number"
                         and schema.field(HOUSEHOLD, n).type == "str"]
        self.p_limits = [(n, layout.header_of(PERSON, n), _MAX_LENGTH[(PERSON, n)], schema.field(PERSON, n).label)
                         for n in layout.person if (PERSON, n) in _MAX_LENGTH and n != "household_number"
                         and schema.field(PERSON, n).type == "str"]
        self.h_money = [(n, layout.header_of(HOUSEHOLD, n), _MAX_MONEY[n], schema.field(HOUSEHOLD, n).label)
                        for n in layout.household if n in _MAX_MONEY]
        self.h_indices = sorted(set(layout.household.values()))
        self.h_pick = (operator.itemgetter(*self.h_indices) if len(self.h_indices) > 1
                       else (lambda cells, i=self.h_indices[0]: (cells[i],)))
        self.current: str | None = None
        self.block: list[tuple[int, list]] = []
        self.seen: dict[str, int] = {}  # 户编号 → first row of its block
        self.repeated: dict[str, list[int]] = {}  # 户编号 → first rows of every block, when more than one
        self.households = 0
        self.rows = 0
        self.known: dict[int, list[tuple[str, str, str]]] = {}
        absent = [n for n in ("id_type", "sex", "birth_date") if n not in layout.person]
        self.derived_absent = frozenset(absent)
        present = set(layout.household) & set(HOUSEHOLD_COLUMNS)
        present -= set(LIFECYCLE_FIELDS)
        present.add("member_count")
        if layout.has_income:
            present |= set(income.INPUTS) | set(income.COMPUTED)
        elif "per_capita_net_income" in layout.household:
            present.add("per_capita_net_income")
        self.household_present = sorted(present & set(HOUSEHOLD_COLUMNS))
        self.person_present = sorted((set(layout.person) | set(PERSON_ALWAYS)) & set(PERSON_COLUMNS))

    def _repeats_header(self, cells: list) -> bool:
        header = self.layout.header
        return (len(cells) > max(self.hn_index, self.pn_index) and cells[self.hn_index] == header[self.hn_index]
                and cells[self.pn_index] == header[self.pn_index])

    def known_problems(self, rows, column: str, message: str, code: str) -> None:
        """Problems found before the rows are read (merged cells), attached to those rows."""
        for row in rows:
            self.known.setdefault(row, []).append((column, message, code))

    # ---------------------------------------------------------------------------------- grouping
    def feed(self, row: int, cells: list) -> None:
        if not any(type(c) is not str or c.strip() for c in cells):
            return  # blank rows are skipped
        if self._repeats_header(cells):
            return  # a list printed page by page repeats its header
        self.rows += 1
        hn = _key(cells[self.hn_index]) if self.hn_index < len(cells) else ""
        if hn != self.current and self.block:
            self._finish()
        self.current = hn
        self.block.append((row, cells))

    def close(self) -> None:
        if self.block:
            self._finish()
        self.settle()

    def settle(self) -> None:
        """Check the blocks waiting for their batch: the clean ones staged from the batch checks, the
        others through `_household`."""
        if not self.pending:
            return
        blocks, self.pending, self.pending_rows = self.pending, [], 0
        whole = self._whole(blocks)
        others = [block for k, block in enumerate(blocks) if k not in whole]
        if whole:
            rows = [(k, row, cells) for k in whole for row, cells in blocks[k][1]]
            frame = pl.DataFrame({**{f"c{i}": pl.Series([r[2][i] for r in rows], dtype=pl.String)
                                     for i in range(self.width)},
                                  "row": [r[1] for r in rows], "_h": [r[0] for r in rows]},
                                 schema_overrides={"row": pl.Int64, "_h": pl.Int64})
            screened = columnar.screen(self, frame)
            self.accept_frames(screened.households, screened.persons)
            others += [blocks[k] for k in screened.others]
        for hn, block in others:
            self._check(hn, block)

    def _whole(self, blocks) -> set[int]:
        """Blocks of whole rows of text with nothing found before reading: the ones the batch checks take."""
        width, known = self.width, self.known
        return {k for k, (hn, block) in enumerate(blocks)
                if hn and all(len(cells) == width and row not in known and all(type(c) is str for c in cells)
                              for row, cells in block)}

    def _check(self, hn: str, block: list[tuple[int, list]]) -> None:
        problems: list[ImportProblem] = []
        staged = self._household(hn, block, problems)
        if problems or staged is None:
            self.reject(hn, problems, len(block))
        else:
            self.accept(staged)

    def _accept_rows(self, households: pl.DataFrame, persons: pl.DataFrame) -> None:
        """Staging frames handed on as `Staged` rows (for callers that take rows only)."""
        by_household: dict[str, list[tuple]] = {}
        for row in persons.iter_rows():
            by_household.setdefault(row[1], []).append(row)
        for row in households.iter_rows():
            self.accept(Staged(row, by_household.get(row[2], [])))

    def feed_frame(self, frame: pl.DataFrame | None, *, last: bool = False) -> None:
        """Rows read column-wise (`c0`, `c1`, … as text and `row`), in file order, instead of `feed`;
        then None with `last`. A household cut off at the end of a batch waits for the next one."""
        cells = [pl.col(f"c{i}") for i in range(self.width)]
        if frame is not None:
            header = self.layout.header
            keys = (pl.col(f"c{self.hn_index}"), pl.col(f"c{self.pn_index}"))
            repeat = (keys[0] == header[self.hn_index]) & (keys[1] == header[self.pn_index])
            # Only a row without 户编号 and 人编号 can be blank: the other cells are looked at for those alone.
            keyless = frame.filter((keys[0].str.strip_chars() == "") & (keys[1].str.strip_chars() == ""))
            if keyless.height:
                blank = keyless.filter(~pl.any_horizontal([c.str.strip_chars() != "" for c in cells]))
                frame = frame.filter(~pl.col("row").is_in(blank.get_column("row").implode()))
            frame = frame.filter(~repeat)
        if self.carry is not None:
            frame = self.carry if frame is None else pl.concat([self.carry, frame])
            self.carry = None
        if frame is None or not frame.height:
            if last:
                self._repeats_of_frames()
            return
        hn = pl.col(f"c{self.hn_index}").str.strip_chars()
        frame = frame.with_columns(hn.rle_id().cast(pl.Int64).alias("_h"))
        if not last and frame.height:
            runs = frame.get_column("_h")
            cut = runs.search_sorted(runs[-1], side="left")  # where the last household begins
            self.carry = frame.slice(cut).drop("_h")
            frame = frame.slice(0, cut)
        if not frame.height:
            return  # one household so far, continued in the next batch
        self.rows += frame.height
        starts = frame.filter(pl.col("_h") != pl.col("_h").shift(1).fill_null(-1)).select(hn.alias("hn"), "row")
        self.households += starts.height
        self.starts.append(starts)
        if last:
            self._repeats_of_frames()
        screened = columnar.screen(self, frame)
        self.accept_frames(screened.households, screened.persons)
        if screened.others:
            blocks: dict[int, list] = {}
            picked = frame.filter(pl.col("_h").is_in(screened.others))
            for row, h, *values in picked.select("row", "_h", *cells).iter_rows():
                blocks.setdefault(h, []).append((row, values))
            for block in blocks.values():
                self._check(_key(block[0][1][self.hn_index]), block)

    def _repeats_of_frames(self) -> None:
        """`repeated` from the households fed as frames: the 户编号 met at more than one place."""
        if not self.starts:
            return
        starts = pl.concat(self.starts).filter(pl.col("hn") != "")
        self.starts = []
        twice = starts.filter(pl.col("hn").is_duplicated()).group_by("hn", maintain_order=True).agg("row")
        for number, rows in twice.iter_rows():
            self.repeated[number] = rows

    def _count(self, hn: str, first_row: int) -> None:
        self.households += 1
        if hn:
            if hn in self.seen:
                self.repeated.setdefault(hn, [self.seen[hn]]).append(first_row)
            else:
                self.seen[hn] = first_row

    def _finish(self) -> None:
        block, self.block = self.block, []
        hn = self.current or ""
        self._count(hn, block[0][0])
        if self.pending is not None:
            self.pending.append((hn, block))
            self.pending_rows += len(block)
            if self.pending_rows >= BATCH_ROWS:
                self.settle()
            return
        self._check(hn, block)

    # ----------------------------------------------------------------------------------- parsing
    def _household(self, hn: str, block: list[tuple[int, list]], problems: list[ImportProblem]) -> Staged | None:
        layout, ctx = self.layout, self.ctx
        header = layout.header
        first_row, first = block[0]
        if not hn:
            for row, _cells in block:
                _row_problem(problems, row, header[self.hn_index], "户编号：不能为空", "required", "")
            return None
        cells_of = []
        for row, cells in block:
            for column, message, code in self.known.get(row, ()):
                _row_problem(problems, row, column, message, code, hn)
            n = len(cells)
            if n < self.width:
                if self.strict_width:
                    _row_problem(problems, row, header[n], f"这一行只有{n}列，少于表头的{self.width}列"
                                 "（文件可能被截断，或这一行的格式不对）", "short_row", hn)
                cells = list(cells) + [""] * (self.width - n)
            elif n > self.width and any(type(c) is not str or c.strip() for c in cells[self.width:]):
                _row_problem(problems, row, "", f"这一行在第{self.width}列之后还有内容，但这些列没有表头",
                             "extra_cells", hn)
            cells_of.append((row, cells))
        for index in layout.ignored:
            for row, cells in cells_of:
                if type(cells[index]) is not str or cells[index].strip():
                    _row_problem(problems, row, f"第{index + 1}列", f"第{index + 1}列没有表头，但这一行在该列有内容",
                                 "no_header", hn)
        first = cells_of[0][1]
        values: dict = {"household_number": hn, "year": ctx.year}
        self._parse(first, self.h_conv, values, problems, first_row, hn)
        pick = self.h_pick
        key = pick(first)
        for row, cells in cells_of[1:]:
            if pick(cells) != key:
                differ = [header[i] for i in self.h_indices if cells[i] != first[i]]
                _row_problem(problems, row, differ[0], f"户信息与本户第{first_row}行不一致（{'、'.join(differ)}），"
                             "同一户各行的户信息应相同", "household_inconsistent", hn)
        members = []
        rows_by_person: dict[str, int] = {}
        for row, cells in cells_of:
            person = {"household_number": hn}
            self._parse(cells, self.p_conv, person, problems, row, hn, self.pn_index)
            self._complete_person(person)
            rows_by_person.setdefault(str(person.get("person_number") or person.get("name") or ""), row)
            members.append((row, person))
        self._complete_household(values, [p for _r, p in members])
        village = self._village(values, first_row, problems, hn)
        if village is not None and village.code[:6] + "000000" in ctx.frozen_counties:
            _row_problem(problems, first_row, layout.header_of(HOUSEHOLD, "year"),
                         f"{ctx.year}年度已封存（{village.county}），不能导入；如确需更正，请县级管理员先解除封存",
                         "year_frozen", hn)
        self._check_fits(values, [(r, p) for r, p in members], problems, hn, first_row)
        found = validate_record(values, [p for _r, p in members], ctx.codes, year=ctx.year,
                                allowed_prefixes=ctx.allowed_prefixes)
        for p in found:
            if p.code == "required" and (p.field in self.derived_absent or p.field == "village" and village is None):
                continue
            problems.append(self._locate(p, hn, first_row, rows_by_person))
        if problems or village is None:
            return None
        return self._staged(hn, block, values, members, village)

    def _parse(self, cells: list, entries: list, out: dict, problems: list[ImportProblem], row: int, hn: str,
               person_index: int | None = None) -> None:
        for index, name, plain, cache, conv in entries:
            raw = cells[index]
            if type(raw) is str:
                if plain:
                    out[name] = raw.strip()
                    continue
                hit = cache.get(raw)
                if hit is None:
                    hit = conv(raw)
            else:
                hit = conv(raw)
            out[name] = hit[0]
            if hit[1]:
                person = _key(cells[person_index]) if person_index is not None else ""
                _row_problem(problems, row, self.layout.header[index], hit[1], hit[2], hn, person)

    def _complete_person(self, person: dict) -> None:
        number = str(person.get("id_number") or "").strip().upper()
        person["id_number"] = number
        if not person.get("id_type"):
            person["id_type"] = {20: schema.ID_TYPE_DISABILITY_20, 22: schema.ID_TYPE_DISABILITY_22}.get(
                len(number), schema.ID_TYPE_RESIDENT)
        if _ID_SHAPE.match(number):
            try:
                birth = id_birth_date(number)
            except ValueError:
                birth = None
            if birth and not person.get("birth_date"):
                person["birth_date"] = birth
            if not person.get("sex"):
                person["sex"] = id_sex(number)
        if not person.get("status"):
            person["status"] = "active"
        if person.get("migrant_work_months") in (None, ""):
            person["migrant_work_months"] = 0

    def _complete_household(self, values: dict, members: list[dict]) -> None:
        if not values.get("status"):
            values["status"] = _STATUS_FROM_TYPE.get(values.get("household_type") or "", "candidate")
        given_year = values.get("year")
        if "year" in self.layout.household:
            values["_file_year"] = given_year
        values["year"] = self.ctx.year

    def _village(self, values: dict, row: int, problems: list[ImportProblem], hn: str) -> VillageInfo | None:
        ctx, layout = self.ctx, self.layout
        if "village" in layout.household:
            code = str(values.get("village") or "").strip()
            if not code:
                return None  # validate_record says it is required
            info = ctx.villages.get(code)
            if info is None and code.isdigit() and len(code) == 12:
                _row_problem(problems, row, layout.header_of(HOUSEHOLD, "village"),
                             f"行政村代码：“{code}”不是现行的行政村区划代码", "unknown_village", hn)
            return info
        name = str(values.get("village_name") or "").strip()
        column = layout.header_of(HOUSEHOLD, "village_name")
        if not name:
            _row_problem(problems, row, column, "行政村：不能为空", "required", hn)
            return None
        candidates = ctx.by_name.get(village_key(name), [])
        township = normalise(values.get("township_name") or "")
        county = normalise(values.get("county_name") or "")
        if township:
            candidates = [v for v in candidates if normalise(v.township) == township]
        if county:
            candidates = [v for v in candidates if normalise(v.county) == county]
        if len(candidates) == 1:
            values["village"] = candidates[0].code
            return candidates[0]
        where = "".join(x for x in (values.get("county_name"), values.get("township_name")) if x)
        if not candidates:
            _row_problem(problems, row, column, f"找不到行政村“{where}{name}”（不在区划代码中，或不在您的管辖范围内）",
                         "unknown_village", hn)
        else:
            _row_problem(problems, row, column, f"行政村“{where}{name}”不唯一（{len(candidates)}个同名村），"
                         f"请增加“乡(镇)”列或“行政村代码”列", "ambiguous_village", hn)
        return None

    def _check_fits(self, values: dict, members: list[tuple[int, dict]], problems: list[ImportProblem],
                    hn: str, first_row: int) -> None:
        """What the database would refuse and validation.py does not look at: lengths, magnitudes,
        the year, and the derived columns the file gives (户主姓名, 危房户) against the members."""
        layout, ctx = self.layout, self.ctx
        file_year = values.pop("_file_year", None)
        if file_year not in (None, "") and file_year != ctx.year:
            _row_problem(problems, first_row, layout.header_of(HOUSEHOLD, "year"),
                         f"年度：文件中为{file_year}，与本次导入的年度{ctx.year}不一致", "year_mismatch", hn)
        for name, column, limit, label in self.h_limits:
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                _row_problem(problems, first_row, column, f"{label}：最长{limit}个字，实际{len(value)}个字", "too_long", hn)
        for name, column, bound, label in self.h_money:
            value = values.get(name)
            if isinstance(value, Decimal) and abs(value) >= bound:
                _row_problem(problems, first_row, column, f"{label}：{value} 超出可记录的范围", "too_large", hn)
        for row, person in members:
            for name, column, limit, label in self.p_limits:
                value = person.get(name)
                if isinstance(value, str) and len(value) > limit:
                    _row_problem(problems, row, column, f"{label}：最长{limit}个字，实际{len(value)}个字", "too_long",
                                 hn, str(person.get("person_number") or ""))
        head_name = values.get("head_name")
        if head_name:
            heads = [p for _r, p in members if p.get("relation") == schema.HEAD_RELATION
                     and p.get("status") == "active"]
            if len(heads) == 1 and heads[0].get("name") and heads[0]["name"] != head_name:
                _row_problem(problems, first_row, layout.header_of(HOUSEHOLD, "head_name"),
                             f"户主姓名“{head_name}”与户主成员“{heads[0]['name']}”不一致", "head_name_mismatch", hn)
        dangerous = values.get("is_dangerous_house")
        if dangerous is not None and "housing_grade" in layout.household and values.get("housing_grade"):
            expected = values["housing_grade"] in schema.DANGEROUS_HOUSING_GRADES
            if dangerous != expected:
                _row_problem(problems, first_row, layout.header_of(HOUSEHOLD, "is_dangerous_house"),
                             f"危房户：填写为“{'是' if dangerous else '否'}”，但住房安全等级为"
                             f"{ctx.codes.label('housing_grade', values['housing_grade'])}", "dangerous_mismatch", hn)

    def _locate(self, p: Problem, hn: str, first_row: int, rows_by_person: dict[str, int]) -> ImportProblem:
        row = rows_by_person.get(p.record, first_row) if p.entity == PERSON else first_row
        person = p.record if p.entity == PERSON and p.record in rows_by_person and p.record != hn else ""
        return ImportProblem(row, self.layout.header_of(p.entity, p.field), p.message, p.code, hn, person)

    # ----------------------------------------------------------------------------------- staging
    def _staged(self, hn: str, block, values: dict, members: list[tuple[int, dict]], village: VillageInfo) -> Staged:
        active = sum(1 for _r, p in members if p.get("status") == "active")
        values["member_count"] = active
        if self.layout.has_income:
            values.update(income.compute_income(values, active))
        get = values.get
        row = [block[0][0], block[-1][0], hn, village.pk]
        row += [(_json(get(name)) if name in _JSON else value if (value := get(name)) is not None else default)
                for name, default in _H_DEFAULTS]
        persons = [tuple([r, hn, p["person_number"], *[value if (value := p.get(name)) is not None else default
                                                       for name, default in _P_DEFAULTS]])
                   for r, p in members]
        return Staged(tuple(row), persons)


def _key(raw) -> str:
    """户编号/人编号 as text (a number Excel kept exactly becomes its digits)."""
    if isinstance(raw, Number):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return str(raw).strip()
        if number == number.to_integral_value() and len(str(abs(int(number)))) <= 15:
            return str(int(number))
        return str(raw).strip()
    return str(raw or "").strip()


def _default(model, name):
    f = model._meta.get_field(name)
    if f.has_default():
        value = f.get_default()
        return str(value) if isinstance(value, str) else value
    return None if f.null else ""


_DEFAULTS = {name: _default(Household, name) for name in HOUSEHOLD_COLUMNS
             if not Household._meta.get_field(name).null}
_PERSON_DEFAULTS = {name: _default(Person, name) for name in PERSON_COLUMNS}
_H_DEFAULTS = [(name, _DEFAULTS.get(name)) for name in HOUSEHOLD_COLUMNS]
_P_DEFAULTS = [(name, _PERSON_DEFAULTS.get(name)) for name in PERSON_COLUMNS]


def _json(value) -> str:
    return json.dumps(list(value)) if value else "[]"
