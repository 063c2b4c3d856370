"""行业部门数据: the files departments upload (FeedUpload), the facts they hold that matched a registered
person (FeedRecord), and the alerts the rules raise (DepartmentAlert) for the household's village and
township to handle.

An upload is scoped by its county (`county__code`), an alert by the household's village
(`village__code`). A fact is stored once per kind (`fact_key`), and an alert once per rule and fact
(`fact_key`): uploading the same file again, or the same fact in another file, changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area
from fupin.registry.models import Household, Person


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    DONE = "done", "已处理"
    FAILED = "failed", "处理失败"


class FeedUpload(models.Model):
    """部门数据上传: one file of one kind for one county and year, with what became of each row."""

    kind = models.CharField("数据类型", max_length=40, db_index=True)
    department = models.CharField("报送部门", max_length=30, blank=True)
    county = models.ForeignKey(Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件摘要", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("状态", max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    task_id = models.PositiveIntegerField("后台任务", null=True, blank=True)
    rows_total = models.PositiveIntegerField("数据行数", default=0)
    rows_accepted = models.PositiveIntegerField("接收行数", default=0)
    rows_invalid = models.PositiveIntegerField("错误行数", default=0)
    rows_duplicate = models.PositiveIntegerField("重复行数", default=0)
    rows_unknown = models.PositiveIntegerField("未匹配身份证号行数", default=0)
    alerts_raised = models.PositiveIntegerField("产生预警数", default=0)
    problems = models.JSONField("逐行问题（前若干条）", default=list, blank=True)
    message = models.CharField("处理说明", max_length=500, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("处理完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "部门数据上传"
        verbose_name_plural = "部门数据上传"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.created_at:%Y-%m-%d}）" if self.created_at else self.file_name

    @property
    def kind_title(self) -> str:
        from fupin.feeds.kinds import feed_kinds

        kind = feed_kinds().get(self.kind)
        return kind.title if kind else self.kind


class FeedRecord(models.Model):
    """部门数据记录: one accepted row (a fact) that matched a person of the registry year."""

    upload = models.ForeignKey(FeedUpload, verbose_name="所属上传", on_delete=models.PROTECT, related_name="records")
    kind = models.CharField("数据类型", max_length=40)
    fact_key = models.CharField("事实标识", max_length=200)
    row_number = models.PositiveIntegerField("文件行号")
    year = models.PositiveSmallIntegerField("年度")
    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="人", on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField("发生日期")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    data = models.JSONField("原始数据", default=dict)

    class Meta:
        verbose_name = "部门数据记录"
        verbose_name_plural = "部门数据记录"
        ordering = ["upload", "row_number"]
        constraints = [models.UniqueConstraint(fields=["kind", "fact_key"], name="feedrecord_fact_unique")]
        indexes = [models.Index(fields=["kind", "year", "household"], name="feedrecord_kind_year_household")]

    def __str__(self) -> str:
        return f"{self.kind} {self.fact_key}"


class AlertStatus(models.TextChoices):
    OPEN = "open", "待处理"
    VERIFIED = "verified", "已核实"
    NOT_APPLICABLE = "not_applicable", "不属实/不适用"
    MONITORING = "monitoring", "已转入监测"


class DepartmentAlert(models.Model):
    """部门数据预警: a rule that fired on a household's facts, for its village and township to handle."""

    kind = models.CharField("数据类型", max_length=40)
    rule = models.CharField("预警规则", max_length=60)
    rule_title = models.CharField("预警规则名称", max_length=200)
    fact_key = models.CharField("预警事实标识", max_length=240, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    household = models.ForeignKey(Household, verbose_name="户", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="人", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    village = models.ForeignKey(Area, verbose_name="行政村", on_delete=models.PROTECT, related_name="+")
    upload = models.ForeignKey(FeedUpload, verbose_name="来源上传", on_delete=models.PROTECT, related_name="alerts")
    record = models.ForeignKey(FeedRecord, verbose_name="触发的数据行", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    values = models.JSONField("触发值", default=dict)
    threshold = models.JSONField("阈值", default=dict, blank=True)
    risk_types = models.JSONField("风险类型", default=list, blank=True)
    status = models.CharField("处理状态", max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN,
                              db_index=True)
    note = models.TextField("处理说明", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    case_ref = models.CharField("监测案件", max_length=60, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("预警时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门数据预警"
        verbose_name_plural = "部门数据预警"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "village"], name="alert_status_village")]
        constraints = [
            models.CheckConstraint(condition=Q(status="open") | Q(handled_at__isnull=False),
                                   name="alert_handled_has_time"),
            models.CheckConstraint(condition=Q(version__gte=1), name="alert_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_title}（{self.household.household_number}）"
