"""The catalogues shipped as data in `fupin/data/funds/`: fund sources (资金类型), the documents' list
of project names (项目名称), asset subtypes (子类型) and the negative list (负面清单).

They are open lists ("等" in the documents), so they live in CSV files a county can extend rather than
in database enums; services check every code against them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from fupin.core.errors import ValidationFailed

DATA = Path(__file__).resolve().parents[1] / "data" / "funds"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@dataclass(frozen=True)
class FundSource:
    code: str
    label: str
    special_poverty: bool  # 财政专项扶贫资金 (central/provincial/city/county special funds)
    source: str


@dataclass(frozen=True)
class ProjectName:
    code: str
    label: str
    category: str
    source: str


@dataclass(frozen=True)
class AssetSubtype:
    code: str
    asset_type: str
    label: str
    depreciates: bool
    source: str


@dataclass(frozen=True)
class NegativeItem:
    code: str
    label: str
    keywords: tuple[str, ...]
    source: str


@cache
def fund_sources() -> dict[str, FundSource]:
    return {r["code"]: FundSource(r["code"], r["label"], r["special_poverty"] == "1", r["source"])
            for r in _rows("fund_sources.csv")}


@cache
def project_names() -> dict[str, ProjectName]:
    return {r["code"]: ProjectName(r["code"], r["label"], r["category"], r["source"])
            for r in _rows("project_names.csv")}


@cache
def asset_subtypes() -> dict[str, AssetSubtype]:
    return {r["code"]: AssetSubtype(r["code"], r["asset_type"], r["label"], r["depreciates"] == "1", r["source"])
            for r in _rows("asset_subtypes.csv")}


@cache
def negative_list() -> tuple[NegativeItem, ...]:
    return tuple(NegativeItem(r["code"], r["label"], tuple(k for k in r["keywords"].split(";") if k), r["source"])
                 for r in _rows("negative_list.csv"))


def source_label(code: str) -> str:
    found = fund_sources().get(code)
    return found.label if found else code


def sources_text(codes) -> str:
    """资金类型 as the forms print it: "中央、省"."""
    order = list(fund_sources())
    ordered = sorted(set(codes), key=lambda c: order.index(c) if c in order else len(order))
    return "、".join(source_label(c) for c in ordered)


def subtype_label(code: str) -> str:
    found = asset_subtypes().get(code)
    return found.label if found else code


def check_source(code: str) -> FundSource:
    found = fund_sources().get(code)
    if found is None:
        raise ValidationFailed(
            _("未知的资金类型“%(code)s”；可选：%(choices)s")
            % {"code": code, "choices": "、".join(f"{s.code}（{s.label}）" for s in fund_sources().values())},
            code="unknown_fund_source")
    return found


def check_subtype(code: str, asset_type: str) -> AssetSubtype:
    found = asset_subtypes().get(code)
    if found is None or found.asset_type != asset_type:
        allowed = [f"{s.code}（{s.label}）" for s in asset_subtypes().values() if s.asset_type == asset_type]
        raise ValidationFailed(
            _("资产子类型“%(code)s”不属于该资产类型；可选：%(choices)s") % {"code": code, "choices": "、".join(allowed)},
            code="unknown_asset_subtype")
    return found


def check_project_name(code: str) -> ProjectName | None:
    if not code:
        return None
    found = project_names().get(code)
    if found is None:
        raise ValidationFailed(_("未知的项目名称代码“%(code)s”（见附件2注2的项目名称目录）") % {"code": code},
                               code="unknown_project_name")
    return found


def negative_hits(*texts: str) -> list[tuple[NegativeItem, str]]:
    """Negative-list items whose keywords occur in the texts: (item, the keyword found)."""
    joined = " ".join(t for t in texts if t)
    hits = []
    for item in negative_list():
        for word in item.keywords:
            if word in joined:
                hits.append((item, word))
                break
    return hits
