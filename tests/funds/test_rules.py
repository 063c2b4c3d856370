"""The funds rules are data: a county pack overrides the default and the record names the packs used;
the 以工代训 limit comes from the policy pack in force; income reversals and the command line."""

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml
from django.test import override_settings

from fupin.core.errors import ValidationFailed
from fupin.funds import rules as rules_module
from fupin.funds import services as svc
from fupin.funds.params import TRAINING_MONTHS_PARAM, training_months_max
from fupin.funds.rules import rules_for
from fupin.funds.selectors import income_alerts
from fupin.policy.engine.packs import publish, shipped_folder
from fupin.policy.selectors import pack_set

from .conftest import funded_project, leased_asset

pytestmark = pytest.mark.django_db

COUNTY_PACK = {
    "id": "zhangwu@2021", "jurisdiction": "210922", "from_year": 2021,
    "disbursement_stage": [{"progress": 60, "share": "0.40"}, {"completed": True, "share": "1.00"}],
    "distribution": {"household_share_min": "0.60"},
}


@pytest.fixture
def county_pack(monkeypatch):
    default = rules_module._packs()
    monkeypatch.setattr(rules_module, "_packs", lambda: (*default, COUNTY_PACK))


def test_the_shipped_default(areas):
    assert rules_for("210922101202", 2019).packs == ("default@2016",)
    rules = rules_for("210922101202", 2020)
    assert rules.packs == ("default@2016", "zhangwu@2020")  # Zhangwu 2020 adds the PV county fund share
    assert rules.pv["county_fund_share"] == "0.30" and rules_for("210921100200", 2020).pv["county_fund_share"] == "0"
    assert rules.describe_stages() == "进度达到80%后累计可拨付50%；项目完工后累计可拨付100%"
    assert rules.household_share_min == Decimal("0.50") and rules.deadline_in(2020) == dt.date(2020, 4, 30)
    assert "L3916" in rules.sources["disbursement_stage"]


def test_a_county_pack_overrides_only_what_it_lists(county_pack):
    rules = rules_for("210922101202", 2021)
    assert rules.packs == ("default@2016", "zhangwu@2020", "zhangwu@2021")
    assert rules.describe_stages() == "进度达到60%后累计可拨付40%；项目完工后累计可拨付100%"
    assert rules.household_share_min == Decimal("0.60") and rules.idle_days == 90
    assert rules_for("210922101202", 2020).packs == ("default@2016", "zhangwu@2020")  # not before its first year
    assert rules_for("210921100200", 2021).packs == ("default@2016",)  # not in another county


def test_a_pack_must_end_with_completion(monkeypatch):
    bad = {**COUNTY_PACK, "disbursement_stage": [{"progress": 80, "share": "0.50"}]}
    monkeypatch.setattr(rules_module, "_packs", lambda: (bad,))
    with pytest.raises(ValidationFailed):
        rules_for("210922101202", 2021)


def test_disbursement_follows_the_county_pack(people, county_pack):
    from fupin.core import clock
    from fupin.funds.ledger import project_ledger

    with clock.pinned(dt.date(2021, 3, 2)):
        p = funded_project(people, village_meeting_on=dt.date(2021, 3, 1), year=2021)
        svc.project_report_progress(actor=people.clerk, project=p, percent=60, on=clock.today())
        ledger = project_ledger(p)
        assert ledger.payable.amount == Decimal("400000.00")  # 40% of 1,000,000 at 60% under the county pack


def test_a_reversed_receipt_no_longer_counts(people):
    asset, contract = leased_asset(people)
    receipt = svc.income_receive(actor=people.clerk, contract=contract, period_year=2019, amount="50000",
                                 received_on=dt.date(2019, 3, 1))
    svc.income_receive(actor=people.clerk, contract=contract, period_year=2020, amount="50000",
                       received_on=dt.date(2020, 3, 1))
    assert income_alerts(people.county, as_of=dt.date(2020, 4, 15)) == []
    svc.income_reverse(actor=people.clerk, receipt=receipt, on=dt.date(2020, 3, 2), reason="错记年度")
    alerts = income_alerts(people.county, as_of=dt.date(2020, 4, 15))
    assert [(a.numbers["due_on"], a.numbers["received"]) for a in alerts] == [("2019-03-01", "0.00")]


def test_training_months_come_from_the_pack_in_force(tmp_path):
    limit = training_months_max("210922101202", 2020)
    assert (limit.value, limit.pack) == (6, "zhangwu-2020@2") and "最长不超过 6个月" in limit.cite
    fallback = training_months_max("210922101202", 2018)  # zhangwu-2018@1 does not set it
    assert fallback.value == 6 and "zhangwu-2018@1" in fallback.pack and "默认" in fallback.pack
    folder = tmp_path / "policy"
    shutil.copytree(shipped_folder(), folder)
    doc = {"id": "zhangwu-2020", "version": 3, "title": "测试", "jurisdiction": "210922", "year": 2020,
           "status": "published", "extends": "zhangwu-2020@2",
           "parameters": {TRAINING_MONTHS_PARAM: {"type": "integer", "value": 3,
                                                  "cite": {"seed": "000", "quote": "补贴，最长不超过 6个月。"}}}}
    (folder / "zhangwu-2020.v3.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    publish(folder, "zhangwu-2020@3")
    with override_settings(FUPIN_POLICY_DIR=str(folder)):
        pack_set(fresh=True)
        try:
            assert (training_months_max("210922101202", 2020).value,
                    training_months_max("210922101202", 2020).pack) == (3, "zhangwu-2020@3")
        finally:
            pack_set(fresh=True)


def test_report_command_has_bilingual_help():
    out = subprocess.run([sys.executable, "-m", "fupin.cli", "report", "asset-inventory", "--help"],
                         capture_output=True, text=True, env={"FUPIN_DEBUG": "1", "PATH": "/usr/bin:/bin"},
                         timeout=120).stdout
    assert "--county" in out and "形成资产情况调查表" in out and "county code" in out
