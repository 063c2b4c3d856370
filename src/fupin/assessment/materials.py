"""附件4 报送材料清单 as the process tracks it: each item of the canonical list
(`fupin.assessment.forms.materials.MATERIALS`, with its citations), who hands it in (`party`: the team
to the county, or the county to the city spot-check group) and whether it goes per team or once for
the round (only the county ranking, 附件3)."""

from __future__ import annotations

from dataclasses import dataclass

from fupin.assessment.forms.materials import MATERIALS as LISTS

ONCE_PER_ROUND = {"county.ranking"}
SHORT = {"team.self_form": "自评表", "team.proof": "实绩证明材料", "team.situation_form": "工作情况表及证明",
         "county.ranking": "县级排序表", "county.evaluation_form": "县级考核评价表", "county.self_form": "自评表",
         "county.situation_form": "工作情况表、扣分证明"}


@dataclass(frozen=True)
class Material:
    key: str
    party: str  # "team" | "county"
    title: str
    per_team: bool = True

    @property
    def short(self) -> str:
        return SHORT.get(self.key, self.title)


MATERIALS: tuple[Material, ...] = tuple(
    Material(item.key, group.key, item.title, per_team=item.key not in ONCE_PER_ROUND)
    for group in LISTS for item in group.items)
PARTIES = {group.key: group.title for group in LISTS}
BY_KEY = {m.key: m for m in MATERIALS}
