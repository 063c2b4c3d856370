"""Every API error has one shape: {"error": {"code", "message", "details"}} plus the request id."""

from __future__ import annotations

import logging

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fupin.core.errors import ApplicationError

log = logging.getLogger(__name__)


def error_response(request, status: int, code: str, message: str, details: dict | None = None) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "details": details or {},
                      "request_id": getattr(request, "request_id", "")}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def install(api) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request, exc: ApplicationError):
        if exc.status == 403:
            from fupin.audit.services import audit_denial

            audit_denial(actor=getattr(request, "auth", None), action="access.denied", reason=exc.message,
                         path=request.path)
        return error_response(request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return error_response(request, 422, "validation_failed", _("请求参数不符合要求"),
                              {"errors": exc.errors})

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        from fupin.audit.services import audit_denial

        audit_denial(actor=None, action="api.unauthenticated", reason="no valid session or token", path=request.path)
        return error_response(request, 401, "not_authenticated", _("请先登录或提供有效的API令牌"))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 403:
            from fupin.audit.services import audit_denial

            audit_denial(actor=None, action="api.csrf_failed", reason=exc.message, path=request.path)
            return error_response(request, 403, "csrf_failed", _("CSRF校验失败，请刷新页面后重试"))
        if exc.status_code == 400:
            return error_response(request, 400, "malformed_request", _("请求体无法解析（JSON格式错误）"),
                                  {"reason": exc.message})
        return error_response(request, exc.status_code, "http_error", exc.message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(request, 404, "not_found", _("资源不存在"))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("unhandled API error")
        return error_response(request, 500, "server_error", _("服务器内部错误，请联系管理员并提供请求ID"))
