"""Reads of the assistance context. Everything a user sees goes through `fupin.accounts.access`;
`measure_count` is the one internal read (no actor) other apps call."""

from __future__ import annotations

import calendar
import datetime as dt

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from fupin.accounts.access import access_object, can_see_pii, scope
from fupin.accounts.models import User
from fupin.assistance import rules
from fupin.assistance.catalogue import catalogue
from fupin.assistance.models import (
    AssistancePlan,
    CadreProfile,
    MeasureStatus,
    PairingAssignment,
    PlanMeasure,
    Visit,
)
from fupin.core import clock
from fupin.core.validators import mask_phone
from fupin.registry.models import Household, Person, PersonStatus
from fupin.registry.schema import HEAD_RELATION

HOUSEHOLD_CODE = "village__code"
PLAN_CODE = "household__village__code"
MEASURE_CODE = "plan__household__village__code"


def head_name():
    """The head of household's name, as a subquery (户主)."""
    return Subquery(Person.objects.filter(household=OuterRef("pk"), relation=HEAD_RELATION,
                                          status=PersonStatus.ACTIVE).values("name")[:1])


def in_place_on(day: dt.date) -> Q:
    """Measures in place on `day`: marked in place, started, not yet ended."""
    return (Q(status=MeasureStatus.IN_PLACE) & Q(start_date__lte=day)
            & (Q(end_date__isnull=True) | Q(end_date__gte=day)))


def measure_count(household_id: int) -> int:
    """How many assistance measures are in place today for one household. Internal: the monitoring
    app reads it for risk elimination (「帮扶措施落实」), after its own access check."""
    return PlanMeasure.objects.filter(in_place_on(clock.today()), plan__household_id=household_id).count()


def plans_visible(actor, action: str = "assistance.view") -> QuerySet[AssistancePlan]:
    return scope(AssistancePlan.objects.select_related("household", "household__village"), actor, action,
                 code_path=PLAN_CODE)


def plan_of(actor, household: Household) -> AssistancePlan | None:
    return plans_visible(actor).filter(household=household).first()


def household_by_number(actor, number: str) -> Household | None:
    qs = scope(Household.objects.filter(household_number=number), actor, "assistance.view", code_path=HOUSEHOLD_CODE)
    return qs.order_by("-year").first()


def household_for(actor, household_id, action: str = "assistance.view") -> Household:
    """A household the actor may `action` for assistance; 404 outside their areas."""
    return access_object(actor, Household.objects.select_related("village", "pairing_cadre"), household_id, action,
                         code_path=HOUSEHOLD_CODE)


# --- plans ----------------------------------------------------------------------------------

def household_has_labour(household: Household) -> bool:
    """有劳动能力: at least one member still in the household with a labour skill (rules.LABOUR_SKILLS)."""
    return household.persons.filter(status=PersonStatus.ACTIVE, labour_skill__in=rules.LABOUR_SKILLS).exists()


def plan_check(plan: AssistancePlan) -> dict:
    """The 开发式/保障性 rule on a plan's current measures (planned or in place)."""
    has_labour = household_has_labour(plan.household)
    kinds = set(plan.measures.exclude(status=MeasureStatus.ENDED).values_list("kind", flat=True))
    ok, message = rules.plan_rule(has_labour, kinds)
    return {"has_labour": has_labour, "ok": ok, "message": message, "kinds": sorted(kinds)}


def plan_measures(plan: AssistancePlan) -> list[PlanMeasure]:
    return list(plan.measures.all())


def plans_failing_rule(actor, area_code: str, year: int) -> list[dict]:
    """Plans in an area whose measures do not fit the household's labour capacity: set-based, two
    queries (households with labour, kinds of current measures per plan)."""
    plans = plans_visible(actor).filter(household__village__code__startswith=_prefix(area_code), year=year)
    labour = set(Person.objects.filter(household__in=plans.values("household"), status=PersonStatus.ACTIVE,
                                       labour_skill__in=rules.LABOUR_SKILLS).values_list("household_id", flat=True))
    kinds: dict[int, set[str]] = {}
    for plan_id, kind in (PlanMeasure.objects.filter(plan__in=plans).exclude(status=MeasureStatus.ENDED)
                          .values_list("plan_id", "kind")):
        kinds.setdefault(plan_id, set()).add(kind)
    failing = []
    for plan in plans.order_by("household__household_number"):
        ok, message = rules.plan_rule(plan.household_id in labour, kinds.get(plan.pk, set()))
        if not ok:
            failing.append({"plan": plan, "household": plan.household, "message": message})
    return failing


# --- cadres, coverage and visits ------------------------------------------------------------

def _prefix(area_code: str) -> str:
    from fupin.areas.selectors import area_get

    return area_get(area_code).prefix


def cadre_profiles(actor) -> QuerySet[CadreProfile]:
    return scope(CadreProfile.objects.select_related("user", "area"), actor, "assistance.view")


def profile_of(user) -> CadreProfile | None:
    return CadreProfile.objects.filter(user=user).first()


def cadre_phone(profile: CadreProfile | None, actor, area_code: str) -> str:
    """The cadre's phone, masked for roles without pii.view in the area."""
    if profile is None:
        return ""
    return profile.phone if actor is not None and can_see_pii(actor, area_code) else mask_phone(profile.phone)


def assignment_history(actor, household: Household) -> list[PairingAssignment]:
    household_for(actor, household.pk)
    return list(PairingAssignment.objects.filter(household=household).select_related("cadre", "cadre__cadre_profile"))


def households_needing_cadre(actor, area_code: str, year: int) -> QuerySet[Household]:
    qs = scope(Household.objects.filter(rules.needs_cadre_q(), year=year), actor, "assistance.view",
               code_path=HOUSEHOLD_CODE)
    return qs.filter(village__code__startswith=_prefix(area_code))


def latest_year(actor, area_code: str) -> int | None:
    """The latest registry year with households in the area (what the overview opens on)."""
    qs = scope(Household.objects.filter(village__code__startswith=_prefix(area_code)), actor, "assistance.view",
               code_path=HOUSEHOLD_CODE)
    return qs.order_by("-year").values_list("year", flat=True).first()


def coverage(actor, area_code: str, year: int) -> dict:
    """Coverage checks for an area: households that must have a cadre and have none, and cadres
    paired with more households than the limit in force."""
    needing = households_needing_cadre(actor, area_code, year)
    uncovered = needing.filter(pairing_cadre__isnull=True).select_related("village").order_by("household_number")
    limits = rules.cadre_limits(_prefix(area_code).ljust(12, "0"), year)
    counts = (scope(Household.objects.filter(year=year, pairing_cadre__isnull=False), actor, "assistance.view",
                    code_path=HOUSEHOLD_CODE)
              .filter(village__code__startswith=_prefix(area_code))
              .values("pairing_cadre").annotate(n=Count("pk")).order_by("-n"))
    profiles = {p.user_id: p for p in CadreProfile.objects.filter(user_id__in=[c["pairing_cadre"] for c in counts])}
    users = {u.pk: u for u in User.objects.filter(pk__in=[c["pairing_cadre"] for c in counts])}
    cadres = [{"user": users[c["pairing_cadre"]], "profile": profiles.get(c["pairing_cadre"]), "households": c["n"],
               "over": c["n"] > limits.max_households} for c in counts]
    return {"needing": needing.count(), "uncovered": uncovered, "uncovered_count": uncovered.count(),
            "cadres": cadres, "over_limit": [c for c in cadres if c["over"]], "limits": limits}


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def visit_check(actor, area_code: str, year: int, month: dt.date) -> dict:
    """The monthly visit check: every household with a current pairing cadre (a cadre visits every
    household paired with them, exited ones included), with the visits that cadre made in the month;
    those under the minimum in force are behind."""
    first, last = month_bounds(month)
    limits = rules.cadre_limits(_prefix(area_code).ljust(12, "0"), year)
    visits = Count("visits", filter=Q(visits__visited_on__range=(first, last), visits__visitor=F("pairing_cadre")))
    # Plain rows, not model instances: a county has tens of thousands of paired households.
    paired = scope(Household.objects.filter(year=year, pairing_cadre__isnull=False), actor, "assistance.view",
                   code_path=HOUSEHOLD_CODE).filter(village__code__startswith=_prefix(area_code))
    households = (paired.annotate(head_name=head_name(), month_visits=visits)
                  .order_by("month_visits", "household_number")
                  .values("pk", "household_number", "village__name", "head_name", "pairing_cadre_id",
                          "pairing_cadre__username", "pairing_cadre__cadre_profile__name", "month_visits"))
    rows = [{"household_id": h["pk"], "household_number": h["household_number"], "village_name": h["village__name"],
             "head_name": h["head_name"] or "", "cadre_id": h["pairing_cadre_id"],
             "cadre_name": h["pairing_cadre__cadre_profile__name"] or h["pairing_cadre__username"],
             "visits": h["month_visits"], "due": max(limits.min_visits - h["month_visits"], 0)}
            for h in households]
    return {"month": first, "limits": limits, "rows": rows, "behind": [r for r in rows if r["due"]]}


def cadre_households(actor, month: dt.date | None = None) -> list[dict]:
    """A pairing cadre's own households (current pairings) with this month's visits and what is due."""
    first, last = month_bounds(month or clock.today())
    households = (scope(Household.objects.filter(pairing_cadre=actor), actor, "assistance.view",
                        code_path=HOUSEHOLD_CODE)
                  .select_related("village")
                  .annotate(head_name=head_name(),
                            month_visits=Count("visits", filter=Q(visits__visited_on__range=(first, last),
                                                            visits__visitor=actor)))
                  .order_by("-year", "household_number"))
    out = []
    for h in households:
        limits = rules.cadre_limits(h.village.code, h.year)
        out.append({"household": h, "visits": h.month_visits, "due": max(limits.min_visits - h.month_visits, 0),
                    "min_visits": limits.min_visits})
    return out


def visits_of(actor, household: Household, limit: int = 50) -> list[Visit]:
    household_for(actor, household.pk)
    return list(household.visits.select_related("visitor")[:limit])


def visits_visible(actor) -> QuerySet[Visit]:
    return scope(Visit.objects.select_related("household", "household__village", "visitor"), actor,
                 "assistance.view", code_path=PLAN_CODE)


# --- 明白卡 ---------------------------------------------------------------------------------

def card_measures(household: Household, actor=None) -> list[dict]:
    """The household's measures for the 明白卡: name, category, status, amount, responsible unit, and
    the pairing cadre's name and phone (masked unless `actor` may see personal data in the area)."""
    # Read the current cadre from the database: the caller's object may predate a reassignment.
    cadre_id = Household.objects.filter(pk=household.pk).values_list("pairing_cadre_id", flat=True).first()
    profile = CadreProfile.objects.filter(user_id=cadre_id).first() if cadre_id else None
    phone = cadre_phone(profile, actor, household.village.code)
    cat = catalogue()
    rows = []
    for m in PlanMeasure.objects.filter(plan__household=household).order_by("status", "start_date", "pk"):
        rows.append({"name": m.name, "category": cat.category_label(m.category), "status": m.get_status_display(),
                     "amount": m.amount, "responsible_unit": m.responsible_unit, "start_date": m.start_date,
                     "end_date": m.end_date, "cadre_name": profile.name if profile else "", "cadre_phone": phone})
    return sorted(rows, key=lambda r: (_STATUS_ORDER.get(r["status"], 9), r["start_date"]))


_STATUS_ORDER = {MeasureStatus.IN_PLACE.label: 0, MeasureStatus.PLANNED.label: 1, MeasureStatus.ENDED.label: 2}


# --- page rows ------------------------------------------------------------------------------

def plan_rows(actor) -> QuerySet[AssistancePlan]:
    """Plans with the head's name and the count of measures in place today and planned."""
    today = clock.today()
    in_place = Q(measures__status=MeasureStatus.IN_PLACE, measures__start_date__lte=today) & (
        Q(measures__end_date__isnull=True) | Q(measures__end_date__gte=today))
    heads = Person.objects.filter(household=OuterRef("household"), relation=HEAD_RELATION,
                                  status=PersonStatus.ACTIVE).values("name")[:1]
    return plans_visible(actor).annotate(head_name=Subquery(heads), in_place=Count("measures", filter=in_place),
                                         planned=Count("measures", filter=Q(measures__status=MeasureStatus.PLANNED)))


def cadre_rows(actor) -> QuerySet[CadreProfile]:
    """Cadre profiles with the number of households currently paired with each."""
    return cadre_profiles(actor).annotate(households=Count("user__paired_households", distinct=True))


def cadre_candidates(actor) -> QuerySet[User]:
    """Active users holding the pairing-cadre role inside the areas where the actor assigns cadres."""
    from fupin.accounts.access import actor_prefixes
    from fupin.accounts.roles import Role

    prefixes = actor_prefixes(actor, "cadre.assign")
    if not prefixes:
        return User.objects.none()
    within = Q()
    for prefix in prefixes:
        within |= Q(assignments__area__code__startswith=prefix)
    return (User.objects.filter(within, is_active=True, assignments__role=Role.PAIRING_CADRE)
            .distinct().order_by("username"))
