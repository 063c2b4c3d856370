"""扶贫小额信贷台账: one row per loan application. The household is found by 户编号 and the borrower by
证件号码 among its members; the lender must serve the household's county; the application is checked
by the policy pack's rule `microcredit_eligible`, as on the page. A household has one live loan: not
twice in the file, not while a loan of it is applied for, approved or outstanding. The loans enter as
已申请; review, approval and disbursement follow on the loan pages as before."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fupin.core import clock
from fupin.funds.codes import loan_code
from fupin.funds.models import Lender, Loan, LoanStatus
from fupin.funds.services.credit import eligibility
from fupin.registry.models import Household, Person

from .base import Context, Ledger, Rows
from .sheet import SERIAL, Col

COLUMNS = [
    Col("serial", SERIAL, "text", required=False, example="示例", note="可留空；填“示例”的行不导入"),
    Col("household_number", "户编号", "code", example="210922101202000101", note="建档立卡户的户编号；请设为文本格式"),
    Col("borrower_name", "借款人姓名", "text", example="吴四", max_length=50, note="须与建档立卡登记的姓名一致"),
    Col("borrower_id_number", "借款人证件号码", "id_number", example="210922197506010011",
        note="借款人须是该户成员；请设为文本格式"),
    Col("lender", "贷款机构", "text", example="彰武联社", max_length=100, note="已登记的合作金融机构名称，须服务该户所在县"),
    Col("amount", "申请金额（元）", "money", example=50000, positive=True),
    Col("term_years", "授信期限（年）", "number", example=3, positive=True),
    Col("purpose", "贷款用途", "text", example="养牛", max_length=200, note="生产经营项目"),
    Col("applied_on", "申请日期", "date", example="2020-03-01", note="不能晚于今天"),
    Col("for_production", "是否用于生产经营", "bool", required=False, example="是", note="留空为“是”"),
    Col("other_outstanding", "有其他存量贷款", "bool", required=False, example="否", note="留空为“否”"),
]
H = {c.key: c.header for c in COLUMNS}
NOTES = [_lazy("贷款编号由系统生成，导入后状态为“已申请”，再在贷款页面办理乡镇审核备案、银行审批和发放。"),
         _lazy("每户只能有一笔未结清的贷款：同一户编号在文件中只能出现一次，已有在办或未结清贷款的户不能再导入。"),
         _lazy("每行按政策规则“扶贫小额信贷准入”核验（年满18周岁、年龄与期限之和、金额和期限上限、生产经营用途等）。")]

LIVE = [LoanStatus.APPLIED, LoanStatus.REVIEWED, LoanStatus.APPROVED, LoanStatus.DISBURSED]
# The clause of microcredit_eligible → the column the user corrects.
CLAUSE_COLUMN = {"registered": "household_number", "adult": "borrower_id_number", "age_plus_term": "term_years",
                 "amount": "amount", "term": "term_years", "no_other_loan": "other_outstanding",
                 "productive": "for_production"}


def _households(numbers: set[str]) -> dict[str, Household]:
    out: dict[str, Household] = {}
    for h in Household.objects.filter(household_number__in=numbers).select_related("village").order_by(
            "household_number", "-year", "-id"):
        out.setdefault(h.household_number, h)
    return out


def _failing_clauses(check: dict) -> list[str]:
    clauses = check.get("clauses") or {}
    failing = []
    for key, value in clauses.items():
        passed = value.get("value", value.get("passed")) if isinstance(value, dict) else value
        if passed is False:
            failing.append(key)
    return failing


def _eligible(ctx: Context, n: int, person: Person, v: dict) -> dict:
    """The rule's decision, kept on the loan as on the page; a failing one is a problem of the row."""
    check = eligibility(person, amount=v["amount"], term_years=v["term_years"], applied_on=v["applied_on"],
                        for_production=v.get("for_production", True), other_outstanding=v.get("other_outstanding", False))
    if check["eligible"]:
        return check
    failing = _failing_clauses(check)
    column = H[CLAUSE_COLUMN.get(failing[0], "borrower_id_number")] if failing else H["borrower_id_number"]
    ctx.add(n, column, _("不符合扶贫小额信贷准入条件（%(p)s 规则 microcredit_eligible）：%(f)s")
            % {"p": check["pack"], "f": "、".join(check["failing"]) or check.get("error") or "—"}, "loan_not_eligible")
    return check


def check(ctx: Context, rows: Rows) -> list:
    ctx.unique_in_file(rows, lambda v: v.get("household_number"), H["household_number"], _("每户只能有一笔未结清的贷款"))
    numbers = {v["household_number"] for _n, v in rows if "household_number" in v}
    households = _households(numbers)
    ids = {v["borrower_id_number"] for _n, v in rows if "borrower_id_number" in v}
    members = {(p.household.household_number, p.id_number): p for p in Person.objects.filter(
        id_number__in=ids, household__household_number__in=numbers).select_related("household__village")
        .order_by("year", "id")}  # the latest snapshot wins
    live = set(Loan.objects.filter(household__household_number__in=numbers, status__in=LIVE)
               .values_list("household__household_number", flat=True))
    lenders: dict[str, list[Lender]] = {}
    for x in Lender.objects.filter(name__in={v["lender"] for _n, v in rows if "lender" in v}).select_related("area"):
        lenders.setdefault(x.name, []).append(x)
    prepared = []
    for n, v in rows:
        household = households.get(v.get("household_number"))
        if household is None:
            if "household_number" in v:
                ctx.add(n, H["household_number"], _("建档立卡中没有该户编号"), "unknown_household", v["household_number"])
            continue
        if not ctx.in_scope(n, household.village, H["household_number"], v["household_number"]):
            continue
        if household.household_number in live:
            ctx.add(n, H["household_number"], _("该户已有在办或未结清的扶贫小额信贷"), "duplicate_in_database",
                    household.household_number)
        person = members.get((household.household_number, v.get("borrower_id_number")))
        if "borrower_id_number" in v and person is None:
            ctx.add(n, H["borrower_id_number"], _("该户成员中没有此证件号码"), "unknown_person", v["borrower_id_number"])
        elif person is not None and v.get("borrower_name") and v["borrower_name"] != person.name:
            ctx.add(n, H["borrower_name"], _("与该证件号码登记的姓名不符"), "name_mismatch", v["borrower_name"])
        lender = next((x for x in lenders.get(v.get("lender"), []) if household.village.code.startswith(x.area.prefix)),
                      None)
        if "lender" in v and lender is None:
            ctx.add(n, H["lender"], _("不是服务%(v)s的已登记合作金融机构") % {"v": household.village.name}, "unknown_lender",
                    v["lender"])
        if "applied_on" in v and v["applied_on"] > clock.today():
            ctx.add(n, H["applied_on"], _("不能晚于今天"), "future_date", v["applied_on"])
        if ctx.row_ok(n) and {"amount", "term_years", "applied_on"} <= v.keys():
            decision = _eligible(ctx, n, person, v)
            if ctx.row_ok(n):
                prepared.append((household, person, lender, v, decision))
    return prepared


def write(actor, prepared: list) -> list[str]:
    codes = []
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    for household, person, lender, v, check in prepared:
        loan = Loan.objects.create(
            code=f"tmp-{uuid.uuid4().hex[:20]}", household=household, borrower=person, village=household.village,
            lender=lender, amount=v["amount"], term_years=v["term_years"], purpose=v["purpose"],
            applied_on=v["applied_on"], eligibility=check, rules_pack=check["pack"], created_by=created_by)
        loan.code = loan_code(v["applied_on"].year, loan.pk)
        loan.save(update_fields=["code"])
        codes.append(loan.code)
    return codes


LEDGER = Ledger(kind="loans", title="扶贫小额信贷台账", noun="贷款", tab="credit", columns=COLUMNS, notes=NOTES,
                check=check, write=write)
