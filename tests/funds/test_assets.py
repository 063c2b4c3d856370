"""The asset registry: registration, confirmation, net value, operator contracts and their change,
rent and dividend alerts, the annual inventory, disposal — and the refusal to pledge."""

import datetime as dt

import pytest
from support.places import OTHER_VILLAGE, TOWNSHIP, VILLAGE

from fupin.audit.models import AuditEvent
from fupin.core import clock
from fupin.core.errors import Conflict, PermissionDenied, ValidationFailed
from fupin.funds import services as svc
from fupin.funds.ledger import net_value
from fupin.funds.models import Asset, AssetContract, AssetStatus, ContractStatus, DisposalStatus
from fupin.funds.selectors import fund_risks, income_alerts

from .conftest import D, leased_asset

pytestmark = pytest.mark.django_db


def _register(people, **kw):
    data = dict(actor=people.clerk, area_code=VILLAGE, name="村部", asset_type="public", subtype="village_office",
                acquisition="self_built", acquired_on=dt.date(2017, 8, 1), funded_year=2017, useful_life_years=10,
                condition="good", funds={"central": "300000", "strong_village": "200000"}, custodian="富有村村委会")
    data.update(kw)
    return svc.asset_register(**data)


def test_register_sums_the_funds_into_the_original_value(people):
    asset = _register(people)
    assert asset.original_value == D("500000.00") and asset.status == AssetStatus.REGISTERED
    assert asset.code == f"ZC2017-{asset.pk:06d}"
    assert AuditEvent.objects.filter(action="funds.asset.register", area_code=VILLAGE).exists()


def test_net_value_is_annual_straight_line(people):
    """The form-4 example: 500,000 from 2017-08, 10 years → 400,000 at the end of 2019."""
    asset = _register(people)
    assert net_value(asset, dt.date(2019, 12, 31)) == D("400000.00")
    assert net_value(asset, dt.date(2018, 7, 31)) == D("500000.00")  # the first year is not yet complete
    assert net_value(asset, dt.date(2018, 8, 1)) == D("450000.00")
    assert net_value(asset, dt.date(2035, 1, 1)) == D("0.00")  # fully depreciated, never negative
    equity_like = _register(people, asset_type="operating", subtype="equity", name="合作社股权")
    assert net_value(equity_like, dt.date(2030, 1, 1)) == D("500000.00")


@pytest.mark.parametrize("change, code", [
    ({"subtype": "road", "asset_type": "operating"}, "unknown_asset_subtype"),
    ({"condition": "excellent"}, "bad_choice"),
    ({"useful_life_years": 0}, "out_of_range"),
    ({"acquired_on": dt.date(2020, 5, 1)}, "future_date"),
    ({"funds": {}}, "no_fund_rows"),
    ({"custodian": ""}, "required"),
    ({"area_code": "210922000000"}, "owner_level"),
    ({"area_code": "999999999"}, "unknown_area"),
])
def test_bad_registrations_write_nothing(people, change, code):
    with pytest.raises(ValidationFailed) as err:
        _register(people, **change)
    assert err.value.code == code
    assert not Asset.objects.exists()


def test_pledging_an_asset_is_refused_and_recorded(people):
    asset = _register(people)
    with pytest.raises(ValidationFailed) as err:
        svc.asset_pledge(actor=people.clerk, asset=asset, creditor="某银行", amount="100000")
    assert err.value.code == "asset_pledge_forbidden"
    assert "禁止以扶贫资产" in err.value.message and "L7510" in err.value.details["rule"]
    assert AuditEvent.objects.filter(action="funds.asset.pledge_refused", outcome="denied").exists()
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.REGISTERED


def test_a_contract_needs_confirmed_ownership(people):
    asset = _register(people, asset_type="operating", subtype="base", name="樱桃大棚")
    with pytest.raises(ValidationFailed) as err:
        svc.contract_propose(actor=people.clerk, asset=asset, kind="lease", counterparty="合作社", term_years=3,
                             starts_on=dt.date(2019, 3, 1), annual_amount="50000", decided_on=dt.date(2019, 2, 1))
    assert err.value.code == "asset_not_confirmed"


def test_changing_the_operator_takes_effect_only_when_filed(people):
    asset, first = leased_asset(people)
    assert first.status == ContractStatus.ACTIVE and first.ends_on == dt.date(2022, 3, 1)
    second = svc.contract_propose(actor=people.clerk, asset=asset, kind="operation", counterparty="彰武县禾丰农业公司",
                                  term_years=5, starts_on=dt.date(2020, 4, 1), annual_amount="60000",
                                  decided_on=dt.date(2020, 2, 20))
    assert second.status == ContractStatus.PROPOSED and second.replaces == first
    assert AssetContract.objects.get(pk=first.pk).status == ContractStatus.ACTIVE  # no change without filing
    with pytest.raises(PermissionDenied):
        svc.contract_file(actor=people.clerk, contract=second, on=dt.date(2020, 3, 1))
    svc.contract_file(actor=people.township, contract=second, on=dt.date(2020, 3, 1))
    first.refresh_from_db()
    assert first.status == ContractStatus.ENDED and "彰武县禾丰农业公司" in first.end_reason
    assert AssetContract.objects.get(pk=second.pk).status == ContractStatus.ACTIVE


def test_township_owned_asset_is_also_filed_with_the_county(people):
    asset, contract = leased_asset(people, area=TOWNSHIP)
    assert contract.status == ContractStatus.PROPOSED and contract.township_filed_on
    with pytest.raises(PermissionDenied):
        svc.contract_file(actor=people.township, contract=contract, on=dt.date(2019, 2, 12))
    contract = svc.contract_file(actor=people.county, contract=contract, on=dt.date(2019, 2, 12))
    assert contract.status == ContractStatus.ACTIVE and contract.county_filed_on == dt.date(2019, 2, 12)


def test_rent_not_received_on_time_raises_an_alert(people):
    asset, contract = leased_asset(people)  # rent 50,000 due each 1 March from 2019; grace 30 days
    svc.income_receive(actor=people.clerk, contract=contract, period_year=2019, amount="50000",
                       received_on=dt.date(2019, 3, 5))
    assert income_alerts(people.county) == []  # 2020's instalment is due 2020-03-01, grace until 03-31
    clock.advance(days=31)  # 2020-04-02
    alerts = income_alerts(people.county)
    assert [(a.kind, a.numbers["due_on"], a.numbers["expected"]) for a in alerts] == [
        ("rent_overdue", "2020-03-01", "50000.00")]
    assert "彰武县富民樱桃专业合作社" in alerts[0].message
    assert income_alerts(people.other_clerk) == []  # scoped: another village sees nothing
    svc.income_receive(actor=people.clerk, contract=contract, period_year=2020, amount="30000",
                       received_on=clock.today())
    assert len(income_alerts(people.county)) == 1  # still 20,000 short, and late
    assert any(f.kind == "rent_overdue" for f in fund_risks(people.county))


def test_dividend_not_paid_as_agreed_raises_an_alert(people):
    equity = svc.equity_register(actor=people.clerk, area_code=VILLAGE, year=2018, investee="彰武县牧原养牛合作社",
                                 direction="cooperative", business="养牛", funds={"province": "2000000"}, term_years=3,
                                 starts_on=dt.date(2018, 8, 1), annual_dividend="200000", decided_on=dt.date(2018, 7, 1))
    assert equity.first_due_on == dt.date(2019, 8, 1) and equity.amount == D("2000000.00")
    svc.income_receive(actor=people.clerk, equity=equity, period_year=2019, amount="50000",
                       received_on=dt.date(2019, 8, 10))
    alerts = income_alerts(people.township)
    assert [(a.kind, a.numbers["received"]) for a in alerts] == [("dividend_overdue", "50000.00")]


def test_receipts_outside_the_contract_or_before_filing_are_refused(people):
    asset, contract = leased_asset(people)
    with pytest.raises(ValidationFailed) as err:
        svc.income_receive(actor=people.clerk, contract=contract, period_year=2025, amount="1",
                           received_on=clock.today())
    assert err.value.code in ("out_of_range", "period_outside")
    with pytest.raises(ValidationFailed) as err:
        svc.income_receive(actor=people.clerk, period_year=2019, amount="1", received_on=clock.today())
    assert err.value.code == "receipt_origin"


def test_annual_inventory_books_the_year_end_net_value_and_income(people):
    asset, contract = leased_asset(people)
    svc.income_receive(actor=people.clerk, contract=contract, period_year=2019, amount="50000",
                       received_on=dt.date(2019, 3, 1))
    row = svc.asset_inventory_record(actor=people.clerk, asset=asset, year=2019, checked_on=clock.today(),
                                     condition="fairly_good", matches_books=True)
    assert row.net_value == D("450000.00") and row.income == D("50000.00")
    assert Asset.objects.get(pk=asset.pk).condition == "fairly_good"
    with pytest.raises(Conflict):
        svc.asset_inventory_record(actor=people.clerk, asset=asset, year=2019, checked_on=clock.today(),
                                   condition="good", matches_books=True)
    with pytest.raises(ValidationFailed):  # the current year is inventoried next year
        svc.asset_inventory_record(actor=people.clerk, asset=asset, year=2020, checked_on=clock.today(),
                                   condition="good", matches_books=True)


def test_disposal_needs_published_valuation_and_county_approval(people):
    asset, contract = leased_asset(people)
    d = svc.disposal_request(actor=people.clerk, asset=asset, reason="disaster", on=dt.date(2020, 2, 1))
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.DISPOSING
    with pytest.raises(Conflict):  # not valued yet
        svc.disposal_decide(actor=people.county, disposal=d, approve=True, on=clock.today())
    d = svc.disposal_value(actor=people.township, disposal=d, valuer="阜新正信资产评估有限公司", valuation="120000",
                           valued_on=dt.date(2020, 2, 10), published_on=dt.date(2020, 2, 12))
    with pytest.raises(PermissionDenied):
        svc.disposal_decide(actor=people.township, disposal=d, approve=True, on=clock.today())
    d = svc.disposal_decide(actor=people.county, disposal=d, approve=True, on=dt.date(2020, 2, 20))
    with pytest.raises(Conflict):  # the lease is still in force
        svc.disposal_complete(actor=people.township, disposal=d, method="auction", proceeds="125000",
                              completed_on=dt.date(2020, 2, 25), written_off_on=dt.date(2020, 2, 28))
    svc.contract_end(actor=people.clerk, contract=contract, on=dt.date(2020, 2, 22), reason="大棚受灾损毁")
    d = svc.disposal_complete(actor=people.township, disposal=d, method="auction", proceeds="125000",
                              completed_on=dt.date(2020, 2, 25), written_off_on=dt.date(2020, 2, 28))
    assert d.status == DisposalStatus.COMPLETED
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.DISPOSED


def test_another_village_cannot_register_here(people):
    with pytest.raises(PermissionDenied):
        _register(people, actor=people.other_clerk)
    with pytest.raises(PermissionDenied):
        _register(people, actor=people.clerk, area_code=OTHER_VILLAGE)
