"""公益岗位: public-welfare posts of a village, held by a member of a registered or monitored household,
with their monthly attendance (考勤) and pay (工资发放), both append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area
from fupin.registry.models import Person

from .common import MONEY, AppendOnly


class JobType(models.TextChoices):
    """The posts the PV plan lists (「道路维护员、水利设施管理员、安全饮水工程管理员、村道绿化员、保洁员…」)."""

    ROAD = "road", "道路维护员"
    WATER_WORKS = "water_works", "水利设施管理员"
    DRINKING_WATER = "drinking_water", "安全饮水工程管理员"
    GREENING = "greening", "村道绿化员"
    CLEANER = "cleaner", "保洁员"
    PATROL = "patrol", "安全巡护员"
    FOREST = "forest", "护林防火员"
    ARCHIVE = "archive", "档案管理员"
    CARE = "care", "照料护理员"
    FLOOD = "flood", "防汛抢险员"
    OTHER = "other", "其他公益岗位"


class JobFunding(models.TextChoices):
    PV = "pv", "光伏收益"
    OTHER = "other", "其他资金"


class JobStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    ENDED = "ended", "已解聘"


class PublicJob(models.Model):
    code = models.CharField("岗位编号", max_length=30, unique=True)
    village = models.ForeignKey(Area, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    job_type = models.CharField("岗位类型", max_length=20, choices=JobType.choices)
    funding = models.CharField("资金来源", max_length=20, choices=JobFunding.choices, default=JobFunding.PV)
    holder = models.ForeignKey(Person, verbose_name="上岗人员", on_delete=models.PROTECT, related_name="+")
    monthly_pay = models.DecimalField("月工资（元）", **MONEY)
    starts_on = models.DateField("聘用开始")
    ends_on = models.DateField("聘用结束", null=True, blank=True)
    contract_no = models.CharField("劳务聘用协议编号", max_length=60, blank=True)
    age_exception = models.CharField("超龄特殊情况说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.ACTIVE)
    version = models.PositiveIntegerField("版本号", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公益岗位"
        verbose_name_plural = "公益岗位"
        ordering = ["village", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_pay__gt=0), name="job_pay_positive"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="job_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_job_type_display()}"


class JobAttendance(AppendOnly):
    """月考勤: days on duty in a month; a wrong month is corrected by a reversing entry."""

    job = models.ForeignKey(PublicJob, verbose_name="岗位", on_delete=models.PROTECT, related_name="attendance")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    days = models.SmallIntegerField("出勤天数")
    recorded_on = models.DateField("登记日期")
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "公益岗位考勤"
        verbose_name_plural = "公益岗位考勤"
        ordering = ["job", "year", "month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="job_attendance_month"),
            models.CheckConstraint(condition=Q(days__gte=-31) & Q(days__lte=31), name="job_attendance_days"),
        ]


class JobPayment(AppendOnly):
    """工资发放: the month's pay to the post's holder; a wrong payment is corrected by a reversing entry."""

    job = models.ForeignKey(PublicJob, verbose_name="岗位", on_delete=models.PROTECT, related_name="payments")
    payee = models.ForeignKey(Person, verbose_name="领取人", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("发放日期")
    reverses = models.OneToOneField("self", verbose_name="冲正的记录", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "公益岗位工资发放"
        verbose_name_plural = "公益岗位工资发放"
        ordering = ["job", "year", "month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1) & Q(month__lte=12), name="job_payment_month"),
            models.CheckConstraint(condition=Q(reverses__isnull=False) | Q(amount__gt=0),
                                   name="job_payment_original_positive"),
        ]
