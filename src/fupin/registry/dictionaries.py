"""Versioned code lists (数据字典): loading the shipped CSV files and reading the lists in force.

The files live in `fupin/data/dictionaries/`: `dictionaries.csv` names each list (name, title,
source) and `<name>.csv` holds its entries (code, label, valid_from, valid_to). Loading is an
upsert keyed by (list, code, valid_from): run it again and nothing changes; edit a label or close an
entry in the file and the row follows. Entries are never deleted, so old records keep their labels.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core.errors import ValidationFailed
from fupin.registry.models import Dictionary, DictionaryEntry
from fupin.registry.schema import dictionaries_used
from fupin.registry.validation import CodeLists, year_end

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "dictionaries"


@dataclass
class LoadResult:
    dictionaries: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _date(text: str, where: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(_("%(where)s：日期“%(text)s”无效（应为 YYYY-MM-DD）") % {"where": where, "text": text},
                               code="bad_dictionary_file") from None


def _read(folder: Path) -> list[tuple[dict, list[dict]]]:
    index = folder / "dictionaries.csv"
    if not index.exists():
        raise ValidationFailed(_("找不到字典索引文件 dictionaries.csv"), code="bad_dictionary_file")
    out = []
    with index.open(encoding="utf-8", newline="") as fh:
        for meta in csv.DictReader(fh):
            path = folder / f"{meta['name']}.csv"
            if not path.exists():
                raise ValidationFailed(_("字典“%(n)s”缺少文件 %(f)s") % {"n": meta["name"], "f": path.name},
                                       code="bad_dictionary_file")
            with path.open(encoding="utf-8", newline="") as entries_fh:
                rows = list(csv.DictReader(entries_fh))
            for i, row in enumerate(rows, start=2):
                where = f"{path.name} 第{i}行"
                if not (row.get("code") or "").strip() or not (row.get("label") or "").strip():
                    raise ValidationFailed(_("%(w)s：代码和名称不能为空") % {"w": where}, code="bad_dictionary_file")
                row["valid_from"] = _date(row.get("valid_from", ""), where)
                row["valid_to"] = _date(row.get("valid_to", ""), where)
                if row["valid_from"] is None:
                    raise ValidationFailed(_("%(w)s：生效日期不能为空") % {"w": where}, code="bad_dictionary_file")
                if row["valid_to"] and row["valid_to"] <= row["valid_from"]:
                    raise ValidationFailed(_("%(w)s：失效日期应晚于生效日期") % {"w": where}, code="bad_dictionary_file")
                row["sort_order"] = i - 1
            out.append((meta, rows))
    missing = dictionaries_used() - {meta["name"] for meta, _rows in out}
    if missing:
        raise ValidationFailed(_("缺少字典：%(m)s") % {"m": "、".join(sorted(missing))}, code="bad_dictionary_file")
    return out


def dictionaries_load(*, actor, folder: Path | None = None) -> LoadResult:
    """Load or refresh every shipped code list (idempotent); one audit event per run with counts."""
    lists = _read(folder or DATA_DIR)
    result = LoadResult()
    with transaction.atomic():
        for meta, rows in lists:
            dictionary, _created = Dictionary.objects.update_or_create(
                name=meta["name"], defaults={"title": meta["title"], "source": meta.get("source", "")[:300]})
            result.dictionaries += 1
            existing = {(e.code, e.valid_from): e for e in dictionary.entries.all()}
            for row in rows:
                code = row["code"].strip()
                values = {"label": row["label"].strip(), "valid_to": row["valid_to"], "sort_order": row["sort_order"]}
                entry = existing.get((code, row["valid_from"]))
                if entry is None:
                    DictionaryEntry.objects.create(dictionary=dictionary, code=code, valid_from=row["valid_from"],
                                                   **values)
                    result.created += 1
                elif any(getattr(entry, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(entry, k, v)
                    entry.save(update_fields=list(values))
                    result.updated += 1
                else:
                    result.unchanged += 1
        if result.created or result.updated:
            audit_event(actor=actor, action="dictionaries.load", details=result.as_dict())
    code_lists.cache_clear()
    return result


@lru_cache(maxsize=64)
def code_lists(on: dt.date) -> CodeLists:
    """Every code list as it stood on `on` (cached; a load clears the cache)."""
    lists: dict[str, dict[str, str]] = {}
    entries = (DictionaryEntry.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
               .select_related("dictionary").order_by("dictionary__name", "sort_order"))
    for e in entries:
        lists.setdefault(e.dictionary.name, {})[e.code] = e.label
    return CodeLists(lists, on=on)


def code_lists_for_year(year: int) -> CodeLists:
    """The lists in force at the end of a registry year: what that year's records are checked against."""
    return code_lists(year_end(year))


def label_everywhere(name: str) -> dict[str, str]:
    """code → latest label over all versions of one list, for showing old codes that have since closed."""
    out: dict[str, str] = {}
    for code, label in DictionaryEntry.objects.filter(dictionary__name=name).order_by("valid_from").values_list(
            "code", "label"):
        out[code] = label
    return out
