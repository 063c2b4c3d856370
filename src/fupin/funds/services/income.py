"""Operation contracts (经营合同: lease, contracting, entrusted operation), equity investments (资金入股)
and the income they bring (收益到账: rent and dividends).

Choosing or changing the operator: the owner's democratic decision (民主决策), then the township's review
and filing (乡镇审核备案); a township-owned, cross-village asset is also filed with the county (县级备案).
The operator cannot change without the owner's consent, so a new contract only takes effect through
these steps, and it then ends the one it replaces.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds.codes import equity_code
from fupin.funds.ledger import add_years, yuan
from fupin.funds.models import (
    Asset,
    AssetContract,
    AssetStatus,
    ContractKind,
    ContractStatus,
    EquityFund,
    EquityInvestment,
    EquityStatus,
    IncomeKind,
    IncomeReceipt,
    InvestmentDirection,
    Project,
)

from ._common import (
    actor_or_none,
    allow,
    as_choice,
    as_date,
    as_int,
    as_money,
    fund_rows,
    owner_area,
    refuse_status,
)
from .assets import county_filing_needed


def _period(starts_on, term_years: int, first_due_on, *, what: str):
    ends_on = add_years(starts_on, term_years)
    first_due_on = first_due_on or starts_on
    if not starts_on <= first_due_on <= ends_on:
        raise ValidationFailed(_("%(w)s首次收取日期应在合同期内（%(a)s 至 %(b)s）")
                               % {"w": what, "a": starts_on, "b": ends_on}, code="due_outside_period")
    return ends_on, first_due_on


def contract_propose(*, actor, asset: Asset, kind: str, counterparty: str, term_years, starts_on, annual_amount,
                     decided_on, first_due_on=None) -> AssetContract:
    """经营合同 after the owner's democratic decision; it takes effect once filed (contract_file)."""
    as_choice(kind, ContractKind, _("经营方式"))
    counterparty = str(counterparty or "").strip()
    if not counterparty:
        raise ValidationFailed(_("请填写承租/经营单位（人员）名称"), code="required")
    term = as_int(term_years, _("合约年限"), low=1, high=50)
    starts_on = as_date(starts_on, _("合约起始日期"), not_future=False)
    decided_on = as_date(decided_on, _("民主决策日期"))
    amount = as_money(annual_amount, _("年租金/承包费"), allow_zero=True)
    first_due_on = as_date(first_due_on, _("首次收取日期"), not_future=False, required=False)
    ends_on, first_due_on = _period(starts_on, term, first_due_on, what=_("租金"))
    with transaction.atomic():
        a = Asset.objects.select_for_update().select_related("area").get(pk=asset.pk)
        allow(actor, "funds.edit", a.area.code)
        if a.status == AssetStatus.REGISTERED:
            raise ValidationFailed(_("资产尚未确权，不能确定经营主体"), code="asset_not_confirmed")
        refuse_status(a, [AssetStatus.CONFIRMED], _("签订经营合同"))
        if a.contracts.filter(status=ContractStatus.PROPOSED).exists():
            raise Conflict(_("该资产已有待备案的经营合同"), code="contract_pending")
        current = a.contracts.filter(status=ContractStatus.ACTIVE).first()
        contract = AssetContract.objects.create(
            asset=a, kind=kind, counterparty=counterparty[:100], term_years=term, starts_on=starts_on,
            ends_on=ends_on, annual_amount=amount, first_due_on=first_due_on, decided_on=decided_on,
            replaces=current, created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.contract.propose", target=a, area_code=a.area.code,
                    after={"contract": contract.pk, "kind": kind, "counterparty": counterparty, "term": term,
                           "annual_amount": str(amount), "replaces": current.pk if current else None})
    return contract


def contract_file(*, actor, contract: AssetContract, on) -> AssetContract:
    """审核备案: the township files the contract; a township-owned asset needs the county's filing too.
    When the last filing is done the contract is in force and the one it replaces ends."""
    on = as_date(on, _("备案日期"))
    with transaction.atomic():
        c = AssetContract.objects.select_for_update().select_related("asset__area").get(pk=contract.pk)
        area = c.asset.area
        refuse_status(c, [ContractStatus.PROPOSED], _("备案"))
        if on < c.decided_on:
            raise ValidationFailed(_("备案日期不能早于民主决策日期（%(d)s）") % {"d": c.decided_on}, code="date_order")
        if c.township_filed_on is None:
            allow(actor, "funds.review", area.code)
            c.township_filed_on, step = on, "township"
        else:
            allow(actor, "funds.approve", area.code)
            c.county_filed_on, step = on, "county"
        activate = not county_filing_needed(area) or c.county_filed_on is not None
        if activate:
            old = AssetContract.objects.select_for_update().filter(asset=c.asset, status=ContractStatus.ACTIVE).first()
            if old is not None:
                old.status, old.ended_on, old.end_reason = ContractStatus.ENDED, max(on, old.starts_on), \
                    _("变更经营主体：由“%(n)s”接替") % {"n": c.counterparty}
                old.save()
            c.status = ContractStatus.ACTIVE
        c.save()
        audit_event(actor=actor, action="funds.contract.file", target=c.asset, area_code=area.code,
                    after={"contract": c.pk, "step": step, "on": on, "status": c.status})
    return c


def contract_end(*, actor, contract: AssetContract, on, reason: str) -> AssetContract:
    """终止: the contract ends early (or is closed at the end of its term)."""
    on = as_date(on, _("终止日期"))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写终止原因"), code="required")
    with transaction.atomic():
        c = AssetContract.objects.select_for_update().select_related("asset__area").get(pk=contract.pk)
        allow(actor, "funds.edit", c.asset.area.code)
        refuse_status(c, [ContractStatus.ACTIVE, ContractStatus.PROPOSED], _("终止"))
        if on < c.starts_on and c.status == ContractStatus.ACTIVE:
            raise ValidationFailed(_("终止日期不能早于合约起始日期"), code="date_order")
        c.status, c.ended_on, c.end_reason = ContractStatus.ENDED, on, reason[:200]
        c.save()
        audit_event(actor=actor, action="funds.contract.end", target=c.asset, area_code=c.asset.area.code,
                    after={"contract": c.pk, "on": on, "reason": reason})
    return c


def equity_register(*, actor, area_code: str, year, investee: str, direction: str, business: str, funds, term_years,
                    starts_on, annual_dividend, decided_on, first_due_on=None, township_filed_on=None,
                    project: Project | None = None, note: str = "") -> EquityInvestment:
    """资金入股: poverty funds owned by a township or village invested in an enterprise or cooperative."""
    area = owner_area(area_code, what=_("资金所有权"))
    allow(actor, "funds.edit", area.code)
    investee, business = str(investee or "").strip(), str(business or "").strip()
    if not investee or not business:
        raise ValidationFailed(_("请填写入股企业或合作社名称和经营项目"), code="required")
    as_choice(direction, InvestmentDirection, _("投资方向"))
    year = as_int(year, _("资金入股年度"), low=2000, high=2100)
    term = as_int(term_years, _("入股合作期限"), low=1, high=50)
    starts_on = as_date(starts_on, _("合同起始日期"), not_future=False)
    decided_on = as_date(decided_on, _("民主决策日期"))
    township_filed_on = as_date(township_filed_on, _("乡镇审核备案日期"), required=False)
    dividend = as_money(annual_dividend, _("年分红金额"), allow_zero=True)
    first_due_on = as_date(first_due_on, _("首次分红日期"), not_future=False, required=False)
    if first_due_on is None:
        first_due_on = add_years(starts_on, 1)  # dividends are paid after each year of cooperation
    ends_on, first_due_on = _period(starts_on, term, first_due_on, what=_("分红"))
    if abs(starts_on.year - year) > 1:
        raise ValidationFailed(_("资金入股年度（%(y)s）与合同起始（%(s)s）不符") % {"y": year, "s": starts_on},
                               code="year_mismatch")
    rows = fund_rows(funds, what=_("入股资金"))
    if township_filed_on is not None:
        allow(actor, "funds.review", area.code)
    with transaction.atomic():
        equity = EquityInvestment.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", area=area, project=project, year=year, investee=investee[:100],
            direction=direction, business=business[:100], amount=sum(a for _s, a in rows), term_years=term,
            starts_on=starts_on, ends_on=ends_on, annual_dividend=dividend, first_due_on=first_due_on,
            decided_on=decided_on, township_filed_on=township_filed_on, note=str(note or "")[:300],
            created_by=actor_or_none(actor))
        equity.code = equity_code(year, equity.pk)
        equity.save(update_fields=["code"])
        EquityFund.objects.bulk_create([EquityFund(equity=equity, source=s, amount=a) for s, a in rows])
        audit_event(actor=actor, action="funds.equity.register", target=equity, area_code=area.code,
                    after={"code": equity.code, "investee": investee, "amount": str(equity.amount),
                           "annual_dividend": str(dividend), "funds": {s: str(a) for s, a in rows}})
    return equity


def income_receive(*, actor, period_year, amount, received_on, contract: AssetContract | None = None,
                   equity: EquityInvestment | None = None, reference: str = "", note: str = "") -> IncomeReceipt:
    """收益到账: rent (from a contract) or a dividend (from an equity investment) for one year."""
    if (contract is None) == (equity is None):
        raise ValidationFailed(_("收益须对应一份经营合同或一笔资金入股"), code="receipt_origin")
    amount = as_money(amount, _("到账金额"))
    received_on = as_date(received_on, _("到账日期"))
    period_year = as_int(period_year, _("所属年度"), low=2000, high=received_on.year + 1)
    with transaction.atomic():
        if contract is not None:
            origin = AssetContract.objects.select_for_update().select_related("asset__area").get(pk=contract.pk)
            area, kind, label = origin.asset.area, IncomeKind.RENT, origin.asset.name
            if origin.status == ContractStatus.PROPOSED:
                raise ValidationFailed(_("合同尚未备案生效，不能登记租金"), code="contract_not_active")
        else:
            origin = EquityInvestment.objects.select_for_update().select_related("area").get(pk=equity.pk)
            area, kind, label = origin.area, IncomeKind.DIVIDEND, origin.investee
        allow(actor, "funds.edit", area.code)
        last = origin.ended_on or origin.ends_on
        if not origin.starts_on.year <= period_year <= last.year:
            raise ValidationFailed(_("所属年度 %(y)s 不在合同期（%(a)s 至 %(b)s）内")
                                   % {"y": period_year, "a": origin.starts_on, "b": last}, code="period_outside")
        receipt = IncomeReceipt.objects.create(
            kind=kind, contract=contract and origin, equity=equity and origin, area=area, period_year=period_year,
            amount=amount, received_on=received_on, reference=str(reference or "")[:100], note=str(note or "")[:300],
            created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.income.receive", target=receipt, area_code=area.code,
                    after={"kind": kind, "of": label, "period_year": period_year, "amount": str(amount),
                           "received_on": received_on})
    return receipt


def income_reverse(*, actor, receipt: IncomeReceipt, on, reason: str) -> IncomeReceipt:
    """冲正 a wrongly recorded receipt."""
    on = as_date(on, _("冲正日期"))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写冲正原因"), code="required")
    with transaction.atomic():
        original = IncomeReceipt.objects.select_for_update().select_related("area").get(pk=receipt.pk)
        allow(actor, "funds.edit", original.area.code)
        if original.reverses_id is not None:
            raise Conflict(_("冲正记录本身不能再冲正"), code="reverse_reversal")
        if IncomeReceipt.objects.filter(reverses=original).exists():
            raise Conflict(_("该记录已冲正"), code="already_reversed")
        reversal = IncomeReceipt.objects.create(
            kind=original.kind, contract=original.contract, equity=original.equity, area=original.area,
            period_year=original.period_year, amount=-original.amount, received_on=max(on, original.received_on),
            reference=original.reference, note=_("冲正：%(r)s") % {"r": reason}, reverses=original,
            created_by=actor_or_none(actor))
        audit_event(actor=actor, action="funds.income.reverse", target=reversal, area_code=original.area.code,
                    after={"reverses": original.pk, "amount": yuan(reversal.amount), "reason": reason})
    return reversal


def equity_end(*, actor, equity: EquityInvestment, on, note: str = "") -> EquityInvestment:
    """退出: the investment ends (收回本金 or the end of the cooperation term)."""
    on = as_date(on, _("退出日期"))
    with transaction.atomic():
        e = EquityInvestment.objects.select_for_update().select_related("area").get(pk=equity.pk)
        allow(actor, "funds.edit", e.area.code)
        if e.status != EquityStatus.ACTIVE:
            raise Conflict(_("该入股已退出"), code="bad_status")
        e.status, e.ended_on = EquityStatus.ENDED, on
        if note:
            e.note = str(note)[:300]
        e.save()
        audit_event(actor=actor, action="funds.equity.end", target=e, area_code=e.area.code,
                    after={"on": on, "note": note})
    return e
