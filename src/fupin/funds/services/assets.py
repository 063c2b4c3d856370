"""Writes to the asset registry (扶贫资产): registration and ownership confirmation (登记、确权), the
annual inventory (年度清查), disposal (处置 → 核销) — and the refusal to pledge an asset."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.areas.models import AreaLevel
from fupin.audit.services import audit_denial, audit_event
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds import catalogue
from fupin.funds.codes import asset_code
from fupin.funds.ledger import net_value, yuan
from fupin.funds.models import (
    OPEN_DISPOSAL,
    Acquisition,
    Asset,
    AssetDisposal,
    AssetFund,
    AssetInventory,
    AssetStatus,
    AssetType,
    Condition,
    ContractStatus,
    DisposalMethod,
    DisposalReason,
    DisposalStatus,
    IncomeReceipt,
    Project,
)
from fupin.funds.models.common import ZERO

from ._common import (
    actor_or_none,
    allow,
    as_choice,
    as_date,
    as_int,
    as_money,
    check_version,
    fund_rows,
    owner_area,
    refuse_status,
)

PLEDGE_RULE = ("000 L7510「得以扶贫资产为村集体或者其他单位」（不得以扶贫资产为村集体或者其他单位、个人的债务进行抵押）；"
               "000 L7429「严禁管护人员私自利用扶贫资产通过抵押」")


def _snapshot(a: Asset) -> dict:
    return {"status": a.status, "condition": a.condition, "version": a.version}


def _locked(asset: Asset) -> Asset:
    return Asset.objects.select_for_update().select_related("area").get(pk=asset.pk)


def asset_register(*, actor, area_code: str, name: str, asset_type: str, subtype: str, acquisition: str,
                   acquired_on, funded_year, useful_life_years, condition: str, funds, custodian: str,
                   project: Project | None = None, scale=None, scale_unit: str = "", custodian_person: str = "",
                   user_party: str = "", beneficiary_party: str = "", note: str = "") -> Asset:
    """登记造册: one asset with its owner (the township or village holding the property right), type and
    subtype, how it was acquired, useful life, condition and the funds that formed it. The original
    value is the sum of those funds."""
    area = owner_area(area_code, what=_("产权归属"))
    allow(actor, "funds.edit", area.code)
    name = str(name or "").strip()
    if not name:
        raise ValidationFailed(_("请填写资产名称"), code="required")
    as_choice(asset_type, AssetType, _("资产类型"))
    catalogue.check_subtype(subtype, asset_type)
    as_choice(acquisition, Acquisition, _("购买、自建、维修"))
    as_choice(condition, Condition, _("现使用状况"))
    acquired_on = as_date(acquired_on, _("购建时间"))
    funded_year = as_int(funded_year, _("资金投入年度"), low=2000, high=acquired_on.year + 1)
    life = as_int(useful_life_years, _("预计使用年限"), low=1, high=100)
    custodian = str(custodian or "").strip()
    if not custodian:
        raise ValidationFailed(_("请填写管护主体"), code="required")
    rows = fund_rows(funds, what=_("资产"))
    scale = None if scale in (None, "") else as_money(scale, _("规模"))
    if project is not None and not (area.code.startswith(project.area.prefix)
                                    or project.area.code.startswith(area.prefix)):
        raise ValidationFailed(_("资产产权归属（%(a)s）与形成资产的项目（%(p)s）不在同一乡镇/村")
                               % {"a": area.name, "p": project.area.name}, code="project_area_mismatch")
    with transaction.atomic():
        asset = Asset.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", name=name[:100], asset_type=asset_type, subtype=subtype, area=area,
            project=project, scale=scale, scale_unit=str(scale_unit or "")[:10], acquisition=acquisition,
            acquired_on=acquired_on, funded_year=funded_year, useful_life_years=life, condition=condition,
            original_value=sum(a for _s, a in rows), custodian=custodian[:100],
            custodian_person=str(custodian_person or "")[:50], user_party=str(user_party or "")[:100],
            beneficiary_party=str(beneficiary_party or "")[:100], note=str(note or "")[:300],
            created_by=actor_or_none(actor))
        asset.code = asset_code(funded_year, asset.pk)
        asset.save(update_fields=["code"])
        AssetFund.objects.bulk_create([AssetFund(asset=asset, source=s, amount=a) for s, a in rows])
        audit_event(actor=actor, action="funds.asset.register", target=asset, area_code=area.code,
                    after={"code": asset.code, "name": asset.name, "type": asset_type, "subtype": subtype,
                           "value": str(asset.original_value), "funds": {s: str(a) for s, a in rows}})
    return asset


def asset_confirm(*, actor, asset: Asset, on, version=None) -> Asset:
    """确权: the township confirms who holds the property right (a single-village asset belongs to the
    village collective; a township-owned one to the township)."""
    on = as_date(on, _("确权日期"))
    with transaction.atomic():
        a = _locked(asset)
        allow(actor, "funds.review", a.area.code)
        check_version(a, version)
        refuse_status(a, [AssetStatus.REGISTERED], _("确权"))
        before = _snapshot(a)
        a.status, a.confirmed_on, a.version = AssetStatus.CONFIRMED, on, a.version + 1
        a.save()
        audit_event(actor=actor, action="funds.asset.confirm", target=a, area_code=a.area.code, before=before,
                    after={**_snapshot(a), "on": on})
    return a


def asset_pledge(*, actor, asset: Asset, creditor: str = "", amount=None) -> None:
    """Using a poverty-alleviation asset as security (抵押、担保) is forbidden: always refused, and the
    attempt is recorded in the audit trail."""
    audit_denial(actor=actor, action="funds.asset.pledge_refused",
                 reason=f"{asset.code} {asset.name} creditor={creditor} amount={amount}", area_code=asset.area.code)
    raise ValidationFailed(
        _("禁止以扶贫资产“%(n)s”（%(c)s）进行抵押、担保：不得以扶贫资产为村集体或者其他单位、个人的债务进行抵押，"
          "严禁管护人员私自利用扶贫资产通过抵押、担保等方式融资") % {"n": asset.name, "c": asset.code},
        code="asset_pledge_forbidden", details={"rule": PLEDGE_RULE})


def asset_inventory_record(*, actor, asset: Asset, year, checked_on, condition: str, matches_books: bool,
                           note: str = "") -> AssetInventory:
    """年度清查: early each year the previous year's assets are checked against the books and that year's
    income is settled; the net value at the year's end is booked."""
    checked_on = as_date(checked_on, _("清查日期"))
    year = as_int(year, _("清查年度"), low=2000, high=checked_on.year - 1)
    as_choice(condition, Condition, _("现使用状况"))
    with transaction.atomic():
        a = _locked(asset)
        allow(actor, "funds.edit", a.area.code)
        if a.status == AssetStatus.DISPOSED:
            raise Conflict(_("资产已处置核销，不再清查"), code="bad_status")
        if year < a.acquired_on.year:
            raise ValidationFailed(_("清查年度早于购建年度（%(y)s）") % {"y": a.acquired_on.year}, code="date_order")
        if AssetInventory.objects.filter(asset=a, year=year).exists():
            raise Conflict(_("%(y)s 年度已清查") % {"y": year}, code="inventory_exists")
        income = sum((r.amount for r in IncomeReceipt.objects.filter(contract__asset=a, period_year=year)), ZERO)
        row = AssetInventory.objects.create(
            asset=a, year=year, checked_on=checked_on, condition=condition, matches_books=bool(matches_books),
            net_value=net_value(a, dt.date(year, 12, 31)), income=income, note=str(note or "")[:300],
            created_by=actor_or_none(actor))
        before = _snapshot(a)
        a.condition, a.version = condition, a.version + 1
        a.save()
        audit_event(actor=actor, action="funds.asset.inventory", target=a, area_code=a.area.code, before=before,
                    after={**_snapshot(a), "year": year, "matches_books": bool(matches_books),
                           "net_value": str(row.net_value), "income": str(income)})
    return row


# --- disposal (处置) -------------------------------------------------------------------------------

def _locked_disposal(disposal: AssetDisposal) -> AssetDisposal:
    return AssetDisposal.objects.select_for_update().select_related("asset__area").get(pk=disposal.pk)


def disposal_request(*, actor, asset: Asset, reason: str, on, note: str = "") -> AssetDisposal:
    """处置申请 for natural disaster, development planning, unusable or end of useful life."""
    as_choice(reason, DisposalReason, _("处置原因"))
    on = as_date(on, _("申请日期"))
    with transaction.atomic():
        a = _locked(asset)
        allow(actor, "funds.edit", a.area.code)
        refuse_status(a, [AssetStatus.REGISTERED, AssetStatus.CONFIRMED], _("申请处置"))
        if AssetDisposal.objects.filter(asset=a, status__in=OPEN_DISPOSAL).exists():
            raise Conflict(_("该资产已有未完成的处置申请"), code="disposal_open")
        disposal = AssetDisposal.objects.create(asset=a, reason=reason, requested_on=on, note=str(note or "")[:300],
                                                created_by=actor_or_none(actor))
        before = _snapshot(a)
        a.status, a.version = AssetStatus.DISPOSING, a.version + 1
        a.save()
        audit_event(actor=actor, action="funds.disposal.request", target=a, area_code=a.area.code, before=before,
                    after={**_snapshot(a), "reason": reason, "disposal": disposal.pk})
    return disposal


def disposal_value(*, actor, disposal: AssetDisposal, valuer: str, valuation, valued_on,
                   published_on) -> AssetDisposal:
    """资产评估: a qualified independent valuer values the asset; the result is published (website,
    notice board) before the county may approve."""
    valuer = str(valuer or "").strip()
    if not valuer:
        raise ValidationFailed(_("请填写具有相关资质的独立评估机构"), code="required")
    valuation = as_money(valuation, _("评估价值"), allow_zero=True)
    valued_on = as_date(valued_on, _("评估日期"))
    published_on = as_date(published_on, _("评估结果公开日期"))
    with transaction.atomic():
        d = _locked_disposal(disposal)
        allow(actor, "funds.review", d.asset.area.code)
        refuse_status(d, [DisposalStatus.REQUESTED], _("登记评估"))
        if valued_on < d.requested_on or published_on < valued_on:
            raise ValidationFailed(_("日期顺序应为：申请 ≤ 评估 ≤ 公开"), code="date_order")
        d.valuer, d.valuation, d.valued_on, d.valuation_published_on = valuer[:100], valuation, valued_on, published_on
        d.status = DisposalStatus.VALUED
        d.save()
        audit_event(actor=actor, action="funds.disposal.value", target=d.asset, area_code=d.asset.area.code,
                    after={"valuer": valuer, "valuation": str(valuation), "published_on": published_on})
    return d


def disposal_decide(*, actor, disposal: AssetDisposal, approve: bool, on, note: str = "") -> AssetDisposal:
    """县级审批备案: the county approves (or refuses) a valued and published disposal."""
    on = as_date(on, _("审批日期"))
    with transaction.atomic():
        d = _locked_disposal(disposal)
        allow(actor, "funds.approve", d.asset.area.code)
        refuse_status(d, [DisposalStatus.VALUED], _("审批处置"))
        if on < d.valuation_published_on:
            raise ValidationFailed(_("审批日期不能早于评估结果公开日期（%(d)s）") % {"d": d.valuation_published_on},
                                   code="date_order")
        a = Asset.objects.select_for_update().get(pk=d.asset_id)
        if approve:
            d.status, d.approved_on = DisposalStatus.APPROVED, on
        else:
            d.status = DisposalStatus.REJECTED
            a.status = AssetStatus.CONFIRMED if a.confirmed_on else AssetStatus.REGISTERED
            a.version += 1
            a.save()
        if note:
            d.note = str(note)[:300]
        d.save()
        audit_event(actor=actor, action="funds.disposal.approve" if approve else "funds.disposal.refuse",
                    target=a, area_code=a.area.code, after={"on": on, "status": d.status, "note": note})
    return d


def disposal_complete(*, actor, disposal: AssetDisposal, method: str, proceeds, completed_on,
                      written_off_on) -> AssetDisposal:
    """处置 and 核销: auction, transfer or scrapping, then the write-off entered in the write-off ledger
    (核销登记台账). A contract still in force must be ended first."""
    as_choice(method, DisposalMethod, _("处置方式"))
    proceeds = as_money(proceeds, _("处置收入"), allow_zero=True)
    completed_on = as_date(completed_on, _("处置日期"))
    written_off_on = as_date(written_off_on, _("核销日期"))
    with transaction.atomic():
        d = _locked_disposal(disposal)
        allow(actor, "funds.review", d.asset.area.code)
        refuse_status(d, [DisposalStatus.APPROVED], _("处置核销"))
        if completed_on < d.approved_on or written_off_on < completed_on:
            raise ValidationFailed(_("日期顺序应为：县级批准 ≤ 处置 ≤ 核销"), code="date_order")
        a = Asset.objects.select_for_update().get(pk=d.asset_id)
        if a.contracts.filter(status=ContractStatus.ACTIVE).exists():
            raise Conflict(_("资产仍有履行中的经营合同，请先终止合同"), code="contract_active")
        d.method, d.proceeds, d.completed_on, d.written_off_on = method, proceeds, completed_on, written_off_on
        d.status = DisposalStatus.COMPLETED
        d.save()
        before = _snapshot(a)
        a.status, a.version = AssetStatus.DISPOSED, a.version + 1
        a.save()
        audit_event(actor=actor, action="funds.disposal.complete", target=a, area_code=a.area.code, before=before,
                    after={**_snapshot(a), "method": method, "proceeds": str(proceeds),
                           "written_off_on": written_off_on, "proceeds_text": yuan(proceeds)})
    return d


def county_filing_needed(area) -> bool:
    """A township-owned asset is a cross-village one: changing its operator is also filed with the county."""
    return area.level == AreaLevel.TOWNSHIP
