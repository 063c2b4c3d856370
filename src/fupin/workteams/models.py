"""驻村工作队: dispatching units, the teams they station in villages, members, member changes,
daily attendance with the township Party secretary's monthly sign-off, and work logs.

Every record is scoped by the village the team is stationed in (a dispatching unit by the county
that keeps its record), so `fupin.accounts.access.scope` applies with ``village__code``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fupin.areas.models import Area
from fupin.core.validators import validate_phone


class UnitLevel(models.TextChoices):
    PROVINCE = "province", "省（中）直"
    CITY = "city", "市直"
    COUNTY = "county", "县直"


class DispatchingUnit(models.Model):
    """派出单位（帮扶单位）: the body that dispatches a team and answers for it."""

    county = models.ForeignKey(Area, verbose_name="登记县（市、区）", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("单位名称", max_length=100)
    level = models.CharField("单位层级", max_length=10, choices=UnitLevel.choices)
    leading_body = models.CharField("脱贫攻坚工作领导机构", max_length=200, blank=True)
    leading_body_since = models.DateField("领导机构建立（调整）日期", null=True, blank=True)
    leader_in_charge = models.CharField("分管领导", max_length=50, blank=True)
    responsible_division = models.CharField("责任处室", max_length=100, blank=True)
    party_secretary = models.CharField("党委（党组）书记（第一责任人）", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "派出单位"
        verbose_name_plural = "派出单位"
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="unit_name_unique_in_county")]

    def __str__(self) -> str:
        return self.name


class WorkTeam(models.Model):
    """驻村工作队: one team stationed in one village for a period (一村一队)."""

    unit = models.ForeignKey(DispatchingUnit, verbose_name="派出单位", on_delete=models.PROTECT, related_name="teams")
    village = models.ForeignKey(Area, verbose_name="所驻村", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("工作队名称", max_length=100)
    start_date = models.DateField("驻村开始日期")
    end_date = models.DateField("驻村结束日期")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "驻村工作队"
        verbose_name_plural = "驻村工作队"
        ordering = ["village__code", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="team_period_valid"),
            models.UniqueConstraint(fields=["village", "start_date"], name="team_village_start_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day) -> bool:
        return self.start_date <= day <= self.end_date


class TeamRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", "第一书记（队长）"
    LEADER = "leader", "队长"
    MEMBER = "member", "队员"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", "研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专或高中"
    JUNIOR = "junior", "初中及以下"


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", "中共党员"
    PROBATIONARY = "probationary", "中共预备党员"
    LEAGUE = "league", "共青团员"
    DEMOCRATIC = "democratic", "民主党派"
    MASSES = "masses", "群众"


class TeamMember(models.Model):
    """驻村队员: the columns of 附件2 现任驻村队员情况 (姓名、队内职务、性别、年龄、学历、政治面貌、
    联系电话、驻村调整时间、驻村天数 — the last counted from attendance)."""

    team = models.ForeignKey(WorkTeam, verbose_name="工作队", on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("队内职务", max_length=20, choices=TeamRole.choices)
    sex = models.CharField("性别", max_length=6, choices=Sex.choices)
    age = models.PositiveSmallIntegerField("年龄")
    education = models.CharField("学历", max_length=20, choices=Education.choices)
    political_status = models.CharField("政治面貌", max_length=20, choices=PoliticalStatus.choices)
    phone = models.CharField("联系电话", max_length=20, validators=[validate_phone])
    joined_on = models.DateField("驻村调整时间（到岗）")
    left_on = models.DateField("离队日期", null=True, blank=True)
    party_relation_transferred = models.BooleanField("组织关系已转到所驻乡或村党组织", default=False)
    released_from_unit_duties = models.BooleanField("驻村期间不承担原单位工作", default=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="系统账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "驻村队员"
        verbose_name_plural = "驻村队员"
        ordering = ["team", "left_on", "role", "joined_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(age__gte=18) & Q(age__lte=70), name="member_age_range"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                                   name="member_left_after_joined"),
            models.UniqueConstraint(fields=["team"], condition=Q(role="first_secretary", left_on__isnull=True),
                                    name="one_current_first_secretary"),
        ]

    def __str__(self) -> str:
        return self.name

    def active_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class ChangeKind(models.TextChoices):
    JOIN = "join", "新增队员"
    LEAVE = "leave", "队员离队"
    REPLACE = "replace", "调换队员"


class ChangeReason(models.TextChoices):
    HEALTH = "health", "身体原因"
    TRANSFER = "transfer", "工作调动"
    RECALL = "recall", "不胜任召回"
    TERM_END = "term_end", "任期届满"
    OTHER = "other", "其他"


class MemberChange(models.Model):
    """人员调整: a member leaves, joins or is replaced, with the approval it rests on
    (派出单位申请，经县驻村工作领导小组批准)."""

    team = models.ForeignKey(WorkTeam, verbose_name="工作队", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("调整类型", max_length=10, choices=ChangeKind.choices)
    member_out = models.ForeignKey(TeamMember, verbose_name="离队队员", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    member_in = models.ForeignKey(TeamMember, verbose_name="新到队员", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("调整原因", max_length=10, choices=ChangeReason.choices)
    reason_detail = models.CharField("原因说明", max_length=300, blank=True)
    effective_on = models.DateField("调整日期")
    approval_ref = models.CharField("批准文号或批准说明", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "人员调整"
        verbose_name_plural = "人员调整"
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="join", member_in__isnull=False, member_out__isnull=True)
                           | Q(kind="leave", member_out__isnull=False, member_in__isnull=True)
                           | Q(kind="replace", member_out__isnull=False, member_in__isnull=False)),
                name="change_members_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.get_kind_display()} {self.effective_on}"


class AttendanceDay(models.Model):
    """考勤: one day a member was on duty in the village, registered day by day (逐日登记)."""

    member = models.ForeignKey(TeamMember, verbose_name="队员", on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField("在岗日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "考勤记录"
        verbose_name_plural = "考勤记录"
        ordering = ["member", "day"]
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="attendance_member_day_unique")]

    def __str__(self) -> str:
        return f"{self.member} {self.day}"


class AttendanceSignoff(models.Model):
    """月度考勤表签字: the township Party secretary signs a team's month once (乡镇党委书记签字)."""

    team = models.ForeignKey(WorkTeam, verbose_name="工作队", on_delete=models.CASCADE, related_name="signoffs")
    month = models.DateField("月份（当月1日）")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签字人", on_delete=models.PROTECT,
                                  related_name="+")
    signer_name = models.CharField("签字人姓名", max_length=50)
    signed_at = models.DateTimeField("签字时间")
    days_total = models.PositiveIntegerField("当月在岗人天合计")

    class Meta:
        verbose_name = "考勤签字"
        verbose_name_plural = "考勤签字"
        ordering = ["team", "month"]
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="signoff_once_per_team_month")]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}"


class LogKind(models.TextChoices):
    WORK = "work", "驻村工作日志"
    DIARY = "diary", "民情日记"


class WorkLog(models.Model):
    """驻村工作日志 / 民情日记."""

    team = models.ForeignKey(WorkTeam, verbose_name="工作队", on_delete=models.CASCADE, related_name="logs")
    day = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=LogKind.choices, default=LogKind.WORK)
    content = models.TextField("内容")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField("记录人姓名", max_length=50)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作日志"
        verbose_name_plural = "工作日志"
        ordering = ["-day", "-pk"]

    def __str__(self) -> str:
        return f"{self.team} {self.day}"


# 驻村工作实绩材料（模板）, 附件2: the fourteen items a team reports, each "×" a figure it fills in.
ACHIEVEMENT_ITEMS = {
    "1": "研究制定村级党务和村务管理制度、召开两委会议、党员走访培训、选拔村级后备干部和入党积极分子",
    "2": "投资对村部和文化广场进行改扩建，捐赠办公、音像、文体设备，建设公示亭，开通远程党员教育设备",
    "3": "协调资金建设满族风情文化广场、启动满族村寨项目",
    "4": "帮扶养殖户、种植户扩大生产，协调无息贷款",
    "5": "协调投入资金对村内道路进行整体规划建设（水泥路、砂石路、户户通）",
    "6": "协调投入资金建设沼气池项目，处理养殖户粪污",
    "7": "争取补贴资金，为农户落实节能炉改造项目",
    "8": "协调美丽乡村建设项目",
    "9": "协调高标准田建设项目",
    "10": "协调秸秆腐熟剂试验项目",
    "11": "开办“爱心超市”，接受捐赠，帮助贫困人口和贫困学生",
    "12": "为村小学捐赠图书、文体器材",
    "13": "化解邻里、土地、家庭等矛盾纠纷",
    "14": "其他工作",
}


_WAN_YUAN = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}


class TeamAnnualReport(models.Model):
    """驻村工作队年度工作情况 (附件2 工作情况表): the funds a team's unit put in and coordinated, the
    village's collective income, the 14-item 驻村工作实绩材料 and the 工作总结, one per team and year.
    Amounts in 万元, as the form writes them. 「投入资金情况不包括投资性资金」: investment-type funds and
    loans coordinated for households are not entered here."""

    team = models.ForeignKey(WorkTeam, verbose_name="工作队", on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    unit_investment = models.DecimalField("帮扶单位投入资金数（万元）", **_WAN_YUAN)
    coordinated_funds = models.DecimalField("协调落实驻村项目资金（万元）", **_WAN_YUAN)
    goods_value = models.DecimalField("物资折款（万元）", **_WAN_YUAN)
    village_collective_income = models.DecimalField("所驻村集体收入（万元）", **_WAN_YUAN)
    achievements = models.JSONField("驻村工作实绩材料", default=dict, blank=True)
    summary = models.TextField("工作总结", blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "驻村工作队年度工作情况"
        verbose_name_plural = "驻村工作队年度工作情况"
        ordering = ["team", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["team", "year"], name="annual_report_once_per_team_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="annual_report_year_range"),
            models.CheckConstraint(
                condition=Q(unit_investment__gte=0) & Q(coordinated_funds__gte=0) & Q(goods_value__gte=0)
                & Q(village_collective_income__gte=0),
                name="annual_report_amounts_nonnegative"),
            models.CheckConstraint(condition=Q(version__gte=1), name="annual_report_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.year}"

    @property
    def total_funds(self) -> Decimal:
        """投入资金总数: the unit's own funds, the project funds it coordinated and goods at their value."""
        return self.unit_investment + self.coordinated_funds + self.goods_value


class SatisfactionSurvey(models.Model):
    """满意度测评: how many of the village's respondents and of the poor households asked were satisfied
    with the team (indicator 24: 所驻村满意度（%）×4 + 贫困户满意度（%）×4)."""

    team = models.ForeignKey(WorkTeam, verbose_name="工作队", on_delete=models.CASCADE, related_name="surveys")
    year = models.PositiveSmallIntegerField("年度")
    surveyed_on = models.DateField("测评日期")
    village_respondents = models.PositiveIntegerField("所驻村参与测评人数")
    village_satisfied = models.PositiveIntegerField("所驻村满意人数")
    household_respondents = models.PositiveIntegerField("参与测评贫困户数")
    household_satisfied = models.PositiveIntegerField("满意贫困户数")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["team", "-surveyed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(village_respondents__gte=1) & Q(household_respondents__gte=1),
                                   name="survey_has_respondents"),
            models.CheckConstraint(condition=Q(village_satisfied__lte=F("village_respondents"))
                                   & Q(household_satisfied__lte=F("household_respondents")),
                                   name="survey_satisfied_within_respondents"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="survey_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.surveyed_on}"

    @staticmethod
    def percent(satisfied: int, respondents: int) -> Decimal:
        """satisfied ÷ respondents × 100, to two places (a whole 100 when everyone was satisfied)."""
        return (Decimal(satisfied) * 100 / Decimal(respondents)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def village_percent(self) -> Decimal:
        return self.percent(self.village_satisfied, self.village_respondents)

    @property
    def household_percent(self) -> Decimal:
        return self.percent(self.household_satisfied, self.household_respondents)
