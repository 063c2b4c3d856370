from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.accounts.access import access_area
from fupin.accounts.services import login_attempt, logout_user
from fupin.areas.selectors import area_get
from fupin.core.errors import ApplicationError


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else "/"


def login_view(request):
    error = ""
    if request.method == "POST":
        try:
            login_attempt(request=request, username=request.POST.get("username", ""),
                          password=request.POST.get("password", ""))
            return redirect(_safe_next(request))
        except ApplicationError as exc:
            error = exc.message
    notice = _("会话已过期，请重新登录。") if request.GET.get("expired") else ""
    status = 401 if error else 200
    return render(request, "web/login.html", {"error": error, "notice": notice, "next": _safe_next(request)},
                  status=status)


@require_POST
def logout_view(request):
    logout_user(request=request)
    return redirect("web:login")


@require_POST
def switch_area(request):
    """Narrow every page to one of the user's areas (or back to all of them)."""
    code = request.POST.get("area", "").strip()
    if not code:
        request.session.pop("active_area", None)
    else:
        area = access_area(request.user, area_get(code).code)
        request.session["active_area"] = area.code
        messages.info(request, _("已切换到：%(name)s") % {"name": area.name})
    return redirect(_safe_next(request) if request.POST.get("next") else request.META.get("HTTP_REFERER") or "/")
