"""帮扶: each household's assistance plan (一户一案) with its measures, pairing cadres (帮扶责任人)
with their profiles and assignment history, and visit records (帮扶记录卡).

Every record is scoped by the household's village (``household__village__code``), a cadre profile
by the area the cadre serves in (``area__code``), so `fupin.accounts.access.scope` applies.
`Household.pairing_cadre` stays the current assignment; `PairingAssignment` keeps the history.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.areas.models import Area
from fupin.core.validators import validate_phone
from fupin.registry.models import Household


class MeasureKind(models.TextChoices):
    """「坚持开发式帮扶与保障性措施相结合」 (seed 000)."""

    WORK = "work", "开发式帮扶"
    PROTECTION = "protection", "保障性措施"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    IN_PLACE = "in_place", "已落实"
    ENDED = "ended", "已结束"


class AssistancePlan(models.Model):
    """帮扶计划: one household's plan for one registry year (「一村一策、一户一案」, seed 000)."""

    household = models.OneToOneField(Household, verbose_name="农户", on_delete=models.CASCADE,
                                     related_name="assistance_plan")
    year = models.PositiveSmallIntegerField("年度")
    needs = models.CharField("脱贫需求", max_length=300, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="制定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "帮扶计划"
        verbose_name_plural = "帮扶计划"
        ordering = ["-year", "household__household_number"]
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="assistplan_version_positive")]

    def __str__(self) -> str:
        return f"{self.household.household_number}（{self.year}）"


class PlanMeasure(models.Model):
    """帮扶措施: one measure of a plan, chosen from the catalogue (`assistance/data/measures.yaml`).
    Name, category and kind are copied from the catalogue version it was chosen from, so a later
    catalogue never changes what a plan said."""

    plan = models.ForeignKey(AssistancePlan, verbose_name="帮扶计划", on_delete=models.CASCADE,
                             related_name="measures")
    measure_code = models.CharField("措施代码", max_length=20)
    catalogue_version = models.PositiveSmallIntegerField("措施目录版本")
    name = models.CharField("措施名称", max_length=100)
    category = models.CharField("措施类别", max_length=20)
    kind = models.CharField("措施性质", max_length=12, choices=MeasureKind.choices)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    status = models.CharField("状态", max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    responsible_unit = models.CharField("责任单位", max_length=100)
    note = models.CharField("说明", max_length=300, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "帮扶措施"
        verbose_name_plural = "帮扶措施"
        ordering = ["plan", "start_date", "pk"]
        indexes = [models.Index(fields=["status", "start_date"], name="planmeasure_status_start")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="planmeasure_amount_nonnegative"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="planmeasure_end_after_start"),
            models.CheckConstraint(condition=Q(version__gte=1), name="planmeasure_version_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CadreUnitKind(models.TextChoices):
    """Where pairing cadres come from: 「派出单位」, townships, county departments (issue 5 item 6)."""

    DISPATCHING = "dispatching", "派出单位"
    TOWNSHIP = "township", "乡镇"
    DEPARTMENT = "department", "县直部门"
    VILLAGE = "village", "村"


class CadreProfile(models.Model):
    """帮扶责任人档案: the unit, position and phone of a user who pairs with households."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="系统账号", on_delete=models.CASCADE,
                                related_name="cadre_profile")
    area = models.ForeignKey(Area, verbose_name="帮扶地区", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    unit_kind = models.CharField("单位类别", max_length=12, choices=CadreUnitKind.choices)
    unit_name = models.CharField("工作单位", max_length=100)
    position = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, validators=[validate_phone])
    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "帮扶责任人"
        verbose_name_plural = "帮扶责任人"
        ordering = ["area__code", "name"]

    def __str__(self) -> str:
        return self.name


class PairingAssignment(models.Model):
    """结对帮扶: a cadre paired with a household from one day until another (open while current)."""

    household = models.ForeignKey(Household, verbose_name="农户", on_delete=models.CASCADE,
                                  related_name="pairing_assignments")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="帮扶责任人", on_delete=models.PROTECT,
                              related_name="pairing_assignments")
    started_on = models.DateField("结对日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    end_reason = models.CharField("调整原因", max_length=200, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="安排人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "结对帮扶记录"
        verbose_name_plural = "结对帮扶记录"
        ordering = ["household", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(ended_on__isnull=True),
                                    name="pairing_one_current_per_household"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="pairing_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.household}"


class VisitorRole(models.TextChoices):
    """Who visits, as 附件14 names them (spec part 02 §2.12)."""

    PAIRING_CADRE = "pairing_cadre", "帮扶责任人"
    RESULTS_CADRE = "results_cadre", "脱贫成效包保责任人"
    TOWNSHIP_LEADER = "township_leader", "包乡领导"
    UNIT_LEADER = "unit_leader", "派出单位领导"
    WORKTEAM = "workteam", "驻村工作队员"


class Visit(models.Model):
    """帮扶记录卡: one visit to a household (「做好走访记录、保留相关影像资料」, seed 000)."""

    household = models.ForeignKey(Household, verbose_name="农户", on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="走访人", on_delete=models.PROTECT,
                                related_name="+")
    visitor_role = models.CharField("走访人身份", max_length=20, choices=VisitorRole.choices,
                                    default=VisitorRole.PAIRING_CADRE)
    visited_on = models.DateField("走访日期", db_index=True)
    content = models.TextField("帮扶内容")
    problems = models.TextField("发现问题", blank=True)
    measures_taken = models.TextField("采取措施", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶记录"
        verbose_name_plural = "帮扶记录"
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["household", "visited_on"], name="visit_household_day")]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"
