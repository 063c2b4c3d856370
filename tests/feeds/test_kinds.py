"""The feed kinds: every kind loads, names a real department, reads a parameter that the Zhangwu 2020
pack has, and cites a clause that is in its seed document."""

from __future__ import annotations

import pytest
from support.seeds import SEEDS_DIR

from fupin.accounts.roles import Department
from fupin.feeds.kinds import feed_kinds
from fupin.policy.selectors import packs_for_area


def test_the_six_kinds_and_their_departments():
    kinds = feed_kinds()
    assert set(kinds) == {"medical_insurance", "civil_affairs", "disabled_federation", "education",
                          "emergency_management", "human_resources"}
    assert all(k.department in Department.values for k in kinds.values() if k.department)


def test_every_threshold_parameter_is_in_the_zhangwu_pack():
    pack = packs_for_area("210922101202", 2020)[0]
    for kind in feed_kinds().values():
        if kind.rule.param:
            assert kind.rule.param in pack.parameters, kind.key


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed documents are not present here")
def test_every_quote_is_in_its_seed():
    for kind in feed_kinds().values():
        cite = kind.rule.cite
        text = next(SEEDS_DIR.glob(f"{cite['seed']}_*.txt")).read_text(encoding="utf-8")
        assert cite["quote"] in text, (kind.key, cite["quote"])
