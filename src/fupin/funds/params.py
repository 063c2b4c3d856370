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
