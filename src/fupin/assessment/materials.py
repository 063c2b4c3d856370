"""附件4 报送材料清单 as the process tracks it: each item of the canonical list
(`fupin.assessment.forms.materials.MATERIALS`, with its citations), who hands it in (`party`: the team
to the county, or the county to the city spot-check group) and whether it goes per team or once for
the round (only the county ranking, 附件3)."""

from __future__ import annotations

from dataclasses import dataclass

from fupin.assessment.forms.materials import MATERIALS as LISTS

ONCE_PER_ROUND = {"county.ranking"}


@dataclass(frozen=True)
class Material:
    key: str
    party: str  # "team" | "county"
    title: str
    per_team: bool = True


MATERIALS: tuple[Material, ...] = tuple(
    Material(item.key, group.key, item.title, per_team=item.key not in ONCE_PER_ROUND)
    for group in LISTS for item in group.items)
PARTIES = {group.key: group.title for group in LISTS}
BY_KEY = {m.key: m for m in MATERIALS}
