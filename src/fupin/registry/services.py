"""Writes to the registry: households and their members, year freezing, lifecycle transitions.

Every service is keyword-only, takes the acting user first, runs in one transaction and writes one
audit event with it. Edits use optimistic locking: the caller passes the `version` it read; if the
record changed since, the edit raises Conflict and changes nothing. One version covers the whole
household file (household fields and members), because the rules that matter (one head, member
count, per-capita income) span both. A frozen year (封存) refuses every write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.access import actor_prefixes, can, require
from fupin.areas.models import Area, AreaLevel
from fupin.audit.services import audit_event
from fupin.core.errors import Conflict, Locked, NotFound, ValidationFailed
from fupin.core.validators import mask_id_number, mask_phone
from fupin.registry import income, lifecycle, schema
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.models import Household, HouseholdStatus, Person, PersonStatus, RegistryYear
from fupin.registry.validation import Problem, validate_record

# What people may edit on the household page; status and exit year change only through lifecycle_apply,
# the monitoring fields only through the monitoring capability, identity fields not at all.
HOUSEHOLD_EDITABLE = (
    "natural_village", "address", "phone", "identification_standard", "poverty_attribute", "main_cause",
    "other_causes", "first_identified_on", "military_family", "food_secure", "clothing_secure",
    "compulsory_education_secured", "basic_medical_secured", "housing_secured", "safe_drinking_water",
    "housing_grade", "housing_area", *income.INPUTS, "pairing_cadre",
)
PERSON_EDITABLE = (
    "name", "id_type", "id_number", "sex", "birth_date", "relation", "ethnicity", "education", "schooling",
    "health", "disability_category", "disability_grade", "labour_skill", "migrant_work_months",
    "medical_insurance", "major_illness_insurance", "pension_insurance", "phone", "identified_on", "status",
)
_MASKED = {"id_number": mask_id_number, "phone": mask_phone}
_HOUSEHOLD_TYPE = {"identify": "1", "return": "1", "correct_wrong_exit": "1", "exit": "2"}  # 贫困户 / 脱贫户


def county_code_of(village_code: str) -> str:
    return village_code[:6] + "000000"


def _county(village_code: str) -> Area:
    county = Area.objects.current().filter(code=county_code_of(village_code)).first()
    if county is None:
        raise NotFound(_("未知的县级区划：%(c)s") % {"c": village_code[:6]}, code="unknown_area")
    return county


def registry_year_get_or_create(*, county: Area, year: int) -> RegistryYear:
    row, _created = RegistryYear.objects.get_or_create(county=county, year=year)
    return row


def ensure_writable(*, year: int, village_code: str) -> None:
    """Raise Locked when the year is frozen for the village's county."""
    if RegistryYear.objects.filter(county__code=county_code_of(village_code), year=year, frozen=True).exists():
        raise Locked(_("%(y)s年度已封存，不能修改。如确需更正，请县级管理员先解除封存。") % {"y": year},
                     code="year_frozen", details={"year": year})


def _masked(values: Mapping) -> dict:
    return {k: (_MASKED[k](v) if k in _MASKED and isinstance(v, str) else v) for k, v in values.items()}


def _raise_problems(problems: list[Problem]) -> None:
    if problems:
        raise ValidationFailed("；".join(str(p) for p in problems[:10]) + ("……" if len(problems) > 10 else ""),
                               details={"problems": [p.as_dict() for p in problems]})


def _household_values(h: Household) -> dict:
    values = {spec.name: getattr(h, spec.name) for spec in schema.fields_of(schema.HOUSEHOLD, derived=False)
              if spec.name not in ("village", "pairing_cadre")}
    values["village"] = h.village.code
    values["pairing_cadre"] = h.pairing_cadre_id
    return values


def _person_values(p: Person) -> dict:
    values = {spec.name: getattr(p, spec.name) for spec in schema.fields_of(schema.PERSON, derived=False)
              if spec.name != "household_number"}
    values["household_number"] = p.household.household_number if p.household_id else ""
    values["pk"] = p.pk
    return values


def _elsewhere(year: int, id_numbers: Iterable[str], household_pk: int | None) -> dict[str, str]:
    numbers = [n.strip().upper() for n in id_numbers if n]
    qs = Person.objects.filter(year=year, id_number__in=numbers)
    if household_pk:
        qs = qs.exclude(household_id=household_pk)
    return dict(qs.values_list("id_number", "household__household_number"))


def _check_cadre(cadre_id, village_code: str) -> None:
    if not cadre_id:
        return
    from fupin.accounts.models import User

    cadre = User.objects.filter(pk=cadre_id, is_active=True).first()
    if cadre is None or not can(cadre, "registry.view", village_code):
        raise ValidationFailed(_("帮扶责任人：所选用户不存在、已停用或无权查看本村农户"), code="bad_cadre")


def _clean_codes(values: dict) -> dict:
    for name in ("id_number",):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip().upper()
    for name in ("name", "natural_village", "address", "phone"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    return values


def _apply_income(h: Household, member_count: int) -> None:
    h.member_count = member_count
    for name, value in income.compute_income({n: getattr(h, n) for n in income.INPUTS}, member_count).items():
        setattr(h, name, value)


def _check_unknown(fields: Iterable[str], allowed: Iterable[str], what: str) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationFailed(_("%(w)s中不可修改的字段：%(f)s") % {"w": what, "f": "、".join(unknown)},
                               code="field_not_editable")


def _save_members(h: Household, persons: list[Person]) -> None:
    """Members who stop being head or leave go first, so the one-head index never sees two heads."""
    def demoting(p: Person) -> bool:
        return p.relation != schema.HEAD_RELATION or p.status != PersonStatus.ACTIVE

    for p in sorted(persons, key=lambda p: 0 if demoting(p) else 1):
        if p.pk:
            p.save()
        else:
            p.household = h
            p.save(force_insert=True)


def _next_number(prefix: str, existing: Iterable[str], width: int) -> str:
    serials = [int(n[len(prefix):]) for n in existing if n.startswith(prefix) and n[len(prefix):].isdigit()]
    return prefix + str(max(serials, default=0) + 1).zfill(width)


def household_create(*, actor, year: int, data: Mapping, persons: list[Mapping],
                     status: str = HouseholdStatus.CANDIDATE) -> Household:
    """A new household file with its members. New households start as 拟纳入 (candidate) and enter the
    registry through the `identify` transition; only a role that approves (county) may create one in
    another status, for instance when correcting a record that was missed."""
    data = _clean_codes(dict(data))
    village_code = str(data.get("village") or "")
    village = Area.objects.current().filter(code=village_code, level=AreaLevel.VILLAGE).first()
    if village is None:
        raise ValidationFailed(_("行政村代码：未知的行政村“%(c)s”") % {"c": village_code}, code="unknown_village")
    require(actor, "registry.edit", village.code)
    if status != HouseholdStatus.CANDIDATE:
        require(actor, "registry.approve", village.code)
    _check_unknown(set(data) - {"village", "household_number", "member_count"}, HOUSEHOLD_EDITABLE, _("户信息"))
    ensure_writable(year=year, village_code=village.code)
    _check_cadre(data.get("pairing_cadre"), village.code)
    with transaction.atomic():
        registry_year_get_or_create(county=_county(village.code), year=year)
        number = data.get("household_number") or _next_number(
            village.code, Household.objects.filter(year=year, village=village).values_list("household_number",
                                                                                           flat=True), 4)
        members = [_clean_codes({"status": PersonStatus.ACTIVE, **m}) for m in persons]
        for i, m in enumerate(members, start=1):
            m.setdefault("person_number", f"{number}{i:02d}")
            m["household_number"] = number
        values = {**data, "household_number": number, "status": status, "year": year}
        problems = validate_record(values, members, code_lists_for_year(year), year=year,
                                   allowed_prefixes=actor_prefixes(actor, "registry.edit"),
                                   elsewhere=_elsewhere(year, [m.get("id_number") for m in members], None))
        if Household.objects.filter(year=year, household_number=number).exists():
            problems.append(Problem(schema.HOUSEHOLD, "household_number",
                                    _("户编号：%(n)s 在%(y)s年度已存在") % {"n": number, "y": year}, "duplicate"))
        _raise_problems(problems)
        h = Household(year=year, household_number=number, village=village, status=status,
                      **{k: v for k, v in data.items() if k in HOUSEHOLD_EDITABLE and k != "pairing_cadre"},
                      pairing_cadre_id=data.get("pairing_cadre") or None)
        active = [m for m in members if m["status"] == PersonStatus.ACTIVE]
        _apply_income(h, len(active))
        h.save(force_insert=True)
        rows = [Person(year=year, **{k: v for k, v in m.items() if k in PERSON_EDITABLE or k == "person_number"})
                for m in members]
        _save_members(h, rows)
        audit_event(actor=actor, action="household.create", target=h, area_code=village.code,
                    after=_masked({**_household_values(h), "members": [_masked(_person_values(p)) for p in rows]}))
    return h


def household_update(*, actor, household_id: int, expected_version: int, data: Mapping | None = None,
                     persons: Mapping[int, Mapping] | None = None, new_persons: list[Mapping] | None = None
                     ) -> Household:
    """Edit a household file: its own fields (`data`), members by id (`persons`), added members.

    Refused with Conflict if the file's version is no longer `expected_version`; with Locked if the
    year is frozen; with ValidationFailed naming every problem if the result would be invalid.
    """
    data = _clean_codes(dict(data or {}))
    persons = {int(k): _clean_codes(dict(v)) for k, v in (persons or {}).items()}
    new_persons = [_clean_codes({"status": PersonStatus.ACTIVE, **m}) for m in (new_persons or [])]
    _check_unknown(data, HOUSEHOLD_EDITABLE, _("户信息"))
    for changes in [*persons.values(), *new_persons]:
        _check_unknown(changes, PERSON_EDITABLE, _("成员信息"))
    with transaction.atomic():
        h = Household.objects.select_for_update().select_related("village").filter(pk=household_id).first()
        if h is None:
            raise NotFound(_("农户不存在"))
        require(actor, "registry.edit", h.village.code)
        ensure_writable(year=h.year, village_code=h.village.code)
        if h.version != expected_version:
            raise Conflict(_("该户信息已被他人修改（您编辑的是第%(mine)s版，当前为第%(now)s版），您的修改未保存。"
                             "请核对当前内容后重新提交。") % {"mine": expected_version, "now": h.version},
                           code="stale_version", details={"current_version": h.version})
        if "pairing_cadre" in data:
            _check_cadre(data["pairing_cadre"], h.village.code)
        before = _household_values(h)
        members = list(h.persons.all())
        by_pk = {p.pk: p for p in members}
        unknown = sorted(set(persons) - set(by_pk))
        if unknown:
            raise NotFound(_("成员不属于该户：%(ids)s") % {"ids": ", ".join(map(str, unknown))})
        member_before = {pk: _person_values(by_pk[pk]) for pk in persons}
        proposed = []
        for p in members:
            proposed.append({**_person_values(p), **persons.get(p.pk, {})})
        for m in new_persons:
            if not m.get("person_number"):
                m["person_number"] = _next_number(h.household_number, [x.get("person_number") or "" for x in proposed], 2)
            m["household_number"] = h.household_number
            proposed.append(m)
        values = {**before, **data}
        values.pop("member_count", None)
        problems = validate_record(values, proposed, code_lists_for_year(h.year), year=h.year,
                                   allowed_prefixes=actor_prefixes(actor, "registry.edit"),
                                   elsewhere=_elsewhere(h.year, [m.get("id_number") for m in proposed], h.pk))
        _raise_problems(problems)
        for k, v in data.items():
            setattr(h, "pairing_cadre_id" if k == "pairing_cadre" else k, v or None if k == "pairing_cadre" else v)
        changed = []
        for pk, changes in persons.items():
            p = by_pk[pk]
            for k, v in changes.items():
                setattr(p, k, v)
            changed.append(p)
        added = [Person(year=h.year, **{k: v for k, v in m.items() if k in PERSON_EDITABLE or k == "person_number"})
                 for m in new_persons]
        _apply_income(h, sum(1 for m in proposed if m.get("status", PersonStatus.ACTIVE) == PersonStatus.ACTIVE))
        updated = Household.objects.filter(pk=h.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(),
            **{f: getattr(h, f) for f in (*[n for n in HOUSEHOLD_EDITABLE if n != "pairing_cadre"], "pairing_cadre_id",
                                          "member_count", *income.COMPUTED)})
        if updated != 1:
            raise Conflict(_("该户信息已被他人修改，您的修改未保存。请核对当前内容后重新提交。"), code="stale_version")
        try:
            _save_members(h, [*changed, *added])
        except IntegrityError as exc:
            raise Conflict(_("成员信息与其他记录冲突（人编号或证件号码重复、或户主不唯一），未保存"),
                           code="integrity") from exc
        h.refresh_from_db()
        after = _household_values(h)
        diff_before = {k: v for k, v in before.items() if after.get(k) != v}
        diff_after = {k: after[k] for k in diff_before}
        member_changes = [{"person_number": p.person_number,
                           "before": _masked({k: v for k, v in member_before[p.pk].items() if k in persons[p.pk]}),
                           "after": _masked({k: getattr(p, k) for k in persons[p.pk]})} for p in changed]
        audit_event(actor=actor, action="household.update", target=h, area_code=h.village.code,
                    before=_masked(diff_before), after=_masked(diff_after),
                    details={"version": h.version, "members_changed": member_changes,
                             "members_added": [_masked(_person_values(p)) for p in added]})
    return h


def person_update(*, actor, person_id: int, expected_version: int, data: Mapping) -> Household:
    """Edit one member; `expected_version` is the version of the household file."""
    household_id = Person.objects.filter(pk=person_id).values_list("household_id", flat=True).first()
    if household_id is None:
        raise NotFound(_("成员不存在"))
    return household_update(actor=actor, household_id=household_id, expected_version=expected_version,
                            persons={person_id: data})


def registry_year_freeze(*, actor, county_code: str, year: int, note: str = "") -> RegistryYear:
    """封存: freeze one county's registry year (county administrators only)."""
    county = Area.objects.current().filter(code=county_code.ljust(12, "0"), level=AreaLevel.COUNTY).first()
    if county is None:
        raise NotFound(_("未知的县级区划：%(c)s") % {"c": county_code}, code="unknown_area")
    require(actor, "registry.freeze", county.code)
    with transaction.atomic():
        row = registry_year_get_or_create(county=county, year=year)
        row = RegistryYear.objects.select_for_update().get(pk=row.pk)
        if row.frozen:
            raise Conflict(_("%(y)s年度已经封存") % {"y": year}, code="already_frozen")
        row.frozen, row.frozen_by, row.frozen_at, row.note = True, actor, timezone.now(), note[:200]
        row.save()
        audit_event(actor=actor, action="registry_year.freeze", target=row, area_code=county.code,
                    details={"year": year, "note": note,
                             "households": Household.objects.filter(year=year,
                                                                    village__code__startswith=county.prefix).count()})
    return row


def registry_year_unfreeze(*, actor, county_code: str, year: int, note: str) -> RegistryYear:
    """解除封存: needs a reason, which the audit trail keeps."""
    if not (note or "").strip():
        raise ValidationFailed(_("解除封存必须填写原因"), code="reason_required")
    row = RegistryYear.objects.filter(county__code=county_code.ljust(12, "0"), year=year).select_related(
        "county").first()
    if row is None:
        raise NotFound(_("该年度不存在"))
    require(actor, "registry.freeze", row.county.code)
    with transaction.atomic():
        row = RegistryYear.objects.select_for_update().get(pk=row.pk)
        if not row.frozen:
            raise Conflict(_("%(y)s年度未封存") % {"y": year}, code="not_frozen")
        row.frozen, row.frozen_by, row.frozen_at, row.note = False, None, None, note[:200]
        row.save()
        audit_event(actor=actor, action="registry_year.unfreeze", target=row, area_code=row.county.code,
                    details={"year": year, "reason": note})
    return row


def lifecycle_apply(*, actor, household_id: int, transition: str, expected_version: int, reason: str,
                    decided_on: dt.date | None = None, evidence: Mapping | None = None,
                    reference: str = "") -> Household:
    """Apply one approved lifecycle transition (see registry/lifecycle.py).

    Transitions with a review need the approving role (county, `registry.approve`); the others the
    editing role. An exit needs `evidence` of the exit-standard check with `passed` true (the
    workflow's check against the policy pack in force); `reference` links the review that approved it.
    """
    t = lifecycle.TRANSITIONS.get(transition)
    if t is None:
        raise ValidationFailed(_("未知的状态变更：%(t)s") % {"t": transition}, code="unknown_transition")
    if not (reason or "").strip():
        raise ValidationFailed(_("状态变更必须填写原因"), code="reason_required")
    if t.exit_check and not (evidence and evidence.get("passed") is True):
        raise ValidationFailed(_("脱贫退出须附退出标准核验结果，且核验通过（收入超过标准、两不愁三保障）"),
                               code="exit_check_required")
    with transaction.atomic():
        h = Household.objects.select_for_update().select_related("village").filter(pk=household_id).first()
        if h is None:
            raise NotFound(_("农户不存在"))
        require(actor, "registry.approve" if t.review else "registry.edit", h.village.code)
        ensure_writable(year=h.year, village_code=h.village.code)
        if h.version != expected_version:
            raise Conflict(_("该户信息已被他人修改，状态变更未执行。请刷新后重试。"), code="stale_version",
                           details={"current_version": h.version})
        problem = lifecycle.transition_problem(h.status, transition)
        if problem:
            raise Conflict(_("%(p)s（当前状态：%(s)s）") % {"p": problem, "s": h.get_status_display()},
                           code="transition_not_allowed")
        before = {"status": h.status, "exit_year": h.exit_year, "household_type": h.household_type}
        changes = {"status": t.target}
        if t.sets_exit_year:
            changes["exit_year"] = (decided_on or dt.date(h.year, 12, 31)).year
        if t.clears_exit_year:
            changes["exit_year"] = None
        if transition in _HOUSEHOLD_TYPE:
            changes["household_type"] = _HOUSEHOLD_TYPE[transition]
        Household.objects.filter(pk=h.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(), **changes)
        h.refresh_from_db()
        audit_event(actor=actor, action=f"household.{transition}", target=h, area_code=h.village.code,
                    before=before, after={k: getattr(h, k) for k in before},
                    details={"transition": transition, "label": t.label, "reason": reason, "reference": reference,
                             "decided_on": decided_on, "evidence": dict(evidence or {})})
    return h


def households_assign_cadre(*, actor, cadre, household_ids: list[int]) -> int:
    """结对: make `cadre` the pairing cadre of several households at once (one audit event with the
    count). Each household's version moves on, so an edit opened before the assignment is refused."""
    households = Household.objects.filter(pk__in=household_ids).select_related("village")
    villages = set(households.values_list("village__code", flat=True))
    for code in villages:
        if actor is not None:
            require(actor, "registry.edit", code)
        _check_cadre(cadre.pk, code)
    with transaction.atomic():
        for year in set(households.values_list("year", flat=True)):
            for code in villages:
                ensure_writable(year=year, village_code=code)
        count = households.update(pairing_cadre=cadre, version=F("version") + 1, updated_at=timezone.now())
        audit_event(actor=actor, action="household.assign_cadre", target=cadre,
                    area_code=min(villages) if len(villages) == 1 else "",
                    details={"households": count, "ids": sorted(household_ids)[:1000]})
    return count
