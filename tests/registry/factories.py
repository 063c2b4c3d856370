"""Registry records for tests: valid households and members built directly, plus ID numbers."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from support.places import VILLAGE

from fupin.areas.models import Area
from fupin.core.validators import id_check_digit
from fupin.registry.dictionaries import code_lists, dictionaries_load
from fupin.registry.models import Dictionary, Household, Person, RegistryYear

_serial = itertools.count(100)


def ensure_dictionaries() -> None:
    if not Dictionary.objects.exists():
        dictionaries_load(actor=None)
    code_lists.cache_clear()


def id_number(birth: dt.date, sex: str, county: str = "210922", seq: int | None = None) -> str:
    """A valid 18-digit resident ID number; odd 17th digit for men (sex "1"), even for women."""
    seq = next(_serial) % 100 if seq is None else seq
    digit = (seq % 5) * 2 + (1 if sex == "1" else 0)
    first17 = f"{county}{birth:%Y%m%d}{seq:02d}{digit}"
    return first17 + id_check_digit(first17)


def member(name: str, relation: str, sex: str, birth: dt.date, **extra) -> dict:
    return {"name": name, "relation": relation, "sex": sex, "birth_date": birth,
            "id_number": id_number(birth, sex), "id_type": "01", "ethnicity": "01", "health": "1",
            "labour_skill": "1", **extra}


def family() -> list[dict]:
    """户主 王福 (1960), his wife 李桂兰 (1962) and their son 王浩 (1990)."""
    people = [member("王福", "02", "1", dt.date(1960, 3, 2)),
              member("李桂兰", "10", "2", dt.date(1962, 7, 15)),
              member("王浩", "20", "1", dt.date(1990, 11, 30))]
    for i, p in enumerate(people, start=1):
        p["person_number"] = f"210922101202000{i}01"
    return people


def make_household(*, village: str = VILLAGE, year: int = 2020, number: str | None = None,
                   status: str = "registered", members: list[dict] | None = None, **fields) -> Household:
    """A valid household with members, inserted directly (not through the services)."""
    ensure_dictionaries()
    area = Area.objects.current().get(code=village)
    county = Area.objects.current().get(code=village[:6] + "000000")
    RegistryYear.objects.get_or_create(county=county, year=year)
    number = number or f"{village}{next(_serial):04d}"
    members = members if members is not None else family()
    values = {"identification_standard": "1", "poverty_attribute": "1", "main_cause": "01",
              "wage_income": Decimal("6000.00"), "business_income": Decimal("5000.00"),
              "transfer_income": Decimal("1500.00"), "production_costs": Decimal("2000.00"),
              "phone": "13912345678", **fields}
    h = Household(year=year, household_number=number, village=area, status=status, **values)
    from fupin.registry.services import _apply_income

    _apply_income(h, sum(1 for m in members if m.get("status", "active") == "active"))
    h.save()
    for i, m in enumerate(members, start=1):
        Person.objects.create(household=h, year=year, **{**m, "person_number": f"{number}{i:02d}"})
    return h
