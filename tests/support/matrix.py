"""The permission matrix every page and endpoint is checked against.

For one URL and one role it checks four callers: anonymous, a signed-in user with no role, the role
in the right area, and the same role in another area. Pages and the API differ only in what
"refused" looks like (a redirect to sign-in or a 401 for anonymous; a 403 or 404 otherwise).
Each refusal of a signed-in user must leave an audit event of outcome "denied".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.test import Client

from fupin.audit.models import AuditEvent

REFUSED = (403, 404)


@dataclass
class Matrix:
    url: str
    role: str
    area: str
    other_area: str
    department: str = ""
    api: bool = False
    method: str = "get"
    data: dict | None = None
    ok_status: int = 200
    # Text that the right area sees and the other area must not see (list pages answer 200 to both).
    marker: str | None = None
    other_area_refused: bool = True
    results: dict[str, int] = field(default_factory=dict)

    def _call(self, client: Client, token: str | None = None):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if self.method == "get":
            return client.get(self.url, self.data or {}, **extra)
        if self.api:
            return client.generic(self.method.upper(), self.url, json.dumps(self.data or {}),
                                  content_type="application/json", **extra)
        return getattr(client, self.method)(self.url, self.data or {}, **extra)

    def _as(self, user, token_for):
        client = Client()
        if user is None:
            return self._call(client)
        if self.api:
            return self._call(client, token_for(user))
        client.force_login(user)
        return self._call(client)

    def check(self, make_user, token_for) -> None:
        # anonymous
        response = self._as(None, token_for)
        if self.api:
            assert response.status_code == 401, (self.url, "anonymous", response.status_code)
            assert "error" in response.json()
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                self.url, "anonymous", response.status_code)
        self.results["anonymous"] = response.status_code

        # signed in, no role at all
        nobody = make_user(None)
        before = AuditEvent.objects.filter(outcome="denied").count()
        response = self._as(nobody, token_for)
        assert response.status_code in REFUSED or (
            response.status_code == 200 and self.marker and self.marker not in response.content.decode()
        ), (self.url, "no role", response.status_code)
        if response.status_code in REFUSED:
            assert AuditEvent.objects.filter(outcome="denied").count() > before, (self.url, "no role: not audited")
        self.results["no_role"] = response.status_code

        # right role, right area
        insider = make_user(self.role, self.area, department=self.department)
        response = self._as(insider, token_for)
        assert response.status_code == self.ok_status, (self.url, "right area", response.status_code,
                                                        response.content[:300])
        if self.marker:
            assert self.marker in response.content.decode(), (self.url, "right area: marker missing")
        self.results["right_area"] = response.status_code

        # right role, another area
        outsider = make_user(self.role, self.other_area, department=self.department)
        before = AuditEvent.objects.filter(outcome="denied").count()
        response = self._as(outsider, token_for)
        if self.other_area_refused:
            assert response.status_code in REFUSED, (self.url, "other area", response.status_code)
            assert AuditEvent.objects.filter(outcome="denied").count() > before, (self.url, "other area: not audited")
        else:
            assert response.status_code == 200, (self.url, "other area", response.status_code)
            if self.marker:
                assert self.marker not in response.content.decode(), (self.url, "other area sees the marker")
        self.results["other_area"] = response.status_code
