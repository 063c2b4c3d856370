"""Examples the property tests once found where the Polars batch disagreed with the one-household evaluator."""

from __future__ import annotations

import datetime as dt

import pytest

from .support import canonical_batch, canonical_single
from .test_equivalence import expression_pack, numbered

AS_OF = dt.date(2020, 12, 31)


@pytest.mark.parametrize("when", [
    "1 < count_members()",  # the example found: "Series __c_b0.b0, length 1 doesn't match the DataFrame height of 2"
    "(1 + 2) <= sum_members(1)",
    "params.n == max_members(earning)",
    "'2' != if(registered, kind, '3')",
    "date('2020-01-01') < if(registered, surveyed_on, surveyed_on)",
])
@pytest.mark.parametrize("members", [[[], []], [[], [{}]], [[{"earning": 5}], [{}, {"earning": 3}]]],
                         ids=["nobody", "one-person", "three-persons"])
def test_literal_compared_with_member_aggregate(tmp_path, when, members):
    # A comparison with a literal on the left and a member aggregate on the right, over households
    # without any members: every household gets an answer, the same as one at a time.
    pack = expression_pack(tmp_path, ["1"], [when], classify=False).get("test-2020")
    records = numbered([{"members": m, "registered": i == 0, "kind": "1"} for i, m in enumerate(members)])
    batch = canonical_batch(pack, records, AS_OF)
    assert batch == canonical_single(pack, records, AS_OF)
    assert len(batch) == 2 and all(row["b0"][0] in ("ok", "error") for row in batch.values())
