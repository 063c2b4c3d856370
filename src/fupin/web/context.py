"""What every page's shell needs: the menu for the user's roles and the area switcher."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.accounts.access import assignment_areas, can

# (label, url name, action needed to see the entry). Later apps append their entries here.
MENU = [
    (_("工作台"), "web:home", None),
    (_("行政区划"), "web:areas", "area.view"),
    (_("后台任务"), "web:tasks", "tasks.view"),
    (_("审计日志"), "web:audit", "audit.view"),
]


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = [
        {"label": label, "url": reverse(name), "active": request.path.startswith(reverse(name)) and name != "web:home"
         or (name == "web:home" and request.path == "/")}
        for label, name, action in MENU
        if action is None or can(user, action)
    ]
    return {
        "menu": menu,
        "switchable_areas": assignment_areas(user),
        "active_prefix": getattr(user, "active_prefix", None) or "",
    }
