"""Reads of accounts for the administrators (三员): who exists in their areas."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from fupin.accounts.access import actor_prefixes, can, require
from fupin.accounts.models import User
from fupin.core.errors import NotFound

ADMIN_ACTIONS = ("users.manage", "roles.manage")


def admin_action(actor) -> str:
    """The account-administration right the actor holds (system or security administrator)."""
    for action in ADMIN_ACTIONS:
        if can(actor, action):
            return action
    require(actor, ADMIN_ACTIONS[0])  # raises, audited by the error layer
    return ADMIN_ACTIONS[0]


def users_visible(*, actor):
    """Users holding a role inside the actor's areas, and users holding none yet (just created)."""
    action = admin_action(actor)
    inside = Q()
    for prefix in actor_prefixes(actor, action):
        inside |= Q(assignments__area__code__startswith=prefix)
    return User.objects.filter(inside | Q(assignments__isnull=True)).distinct().order_by("username")


def user_get(*, actor, user_id: int) -> User:
    user = users_visible(actor=actor).filter(pk=user_id).first()
    if user is None:
        if User.objects.filter(pk=user_id).exists():
            from fupin.audit.services import audit_denial

            audit_denial(actor=actor, action="access.denied", reason=f"user {user_id}")
        raise NotFound(_("用户不存在或不在您的管辖范围内"))
    return user
