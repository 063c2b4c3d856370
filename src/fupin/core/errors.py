"""One error tree, mapped once to JSON for the API and to a message for pages."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """Base of every error the system raises on purpose. `code` is stable; `message` is for people."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class ValidationFailed(ApplicationError):
    status = 400
    code = "validation_failed"


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"


class NotFound(ApplicationError):
    status = 404
    code = "not_found"


class Conflict(ApplicationError):
    """A stale edit or a state that no longer allows the change."""

    status = 409
    code = "conflict"


class Locked(ApplicationError):
    status = 423
    code = "locked"


class ServiceUnavailable(ApplicationError):
    """A component the server needs (Chromium for PDFs, the worker) is missing or failed."""

    status = 503
    code = "unavailable"
