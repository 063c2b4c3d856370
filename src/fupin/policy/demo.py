"""Demo screening: the Zhangwu 2020 pack over 哈尔套镇 (the demo village 富有村委会 lies in it), so the
household pages of the demo show stored decisions beside the live explanation."""

from __future__ import annotations

from fupin.policy.models import ScreeningRun
from fupin.policy.services import screening_run

TOWNSHIP = "210922101"  # 哈尔套镇
YEAR = 2020


def demo_policy() -> ScreeningRun | None:
    """One run over the township, unless one exists already (idempotent)."""
    if ScreeningRun.objects.filter(year=YEAR, area_code__startswith=TOWNSHIP).exists():
        return None
    return screening_run(actor=None, pack_ref="zhangwu-2020", year=YEAR, area_code=TOWNSHIP)
