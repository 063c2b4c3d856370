"""Request plumbing: request id and client address, CSP header, expired sessions, error mapping."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin.core import context
from fupin.core.errors import ApplicationError, NotAuthenticated


def client_ip(request: HttpRequest) -> str:
    # Only REMOTE_ADDR: a forwarded header is trivially forged unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = context.RequestContext(request_id=uuid.uuid4().hex, client_ip=client_ip(request), channel=channel)
        request.request_id = ctx.request_id
        token = context.bind(ctx)
        try:
            response = self.get_response(request)
        finally:
            context.unbind(token)
        response["X-Request-ID"] = ctx.request_id
        return response


def _json_holds_nul(request: HttpRequest) -> bool:
    """A JSON body with a NUL character in any string (written as \\u0000). Django's forms refuse NUL
    themselves; the API's JSON bodies are checked here, once, rather than in every schema."""
    if request.content_type != "application/json":
        return False
    body = request.body
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body.lower():
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False  # not JSON at all: the API answers that itself

    def holds(value) -> bool:
        if isinstance(value, str):
            return "\x00" in value
        if isinstance(value, dict):
            return any(holds(k) or holds(v) for k, v in value.items())
        if isinstance(value, list):
            return any(holds(v) for v in value)
        return False

    return holds(data)


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string or a JSON body is never valid input (PostgreSQL cannot
    even store it): a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if ("\x00" in request.path or any("\x00" in v for values in request.GET.lists() for v in values[1])
                or _json_holds_nul(request)):
            error = ApplicationError(_("请求中含有非法字符（NUL）"), code="invalid_characters")
            if request.path.startswith("/api/"):
                return JsonResponse(error.as_dict(), status=400)
            return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.FUPIN_CSP)
        return response


class SessionExpiryMiddleware:
    """A session cookie that no longer maps to a session means the idle timeout struck: say so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        expired = bool(cookie) and not request.user.is_authenticated and not request.session.exists(cookie)
        request.session_expired = expired
        if expired:
            from fupin.audit.services import audit_denial

            audit_denial(actor=None, action="auth.session_expired", reason="session expired or unknown")
            if request.path.startswith("/api/"):
                return JsonResponse(NotAuthenticated(_("会话已过期，请重新登录")).as_dict(), status=401)
            if not request.path.startswith(("/accounts/login", "/static/", "/i18n/")):
                response = redirect(f"/accounts/login/?expired=1&next={request.path}")
                response.delete_cookie(settings.SESSION_COOKIE_NAME)
                return response
        return self.get_response(request)


class ApplicationErrorMiddleware:
    """Pages: an ApplicationError becomes an error page with its message and status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception):
        if not isinstance(exc, ApplicationError):
            return None
        if exc.status == 403:
            from fupin.audit.services import audit_denial

            audit_denial(actor=request.user, action="access.denied", reason=exc.message, path=request.path)
        if exc.status == 401:
            return redirect(f"/accounts/login/?next={request.path}")
        return render(request, "web/error.html", {"error": exc}, status=exc.status)


class ChineseByDefaultMiddleware:
    """Pages speak Chinese unless the user chose English with the switch (a cookie): the browser's
    Accept-Language is ignored, so an English-configured browser in a county office still gets Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
