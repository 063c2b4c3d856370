"""Reads of the PV, public-welfare job, microcredit and workshop records, every one through the scoping
choke point (fupin.accounts.access), and the summaries their pages and reports show."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum

from fupin.accounts.access import access_object, can_see_pii, scope
from fupin.core import clock
from fupin.core.validators import mask_id_number
from fupin.funds import credit_book
from fupin.funds.models import (
    ZERO,
    CreditDemand,
    JobStatus,
    Lender,
    Loan,
    PublicJob,
    PVPlan,
    PVRecipient,
    PVSettlement,
    PVStation,
    Workshop,
)
from fupin.funds.rules import rules_for

VIEW = "funds.view"
VILLAGE = "village__code"


def stations_visible(actor) -> QuerySet[PVStation]:
    return scope(PVStation.objects.select_related("village"), actor, VIEW, code_path=VILLAGE)


def station_get(actor, pk, action: str = VIEW) -> PVStation:
    return access_object(actor, PVStation.objects.select_related("village"), pk, action, code_path=VILLAGE)


def settlement_get(actor, pk, action: str = VIEW) -> PVSettlement:
    return access_object(actor, PVSettlement.objects.select_related("station__village"), pk, action,
                         code_path="station__village__code")


def pv_plans_visible(actor) -> QuerySet[PVPlan]:
    return scope(PVPlan.objects.select_related("village"), actor, VIEW, code_path=VILLAGE)


def pv_plan_get(actor, pk, action: str = VIEW) -> PVPlan:
    return access_object(actor, PVPlan.objects.select_related("village"), pk, action, code_path=VILLAGE)


def recipients_visible(actor) -> QuerySet[PVRecipient]:
    return scope(PVRecipient.objects.select_related("village", "household"), actor, VIEW, code_path=VILLAGE)


def station_year(station: PVStation, year: int) -> dict:
    rows = PVSettlement.objects.filter(station=station, year=year)
    sums = rows.aggregate(kwh=Sum("kwh"), gross=Sum("gross"), taxes=Sum("taxes"), om=Sum("om_cost"),
                          rent=Sum("land_rent"), net=Sum("net"))
    return {k: (v if v is not None else ZERO) for k, v in sums.items()}


def jobs_visible(actor) -> QuerySet[PublicJob]:
    return scope(PublicJob.objects.select_related("village", "holder__household"), actor, VIEW, code_path=VILLAGE)


def job_get(actor, pk, action: str = VIEW) -> PublicJob:
    return access_object(actor, PublicJob.objects.select_related("village", "holder__household"), pk, action,
                         code_path=VILLAGE)


def person_id_shown(actor, person) -> str:
    """证件号码 in full only for readers with pii.view in the person's village."""
    village = person.household.village.code if hasattr(person, "household") else ""
    return person.id_number if can_see_pii(actor, village) else mask_id_number(person.id_number)


def pv_villages_short_of_posts(actor, year: int | None = None) -> list[dict]:
    """PV villages whose active posts are fewer than the minimum (4, or 2 where the station was connected in
    the year) (000 L5070「村至少安排 4个贫困劳动力公益岗。今年新建光伏扶贫电站的」)."""
    year = year or clock.today().year
    out = []
    stations = stations_visible(actor).filter(grid_on__year__lte=year)
    first_grid: dict[int, dt.date] = {}
    villages = {}
    for s in stations:
        villages[s.village_id] = s.village
        first_grid[s.village_id] = min(first_grid.get(s.village_id, s.grid_on), s.grid_on)
    posts = dict(PublicJob.objects.filter(village_id__in=villages, status=JobStatus.ACTIVE).values("village")
                 .annotate(n=Count("id")).values_list("village", "n"))
    for vid, village in sorted(villages.items(), key=lambda kv: kv[1].code):
        rules = rules_for(village.code, year)
        new = first_grid[vid].year == year
        need = int(rules.jobs["min_posts_pv_village_new" if new else "min_posts_pv_village"])
        if posts.get(vid, 0) < need:
            out.append({"village": village, "posts": posts.get(vid, 0), "minimum": need, "new_station": new,
                        "rule": rules.sources.get("min_posts_pv_village", "")})
    return out


def lenders_visible(actor) -> QuerySet[Lender]:
    """Lenders serve a county: a village or township reader sees the lenders of its county."""
    from fupin.accounts.access import actor_prefixes

    prefixes = actor_prefixes(actor, VIEW)
    if not prefixes:
        return Lender.objects.none()
    match = Q()
    for p in prefixes:
        match |= Q(area__code__startswith=p[:6])
    return Lender.objects.filter(match).select_related("area")


def loans_visible(actor) -> QuerySet[Loan]:
    return scope(Loan.objects.select_related("village", "lender", "borrower", "household"), actor, VIEW,
                 code_path=VILLAGE)


def loan_get(actor, pk, action: str = VIEW) -> Loan:
    return access_object(actor, Loan.objects.select_related("village", "lender__area", "borrower__household__village",
                                                            "household"), pk, action, code_path=VILLAGE)


def demands_visible(actor) -> QuerySet[CreditDemand]:
    return scope(CreditDemand.objects.select_related("village", "household"), actor, VIEW, code_path=VILLAGE)


def credit_summary(actor, *, year: int | None = None, as_of: dt.date | None = None) -> dict:
    as_of = as_of or clock.today()
    year = year or as_of.year
    loans = list(loans_visible(actor))
    books = {x.pk: credit_book.lender_book(x, as_of) for x in lenders_visible(actor)}
    return {"as_of": as_of, "year": year, "warnings": credit_book.warnings(loans, as_of),
            "coverage": credit_book.coverage(list(demands_visible(actor)), loans, year),
            "lenders": [(x, books[x.pk]) for x in lenders_visible(actor)]}


def workshops_visible(actor) -> QuerySet[Workshop]:
    return scope(Workshop.objects.select_related("village"), actor, VIEW, code_path=VILLAGE)


def workshop_get(actor, pk, action: str = VIEW) -> Workshop:
    return access_object(actor, Workshop.objects.select_related("village"), pk, action, code_path=VILLAGE)
