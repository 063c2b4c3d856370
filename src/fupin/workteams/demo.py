"""Demo work teams: four dispatching units stationing teams in four villages of 哈尔套镇, Zhangwu
(富有村委会 among them), with their members, one replacement, a year (2020) of daily attendance,
the township Party secretary's sign-offs for January to November, work logs, and for 2020 each
team's 年度工作情况 (附件2: funds, village collective income, 驻村工作实绩材料, summary) and a
满意度测评 in November, the month the county assesses the teams.

Written directly in bulk (the data is known to be valid), with one audit event for the run.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from fupin.accounts.models import User
from fupin.areas.models import Area
from fupin.audit.services import audit_event
from fupin.workteams.models import (
    AttendanceDay,
    AttendanceSignoff,
    ChangeKind,
    ChangeReason,
    DispatchingUnit,
    LogKind,
    MemberChange,
    SatisfactionSurvey,
    TeamAnnualReport,
    TeamMember,
    TeamRole,
    UnitLevel,
    WorkLog,
    WorkTeam,
)

COUNTY = "210922"
YEAR = 2020
START, END = dt.date(2020, 1, 1), dt.date(2021, 12, 31)
SIGNED_THROUGH = 11  # December 2020 awaits the township Party secretary's signature

UNITS = [
    ("彰武县卫生健康局", UnitLevel.COUNTY, "局党组脱贫攻坚工作领导小组", "副局长 王立新", "基层卫生股", "局党组书记 刘振宇"),
    ("阜新市生态环境局", UnitLevel.CITY, "局脱贫攻坚工作领导小组", "副局长 陈红", "办公室", "局党组书记 高志远"),
    ("辽宁省农业农村厅", UnitLevel.PROVINCE, "厅定点帮扶工作领导小组", "副厅长 赵国栋", "计划财务处", "厅党组书记 孙建平"),
    ("彰武县教育局", UnitLevel.COUNTY, "局脱贫攻坚工作领导小组", "副局长 李秀梅", "计财室", "局党组书记 张宏伟"),
]
# village code, team name, unit index, members: (name, role, sex, age, education, politics, phone, transferred)
TEAMS = [
    ("210922101202", "县卫健局驻富有村工作队", 0, [
        ("周明", TeamRole.FIRST_SECRETARY, "male", 42, "bachelor", "party_member", "13904180101", True),
        ("吴海燕", TeamRole.MEMBER, "female", 35, "bachelor", "party_member", "13904180102", True),
        ("郑旭", TeamRole.MEMBER, "male", 29, "college", "league", "13904180103", False),
    ]),
    ("210922101203", "市生态环境局驻黄花山村工作队", 1, [
        ("冯建军", TeamRole.FIRST_SECRETARY, "male", 46, "postgraduate", "party_member", "13804180201", True),
        ("何丽", TeamRole.MEMBER, "female", 38, "bachelor", "party_member", "13804180202", True),
        ("韩磊", TeamRole.MEMBER, "male", 31, "bachelor", "party_member", "13804180203", True),
    ]),
    ("210922101204", "省农业农村厅驻柳树村工作队", 2, [
        ("杨志刚", TeamRole.FIRST_SECRETARY, "male", 39, "postgraduate", "party_member", "13704180301", True),
        ("朱婷", TeamRole.MEMBER, "female", 33, "postgraduate", "party_member", "13704180302", True),
        ("秦宇", TeamRole.MEMBER, "male", 28, "bachelor", "probationary", "13704180303", True),
        ("许文博", TeamRole.MEMBER, "male", 50, "college", "party_member", "13704180304", True),
    ]),
    ("210922101206", "县教育局驻东哈尔套村工作队", 3, [
        ("马俊", TeamRole.FIRST_SECRETARY, "male", 44, "bachelor", "party_member", "13604180401", True),
        ("林静", TeamRole.MEMBER, "female", 36, "bachelor", "party_member", "13604180402", False),
        ("罗强", TeamRole.MEMBER, "male", 40, "secondary", "masses", "13604180403", False),
    ]),
]
# 黄花山: 韩磊 transferred back to the city in July; 曹亮 replaced him.
REPLACEMENT = ("210922101203", "韩磊", dt.date(2020, 7, 10),
               ("曹亮", TeamRole.MEMBER, "male", 34, "bachelor", "party_member", "13804180204", True),
               "阜环组〔2020〕18号，经彰武县驻村工作领导小组批准")
LOG_TOPICS = [
    (LogKind.WORK, "召开村“两委”会议，研究{m}月产业项目推进和贫困户巩固措施。"),
    (LogKind.DIARY, "入户走访{n}户贫困户，核实收入和“两不愁三保障”情况，更新帮扶记录卡。"),
    (LogKind.WORK, "组织党员学习《中国共产党农村基层组织工作条例》，开展主题党日活动。"),
    (LogKind.DIARY, "协调县卫健局为{n}名慢病患者落实家庭医生签约随访。"),
    (LogKind.WORK, "检查村集体光伏电站运行和收益分配台账，督促按时公示。"),
]


# village → (unit investment, coordinated project funds, goods, village collective income) in 万元;
# (village respondents, satisfied), (poor households asked, satisfied); and what the team did. The
# provincial department brings the most, as such units did; every figure leaves out investment-type
# funds and loans coordinated for households.
ANNUAL = {
    "210922101202": (("8.50", "46.00", "3.20", "6.80"), (30, 28), (36, 33), {
        "1": "研究制定村级党务和村务管理制度4项，召开两委会议24次，开展党员培训6次，选拔村级后备干部3名，培养入党积极分子3名",
        "4": "帮扶12个养殖户、8个种植户扩大生产，协调贴息贷款为其中6户各申请5万元",
        "5": "协调投入46万元，硬化村内水泥路3.2公里，铺设砂石路1.5公里",
        "13": "化解邻里、土地、家庭等矛盾纠纷7起"}),
    "210922101203": (("15.00", "82.50", "5.60", "9.20"), (30, 29), (42, 40), {
        "1": "研究制定村务公开和财务管理制度5项，召开两委会议26次，培养入党积极分子4名",
        "6": "协调投入18万元建设沼气池项目，处理22个养殖户粪污",
        "8": "协调美丽乡村建设项目2个，投入64.5万元",
        "12": "为村小学捐赠图书、文体器材折合人民币2.6万元"}),
    "210922101204": (("60.00", "210.00", "12.80", "15.50"), (30, 30), (40, 39), {
        "2": "投资20万元对村部和文化广场进行改扩建，捐赠办公、音像和文体设备折合8万元，建设公示亭1座",
        "4": "帮扶25个养殖户、18个种植户扩大生产",
        "9": "协调高标准田建设项目1200亩，投入150万元",
        "10": "协调秸秆腐熟剂试验项目500亩，投入4.8万元",
        "11": "开办“爱心超市”，接受捐赠3.6万元，帮助贫困人口86人、贫困学生12人"}),
    "210922101206": (("5.00", "28.00", "6.50", "4.30"), (30, 26), (38, 33), {
        "1": "召开两委会议20次，开展党员培训4次，培养入党积极分子3名",
        "7": "争取补贴资金6万元，为40个农户落实节能炉改造项目",
        "12": "为村小学捐赠图书、文体器材折合人民币6.5万元",
        "14": "组织教师志愿者为留守儿童开展假期课业辅导"}),
}
SURVEYED_ON = dt.date(YEAR, 11, 18)
SUMMARY = ("{year}年，工作队围绕脱贫攻坚收官，落实“两不愁三保障”，推进产业项目和基础设施建设，"
           "坚持入户走访和帮扶记录，投入和协调资金共{total}万元，所驻村集体收入达到{income}万元。")


def _annual(teams: list[WorkTeam], author) -> tuple[int, int]:
    """The 2020 annual report and November survey of each demo team that has none yet."""
    have_report = set(TeamAnnualReport.objects.filter(team__in=teams, year=YEAR).values_list("team_id", flat=True))
    have_survey = set(SatisfactionSurvey.objects.filter(team__in=teams, year=YEAR).values_list("team_id", flat=True))
    reports, surveys = [], []
    for team in teams:
        amounts, village, households, items = ANNUAL[team.village.code]
        unit, coordinated, goods, income = (Decimal(a) for a in amounts)
        if team.pk not in have_report:
            reports.append(TeamAnnualReport(
                team=team, year=YEAR, unit_investment=unit, coordinated_funds=coordinated, goods_value=goods,
                village_collective_income=income, achievements=items, updated_by=author,
                summary=SUMMARY.format(year=YEAR, total=unit + coordinated + goods, income=income)))
        if team.pk not in have_survey:
            surveys.append(SatisfactionSurvey(
                team=team, year=YEAR, surveyed_on=SURVEYED_ON, village_respondents=village[0],
                village_satisfied=village[1], household_respondents=households[0],
                household_satisfied=households[1], note="县考核组入村测评", recorded_by=author))
    TeamAnnualReport.objects.bulk_create(reports)
    SatisfactionSurvey.objects.bulk_create(surveys)
    return len(reports), len(surveys)


def _working_days(month: dt.date, rng: random.Random, target: int) -> list[dt.date]:
    """About `target` days of the month on duty, weekdays first."""
    days = []
    day = month
    while day.month == month.month:
        days.append(day)
        day += dt.timedelta(days=1)
    weekdays = [d for d in days if d.weekday() < 5]
    weekend = [d for d in days if d.weekday() >= 5]
    rng.shuffle(weekend)
    chosen = (weekdays + weekend)[:target] if target > len(weekdays) else rng.sample(weekdays, target)
    return sorted(chosen)


def _months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


@transaction.atomic
def demo_workteams(*, seed: int = 2020) -> dict:
    """Create the demo teams unless 富有村委会 already has one. Returns counts (zeros: already there)."""
    counts = {"units": 0, "teams": 0, "members": 0, "attendance_days": 0, "signoffs": 0, "logs": 0}
    if WorkTeam.objects.filter(village__code=TEAMS[0][0]).exists():
        # A demo made before the annual reports existed gets them; the counts stay those of the teams.
        demo_teams = list(WorkTeam.objects.select_related("village").filter(
            village__code__in=ANNUAL, name__in=[t[1] for t in TEAMS], start_date=START))
        added = _annual(demo_teams, User.objects.filter(username="officer").first())
        if any(added):
            audit_event(actor=None, action="workteam.demo", area_code=COUNTY.ljust(12, "0"), actor_name="demo",
                        details={"annual_reports": added[0], "surveys": added[1]})
        return counts
    rng = random.Random(seed)
    county = Area.objects.current().get(code=COUNTY.ljust(12, "0"))
    secretary = User.objects.filter(username="township").first()
    member_user = User.objects.filter(username="workteam").first()
    clerk = User.objects.filter(username="clerk").first()
    officer = User.objects.filter(username="officer").first()
    units = []
    teams = []
    for name, level, body, leader, division, first in UNITS:
        unit, created = DispatchingUnit.objects.get_or_create(
            county=county, name=name,
            defaults={"level": level, "leading_body": body, "leading_body_since": dt.date(2019, 12, 20),
                      "leader_in_charge": leader, "responsible_division": division, "party_secretary": first})
        units.append(unit)
        counts["units"] += int(created)
    attendance: list[AttendanceDay] = []
    for code, team_name, unit_index, roster in TEAMS:
        village = Area.objects.current().get(code=code)
        team = WorkTeam.objects.create(unit=units[unit_index], village=village, name=team_name, start_date=START,
                                       end_date=END)
        teams.append(team)
        counts["teams"] += 1
        members = []
        for name, role, sex, age, education, politics, phone, transferred in roster:
            members.append(TeamMember.objects.create(
                team=team, name=name, role=role, sex=sex, age=age, education=education, political_status=politics,
                phone=phone, joined_on=START, party_relation_transferred=transferred,
                user=member_user if name == "周明" else None))
        if code == REPLACEMENT[0]:
            leaving = next(m for m in members if m.name == REPLACEMENT[1])
            leaving.left_on = REPLACEMENT[2] - dt.timedelta(days=1)
            leaving.save(update_fields=["left_on"])
            name, role, sex, age, education, politics, phone, transferred = REPLACEMENT[3]
            arriving = TeamMember.objects.create(
                team=team, name=name, role=role, sex=sex, age=age, education=education, political_status=politics,
                phone=phone, joined_on=REPLACEMENT[2], party_relation_transferred=transferred)
            MemberChange.objects.create(team=team, kind=ChangeKind.REPLACE, member_out=leaving, member_in=arriving,
                                        reason=ChangeReason.TRANSFER, reason_detail="调回市局机关工作",
                                        effective_on=REPLACEMENT[2], approval_ref=REPLACEMENT[4])
            members.append(arriving)
        counts["members"] += len(members)
        totals: dict[dt.date, int] = {}
        for member in members:
            for month in _months(YEAR):
                # Most months 20-23 days; now and then a short month (a course, sick leave, harvest).
                target = rng.choice([20, 21, 21, 22, 22, 23]) if rng.random() > 0.06 else rng.randint(14, 19)
                for day in _working_days(month, rng, target):
                    if member.active_on(day):
                        attendance.append(AttendanceDay(member=member, day=day, recorded_by=clerk))
                        totals[month] = totals.get(month, 0) + 1
        if secretary is not None:
            signed = [AttendanceSignoff(team=team, month=month, signed_by=secretary, signer_name=secretary.display_name,
                                        signed_at=dt.datetime.combine(month.replace(month=month.month + 1, day=3),
                                                                      dt.time(10, 0), tzinfo=dt.UTC),
                                        days_total=totals.get(month, 0))
                      for month in _months(YEAR)[:SIGNED_THROUGH]]
            AttendanceSignoff.objects.bulk_create(signed)
            counts["signoffs"] += len(signed)
        logs = []
        for month in _months(YEAR):
            for _n in range(3):
                kind, text = rng.choice(LOG_TOPICS)
                author = rng.choice([m for m in members if m.active_on(month.replace(day=15))])
                logs.append(WorkLog(team=team, day=month.replace(day=rng.randint(1, 28)), kind=kind,
                                    content=text.format(m=month.month, n=rng.randint(3, 12)),
                                    author=member_user if author.name == "周明" else None, author_name=author.name))
        WorkLog.objects.bulk_create(logs)
        counts["logs"] += len(logs)
    AttendanceDay.objects.bulk_create(attendance, batch_size=2000)
    counts["attendance_days"] = len(attendance)
    reports, surveys = _annual(teams, officer)
    audit_event(actor=None, action="workteam.demo", area_code=county.code, actor_name="demo",
                details={**counts, "annual_reports": reports, "surveys": surveys})
    return counts
