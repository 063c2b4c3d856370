"""The assessment process (考核工作) of village work teams, as Zhangwu's 2020 implementation plan runs it:

「采取工作队自评、乡镇初审、县扶贫办考核、市级抽查验收」 — each team assesses itself on 附件1 (signed by the
team leader), the township reviews, the county office assesses and ranks (附件3) and the county leading
group approves (审定), the city spot-checks (四看、两访、一汇总) and the results are published.

An AssessmentRound is one county's assessment of a year under one scheme; an AssessmentEntry is one
team in it. The per-team steps (self → township → county) are a `workflow` review of the entry; the
round-level steps (ranking, approval, spot checks, publication) are the round's own states.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fupin.areas.models import Area


class RoundStatus(models.TextChoices):
    OPEN = "open", "考核中"
    RANKED = "ranked", "已评分排序"
    APPROVED = "approved", "领导小组已审定"
    PUBLISHED = "published", "已公布"


class AssessmentRound(models.Model):
    scheme_id = models.CharField("考核方案", max_length=60)
    year = models.PositiveSmallIntegerField("考核年度")
    county = models.ForeignKey(Area, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=120)
    options = models.JSONField("方案选项", default=dict, blank=True)
    self_due = models.DateField("自评截止日期", null=True, blank=True)
    county_due = models.DateField("县级考核截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间")
    ranked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分排序人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    ranked_at = models.DateTimeField("评分排序时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审定人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    approval_ref = models.CharField("领导小组审定（会议或文号）", max_length=200, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公布人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "考核批次"
        verbose_name_plural = verbose_name
        ordering = ["-year", "county__code", "scheme_id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme_id", "year", "county"], name="assessment_round_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class AssessmentEntry(models.Model):
    round = models.ForeignKey(AssessmentRound, verbose_name="考核批次", on_delete=models.CASCADE,
                              related_name="entries")
    team = models.ForeignKey("workteams.WorkTeam", verbose_name="工作队", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name="所驻村", on_delete=models.PROTECT, related_name="+")
    listing_order = models.PositiveIntegerField("填报顺序")
    # 自评 (附件1, signed by the team leader)
    self_findings = models.JSONField("自评发现", default=dict, blank=True)
    self_score = models.DecimalField("自评得分", max_digits=7, decimal_places=2, null=True, blank=True)
    self_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="自评签字（队长）", null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    self_signer_name = models.CharField("自评签字人", max_length=50, blank=True)
    self_signed_at = models.DateTimeField("自评时间", null=True, blank=True)
    summary = models.TextField("年度工作总结", blank=True)
    # 县级考核评价 (附件1, signed by the head of the county assessment group)
    records = models.JSONField("系统记录计算的发现及证明", default=dict, blank=True)
    county_findings = models.JSONField("考核组补充发现", default=dict, blank=True)
    county_notes = models.JSONField("考核组说明", default=dict, blank=True)
    county_saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="县考核组负责人", null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    county_saved_at = models.DateTimeField("县级评价时间", null=True, blank=True)
    # 排序 (附件3)
    score = models.DecimalField("县级评价得分", max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    tied = models.BooleanField("同分", default=False)
    result = models.JSONField("评分说明", default=dict, blank=True)
    review = models.ForeignKey("workflow.Review", verbose_name="当前审核", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "考核对象"
        verbose_name_plural = verbose_name
        ordering = ["round", "listing_order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "team"], name="assessment_entry_one_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.team.name}（{self.round.year}年度考核）"


class SpotCheck(models.Model):
    """市级抽查验收「四看、两访、一汇总」 of one team."""

    entry = models.OneToOneField(AssessmentEntry, verbose_name="考核对象", on_delete=models.CASCADE,
                                 related_name="spot_check")
    checks = models.JSONField("四看")
    committee_visit = models.TextField("走访村两委")
    household_visits = models.JSONField("抽查走访3户贫困户")
    composite = models.TextField("一汇总（综合评价）")
    checked_on = models.DateField("抽查日期")
    checkers = models.CharField("验收组成员", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "市级抽查验收"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.entry_id} 市级抽查验收 {self.checked_on}"


class MaterialSubmission(models.Model):
    """One item of 附件4 报送材料清单 marked as submitted: by a team (entry) or by the county (no entry)."""

    round = models.ForeignKey(AssessmentRound, verbose_name="考核批次", on_delete=models.CASCADE,
                              related_name="materials")
    entry = models.ForeignKey(AssessmentEntry, verbose_name="工作队", null=True, blank=True,
                              on_delete=models.CASCADE, related_name="materials")
    key = models.CharField("材料", max_length=40)
    submitted_on = models.DateField("报送日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "报送材料"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "key"], name="assessment_material_once"),
            models.UniqueConstraint(fields=["round", "key"], condition=Q(entry__isnull=True),
                                    name="assessment_county_material_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.submitted_on}"


class EvidenceKind(models.TextChoices):
    PROOF = "proof", "工作实绩证明材料"
    DEDUCTION = "deduction", "县级评价扣分证明"


class AssessmentEvidence(models.Model):
    """A supporting file of one team's assessment: the team's proof of achievements, or the county's
    evidence for a deduction (扣分证明, naming the indicator). Kept in the data folder, served only
    through the scoped views."""

    entry = models.ForeignKey(AssessmentEntry, verbose_name="考核对象", on_delete=models.CASCADE,
                              related_name="evidence")
    kind = models.CharField("类型", max_length=10, choices=EvidenceKind.choices)
    indicator = models.CharField("指标", max_length=10, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    file_name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=80, unique=True)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "考核佐证材料"
        verbose_name_plural = verbose_name
        ordering = ["entry", "kind", "indicator", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name
