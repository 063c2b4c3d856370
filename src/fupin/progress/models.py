"""挂图作战与月调度: plans and their targets and monthly milestones, the pre-aggregated indicators the
battle map reads, the households marked as they reach the standard, and the frozen monthly dispatch
snapshots.

Scoping: a plan, target or snapshot belongs to an area (`area__code`), an indicator row carries its
12-digit `area_code`, so `fupin.accounts.access.scope` applies to every table here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.areas.models import Area, AreaLevel

_FIGURE = {"max_digits": 16, "decimal_places": 2}


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "年度实施方案（按月推进）"
    PHASES = "phases", "阶段安排"
    ROLLING = "rolling", "三年滚动计划"
    TASK_TABLE = "task_table", "任务指标表"
    SPECIAL_ACTIONS = "special_actions", "专项行动"
    TARGETS = "targets", "年度目标任务"


class Plan(models.Model):
    """计划/方案: a document's plan for a jurisdiction and period, shipped as data or entered by the
    county. `flags` keeps what the import check found (a printed total that does not match its rows)."""

    code = models.CharField("方案标识", max_length=60, unique=True)
    title = models.CharField("方案名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=PlanKind.choices)
    area = models.ForeignKey(Area, verbose_name="实施区域", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    issuer = models.CharField("印发单位/文号", max_length=200, blank=True)
    source = models.CharField("出处", max_length=300, blank=True)
    flags = models.JSONField("导入核对提示", default=list, blank=True)
    shipped = models.BooleanField("随系统发布的数据", default=False)
    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "计划方案"
        verbose_name_plural = "计划方案"
        ordering = ["-start", "code"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="plan_period_valid")]

    def __str__(self) -> str:
        return self.title


class Direction(models.TextChoices):
    AT_LEAST = "at_least", "达到（不少于）"
    AT_MOST = "at_most", "降至（不多于）"


class Target(models.Model):
    """目标任务: one figure to reach in an area by a deadline, with who leads it (牵头单位) and who
    answers for it (责任单位). `indicator` names a live indicator of the battle map when the system can
    count it from the records; otherwise progress is reported by hand into `reported_value`."""

    plan = models.ForeignKey(Plan, verbose_name="所属方案", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="targets")
    area = models.ForeignKey(Area, verbose_name="区域", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    group = models.CharField("类别/专项行动", max_length=60, blank=True)
    name = models.CharField("指标名称", max_length=200)
    indicator = models.CharField("关联实时指标", max_length=40, blank=True)
    direction = models.CharField("方向", max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    value = models.DecimalField("目标值", null=True, blank=True, **_FIGURE)
    unit = models.CharField("单位", max_length=20, blank=True)
    reported_value = models.DecimalField("填报完成值", null=True, blank=True, **_FIGURE)
    lead_leader = models.CharField("牵头领导", max_length=100, blank=True)
    lead_unit = models.CharField("牵头单位", max_length=200, blank=True)
    responsible_units = models.CharField("责任单位", max_length=300, blank=True)
    responsible_person = models.CharField("责任人", max_length=100, blank=True)
    deadline = models.DateField("完成时限")
    source = models.CharField("出处", max_length=300, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"
        ordering = ["deadline", "sort_order", "pk"]
        indexes = [models.Index(fields=["area", "period_end"], name="target_area_period")]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="target_period_valid"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="target_value_nonnegative"),
            models.CheckConstraint(condition=Q(reported_value__isnull=True) | Q(reported_value__gte=0),
                                   name="target_reported_nonnegative"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """月度节点: what a plan requires in one month (or by one day), and who leads it."""

    plan = models.ForeignKey(Plan, verbose_name="所属方案", on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField("完成时限")
    title = models.CharField("工作内容", max_length=500)
    lead_unit = models.CharField("牵头单位", max_length=200, blank=True)
    responsible_units = models.CharField("责任单位", max_length=300, blank=True)
    source = models.CharField("出处", max_length=300, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    version = models.PositiveIntegerField("版本号", default=1)

    class Meta:
        verbose_name = "月度节点"
        verbose_name_plural = "月度节点"
        ordering = ["due", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title


class AreaIndicator(models.Model):
    """预聚合指标: one figure of one area (village, township, county, ...) for one registry year, as the
    last refresh computed it. The battle map reads only this table."""

    area_code = models.CharField("区划代码", max_length=12)
    level = models.PositiveSmallIntegerField("级别")
    year = models.PositiveSmallIntegerField("年度")
    indicator = models.CharField("指标", max_length=40)
    value = models.DecimalField("数值", **_FIGURE)
    refreshed_at = models.DateTimeField("刷新时间")

    class Meta:
        verbose_name = "预聚合指标"
        verbose_name_plural = "预聚合指标"
        constraints = [models.UniqueConstraint(fields=["year", "area_code", "indicator"],
                                               name="areaindicator_unique")]
        indexes = [models.Index(fields=["year", "level", "area_code"], name="areaindicator_level")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.year} {self.indicator}={self.value}"


class VillageFingerprint(models.Model):
    """What one village's households looked like at the last refresh (how many, last change): the next
    refresh recomputes only the villages whose fingerprint moved."""

    year = models.PositiveSmallIntegerField("年度")
    village_code = models.CharField("村代码", max_length=12)
    households = models.PositiveIntegerField("户数")
    last_change = models.DateTimeField("最后变更时间", null=True)

    class Meta:
        verbose_name = "刷新指纹"
        verbose_name_plural = "刷新指纹"
        constraints = [models.UniqueConstraint(fields=["year", "village_code"], name="fingerprint_unique")]

    def __str__(self) -> str:
        return f"{self.village_code} {self.year}"


class StandardMark(models.Model):
    """达标一户标注一户: the day a household was first seen reaching the standard."""

    year = models.PositiveSmallIntegerField("年度")
    household_id = models.BigIntegerField("户ID")
    village_code = models.CharField("村代码", max_length=12, db_index=True)
    reached_on = models.DateField("达标日期")

    class Meta:
        verbose_name = "达标标注"
        verbose_name_plural = "达标标注"
        constraints = [models.UniqueConstraint(fields=["year", "household_id"], name="standardmark_unique")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.reached_on}"


class Snapshot(models.Model):
    """月调度快照: every indicator of every area of a county for one month, frozen. Immutable once
    written; its report is generated from these rows only, so it can be regenerated identically."""

    area = models.ForeignKey(Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    year = models.PositiveSmallIntegerField("数据年度")
    frozen_at = models.DateTimeField("封存时间")
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="封存人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    targets = models.JSONField("目标任务进度", default=list)
    milestones = models.JSONField("月度节点", default=list)

    class Meta:
        verbose_name = "月调度快照"
        verbose_name_plural = "月调度快照"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="snapshot_area_month_unique")]

    def __str__(self) -> str:
        return f"{self.area.name} {self.month:%Y-%m}"


class SnapshotValue(models.Model):
    snapshot = models.ForeignKey(Snapshot, verbose_name="快照", on_delete=models.CASCADE, related_name="values")
    area_code = models.CharField("区划代码", max_length=12)
    area_name = models.CharField("区划名称", max_length=100)
    level = models.PositiveSmallIntegerField("级别")
    indicator = models.CharField("指标", max_length=40)
    value = models.DecimalField("数值", **_FIGURE)

    class Meta:
        verbose_name = "快照指标"
        verbose_name_plural = "快照指标"
        constraints = [models.UniqueConstraint(fields=["snapshot", "area_code", "indicator"],
                                               name="snapshotvalue_unique")]
        # The trend chart reads one area's figures across all snapshots.
        indexes = [models.Index(fields=["area_code", "indicator"], name="snapshotvalue_area")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.indicator}={self.value}"


class AreaBoundary(models.Model):
    """地理边界: one area's outline (GeoJSON Polygon or MultiPolygon geometry, kept as JSON text so every
    database holds it), from a county officer's upload. The battle map draws these instead of the
    schematic tiles for a level whose areas have them. `schematic` marks generated demonstration shapes
    (示意), never real boundaries."""

    area_code = models.CharField("区划代码", max_length=12, unique=True)
    level = models.PositiveSmallIntegerField("级别", choices=AreaLevel.choices)
    geometry = models.TextField("边界几何（GeoJSON）")
    schematic = models.BooleanField("示意数据（非真实边界）", default=False)
    source_name = models.CharField("来源文件", max_length=200, blank=True)
    source_sha256 = models.CharField("来源文件 SHA-256", max_length=64, blank=True)
    code_property = models.CharField("代码属性名", max_length=60, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "地理边界"
        verbose_name_plural = "地理边界"
        ordering = ["area_code"]

    def __str__(self) -> str:
        return self.area_code
