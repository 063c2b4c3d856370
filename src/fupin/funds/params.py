"""Parameters the PV, microcredit and workshop rules read from the policy pack in force for an area and
year (fupin.policy), with the clause each cites, so a refusal can name its source."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from fupin.core.errors import ValidationFailed
from fupin.policy.engine import Pack
from fupin.policy.selectors import packs_for_area


@dataclass(frozen=True)
class PackValue:
    name: str
    value: object
    pack: str
    cite: str

    @property
    def decimal(self) -> Decimal:
        return Decimal(str(self.value))


def pack_for(area_code: str, year: int) -> Pack:
    packs = packs_for_area(area_code, year)
    if not packs:
        raise ValidationFailed(_("%(y)s 年 %(a)s 没有适用的政策包，无法按政策核验") % {"y": year, "a": area_code},
                               code="no_policy_pack")
    return packs[0]


def param(area_code: str, year: int, name: str) -> PackValue:
    """One parameter of the pack in force; refused (naming the parameter) when the pack has none."""
    pack = pack_for(area_code, year)
    p = pack.parameters.get(name)
    if p is None:
        raise ValidationFailed(_("政策包 %(p)s 没有参数 %(n)s") % {"p": pack.key, "n": name}, code="no_policy_parameter")
    cite = "；".join(f"{c.seed}「{c.quote}」" for c in p.cite)
    return PackValue(name=name, value=p.value, pack=pack.key, cite=cite)


# 以工代训: 「给予一定期限的职业培训补贴，最长不超过 6个月」 (seed 000). zhangwu-2020@2 sets it as
# `workshop_training_months_max`; the figure here is only the fallback for a pack without it.
TRAINING_MONTHS_PARAM = "workshop_training_months_max"
DEFAULT_TRAINING_MONTHS_MAX = 6
DEFAULT_TRAINING_MONTHS_CITE = "000「补贴，最长不超过 6个月。」"


def training_months_max(area_code: str, year: int) -> PackValue:
    """The longest 以工代训 subsidy, in months, for a workshop in the area and year."""
    pack = pack_for(area_code, year)
    if TRAINING_MONTHS_PARAM in pack.parameters:
        return param(area_code, year, TRAINING_MONTHS_PARAM)
    return PackValue(name=TRAINING_MONTHS_PARAM, value=DEFAULT_TRAINING_MONTHS_MAX,
                     pack=_("系统默认值（%(p)s 未设置）") % {"p": pack.key}, cite=DEFAULT_TRAINING_MONTHS_CITE)
