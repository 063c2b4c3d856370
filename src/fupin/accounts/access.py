"""The one scoping choke point.

Every read a user makes goes through `scope(qs, actor, action)`: the actor's role assignments that
grant `action` give a set of area-code prefixes, and the queryset is narrowed to rows whose area
code starts with one of them (an area and everything below it). `scope_sql` gives the same
predicate for the batch engine and exports; `access_object` / `access_area` fetch one record by id
and refuse (with an audit event) when it lies outside the actor's areas.

An actor may carry `active_prefix` (the area switcher): it narrows, never widens, their scope.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from fupin.accounts.roles import role_allows
from fupin.core.errors import NotAuthenticated, NotFound, PermissionDenied


def _assignments(actor):
    cached = getattr(actor, "_fupin_assignments", None)
    if cached is None:
        cached = [(a.role, a.area.prefix, a.department) for a in actor.assignments.select_related("area")]
        actor._fupin_assignments = cached
    return cached


def forget_assignments(actor) -> None:
    if hasattr(actor, "_fupin_assignments"):
        del actor._fupin_assignments


def _minimal(prefixes: set[str]) -> list[str]:
    """Drop prefixes already covered by a shorter one: fewer OR terms, same rows."""
    kept: list[str] = []
    for p in sorted(prefixes, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return sorted(kept)


def actor_prefixes(actor, action: str) -> list[str]:
    """Area-code prefixes in which `actor` may perform `action` (empty: nowhere)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    prefixes = {prefix for role, prefix, _dept in _assignments(actor) if role_allows(role, action)}
    active = getattr(actor, "active_prefix", None)
    if active:
        narrowed = set()
        for p in prefixes:
            if active.startswith(p):
                narrowed.add(active)
            elif p.startswith(active):
                narrowed.add(p)
        prefixes = narrowed
    return _minimal(prefixes)


def can(actor, action: str, area_code: str | None = None) -> bool:
    prefixes = actor_prefixes(actor, action)
    if area_code is None:
        return bool(prefixes)
    return any(area_code.startswith(p) for p in prefixes)


def require(actor, action: str, area_code: str | None = None) -> None:
    """Raise (and let the error layer audit the denial) unless the actor may do `action` there."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("请先登录"))
    if not can(actor, action, area_code):
        raise PermissionDenied(_("您没有执行此操作的权限：%(action)s") % {"action": action})


def scope(qs: QuerySet, actor, action: str, *, code_path: str = "area__code") -> QuerySet:
    """`qs` narrowed to what `actor` may `action`; `code_path` leads from the model to a 12-digit code."""
    prefixes = actor_prefixes(actor, action)
    if not prefixes:
        return qs.none()
    visible = Q()
    for prefix in prefixes:
        visible |= Q(**{f"{code_path}__startswith": prefix})
    return qs.filter(visible)


def scope_sql(actor, action: str, column: str) -> tuple[str, list[str]]:
    """The same predicate as SQL text and parameters, for set-based batch queries and exports."""
    prefixes = actor_prefixes(actor, action)
    if not prefixes:
        return "1 = 0", []
    return "(" + " OR ".join(f"{column} LIKE %s" for _p in prefixes) + ")", [p + "%" for p in prefixes]


def access_object(actor, qs: QuerySet, pk, action: str, *, code_path: str = "area__code") -> Model:
    """One record by primary key, if the actor may `action` it. Outside their areas it is "not
    found" to them (no existence leak) and the attempt is audited as a denial."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(_("请先登录"))
    obj = scope(qs, actor, action, code_path=code_path).filter(pk=pk).first()
    if obj is not None:
        return obj
    if qs.filter(pk=pk).exists():
        from fupin.audit.services import audit_denial

        audit_denial(actor=actor, action="access.denied", reason=f"{qs.model._meta.label_lower}:{pk} {action}")
    raise NotFound(_("记录不存在或不在您的管辖范围内"))


def access_area(actor, code: str, action: str = "area.view"):
    from fupin.areas.selectors import area_get

    area = area_get(code)
    if not can(actor, action, area.code):
        from fupin.audit.services import audit_denial

        audit_denial(actor=actor, action="access.denied", reason=f"area {area.code} {action}", area_code=area.code)
        raise NotFound(_("区划不在您的管辖范围内：%(code)s") % {"code": code}, code="area_out_of_scope")
    return area


def can_see_pii(actor, area_code: str) -> bool:
    return can(actor, "pii.view", area_code)


def assignment_areas(actor):
    """The areas the actor holds roles in: what the area switcher offers."""
    from fupin.areas.models import Area

    if not getattr(actor, "is_authenticated", False):
        return Area.objects.none()
    prefixes = _minimal({prefix for _r, prefix, _d in _assignments(actor)})
    return Area.objects.current().filter(prefix__in=prefixes).order_by("code")
