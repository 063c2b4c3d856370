"""Registry data-quality problems feed the same problem list, never twice."""

from __future__ import annotations

import pytest
from registry.factories import make_household
from support.places import COUNTY, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core.errors import NotFound, PermissionDenied, ValidationFailed
from fupin.supervision import services
from fupin.supervision.models import Finding, FindingSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(areas):
    return make_household(village=VILLAGE), make_household(village=OTHER_VILLAGE)


def issues(h1, h2):
    return [
        {"household_id": h1.pk, "area_code": VILLAGE, "check": "member_count", "message": "人数与家庭成员数不符"},
        {"household_id": h1.pk, "area_code": VILLAGE, "check": "id_consistency", "message": "王浩：身份证号与出生日期不符"},
        {"household_id": h1.pk, "area_code": VILLAGE, "check": "id_consistency", "message": "李桂兰：身份证号与性别不符"},
        {"household_id": h2.pk, "area_code": OTHER_VILLAGE, "check": "missed_exit", "message": "收入远超贫困线仍未脱贫"},
    ]


def test_each_issue_becomes_one_finding_for_the_village_once(officer, households):
    h1, h2 = households
    assert services.findings_import_quality(actor=officer, year=2020, area_code=TOWNSHIP, issues=issues(h1, h2)) == 4
    found = Finding.objects.filter(source=FindingSource.QUALITY)
    assert found.count() == 4
    f = found.get(household=h2)
    assert f.responsible_area.code == OTHER_VILLAGE and "收入远超贫困线仍未脱贫" in f.description
    assert h2.household_number in f.description and (f.deadline - f.found_on).days == 30
    # Again, plus one new issue: only the new one is added.
    more = [*issues(h1, h2), {"household_id": h2.pk, "area_code": OTHER_VILLAGE, "check": "head_count",
                              "message": "没有户主"}]
    assert services.findings_import_quality(actor=officer, year=2020, area_code=TOWNSHIP, issues=more) == 1
    assert found.count() == 5


def test_an_issue_outside_the_area_is_refused_and_nothing_is_added(officer, households):
    h1, h2 = households
    with pytest.raises(ValidationFailed) as refused:
        services.findings_import_quality(actor=officer, year=2020, area_code=VILLAGE, issues=issues(h1, h2))
    assert refused.value.code == "issue_outside_area"
    assert not Finding.objects.exists()


def test_an_issue_without_a_message_is_refused(officer, households):
    h1, _h2 = households
    with pytest.raises(ValidationFailed):
        services.findings_import_quality(actor=officer, year=2020, area_code=TOWNSHIP, issues=[
            {"household_id": h1.pk, "area_code": VILLAGE, "check": "member_count", "message": ""}])


def test_import_needs_supervision_rights_in_the_area(make_user, households):
    with pytest.raises(PermissionDenied):
        services.findings_import_quality(actor=make_user(Role.VILLAGE_CLERK, VILLAGE), year=2020, area_code=VILLAGE,
                                         issues=[])
    with pytest.raises(NotFound):
        services.findings_import_quality(actor=make_user(Role.COUNTY_OFFICER, "210921"), year=2020,
                                         area_code=COUNTY, issues=[])


def test_imports_the_registry_checks_themselves(officer, households):
    """The registry's own checks (fupin.registry.quality) feed the list when no issues are given."""
    pytest.importorskip("fupin.registry.quality")
    h1, _h2 = households
    h1.member_count = 7  # the record says 7 members, it lists 3
    h1.save(update_fields=["member_count"])
    added = services.findings_import_quality(actor=officer, year=2020, area_code=VILLAGE)
    assert added >= 1
    assert Finding.objects.filter(household=h1, source=FindingSource.QUALITY).exists()
    assert services.findings_import_quality(actor=officer, year=2020, area_code=VILLAGE) == 0
