"""What every page's shell needs: the menu for the user's roles and the area switcher."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.accounts.access import assignment_areas, can
from fupin.core.changes import data_generation

# (order, label, url name, action needed to see the entry, badge). Apps add theirs with
# `register_menu` from their AppConfig.ready(), so the shell never imports a bounded context.
# A badge is a function of the user returning a count (e.g. reviews waiting), shown when above 0.
MENU: list[tuple[int, object, str, str | None, Callable | None]] = [
    (0, _("工作台"), "web:home", None, None),
    (10, _("行政区划"), "web:areas", "area.view", None),
    (880, _("用户管理"), "web:users", "users.manage", None),
    (890, _("角色授权"), "web:users", "roles.manage", None),
    (900, _("后台任务"), "web:tasks", "tasks.view", None),
    (950, _("审计日志"), "web:audit", "audit.view", None),
]


def register_menu(order: int, label, url_name: str, action: str | None, *, badge: Callable | None = None) -> None:
    if not any(entry[2] == url_name for entry in MENU):
        MENU.append((order, label, url_name, action, badge))
        MENU.sort(key=lambda entry: entry[0])


# Badges count open work (reviews waiting, overdue steps, open alerts) and some take a query over a whole
# area, too dear to repeat on every page view. A user's badges are kept for BADGE_SECONDS, and any change
# (each audit event bumps the data generation) makes them count afresh.
BADGE_SECONDS = 30


def _badge(user, name: str, badge: Callable) -> int:
    key = f"fupin:badge:{data_generation()}:{user.pk}:{getattr(user, 'active_prefix', '')}:{name}"
    count = cache.get(key)
    if count is None:
        count = badge(user)
        cache.set(key, count, BADGE_SECONDS)
    return count


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = []
    for _order, label, name, action, badge in MENU:
        if action is None or can(user, action):
            url = reverse(name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            menu.append({"label": label, "url": url, "active": active, "badge": _badge(user, name, badge) if badge else 0})
    # One entry lit: where one menu URL lies under another (/assessment/ and /assessment/rounds/), the
    # longest match is the page's own.
    lit = [m for m in menu if m["active"]]
    if len(lit) > 1:
        longest = max(lit, key=lambda m: len(m["url"]))
        for m in lit:
            m["active"] = m is longest
    return {
        "menu": menu,
        "switchable_areas": assignment_areas(user),
        "active_prefix": getattr(user, "active_prefix", None) or "",
    }
