"""Stored screening results (政策筛查): one run over an area and a year, and its decisions, one row per
household and rule, so last year's result can be shown and reproduced with the pack version it used."""

from django.conf import settings
from django.db import models


class Engine(models.TextChoices):
    LOCAL = "local", "逐户计算"
    POLARS = "polars", "批量计算（Polars）"
    SPARK = "spark", "分布式计算（Spark）"


class DecisionStatus(models.TextChoices):
    OK = "ok", "已判定"
    ERROR = "error", "无法判定"
    NOT_APPLICABLE = "not_applicable", "不适用"


class ScreeningRun(models.Model):
    """筛查批次: the rules of one pack applied to every household of an area in a year. The run and its
    decisions are written in one transaction: a run that failed leaves nothing behind."""

    pack = models.CharField("政策包", max_length=80)
    fingerprint = models.CharField("政策包指纹", max_length=64)
    year = models.PositiveSmallIntegerField("年度")
    area_code = models.CharField("区划代码", max_length=12, db_index=True)
    area_name = models.CharField("区划名称", max_length=100)
    engine = models.CharField("计算方式", max_length=10, choices=Engine.choices)
    as_of = models.DateField("判定基准日")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间")
    seconds = models.FloatField("计算用时（秒）", default=0)
    households = models.PositiveIntegerField("户数", default=0)
    decisions = models.PositiveIntegerField("判定条数", default=0)
    errors = models.PositiveIntegerField("无法判定条数", default=0)
    counts = models.JSONField("各规则统计", default=dict, blank=True)

    class Meta:
        verbose_name = "政策筛查批次"
        verbose_name_plural = "政策筛查批次"
        ordering = ["-finished_at", "-pk"]
        indexes = [models.Index(fields=["year", "area_code"], name="screening_run_year_area")]

    def __str__(self) -> str:
        return f"{self.pack} {self.area_name} {self.year} #{self.pk}"


class StoredDecision(models.Model):
    """筛查结果: one rule's outcome for one household in one run, with the clause outcomes (the reasons)."""

    run = models.ForeignKey(ScreeningRun, verbose_name="筛查批次", on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name="户", on_delete=models.CASCADE, related_name="+")
    area_code = models.CharField("行政村代码", max_length=12)
    rule = models.CharField("规则", max_length=80)
    status = models.CharField("判定状态", max_length=20, choices=DecisionStatus.choices)
    value = models.CharField("结果", max_length=200, blank=True)
    clauses = models.JSONField("各条件结果", default=dict, blank=True)
    error = models.TextField("原因", blank=True)
    pack = models.CharField("政策包", max_length=80)

    class Meta:
        verbose_name = "政策判定结果"
        verbose_name_plural = "政策判定结果"
        constraints = [
            models.UniqueConstraint(fields=["run", "household", "rule"], name="stored_decision_unique"),
        ]
        indexes = [models.Index(fields=["household", "run"], name="stored_decision_household"),
                   models.Index(fields=["run", "rule", "status"], name="stored_decision_run_rule")]

    def __str__(self) -> str:
        return f"{self.rule}={self.value or self.status}"
