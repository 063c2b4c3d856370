"""The demo puts households of 富有村委会 at every step of the procedure, eliminated ones included,
and running it again adds nothing."""

import pytest
from support.places import COUNTY, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.monitoring.demo import PLAN, demo_monitoring
from fupin.monitoring.models import CaseStatus, MonitoringCase
from fupin.workflow.models import Review

from .kit import exited_household

pytestmark = pytest.mark.django_db


def test_demo_covers_every_step_once(make_user, dictionaries):
    for username, role, area in [("clerk", Role.VILLAGE_CLERK, VILLAGE), ("workteam", Role.WORKTEAM_MEMBER, VILLAGE),
                                 ("township", Role.TOWNSHIP_REVIEWER, TOWNSHIP), ("officer", Role.COUNTY_OFFICER, COUNTY),
                                 ("cadre", Role.PAIRING_CADRE, VILLAGE)]:
        make_user(role, area, username=username)
    for _i in range(len(PLAN)):
        exited_household()
    result = demo_monitoring()
    assert result["created"] is True and result["cases"] == len(PLAN)
    stages = {Review.objects.get(kind="monitoring.identify", subject_id=str(pk)).stage_key
              for step, pk in result["steps"].items() if step in ("appraisal", "village_notice", "township", "county",
                                                                "entry")}
    assert stages == {"appraisal", "village_notice", "township", "county", "entry"}
    by_status = {s: MonitoringCase.objects.filter(status=s).count() for s in CaseStatus.values}
    assert by_status["eliminated"] == 1 and by_status["not_included"] == 1 and by_status["monitored"] == 2
    eliminating = Review.objects.get(kind="monitoring.eliminate", status="pending")
    assert eliminating.stage_key == "county"
    assert demo_monitoring() == {"created": False}
    assert MonitoringCase.objects.count() == len(PLAN)
