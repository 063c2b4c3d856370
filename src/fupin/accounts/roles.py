"""Roles (角色), the level of area each is bound to, and what each may do.

Actions are strings `<context>.<verb>`; later apps add theirs here so that the permission matrix
stays in one readable table. `pii.view` lets a role see unmasked ID and phone numbers.
"""

from __future__ import annotations

from django.db import models

from fupin.areas.models import AreaLevel


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", "县级管理员"
    COUNTY_OFFICER = "county_officer", "县乡村振兴/扶贫业务员"
    TOWNSHIP_REVIEWER = "township_reviewer", "乡镇审核员"
    VILLAGE_CLERK = "village_clerk", "村级信息员"
    PAIRING_CADRE = "pairing_cadre", "帮扶责任人"
    WORKTEAM_MEMBER = "workteam_member", "驻村工作队员"
    DEPARTMENT_USER = "department_user", "行业部门用户"
    AUDITOR = "auditor", "审计员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全保密管理员"
    AUDIT_ADMIN = "audit_admin", "安全审计员"


class Department(models.TextChoices):
    MEDICAL_INSURANCE = "medical_insurance", "医疗保障局"
    CIVIL_AFFAIRS = "civil_affairs", "民政局"
    EDUCATION = "education", "教育局"
    HOUSING = "housing", "住房和城乡建设局"
    WATER = "water", "水利局"
    DISABLED_FEDERATION = "disabled_federation", "残疾人联合会"
    HUMAN_RESOURCES = "human_resources", "人力资源和社会保障局"
    HEALTH = "health", "卫生健康局"
    AGRICULTURE = "agriculture", "农业农村局"
    FINANCE = "finance", "财政局"
    EMERGENCY_MANAGEMENT = "emergency_management", "应急管理局"


# Which levels of area a role may be bound to.
ROLE_LEVELS: dict[str, set[int]] = {
    Role.COUNTY_ADMIN: {AreaLevel.COUNTY},
    Role.COUNTY_OFFICER: {AreaLevel.COUNTY},
    Role.TOWNSHIP_REVIEWER: {AreaLevel.TOWNSHIP},
    Role.VILLAGE_CLERK: {AreaLevel.VILLAGE},
    Role.PAIRING_CADRE: {AreaLevel.COUNTY, AreaLevel.TOWNSHIP, AreaLevel.VILLAGE},
    Role.WORKTEAM_MEMBER: {AreaLevel.VILLAGE},
    Role.DEPARTMENT_USER: {AreaLevel.COUNTY},
    Role.AUDITOR: {AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY},
    Role.SYSTEM_ADMIN: {AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY},
    Role.SECURITY_ADMIN: {AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY},
    Role.AUDIT_ADMIN: {AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY},
}

_BUSINESS_READ = {"area.view", "registry.view", "tasks.view", "funds.view"}
_BUSINESS_WRITE = _BUSINESS_READ | {"registry.edit", "tasks.run", "funds.edit"}
# 扶贫资金、项目与资产: villages apply and record (funds.edit), townships review, publicise and accept
# (funds.review), the county approves library entry, posts allocations and disbursements and approves
# distribution plans and disposals (funds.approve).
_FUNDS_TOWNSHIP = {"funds.review"}
_FUNDS_COUNTY = {"funds.review", "funds.approve"}

# 三员分立: the system administrator manages accounts but grants no roles and reads no audit log;
# the security administrator grants roles and clears lockouts; the audit administrator only reads
# the audit trail. None of the three sees household data.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(_BUSINESS_WRITE | {"registry.approve", "registry.review", "registry.freeze", "pii.view",
                                                        "config.manage"} | _FUNDS_COUNTY),
    Role.COUNTY_OFFICER: frozenset(_BUSINESS_WRITE | {"registry.approve", "registry.review", "pii.view"}
                                   | _FUNDS_COUNTY),
    Role.TOWNSHIP_REVIEWER: frozenset(_BUSINESS_WRITE | {"registry.review", "pii.view"} | _FUNDS_TOWNSHIP),
    Role.VILLAGE_CLERK: frozenset(_BUSINESS_WRITE | {"registry.propose", "pii.view"}),
    Role.PAIRING_CADRE: frozenset(_BUSINESS_READ | {"visit.record"}),
    Role.WORKTEAM_MEMBER: frozenset(_BUSINESS_READ | {"visit.record", "registry.propose"}),
    Role.DEPARTMENT_USER: frozenset({"area.view", "registry.view", "tasks.view", "alert.submit"}),
    Role.AUDITOR: frozenset(_BUSINESS_READ | {"audit.view", "pii.view"}),
    Role.SYSTEM_ADMIN: frozenset({"area.view", "users.manage", "areas.manage", "tasks.view", "tasks.run"}),
    Role.SECURITY_ADMIN: frozenset({"area.view", "roles.manage", "security.manage", "tasks.view"}),
    Role.AUDIT_ADMIN: frozenset({"area.view", "audit.view", "audit.verify", "tasks.view", "tasks.run"}),
}

# 驻村工作队 and 考核评估: the county keeps the units, teams and members (workteam.manage); the village
# Party organisation registers attendance day by day (workteam.attend); the township Party secretary
# signs each month once (workteam.signoff); team members keep the work log (workteam.log). The scoring
# schemes are read, and findings scored, by everyone assessed or assessing (assessment.view).
_WORKTEAM_ACTIONS: dict[str, set[str]] = {
    Role.COUNTY_ADMIN: {"workteam.view", "workteam.manage", "assessment.view"},
    Role.COUNTY_OFFICER: {"workteam.view", "workteam.manage", "assessment.view"},
    Role.TOWNSHIP_REVIEWER: {"workteam.view", "workteam.signoff", "assessment.view"},
    Role.VILLAGE_CLERK: {"workteam.view", "workteam.attend", "assessment.view"},
    Role.WORKTEAM_MEMBER: {"workteam.view", "workteam.log", "assessment.view"},
    Role.DEPARTMENT_USER: {"assessment.view"},
    Role.AUDITOR: {"workteam.view", "assessment.view"},
}
for _role, _actions in _WORKTEAM_ACTIONS.items():
    ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | _actions

# 防返贫监测: villages screen and propose (monitoring.propose: the clerk, the work team; the pairing
# cadre reports a case), townships verify and decide the risk level (monitoring.review), the county
# determines and enters (monitoring.approve). Alerts are handled where the household lives
# (alert.handle). Department staff upload their data feeds (feeds.upload, existing alert.submit).
_MONITORING_ACTIONS: dict[str, set[str]] = {
    Role.COUNTY_ADMIN: {"monitoring.view", "monitoring.review", "monitoring.approve", "alert.handle",
                        "feeds.view", "feeds.upload"},
    Role.COUNTY_OFFICER: {"monitoring.view", "monitoring.review", "monitoring.approve", "alert.handle",
                          "feeds.view", "feeds.upload"},
    Role.TOWNSHIP_REVIEWER: {"monitoring.view", "monitoring.review", "alert.handle", "feeds.view"},
    Role.VILLAGE_CLERK: {"monitoring.view", "monitoring.propose", "alert.handle"},
    Role.PAIRING_CADRE: {"monitoring.view", "monitoring.propose"},
    Role.WORKTEAM_MEMBER: {"monitoring.view", "monitoring.propose"},
    Role.DEPARTMENT_USER: {"feeds.view", "feeds.upload"},
    Role.AUDITOR: {"monitoring.view", "feeds.view"},
}
# 帮扶: villages draw up each household's assistance plan (assistance.plan); townships and the county
# pair cadres with households (cadre.assign); cadres and work-team members record visits (visit.record).
_ASSISTANCE_ACTIONS: dict[str, set[str]] = {
    Role.COUNTY_ADMIN: {"assistance.view", "assistance.plan", "cadre.assign"},
    Role.COUNTY_OFFICER: {"assistance.view", "assistance.plan", "cadre.assign"},
    Role.TOWNSHIP_REVIEWER: {"assistance.view", "assistance.plan", "cadre.assign"},
    Role.VILLAGE_CLERK: {"assistance.view", "assistance.plan"},
    Role.PAIRING_CADRE: {"assistance.view"},
    Role.WORKTEAM_MEMBER: {"assistance.view"},
    Role.AUDITOR: {"assistance.view"},
}
# 挂图作战与督查: the county sets targets and plans, freezes the monthly dispatch and runs supervision
# campaigns (progress.manage, supervision.manage); the responsible township or village rectifies a
# finding and attaches the evidence (rectification.act).
_PROGRESS_ACTIONS: dict[str, set[str]] = {
    Role.COUNTY_ADMIN: {"progress.view", "progress.manage", "supervision.manage", "rectification.act"},
    Role.COUNTY_OFFICER: {"progress.view", "progress.manage", "supervision.manage", "rectification.act"},
    Role.TOWNSHIP_REVIEWER: {"progress.view", "rectification.act"},
    Role.VILLAGE_CLERK: {"progress.view", "rectification.act"},
    Role.WORKTEAM_MEMBER: {"progress.view"},
    Role.DEPARTMENT_USER: {"progress.view", "rectification.act"},
    Role.AUDITOR: {"progress.view"},
}
# 政策规则: everyone who reads the registry reads the packs and the stored decisions (policy.view); the
# county and the townships run screenings that store decisions and what-if simulations (policy.run).
_POLICY_ACTIONS: dict[str, set[str]] = {
    Role.COUNTY_ADMIN: {"policy.view", "policy.run"},
    Role.COUNTY_OFFICER: {"policy.view", "policy.run"},
    Role.TOWNSHIP_REVIEWER: {"policy.view", "policy.run"},
    Role.VILLAGE_CLERK: {"policy.view"},
    Role.PAIRING_CADRE: {"policy.view"},
    Role.WORKTEAM_MEMBER: {"policy.view"},
    Role.AUDITOR: {"policy.view"},
}
# 驻村帮扶考核工作: the team leader signs the self-assessment (assessment.self), the township reviews it
# (assessment.review), the county office assesses, ranks, tracks the materials and records the city's
# spot check (assessment.score), the county leading group approves and publishes (assessment.approve).
_ASSESSMENT_ACTIONS: dict[str, set[str]] = {
    Role.COUNTY_ADMIN: {"assessment.score", "assessment.approve"},
    Role.COUNTY_OFFICER: {"assessment.score"},
    Role.TOWNSHIP_REVIEWER: {"assessment.review"},
    Role.WORKTEAM_MEMBER: {"assessment.self"},
}
for _table in (_MONITORING_ACTIONS, _ASSISTANCE_ACTIONS, _PROGRESS_ACTIONS, _POLICY_ACTIONS, _ASSESSMENT_ACTIONS):
    for _role, _actions in _table.items():
        ROLE_ACTIONS[_role] = ROLE_ACTIONS[_role] | _actions

ALL_ACTIONS = frozenset().union(*ROLE_ACTIONS.values())


def role_allows(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())
