"""`fupin bench visits`: the monthly visit check (帮扶责任人每月不少于 3 次) over a county, against a
per-household loop over the same data in the same run.

N households of Zhangwu county are generated into a free registry year (not timed) and all of them
are made to need a cadre (the worst case: those not poor are marked monitored); each gets a cadre
(4 households per cadre) and 0-4 visits in the month. The figure is
`selectors.visit_check` for the whole county (one grouped query, rows materialised) followed by
`selectors.coverage`; the `per_household_loop` baseline counts each paired household's visits with
one query per household, as a naive page would. Everything the run wrote is deleted afterwards.
"""

from __future__ import annotations

import datetime as dt
import random

from fupin.core.bench import BenchResult, Stopwatch, Timing, benchmark

COUNTY = "210922"
BENCH_USER = "bench_visits"
PER_CADRE = 4


def _prepare():
    from fupin.accounts.models import User
    from fupin.accounts.roles import Role
    from fupin.accounts.services import role_assign, user_create
    from fupin.areas.models import Area
    from fupin.areas.selectors import area_get
    from fupin.areas.services import areas_load
    from fupin.registry.dictionaries import dictionaries_load
    from fupin.registry.models import Dictionary

    if not Area.objects.current().filter(code=COUNTY.ljust(12, "0")).exists():
        areas_load(actor=None, province=COUNTY[:2], within=[COUNTY])
    if not Dictionary.objects.exists():
        dictionaries_load(actor=None)
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = user_create(actor=None, username=BENCH_USER, password=f"Bench@{random.randrange(10**9)}x")
        role_assign(actor=None, user=user, role=Role.COUNTY_OFFICER, area=area_get(COUNTY))
    return user


def _free_year() -> int:
    from fupin.registry.models import Household

    used = set(Household.objects.values_list("year", flat=True).distinct())
    return next(y for y in range(2089, 2000, -1) if y not in used)


def _populate(year: int, size: int, month: dt.date) -> list:
    from fupin.accounts.models import User
    from fupin.assistance import rules
    from fupin.assistance.models import Visit
    from fupin.registry.bulk import registry_generate_db
    from fupin.registry.models import Household

    registry_generate_db(actor=None, county_code=COUNTY, households=size, seed=7, year=year)
    # The worst case: every household must have a cadre (marked monitored where it is not poor).
    Household.objects.filter(year=year).exclude(rules.needs_cadre_q()).update(monitoring_type="1")
    ids = list(Household.objects.filter(rules.needs_cadre_q(), year=year).order_by("pk").values_list("pk", flat=True))
    cadres = User.objects.bulk_create([User(username=f"bench_cadre_{year}_{i}", password="!")
                                       for i in range((len(ids) + PER_CADRE - 1) // PER_CADRE)])
    rng = random.Random(size)
    visits = []
    for n, pk in enumerate(ids):
        cadre = cadres[n // PER_CADRE]
        for _ in range(rng.randrange(5)):
            visits.append(Visit(household_id=pk, visitor=cadre, visited_on=month + dt.timedelta(days=rng.randrange(28)),
                                content="走访"))
    # One UPDATE per cadre would be slow; pair the households by ranges of ids instead.
    for start in range(0, len(ids), PER_CADRE):
        chunk = ids[start:start + PER_CADRE]
        Household.objects.filter(pk__in=chunk).update(pairing_cadre=cadres[start // PER_CADRE])
    Visit.objects.bulk_create(visits, batch_size=2000)
    return cadres


@benchmark("visits", default_size=100_000, help="monthly visit check and coverage of a county vs a per-household loop")
def run(size: int, **_options) -> BenchResult:
    from fupin.accounts.models import User
    from fupin.assistance import rules, selectors
    from fupin.assistance.models import Visit
    from fupin.registry.models import Household, RegistryYear

    actor = _prepare()
    year, month = _free_year(), dt.date(2020, 5, 1)
    cadres = _populate(year, size, month)
    try:
        rules.cadre_limits(COUNTY, year)  # read the policy packs once, as a running server has
        with Stopwatch() as ours:
            check = selectors.visit_check(actor, COUNTY, year, month)
            cover = selectors.coverage(actor, COUNTY, year)
            behind = len(check["behind"])
        last = dt.date(2020, 5, 31)
        with Stopwatch() as loop:
            slow_behind = 0
            for h in Household.objects.filter(year=year, pairing_cadre__isnull=False).only("pk", "pairing_cadre_id"):
                n = Visit.objects.filter(household_id=h.pk, visitor_id=h.pairing_cadre_id,
                                         visited_on__range=(month, last)).count()
                slow_behind += n < check["limits"].min_visits
        assert slow_behind == behind, (slow_behind, behind)
        rows = len(check["rows"])
        return BenchResult(result=Timing(ours.seconds, rows), baselines={"per_household_loop": Timing(loop.seconds, rows)},
                           extra={"households": size, "paired": rows, "behind": behind,
                                  "uncovered": cover["uncovered_count"]})
    finally:
        Household.objects.filter(year=year).delete()
        RegistryYear.objects.filter(year=year).delete()
        User.objects.filter(pk__in=[c.pk for c in cadres]).delete()
