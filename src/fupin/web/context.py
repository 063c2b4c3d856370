"""What every page's shell needs: the menu for the user's roles and the area switcher."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.accounts.access import assignment_areas, can
from fupin.core.changes import data_changed_at, data_generation

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
# area, too dear to repeat on every page view. A user's counts are kept for BADGE_SECONDS in their
# session, which every worker reads (the session is loaded and saved on every request anyway, for the
# idle timeout), so a user is counted once per interval rather than once per worker. Any change (each
# audit event stamps the time of change) makes them count afresh in the worker that saw it.
BADGE_SECONDS = 30
_SESSION_KEY = "fupin_badges"


def _badge(user, name: str, badge: Callable) -> int:
    """Without a session (or a cache): the process cache, keyed by the change counter."""
    key = f"fupin:badge:{data_generation()}:{user.pk}:{getattr(user, 'active_prefix', '')}:{name}"
    count = cache.get(key)
    if count is None:
        count = badge(user)
        cache.set(key, count, BADGE_SECONDS)
    return count


def _badges(request, user, wanted: dict[str, Callable]) -> dict[str, int]:
    if not wanted:
        return {}
    session = getattr(request, "session", None)
    changed_at = data_changed_at()
    if session is None or changed_at is None:
        return {name: _badge(user, name, badge) for name, badge in wanted.items()}
    now = time.time()
    scope = [user.pk, getattr(user, "active_prefix", "") or ""]
    kept = session.get(_SESSION_KEY)
    if (kept and kept["scope"] == scope and changed_at < kept["at"] <= now < kept["at"] + BADGE_SECONDS
            and set(wanted) <= set(kept["counts"])):
        return kept["counts"]
    counts = {name: int(badge(user)) for name, badge in wanted.items()}
    session[_SESSION_KEY] = {"at": now, "scope": scope, "counts": counts}
    return counts


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = [entry for entry in MENU if entry[3] is None or can(user, entry[3])]
    counts = _badges(request, user, {name: badge for _order, _label, name, _action, badge in entries if badge})
    menu = []
    for _order, label, name, _action, _badge_fn in entries:
        url = reverse(name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        menu.append({"label": label, "url": url, "active": active, "badge": counts.get(name, 0)})
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
