"""The rows a screening stores are the same whichever engine computed them (generated households)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.policy import frames

from .test_equivalence import households, numbered

AS_OF = dt.date(2020, 12, 31)


@pytest.mark.parametrize("ref", ["zhangwu-2020@1", "fushun-2018-2020@1"])
def test_local_and_polars_store_the_same_rows(shipped, ref):
    pack = shipped.get(ref)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.lists(households(pack), min_size=1, max_size=6))
    def check(records):
        records = numbered(records)
        local = sorted(frames.decide("local", pack, records, AS_OF), key=lambda r: (r.household_id, r.rule))
        polars = sorted(frames.decide("polars", pack, records, AS_OF), key=lambda r: (r.household_id, r.rule))
        assert local == polars
        assert len(local) == len(records) * len(pack.rules)

    check()


def test_values_are_stored_as_text(shipped):
    assert frames.value_text("flag", True) == "true" and frames.value_text("flag", False) == "false"
    assert frames.value_text("amount", 1234.5) == "1234.50" and frames.value_text("amount", 0.005) == "0.01"
    assert frames.value_text("classify", "政策兜底人群") == "政策兜底人群" and frames.value_text("flag", None) == ""
