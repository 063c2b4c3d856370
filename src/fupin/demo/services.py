"""The demo county: Zhangwu (彰武县, 210922) with one account per role.

Every later capability adds its realistic demo data here, so `fupin demo` always shows the whole
system. Demo accounts share one password that satisfies the password policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from fupin.accounts.models import User
from fupin.accounts.roles import Department, Role
from fupin.accounts.services import role_assign, user_create
from fupin.areas.models import Area
from fupin.areas.selectors import area_get
from fupin.areas.services import areas_load
from fupin.registry.bulk import registry_generate_db
from fupin.registry.dictionaries import dictionaries_load
from fupin.registry.models import Household, HouseholdStatus
from fupin.registry.services import households_assign_cadre

DEMO_PASSWORD = "Fupin@2026demo"
# The registry of the demo county: about 10,000 generated households for 2020 (fixed seed).
DEMO_COUNTY, DEMO_YEAR, DEMO_HOUSEHOLDS, DEMO_SEED = "210922", 2020, 10_000, 2020
DEMO_CADRE_VILLAGE, DEMO_CADRE_HOUSEHOLDS = "210922101202", 8


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    area: str
    department: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("county_admin", "县级管理员 王建国", Role.COUNTY_ADMIN, "210922"),
    DemoAccount("officer", "县乡村振兴局 李晓梅", Role.COUNTY_OFFICER, "210922"),
    DemoAccount("township", "哈尔套镇审核员 张志强", Role.TOWNSHIP_REVIEWER, "210922101"),
    DemoAccount("clerk", "富有村信息员 刘丽", Role.VILLAGE_CLERK, "210922101202"),
    DemoAccount("clerk2", "黄花山村信息员 赵刚", Role.VILLAGE_CLERK, "210922101203"),
    DemoAccount("cadre", "帮扶责任人 孙海涛", Role.PAIRING_CADRE, "210922101202"),
    DemoAccount("workteam", "驻村工作队员 周明", Role.WORKTEAM_MEMBER, "210922101202"),
    DemoAccount("workteam2", "黄花山村工作队队长 冯建军", Role.WORKTEAM_MEMBER, "210922101203"),
    DemoAccount("workteam3", "柳树村工作队队长 杨志刚", Role.WORKTEAM_MEMBER, "210922101204"),
    DemoAccount("workteam4", "东哈尔套村工作队队长 马俊", Role.WORKTEAM_MEMBER, "210922101206"),
    DemoAccount("medical", "县医保局 吴静", Role.DEPARTMENT_USER, "210922", Department.MEDICAL_INSURANCE),
    DemoAccount("auditor", "审计员 郑磊", Role.AUDITOR, "210922"),
    DemoAccount("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, "210922"),
    DemoAccount("secadmin", "安全保密管理员", Role.SECURITY_ADMIN, "210922"),
    DemoAccount("auditadmin", "安全审计员", Role.AUDIT_ADMIN, "210922"),
]


def demo_setup(*, progress=None, households: int = DEMO_HOUSEHOLDS) -> list[DemoAccount]:
    """Idempotent: load Liaoning's divisions, create the demo accounts that are missing, load the code
    lists and generate the county's 2020 registry unless that year already has households."""
    if not Area.objects.current().filter(code="210922000000").exists():
        areas_load(actor=None, province="21", progress=progress)
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = user_create(actor=None, username=account.username, password=DEMO_PASSWORD,
                                   full_name=account.full_name)
            role_assign(actor=None, user=user, role=account.role, area=area_get(account.area),
                        department=account.department)
    dictionaries_load(actor=None)
    demo_registry(households=households, progress=progress)
    # Imported here: these apps' demo modules import the registry models built above.
    from fupin.assessment.demo import demo_assessment
    from fupin.assistance.demo import demo_assistance
    from fupin.feeds.demo import demo_feeds
    from fupin.funds.demo import demo_funds
    from fupin.monitoring.demo import demo_monitoring
    from fupin.policy.demo import demo_policy
    from fupin.progress.demo import demo_progress
    from fupin.supervision.demo import demo_supervision
    from fupin.workteams.demo import demo_workteams

    demo_workteams()
    demo_funds()
    demo_monitoring()
    demo_assistance()
    demo_feeds()
    demo_supervision()
    demo_policy()
    demo_assessment()
    # Last: the battle map and dispatch history read everything above.
    demo_progress()
    return DEMO_ACCOUNTS


def demo_registry(*, households: int = DEMO_HOUSEHOLDS, progress=None) -> int:
    """Generate the demo county's registry year when it has no households yet, and pair the demo cadre
    with households of 富有村委会. Returns how many households were generated (0: already there)."""
    if Household.objects.filter(year=DEMO_YEAR, village__code__startswith=DEMO_COUNTY).exists():
        return 0
    result = registry_generate_db(actor=None, county_code=DEMO_COUNTY, households=households, seed=DEMO_SEED,
                                  year=DEMO_YEAR, progress=progress)
    cadre = User.objects.get(username="cadre")
    paired = list(Household.objects.filter(year=DEMO_YEAR, village__code=DEMO_CADRE_VILLAGE).exclude(
        status__in=[HouseholdStatus.REMOVED, HouseholdStatus.NATURAL_DECREASE]).order_by("household_number")
        .values_list("pk", flat=True)[:DEMO_CADRE_HOUSEHOLDS])
    if paired:
        households_assign_cadre(actor=None, cadre=cadre, household_ids=paired)
    return result.households
