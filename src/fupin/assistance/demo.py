"""Demo data of assistance measures, pairing cadres and visits for the demo county.

Three pairing cadres in 哈尔套镇: the demo account `cadre` (paired by the registry demo with 8
households of 富有村委会, over the limit of 5 so the coverage check shows it), `cadre2` with 5
households of 富有村委会 and `cadre3` with 4 of 黄花山村委会; the other poor and monitored households
stay unpaired, so the overview lists them (poor and monitored households are paired first, then
exited ones, who keep their cadre: 脱贫不脱帮扶). Plans for the paired households and a dozen more, with
measures that fit the labour rule except for two that do not; visits for last month (all done) and
this month up to today (some households behind).

Written directly in bulk (the data is known to be valid), with one audit event for the run.
Idempotent: nothing is written once the demo cadre has a profile.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from fupin.accounts.models import User
from fupin.areas.selectors import area_get
from fupin.assistance import rules
from fupin.assistance.catalogue import catalogue
from fupin.assistance.models import (
    AssistancePlan,
    CadreProfile,
    CadreUnitKind,
    MeasureStatus,
    PairingAssignment,
    PlanMeasure,
    Visit,
    VisitorRole,
)
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.registry.models import Household, Person, PersonStatus

YEAR = 2020
TOWNSHIP, FUYOU, HUANGHUASHAN = "210922101", "210922101202", "210922101203"
PAIRED_SINCE = dt.date(2020, 1, 6)
# username, full name, area, unit kind, unit, position, phone, village, households to pair (0: keep the registry's)
CADRES = [
    ("cadre", "孙海涛", FUYOU, CadreUnitKind.DISPATCHING, "彰武县卫生健康局", "副股长", "13904181001", FUYOU, 0),
    ("cadre2", "钱玉兰", TOWNSHIP, CadreUnitKind.TOWNSHIP, "哈尔套镇人民政府", "扶贫办干事", "13904181002", FUYOU, 5),
    ("cadre3", "马国庆", TOWNSHIP, CadreUnitKind.DEPARTMENT, "彰武县农业农村局", "科员", "13904181003",
     HUANGHUASHAN, 4),
]
EXTRA_PLANS = 12
WORK_MEASURES = [("EMP-PUBLIC", "哈尔套镇人民政府", "3600"), ("IND-LOAN", "彰武县农村商业银行", "1500"),
                 ("EMP-LOCAL", "县人力资源和社会保障局", "0"), ("IND-EQUITY", "富有村股份经济合作社", "800")]
PROTECTION_MEASURES = [("SEC-DIBAO", "县民政局", "4200"), ("SEC-MEDICAL", "县医疗保障局", "2600"),
                       ("SEC-TEKUN", "县民政局", "6000"), ("EDU-GRANT", "县教育局", "3000")]
CONTENTS = ["了解家庭收入和务工情况", "宣讲低保和医保政策", "查看住房安全和饮水情况", "帮助联系公益岗位",
            "了解春耕备耕和庭院经济", "核对家庭人口和收入账"]
PROBLEMS = ["", "", "户主慢性病用药负担重", "子女上学交通不便", ""]
TAKEN = ["", "协助申请医疗救助", "联系村里落实帮扶措施", ""]


def _ensure_user(username: str, full_name: str, area: str) -> User:
    from fupin.accounts.roles import Role
    from fupin.accounts.services import role_assign, user_create
    from fupin.demo.services import DEMO_PASSWORD

    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(actor=None, username=username, password=DEMO_PASSWORD, full_name=f"帮扶责任人 {full_name}")
        role_assign(actor=None, user=user, role=Role.PAIRING_CADRE, area=area_get(area))
    return user


def _candidates(village: str, count: int) -> list[int]:
    """Unpaired households of a village for a plan or a cadre: those that must have a cadre first,
    then exited households (脱贫不脱帮扶)."""
    unpaired = Household.objects.filter(rules.plan_allowed_q(), year=YEAR, village__code=village,
                                        pairing_cadre__isnull=True)
    first = list(unpaired.filter(rules.needs_cadre_q()).order_by("household_number").values_list("pk", flat=True))
    rest = unpaired.exclude(pk__in=first).order_by("household_number").values_list("pk", flat=True)
    return (first + list(rest[:count]))[:count]


def _pair(cadres: list[User], today: dt.date) -> int:
    for (_u, _n, _a, _k, _unit, _p, _ph, village, count), user in zip(CADRES, cadres, strict=True):
        if count:
            Household.objects.filter(pk__in=_candidates(village, count)).update(pairing_cadre=user)
    paired = Household.objects.filter(year=YEAR, pairing_cadre__in=cadres)
    rows = [PairingAssignment(household_id=pk, cadre_id=cadre_id, started_on=min(PAIRED_SINCE, today))
            for pk, cadre_id in paired.values_list("pk", "pairing_cadre_id")]
    PairingAssignment.objects.bulk_create(rows)
    return len(rows)


def _plans(households: list[Household], today: dt.date, rng: random.Random) -> tuple[int, int]:
    labour = set(Person.objects.filter(household__in=households, status=PersonStatus.ACTIVE,
                                       labour_skill__in=rules.LABOUR_SKILLS).values_list("household_id", flat=True))
    cat = catalogue()
    plans = AssistancePlan.objects.bulk_create([AssistancePlan(household=h, year=h.year, needs="") for h in households])
    measures = []
    start = dt.date(YEAR, 3, 1) if today >= dt.date(YEAR, 3, 1) else today
    for i, plan in enumerate(plans):
        works = plan.household_id in labour
        # Two plans break the rule on purpose: a household that can work with protection only.
        choices = PROTECTION_MEASURES if (not works or i in (3, 7)) else WORK_MEASURES
        picked = rng.sample(choices, 2 if works else 1)
        if works and i not in (3, 7):
            picked.append(rng.choice(PROTECTION_MEASURES))
        for j, (code, unit, amount) in enumerate(picked):
            kind = cat.measure(code)
            status = MeasureStatus.PLANNED if j == 2 else MeasureStatus.IN_PLACE
            measures.append(PlanMeasure(plan=plan, measure_code=code, catalogue_version=cat.version, name=kind.name,
                                        category=kind.category, kind=kind.kind, start_date=start,
                                        amount=Decimal(amount), status=status, responsible_unit=unit))
    PlanMeasure.objects.bulk_create(measures)
    return len(plans), len(measures)


def _visits(cadres: list[User], today: dt.date, rng: random.Random) -> int:
    """Last month: three visits each. This month up to today: three, one or none."""
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    rows = []
    households = Household.objects.filter(year=YEAR, pairing_cadre__in=cadres).order_by("household_number")
    for n, h in enumerate(households):
        days = [last_month + dt.timedelta(days=d) for d in (3, 12, 21)]
        wanted = (3, 1, 0, 3, 2)[n % 5]
        span = (today - this_month).days
        days += [this_month + dt.timedelta(days=span * k // max(wanted, 1)) for k in range(wanted)]
        for day in days:
            rows.append(Visit(household=h, visitor_id=h.pairing_cadre_id, visitor_role=VisitorRole.PAIRING_CADRE,
                              visited_on=day, content=rng.choice(CONTENTS), problems=rng.choice(PROBLEMS),
                              measures_taken=rng.choice(TAKEN)))
    Visit.objects.bulk_create(rows)
    return len(rows)


def demo_assistance() -> dict:
    if CadreProfile.objects.filter(user__username="cadre").exists():
        return {"created": False}
    if not Household.objects.filter(year=YEAR, village__code=FUYOU).exists():
        return {"created": False}
    rng = random.Random(2020)
    today = clock.today()
    with transaction.atomic():
        cadres = []
        for username, name, area, kind, unit, position, phone, _village, _count in CADRES:
            user = _ensure_user(username, name, area)
            CadreProfile.objects.create(user=user, area=area_get(area), name=name, unit_kind=kind, unit_name=unit,
                                        position=position, phone=phone)
            cadres.append(user)
        pairs = _pair(cadres, today)
        paired = list(Household.objects.filter(year=YEAR, pairing_cadre__in=cadres))
        extra = list(Household.objects.filter(pk__in=_candidates(FUYOU, EXTRA_PLANS)))
        plans, measures = _plans(paired + extra, today, rng)
        visits = _visits(cadres, today, rng)
        result = {"created": True, "cadres": len(cadres), "pairings": pairs, "plans": plans, "measures": measures,
                  "visits": visits}
        audit_event(actor=None, action="assistance.demo", details=result)
    return result
