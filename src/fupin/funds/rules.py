"""The funds rules (disbursement stages, risk thresholds, the minimum household share, ...) read from
`fupin/data/funds/rules.toml`: versioned data with the clause each value implements.

`rules_for(area_code, year)` merges every pack that applies, from the most general jurisdiction to the
most specific, and says which packs it used (`FundsRules.packs`), so a decision can record it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from fupin.core.errors import ValidationFailed

SECTIONS = ("pv", "jobs", "credit")
RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "funds" / "rules.toml"


@dataclass(frozen=True)
class DisbursementStage:
    share: Decimal  # cumulative share of the base payable once the stage is reached
    progress: int | None = None  # opens when reported progress reaches this percentage
    completed: bool = False  # opens when the project is completed

    def describe(self) -> str:
        share = f"{(self.share * 100).normalize():f}%"
        if self.completed:
            return f"项目完工后累计可拨付{share}"
        return f"进度达到{self.progress}%后累计可拨付{share}"


@dataclass(frozen=True)
class FundsRules:
    packs: tuple[str, ...]
    project_publicity_days: int
    completion_deadline: str  # "MM-DD"
    disbursement_stages: tuple[DisbursementStage, ...]
    idle_days: int
    disbursement_due_days: int
    receipt_grace_days: int
    household_share_min: Decimal
    plan_publicity_days: int
    sources: dict[str, str] = field(default_factory=dict)
    # 光伏、公益岗位、小额信贷: plain sections, merged key by key (read through fupin.funds.params)
    pv: dict = field(default_factory=dict)
    jobs: dict = field(default_factory=dict)
    credit: dict = field(default_factory=dict)

    @property
    def pack_id(self) -> str:
        return "+".join(self.packs)

    def deadline_in(self, year: int) -> dt.date:
        month, day = (int(x) for x in self.completion_deadline.split("-"))
        return dt.date(year, month, day)

    def describe_stages(self) -> str:
        return "；".join(s.describe() for s in self.disbursement_stages)


def _load(path: Path) -> list[dict]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    packs = data.get("pack", [])
    for pack in packs:
        for key in ("id", "jurisdiction", "from_year"):
            if key not in pack:
                raise ValidationFailed(f"{path.name}: pack without {key}", code="bad_rules")
    return packs


def _flatten(pack: dict) -> dict:
    values: dict = {}
    for key in ("project_publicity_days", "completion_deadline"):
        if key in pack:
            values[key] = pack[key]
    if "disbursement_stage" in pack:
        stages = []
        for raw in pack["disbursement_stage"]:
            share = Decimal(str(raw["share"]))
            if not Decimal(0) < share <= Decimal(1):
                raise ValidationFailed(f"rules: disbursement share {share} outside (0, 1]", code="bad_rules")
            stages.append(DisbursementStage(share=share, progress=raw.get("progress"),
                                            completed=bool(raw.get("completed", False))))
        if not stages or not stages[-1].completed or stages[-1].share != Decimal(1):
            raise ValidationFailed("rules: the last disbursement stage must be completion at share 1.00",
                                   code="bad_rules")
        values["disbursement_stages"] = tuple(stages)
    risk = pack.get("risk", {})
    for key in ("idle_days", "disbursement_due_days", "receipt_grace_days"):
        if key in risk:
            values[key] = int(risk[key])
    dist = pack.get("distribution", {})
    if "household_share_min" in dist:
        values["household_share_min"] = Decimal(str(dist["household_share_min"]))
    if "publicity_days" in dist:
        values["plan_publicity_days"] = int(dist["publicity_days"])
    values["sources"] = dict(pack.get("sources", {}))
    for section in SECTIONS:
        values[section] = dict(pack.get(section, {}))
    return values


@cache
def _packs() -> tuple[dict, ...]:
    return tuple(_load(RULES_FILE))


def rules_for(area_code: str, year: int) -> FundsRules:
    applicable = [p for p in _packs() if area_code.startswith(p["jurisdiction"]) and p["from_year"] <= year]
    if not applicable:
        raise ValidationFailed(f"没有适用于 {area_code} {year} 年的资金规则", code="no_rules")
    applicable.sort(key=lambda p: (len(p["jurisdiction"]), p["from_year"]))
    merged: dict = {"sources": {}, **{section: {} for section in SECTIONS}}
    used = []
    for pack in applicable:
        values = _flatten(pack)
        merged["sources"].update(values.pop("sources"))
        for section in SECTIONS:
            merged[section].update(values.pop(section))
        merged.update(values)
        used.append(pack["id"])
    return FundsRules(packs=tuple(used), **merged)
