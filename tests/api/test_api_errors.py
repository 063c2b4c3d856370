"""One error shape for every API failure; tokens; malformed JSON."""

import pytest
from django.test import Client
from support.places import VILLAGE

from fupin.accounts.models import ApiToken
from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_unauthenticated_is_a_401_in_the_error_shape_and_audited(client):
    body = client.get("/api/areas").json()
    assert body["error"]["code"] == "not_authenticated" and body["error"]["request_id"]
    assert AuditEvent.objects.filter(action="api.unauthenticated").exists()


def test_bad_token_is_refused(client):
    assert client.get("/api/areas", **_bearer("fp_not-a-real-token")).status_code == 401


def test_session_client_without_csrf_token_is_refused_and_audited(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.VILLAGE_CLERK))
    response = client.post("/api/accounts/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert AuditEvent.objects.filter(action="api.csrf_failed").exists()


def test_malformed_json_is_a_400_and_writes_nothing(make_user, token_for):
    token = token_for(make_user(Role.VILLAGE_CLERK))
    count = ApiToken.objects.count()
    response = Client().post("/api/accounts/tokens", "{not json", content_type="application/json", **_bearer(token))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_request"
    assert ApiToken.objects.count() == count


def test_wrong_types_are_a_422_in_the_error_shape(make_user, token_for):
    token = token_for(make_user(Role.VILLAGE_CLERK))
    response = Client().get("/api/areas?level=abc", **_bearer(token))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_failed"


def test_unknown_and_malformed_area_codes(make_user, token_for):
    token = token_for(make_user(Role.COUNTY_OFFICER, "210922"))
    response = Client().get("/api/areas/210922999999", **_bearer(token))
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_area"
    response = Client().get("/api/areas/abc", **_bearer(token))
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_area_code"


def test_token_created_over_the_api_works_and_is_shown_once(make_user, token_for):
    user = make_user(Role.VILLAGE_CLERK, VILLAGE)
    response = Client().post("/api/accounts/tokens", {"name": "报表脚本"}, content_type="application/json",
                             **_bearer(token_for(user)))
    assert response.status_code == 201
    raw = response.json()["token"]
    assert Client().get("/api/accounts/me", **_bearer(raw)).json()["username"] == user.username
    assert not ApiToken.objects.filter(key_hash=raw).exists()  # only the digest is stored


def test_page_numbers_out_of_range_are_a_422_not_a_server_error(make_user, token_for):
    token = token_for(make_user(Role.COUNTY_OFFICER, "210922"))
    for url in ("/api/areas?page=7431537184586012672", "/api/areas?page=0", "/api/areas?page_size=100000"):
        response = Client().get(url, **_bearer(token))
        assert response.status_code == 422, url
        assert response.json()["error"]["code"] == "validation_failed"


def test_a_nul_byte_in_the_query_is_a_400(make_user, token_for):
    token = token_for(make_user(Role.COUNTY_OFFICER, "210922"))
    response = Client().get("/api/areas?q=%00abc", **_bearer(token))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_a_nul_character_in_a_json_body_is_a_400_and_nothing_is_written(make_user, token_for):
    from fupin.audit.models import AuditEvent

    token = token_for(make_user(Role.COUNTY_OFFICER, "210922"))
    before = AuditEvent.objects.count()
    body = '{"village_code": "2109221\\u000001202", "job_type": "x", "holder_id": 1, "monthly_pay": 500, "starts_on": "2020-01-01"}'
    response = Client().post("/api/funds/jobs", body, content_type="application/json", **_bearer(token))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"
    assert AuditEvent.objects.count() == before
    # a backslash followed by "u0000" as text is not a NUL character and passes on to the API
    escaped = '{"q": "\\\\u0000"}'
    assert Client().post("/api/funds/jobs", escaped, content_type="application/json",
                         **_bearer(token)).status_code == 422
