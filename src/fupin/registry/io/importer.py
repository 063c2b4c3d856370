"""批量导入: the registry import service.

`registry_import(actor=..., file=..., year=...)` reads a file in the national export layout (plus our
extra columns), checks every row, and writes set-based. Atomic by default: one invalid row and
nothing is written; `partial=True` writes the valid households (a household with any invalid member
is invalid as a whole) and reports the rest. Re-importing upserts by (年度, 户编号) and (年度, 人编号).

What is wrong with the file is the import's result, not an exception: the returned `ImportResult`
lists the problems (row, column, reason), and `write_error_workbook` turns them into the 错误清单
workbook. Exceptions are for what is not about the file: no right to import at all.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from fupin.accounts.access import actor_prefixes, require
from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.registry import schema
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.io import layout as layouts
from fupin.registry.io.direct import Direct
from fupin.registry.io.problems import ImportProblem, ProblemLog, write_error_workbook
from fupin.registry.io.records import LIFECYCLE_FIELDS, Context, HouseholdReader, Staged, VillageInfo
from fupin.registry.io.sources import NotPlain, SourceError, open_source
from fupin.registry.io.staging import Stage
from fupin.registry.io.xlsx import column_letters
from fupin.registry.models import RegistryYear
from fupin.registry.services import registry_year_get_or_create

BATCH_PERSONS = 5000
# Plain CSV files are read and checked column-wise (sources.plain_frames, columnar.py); False reads
# every file with the csv module and checks households row by row (tests compare both ways).
COLUMNWISE_CSV = True
# A year's first import is written straight into the registry tables (direct.py); False stages it
# like any other (tests compare both ways).
DIRECT_FIRST_IMPORT = True
PROGRESS_SECONDS = 1.0
Progress = Callable[[int, int, str], None]


class _Rollback(Exception):
    pass


@dataclass
class ImportResult:
    file_name: str = ""
    format: str = ""
    sheet: str = ""
    year: int | None = None
    partial: bool = False
    status: str = "rejected"  # imported | partial | rejected
    rows: int = 0
    households: int = 0
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    persons_created: int = 0
    persons_updated: int = 0
    persons_unchanged: int = 0
    households_rejected: int = 0
    rows_rejected: int = 0
    households_with_problems: int = 0
    problem_count: int = 0
    seconds: float = 0.0
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "imported"

    @property
    def written(self) -> int:
        return self.households_created + self.households_updated

    @property
    def message(self) -> str:
        if self.status == "rejected" and not self.rows:
            first = self.problems[0].message if self.problems else "文件无法读取"
            return f"未导入：{first}"
        if self.status == "rejected":
            return (f"未导入：共{self.rows}行、{self.households}户，发现{self.problem_count}个问题"
                    f"（涉及{self.households_with_problems}户）；整批导入要求全部正确，未写入任何数据")
        text = (f"{self.year}年度：新增{self.households_created}户{self.persons_created}人，"
                f"更新{self.households_updated}户{self.persons_updated}人，未变{self.households_unchanged}户")
        if self.status == "partial":
            text += f"；另有{self.households_rejected}户（{self.rows_rejected}行）有问题未导入，共{self.problem_count}个问题"
        return text

    def as_dict(self, *, problems: int = 50) -> dict:
        keys = ("file_name", "format", "sheet", "year", "partial", "status", "rows", "households",
                "households_created", "households_updated", "households_unchanged", "persons_created",
                "persons_updated", "persons_unchanged", "households_rejected", "rows_rejected", "households_with_problems", "problem_count",
                "seconds")
        out = {k: getattr(self, k) for k in keys}
        out["message"] = self.message
        out["problems"] = [p.as_dict() for p in self.problems[:problems]]
        return out

    def summary(self) -> list[tuple[str, str]]:
        mode = "部分导入（导入无误的户，报告其余）" if self.partial else "整批导入（全部无误才写入）"
        return [("文件", self.file_name), ("格式", f"{self.format} {self.sheet}".strip()), ("年度", str(self.year or "")),
                ("导入方式", mode), ("结果", self.message), ("问题数", str(self.problem_count))]


def import_error_workbook(result: ImportResult, path) -> Path:
    """Write the 错误清单 workbook of an import (row, column, household, person, reason)."""
    path = Path(path)
    write_error_workbook(path, sorted(result.problems, key=lambda p: (p.row or 0, p.column)),
                         total=result.problem_count, summary=result.summary())
    return path


def _villages() -> dict[str, VillageInfo]:
    names = dict(Area.objects.current().filter(level__in=(AreaLevel.COUNTY, AreaLevel.TOWNSHIP)).values_list(
        "code", "name"))
    out = {}
    for pk, code, name in Area.objects.current().filter(level=AreaLevel.VILLAGE).values_list("pk", "code", "name"):
        out[code] = VillageInfo(pk, code, name, names.get(code[:9] + "000", ""), names.get(code[:6] + "000000", ""))
    return out


def _first_year(source, layout) -> tuple[int | None, list]:
    """The 年度 of the first data row, and the rows read to find it (to be fed again)."""
    index = layout.household.get("year")
    seen = []
    for row, cells in source.rows:
        seen.append((row, cells))
        if index is not None and index < len(cells) and str(cells[index]).strip():
            text = str(cells[index]).strip()
            try:
                return int(float(text)), seen
            except ValueError:
                return None, seen
        if any(str(c).strip() for c in cells):
            return None, seen
    return None, []  # no data row at all


class _Importer:
    def __init__(self, *, actor, year: int | None, partial: bool, progress: Progress | None, result: ImportResult):
        self.actor = actor
        self.system = actor is None
        self.year = year
        self.partial = partial
        self.progress = progress
        self.result = result
        self.log = ProblemLog()
        self.batch_h: list[tuple] = []
        self.batch_p: list[tuple] = []
        self.writing = True
        self.stage: Stage | None = None
        self.direct: Direct | None = None  # the year's first import: kept as frames, written once
        self.target: Stage | Direct | None = None
        self.last_report = 0.0

    # --------------------------------------------------------------------------------- callbacks
    def accept(self, staged: Staged) -> None:
        if not self.writing:
            return
        self.batch_h.append(staged.household)
        self.batch_p.extend(staged.persons)
        if len(self.batch_p) >= BATCH_PERSONS:
            self.flush()

    def reject(self, hn: str, problems: list[ImportProblem], rows: int) -> None:
        self.log.extend(problems)
        if not self.partial:
            self.writing = False
            self.batch_h.clear()
            self.batch_p.clear()

    def accept_frames(self, households, persons) -> None:
        if self.writing and households.height:
            if self.direct is not None:
                self.direct.add_frames(households, persons)
            else:
                self.stage.write_frames(households, persons)

    def flush(self) -> None:
        if self.batch_h and self.writing:
            if self.direct is not None:
                self.direct.add_rows(self.batch_h, self.batch_p)
            else:
                self.stage.write(self.batch_h, self.batch_p)
        self.batch_h.clear()
        self.batch_p.clear()

    def report(self, done: int, total: int, message: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.progress and (force or now - self.last_report >= PROGRESS_SECONDS):
            self.last_report = now
            self.progress(done, total, message)

    # ------------------------------------------------------------------------------------- steps
    def run(self, fh) -> None:
        result = self.result
        self.fh = fh
        try:
            source = open_source(fh, is_header=layouts.looks_like_header, describe_header=layouts.describe)
        except SourceError as exc:
            self.log.add(ImportProblem(exc.row, exc.column, exc.message, exc.code))
            return
        with ExitStack() as stack:
            stack.callback(source.close)
            result.format, result.sheet = source.kind, source.sheet
            try:
                layout = layouts.build(source.header, year_given=self.year is not None)
            except layouts.LayoutProblems as exc:
                for column, message, code in exc.problems:
                    self.log.add(ImportProblem(source.header_row, column, message, code))
                return
            header_merges = [m for m in source.merged if m.first_row <= source.header_row <= m.last_row]
            if header_merges:
                for m in header_merges:
                    self.log.add(ImportProblem(source.header_row, m.ref, f"表头单元格{m.ref}是合并单元格；"
                                               "表头应为一行，每列一个列名", "merged_cells"))
                return
            rows = source.rows
            if self.year is None:
                self.year, seen = _first_year(source, layout)
                if not seen:
                    self.log.add(ImportProblem(source.header_row, "", "文件只有表头，没有数据行", "no_rows"))
                    return
                if self.year is None:
                    self.log.add(ImportProblem(source.header_row + 1, layouts.YEAR_HEADER,
                                               "第一条数据的“年度”不是有效的年份，无法确定导入年度", "missing_year"))
                    return
                rows = _chain(seen, source.rows)
            result.year = self.year
            if not 2000 <= self.year <= 2100:
                self.log.add(ImportProblem(None, layouts.YEAR_HEADER, f"年度{self.year}不在2000到2100之间", "bad_year"))
                return
            self._read(source, layout, rows)

    def _read(self, source, layout, rows) -> None:
        if source.frames is not None and COLUMNWISE_CSV:
            try:
                self._read_from(source, layout, frames=source.frames(len(layout.header)))
                return
            except NotPlain:  # read again with the csv module, from the start
                self.log, self.writing = ProblemLog(), True
                self.batch_h.clear()
                self.batch_p.clear()
                self.fh.seek(0)
                source = open_source(self.fh, is_header=layouts.looks_like_header, describe_header=layouts.describe)
                rows = source.rows
        self._read_from(source, layout, rows=rows)

    def _read_from(self, source, layout, *, rows=None, frames=None) -> None:
        result = self.result
        year = self.year
        frozen = frozenset(RegistryYear.objects.filter(year=year, frozen=True).values_list("county__code", flat=True))
        context = Context(year=year, codes=code_lists_for_year(year),
                          allowed_prefixes=None if self.system else actor_prefixes(self.actor, "registry.edit"),
                          villages=_villages(), frozen_counties=frozen)
        reader = HouseholdReader(layout, context, accept=self.accept, reject=self.reject,
                                 strict_width=source.kind == "csv", vectorised=source.kind == "csv",
                                 accept_frames=self.accept_frames)
        for m in source.merged:
            if m.last_row > source.header_row:
                column = layout.header[m.first_col] if m.first_col < len(layout.header) else ""
                reader.known_problems(range(max(m.first_row, source.header_row + 1), m.last_row + 1),
                                      column or f"{column_letters(m.first_col)}列", f"单元格{m.ref}是合并单元格；"
                                      "请取消合并，并在每一行填写完整的值", "merged_cells")
        self.stage = Stage(year=year, household_present=reader.household_present,
                           person_present=reader.person_present)
        self.stage.create()
        if DIRECT_FIRST_IMPORT and not self.stage.year_has_households():
            self.direct = Direct(year=year, villages={v.pk: v.code for v in context.villages.values()})
        try:
            total = max(source.size // 1024, 1)
            self.report(0, total, "正在读取并校验", force=True)
            try:
                if frames is not None:
                    for frame in frames:
                        reader.feed_frame(frame)
                        self.report(min(self.fh.tell() // 1024, total), total,
                                    f"已读取{reader.rows}行、{reader.households}户")
                    reader.feed_frame(None, last=True)
                else:
                    for row, cells in rows:
                        reader.feed(row, cells)
                        if reader.rows % 2000 == 0:
                            self.report(min(source.position() // 1024, total), total,
                                        f"已读取{reader.rows}行、{reader.households}户")
                reader.close()
            except SourceError as exc:
                reader.settle()  # the households read before the break are reported as without a batch
                self.log.add(ImportProblem(exc.row, exc.column, f"文件读取中断：{exc.message}；未导入任何数据", exc.code))
                result.rows, result.households = reader.rows, reader.households
                result.status = "rejected"
                self.writing = False
                return
            self.flush()
            result.rows, result.households = reader.rows, reader.households
            if not reader.rows:
                self.log.add(ImportProblem(source.header_row, "", "文件只有表头，没有数据行", "no_rows"))
                return
            repeated = self._repeated(reader, layout)
            if self.log and not self.partial:
                return
            self.report(total, total, "正在写入数据库", force=True)
            self._merge(layout, repeated)
        except DatabaseError as exc:
            # What the checks above should have caught, or a concurrent change: nothing is kept.
            self.log.add(ImportProblem(None, "", f"写入数据库时出错，未导入任何数据：{str(exc).splitlines()[0][:200]}",
                                       "database_error"))
            result.status = "rejected"
        finally:
            self.stage.drop()

    def _repeated(self, reader: HouseholdReader, layout) -> set[str]:
        column = layout.header_of(schema.HOUSEHOLD, "household_number")
        for hn, firsts in reader.repeated.items():
            rows = "、".join(f"第{r}行" for r in firsts)
            for first in firsts:
                self.log.add(ImportProblem(first, column, f"户编号 {hn} 在文件中出现在不相连的多处（{rows}起）；"
                                           "同一户的成员应连续排列", "household_repeated", hn))
        return set(reader.repeated)

    def _merge(self, layout, repeated: set[str]) -> None:
        result = self.result
        headers = {name: layout.header_of(schema.PERSON, name) for name in ("person_number", "id_number")}
        headers.update({name: layout.header_of(schema.HOUSEHOLD, name)
                        for name in ("household_number", "year", *LIFECYCLE_FIELDS)})
        lifecycle = [n for n in LIFECYCLE_FIELDS if n in layout.household]
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as c:  # one import of a year at a time
                        c.execute("SELECT pg_advisory_xact_lock(%s, %s)", [20_2503, self.year])
                stage = self.stage
                if self.direct is not None and stage.year_has_households():
                    self.direct.to_stage(stage)  # another import filled the year meanwhile
                    self.direct = None
                if self.direct is None and stage.year_has_households():
                    stage.index()  # the indexes serve the comparisons with the year's records
                stage = self.target = self.direct or stage
                found = stage.checks(actor=self.actor, system=self.system, frozen_counties=frozenset(
                    RegistryYear.objects.filter(year=self.year, frozen=True).values_list("county__code", flat=True)),
                    lifecycle_in_file=lifecycle, headers=headers)
                self.log.extend(found)
                if self.log and not self.partial:
                    raise _Rollback
                stage.discard({p.household_number for p in found} | repeated)
                counts = stage.merge(now=timezone.now())
                for key, value in counts.items():
                    setattr(result, key, value)
                self._registry_years()
                result.status = "partial" if self.log else "imported"
                result.problem_count = self.log.total
                audit_event(actor=self.actor, action="registry.import", area_code=self._area_code(),
                            details={"file": result.file_name, "year": self.year, "partial": self.partial,
                                     **counts, "households_read": result.households, "rows": result.rows,
                                     "problems": self.log.total})
        except _Rollback:
            result.status = "rejected"

    def _registry_years(self) -> None:
        for county in Area.objects.current().filter(code__in=[c + "000000" for c in self.target.counties()],
                                                   level=AreaLevel.COUNTY):
            registry_year_get_or_create(county=county, year=self.year)

    def _area_code(self) -> str:
        counties = self.target.counties()
        return counties[0] + "000000" if len(counties) == 1 else ""


def _chain(first: list, rest):
    yield from first
    yield from rest


def registry_import(*, actor, file, year: int | None = None, partial: bool = False,
                    progress: Progress | None = None, file_name: str = "") -> ImportResult:
    """Import registry households and persons from `file` (a path or a binary file object), as
    `actor` (None: the system, every area). `year` is the registry year; None takes it from the
    file's 年度 column. `progress(done, total, message)` is called about once a second."""
    if actor is not None:
        require(actor, "registry.edit")
    started = time.perf_counter()
    name = file_name or (os.path.basename(str(file)) if isinstance(file, str | Path) else getattr(file, "name", ""))
    result = ImportResult(file_name=os.path.basename(name or ""), year=year, partial=partial)
    importer = _Importer(actor=actor, year=year, partial=partial, progress=progress, result=result)
    with ExitStack() as stack:
        fh = stack.enter_context(open(file, "rb")) if isinstance(file, str | Path) else file
        if hasattr(fh, "seek"):
            fh.seek(0)
        importer.run(fh)
    result.year = importer.year
    result.households_with_problems = len({p.household_number for p in importer.log.kept if p.household_number})
    if result.status == "rejected":
        result.households_rejected, result.rows_rejected = result.households, result.rows
    else:
        result.households_rejected = result.households - (
            result.households_created + result.households_updated + result.households_unchanged)
        result.rows_rejected = result.rows - (result.persons_created + result.persons_updated + result.persons_unchanged)
    result.problem_count = importer.log.total
    result.problems = importer.log.sorted()
    result.seconds = round(time.perf_counter() - started, 3)
    if progress:
        progress(1, 1, result.message)
    return result

