"""扶贫小额信贷: the cooperating lenders with their risk compensation fund (风险补偿金), loans to members of
registered households (申请 → 乡镇审核备案 → 银行审批 → 发放 → 还款), repayments (append-only) and the
households' wish to borrow (贷款意愿), the base of 应贷尽贷."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area
from fupin.registry.models import Household, Person

from .common import MONEY, AppendOnly


class Lender(models.Model):
    """合作金融机构 (彰武联社 …) serving a county."""

    name = models.CharField("机构名称", max_length=100)
    area = models.ForeignKey(Area, verbose_name="服务县", on_delete=models.PROTECT, related_name="+")
    risk_fund = models.DecimalField("风险补偿金（元）", **MONEY)
    suspended_on = models.DateField("停止发放日期", null=True, blank=True)
    resumed_on = models.DateField("协商恢复日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)

    class Meta:
        verbose_name = "合作金融机构"
        verbose_name_plural = "合作金融机构"
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="lender_name_unique"),
            models.CheckConstraint(condition=Q(risk_fund__gte=0), name="lender_risk_fund_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def suspended(self) -> bool:
        return self.suspended_on is not None and (self.resumed_on is None or self.resumed_on < self.suspended_on)


class LoanStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    REVIEWED = "reviewed", "乡镇审核备案"
    APPROVED = "approved", "银行已审批"
    DISBURSED = "disbursed", "已发放"
    REPAID = "repaid", "已结清"
    REFUSED = "refused", "不予贷款"


class Loan(models.Model):
    code = models.CharField("贷款编号", max_length=30, unique=True)
    household = models.ForeignKey(Household, verbose_name="贷款户", on_delete=models.PROTECT, related_name="+")
    borrower = models.ForeignKey(Person, verbose_name="借款人", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    lender = models.ForeignKey(Lender, verbose_name="贷款机构", on_delete=models.PROTECT, related_name="loans")
    amount = models.DecimalField("申请金额（元）", **MONEY)
    term_years = models.DecimalField("授信期限（年）", max_digits=4, decimal_places=2)
    purpose = models.CharField("贷款用途（生产经营项目）", max_length=200)
    applied_on = models.DateField("申请日期")
    status = models.CharField("状态", max_length=20, choices=LoanStatus.choices, default=LoanStatus.APPLIED,
                              db_index=True)
    eligibility = models.JSONField("准入判定", default=dict)
    rules_pack = models.CharField("适用政策", max_length=100, blank=True)
    reviewed_on = models.DateField("乡镇审核日期", null=True, blank=True)
    approved_amount = models.DecimalField("银行审定金额（元）", null=True, blank=True, **MONEY)
    credit_score = models.PositiveSmallIntegerField("信用评分", null=True, blank=True)
    annual_rate = models.DecimalField("年利率（同期基准利率）", max_digits=7, decimal_places=5, null=True, blank=True)
    subsidy_rate = models.DecimalField("贴息比例", max_digits=5, decimal_places=4, null=True, blank=True)
    approved_on = models.DateField("银行审批日期", null=True, blank=True)
    disbursed_on = models.DateField("发放日期", null=True, blank=True)
    due_on = models.DateField("到期日", null=True, blank=True)
    closed_on = models.DateField("结清日期", null=True, blank=True)
    refusal_reason = models.CharField("不予贷款原因", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "扶贫小额信贷"
        verbose_name_plural = "扶贫小额信贷"
        ordering = ["-applied_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(term_years__gt=0), name="loan_amount_term_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=["disbursed", "repaid"])
                | (Q(disbursed_on__isnull=False) & Q(due_on__isnull=False) & Q(approved_amount__isnull=False)),
                name="loan_disbursed_has_terms"),
        ]

    def __str__(self) -> str:
        return self.code


class LoanRepayment(AppendOnly):
    """还款: principal and interest repaid; corrected by a reversing entry."""

    loan = models.ForeignKey(Loan, verbose_name="贷款", on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField("还款日期")
    principal = models.DecimalField("归还本金（元）", **MONEY)
    interest = models.DecimalField("支付利息（元）", **MONEY)
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "小额信贷还款"
        verbose_name_plural = "小额信贷还款"
        ordering = ["loan", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(reverses__isnull=False) | (Q(principal__gte=0) & Q(interest__gte=0)),
                                   name="repayment_original_not_negative"),
        ]


class CreditDemand(models.Model):
    """贷款意愿: a registered household's wish to borrow for production in a year (应贷尽贷 counts these)."""

    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    willing = models.BooleanField("有贷款意愿")
    project = models.CharField("拟发展产业", max_length=100, blank=True)
    recorded_on = models.DateField("登记日期")

    class Meta:
        verbose_name = "贷款意愿"
        verbose_name_plural = "贷款意愿"
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="credit_demand_once_a_year")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"
