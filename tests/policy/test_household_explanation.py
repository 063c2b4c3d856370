"""On the household page a rule that cannot be decided says which data is missing, by its label, and
where it is collected — not the engine's field names."""

from decimal import Decimal

import pytest
from registry.factories import make_household
from support.places import VILLAGE

from fupin.accounts.roles import Role
from fupin.policy.households import household_evaluate, policy_rows, readable_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(areas):
    return make_household(wage_income=Decimal("3000.00"), business_income=Decimal("0.00"))


def test_missing_screening_answers_are_named_by_label(household):
    evaluation = household_evaluate(household)
    rows = policy_rows(evaluation)["rows"]
    undecided = [r for r in rows if r["status"] == "error" and "缺少数据" in str(
        evaluation.decisions[r["id"]].as_dict().get("error", ""))]
    assert undecided, "the Zhangwu pack's monitoring rules need screening answers the registry lacks"
    for row in undecided:
        assert "missing value" not in str(row["value"])
        assert "无法判定（" in str(row["value"])
    assert any("需在防返贫监测排查时登记" in str(r["value"]) for r in undecided)


def test_readable_error_keeps_other_messages(household):
    pack = household_evaluate(household).pack
    assert readable_error("division by zero", pack) == "division by zero"
    text = readable_error("missing value / 缺少数据: car_value, members.annual_income, per_capita_net_income", pack)
    assert "家庭拥有的消费型小轿车价值" in text and "个人年收入" in text and "户信息未填" in text


def test_household_page_shows_labels(client, household, make_user):
    client.force_login(make_user(Role.VILLAGE_CLERK, VILLAGE))
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert "missing value / 缺少数据" not in page and "需在防返贫监测排查时登记" in page
