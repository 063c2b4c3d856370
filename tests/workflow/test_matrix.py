"""Every workflow page and endpoint against the permission matrix: anonymous, no role, the right
role in the right area, the same role in another area."""

import pytest
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.accounts.roles import Role
from fupin.core import clock
from fupin.workflow.services import review_open

from .kit import APPRAISAL_OK, KIND

pytestmark = pytest.mark.django_db
MARKER = "测试户张三"


@pytest.fixture
def review(people, village):
    return review_open(actor=people.clerk, kind=KIND, subject=village, area=village, reason="因病致贫",
                       subject_label=MARKER)


# Pages -----------------------------------------------------------------------------------------


def test_inbox_page(review, make_user, token_for):
    Matrix("/workflow/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=MARKER,
           other_area_refused=False).check(make_user, token_for)


def test_review_list_page(review, make_user, token_for):
    Matrix("/workflow/reviews/?q=张三", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker=MARKER,
           other_area_refused=False).check(make_user, token_for)


def test_review_detail_page_village(review, make_user, token_for):
    Matrix(f"/workflow/reviews/{review.pk}/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, marker=MARKER).check(
        make_user, token_for)


def test_review_detail_page_township(review, make_user, token_for):
    Matrix(f"/workflow/reviews/{review.pk}/", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, marker=MARKER).check(
        make_user, token_for)


def test_act_page(review, make_user, token_for):
    m = Matrix(f"/workflow/reviews/{review.pk}/act/", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, method="post",
               data={"act": "appraisal", "expected_version": 1, **APPRAISAL_OK}, ok_status=302)
    m.check(make_user, token_for)
    review.refresh_from_db()
    assert review.stage_key == "village_notice"  # the right user's post took effect, and only it


def test_overdue_page(review, make_user, token_for):
    clock.advance(days=20)
    Matrix("/workflow/overdue/", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, marker=MARKER,
           other_area_refused=False).check(make_user, token_for)


# API -------------------------------------------------------------------------------------------


def test_api_inbox(review, make_user, token_for):
    Matrix("/api/workflow/inbox", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker=MARKER,
           other_area_refused=False).check(make_user, token_for)


def test_api_inbox_counts(review, make_user, token_for):
    Matrix("/api/workflow/inbox/counts", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True, marker="村民主评议",
           other_area_refused=False).check(make_user, token_for)


def test_api_reviews(review, make_user, token_for):
    Matrix("/api/workflow/reviews?status=pending", Role.TOWNSHIP_REVIEWER, TOWNSHIP, OTHER_TOWNSHIP, api=True,
           marker=MARKER, other_area_refused=False).check(make_user, token_for)


def test_api_review_detail(review, make_user, token_for):
    Matrix(f"/api/workflow/reviews/{review.pk}", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
           marker=MARKER).check(make_user, token_for)


def test_api_act(review, make_user, token_for):
    m = Matrix(f"/api/workflow/reviews/{review.pk}/act", Role.VILLAGE_CLERK, VILLAGE, OTHER_VILLAGE, api=True,
               method="post", data={"act": "appraisal", "expected_version": 1, **APPRAISAL_OK}, marker=MARKER)
    m.check(make_user, token_for)
    review.refresh_from_db()
    assert review.stage_key == "village_notice"


def test_api_overdue(review, make_user, token_for):
    clock.advance(days=20)
    Matrix("/api/workflow/overdue", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True, marker=MARKER,
           other_area_refused=False).check(make_user, token_for)


def test_api_overdue_by_area(review, make_user, token_for):
    clock.advance(days=20)
    Matrix("/api/workflow/overdue/by-area", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True, marker="哈尔套镇",
           other_area_refused=False).check(make_user, token_for)
