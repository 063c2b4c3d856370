"""The inbox (what waits for whom, with counts per stage), visibility, and overdue reviews per area."""

import pytest
from support.places import OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.areas.selectors import area_get
from fupin.core import clock
from fupin.workflow.selectors import (
    inbox,
    inbox_counts,
    inbox_total,
    overdue_by_area,
    reviews_overdue,
    reviews_visible,
)
from fupin.workflow.services import review_open

from .kit import KIND, act, to_township

pytestmark = pytest.mark.django_db


def test_inbox_follows_the_stage(people, opened):
    assert list(inbox(actor=people.clerk)) == [opened]
    assert list(inbox(actor=people.workteam)) == [opened]  # also holds registry.propose in the village
    for nobody in (people.township, people.county, people.other_clerk, people.other_township):
        assert not inbox(actor=nobody).exists()
    to_township(opened, people)
    assert not inbox(actor=people.clerk).exists()
    assert list(inbox(actor=people.township)) == [opened]
    assert not inbox(actor=people.other_township).exists()
    act(opened, people.township, "approve", data={"risk_level": "low"})
    assert list(inbox(actor=people.county)) == [opened]
    assert not inbox(actor=people.township).exists()


def test_counts_per_stage(people, opened, make_user):
    other = review_open(actor=people.other_clerk, kind=KIND, subject=area_get(OTHER_VILLAGE), area=OTHER_VILLAGE,
                        reason="申请")
    to_township(opened, people)
    counts = inbox_counts(actor=people.township)
    assert counts.total == 1 == inbox_total(actor=people.township)
    assert [(c.stage_label, c.count) for c in counts.stages] == [("乡镇审核", 1)]
    act(other, people.other_clerk, "appraisal", attendees=5, votes_for=5, votes_against=0, votes_abstain=0,
        minutes="一致同意")
    # A township reviewer of the township sees nothing at the village stages.
    assert inbox_counts(actor=people.township).total == 1
    assert inbox_counts(actor=people.other_clerk).total == 1
    assert inbox_counts(actor=make_user(None)).total == 0


def test_area_switcher_narrows_the_inbox(people, opened):
    to_township(opened, people)
    people.township.active_prefix = OTHER_VILLAGE
    assert not inbox(actor=people.township).exists()
    people.township.active_prefix = TOWNSHIP
    assert inbox(actor=people.township).exists()


def test_visibility_by_the_view_action(people, opened, make_user):
    cadre = make_user(Role.PAIRING_CADRE, VILLAGE)  # registry.view in the village, no stage action
    assert list(reviews_visible(actor=cadre)) == [opened]
    assert not inbox(actor=cadre).exists()
    assert list(reviews_visible(actor=people.county)) == [opened]
    assert not reviews_visible(actor=people.other_clerk).exists()
    assert not reviews_visible(actor=make_user(Role.AUDIT_ADMIN, "210922")).exists()


def test_overdue_per_area(people, opened):
    assert not reviews_overdue(actor=people.county).exists()
    clock.advance(days=16)  # the appraisal was due within 15 days
    assert list(reviews_overdue(actor=people.county)) == [opened]
    assert list(reviews_overdue(actor=people.county, area_code=TOWNSHIP)) == [opened]
    assert not reviews_overdue(actor=people.county, area_code=OTHER_TOWNSHIP).exists()
    assert not reviews_overdue(actor=people.other_township).exists()
    [row] = overdue_by_area(actor=people.county)
    assert (row.code, row.name, row.count) == ("210922101000", "哈尔套镇", 1)
    assert inbox_counts(actor=people.clerk).overdue == 1
    # Done with the stage: no longer overdue.
    act(opened, people.clerk, "appraisal", attendees=5, votes_for=5, votes_against=0, votes_abstain=0, minutes="同意")
    assert not reviews_overdue(actor=people.county).exists()
