"""扶贫明白卡: the household card's extra sections, contributed by other apps.

The registry draws the card's own parts (household, members, income, 两不愁三保障, pairing cadre).
Other capabilities add a section from their AppConfig.ready():

    from fupin.registry.card import register_card_section
    register_card_section(40, _("帮扶措施"), measures_rows)

where `measures_rows(household, actor)` returns a list of rows `{"label": ..., "value": ...}` (both
shown as text), or None when the section does not apply to this household (it is then left out).
The same sections show on the household detail page and on the printed card, in `order`.
A section's function reads through `fupin.accounts.access` like every other read; the registry has
already checked that the actor may see the household.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SectionRows = list[dict[str, Any]]
SectionFunction = Callable[[Any, Any], SectionRows | None]


@dataclass(frozen=True)
class CardSection:
    order: int
    title: str
    fn: SectionFunction


@dataclass(frozen=True)
class RenderedSection:
    order: int
    title: str
    rows: SectionRows


_SECTIONS: dict[str, CardSection] = {}


def register_card_section(order: int, title: Any, fn: SectionFunction) -> None:
    """Add a section to every household card. Registering the same function again replaces it
    (ready() may run more than once in tests)."""
    key = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}"
    _SECTIONS[key] = CardSection(order=order, title=title, fn=fn)


def registered_sections() -> list[CardSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, str(section.title)))


def card_sections(household: Any, actor: Any) -> list[RenderedSection]:
    """The contributed sections for one household, in order, leaving out those that return None.
    A section that fails is logged and left out, so one app's fault never hides the whole card."""
    rendered = []
    for section in registered_sections():
        try:
            rows = section.fn(household, actor)
        except Exception:  # noqa: BLE001 - a contributed section must not break the card
            logger.exception("card section %s failed for household %s", section.title, household.pk)
            continue
        if rows is None:
            continue
        rendered.append(RenderedSection(order=section.order, title=str(section.title),
                                        rows=[{"label": str(row.get("label", "")), "value": _text(row.get("value"))}
                                              for row in rows]))
    return rendered


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


# ------------------------------------------------------------------------------------- the card itself

def household_card(actor, household) -> dict:
    """Everything the 明白卡 shows, masked for `actor` (who has already been allowed to see the household):
    the household, its members, income, 两不愁三保障, the pairing cadre and the contributed sections.
    Nothing in it depends on the moment it is printed, so a frozen year's card is reproducible."""
    from fupin.accounts.access import can_see_pii
    from fupin.core.validators import mask_phone
    from fupin.registry import schema
    from fupin.registry.dictionaries import code_lists_for_year
    from fupin.registry.selectors import household_members, income_rows, person_row, year_frozen

    pii = can_see_pii(actor, household.village.code)
    codes = code_lists_for_year(household.year)
    members = [person_row(p, pii=pii, codes=codes) for p in household_members(household)]
    head = next((m for m in members if m["active"] and m["relation"] == codes.label("relation", schema.HEAD_RELATION)),
                None)
    township = household.village.code[:9] + "000"
    county = household.village.code[:6] + "000000"
    from fupin.registry.io.exporter import areas_for_year

    names = dict(areas_for_year(household.year).filter(code__in=[township, county]).values_list("code", "name"))

    def label(dictionary: str, code: str) -> str:
        return codes.label(dictionary, code) if code else ""

    needs = [(_("不愁吃"), household.food_secure), (_("不愁穿"), household.clothing_secure),
             (_("义务教育有保障"), household.compulsory_education_secured),
             (_("基本医疗有保障"), household.basic_medical_secured), (_("住房安全有保障"), household.housing_secured),
             (_("安全饮水"), household.safe_drinking_water)]
    cadre = household.pairing_cadre
    return {
        "household": household,
        "pii": pii,
        "frozen": year_frozen(year=household.year, village_code=household.village.code),
        "place": " ".join(n for n in (names.get(county, ""), names.get(township, ""), household.village.name) if n),
        "head_name": head["name"] if head else "",
        "phone": household.phone if pii else mask_phone(household.phone),
        "facts": [
            (_("户编号"), household.household_number), (_("户状态"), household.get_status_display()),
            (_("贫困户属性"), label("poverty_attribute", household.poverty_attribute)),
            (_("识别标准"), label("identification_standard", household.identification_standard)),
            (_("主要致贫原因"), label("poverty_cause", household.main_cause)),
            (_("其他致贫原因"), "、".join(label("poverty_cause", c) for c in household.other_causes or [])),
            (_("首次识别时间"), household.first_identified_on or ""),
            (_("脱贫年度"), household.exit_year or ""),
        ],
        "members": [m for m in members if m["active"]],
        "income": income_rows(household),
        "needs": [(title, _text(value) if value is not None else _("未填报"), value) for title, value in needs],
        "housing_grade": label("housing_grade", household.housing_grade),
        "cadre": {"name": (cadre.full_name or cadre.username), "organisation": cadre.organisation,
                  "phone": cadre.phone if pii else mask_phone(cadre.phone)} if cadre else None,
        "sections": card_sections(household, actor),
    }


# Buttons on the household page that lead to another capability's view of the household (its
# assistance plan, proposing it for monitoring). An app registers `(order, label, action, url_fn)`;
# the button shows when the user may do `action` at the household's village.
_LINKS: dict[str, tuple[int, Any, str, Callable[[Any], str]]] = {}


def register_household_link(order: int, label: Any, action: str, url_fn: Callable[[Any], str]) -> None:
    _LINKS[f"{getattr(url_fn, '__module__', '')}.{label}"] = (order, label, action, url_fn)


def household_links(household: Any, actor: Any) -> list[dict[str, str]]:
    from fupin.accounts.access import can

    return [{"label": str(label), "url": url_fn(household)}
            for order, label, action, url_fn in sorted(_LINKS.values(), key=lambda link: link[0])
            if can(actor, action, household.village.code)]
