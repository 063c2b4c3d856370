"""附件4 报送材料清单: what each party hands in, as the 2020 implementation plan lists it.

`team` items are handed in by each work team to the county poverty office; `county` items by the
county office to the city spot-check group, per team (`per_team`) or once for the round."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Material:
    key: str
    party: str  # "team" | "county"
    title: str
    per_team: bool = True
    quote: str = ""


MATERIALS: tuple[Material, ...] = (
    Material("team.self_form", "team", "驻村工作队自评表（附件1）", quote="1.驻村工作队自评表（附件 1）"),
    Material("team.proof", "team", "驻村工作队工作实绩相关证明材料", quote="2.驻村工作队工作实绩相关证明材料"),
    Material("team.situation_form", "team",
             "驻村工作队工作情况表（附件2）及工作实绩相关证明材料（单位投入资金、协调项目资金、物资折款、村集体收入等）",
             quote="3.驻村工作队工作情况表（附件 2）及工作实绩相关证明材料"),
    Material("county.ranking", "county", "县级排序表（附件3）", per_team=False, quote="1.县级排序表（附件 3）"),
    Material("county.evaluation_form", "county", "县级考核评价表（附件1）", quote="2.县级考核评价表（附件 1）"),
    Material("county.self_form", "county", "驻村工作队自评表（附件1）", quote="3.驻村工作队自评表（附件 1）"),
    Material("county.situation_form", "county",
             "驻村工作队工作情况表（附件2）及工作实绩相关证明材料、县级评价扣分证明",
             quote="4.驻村工作队工作情况表（附件 2）及工作实绩相关证明材料"),
)

PARTIES = {"team": "一、驻村工作队报送县级扶贫部门材料清单", "county": "二、县级扶贫部门报送市级抽验组材料清单"}
BY_KEY = {m.key: m for m in MATERIALS}
