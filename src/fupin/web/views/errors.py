from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.audit.services import audit_denial
from fupin.core.errors import ApplicationError


def csrf_failure(request, reason=""):
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    audit_denial(actor=user, action="web.csrf_failed", reason=reason or "csrf", path=request.path)
    error = ApplicationError(_("安全校验（CSRF）失败：页面可能已过期，请刷新后重试。"), code="csrf_failed")
    return render(request, "web/error.html", {"error": error}, status=403)


def not_found(request, exception=None):
    return render(request, "web/error.html", {"error": ApplicationError(_("页面不存在"), code="not_found")},
                  status=404)


def server_error(request):
    return render(request, "web/error.html",
                  {"error": ApplicationError(_("服务器内部错误，请联系管理员"), code="server_error")}, status=500)
