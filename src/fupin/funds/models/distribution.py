"""收益分配: plans distributing asset income (rent, dividends) to registered households, village
collectives and public-welfare uses, with their approval steps (产权人提方案 → 民主决策 → 公示 →
上级主管单位审核 → 县级审批备案) and the share paid directly to households."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.areas.models import Area
from fupin.registry.models import Household

from .common import MONEY


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    DECIDED = "decided", "已民主决策"
    PUBLICISED = "publicised", "公示中"
    REVIEWED = "reviewed", "上级已审核"
    APPROVED = "approved", "县级已审批备案"
    PAID = "paid", "已兑付"
    REJECTED = "rejected", "已退回"


class DistributionPlan(models.Model):
    """收益分配方案: how one owner (township or village) distributes one year's asset income."""

    code = models.CharField("方案编号", max_length=30, unique=True)
    area = models.ForeignKey(Area, verbose_name="产权人（镇/村）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("收益年度")
    title = models.CharField("方案名称", max_length=100)
    income_total = models.DecimalField("可分配收益（元）", **MONEY)
    status = models.CharField("方案状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True)
    decided_on = models.DateField("民主决策日期", null=True, blank=True)
    publicity_from = models.DateField("公示开始", null=True, blank=True)
    publicity_to = models.DateField("公示结束", null=True, blank=True)
    reviewed_on = models.DateField("上级审核日期", null=True, blank=True)
    approved_on = models.DateField("县级审批备案日期", null=True, blank=True)
    paid_on = models.DateField("兑付日期", null=True, blank=True)
    rejected_on = models.DateField("退回日期", null=True, blank=True)
    rejection_reason = models.CharField("退回原因", max_length=300, blank=True)
    household_share_min = models.DecimalField("到户比例下限", max_digits=5, decimal_places=4, null=True, blank=True)
    rules_pack = models.CharField("适用规则", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "收益分配方案"
        verbose_name_plural = "收益分配方案"
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(income_total__gt=0), name="plan_income_positive"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_range"),
            models.CheckConstraint(
                condition=Q(publicity_to__isnull=True) | Q(publicity_to__gte=F("publicity_from")),
                name="plan_publicity_range"),
            models.CheckConstraint(
                condition=~Q(status__in=[PlanStatus.APPROVED, PlanStatus.PAID])
                | (Q(decided_on__isnull=False) & Q(publicity_to__isnull=False) & Q(reviewed_on__isnull=False)
                   & Q(approved_on__isnull=False)),
                name="plan_approved_has_every_step"),
            models.CheckConstraint(condition=~Q(status=PlanStatus.PAID) | Q(paid_on__isnull=False),
                                   name="plan_paid_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class LineKind(models.TextChoices):
    HOUSEHOLD = "household", "建档立卡户"
    COLLECTIVE = "collective", "村集体经济"
    PUBLIC_WELFARE = "public_welfare", "公益事业/公益岗位"
    RESERVE = "reserve", "预留（不分光分净）"
    OTHER = "other", "其他"


class DistributionLine(models.Model):
    """分配明细: one share of a plan — to a registered household, a village collective or a use."""

    plan = models.ForeignKey(DistributionPlan, verbose_name="分配方案", on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField("分配对象类别", max_length=20, choices=LineKind.choices)
    village = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, verbose_name="建档立卡户", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    amount = models.DecimalField("金额（元）", **MONEY)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "收益分配明细"
        verbose_name_plural = "收益分配明细"
        ordering = ["plan", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="line_amount_positive"),
            models.CheckConstraint(
                condition=(Q(kind=LineKind.HOUSEHOLD) & Q(household__isnull=False))
                | (~Q(kind=LineKind.HOUSEHOLD) & Q(household__isnull=True)),
                name="line_household_iff_household_kind"),
            models.UniqueConstraint(fields=["plan", "household"], condition=Q(household__isnull=False),
                                    name="line_one_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
