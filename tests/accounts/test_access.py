"""The scoping choke point: prefixes, narrowing, SQL form, role levels."""

import pytest
from django.db import connection
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.access import access_object, actor_prefixes, scope, scope_sql
from fupin.accounts.roles import Department, Role
from fupin.accounts.services import role_assign
from fupin.areas.models import Area
from fupin.areas.selectors import area_get
from fupin.audit.models import AuditEvent
from fupin.core.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_village_clerk_scope_is_one_village(make_user):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    codes = list(scope(Area.objects.current(), clerk, "area.view", code_path="code").values_list("code", flat=True))
    assert codes == [VILLAGE]


def test_several_assignments_combine_and_nested_ones_collapse(make_user):
    user = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)
    role_assign(actor=None, user=user, role=Role.PAIRING_CADRE, area=area_get(VILLAGE))
    role_assign(actor=None, user=user, role=Role.PAIRING_CADRE, area=area_get("210922102200"))
    assert actor_prefixes(user, "area.view") == ["210922101", "210922102200"]
    assert actor_prefixes(user, "registry.review") == ["210922101"]


def test_active_area_narrows_and_never_widens(make_user):
    user = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)
    user.active_prefix = VILLAGE
    assert actor_prefixes(user, "area.view") == [VILLAGE]
    user.active_prefix = "210922"  # wider than the role: stays at the township
    assert actor_prefixes(user, "area.view") == ["210922101"]


def test_scope_sql_matches_the_queryset(make_user):
    user = make_user(Role.TOWNSHIP_REVIEWER, TOWNSHIP)
    where, params = scope_sql(user, "area.view", "code")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM areas_area WHERE valid_to IS NULL AND {where}", params)
        raw = cursor.fetchone()[0]
    assert raw == scope(Area.objects.current(), user, "area.view", code_path="code").count() > 5
    assert scope_sql(make_user(None), "area.view", "code") == ("1 = 0", [])


def test_fetch_by_id_outside_scope_is_not_found_and_audited(make_user):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    other = area_get(OTHER_VILLAGE)
    with pytest.raises(NotFound):
        access_object(clerk, Area.objects.all(), other.pk, "area.view", code_path="code")
    assert AuditEvent.objects.filter(action="access.denied", actor_id=clerk.pk).exists()


def test_roles_bind_only_to_their_level(make_user):
    user = make_user(None)
    with pytest.raises(ValidationFailed, match="不能绑定"):
        role_assign(actor=None, user=user, role=Role.VILLAGE_CLERK, area=area_get(TOWNSHIP))
    with pytest.raises(ValidationFailed, match="必须指定部门"):
        role_assign(actor=None, user=user, role=Role.DEPARTMENT_USER, area=area_get("210922"))
    role_assign(actor=None, user=user, role=Role.DEPARTMENT_USER, area=area_get("210922"),
                department=Department.CIVIL_AFFAIRS)


def test_separation_of_three_administrators(make_user):
    from fupin.core.errors import PermissionDenied

    sysadmin = make_user(Role.SYSTEM_ADMIN, "210922")
    with pytest.raises(PermissionDenied):  # the system administrator grants no roles
        role_assign(actor=sysadmin, user=make_user(None), role=Role.VILLAGE_CLERK, area=area_get(VILLAGE))
    secadmin = make_user(Role.SECURITY_ADMIN, "210922")
    role_assign(actor=secadmin, user=make_user(None), role=Role.VILLAGE_CLERK, area=area_get(VILLAGE))
    for admin in (sysadmin, secadmin):
        assert actor_prefixes(admin, "audit.view") == []
        assert actor_prefixes(admin, "registry.view") == []
    assert actor_prefixes(make_user(Role.AUDIT_ADMIN, "210922"), "registry.view") == []


def test_roles_only_in_the_counties_this_deployment_serves(make_user, settings):
    settings.FUPIN_COUNTIES = ["210922"]
    with pytest.raises(ValidationFailed, match="不在本系统服务的县"):
        role_assign(actor=None, user=make_user(None), role=Role.COUNTY_OFFICER, area=area_get("210921"))
    # the province above a served county is fine (a provincial auditor)
    role_assign(actor=None, user=make_user(None), role=Role.AUDITOR, area=area_get("21"))
