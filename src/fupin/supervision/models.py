"""督查与整改: supervision checklists (versioned data), campaigns (督查 / 专项检查 / 回头看), the problem
list (问题清单) with its rectification to closure (整改台账, 销号), and the 回头看 visits of exited households.

Findings are scoped by the area where the problem is (``area__code``); campaigns by the county that runs
them and by the areas they cover. The responsible unit (责任单位) is a township, a village or a county
department, always an area at or above the problem's area, so whoever must rectify can see the finding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.accounts.roles import Department
from fupin.areas.models import Area


class Checklist(models.Model):
    """督查要点: one published edition of a checklist, loaded from src/fupin/data/supervision."""

    key = models.CharField("清单标识", max_length=60)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("名称", max_length=200)
    issuer = models.CharField("制定单位", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    jurisdiction = models.CharField("适用区划", max_length=12)
    source_file = models.CharField("数据文件", max_length=200)
    loaded_at = models.DateTimeField("加载时间", auto_now_add=True)

    class Meta:
        verbose_name = "督查清单"
        verbose_name_plural = "督查清单"
        ordering = ["-year", "key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="checklist_key_version_unique")]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class ChecklistItem(models.Model):
    """督查要点中的一条: the area (e.g. 4 精准健康扶贫) and the point under it, with the seed quote."""

    checklist = models.ForeignKey(Checklist, verbose_name="督查清单", on_delete=models.CASCADE, related_name="items")
    area_no = models.PositiveSmallIntegerField("督查方面序号")
    area_title = models.CharField("督查方面", max_length=100)
    no = models.CharField("要点编号", max_length=10)
    text = models.TextField("督查要点")
    cite_seed = models.CharField("出处文件", max_length=5)
    cite_quote = models.CharField("出处原文", max_length=200)
    position = models.PositiveIntegerField("排序")

    class Meta:
        verbose_name = "督查要点"
        verbose_name_plural = "督查要点"
        ordering = ["checklist", "position"]
        constraints = [models.UniqueConstraint(fields=["checklist", "no"], name="checklist_item_no_unique")]

    def __str__(self) -> str:
        return f"{self.no} {self.area_title}"


class CampaignKind(models.TextChoices):
    INSPECTION = "inspection", "督查"
    SPECIAL = "special", "专项检查"
    LOOKBACK = "lookback", "回头看"


class CampaignStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Campaign(models.Model):
    """督查活动: who inspects which areas in which period against which checklist."""

    county = models.ForeignKey(Area, verbose_name="组织县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=12, choices=CampaignKind.choices)
    name = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    checklist = models.ForeignKey(Checklist, verbose_name="督查清单", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="campaigns")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    covered = models.ManyToManyField(Area, verbose_name="督查范围", related_name="+")
    inspectors = models.TextField("督查人员", blank=True)
    sample_percent = models.PositiveSmallIntegerField("回头看抽查比例（%）", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本号", default=1)

    class Meta:
        verbose_name = "督查活动"
        verbose_name_plural = "督查活动"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="campaign_period_valid"),
            models.CheckConstraint(
                condition=Q(sample_percent__isnull=True) | (Q(sample_percent__gte=1) & Q(sample_percent__lte=100)),
                name="campaign_sample_percent_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    CRITICAL = "critical", "严重"


class FindingSource(models.TextChoices):
    CAMPAIGN = "campaign", "督查检查"
    LOOKBACK = "lookback", "回头看"
    QUALITY = "quality", "数据质量检查"
    BATTLE_MAP = "battle_map", "挂图作战"
    MANUAL = "manual", "其他渠道"


class ResponsibleKind(models.TextChoices):
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村"
    DEPARTMENT = "department", "行业部门"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    REPORTED = "reported", "待核验"
    RETURNED = "returned", "退回重新整改"
    CLOSED = "closed", "已销号"


OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.REPORTED, FindingStatus.RETURNED)


class Finding(models.Model):
    """问题清单中的一个问题: where, against which point, how serious, who rectifies it by when."""

    area = models.ForeignKey(Area, verbose_name="问题所在区划", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, verbose_name="督查活动", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="findings")
    checklist_item = models.ForeignKey(ChecklistItem, verbose_name="督查要点", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="findings")
    household = models.ForeignKey("registry.Household", verbose_name="涉及农户", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    source = models.CharField("问题来源", max_length=12, choices=FindingSource.choices)
    # Set by imports (data-quality checks, battle map) so that the same problem is never listed twice.
    source_key = models.CharField("来源标识", max_length=200, null=True, blank=True, unique=True)
    responsible_kind = models.CharField("责任单位类型", max_length=12, choices=ResponsibleKind.choices)
    responsible_area = models.ForeignKey(Area, verbose_name="责任单位（区划）", on_delete=models.PROTECT,
                                         related_name="+")
    responsible_department = models.CharField("责任部门", max_length=30, choices=Department.choices, blank=True)
    found_on = models.DateField("发现日期")
    deadline = models.DateField("整改时限")
    status = models.CharField("状态", max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN,
                              db_index=True)
    escalated_on = models.DateField("逾期督办日期", null=True, blank=True)
    escalated_to = models.CharField("督办至", max_length=12, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核验人", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "督查问题"
        verbose_name_plural = "问题清单"
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="finding_status_deadline")]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("found_on")), name="finding_deadline_after_found"),
            models.CheckConstraint(
                condition=~Q(responsible_kind="department") | ~Q(responsible_department=""),
                name="finding_department_named"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_on__isnull=False),
                                   name="finding_closed_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.description[:30]}"

    @property
    def responsible_label(self) -> str:
        if self.responsible_kind == ResponsibleKind.DEPARTMENT:
            return f"{self.responsible_area.name}{self.get_responsible_department_display()}"
        return self.responsible_area.name

    def is_overdue(self, today) -> bool:
        return self.status != FindingStatus.CLOSED and self.deadline < today


class StepKind(models.TextChoices):
    RECORD = "record", "登记问题"
    EDIT = "edit", "修改问题"
    REPORT = "report", "上报整改"
    EVIDENCE = "evidence", "补充佐证"
    RETURN = "return", "退回重新整改"
    CLOSE = "close", "核验销号"
    ESCALATE = "escalate", "逾期督办"


class RectificationStep(models.Model):
    """整改台账的一行: each step of a finding from recording to closure, who took it and what they said."""

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("环节", max_length=10, choices=StepKind.choices)
    text = models.TextField("整改措施或意见", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("经办人姓名", max_length=150, blank=True)
    at = models.DateTimeField("时间")
    day = models.DateField("日期")

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        ordering = ["finding", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.get_kind_display()}"


class Evidence(models.Model):
    """整改佐证材料: a file kept in the data folder (not public media), served only through a scoped view."""

    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.CASCADE, related_name="evidence")
    step = models.ForeignKey(RectificationStep, verbose_name="所属整改记录", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="evidence")
    file_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=80, unique=True)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"
        ordering = ["finding", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name


class VisitResult(models.TextChoices):
    PENDING = "pending", "待走访"
    STABLE = "stable", "稳定脱贫"
    AT_RISK = "at_risk", "存在返贫风险"


class LookbackCheck(models.Model):
    """回头看: one sampled exited household and the result of visiting it."""

    campaign = models.ForeignKey(Campaign, verbose_name="回头看活动", on_delete=models.CASCADE, related_name="checks")
    household = models.ForeignKey("registry.Household", verbose_name="脱贫户", on_delete=models.PROTECT,
                                  related_name="+")
    village = models.ForeignKey(Area, verbose_name="行政村", on_delete=models.PROTECT, related_name="+")
    household_number = models.CharField("户编号", max_length=30)
    head_name = models.CharField("户主姓名", max_length=50, blank=True)
    result = models.CharField("走访结果", max_length=10, choices=VisitResult.choices, default=VisitResult.PENDING)
    risk_types = models.JSONField("风险类型", default=list, blank=True)
    note = models.TextField("走访情况", blank=True)
    visited_on = models.DateField("走访日期", null=True, blank=True)
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="走访人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    finding = models.ForeignKey(Finding, verbose_name="形成问题", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    monitoring_ref = models.CharField("监测纳入申请", max_length=40, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)

    class Meta:
        verbose_name = "回头看走访"
        verbose_name_plural = "回头看走访"
        ordering = ["campaign", "village__code", "household_number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="lookback_household_once"),
            models.CheckConstraint(condition=Q(result="pending") | Q(visited_on__isnull=False),
                                   name="lookback_visited_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.household_number}"
