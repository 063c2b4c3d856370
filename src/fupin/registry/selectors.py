"""Reads of the registry, every one scoped through fupin.accounts.access, and the masked views of
records: ID and phone numbers are masked unless the reader may see them in the household's area."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from fupin.accounts.access import access_object, actor_prefixes, can_see_pii, scope
from fupin.audit.models import AuditEvent
from fupin.core.validators import mask_id_number, mask_phone
from fupin.registry import lifecycle, schema
from fupin.registry.dictionaries import code_lists_for_year
from fupin.registry.models import Household, Person, PersonStatus, RegistryYear

CODE_PATH = "village__code"
_DIGITS = re.compile(r"^\d+[Xx]?$")


def _head_name():
    heads = Person.objects.filter(household=OuterRef("pk"), relation=schema.HEAD_RELATION,
                                  status=PersonStatus.ACTIVE).values("name")[:1]
    return Subquery(heads)


def households_visible(actor, action: str = "registry.view") -> QuerySet:
    return scope(Household.objects.select_related("village"), actor, action, code_path=CODE_PATH)


def household_list(actor, *, year: int | None = None, q: str = "", village: str = "", status: str = "",
                   attribute: str = "", cause: str = "") -> QuerySet:
    """Households the actor may see, with the head's name; `q` matches a member's name, a
    certificate number (whole) or the start of a 户编号."""
    qs = households_visible(actor).annotate(head_name=_head_name())
    if year:
        qs = qs.filter(year=year)
    if village:
        qs = qs.filter(village__code__startswith=village)
    if status:
        qs = qs.filter(status=status)
    if attribute:
        qs = qs.filter(poverty_attribute=attribute)
    if cause:
        qs = qs.filter(main_cause=cause)
    return household_search(qs, q)


def household_search(qs: QuerySet, q: str) -> QuerySet:
    """`q` matches a member's name (part), a whole certificate number or 人编号, or the start of a 户编号."""
    q = (q or "").strip()
    if not q:
        return qs
    if _DIGITS.match(q):
        members = Person.objects.filter(household=OuterRef("pk"))
        return qs.filter(Q(household_number__startswith=q) | Exists(members.filter(id_number=q.upper()))
                         | Exists(members.filter(person_number=q)))
    return qs.filter(Exists(Person.objects.filter(household=OuterRef("pk"), name__contains=q)))


def household_get(actor, pk: int, action: str = "registry.view") -> Household:
    """One household the actor may `action`; outside their areas it does not exist to them."""
    return access_object(actor, Household.objects.select_related("village", "pairing_cadre"), pk, action,
                         code_path=CODE_PATH)


def person_get(actor, pk: int, action: str = "registry.view") -> Person:
    return access_object(actor, Person.objects.select_related("household__village"), pk, action,
                         code_path="household__village__code")


def household_members(household: Household) -> list[Person]:
    """Members, the head first, then by person number; those who left the household last."""
    return list(household.persons.annotate(
        _order=Case(When(status=PersonStatus.ACTIVE, relation=schema.HEAD_RELATION, then=Value(0)),
                    When(status=PersonStatus.ACTIVE, then=Value(1)), default=Value(2),
                    output_field=IntegerField())).order_by("_order", "person_number"))


def household_history(household: Household, *, limit: int = 200) -> list[AuditEvent]:
    """The audit trail of the household file and of its members, newest first, including the bulk runs
    that touched it (one event per run: generation of its year, pairing-cadre assignments naming it)."""
    person_ids = [str(pk) for pk in household.persons.values_list("pk", flat=True)]
    direct = list(AuditEvent.objects.filter(
        Q(target_type="registry.household", target_id=str(household.pk))
        | Q(target_type="registry.person", target_id__in=person_ids)).order_by("-seq")[:limit])
    county = household.village.code[:6] + "000000"
    bulk = [e for e in AuditEvent.objects.filter(
        Q(action="household.assign_cadre", area_code=household.village.code)
        | Q(action="registry.generate", area_code=county)).order_by("-seq")[:limit]
        if (e.details or {}).get("year") == household.year or household.pk in (e.details or {}).get("ids", [])]
    return sorted(direct + bulk, key=lambda e: -e.seq)[:limit]


def registry_years(actor) -> QuerySet:
    """The registry years of the counties the actor may see households in (a village clerk sees the
    years of their county, since their village's records are kept in them)."""
    visible = Q()
    prefixes = actor_prefixes(actor, "registry.view")
    if not prefixes:
        return RegistryYear.objects.none()
    for p in prefixes:
        visible |= Q(county__code__startswith=p) if len(p) <= 6 else Q(county__code=p[:6] + "000000")
    return RegistryYear.objects.select_related("county", "frozen_by").filter(visible)


def year_frozen(*, year: int, village_code: str) -> bool:
    return RegistryYear.objects.filter(county__code=village_code[:6] + "000000", year=year, frozen=True).exists()


def years_available(actor) -> list[int]:
    years = set(registry_years(actor).values_list("year", flat=True))
    return sorted(years, reverse=True)


def default_year(actor) -> int | None:
    years = years_available(actor)
    return years[0] if years else None


def can_edit(actor, household: Household) -> bool:
    return bool(actor_prefixes(actor, "registry.edit")) and any(
        household.village.code.startswith(p) for p in actor_prefixes(actor, "registry.edit"))


# ------------------------------------------------------------------------------ masked presentation

@dataclass
class Shown:
    """One field as a reader sees it: its label and display value."""

    name: str
    label: str
    value: object


def _display(spec: schema.FieldSpec, value, codes) -> object:
    if spec.type == "code":
        return codes.label(spec.dictionary, value) if value else ""
    if spec.type == "codes":
        return "、".join(codes.label(spec.dictionary, v) for v in value or [])
    if spec.type == "bool":
        return {True: "是", False: "否"}.get(value, "")
    if spec.type == "choice":
        return dict(spec.choices).get(value, value)
    return "" if value is None else value


def person_row(person: Person, *, pii: bool, codes) -> dict:
    """A member as a dict of display values; certificate and phone numbers masked unless `pii`."""
    row = {"pk": person.pk, "active": person.status == PersonStatus.ACTIVE}
    for spec in schema.fields_of(schema.PERSON):
        if spec.name == "household_number":
            continue
        if spec.name == "age":
            from fupin.registry.validation import age_on, year_end

            row["age"] = age_on(person.birth_date, year_end(person.year))
            continue
        value = getattr(person, spec.name)
        if not pii and spec.name == "id_number":
            value = mask_id_number(value)
        if not pii and spec.name == "phone":
            value = mask_phone(value)
        row[spec.name] = _display(spec, value, codes)
    return row


def household_sections(household: Household, *, pii: bool, codes) -> list[tuple[str, list[Shown]]]:
    """The household's fields grouped as the documents group them (基本信息, 识别与状态,
    两不愁三保障与住房, 帮扶与监测)."""
    groups = [
        ("基本信息", ["household_number", "year", "village", "natural_village", "address", "phone", "member_count"]),
        ("识别与状态", ["status", "exit_year", "identification_standard", "poverty_attribute", "main_cause",
                       "other_causes", "first_identified_on", "military_family"]),
        ("两不愁三保障与住房", ["food_secure", "clothing_secure", "compulsory_education_secured",
                            "basic_medical_secured", "housing_secured", "safe_drinking_water", "housing_grade",
                            "is_dangerous_house", "housing_area"]),
        ("帮扶与监测", ["pairing_cadre", "household_type", "monitoring_type", "risk_types", "risk_eliminated",
                       "risk_identified_on", "risk_eliminated_on"]),
    ]
    out = []
    for title, names in groups:
        shown = []
        for name in names:
            spec = schema.field(schema.HOUSEHOLD, name)
            if name == "village":
                value = f"{household.village.name}（{household.village.code}）"
            elif name == "pairing_cadre":
                value = str(household.pairing_cadre) if household.pairing_cadre_id else "未落实"
            else:
                value = getattr(household, name)
                if name == "phone" and not pii:
                    value = mask_phone(value)
                value = _display(spec, value, codes)
            shown.append(Shown(name, spec.label, value))
        out.append((title, shown))
    return out


def income_rows(household: Household) -> list[Shown]:
    names = ["wage_income", "business_income", "property_income", "transfer_income", "assistance_income",
             "total_income", "production_costs", "net_income", "transfer_expenses", "per_capita_net_income",
             "per_capita_disposable_income"]
    return [Shown(n, schema.field(schema.HOUSEHOLD, n).label, getattr(household, n)) for n in names]


_ACTIONS = {"household.create": "建档", "household.update": "修改", "household.assign_cadre": "落实帮扶责任人（批量）",
            "registry.generate": "建档（模拟数据批量生成）"}


def _label_of(name: str) -> str:
    for entity in (schema.HOUSEHOLD, schema.PERSON):
        if schema.has_field(entity, name):
            return schema.field(entity, name).label
    return name


def _v(value) -> str:
    if value in (None, "", []):
        return "（空）"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return {True: "是", False: "否"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def history_rows(events) -> list[dict]:
    """Audit events as readable rows: what was done, and each changed field as label: before → after
    (values as recorded: certificate and phone numbers are masked in the audit trail)."""
    rows = []
    for e in events:
        action = _ACTIONS.get(e.action)
        if action is None and e.action.startswith("household."):
            t = lifecycle.TRANSITIONS.get(e.action.split(".", 1)[1])
            action = t.label if t else e.action
        changes = []
        before, after = e.before or {}, e.after or {}
        if e.action != "household.create":
            for name in sorted(set(before) | set(after)):
                changes.append(f"{_label_of(name)}：{_v(before.get(name))} → {_v(after.get(name))}")
        details = e.details or {}
        for m in details.get("members_changed", []):
            for name, value in m.get("after", {}).items():
                changes.append(f"成员{m.get('person_number', '')} {_label_of(name)}："
                               f"{_v(m.get('before', {}).get(name))} → {_v(value)}")
        for m in details.get("members_added", []):
            changes.append(f"新增成员 {m.get('name', '')}（{m.get('person_number', '')}）")
        if details.get("reason"):
            changes.append(f"原因：{details['reason']}")
        rows.append({"at": e.occurred_at, "actor": e.actor_name or "系统", "action": action or e.action,
                     "changes": changes})
    return rows


def household_file(actor, household: Household) -> dict:
    """Everything the 一户一档 page shows, masked for the reader."""
    pii = can_see_pii(actor, household.village.code)
    codes = code_lists_for_year(household.year)
    return {
        "household": household,
        "pii": pii,
        "sections": household_sections(household, pii=pii, codes=codes),
        "income": income_rows(household),
        "members": [person_row(p, pii=pii, codes=codes) for p in household_members(household)],
        "history": history_rows(household_history(household)),
        "transitions": lifecycle.allowed_from(household.status),
    }


def cadres_for(village_code: str) -> list:
    """Users holding the pairing-cadre role (帮扶责任人) in the village or above it."""
    from fupin.accounts.models import RoleAssignment
    from fupin.accounts.roles import Role

    found = {}
    for a in RoleAssignment.objects.filter(role=Role.PAIRING_CADRE, user__is_active=True).select_related(
            "user", "area"):
        if village_code.startswith(a.area.prefix):
            found[a.user.pk] = a.user
    return sorted(found.values(), key=lambda u: (u.full_name or u.username))
