"""`fupin bench dashboard` at a small size: it runs, compares with the on-the-fly baseline measured in
the same run, and cleans up the rows it wrote."""

from __future__ import annotations

import pytest

from fupin.core.bench import workloads
from fupin.progress.models import AreaIndicator
from fupin.registry.models import Household

pytestmark = pytest.mark.django_db


def test_dashboard_benchmark_small(areas):
    import fupin.progress.bench  # noqa: F401  (registers the workload)

    fn, default_size, _help = workloads()["dashboard"]
    assert default_size == 2000
    outcome = fn(size=300, seed=1)
    assert set(outcome.baselines) == {"on_the_fly"}
    assert outcome.extra["persons"] >= 300 and outcome.extra["incremental_villages"] == 1
    assert outcome.result.seconds > 0 and outcome.extra["page_p95_ms"] > 0
    assert not Household.objects.filter(year=outcome.extra["year"]).exists()
    assert not AreaIndicator.objects.filter(year=outcome.extra["year"]).exists()
