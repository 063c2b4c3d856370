"""The monitoring procedure reads its notice window, the months of stable income and whether households
without labour stay monitored from the pack in force (zhangwu-2020@2), names that pack on the case page's
criteria, and follows a pack that changes them."""

import contextlib
import datetime as dt
import shutil
from decimal import Decimal

import pytest
import yaml
from django.test import override_settings
from registry.factories import member
from support.places import VILLAGE

from fupin.core import clock
from fupin.core.errors import ValidationFailed
from fupin.monitoring import rules
from fupin.monitoring.elimination import elimination_check
from fupin.monitoring.services import case_open
from fupin.policy.engine.packs import publish, shipped_folder
from fupin.policy.selectors import pack_set
from fupin.workflow.models import Review

from .kit import APPRAISAL, CLEAN_FACTS, START, act, exited_household, measure_in_place
from .test_elimination import monitored_case, record_months, states

pytestmark = pytest.mark.django_db
CITE = {"seed": "000", "quote": "风险消除后，要及时在系统中进行标注。"}
NO_LABOUR = [member("赵老汉", "02", "1", dt.date(1940, 1, 2), labour_skill="5"),
             member("钱老太", "10", "2", dt.date(1942, 3, 4), labour_skill="4")]


@contextlib.contextmanager
def village_pack(tmp_path, **values):
    """The shipped packs plus a published pack for the test village extending zhangwu-2020@2."""
    folder = tmp_path / "policy"
    shutil.copytree(shipped_folder(), folder)
    types = {"monitoring_notice_days": "integer", "elimination_stable_months": "integer",
             "keep_monitoring_without_labour": "bool"}
    doc = {"id": "fuyou-2020", "version": 1, "title": "富有村 2020 年监测参数（测试）", "jurisdiction": VILLAGE,
           "jurisdiction_name": "富有村委会", "year": 2020, "status": "published", "extends": "zhangwu-2020@2",
           "parameters": {k: {"title": k, "type": types[k], "value": v, "cite": CITE} for k, v in values.items()}}
    (folder / "fuyou-2020.v1.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    publish(folder, "fuyou-2020@1")
    with override_settings(FUPIN_POLICY_DIR=str(folder)):
        pack_set(fresh=True)
        try:
            yield
        finally:
            pack_set(fresh=True)


def test_the_zhangwu_pack_sets_the_three_values(dictionaries):
    household = exited_household()
    assert rules.pack_parameter(household, rules.NOTICE_PARAMETERS, 0) == rules.PackParameter(
        7, "zhangwu-2020@2 monitoring_notice_days")
    assert rules.pack_parameter(household, "elimination_stable_months", 0).source == \
        "zhangwu-2020@2 elimination_stable_months"
    assert rules.pack_parameter(household, "keep_monitoring_without_labour", False).value is True


def test_a_pack_without_them_falls_back_to_the_defaults(dictionaries):
    household = exited_household()
    found = rules.pack_parameter(household, "not_a_parameter", 6)
    assert found.value == 6 and "zhangwu-2020@2" in found.source and "默认" in found.source


def test_the_criteria_name_the_pack_they_come_from(people):
    case = monitored_case(people, members=NO_LABOUR, wage_income=Decimal("30000.00"))
    criteria = {c["key"]: c for c in elimination_check(case)["criteria"]}
    assert criteria["income"]["title"].startswith("最近6个月")
    assert "依据：zhangwu-2020@2 elimination_stable_months" in criteria["income"]["detail"]
    assert criteria["labour"]["state"] == "not_met"
    assert "依据：zhangwu-2020@2 keep_monitoring_without_labour" in criteria["labour"]["detail"]


def test_elimination_follows_a_pack_that_changes_the_months_and_the_labour_rule(people, tmp_path):
    case = monitored_case(people, members=NO_LABOUR, wage_income=Decimal("30000.00"))
    measure_in_place(case.household)
    with clock.pinned(dt.date(2020, 12, 10)):
        record_months(people, case, dt.date(2020, 9, 1), 3)
        assert states(elimination_check(case))["income"] == "not_met"  # three months of six
        with village_pack(tmp_path, elimination_stable_months=3, keep_monitoring_without_labour=False):
            check = elimination_check(case)
            assert states(check) == {"income": "met", "secured": "met", "measures": "met", "labour": "met"}
            assert check["passed"] and "fuyou-2020@1" in check["criteria"][0]["detail"]
    assert states(elimination_check(case))["labour"] == "not_met"  # back to the shipped pack


def test_the_village_notice_window_follows_the_pack(people, tmp_path):
    with village_pack(tmp_path, monitoring_notice_days=10), clock.pinned(START):
        case = case_open(actor=people.clerk, household=exited_household(), found_by="application", reason="因病",
                         risk_types=["01"], facts=CLEAN_FACTS)
        review = Review.objects.get(kind="monitoring.identify", subject_id=str(case.pk))
        act(review, people.clerk, "appraisal", **APPRAISAL)
        act(review, people.clerk, "start_notice", place="村务公开栏")
        clock.advance(days=7)  # enough under zhangwu-2020@2, not under this pack
        with pytest.raises(ValidationFailed) as refused:
            act(review, people.clerk, "close_notice")
        assert refused.value.code == "notice_window_open" and "2020-06-10" in refused.value.message
        clock.advance(days=3)
        act(review, people.clerk, "close_notice")
    review.refresh_from_db()
    assert review.stage_key != "village_notice"
