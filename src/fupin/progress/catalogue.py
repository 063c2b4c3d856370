"""Plans shipped as data (`src/fupin/data/progress/*.toml`), checked on import (`fupin progress load`).

The check refuses a file that cannot be right (a milestone or a deadline outside the plan's period, an
unknown field, a negative figure) and writes nothing of it; it flags, and keeps, what the document
printed that does not add up (a printed total that differs from the sum of its rows, a township name
that matches the division codes only loosely). Loading is idempotent: a plan already loaded is left
as it is (its reported progress belongs to the users now) unless `replace=True`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.areas.models import Area, AreaLevel, pad_code
from fupin.audit.services import audit_event
from fupin.core.errors import ValidationFailed
from fupin.progress.indicators import INDICATORS
from fupin.progress.models import Direction, Milestone, Plan, PlanKind, Target

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "progress"
_PLAN_KEYS = {"code", "title", "kind", "area", "start", "end", "issuer", "source", "default_deadline", "targets",
              "milestones", "table", "rolling"}
_TARGET_KEYS = {"group", "name", "indicator", "direction", "value", "unit", "deadline", "lead_leader", "lead_unit",
                "responsible_units", "responsible_person", "source", "note"}
_MILESTONE_KEYS = {"due", "title", "lead_unit", "responsible_units", "source"}


@dataclass
class LoadReport:
    file: str
    code: str = ""
    status: str = ""  # loaded | kept | skipped
    targets: int = 0
    milestones: int = 0
    flags: list[str] = field(default_factory=list)
    reason: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.toml"))


def _date(value, label: str, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    problems.append(_("%(label)s应为日期（YYYY-MM-DD）：%(v)s") % {"label": label, "v": value})
    return None


def _number(value, label: str, problems: list[str]) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(_("%(label)s应为数字：%(v)s") % {"label": label, "v": value})
        return None
    if number < 0:
        problems.append(_("%(label)s不能为负数：%(v)s") % {"label": label, "v": value})
    return number


def _area(code: str, problems: list[str]) -> Area | None:
    area = Area.objects.current().filter(code=pad_code(code)).first()
    if area is None:
        problems.append(_("未加载的区划代码：%(c)s（请先 fupin areas load）") % {"c": code})
    return area


def _township(county: Area, name: str) -> tuple[Area | None, str]:
    """A township of `county` by the name the document printed: exact, else the one whose name starts
    with the printed stem and ends with the same 乡/镇 (二道河子乡 → 二道河子蒙古族乡)."""
    towns = list(Area.objects.current().under(county.prefix).filter(level=AreaLevel.TOWNSHIP))
    exact = [t for t in towns if t.name == name]
    if exact:
        return exact[0], ""
    stem, suffix = name[:-1], name[-1:]
    loose = [t for t in towns if t.name.startswith(stem) and t.name.endswith(suffix)]
    if len(loose) == 1:
        return loose[0], _("乡镇名称“%(printed)s”按区划代码对应为“%(name)s”") % {"printed": name, "name": loose[0].name}
    return None, _("乡镇名称“%(printed)s”在区划代码中找不到，该行计入县级") % {"printed": name}


def _target(raw: dict, plan: dict, where: str, problems: list[str]) -> dict:
    unknown = set(raw) - _TARGET_KEYS
    if unknown:
        problems.append(_("%(where)s：未知字段 %(f)s") % {"where": where, "f": "、".join(sorted(unknown))})
    name = str(raw.get("name") or "").strip()
    if not name:
        problems.append(_("%(where)s：缺少指标名称") % {"where": where})
    indicator = str(raw.get("indicator") or "")
    if indicator and indicator not in INDICATORS:
        problems.append(_("%(where)s：未知的实时指标 %(i)s") % {"where": where, "i": indicator})
    direction = raw.get("direction", Direction.AT_LEAST)
    if direction not in Direction.values:
        problems.append(_("%(where)s：方向应为 at_least 或 at_most") % {"where": where})
    deadline = raw.get("deadline", plan.get("default_deadline", plan.get("end")))
    deadline = _date(deadline, _("%(where)s 完成时限") % {"where": where}, problems)
    if deadline and plan.get("start") and plan.get("end") and not plan["start"] <= deadline <= plan["end"]:
        problems.append(_("%(where)s：完成时限 %(d)s 不在方案期间（%(s)s 至 %(e)s）")
                        % {"where": where, "d": deadline, "s": plan["start"], "e": plan["end"]})
    return {"group": str(raw.get("group", "")), "name": name, "indicator": indicator, "direction": direction,
            "value": _number(raw.get("value"), where, problems), "unit": str(raw.get("unit", "")),
            "deadline": deadline, "lead_leader": str(raw.get("lead_leader", "")),
            "lead_unit": str(raw.get("lead_unit", "")), "responsible_units": str(raw.get("responsible_units", "")),
            "responsible_person": str(raw.get("responsible_person", "")), "source": str(raw.get("source", "")),
            "note": str(raw.get("note", ""))}


def _table_targets(data: dict, county: Area, problems: list[str], flags: list[str]) -> list[dict]:
    """A task table by township: one target per row and column; the printed total is checked."""
    table = data["table"]
    rows, columns = table.get("rows", []), table.get("columns", [])
    sums = {c["key"]: sum(Decimal(str(r.get(c["key"], 0))) for r in rows) for c in columns}
    for key, printed in table.get("total", {}).items():
        if sums.get(key) != Decimal(str(printed)):
            flags.append(_("合计行与各行之和不符：%(col)s列印刷合计 %(printed)s，各行相加 %(sum)s（差 %(diff)s），"
                           "已按各行导入") % {"col": key, "printed": printed, "sum": sums.get(key),
                                          "diff": sums.get(key, 0) - Decimal(str(printed))})
    out = []
    for row in rows:
        town, note = _township(county, str(row["area"]))
        if note:
            flags.append(note)
        for column in columns:
            if column["key"] not in row:
                continue
            where = f"{row['area']} {column['key']}"
            raw = {"group": row["area"], "name": column["name"], "value": row[column["key"]],
                   "unit": table.get("unit", ""), "deadline": column["deadline"],
                   "lead_unit": table.get("lead_unit", ""), "responsible_units": row["area"],
                   "source": column.get("source", data.get("source", ""))}
            target = _target(raw, data, where, problems)
            target["area"] = town or county
            target["sort_order"] = int(row.get("n", 0)) * 10
            out.append(target)
    return out


def _rolling_targets(data: dict, problems: list[str], flags: list[str]) -> list[dict]:
    """A rolling plan: one target per indicator and year, deadline the year's end."""
    out = []
    first = data["start"].year
    for n, row in enumerate(data["rolling"].get("rows", [])):
        years = row.get("years", [])
        if "total" in row and len(years) == data["end"].year - first + 1:
            summed = sum(Decimal(str(v)) for v in years)
            if summed != Decimal(str(row["total"])):
                flags.append(_("“%(name)s”三年合计 %(total)s 与各年之和 %(sum)s 不符，已按各年导入")
                             % {"name": row["name"], "total": row["total"], "sum": summed})
        for offset, value in enumerate(years):
            year = first + offset
            raw = {"group": str(year), "name": row["name"], "value": value, "unit": row.get("unit", ""),
                   "deadline": dt.date(year, 12, 31), "lead_unit": row.get("lead_unit", ""),
                   "source": row.get("source", "")}
            target = _target(raw, data, f"{row['name']} {year}", problems)
            target["period_start"], target["period_end"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
            target["sort_order"] = n * 10 + offset
            out.append(target)
    return out


def read_plan(path: Path) -> tuple[dict, list[dict], list[dict], list[str]]:
    """Parse and check one file. Raises ValidationFailed listing every problem found."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationFailed(_("无法读取方案文件 %(f)s：%(e)s") % {"f": path.name, "e": exc}, code="bad_plan_file") from exc
    problems: list[str] = []
    flags: list[str] = []
    unknown = set(data) - _PLAN_KEYS
    if unknown:
        problems.append(_("未知字段 %(f)s") % {"f": "、".join(sorted(unknown))})
    for key in ("code", "title", "kind", "area", "start", "end"):
        if key not in data:
            problems.append(_("缺少字段 %(f)s") % {"f": key})
    if problems:
        raise ValidationFailed(f"{path.name}：" + "；".join(problems), code="bad_plan_file", details={"problems": problems})
    if data["kind"] not in PlanKind.values:
        problems.append(_("类型应为：%(v)s") % {"v": "、".join(PlanKind.values)})
    start = _date(data["start"], _("起始日期"), problems)
    end = _date(data["end"], _("截止日期"), problems)
    if start and end and end < start:
        problems.append(_("截止日期早于起始日期"))
    area = _area(str(data["area"]), problems)
    if problems:
        raise ValidationFailed(f"{path.name}：" + "；".join(problems), code="bad_plan_file", details={"problems": problems})
    targets = [_target(raw, data, _("第%(n)s个目标") % {"n": n + 1}, problems)
               for n, raw in enumerate(data.get("targets", []))]
    for n, target in enumerate(targets):
        target.setdefault("sort_order", n)
    if "table" in data:
        targets += _table_targets(data, area, problems, flags)
    if "rolling" in data:
        targets += _rolling_targets(data, problems, flags)
    for target in targets:  # a target without an area of its own is the plan's
        target.setdefault("area", area)
    milestones = []
    for n, raw in enumerate(data.get("milestones", [])):
        where = _("第%(n)s个节点") % {"n": n + 1}
        unknown = set(raw) - _MILESTONE_KEYS
        if unknown:
            problems.append(_("%(where)s：未知字段 %(f)s") % {"where": where, "f": "、".join(sorted(unknown))})
        due = _date(raw.get("due"), where, problems)
        if due and not start <= due <= end:
            problems.append(_("%(where)s：完成时限 %(d)s 晚于方案截止日期 %(e)s或早于起始日期")
                            % {"where": where, "d": due, "e": end})
        milestones.append({"due": due, "title": str(raw.get("title", "")), "lead_unit": str(raw.get("lead_unit", "")),
                           "responsible_units": str(raw.get("responsible_units", "")),
                           "source": str(raw.get("source", "")), "sort_order": n})
    if problems:
        raise ValidationFailed(f"{path.name}：" + "；".join(problems), code="bad_plan_file", details={"problems": problems})
    plan = {"code": data["code"], "title": data["title"], "kind": data["kind"], "area": area, "start": start,
            "end": end, "issuer": data.get("issuer", ""), "source": data.get("source", ""), "flags": flags}
    return plan, targets, milestones, flags


def plans_load(*, actor=None, files: list[Path] | None = None, replace: bool = False) -> list[LoadReport]:
    """Load the shipped plans (or `files`). A file whose area is not loaded is skipped with the reason;
    a file that fails its check raises and nothing of it is written."""
    reports = []
    for path in files or shipped_files():
        report = LoadReport(file=path.name)
        try:
            plan, targets, milestones, flags = read_plan(path)
        except ValidationFailed as exc:
            if exc.details.get("problems") and all("未加载的区划代码" in p for p in exc.details["problems"]):
                report.status, report.reason = "skipped", exc.message
                reports.append(report)
                continue
            raise
        report.code, report.flags = plan["code"], flags
        existing = Plan.objects.filter(code=plan["code"]).first()
        if existing is not None and not replace:
            report.status = "kept"
            reports.append(report)
            continue
        with transaction.atomic():
            if existing is not None:
                existing.delete()
            saved = Plan.objects.create(shipped=True, **plan)
            Target.objects.bulk_create([Target(plan=saved, period_start=t.pop("period_start", saved.start),
                                               period_end=t.pop("period_end", saved.end), **t) for t in targets])
            Milestone.objects.bulk_create([Milestone(plan=saved, **m) for m in milestones])
            audit_event(actor=actor, action="progress.plan_load", target=saved, area_code=saved.area.code,
                        details={"file": path.name, "targets": len(targets), "milestones": len(milestones),
                                 "flags": flags})
        report.status, report.targets, report.milestones = "loaded", len(targets), len(milestones)
        reports.append(report)
    return reports
