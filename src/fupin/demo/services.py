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

DEMO_PASSWORD = "Fupin@2026demo"


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
    DemoAccount("medical", "县医保局 吴静", Role.DEPARTMENT_USER, "210922", Department.MEDICAL_INSURANCE),
    DemoAccount("auditor", "审计员 郑磊", Role.AUDITOR, "210922"),
    DemoAccount("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, "210922"),
    DemoAccount("secadmin", "安全保密管理员", Role.SECURITY_ADMIN, "210922"),
    DemoAccount("auditadmin", "安全审计员", Role.AUDIT_ADMIN, "210922"),
]


def demo_setup(*, progress=None) -> list[DemoAccount]:
    """Idempotent: load Liaoning's divisions and create the demo accounts that are missing."""
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
    return DEMO_ACCOUNTS
