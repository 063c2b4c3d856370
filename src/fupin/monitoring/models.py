"""防返贫监测: monitoring cases (监测对象), their history, the village's monthly monitoring records,
the township's quarterly analysis and the quarterly data refresh of each monitored household.

A case belongs to one registered household and year and is scoped by the household's village
(`fupin.accounts.access.scope(..., code_path="village__code")`). Its identification and its risk
elimination go through the workflow's reviews ("monitoring.identify", "monitoring.eliminate", see
reviews.py); the case keeps what those reviews decided and mirrors it into the registry household
(monitoring_type, risk_types, risk_eliminated, risk_identified_on, risk_eliminated_on).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area


class FoundBy(models.TextChoices):
    """How a case was found (彰武县防止返贫监测和帮扶机制实施办法 三（三）1 「通过个人申请、帮扶责任人申报或村干部、
    驻村干部摸排等途径」; department data: 「及时通报支出骤增或收入骤减家庭的」)."""

    APPLICATION = "application", "农户个人申请"
    CADRE_VISIT = "cadre_visit", "帮扶责任人申报"
    WORKTEAM_VISIT = "workteam_visit", "驻村干部摸排"
    DEPARTMENT_ALERT = "department_alert", "行业部门数据预警"
    SCREENING = "screening", "村组摸排"


class CaseStatus(models.TextChoices):
    SCREENING = "screening", "识别中"
    MONITORED = "monitored", "监测中"
    ELIMINATED = "eliminated", "风险已消除"
    NOT_INCLUDED = "not_included", "未纳入"


ACTIVE_STATUSES = (CaseStatus.SCREENING, CaseStatus.MONITORED, CaseStatus.ELIMINATED)


class RiskLevel(models.TextChoices):
    """返贫致贫风险等级 (「按潜在的返贫致贫风险、“三保障”状况及收入稳定程度确定风险等级」); the three levels
    are the pack's risk_level rule (docs/decisions/policy-risk-level.md)."""

    HIGH = "high", "高风险"
    MEDIUM = "medium", "中风险"
    LOW = "low", "低风险"


# The pack's risk_level rule answers with labels; the case stores the codes.
RISK_LEVEL_BY_LABEL = {label: code for code, label in RiskLevel.choices}


class MonitoringCase(models.Model):
    """监测对象: one household's anti-return monitoring in one year."""

    household = models.ForeignKey("registry.Household", verbose_name="农户", on_delete=models.PROTECT,
                                  related_name="monitoring_cases")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    village = models.ForeignKey(Area, verbose_name="行政村", on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField("监测对象类型", max_length=5)
    risk_types = models.JSONField("风险类型", default=list)
    risk_level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, blank=True)
    suggested_risk_level = models.CharField("政策规则建议的风险等级", max_length=20, blank=True)
    found_by = models.CharField("发现途径", max_length=20, choices=FoundBy.choices)
    source = models.CharField("来源编号", max_length=100, blank=True)
    reason = models.TextField("纳入理由")
    facts = models.JSONField("排查信息（排除情形核查）", default=dict, blank=True)
    override_reason = models.TextField("特殊程序理由（虽有排除情形仍申请纳入）", blank=True)
    status = models.CharField("状态", max_length=15, choices=CaseStatus.choices, default=CaseStatus.SCREENING,
                              db_index=True)
    identified_on = models.DateField("风险识别（录入）日期", null=True, blank=True)
    eliminated_on = models.DateField("风险消除日期", null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField("版本号", default=1)
    created_at = models.DateTimeField("提出时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "监测对象"
        verbose_name_plural = "监测对象"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "village"], name="monitoringcase_status_village")]
        constraints = [
            # A household is one monitoring case a year; a case not included may be proposed again.
            models.UniqueConstraint(fields=["household"], condition=Q(status__in=ACTIVE_STATUSES),
                                    name="monitoringcase_one_active_per_household"),
            models.CheckConstraint(condition=Q(version__gte=1), name="monitoringcase_version_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="monitoringcase_reason_given"),
            models.CheckConstraint(
                condition=~Q(status__in=[CaseStatus.MONITORED, CaseStatus.ELIMINATED]) | Q(identified_on__isnull=False),
                name="monitoringcase_monitored_has_date"),
            models.CheckConstraint(condition=~Q(status=CaseStatus.ELIMINATED) | Q(eliminated_on__isnull=False),
                                   name="monitoringcase_eliminated_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.household.household_number}（{self.year}）"


class CaseEventKind(models.TextChoices):
    PROPOSED = "proposed", "提出（村组摸排）"
    FACTS = "facts", "登记排查信息"
    IDENTIFIED = "identified", "纳入监测并录入"
    NOT_INCLUDED = "not_included", "未纳入监测"
    ELIMINATION_PROPOSED = "elimination_proposed", "提出风险消除"
    ELIMINATED = "eliminated", "风险消除"
    ELIMINATION_REFUSED = "elimination_refused", "风险消除未通过"
    REFLAGGED = "reflagged", "风险再标注（回退）"
    REFRESHED = "refreshed", "季度信息采集"


class CaseEvent(models.Model):
    """监测对象变动记录: the history of a case, never edited."""

    case = models.ForeignKey(MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("变动", max_length=25, choices=CaseEventKind.choices)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_name = models.CharField("办理人姓名", max_length=150, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("内容", default=dict, blank=True)

    class Meta:
        verbose_name = "监测对象变动记录"
        verbose_name_plural = "监测对象变动记录"
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


_MONEY = {"max_digits": 12, "decimal_places": 2}


class MonthlyRecord(models.Model):
    """村级每月监测记录 (「村每月对监测对象的收入支出、“三保障”状况开展常态化监测，发现异常立即核实上报」)."""

    case = models.ForeignKey(MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE,
                             related_name="monthly_records")
    month = models.DateField("月份")  # the first day of the month
    income = models.DecimalField("当月家庭收入（元）", **_MONEY)
    expenses = models.DecimalField("当月家庭支出（元）", **_MONEY)
    rigid_expenses = models.DecimalField("其中：刚性支出（医疗、教育等，元）", default=Decimal("0.00"), **_MONEY)
    education_secured = models.BooleanField("义务教育有保障")
    medical_secured = models.BooleanField("基本医疗有保障")
    housing_secured = models.BooleanField("住房安全有保障")
    water_secured = models.BooleanField("饮水安全有保障")
    anomaly = models.TextField("发现的异常情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间")
    version = models.PositiveIntegerField("版本号", default=1)

    class Meta:
        verbose_name = "月度监测记录"
        verbose_name_plural = "月度监测记录"
        ordering = ["case", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="monthlyrecord_one_per_month"),
            models.CheckConstraint(condition=Q(income__gte=0) & Q(expenses__gte=0) & Q(rigid_expenses__gte=0),
                                   name="monthlyrecord_amounts_nonnegative"),
            models.CheckConstraint(condition=Q(rigid_expenses__lte=models.F("expenses")),
                                   name="monthlyrecord_rigid_within_expenses"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def three_secured(self) -> bool:
        return self.education_secured and self.medical_secured and self.housing_secured and self.water_secured


class TownshipAnalysis(models.Model):
    """乡镇季度监测分析研判 (「乡镇至少每季度开展一次监测分析研判及帮扶工作部署」)."""

    township = models.ForeignKey(Area, verbose_name="乡镇", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    held_on = models.DateField("研判日期")
    monitored_count = models.PositiveIntegerField("研判时监测对象户数", default=0)
    summary = models.TextField("研判情况及帮扶工作部署")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "乡镇季度研判"
        verbose_name_plural = "乡镇季度研判"
        ordering = ["-year", "-quarter", "township__code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "quarter"], name="townshipanalysis_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="townshipanalysis_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.township.name} {self.year}Q{self.quarter}"


class QuarterlyRefresh(models.Model):
    """季度信息采集 (「原则上每季度集中开展一次防贫监测信息数据采集」): the quarter's data of one case,
    the change of members and the risk level assessed again."""

    case = models.ForeignKey(MonitoringCase, verbose_name="监测对象", on_delete=models.CASCADE,
                             related_name="refreshes")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    risk_level = models.CharField("评估的风险等级", max_length=10, choices=RiskLevel.choices)
    member_changes = models.TextField("家庭成员变化", blank=True)
    note = models.TextField("采集情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "季度信息采集"
        verbose_name_plural = "季度信息采集"
        ordering = ["case", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["case", "year", "quarter"], name="quarterlyrefresh_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="quarterlyrefresh_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"
