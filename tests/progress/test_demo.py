"""The demo: shipped plans, refreshed aggregates, a year of dispatch; a second run adds nothing."""

from __future__ import annotations

import pytest

from fupin.progress.demo import demo_progress
from fupin.progress.models import AreaBoundary, AreaIndicator, Plan, Snapshot
from fupin.progress.reports import report_rows
from fupin.progress.summaries import summary_data

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(households):
    first = demo_progress()
    assert "zhangwu-2020-targets" in first["plans_loaded"] and first["snapshots"] == 12
    assert Plan.objects.filter(code="zhangwu-2020-employment").exists()
    assert AreaIndicator.objects.filter(year=2020, area_code="210922000000", indicator="households").get().value == 6
    months = list(Snapshot.objects.order_by("month").values_list("month__month", flat=True))
    assert months == list(range(1, 13))
    # the reconstructed history moves toward the final figures month by month
    january, december = Snapshot.objects.order_by("month")[0], Snapshot.objects.order_by("month")[11]
    exits = [s.values.get(area_code="210922000000", indicator="exited_in_year_households").value
             for s in (january, december)]
    assert exits[0] < exits[1] == 1
    assert report_rows(december)["previous_month"] == "2020-11"
    # a year of dispatch: both summaries of 2020 are available in the demo
    year_end = summary_data(area=december.area, year=2020, kind="year_end")
    assert len(year_end["months"]) == 12 and not year_end["missing_months"]
    assert summary_data(area=december.area, year=2020, kind="national_day")["period"] == "2020-09"
    # the demo township's villages have generated boundaries, marked schematic
    shapes = AreaBoundary.objects.filter(area_code__startswith="210922101")
    assert shapes.exists() and all(b.schematic and "示意" in b.source_name for b in shapes)
    second = demo_progress()
    assert second["snapshots"] == 0 and second["plans_loaded"] == [] and second["targets_reported"] == 0
    assert first["schematic_boundaries"] > 0 and second["schematic_boundaries"] == 0
    assert Snapshot.objects.count() == 12
