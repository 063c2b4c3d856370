"""The screen-store benchmark runs at a small size, reports its figures and leaves nothing behind."""

import pytest

from fupin.core.bench import report
from fupin.policy.bench import screen_store
from fupin.policy.models import ScreeningRun, StoredDecision
from fupin.registry.models import Household

pytestmark = pytest.mark.django_db


def test_screen_store_small(areas):
    outcome = screen_store(size=40, seed=5)
    out = report(workload="screen-store", size=40, database="sqlite", outcome=outcome)
    assert out["result"]["per_second"] > 0
    assert set(out["baselines"]) == {"orm_bulk_create", "orm_per_row"}
    assert outcome.extra["households"] == 40 and outcome.extra["decisions"] == 40 * outcome.extra["rules"]
    assert not ScreeningRun.objects.exists() and not StoredDecision.objects.exists()
    assert not Household.objects.exists()
