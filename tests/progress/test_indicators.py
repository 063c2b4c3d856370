"""The pre-aggregated indicators: computed per village, rolled up, refreshed only where households
changed, and households marked as they reach the standard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.audit.models import AuditEvent
from fupin.progress.indicators import indicators_refresh
from fupin.progress.models import AreaIndicator, StandardMark
from fupin.registry.models import Household

from .conftest import FAR_VILLAGE

pytestmark = pytest.mark.django_db
COUNTY12, TOWN12 = "210922000000", TOWNSHIP + "000"


def figure(code: str, indicator: str, year: int = 2020) -> Decimal:
    row = AreaIndicator.objects.filter(year=year, area_code=code, indicator=indicator).first()
    return row.value if row else Decimal("0")


def test_village_figures_and_roll_up(households):
    indicators_refresh(year=2020)
    assert figure(VILLAGE, "households") == 4
    assert figure(VILLAGE, "persons") == 12
    assert figure(VILLAGE, "exited_households") == 1
    assert figure(VILLAGE, "exited_in_year_persons") == 3
    assert figure(VILLAGE, "not_exited_households") == 3
    assert figure(VILLAGE, "low_income_households") == 1
    assert figure(VILLAGE, "housing_shortfall") == 1
    assert figure(VILLAGE, "reached_households") == 2
    # township = its two villages; county = all three
    assert figure(TOWN12, "households") == 5
    assert figure(TOWN12, "low_income_persons") == 6
    assert figure(COUNTY12, "households") == 6
    assert figure(COUNTY12, "exited_households") == 2
    assert figure(COUNTY12, "exited_in_year_households") == 1
    assert figure("210900000000", "households") == 6 and figure("210000000000", "households") == 6


def test_only_changed_villages_are_recomputed(households):
    first = indicators_refresh(year=2020)
    assert (first.villages_total, first.villages_recomputed) == (3, 3)
    again = indicators_refresh(year=2020)
    assert again.villages_recomputed == 0
    assert figure(COUNTY12, "households") == 6
    # a registry write bumps updated_at: only that village is recomputed, and the county follows
    poor = households["other"]
    Household.objects.filter(pk=poor.pk).update(status="exited", exit_year=2020, version=F("version") + 1)
    Household.objects.filter(pk=poor.pk).update(updated_at=timezone.now())
    third = indicators_refresh(year=2020)
    assert third.villages_recomputed == 1
    assert figure(OTHER_VILLAGE, "exited_households") == 1
    assert figure(COUNTY12, "exited_households") == 3
    assert figure(VILLAGE, "households") == 4  # untouched village kept


def test_a_deleted_household_is_noticed(households):
    indicators_refresh(year=2020)
    households["far"].delete()
    result = indicators_refresh(year=2020)
    assert result.villages_recomputed == 1
    assert figure(FAR_VILLAGE, "households") == 0
    assert figure(COUNTY12, "households") == 5


def test_households_are_marked_as_they_reach_the_standard(households):
    result = indicators_refresh(year=2020)
    marked = set(StandardMark.objects.values_list("household_id", flat=True))
    assert marked == {households["rich"].pk, households["rich2"].pk, households["far"].pk}
    assert result.marks_added == 3
    # the unsafe house is rebuilt: the household is marked at the next refresh
    house = households["house"]
    Household.objects.filter(pk=house.pk).update(housing_secured=True, housing_grade="A", updated_at=timezone.now())
    assert indicators_refresh(year=2020).marks_added == 1
    assert StandardMark.objects.filter(household_id=house.pk).exists()


def test_refresh_is_audited_once_per_run(households):
    before = AuditEvent.objects.filter(action="progress.refresh").count()
    indicators_refresh(year=2020)
    assert AuditEvent.objects.filter(action="progress.refresh").count() == before + 1
