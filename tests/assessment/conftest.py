"""Fixtures of the assessment process tests (builders in process_kit.py), the clock pinned to
20 November 2020 for them."""

import pytest

from fupin.core import clock

from .process_kit import TODAY, make_people, make_round, make_teams


@pytest.fixture
def people(make_user):
    with clock.pinned(TODAY):
        yield make_people(make_user)


@pytest.fixture
def teams(people):
    return make_teams(people)


@pytest.fixture
def round_(people, teams):
    return make_round(people)
