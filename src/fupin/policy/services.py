"""Writes of the policy app: screening runs that store every household's decisions (政策筛查), and the
what-if simulation (模拟测算) that stores nothing.

A screening reads the households of an area and year, applies one published pack with the chosen
engine, and writes one row per household and rule in bulk (COPY on PostgreSQL, executemany on SQLite)
together with the run record and one audit event, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.access import access_area, require
from fupin.audit.services import audit_event
from fupin.core.errors import Locked, ValidationFailed
from fupin.policy.engine import Pack, PackError
from fupin.policy.engine.evaluate import jsonable
from fupin.policy.engine.packfile import significant_prefix
from fupin.policy.frames import ENGINES, Row, decide, registry_records
from fupin.policy.models import ScreeningRun, StoredDecision
from fupin.policy.selectors import pack_set
from fupin.registry.models import Household, RegistryYear

Report = Callable[[int, int, str], None]
COLUMNS = ("run_id", "household_id", "area_code", "rule", "status", "value", "clauses", "error", "pack")


def pack_for_screening(ref: str, *, published: bool = True) -> Pack:
    """The pack named `ref` (`id@version` or `id`); an unknown or broken one is a clear input error."""
    try:
        pack = pack_set().get((ref or "").strip())
    except KeyError:
        raise ValidationFailed(_("没有此政策包：%(ref)s") % {"ref": ref}, code="unknown_pack",
                               details={"pack": ref}) from None
    if published and pack.status != "published":
        raise ValidationFailed(_("政策包%(ref)s尚未发布，只能用于模拟测算") % {"ref": pack.key}, code="pack_not_published")
    return pack


def _check_pack_fits(pack: Pack, area, year: int) -> None:
    if not pack.covers(year):
        raise ValidationFailed(_("政策包%(p)s适用于%(a)s—%(b)s年，不适用于%(y)s年")
                               % {"p": pack.key, "a": pack.years[0], "b": pack.years[1], "y": year}, code="pack_year")
    if not area.code.startswith(significant_prefix(pack.jurisdiction)):
        raise ValidationFailed(_("政策包%(p)s适用于%(j)s，%(area)s不在其范围内")
                               % {"p": pack.key, "j": pack.jurisdiction_name or pack.jurisdiction, "area": area.name},
                               code="pack_area")


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(_("年度应为四位数字"), code="bad_year") from None
    if not 2013 <= year <= 2100:
        raise ValidationFailed(_("年度应在2013到2100之间"), code="bad_year")
    return year


def area_households(area, year: int):
    return Household.objects.filter(year=year, village__code__startswith=area.prefix)


def screening_check(*, actor, pack_ref: str, year, area_code: str, engine: str = "polars"):
    """Everything a run needs, checked before any work: (pack, area, year). Used again by the task."""
    if engine not in ENGINES:
        raise ValidationFailed(_("计算方式应为 local、polars 或 spark"), code="bad_engine")
    year = _check_year(year)
    if actor is not None:
        require(actor, "policy.run")  # no role that runs screenings anywhere: refused (403)
    area = access_area(actor, area_code, "policy.run") if actor is not None else _area_or_404(area_code)
    pack = pack_for_screening(pack_ref)
    _check_pack_fits(pack, area, year)
    if RegistryYear.objects.filter(year=year, frozen=True, county__code__startswith=area.prefix[:6]).exists():
        raise Locked(_("%(y)s年度已封存，不能再写入筛查结果") % {"y": year}, code="year_frozen", details={"year": year})
    return pack, area, year


def _area_or_404(code: str):
    from fupin.areas.selectors import area_get

    return area_get(code)


@dataclass
class _Counts:
    households: int = 0
    decisions: int = 0
    errors: int = 0
    by_rule: dict[str, dict] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.decisions += 1
        self.errors += row.status == "error"
        entry = self.by_rule.setdefault(row.rule, {"ok": 0, "true": 0, "error": 0, "not_applicable": 0})
        entry[row.status] = entry.get(row.status, 0) + 1
        entry["true"] += row.value == "true"


def screening_run(*, actor, pack_ref: str, year, area_code: str, engine: str = "polars",
                  report: Report | None = None) -> ScreeningRun:
    """Screen every household of the area in the year with the pack; store the decisions (atomic)."""
    pack, area, year = screening_check(actor=actor, pack_ref=pack_ref, year=year, area_code=area_code, engine=engine)
    report = report or (lambda done, total, message: None)
    started = timezone.now()
    clock = time.perf_counter()
    report(0, 3, _("读取户数据"))
    records, villages = registry_records(area_households(area, year), pack)
    report(1, 3, _("计算（%(e)s）") % {"e": engine})
    as_of = dt.date(year, 12, 31)
    rows = list(decide(engine, pack, records, as_of))  # computed before the write transaction opens
    report(2, 3, _("写入判定结果"))
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            pack=pack.key, fingerprint=pack.fingerprint, year=year, area_code=area.code, area_name=area.name,
            engine=engine, as_of=as_of, created_by=actor, started_at=started, finished_at=started)
        counts = _Counts(households=len(records))
        bulk_write(run, pack.key, rows, villages, counts)
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - clock, 3)
        run.households, run.decisions, run.errors = counts.households, counts.decisions, counts.errors
        run.counts = counts.by_rule
        run.save(update_fields=["finished_at", "seconds", "households", "decisions", "errors", "counts"])
        audit_event(actor=actor, action="policy.screen", target=run, area_code=area.code,
                    details={"pack": pack.key, "year": year, "engine": engine, "households": counts.households,
                             "decisions": counts.decisions, "errors": counts.errors})
    report(3, 3, _("完成"))
    return run


def bulk_write(run: ScreeningRun, pack_key: str, rows: Iterable[Row], villages: dict[str, str],
               counts: _Counts | None = None) -> None:
    """Insert the rows in one statement stream: COPY on PostgreSQL, executemany on SQLite."""
    table = StoredDecision._meta.db_table

    def tuples():
        for row in rows:
            if counts is not None:
                counts.add(row)
            yield (run.pk, row.household_id, villages.get(str(row.household_id), ""), row.rule, row.status,
                   row.value[:200], json.dumps(row.clauses, ensure_ascii=False), row.error, pack_key)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3: COPY … FROM STDIN, row by row through the driver's writer
            with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for values in tuples():
                    copy.write_row(values)
        else:
            sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
            batch = []
            for values in tuples():
                batch.append(values)
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


# ---- background runs ------------------------------------------------------------------------------

TASK_KIND = "policy.screen"


def screening_enqueue(*, actor, pack_ref: str, year, area_code: str, engine: str = "polars"):
    """Check the request now (a bad one is refused at once) and queue the run as a background task."""
    from fupin.tasks.services import task_enqueue

    pack, area, year = screening_check(actor=actor, pack_ref=pack_ref, year=year, area_code=area_code, engine=engine)
    return task_enqueue(actor=actor, kind=TASK_KIND, area_code=area.code,
                        params={"pack": pack.key, "year": year, "area": area.code, "engine": engine})


def run_screening_task(*, actor, params, report) -> dict:
    run = screening_run(actor=actor, pack_ref=params["pack"], year=params["year"], area_code=params["area"],
                        engine=params.get("engine", "polars"), report=report)
    return {"run": run.pk, "households": run.households, "decisions": run.decisions, "errors": run.errors}


# ---- what-if --------------------------------------------------------------------------------------

def parse_changes(text_or_dict) -> dict:
    """Parameter changes from the API (a JSON object) or a form (`name=value` lines; values read as JSON,
    so `4500`, `0.3`, `true`, `'text'`, `[...]`)."""
    if isinstance(text_or_dict, dict):
        return dict(text_or_dict)
    changes = {}
    for number, line in enumerate(io.StringIO(text_or_dict or ""), start=1):
        line = line.strip()
        if not line:
            continue
        name, sep, raw = line.partition("=")
        if not sep or not name.strip():
            raise ValidationFailed(_("第%(n)s行应写成“参数名=新值”，如 poverty_line=4500") % {"n": number},
                                   code="bad_change")
        raw = raw.strip()
        try:
            changes[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            changes[name.strip()] = raw.strip("'\"")
    return changes


def whatif_run(*, actor, pack_ref: str, year, area_code: str, changes, limit: int = 500) -> dict:
    """模拟测算: the pack as it is and with `changes`, over the area's households; per rule the households
    whose outcome changes. Nothing is written (apart from the audit event of the simulation)."""
    from fupin.policy.engine.batch import frames_from_records, needed_fields, run_batch
    from fupin.policy.engine.whatif import compare, with_parameters

    year = _check_year(year)
    require(actor, "policy.run")
    area = access_area(actor, area_code, "policy.run")
    base = pack_for_screening(pack_ref, published=False)
    _check_pack_fits(base, area, year)
    changes = parse_changes(changes)
    try:
        changed = with_parameters(pack_set(), base, changes)
    except PackError as exc:
        raise ValidationFailed(_("参数修改有误：%(p)s") % {"p": "；".join(f"{p.field}: {p.message}" for p in exc.problems)},
                               code="bad_parameter", details={"problems": [p.as_dict() for p in exc.problems]}) from None
    records, villages = registry_records(area_households(area, year), base)
    as_of = dt.date(year, 12, 31)
    households, persons, _errors = frames_from_records(records, base.catalogue, needed_fields(base, base.rules))
    before = run_batch(base, households, persons, as_of=as_of)
    after = run_batch(changed, households, persons, as_of=as_of)
    rules = compare(base, before, after, limit=limit)
    numbers = dict(Household.objects.filter(pk__in={int(h["id"]) for r in rules for h in r.households})
                   .values_list("pk", "household_number"))
    names = _area_names({code[:n].ljust(12, "0") for code in villages.values() for n in (9, 12)})
    for rule in rules:
        for h in rule.households:
            code = villages.get(h["id"], "")
            h.update(household_number=numbers.get(int(h["id"]), ""), village=code, village_name=names.get(code, code))
        rule.by_area = {"township": _counts_by(rule.changed_ids, villages, names, 9),
                        "village": _counts_by(rule.changed_ids, villages, names, 12)}
    audit_event(actor=actor, action="policy.whatif", area_code=area.code,
                details={"pack": base.key, "year": year, "changes": changes, "households": len(records),
                         "changed": {r.rule: r.changed for r in rules if r.changed}})
    return {"pack": base.key, "year": year, "area": area.code, "area_name": area.name, "households": len(records),
            "changes": {name: {"before": shown_value(base.parameters[name].value),
                               "after": shown_value(changed.parameters[name].value),
                               "title": base.parameters[name].title} for name in changes},
            "rules": [{"rule": r.rule, "title": r.title, "kind": r.kind, "changed": r.changed, "entered": r.entered,
                       "left": r.left, "by_township": r.by_area["township"], "by_village": r.by_area["village"],
                       "households": r.households} for r in rules]}


def shown_value(value):
    """A parameter value as JSON (tables keep their keys, numbers without a needless .0)."""
    if isinstance(value, dict):
        return {k: jsonable(x) for k, x in value.items()}
    return jsonable(value)


def _area_names(codes: set[str]) -> dict[str, str]:
    from fupin.areas.models import Area

    return dict(Area.objects.current().filter(code__in=codes).values_list("code", "name"))


def _counts_by(ids: list[str], villages: dict[str, str], names: dict[str, str], digits: int) -> list[dict]:
    """How many of the households `ids` lie in each township (digits=9) or village (12)."""
    counts: dict[str, int] = {}
    for hid in ids:
        code = villages.get(hid, "")[:digits].ljust(12, "0")
        counts[code] = counts.get(code, 0) + 1
    return [{"area": c, "name": names.get(c, c), "households": n} for c, n in sorted(counts.items())]


def register_task_kind() -> None:
    from fupin.tasks.services import task_kind

    task_kind(TASK_KIND, action="policy.run")(run_screening_task)

