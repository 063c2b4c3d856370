"""Reviews (审核事项), the steps taken on them, public notices (公示) and objections (异议).

A Review is one change on its way through a process (see processes.py): it points at its subject
(any model row, by content type and id, with a label kept for history), is routed by its area, and
carries the proposer's payload. Every action taken is a ReviewStep, never edited afterwards. A
PublicNotice is one notice period of a NOTICE stage (a return can make a stage post a new one);
Objections are received during it and each is resolved with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from fupin.areas.models import Area


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "审核中"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = (ReviewStatus.PENDING, ReviewStatus.RETURNED)


class StepAction(models.TextChoices):
    PROPOSED = "proposed", "提出申请"
    RESUBMITTED = "resubmitted", "重新提交"
    APPRAISAL_PASSED = "appraisal_passed", "民主评议通过"
    APPRAISAL_FAILED = "appraisal_failed", "民主评议未通过"
    NOTICE_STARTED = "notice_started", "开始公示"
    OBJECTION_ADDED = "objection_added", "登记异议"
    OBJECTION_RESOLVED = "objection_resolved", "处理异议"
    NOTICE_CLOSED = "notice_closed", "公示结束"
    APPROVED = "approved", "同意"
    RETURNED = "returned", "退回"
    REJECTED = "rejected", "不同意"
    ANNOUNCED = "announced", "公告"
    WITHDRAWN = "withdrawn", "撤回"


DECISION_ACTIONS = (StepAction.APPROVED, StepAction.RETURNED, StepAction.REJECTED)
PROPOSAL_ACTIONS = (StepAction.PROPOSED, StepAction.RESUBMITTED)
VOTE_ACTIONS = (StepAction.APPRAISAL_PASSED, StepAction.APPRAISAL_FAILED)


class Review(models.Model):
    kind = models.CharField("审核类型", max_length=64, db_index=True)
    subject_type = models.ForeignKey(ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField("对象ID", max_length=64)
    subject_label = models.CharField("审核对象", max_length=200)
    area = models.ForeignKey(Area, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField("申请内容", default=dict, blank=True)
    stage_data = models.JSONField("各环节登记内容", default=dict, blank=True)
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    stage_index = models.PositiveSmallIntegerField("当前环节序号")
    stage_key = models.CharField("当前环节", max_length=40)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提议人", on_delete=models.PROTECT,
                                 related_name="+")
    version = models.PositiveIntegerField("版本", default=1)
    opened_at = models.DateTimeField("提出时间")
    stage_entered_at = models.DateTimeField("进入当前环节时间")
    due_on = models.DateField("当前环节办理期限", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "审核事项"
        verbose_name_plural = "审核事项"
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["kind", "status", "stage_key"], name="review_kind_status_stage")]
        constraints = [
            # One open review of a kind per subject: a household is not identified twice at once.
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"], condition=Q(status__in=OPEN_STATUSES),
                name="review_one_open_per_subject_kind",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=OPEN_STATUSES) & Q(closed_at__isnull=True))
                | (~Q(status__in=OPEN_STATUSES) & Q(closed_at__isnull=False)),
                name="review_closed_iff_final",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="review_version_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="review_reason_given"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.RETURNED) | Q(stage_index=0), name="review_returned_at_proposal"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label}（{self.kind} #{self.pk}）"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReviewStep(models.Model):
    """One action taken on a review (审核记录). Append-only."""

    review = models.ForeignKey(Review, verbose_name="审核事项", on_delete=models.PROTECT, related_name="steps")
    seq = models.PositiveIntegerField("序号")
    stage_key = models.CharField("环节", max_length=40)
    stage_label = models.CharField("环节名称", max_length=100)
    action = models.CharField("办理动作", max_length=20, choices=StepAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", on_delete=models.PROTECT,
                              related_name="+")
    actor_name = models.CharField("办理人姓名", max_length=150)
    reason = models.TextField("意见/理由", blank=True)
    attendees = models.PositiveIntegerField("实到人数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成票", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对票", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权票", null=True, blank=True)
    minutes = models.TextField("会议记录", blank=True)
    on_date = models.DateField("日期", null=True, blank=True)  # meeting, notice start, announcement
    data = models.JSONField("登记内容", default=dict, blank=True)
    created_at = models.DateTimeField("办理时间")

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["review", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["review", "seq"], name="review_step_seq_unique"),
            models.CheckConstraint(
                condition=~Q(action__in=[StepAction.RETURNED, StepAction.REJECTED, StepAction.WITHDRAWN,
                                         StepAction.RESUBMITTED, StepAction.OBJECTION_RESOLVED]) | ~Q(reason=""),
                name="review_step_reason_required",
            ),
            models.CheckConstraint(
                condition=~Q(action__in=VOTE_ACTIONS) | (
                    Q(attendees__isnull=False, votes_for__isnull=False, votes_against__isnull=False,
                      votes_abstain__isnull=False, on_date__isnull=False) & ~Q(minutes="")
                ),
                name="review_step_appraisal_complete",
            ),
            models.CheckConstraint(
                condition=Q(attendees__isnull=True)
                | Q(attendees__gte=F("votes_for") + F("votes_against") + F("votes_abstain")),
                name="review_step_votes_within_attendees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id}#{self.seq} {self.action}"


class NoticeStatus(models.TextChoices):
    OPEN = "open", "公示中"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已作废"


class PublicNotice(models.Model):
    """One public notice period (公示) of a review's NOTICE stage."""

    review = models.ForeignKey(Review, verbose_name="审核事项", on_delete=models.PROTECT, related_name="notices")
    stage_key = models.CharField("环节", max_length=40)
    starts_on = models.DateField("公示开始日期")
    window_days = models.PositiveSmallIntegerField("公示天数")
    ends_on = models.DateField("公示截止日期")
    place = models.CharField("公示地点", max_length=200, blank=True)
    content = models.TextField("公示内容", blank=True)
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT,
                                   related_name="+")
    started_at = models.DateTimeField("发布时间")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结束人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["review", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review"], condition=Q(status=NoticeStatus.OPEN),
                                    name="notice_one_open_per_review"),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="notice_window_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="notice_ends_after_start"),
            models.CheckConstraint(
                condition=(Q(status=NoticeStatus.OPEN) & Q(closed_at__isnull=True))
                | (~Q(status=NoticeStatus.OPEN) & Q(closed_at__isnull=False)),
                name="notice_closed_iff_not_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.starts_on}–{self.ends_on}"


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class Objection(models.Model):
    """An objection (异议) received during a public notice, often from a villager without an account."""

    notice = models.ForeignKey(PublicNotice, verbose_name="公示", on_delete=models.PROTECT, related_name="objections")
    raised_by = models.CharField("异议人", max_length=100)
    contact = models.CharField("联系方式", max_length=30, blank=True)
    content = models.TextField("异议内容")
    received_on = models.DateField("收到日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间")
    outcome = models.CharField("处理结果", max_length=10, choices=ObjectionOutcome.choices,
                               default=ObjectionOutcome.PENDING)
    resolution = models.TextField("处理意见", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["notice", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(content="") & ~Q(raised_by=""), name="objection_content_given"),
            models.CheckConstraint(
                condition=(Q(outcome=ObjectionOutcome.PENDING) & Q(resolved_at__isnull=True) & Q(resolution=""))
                | (~Q(outcome=ObjectionOutcome.PENDING) & Q(resolved_at__isnull=False) & Q(resolved_by__isnull=False)
                   & ~Q(resolution="")),
                name="objection_resolution_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.raised_by}: {self.content[:30]}"

    @property
    def is_resolved(self) -> bool:
        return self.outcome != ObjectionOutcome.PENDING
