"""Property-based API testing from our own OpenAPI document: no generated request may cause a 5xx,
and every answer must match the documented schema."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from fupin.accounts.models import User
from fupin.accounts.roles import Role
from fupin.accounts.services import api_token_create, role_assign
from fupin.areas.selectors import area_get

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Calls go through the real WSGI handler, which closes the database connection when a request
    ends; inside a test transaction that connection must stay open (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(areas, keep_test_connection):
    user = User.objects.filter(username="schema_officer").first()
    if user is None:
        user = User.objects.create_user("schema_officer", password=None)
        role_assign(actor=None, user=user, role=Role.COUNTY_OFFICER, area=area_get("210922"))
        role_assign(actor=None, user=user, role=Role.AUDITOR, area=area_get("210922"))
    return api_token_create(actor=None, user=user, name="schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx(case, officer_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {officer_token}"},
                           checks=[not_a_server_error])
