"""Handling alerts: verified / not applicable / 转入监测, with a note, audited, stale edits refused."""

from __future__ import annotations

import datetime as dt

import pytest
from registry.factories import make_household, member
from support.places import COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fupin.feeds.models import DepartmentAlert
from fupin.feeds.selectors import alert_get, alerts_visible, open_alert_count
from fupin.feeds.services import alert_handle, case_propose_available, feed_load

from .conftest import MEDICAL_HEADER, claim, persons, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(tmp_path, medical, family_here, family_there):
    rows = [claim(persons(family_here)[0], "A1", out_of_pocket="99999"),
            claim(persons(family_there)[0], "B1", out_of_pocket="99999")]
    feed_load(actor=medical, kind_key="medical_insurance", county_code=COUNTY,
              path=write_csv(tmp_path / "m.csv", MEDICAL_HEADER, rows), year=2020)
    return {a.village.code: a for a in DepartmentAlert.objects.all()}


def test_a_village_clerk_sees_and_counts_only_its_village(make_user, alerts):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    assert list(alerts_visible(actor=clerk)) == [alerts[VILLAGE]]
    assert open_alert_count(actor=clerk) == 1
    township = make_user(Role.TOWNSHIP_REVIEWER, "210922101")
    assert open_alert_count(actor=township) == 2
    with pytest.raises(NotFound):
        alert_get(actor=clerk, alert_id=alerts[OTHER_VILLAGE].pk)


def test_the_department_that_sent_the_data_does_not_see_the_alerts(medical, alerts):
    assert not alerts_visible(actor=medical).exists()
    with pytest.raises(NotFound):
        alert_get(actor=medical, alert_id=alerts[VILLAGE].pk)


def test_handling_records_outcome_note_and_audit(make_user, alerts):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    alert = alert_handle(actor=clerk, alert=alerts[VILLAGE], outcome="verified", note="入户核实：住院属实", version=1)
    assert (alert.status, alert.handled_by, alert.version) == ("verified", clerk, 2)
    event = AuditEvent.objects.get(action="feeds.alert_handle")
    assert event.after["status"] == "verified" and event.area_code == VILLAGE
    assert open_alert_count(actor=clerk) == 0
    with pytest.raises(Conflict, match="已处理"):
        alert_handle(actor=clerk, alert=alert, outcome="not_applicable", note="再次", version=2)


def test_a_stale_version_is_refused(make_user, alerts):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    with pytest.raises(Conflict, match="刷新"):
        alert_handle(actor=clerk, alert=alerts[VILLAGE], outcome="verified", note="核实", version=7)
    assert DepartmentAlert.objects.get(pk=alerts[VILLAGE].pk).status == "open"


@pytest.mark.parametrize(("outcome", "note", "message"), [
    ("closed", "x", "处理结果应为"), ("verified", "  ", "请填写处理说明"), ("verified", "字" * 2001, "不能超过"),
])
def test_bad_handling_input_is_refused(make_user, alerts, outcome, note, message):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    with pytest.raises(ValidationFailed, match=message):
        alert_handle(actor=clerk, alert=alerts[VILLAGE], outcome=outcome, note=note, version=1)


def test_a_clerk_of_another_village_cannot_handle(make_user, alerts):
    with pytest.raises(PermissionDenied):
        alert_handle(actor=make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE), alert=alerts[VILLAGE], outcome="verified",
                     note="x", version=1)


def test_turning_into_a_monitoring_case(tmp_path, make_user, medical, alerts):
    clerk = make_user(Role.VILLAGE_CLERK, VILLAGE)
    if not case_propose_available():
        with pytest.raises(ValidationFailed, match="监测功能尚未启用"):
            alert_handle(actor=clerk, alert=alerts[VILLAGE], outcome="monitoring", note="转入", version=1)
        return
    # A household still registered as poor is helped as such, not monitored: the monitoring app says so and
    # the alert stays open.
    with pytest.raises(ValidationFailed):
        alert_handle(actor=clerk, alert=alerts[VILLAGE], outcome="monitoring", note="转入", version=1)
    assert DepartmentAlert.objects.get(pk=alerts[VILLAGE].pk).status == "open"
    exited = make_household(village=VILLAGE, status="exited", exit_year=2019,
                            members=[member("孙立", "02", "1", dt.date(1966, 4, 4))])
    feed_load(actor=medical, kind_key="medical_insurance", county_code=COUNTY, year=2020,
              path=write_csv(tmp_path / "e.csv", MEDICAL_HEADER, [claim(persons(exited)[0], "E1", out_of_pocket="99999")]))
    alert = DepartmentAlert.objects.get(household=exited)
    alert = alert_handle(actor=clerk, alert=alert, outcome="monitoring", note="因病支出骤增", version=1)
    assert alert.status == "monitoring" and alert.case_ref
