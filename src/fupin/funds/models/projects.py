"""扶贫项目库: projects, their funds by source, progress reports and the fund ledger (postings)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.areas.models import Area

from .common import MONEY, AppendOnly


class ProjectCategory(models.TextChoices):
    """实施项目种类 (附件2)"""

    PLANTING = "planting", "种植业"
    BREEDING = "breeding", "养殖业"
    FORESTRY = "forestry", "林果业"
    OTHER = "other", "其它"


class ProjectMode(models.TextChoices):
    """实施方式: household self-run (到户), township/village-run (镇村统筹), village collective (村集体领办)."""

    HOUSEHOLD = "household", "贫困户自营到户项目"
    TOWNSHIP_VILLAGE = "township_village", "镇村统筹实施项目"
    COLLECTIVE = "collective", "村集体领办创办项目"


class ProjectStatus(models.TextChoices):
    """项目状态: the library steps (村申报 → 乡镇审核 → 乡镇公示 → 县审定入库), then implementation."""

    PROPOSED = "proposed", "村级申报"
    TOWNSHIP_REVIEWED = "township_reviewed", "乡镇已审核"
    PUBLICISED = "publicised", "乡镇公示"
    IN_LIBRARY = "in_library", "已入库"
    IMPLEMENTING = "implementing", "实施中"
    COMPLETED = "completed", "已完工"
    ACCEPTED = "accepted", "已验收"
    REJECTED = "rejected", "未通过"


# Statuses of a project that is in the project library (项目库): only these may receive funds.
LIBRARY_STATUSES = (ProjectStatus.IN_LIBRARY, ProjectStatus.IMPLEMENTING, ProjectStatus.COMPLETED,
                    ProjectStatus.ACCEPTED)


class Project(models.Model):
    """扶贫项目 (产业扶贫项目): one project of the county project library."""

    code = models.CharField("项目编号", max_length=30, unique=True)
    name = models.CharField("项目名称", max_length=100)
    catalogue_code = models.CharField("项目名称目录代码", max_length=10, blank=True)
    category = models.CharField("实施项目种类", max_length=20, choices=ProjectCategory.choices)
    mode = models.CharField("实施方式", max_length=20, choices=ProjectMode.choices)
    area = models.ForeignKey(Area, verbose_name="实施地点（村/乡镇）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("实施年度", db_index=True)
    scale = models.DecimalField("项目规模", max_digits=12, decimal_places=2, null=True, blank=True)
    scale_unit = models.CharField("规模单位", max_length=10, blank=True)
    content = models.TextField("建设内容", blank=True)
    expected_benefit = models.TextField("预期效益", blank=True)
    linkage = models.TextField("带贫机制", blank=True)
    households_driven = models.PositiveIntegerField("带动建档立卡户数", default=0)
    persons_driven = models.PositiveIntegerField("带动建档立卡人数", default=0)
    income_gain_per_capita = models.DecimalField("通过项目扶持人均增收（元）", default=0, **MONEY)
    progress = models.PositiveSmallIntegerField("实施进度（%）", default=0)
    status = models.CharField("项目状态", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED,
                              db_index=True)
    village_meeting_on = models.DateField("村两委会/村民代表大会日期")
    township_reviewed_on = models.DateField("乡镇审核日期", null=True, blank=True)
    publicity_from = models.DateField("乡镇公示开始", null=True, blank=True)
    publicity_to = models.DateField("乡镇公示结束", null=True, blank=True)
    county_approved_on = models.DateField("县级审定入库日期", null=True, blank=True)
    completion_deadline = models.DateField("完工期限", null=True, blank=True)
    completed_on = models.DateField("完工日期", null=True, blank=True)
    township_accepted_on = models.DateField("乡镇初验日期", null=True, blank=True)
    accepted_on = models.DateField("县级验收日期", null=True, blank=True)
    rejected_on = models.DateField("退回日期", null=True, blank=True)
    rejection_reason = models.CharField("退回原因", max_length=300, blank=True)
    rules_pack = models.CharField("适用规则", max_length=100, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "扶贫项目"
        verbose_name_plural = "扶贫项目"
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="project_year_range"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max_100"),
            models.CheckConstraint(condition=Q(persons_driven__gte=F("households_driven")),
                                   name="project_persons_not_below_households"),
            models.CheckConstraint(condition=Q(income_gain_per_capita__gte=0), name="project_income_gain_nonnegative"),
            models.CheckConstraint(condition=Q(scale__isnull=True) | Q(scale__gt=0), name="project_scale_positive"),
            models.CheckConstraint(
                condition=Q(publicity_to__isnull=True) | Q(publicity_to__gte=F("publicity_from")),
                name="project_publicity_range"),
            models.CheckConstraint(
                condition=~Q(status__in=LIBRARY_STATUSES) | Q(county_approved_on__isnull=False),
                name="project_library_has_approval_date"),
            models.CheckConstraint(
                condition=~Q(status__in=[ProjectStatus.COMPLETED, ProjectStatus.ACCEPTED])
                | (Q(completed_on__isnull=False) & Q(progress=100)),
                name="project_completed_has_date"),
            models.CheckConstraint(condition=~Q(status=ProjectStatus.ACCEPTED) | Q(accepted_on__isnull=False),
                                   name="project_accepted_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def in_library(self) -> bool:
        return self.status in LIBRARY_STATUSES


class ProjectFund(models.Model):
    """项目资金构成: the amount planned from one fund source (资金类型), one row per source."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="funds")
    source = models.CharField("资金类型", max_length=30)
    amount = models.DecimalField("金额（元）", **MONEY)

    class Meta:
        verbose_name = "项目资金构成"
        verbose_name_plural = "项目资金构成"
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="projectfund_one_row_per_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="projectfund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.amount}"


class ProgressReport(AppendOnly):
    """进度报告: reported progress of a project on a date (append-only)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="progress_reports")
    percent = models.PositiveSmallIntegerField("进度（%）")
    reported_on = models.DateField("报告日期")
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "项目进度报告"
        verbose_name_plural = "项目进度报告"
        ordering = ["project", "reported_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="progress_report_max_100")]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.percent}%"


class PostingKind(models.TextChoices):
    ALLOCATION = "allocation", "资金下达"
    DISBURSEMENT = "disbursement", "资金拨付"


class FundPosting(AppendOnly):
    """资金记账: an allocation (资金下达) or disbursement (拨付) of one fund source to a project.

    Append-only: a correction is a reversing entry (冲正) with the opposite amount that points at the
    entry it reverses; an entry can be reversed once."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="postings")
    kind = models.CharField("类别", max_length=20, choices=PostingKind.choices)
    source = models.CharField("资金类型", max_length=30)
    amount = models.DecimalField("金额（元）", **MONEY)
    posted_on = models.DateField("记账日期")
    reference = models.CharField("文号/凭证号", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    rule = models.CharField("适用拨付规则", max_length=300, blank=True)
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversal")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记账人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "资金记账"
        verbose_name_plural = "资金记账"
        ordering = ["project", "posted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0)) | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="posting_sign_matches_reversal"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
