"""`fupin bench visits` at a small size: same households behind as the loop, and nothing left behind."""

from __future__ import annotations

from fupin.accounts.models import User
from fupin.assistance.bench import run
from fupin.assistance.models import Visit
from fupin.registry.models import Household


def test_visits_benchmark_runs_and_cleans_up(areas):
    before = (Household.objects.count(), User.objects.count())
    outcome = run(200)
    assert outcome.extra["paired"] == 200 and 0 < outcome.extra["behind"] < 200
    assert set(outcome.baselines) == {"per_household_loop"}
    assert (Household.objects.count(), User.objects.count() - 1) == before  # only the bench reader stays
    assert Visit.objects.count() == 0
