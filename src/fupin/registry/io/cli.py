"""Helpers of the `fupin import` and `fupin export` commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from fupin.accounts.models import User


def actor_from_username(username: str | None):
    """The user named on the command line, or None (the system: every area)."""
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有启用的用户“{username}” / no active user {username!r}")
    return user
