"""The shipped supervision checklists (src/fupin/data/supervision/*.toml), validated and loaded.

A checklist edition is immutable once loaded: loading again is a no-op for a (key, version) already in
the database, and a changed file must carry a new version. Every point must cite the seed line it
comes from, so a reader can check it against the document.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core.errors import ValidationFailed
from fupin.supervision.models import Checklist, ChecklistItem

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "supervision"
SHIPPED_KEY = "zhangwu-2020-supervision"


@dataclass(frozen=True)
class Point:
    area_no: int
    area_title: str
    no: str
    text: str
    seed: str
    quote: str


@dataclass(frozen=True)
class ChecklistFile:
    key: str
    version: int
    title: str
    issuer: str
    year: int
    jurisdiction: str
    path: Path
    points: list[Point]


def read_checklist(path: Path) -> ChecklistFile:
    """Parse and check one file; a problem names the file and the point."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationFailed(_("督查清单文件无法读取：%(f)s：%(e)s") % {"f": path.name, "e": exc},
                               code="bad_checklist") from exc
    problems: list[str] = []
    for field in ("id", "version", "title", "year", "jurisdiction", "areas"):
        if field not in data:
            problems.append(_("缺少 %(f)s") % {"f": field})
    points: list[Point] = []
    seen: set[str] = set()
    for area in data.get("areas", []):
        for item in area.get("items", []):
            cite = item.get("cite") or {}
            no = str(item.get("no", ""))
            if not no or no in seen:
                problems.append(_("要点编号为空或重复：%(no)s") % {"no": no or "—"})
            seen.add(no)
            if not str(item.get("text", "")).strip():
                problems.append(_("要点 %(no)s 没有内容") % {"no": no})
            if len(str(cite.get("quote", ""))) < 4 or "\n" in str(cite.get("quote", "")) or not cite.get("seed"):
                problems.append(_("要点 %(no)s 没有注明出处原文") % {"no": no})
            points.append(Point(int(area["no"]), str(area["title"]), no, str(item.get("text", "")).strip(),
                                str(cite.get("seed", "")), str(cite.get("quote", ""))))
    if problems:
        raise ValidationFailed(_("督查清单 %(f)s 有误：%(p)s") % {"f": path.name, "p": "；".join(problems)},
                               code="bad_checklist", details={"problems": problems})
    return ChecklistFile(str(data["id"]), int(data["version"]), str(data["title"]), str(data.get("issuer", "")),
                         int(data["year"]), str(data["jurisdiction"]), path, points)


def shipped_files(folder: Path | None = None) -> list[ChecklistFile]:
    return [read_checklist(p) for p in sorted((folder or DATA_DIR).glob("*.toml"))]


@transaction.atomic
def checklists_load(*, actor=None, folder: Path | None = None) -> list[Checklist]:
    """Load every shipped checklist edition not yet in the database (idempotent)."""
    loaded = []
    for cf in shipped_files(folder):
        checklist = Checklist.objects.filter(key=cf.key, version=cf.version).first()
        if checklist is None:
            checklist = Checklist.objects.create(key=cf.key, version=cf.version, title=cf.title, issuer=cf.issuer,
                                                 year=cf.year, jurisdiction=cf.jurisdiction,
                                                 source_file=cf.path.name)
            ChecklistItem.objects.bulk_create([
                ChecklistItem(checklist=checklist, area_no=p.area_no, area_title=p.area_title, no=p.no, text=p.text,
                              cite_seed=p.seed, cite_quote=p.quote, position=i)
                for i, p in enumerate(cf.points)])
            audit_event(actor=actor, action="supervision.checklist_load", target=checklist,
                        after={"key": cf.key, "version": cf.version, "items": len(cf.points)})
        loaded.append(checklist)
    return loaded


def shipped_checklist() -> Checklist:
    """The latest loaded edition of the Zhangwu checklist, loading it if needed."""
    found = Checklist.objects.filter(key=SHIPPED_KEY).order_by("-version").first()
    if found is None:
        checklists_load()
        found = Checklist.objects.filter(key=SHIPPED_KEY).order_by("-version").first()
    return found
