"""光伏扶贫电站: village PV stations, their monthly settlements (结算) and each village's yearly
distribution plan of the revenue, with the deep-poverty households chosen to receive a subsidy
(农户申请 → 民主评议 → 村级公示 → 乡镇审核)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area
from fupin.registry.models import Household

from .common import MONEY, AppendOnly


class LandType(models.TextChoices):
    WASTELAND = "wasteland", "荒山、荒坡和未利用地"
    CONSTRUCTION = "construction", "建设用地"


class StationFunding(models.TextChoices):
    FISCAL = "fiscal", "财政专项扶贫资金建设"
    DONATED = "donated", "企业捐赠收益"


class PVStation(models.Model):
    """村级光伏扶贫电站: property of the poor village (「电站产权分别归贫困村所有」)."""

    code = models.CharField("电站编号", max_length=30, unique=True)
    village = models.ForeignKey(Area, verbose_name="产权村", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("电站名称", max_length=100)
    capacity_kw = models.DecimalField("装机容量（千瓦）", max_digits=10, decimal_places=2)
    investment = models.DecimalField("总投资（元）", **MONEY)
    funding = models.CharField("资金性质", max_length=20, choices=StationFunding.choices, default=StationFunding.FISCAL)
    grid_on = models.DateField("并网日期")
    land_type = models.CharField("场地类型", max_length=20, choices=LandType.choices)
    land_area_mu = models.DecimalField("占地面积（亩）", max_digits=10, decimal_places=2)
    land_rent_per_mu = models.DecimalField("场地租金（元/亩/年）", **MONEY)
    builder = models.CharField("承建企业", max_length=100, blank=True)
    rules_pack = models.CharField("适用规则", max_length=100, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "光伏扶贫电站"
        verbose_name_plural = "光伏扶贫电站"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity_kw__gt=0), name="pv_capacity_positive"),
            models.CheckConstraint(condition=Q(investment__gte=0), name="pv_investment_not_negative"),
            models.CheckConstraint(condition=Q(land_area_mu__gte=0) & Q(land_rent_per_mu__gte=0),
                                   name="pv_land_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PVSettlement(AppendOnly):
    """月度结算: kWh metered by the power company × unit price, less taxes, O&M and land rent. Append-only;
    a wrong month is corrected by a reversing entry with every amount negated."""

    station = models.ForeignKey(PVStation, verbose_name="电站", on_delete=models.PROTECT, related_name="settlements")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    kwh = models.DecimalField("发电量（千瓦时）", max_digits=14, decimal_places=2)
    unit_price = models.DecimalField("结算单价（元/千瓦时，含电价补贴）", max_digits=8, decimal_places=4)
    gross = models.DecimalField("发电收益（元）", **MONEY)
    taxes = models.DecimalField("税费（元）", **MONEY)
    om_cost = models.DecimalField("运维费用（元）", **MONEY)
    land_rent = models.DecimalField("场地租金（元）", **MONEY)
    net = models.DecimalField("拨付到村收益（元）", **MONEY)
    settled_on = models.DateField("结算日期")
    reference = models.CharField("结算单号", max_length=60, blank=True)
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    reason = models.CharField("冲正原因", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记账人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "光伏发电结算"
        verbose_name_plural = "光伏发电结算"
        ordering = ["station", "year", "month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="pv_settlement_month"),
            models.CheckConstraint(condition=Q(reverses__isnull=False) | (Q(kwh__gte=0) & Q(net__gte=0)),
                                   name="pv_settlement_original_not_negative"),
        ]


class PVPlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    DECIDED = "decided", "村民代表大会通过"
    PUBLICISED = "publicised", "公示中"
    APPROVED = "approved", "乡镇已审核同意"
    FILED = "filed", "已报县扶贫办备案"
    REJECTED = "rejected", "已退回"


class PVPlan(models.Model):
    """光伏收益分配方案: one per village and year (「分配方案每年制定一次」)."""

    code = models.CharField("方案编号", max_length=30, unique=True)
    village = models.ForeignKey(Area, verbose_name="项目村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("收益年度")
    revenue = models.DecimalField("年度结算收益（元）", **MONEY)
    county_fund = models.DecimalField("提取县级扶贫基金（元）", **MONEY)
    village_revenue = models.DecimalField("分配到村收益（元）", **MONEY)
    status = models.CharField("方案状态", max_length=20, choices=PVPlanStatus.choices, default=PVPlanStatus.DRAFT,
                              db_index=True)
    decided_on = models.DateField("村民代表大会日期", null=True, blank=True)
    publicity_from = models.DateField("公示开始", null=True, blank=True)
    publicity_to = models.DateField("公示结束", null=True, blank=True)
    approved_on = models.DateField("乡镇审核日期", null=True, blank=True)
    filed_on = models.DateField("县扶贫办备案日期", null=True, blank=True)
    rejection_reason = models.CharField("退回原因", max_length=300, blank=True)
    rules_pack = models.CharField("适用规则", max_length=200, blank=True)
    checks = models.JSONField("规则核验", default=dict, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "光伏收益分配方案"
        verbose_name_plural = "光伏收益分配方案"
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], condition=~Q(status="rejected"),
                                    name="pv_plan_one_live_per_village_year"),
            models.CheckConstraint(condition=Q(revenue__gt=0), name="pv_plan_revenue_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}"


class PVLineKind(models.TextChoices):
    SUBSIDY = "subsidy", "深度贫困户生活补助"
    JOBS = "jobs", "公益岗位工资"
    PUBLIC_WORKS = "public_works", "小型公益事业"
    REWARD = "reward", "奖励"
    RESERVE = "reserve", "预留"


# The uses the documents allow (「用于村内小型公益事业建设、设置公益岗位和贫困户补助等」)
HOUSEHOLD_DIRECT = (PVLineKind.SUBSIDY,)


class PVPlanLine(models.Model):
    plan = models.ForeignKey(PVPlan, verbose_name="分配方案", on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField("用途", max_length=20, choices=PVLineKind.choices)
    household = models.ForeignKey(Household, verbose_name="资助户", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    amount = models.DecimalField("金额（元）", **MONEY)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "光伏收益分配明细"
        verbose_name_plural = "光伏收益分配明细"
        ordering = ["plan", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pv_line_amount_positive"),
            models.CheckConstraint(
                condition=(Q(kind="subsidy") & Q(household__isnull=False)) | (~Q(kind="subsidy") & Q(household__isnull=True)),
                name="pv_line_household_iff_subsidy"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class RecipientStatus(models.TextChoices):
    IN_REVIEW = "in_review", "审核中"
    APPROVED = "approved", "乡镇已审核"
    REJECTED = "rejected", "未通过"


class PVRecipient(models.Model):
    """光伏收益资助对象: a deep-poverty household chosen for a year through the workflow's review."""

    household = models.ForeignKey(Household, verbose_name="申请户", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("资助年度")
    conditions = models.JSONField("符合的甄别条件", default=list)
    evidence = models.JSONField("政策规则判定", default=dict)
    review_id = models.PositiveIntegerField("审核编号", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=RecipientStatus.choices, default=RecipientStatus.IN_REVIEW)
    applied_on = models.DateField("申请日期")
    decided_on = models.DateField("审核日期", null=True, blank=True)

    class Meta:
        verbose_name = "光伏收益资助对象"
        verbose_name_plural = "光伏收益资助对象"
        ordering = ["-year", "village", "id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], condition=~Q(status="rejected"),
                                    name="pv_recipient_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"
