"""The fund ledger (资金记账): allocations (资金下达) and disbursements (拨付) to library projects.

Append-only: nothing is edited or deleted; a correction is a reversing entry (冲正). Each posting is
checked inside a transaction that locks the project, so two clerks cannot overdraw it together:

* the library gate — no allocation to a project outside the project library (项目库);
* an allocation stays within the amount planned from its fund source;
* a disbursement stays within what was allocated from its source, and the project's total paid stays
  within what the disbursement rule allows at its progress (e.g. 50% at 80%, the rest on completion).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from fupin.audit.services import audit_event
from fupin.core.errors import Conflict, ValidationFailed
from fupin.funds import catalogue
from fupin.funds.ledger import percent, project_ledger, project_rules, stage_opened_on, yuan
from fupin.funds.models import FundPosting, PostingKind, Project

from ._common import actor_or_none, allow, as_date, as_money


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("area").get(pk=project.pk)


def _posting_after(posting: FundPosting, ledger) -> dict:
    return {"kind": posting.kind, "source": posting.source, "amount": str(posting.amount),
            "posted_on": posting.posted_on, "reference": posting.reference,
            "allocated": str(ledger.allocated), "disbursed": str(ledger.disbursed)}


def allocation_post(*, actor, project: Project, source: str, amount, on, reference: str = "",
                    note: str = "") -> FundPosting:
    """资金下达: allocate money of one source to a project in the library."""
    catalogue.check_source(source)
    amount = as_money(amount, _("下达金额"))
    on = as_date(on, _("下达日期"))
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.approve", p.area.code)
        if not p.in_library:
            raise ValidationFailed(
                _("项目“%(n)s”不在项目库中（当前状态：%(s)s），不能安排扶贫资金：项目库外的项目不得安排使用财政专项扶贫资金"
                  "（须经村申报、乡镇审核公示、县级审定入库）") % {"n": p.name, "s": p.get_status_display()},
                code="project_not_in_library", details={"status": p.status, "rule": "001 L190 项目库外项目不得安排资金；"
                                                                                     "000 L3725 利用扶贫资金实施的产业项目必须建立项目库"})
        if on < p.county_approved_on:
            raise ValidationFailed(_("下达日期不能早于入库日期（%(d)s）") % {"d": p.county_approved_on}, code="date_order")
        ledger = project_ledger(p)
        row = ledger.row(source)
        if row.planned <= 0:
            raise ValidationFailed(
                _("项目资金构成中没有“%(s)s”资金，不能下达该类资金") % {"s": catalogue.source_label(source)},
                code="source_not_planned")
        if row.allocated + amount > row.planned:
            raise ValidationFailed(
                _("下达超出计划：“%(s)s”计划 %(p)s，已下达 %(a)s，本次 %(x)s，超出 %(o)s")
                % {"s": row.label, "p": yuan(row.planned), "a": yuan(row.allocated), "x": yuan(amount),
                   "o": yuan(row.allocated + amount - row.planned)},
                code="allocation_over_plan",
                details={"planned": str(row.planned), "allocated": str(row.allocated), "amount": str(amount)})
        posting = FundPosting.objects.create(project=p, kind=PostingKind.ALLOCATION, source=source, amount=amount,
                                             posted_on=on, reference=str(reference)[:100], note=str(note)[:300],
                                             created_by=actor_or_none(actor))
        ledger = project_ledger(p)
        audit_event(actor=actor, action="funds.allocation.post", target=p, area_code=p.area.code,
                    after=_posting_after(posting, ledger), details={"posting": posting.pk})
    return posting


def disbursement_post(*, actor, project: Project, source: str, amount, on, reference: str = "",
                      note: str = "") -> FundPosting:
    """资金拨付: pay out allocated money, no more than the source's allocation and the rule's share."""
    catalogue.check_source(source)
    amount = as_money(amount, _("拨付金额"))
    on = as_date(on, _("拨付日期"))
    with transaction.atomic():
        p = _locked(project)
        allow(actor, "funds.approve", p.area.code)
        if not p.in_library:
            raise ValidationFailed(_("项目“%(n)s”不在项目库中，不能拨付资金") % {"n": p.name},
                                   code="project_not_in_library")
        rules = project_rules(p)
        ledger = project_ledger(p, rules)
        row = ledger.row(source)
        if amount > row.undisbursed:
            raise ValidationFailed(
                _("拨付超出已下达资金：“%(s)s”已下达 %(a)s，已拨付 %(d)s，可拨付 %(r)s，本次申请 %(x)s，超出 %(o)s")
                % {"s": row.label, "a": yuan(row.allocated), "d": yuan(row.disbursed), "r": yuan(row.undisbursed),
                   "x": yuan(amount), "o": yuan(amount - row.undisbursed)},
                code="disbursement_over_allocation",
                details={"allocated": str(row.allocated), "disbursed": str(row.disbursed), "amount": str(amount)})
        pay = ledger.payable
        if ledger.disbursed + amount > pay.amount:
            reached = pay.stage.describe() if pay.stage else _("尚未达到任何拨付节点")
            following = _("；下一节点：%(n)s") % {"n": pay.next_stage.describe()} if pay.next_stage else ""
            raise ValidationFailed(
                _("拨付超出按进度可拨付额：规则为“%(rule)s”。当前进度 %(pr)s%%（%(reached)s%(next)s），"
                  "已下达 %(a)s × %(share)s = 可拨付 %(pay)s，已拨付 %(d)s，本次 %(x)s，超出 %(o)s")
                % {"rule": pay.rule, "pr": p.progress, "reached": reached, "next": following,
                   "a": yuan(ledger.allocated), "share": percent(pay.share), "pay": yuan(pay.amount),
                   "d": yuan(ledger.disbursed), "x": yuan(amount), "o": yuan(ledger.disbursed + amount - pay.amount)},
                code="disbursement_over_progress",
                details={"progress": p.progress, "payable_share": str(pay.share), "payable": str(pay.amount),
                         "disbursed": str(ledger.disbursed), "amount": str(amount), "rules": rules.pack_id})
        _check_stage_date(p, rules, ledger.allocated, ledger.disbursed + amount, on)
        posting = FundPosting.objects.create(
            project=p, kind=PostingKind.DISBURSEMENT, source=source, amount=amount, posted_on=on,
            reference=str(reference)[:100], note=str(note)[:300], created_by=actor_or_none(actor),
            rule=(pay.stage.describe() if pay.stage else "")[:300])
        ledger = project_ledger(p, rules)
        audit_event(actor=actor, action="funds.disbursement.post", target=p, area_code=p.area.code,
                    after=_posting_after(posting, ledger),
                    details={"posting": posting.pk, "rule": posting.rule, "rules": rules.pack_id})
    return posting


def _check_stage_date(project: Project, rules, allocated, needed, on) -> None:
    """A payment may not be dated before the progress (or completion) that made it payable."""
    for stage in rules.disbursement_stages:
        opened = stage_opened_on(project, stage)
        if opened is not None and allocated * stage.share >= needed:
            if on < opened:
                raise ValidationFailed(_("拨付日期早于达到拨付节点（%(st)s）的日期 %(d)s")
                                       % {"st": stage.describe(), "d": opened}, code="date_order")
            return


def posting_reverse(*, actor, posting: FundPosting, on, reason: str) -> FundPosting:
    """冲正: a reversing entry for a wrong posting. An allocation can be reversed only while the money
    it allocated has not been paid out (reverse the disbursement first)."""
    on = as_date(on, _("冲正日期"))
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写冲正原因"), code="required")
    with transaction.atomic():
        p = _locked(posting.project)
        allow(actor, "funds.approve", p.area.code)
        original = FundPosting.objects.select_for_update().get(pk=posting.pk)
        if original.reverses_id is not None:
            raise Conflict(_("冲正记录本身不能再冲正"), code="reverse_reversal")
        if FundPosting.objects.filter(reverses=original).exists():
            raise Conflict(_("该记录已冲正"), code="already_reversed")
        if on < original.posted_on:
            raise ValidationFailed(_("冲正日期不能早于原记录日期（%(d)s）") % {"d": original.posted_on},
                                   code="date_order")
        if original.kind == PostingKind.ALLOCATION:
            row = project_ledger(p).row(original.source)
            if row.allocated - original.amount < row.disbursed:
                raise ValidationFailed(
                    _("不能冲正该下达：“%(s)s”冲正后下达 %(a)s，少于已拨付 %(d)s；请先冲正拨付")
                    % {"s": row.label, "a": yuan(row.allocated - original.amount), "d": yuan(row.disbursed)},
                    code="reversal_below_disbursed")
        reversal = FundPosting.objects.create(
            project=p, kind=original.kind, source=original.source, amount=-original.amount, posted_on=on,
            reference=original.reference, note=_("冲正：%(r)s") % {"r": reason}, reverses=original,
            created_by=actor_or_none(actor))
        ledger = project_ledger(p)
        audit_event(actor=actor, action="funds.posting.reverse", target=p, area_code=p.area.code,
                    after=_posting_after(reversal, ledger), details={"reverses": original.pk, "reason": reason})
    return reversal
