"""The assistance rules of the documents, and where their numbers come from.

- 帮扶责任人: 「各帮扶责任人每人所帮扶的贫困户不超过 5户，每月不少于 3 次到所帮扶的贫困户家了解情况」
  (seed 000, 附件14 五; spec part 02 §2.12 and §4.6). Both numbers are read from the policy pack in
  force for the household's area and year (`pairing_cadre_max_households` /
  `pairing_cadre_min_visits_per_month`, set by zhangwu-2020@2); the Zhangwu figures below are only the
  fallback for an area and year whose packs do not set them, and then the seed sentence is the source.
- 开发式/保障性: 「对有劳动能力的监测对象，主要采取开发式帮扶措施」「对无劳动能力的监测对象，进一步强化
  综合性社会保障措施」 (seed 000, 彰武县防止返贫监测和帮扶机制实施办法).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from fupin.registry.models import HouseholdStatus

DEFAULT_MAX_HOUSEHOLDS = 5
DEFAULT_MIN_VISITS = 3
MAX_HOUSEHOLDS_PARAM = "pairing_cadre_max_households"
MIN_VISITS_PARAM = "pairing_cadre_min_visits_per_month"
DEFAULT_SOURCE = "000: 每人所帮扶的贫困户不超过 5户，每月不少于 3 次"

# 劳动技能 codes (dictionary labour_skill) that count as labour capacity: 普通劳动力, 技能劳动力 and
# 弱劳动力或半劳动力 (a half labourer can still take a work-based measure such as a 公益岗位);
# 丧失劳动力 and 无劳动力 do not.
LABOUR_SKILLS = ("1", "2", "3")

# 未脱贫 (poor) statuses; together with monitored households whose risk is not eliminated, these are
# the households that must have a pairing cadre.
POOR_STATUSES = (HouseholdStatus.REGISTERED, HouseholdStatus.EXPECTED_EXIT, HouseholdStatus.RETURNED)
# Households that can hold an assistance plan: registered (including exited) or monitored.
PLAN_STATUSES = POOR_STATUSES + (HouseholdStatus.EXITED,)


def monitored_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}monitoring_type__gt": ""}) & ~Q(**{f"{prefix}risk_eliminated": True})


def needs_cadre_q(prefix: str = "") -> Q:
    """Households that must be paired: registered poor, or monitored with the risk not eliminated."""
    return Q(**{f"{prefix}status__in": POOR_STATUSES}) | monitored_q(prefix)


def plan_allowed_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": PLAN_STATUSES}) | monitored_q(prefix)


@dataclass(frozen=True)
class CadreLimits:
    max_households: int
    min_visits: int
    source: str  # the pack (id@version) the numbers come from, or the seed sentence of the default


def cadre_limits(area_code: str, year: int) -> CadreLimits:
    """The limits in force for an area and year: the most specific published pack that sets them."""
    from fupin.policy.selectors import packs_for_area

    max_households, min_visits, sources = DEFAULT_MAX_HOUSEHOLDS, DEFAULT_MIN_VISITS, []
    found_max = found_min = False
    for pack in packs_for_area(area_code, year):
        if not found_max and MAX_HOUSEHOLDS_PARAM in pack.parameters:
            max_households, found_max = int(pack.parameters[MAX_HOUSEHOLDS_PARAM].value), True
            sources.append(pack.key)
        if not found_min and MIN_VISITS_PARAM in pack.parameters:
            min_visits, found_min = int(pack.parameters[MIN_VISITS_PARAM].value), True
            sources.append(pack.key)
    return CadreLimits(max_households, min_visits, "、".join(dict.fromkeys(sources)) or DEFAULT_SOURCE)


def plan_rule(has_labour: bool, kinds: set[str]) -> tuple[bool, str]:
    """Whether a plan's current measures (planned or in place) fit the household's labour capacity."""
    if has_labour:
        if "work" in kinds:
            return True, _("有劳动能力，已安排开发式帮扶措施")
        return False, _("有劳动能力的家庭应至少安排一项开发式帮扶措施（产业、就业等）")
    if "protection" in kinds:
        return True, _("无劳动能力，已安排保障性措施")
    return False, _("无劳动能力的家庭应安排保障性措施（低保、特困供养、医疗救助等）")
