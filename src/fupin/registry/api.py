"""The registry API: households (list, detail, PATCH with version), members, registry years, code lists.
Every read is scoped; certificate and phone numbers are masked unless the caller may see them."""

import datetime as dt
from dataclasses import asdict

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from fupin.accounts.access import can_see_pii, require
from fupin.api.pagination import Pages
from fupin.api.schemas import Error, Year
from fupin.core.errors import NotFound
from fupin.core.validators import mask_id_number, mask_phone
from fupin.registry import schema
from fupin.registry.dictionaries import code_lists
from fupin.registry.models import Household, Person
from fupin.registry.quality import summary_by_check
from fupin.registry.quality_store import stored_run
from fupin.registry.schemas import (
    DictionaryEntryOut,
    HouseholdDetailOut,
    HouseholdNew,
    HouseholdPatch,
    HouseholdRow,
    PersonAdd,
    PersonPatch,
    QualityIssueOut,
    QualitySummaryOut,
    RegistryYearOut,
    YearActionIn,
)
from fupin.registry.selectors import (
    household_get,
    household_list,
    household_members,
    person_get,
    registry_years,
)
from fupin.registry.services import (
    household_create,
    household_update,
    registry_year_freeze,
    registry_year_unfreeze,
)
from fupin.registry.validation import age_on, year_end

router = Router(tags=["registry 建档立卡"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 423: Error}


class HouseholdFilter(Schema):
    year: Year | None = None
    village: str | None = None
    status: str | None = None
    attribute: str | None = None
    cause: str | None = None
    q: str | None = None


def _person(p: Person, pii: bool) -> dict:
    out = {f.name: getattr(p, f.name) for f in schema.fields_of(schema.PERSON)
           if f.name not in ("household_number", "age")}
    out["id"] = p.pk
    out["age"] = age_on(p.birth_date, year_end(p.year))
    if not pii:
        out["id_number"], out["phone"] = mask_id_number(p.id_number), mask_phone(p.phone)
    return out


def _household(actor, h: Household) -> dict:
    pii = can_see_pii(actor, h.village.code)
    members = household_members(h)
    out = {f.name: getattr(h, f.name) for f in schema.fields_of(schema.HOUSEHOLD)
           if f.name not in ("village", "pairing_cadre", "county_name", "township_name", "village_name", "head_name",
                             "pairing_cadre_name")}
    head = next((p for p in members if p.relation == schema.HEAD_RELATION and p.status == "active"), None)
    out.update(id=h.pk, version=h.version, village=h.village.code, village_name=h.village.name,
               head_name=head.name if head else "", status_label=h.get_status_display(),
               pairing_cadre=h.pairing_cadre_id, pairing_cadre_name=str(h.pairing_cadre) if h.pairing_cadre_id else "",
               persons=[_person(p, pii) for p in members], pii_visible=pii)
    if not pii:
        out["phone"] = mask_phone(h.phone)
    return out


@router.get("/households", response=list[HouseholdRow])
@paginate(Pages, page_size=50)
def list_households(request, filters: Query[HouseholdFilter]):
    """Households in your scope (建档立卡户), filtered by year, village code prefix, status, 贫困户属性,
    main cause, or `q` (a member's name, a whole certificate number or 人编号, the start of a 户编号)."""
    qs = household_list(request.auth, year=filters.year, village=filters.village or "", status=filters.status or "",
                        attribute=filters.attribute or "", cause=filters.cause or "", q=filters.q or "")
    return qs.order_by("year", "household_number")


def _without_unset(values: dict) -> dict:
    """Fields sent as null are left to the defaults (empty text, 0 yuan), as on the pages."""
    return {k: v for k, v in values.items() if v is not None}


@router.post("/households", response={201: HouseholdDetailOut, **ERRORS})
def create_household(request, payload: HouseholdNew):
    """建档: a new household with its members (exactly one head), in status 拟纳入. Invalid values answer 400
    with every problem in `details.problems`; a village outside your areas 403; a frozen year 423."""
    data = _without_unset(payload.model_dump(exclude_unset=True))
    persons = [_without_unset(p) for p in data.pop("persons")]
    year = data.pop("year")
    household = household_create(actor=request.auth, year=year, data=data, persons=persons)
    return Status(201, _household(request.auth, household_get(request.auth, household.pk)))


@router.post("/households/{household_id}/persons", response={201: HouseholdDetailOut, **ERRORS})
def add_person(request, household_id: int, payload: PersonAdd):
    """新增成员: a member joining the household; send the `version` of the household file you read (409 when
    stale). Answers with the whole file, the new member numbered after the others."""
    household = household_get(request.auth, household_id, "registry.edit")
    values = _without_unset(payload.model_dump(exclude_unset=True))
    version = values.pop("version")
    household_update(actor=request.auth, household_id=household.pk, expected_version=version, new_persons=[values])
    return Status(201, _household(request.auth, household_get(request.auth, household.pk)))


@router.get("/households/{household_id}/card.pdf", response={200: None, **ERRORS})
def household_card_pdf(request, household_id: int):
    """The household's 扶贫明白卡 as an A4 PDF, certificate and phone numbers masked where you may not see them."""
    from fupin.registry.views_card import card_pdf, pdf_response

    household = household_get(request.auth, household_id)
    return pdf_response(card_pdf(request.auth, household), household)


@router.get("/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS})
def get_household(request, household_id: int):
    """One household file (一户一档) with its members."""
    return _household(request.auth, household_get(request.auth, household_id))


@router.patch("/households/{household_id}", response={200: HouseholdDetailOut, **ERRORS})
def patch_household(request, household_id: int, payload: HouseholdPatch):
    """Change household fields. Send the `version` you read: if the file changed since, 409 and nothing changes;
    a frozen year answers 423; invalid values 400 with every problem in `details.problems`."""
    household = household_get(request.auth, household_id, "registry.edit")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    household = household_update(actor=request.auth, household_id=household.pk, expected_version=version,
                                 data=changes)
    return _household(request.auth, household_get(request.auth, household.pk))


@router.patch("/persons/{person_id}", response={200: HouseholdDetailOut, **ERRORS})
def patch_person(request, person_id: int, payload: PersonPatch):
    """Change one member; `version` is the version of the household file. Answers with the whole file."""
    person = person_get(request.auth, person_id, "registry.edit")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    household_update(actor=request.auth, household_id=person.household_id, expected_version=version,
                     persons={person.pk: changes})
    return _household(request.auth, household_get(request.auth, person.household_id))


def _year_out(row) -> RegistryYearOut:
    return RegistryYearOut(county=row.county.code[:6], county_name=row.county.name, year=row.year, frozen=row.frozen,
                           frozen_by=str(row.frozen_by) if row.frozen_by_id else "", frozen_at=row.frozen_at,
                           note=row.note)


@router.get("/years", response=list[RegistryYearOut])
def list_years(request):
    """Registry years of the counties in your scope, and whether each is frozen (封存)."""
    return [_year_out(r) for r in registry_years(request.auth)]


@router.post("/years/{county}/{year}/freeze", response={200: RegistryYearOut, **ERRORS})
def freeze_year(request, county: str, year: Year, payload: YearActionIn):
    """Freeze a county's registry year (county administrators): every later write is refused with 423."""
    return _year_out(registry_year_freeze(actor=request.auth, county_code=county, year=year, note=payload.note))


@router.post("/years/{county}/{year}/unfreeze", response={200: RegistryYearOut, **ERRORS})
def unfreeze_year(request, county: str, year: Year, payload: YearActionIn):
    """Unfreeze a year; `note` (the reason) is required and kept in the audit trail."""
    return _year_out(registry_year_unfreeze(actor=request.auth, county_code=county, year=year, note=payload.note))


class QualityFilter(Schema):
    year: int = Field(..., ge=2000, le=2100)
    area: str = ""
    check: str = ""


@router.get("/quality", response={200: list[QualityIssueOut], **ERRORS})
@paginate(Pages, page_size=100)
def list_quality_issues(request, filters: Query[QualityFilter]):
    """Data-quality issues (数据质量问题) of one year in your areas: 两该两不该, 账实相符/账账相符 and
    cross-year checks; narrowed to `area` (a division code) and to one `check` when given."""
    run = stored_run(actor=request.auth, year=filters.year, area_code=filters.area,
                     checks=[filters.check] if filters.check else None)
    return [asdict(i) for i in run.issues]


@router.get("/quality/summary", response={200: QualitySummaryOut, **ERRORS})
def quality_summary(request, filters: Query[QualityFilter]):
    """Issue counts per check, with the source each check implements, and the checks skipped (no policy pack)."""
    run = stored_run(actor=request.auth, year=filters.year, area_code=filters.area,
                     checks=[filters.check] if filters.check else None)
    return {"year": run.year, "area_code": run.area_code, "households": run.households, "issues": len(run.issues),
            "skipped": run.skipped, "checks": summary_by_check(run)}


@router.get("/dictionaries/{name}", response={200: list[DictionaryEntryOut], **ERRORS})
def get_dictionary(request, name: str, on: dt.date | None = None):
    """The entries of one code list (数据字典) in force on `on` (default today)."""
    require(request.auth, "registry.view")
    lists = code_lists(on or dt.date.today())
    if name not in lists.lists:
        raise NotFound(f"未知的数据字典：{name}")
    return [DictionaryEntryOut(code=c, label=label) for c, label in lists.choices(name)]
