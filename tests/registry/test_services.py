"""Writes: create and edit with optimistic locking, frozen years, lifecycle transitions, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from support.places import COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.core.errors import Conflict, Locked, NotFound, PermissionDenied, ValidationFailed
from fupin.registry.models import Household, Person, RegistryYear
from fupin.registry.services import (
    household_create,
    household_update,
    households_assign_cadre,
    lifecycle_apply,
    person_update,
    registry_year_freeze,
    registry_year_unfreeze,
)

from .factories import family, make_household, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_user, dictionaries):
    return make_user(Role.VILLAGE_CLERK, VILLAGE)


@pytest.fixture
def county_admin(make_user, dictionaries):
    return make_user(Role.COUNTY_ADMIN, COUNTY)


def test_create_a_candidate_household(clerk):
    members = [{k: v for k, v in m.items() if k != "person_number"} for m in family()]
    h = household_create(actor=clerk, year=2020, data={"village": VILLAGE, "main_cause": "01",
                                                       "wage_income": Decimal("9000")}, persons=members)
    assert h.status == "candidate" and h.household_number == f"{VILLAGE}0001" and h.member_count == 3
    assert h.per_capita_net_income == Decimal("3000.00")
    assert [p.person_number for p in h.persons.order_by("person_number")] == [f"{VILLAGE}0001{i:02d}" for i in (1, 2, 3)]
    event = AuditEvent.objects.get(action="household.create", target_id=str(h.pk))
    ids = [m["id_number"] for m in event.after["members"]]
    assert all("*" in i for i in ids), "ID numbers are masked in the audit trail"
    assert RegistryYear.objects.filter(year=2020, county__code="210922000000").exists()


def test_clerk_may_not_create_outside_the_village(clerk):
    with pytest.raises(PermissionDenied):
        household_create(actor=clerk, year=2020, data={"village": OTHER_VILLAGE}, persons=family())
    assert not Household.objects.exists()


def test_clerk_may_not_create_a_registered_household_directly(clerk):
    with pytest.raises(PermissionDenied):
        household_create(actor=clerk, year=2020, data={"village": VILLAGE}, persons=family(), status="registered")


def test_create_refuses_invalid_members_and_writes_nothing(clerk):
    members = family()
    members[1]["relation"] = "02"
    with pytest.raises(ValidationFailed) as exc:
        household_create(actor=clerk, year=2020, data={"village": VILLAGE}, persons=members)
    assert "本户有2名户主" in exc.value.message
    assert exc.value.details["problems"][0]["field"] == "relation"
    assert not Household.objects.exists() and not Person.objects.exists()


def test_create_refuses_a_person_already_in_another_household(clerk):
    other = make_household(village=OTHER_VILLAGE)
    taken = other.persons.get(relation="10")
    members = family()
    members[1]["id_number"] = taken.id_number
    with pytest.raises(ValidationFailed, match=f"已登记在2020年度的户 {other.household_number} 中"):
        household_create(actor=clerk, year=2020, data={"village": VILLAGE}, persons=members)


def test_edit_with_the_current_version(clerk):
    h = make_household()
    h2 = household_update(actor=clerk, household_id=h.pk, expected_version=1,
                          data={"wage_income": Decimal("12000"), "housing_grade": "C"})
    assert h2.version == 2 and h2.wage_income == Decimal("12000.00")
    assert h2.net_income == Decimal("16500.00") and h2.per_capita_net_income == Decimal("5500.00")
    event = AuditEvent.objects.filter(action="household.update", target_id=str(h.pk)).get()
    assert event.before == {"wage_income": "6000.00", "housing_grade": ""}
    assert event.after == {"wage_income": "12000.00", "housing_grade": "C"}


def test_stale_edit_is_refused_and_changes_nothing(clerk):
    h = make_household()
    household_update(actor=clerk, household_id=h.pk, expected_version=1, data={"address": "一号"})
    with pytest.raises(Conflict) as exc:
        household_update(actor=clerk, household_id=h.pk, expected_version=1, data={"address": "二号"})
    assert exc.value.code == "stale_version" and exc.value.details == {"current_version": 2}
    assert "第1版，当前为第2版" in exc.value.message
    h.refresh_from_db()
    assert (h.address, h.version) == ("一号", 2)


def test_invalid_edit_changes_nothing(clerk):
    h = make_household()
    with pytest.raises(ValidationFailed, match="主要致贫原因：“77”不在字典"):
        household_update(actor=clerk, household_id=h.pk, expected_version=1, data={"main_cause": "77",
                                                                                    "address": "新地址"})
    h.refresh_from_db()
    assert (h.main_cause, h.address, h.version) == ("01", "", 1)


def test_status_is_not_editable(clerk):
    h = make_household()
    with pytest.raises(ValidationFailed, match="不可修改的字段：status"):
        household_update(actor=clerk, household_id=h.pk, expected_version=1, data={"status": "exited"})


def test_clerk_of_another_village_may_not_edit(make_user, dictionaries):
    h = make_household()
    other = make_user(Role.VILLAGE_CLERK, OTHER_VILLAGE)
    with pytest.raises(PermissionDenied):
        household_update(actor=other, household_id=h.pk, expected_version=1, data={"address": "x"})


def test_change_of_head_in_one_edit(clerk):
    h = make_household()
    head, wife = h.persons.get(relation="02"), h.persons.get(relation="10")
    household_update(actor=clerk, household_id=h.pk, expected_version=1,
                     persons={head.pk: {"status": "deceased"}, wife.pk: {"relation": "02"}})
    wife.refresh_from_db()
    h.refresh_from_db()
    assert wife.relation == "02" and h.member_count == 2 and h.per_capita_net_income == Decimal("5250.00")


def test_removing_the_head_without_a_successor_is_refused(clerk):
    h = make_household()
    head = h.persons.get(relation="02")
    with pytest.raises(ValidationFailed, match="本户没有户主"):
        person_update(actor=clerk, person_id=head.pk, expected_version=1, data={"status": "deceased"})
    head.refresh_from_db()
    assert head.status == "active"


def test_person_edit_checks_the_id_against_birth_and_sex(clerk):
    h = make_household()
    son = h.persons.get(relation="20")
    with pytest.raises(ValidationFailed, match="性别：“女”与证件号码不一致"):
        person_update(actor=clerk, person_id=son.pk, expected_version=1, data={"sex": "2"})


def test_add_a_member(clerk):
    h = make_household()
    baby = member("王小宝", "40", "1", dt.date(2020, 6, 1))
    h = household_update(actor=clerk, household_id=h.pk, expected_version=1, new_persons=[baby])
    assert h.member_count == 4
    assert h.persons.filter(person_number=f"{h.household_number}04", name="王小宝").exists()


def test_database_refuses_a_second_head():
    h = make_household()
    son = h.persons.get(relation="20")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=son.pk).update(relation="02")


def test_frozen_year_refuses_every_write(clerk, county_admin):
    h = make_household()
    registry_year_freeze(actor=county_admin, county_code=COUNTY, year=2020, note="年报已上报")
    with pytest.raises(Locked, match="2020年度已封存"):
        household_update(actor=clerk, household_id=h.pk, expected_version=1, data={"address": "x"})
    with pytest.raises(Locked):
        household_create(actor=clerk, year=2020, data={"village": VILLAGE}, persons=family())
    with pytest.raises(Locked):
        lifecycle_apply(actor=county_admin, household_id=h.pk, transition="return", expected_version=1,
                        reason="x")
    h.refresh_from_db()
    assert h.version == 1 and Household.objects.count() == 1
    registry_year_unfreeze(actor=county_admin, county_code=COUNTY, year=2020, note="更正错录")
    household_update(actor=clerk, household_id=h.pk, expected_version=1, data={"address": "x"})
    assert AuditEvent.objects.filter(action="registry_year.unfreeze", details__reason="更正错录").exists()


def test_only_county_admins_freeze(clerk, make_user, dictionaries):
    make_household()
    officer = make_user(Role.COUNTY_OFFICER, COUNTY)
    for actor in (clerk, officer):
        with pytest.raises(PermissionDenied):
            registry_year_freeze(actor=actor, county_code=COUNTY, year=2020)
    assert not RegistryYear.objects.filter(frozen=True).exists()


def test_unfreeze_needs_a_reason(county_admin):
    make_household()
    registry_year_freeze(actor=county_admin, county_code=COUNTY, year=2020)
    with pytest.raises(ValidationFailed, match="解除封存必须填写原因"):
        registry_year_unfreeze(actor=county_admin, county_code=COUNTY, year=2020, note=" ")
    with pytest.raises(Conflict, match="已经封存"):
        registry_year_freeze(actor=county_admin, county_code=COUNTY, year=2020)


def test_exit_needs_a_passed_exit_check(county_admin):
    h = make_household(status="expected_exit")
    with pytest.raises(ValidationFailed, match="脱贫退出须附退出标准核验结果"):
        lifecycle_apply(actor=county_admin, household_id=h.pk, transition="exit", expected_version=1,
                        reason="收入达标", evidence={"passed": False})
    h = lifecycle_apply(actor=county_admin, household_id=h.pk, transition="exit", expected_version=1,
                        reason="收入达标", evidence={"passed": True, "per_capita": "5500"}, reference="review:9")
    assert (h.status, h.exit_year, h.household_type, h.version) == ("exited", 2020, "2", 2)
    event = AuditEvent.objects.get(action="household.exit", target_id=str(h.pk))
    assert event.details["reference"] == "review:9" and event.before["status"] == "expected_exit"


def test_transition_not_allowed_from_the_status(county_admin):
    h = make_household(status="registered")
    with pytest.raises(Conflict, match="当前状态不允许“返贫”（当前状态：未脱贫）"):
        lifecycle_apply(actor=county_admin, household_id=h.pk, transition="return", expected_version=1, reason="x")


def test_reviewed_transitions_need_the_approving_role(clerk):
    h = make_household(status="candidate")
    with pytest.raises(PermissionDenied):
        lifecycle_apply(actor=clerk, household_id=h.pk, transition="identify", expected_version=1, reason="评议通过")
    h2 = make_household(status="registered")
    lifecycle_apply(actor=clerk, household_id=h2.pk, transition="natural_decrease", expected_version=1,
                    reason="全户迁出")


def test_transition_with_a_stale_version_is_refused(county_admin):
    h = make_household(status="exited", exit_year=2018)
    with pytest.raises(Conflict):
        lifecycle_apply(actor=county_admin, household_id=h.pk, transition="return", expected_version=3, reason="因病")
    h.refresh_from_db()
    assert h.status == "exited"


def test_assign_a_pairing_cadre_to_households(clerk, make_user):
    cadre = make_user(Role.PAIRING_CADRE, VILLAGE)
    a, b = make_household(), make_household()
    assert households_assign_cadre(actor=clerk, cadre=cadre, household_ids=[a.pk, b.pk]) == 2
    a.refresh_from_db()
    assert a.pairing_cadre == cadre and a.version == 2
    assert AuditEvent.objects.filter(action="household.assign_cadre", details__households=2).count() == 1


def test_a_cadre_who_cannot_see_the_village_is_refused(clerk, make_user):
    stranger = make_user(Role.PAIRING_CADRE, OTHER_VILLAGE)
    h = make_household()
    with pytest.raises(ValidationFailed, match="帮扶责任人"):
        household_update(actor=clerk, household_id=h.pk, expected_version=1, data={"pairing_cadre": stranger.pk})


def test_unknown_household_is_not_found(clerk):
    with pytest.raises(NotFound):
        household_update(actor=clerk, household_id=999999, expected_version=1, data={})
