"""扶贫车间: poverty workshops (new, renovated from idle collective property, or run by several villages),
their employees, the qualification checks and certification (认定 → 备案), and subsidies paid (append-only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area

from .common import MONEY, AppendOnly


class WorkshopKind(models.TextChoices):
    NEW = "new", "新建"
    RENOVATED = "renovated", "利用闲置集体房产改造"
    JOINT = "joint", "多村联合创办（新建）"


class WorkshopStatus(models.TextChoices):
    PROPOSED = "proposed", "申报"
    CERTIFIED = "certified", "县级认定"
    FILED = "filed", "市级备案"


class Workshop(models.Model):
    code = models.CharField("车间编号", max_length=30, unique=True)
    village = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("车间名称", max_length=100)
    kind = models.CharField("建设方式", max_length=20, choices=WorkshopKind.choices)
    operator = models.CharField("经营主体", max_length=100, blank=True)
    business = models.CharField("主要业务", max_length=100, blank=True)
    usable_area = models.DecimalField("使用面积（平方米）", max_digits=10, decimal_places=2)
    building_area = models.DecimalField("建筑面积（平方米）", max_digits=10, decimal_places=2)
    investment = models.DecimalField("主体投入资金（元）", **MONEY)
    employees_total = models.PositiveIntegerField("就业人数")
    employees_poor = models.PositiveIntegerField("其中建档立卡贫困人口")
    status = models.CharField("状态", max_length=20, choices=WorkshopStatus.choices, default=WorkshopStatus.PROPOSED)
    certified_on = models.DateField("认定日期", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    rules_pack = models.CharField("适用政策", max_length=100, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "扶贫车间"
        verbose_name_plural = "扶贫车间"
        ordering = ["village", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(employees_poor__lte=models.F("employees_total")),
                                   name="workshop_poor_within_total"),
            models.CheckConstraint(condition=Q(usable_area__gte=0) & Q(building_area__gte=0) & Q(investment__gte=0),
                                   name="workshop_sizes_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SubsidyKind(models.TextChoices):
    RENOVATION = "renovation", "一次性维修改造补贴"
    STABLE_JOB = "stable_job", "贫困劳动力稳定就业一次性奖补"
    TRAINING = "training", "以工代训补贴"


class WorkshopSubsidy(AppendOnly):
    workshop = models.ForeignKey(Workshop, verbose_name="车间", on_delete=models.PROTECT, related_name="subsidies")
    kind = models.CharField("补贴类别", max_length=20, choices=SubsidyKind.choices)
    persons = models.IntegerField("人数", default=0)
    months = models.PositiveSmallIntegerField("月数", default=0)
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("拨付日期")
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "扶贫车间补贴"
        verbose_name_plural = "扶贫车间补贴"
        ordering = ["workshop", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(reverses__isnull=False) | Q(amount__gt=0),
                                   name="workshop_subsidy_original_positive"),
        ]
