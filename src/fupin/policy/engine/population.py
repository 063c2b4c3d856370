"""Checks over a whole population rather than one household: the monitoring scale (at most ~5%)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .batch import ID
from .model import Pack

REGISTERED_TYPES = ("1", "2")  # 户类型: 贫困户, 脱贫户 — together the 建档立卡 population


@dataclass
class ScaleCheck:
    registered_persons: float
    monitored_persons: float
    proposed_persons: float
    max_share: float

    @property
    def cap(self) -> float:
        return self.max_share * self.registered_persons

    @property
    def within(self) -> bool:
        return self.monitored_persons + self.proposed_persons <= self.cap

    def as_dict(self) -> dict:
        total = self.monitored_persons + self.proposed_persons
        return {
            "registered_persons": self.registered_persons, "monitored_persons": self.monitored_persons,
            "proposed_persons": self.proposed_persons, "cap": self.cap, "max_share": self.max_share,
            "within": self.within,
            "message": (f"监测人数 {total:g} ≤ 上限 {self.cap:g}（建档立卡人口 {self.registered_persons:g} 的 "
                        f"{self.max_share:.0%}）" if self.within else
                        f"警告 warning: 监测人数 {total:g} 超过一般上限 {self.cap:g}（建档立卡人口 "
                        f"{self.registered_persons:g} 的 {self.max_share:.0%}；“一般不超过”，须说明理由）"),
        }


def monitoring_scale(pack: Pack, households: pl.DataFrame, decisions: pl.DataFrame, *, rule: str = "monitoring_eligible",
                     proposed_persons: float = 0) -> ScaleCheck:
    """Persons in households the rule selects (plus `proposed_persons`) against the pack's share of the
    registered population (persons of 贫困户 and 脱贫户). The limit is soft ("一般不超过"): a warning."""
    share = pack.parameters["monitoring_scale_max_share"].value
    registered = households.filter(pl.col("household_type").is_in(REGISTERED_TYPES))["member_count"].sum() or 0
    chosen = decisions.filter(pl.col(rule).fill_null(False)).select(ID)
    monitored = households.join(chosen, on=ID, how="semi")["member_count"].sum() or 0
    return ScaleCheck(float(registered), float(monitored), float(proposed_persons), share)
