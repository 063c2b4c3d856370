"""API schemas, built from the field catalogue so the API, the pages and the files share one set of
names. Certificate and phone numbers in these outputs are masked unless the caller may see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, create_model

from fupin.registry import schema
from fupin.registry.services import HOUSEHOLD_EDITABLE, PERSON_EDITABLE

_TYPES = {"str": str, "int": int | None, "decimal": Decimal | None, "date": dt.date | None, "bool": bool | None,
          "code": str, "codes": list[str], "choice": str}


def _fields(entity: str, names=None, *, optional: bool = False) -> dict:
    out = {}
    for spec in schema.fields_of(entity):
        if names is not None and spec.name not in names:
            continue
        kind = _TYPES[spec.type]
        out[spec.name] = (kind | None, None) if optional else (kind, ...)
    return out


_PERSON_OUT = [n for n in (f.name for f in schema.fields_of(schema.PERSON)) if n not in ("household_number",)]
PersonOut = create_model("PersonOut", __base__=Schema, id=(int, ...), **_fields(schema.PERSON, _PERSON_OUT))

_HOUSEHOLD_OUT = [f.name for f in schema.fields_of(schema.HOUSEHOLD)
                  if f.name not in ("county_name", "township_name", "head_name", "pairing_cadre_name")]
HouseholdOut = create_model(
    "HouseholdOut", __base__=Schema, id=(int, ...), version=(int, ...), head_name=(str, ...),
    status_label=(str, ...), pairing_cadre_name=(str, ...), **_fields(schema.HOUSEHOLD, _HOUSEHOLD_OUT))


class HouseholdDetailOut(HouseholdOut):
    persons: list[PersonOut]
    pii_visible: bool


class HouseholdRow(Schema):
    """One line of the household list (read from a queryset annotated with `head_name`)."""

    id: int
    year: int
    household_number: str
    village: str
    village_name: str
    head_name: str
    member_count: int
    status: str
    status_label: str
    poverty_attribute: str
    main_cause: str
    per_capita_net_income: Decimal
    version: int

    @staticmethod
    def resolve_village(obj) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village_name(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_head_name(obj) -> str:
        return obj.head_name or ""

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class _Patch(Schema):
    """A partial update: fields not listed are refused (422), never silently dropped."""

    model_config = ConfigDict(extra="forbid")


HouseholdPatch = create_model("HouseholdPatch", __base__=_Patch, version=(int, ...),
                              **_fields(schema.HOUSEHOLD, set(HOUSEHOLD_EDITABLE) - {"pairing_cadre"}, optional=True),
                              pairing_cadre=(int | None, None))
HouseholdPatch.__doc__ = ("Fields to change and the version you read (户信息修改). Only the fields you send change; "
                          "a stale version is refused with 409 and nothing changes.")
PersonPatch = create_model("PersonPatch", __base__=_Patch, version=(int, ...),
                           **_fields(schema.PERSON, set(PERSON_EDITABLE), optional=True))
PersonPatch.__doc__ = "Member fields to change and the version of the household file you read."


class RegistryYearOut(Schema):
    county: str
    county_name: str
    year: int
    frozen: bool
    frozen_by: str
    frozen_at: dt.datetime | None
    note: str


class YearActionIn(Schema):
    note: str = ""


class DictionaryEntryOut(Schema):
    code: str
    label: str


class QualityIssueOut(Schema):
    """One data-quality issue (数据质量问题): the household, the check that failed, why, and the values compared."""

    household_id: int
    household_number: str
    year: int
    area_code: str
    check: str
    message: str
    values: dict


class QualityCheckOut(Schema):
    id: str
    group: str
    title: str
    source: str
    count: int


class QualitySummaryOut(Schema):
    year: int
    area_code: str
    households: int
    issues: int
    skipped: list[str]
    checks: list[QualityCheckOut]


PersonNew = create_model("PersonNew", __base__=_Patch,
                         **_fields(schema.PERSON, set(PERSON_EDITABLE), optional=True))
PersonNew.__doc__ = ("A new member (新增成员). 人编号 is assigned from the 户编号; 人员状态 defaults to 在户. "
                     "Every rule of the registry applies (ID check digit, birth date and sex, codes, one head).")
PersonAdd = create_model("PersonAdd", __base__=PersonNew, version=(int, ...))
PersonAdd.__doc__ = "A member joining a household, with the version of the household file you read."
HouseholdNew = create_model(
    "HouseholdNew", __base__=_Patch, year=(int, ...), village=(str, ...), household_number=(str | None, None),
    persons=(list[PersonNew], ...), pairing_cadre=(int | None, None),
    **_fields(schema.HOUSEHOLD, set(HOUSEHOLD_EDITABLE) - {"pairing_cadre"}, optional=True))
HouseholdNew.__doc__ = ("A new household (建档) with its members, in status 拟纳入 (candidate): it enters the registry "
                        "through the identification review. `household_number` is assigned when left out.")
