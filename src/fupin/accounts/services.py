"""Writes for users, roles, sign-in and API tokens. Each one audits itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.access import forget_assignments, require
from fupin.accounts.models import ApiToken, LoginThrottle, RoleAssignment, User
from fupin.accounts.roles import ROLE_LEVELS, Department, Role
from fupin.areas.models import Area
from fupin.audit.models import Outcome
from fupin.audit.services import audit_denial, audit_event
from fupin.core.errors import Locked, NotAuthenticated, ValidationFailed


def _lock_message(until: dt.datetime) -> str:
    return _("账号因多次登录失败已锁定，请于 %(time)s 后再试或联系安全管理员") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


def login_attempt(*, request, username: str, password: str) -> User:
    """Sign in, counting failures per user name and locking after FUPIN_LOCKOUT_THRESHOLD of them."""
    username = (username or "").strip()
    now = timezone.now()
    throttle = LoginThrottle.objects.filter(username=username).first()
    if throttle and throttle.locked_until and throttle.locked_until > now:
        audit_denial(actor=None, action="auth.login_locked", reason="account locked", username=username)
        raise Locked(_lock_message(throttle.locked_until))
    user = authenticate(request, username=username, password=password)
    if user is None:
        with transaction.atomic():
            throttle, _c = LoginThrottle.objects.select_for_update().get_or_create(username=username)
            throttle.failures += 1
            throttle.last_failure_at = now
            if throttle.failures >= settings.FUPIN_LOCKOUT_THRESHOLD:
                throttle.locked_until = now + dt.timedelta(minutes=settings.FUPIN_LOCKOUT_MINUTES)
            throttle.save()
            audit_event(
                actor=None, actor_name=username[:150], action="auth.login_failed", outcome=Outcome.DENIED,
                details={"failures": throttle.failures, "locked": throttle.locked_until is not None},
            )
        if throttle.locked_until:
            raise Locked(_lock_message(throttle.locked_until))
        raise NotAuthenticated(_("用户名或密码错误"))
    with transaction.atomic():
        LoginThrottle.objects.filter(username=username).delete()
        login(request, user)  # the user_logged_in signal writes auth.login
    return user


def logout_user(*, request) -> None:
    logout(request)  # the user_logged_out signal writes auth.logout


def lockout_clear(*, actor, username: str) -> None:
    require(actor, "security.manage")
    with transaction.atomic():
        deleted, _d = LoginThrottle.objects.filter(username=username).delete()
        audit_event(actor=actor, action="auth.lockout_cleared", details={"username": username, "cleared": deleted})


def user_create(*, actor, username: str, password: str, full_name: str = "", phone: str = "",
                organisation: str = "") -> User:
    if actor is not None:
        require(actor, "users.manage")
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("用户名已存在：%(u)s") % {"u": username}, code="duplicate_username")
    user = User(username=username, full_name=full_name, phone=phone, organisation=organisation)
    try:
        validate_password(password, user)
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationFailed(_("用户信息不符合要求"), details={"errors": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit_event(actor=actor, action="user.create", target=user,
                    after={"username": username, "full_name": full_name, "organisation": organisation})
    return user


def role_assign(*, actor, user: User, role: str, area: Area, department: str = "") -> RoleAssignment:
    """Grant `role` in `area`. Only the security administrator grants roles (三员分立), except
    when the system bootstraps its first accounts (actor None)."""
    if actor is not None:
        require(actor, "roles.manage", area.code)
    if role not in Role.values:
        raise ValidationFailed(_("未知角色：%(r)s") % {"r": role}, code="unknown_role")
    if area.level not in ROLE_LEVELS[role]:
        raise ValidationFailed(
            _("角色“%(role)s”不能绑定到%(level)s级区划") % {"role": Role(role).label, "level": area.get_level_display()},
            code="role_level",
        )
    if role == Role.DEPARTMENT_USER and department not in Department.values:
        raise ValidationFailed(_("行业部门用户必须指定部门"), code="department_required")
    if not area.is_current:
        raise ValidationFailed(_("区划已撤销，不能授权：%(n)s") % {"n": area.name}, code="area_retired")
    if not any(county.startswith(area.prefix) or area.prefix.startswith(county) for county in settings.FUPIN_COUNTIES):
        raise ValidationFailed(
            _("区划“%(n)s”不在本系统服务的县（%(c)s）范围内") % {"n": area.name, "c": ", ".join(settings.FUPIN_COUNTIES)},
            code="area_not_served",
        )
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, area=area, department=department if role == Role.DEPARTMENT_USER else "",
            defaults={"granted_by": actor if getattr(actor, "pk", None) else None},
        )
        if created:
            audit_event(actor=actor, action="role.assign", target=user, area_code=area.code,
                        after={"role": role, "area": area.code, "department": department})
    forget_assignments(user)
    return assignment


def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    require(actor, "roles.manage", assignment.area.code)
    with transaction.atomic():
        before = {"role": assignment.role, "area": assignment.area.code, "department": assignment.department}
        user = assignment.user
        assignment.delete()
        audit_event(actor=actor, action="role.revoke", target=user, area_code=before["area"], before=before)
    forget_assignments(user)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, actor, user: User, name: str, days: int | None = 365) -> tuple[ApiToken, str]:
    """A new token for `user` (themselves, or by the system administrator). Returns the raw token once."""
    if actor is not None and actor.pk != user.pk:
        require(actor, "users.manage")
    raw = "fp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], key_prefix=raw[3:11], key_hash=_digest(raw),
            expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
        )
        audit_event(actor=actor, action="api_token.create", target=user, details={"name": name, "prefix": raw[3:11]})
    return token, raw


def api_token_user(raw: str) -> User | None:
    """The active user behind a bearer token, or None."""
    if not raw or not raw.startswith("fp_"):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(raw), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
