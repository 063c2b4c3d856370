"""Demo data of supervision and rectification for the demo county: the Zhangwu 2020 checklist, a
third-quarter 2020 campaign over three townships with findings at every state (closed, awaiting
verification, sent back, open and overdue — escalated), a department finding, a 回头看 of exited
households with stable and at-risk visits, and the data-quality problems of one village.

Written through the services as the demo accounts, the clock pinned to the days the work happened,
so the ledger reads like a real one. Idempotent: does nothing once the campaign exists.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from fupin.accounts.models import User
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import ApplicationError
from fupin.supervision import lookback, services
from fupin.supervision.checklists import shipped_checklist
from fupin.supervision.models import Campaign, LookbackCheck

COUNTY = "210922"
CAMPAIGN_NAME = "彰武县2020年第三季度脱贫攻坚督查"
LOOKBACK_NAME = "彰武县2020年脱贫质量“回头看”"
TOWNSHIPS = ["210922101", "210922102", "210922103"]
# A 1x1 PNG standing in for the photos a village uploads.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f3b9f20000000049454e44ae426082")

# (area, checklist point, description, severity, responsible, deadline, what happens next)
FINDINGS = [
    ("210922101202", "1.5", "帮扶责任人8月入户走访仅1次，未达到每月至少3次", "general", "village", "09-30", "closed"),
    ("210922101202", "5.3", "2户D级危房翻建后旧房未拆除", "serious", "village", "10-15", "reported"),
    ("210922101203", "3.1", "1名义务教育阶段学生长期请假，劝返工作无记录", "serious", "village", "09-25", "returned"),
    ("210922101203", "8.2", "3户分散供水户取水往返超过10分钟", "general", "village", "10-10", "open"),
    ("210922101", "1.3", "镇党委8月研究脱贫攻坚工作仅1次，少于每月2次", "general", "township", "09-30", "closed"),
    ("210922102201", "2.5", "5户建档立卡户只有1个产业项目，未达到每户2个以上", "serious", "village", "10-20", "open"),
    ("210922102", "4.8", "2个村卫生室未完成标准化建设", "critical", "department:health", "10-31", "reported"),
    ("210922103", "12.1", "镇脱贫攻坚先进典型宣传材料未按时报送", "general", "township", "09-20", "open"),
]


def _upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _record(officer, campaign, checklist, row) -> tuple:
    area, no, text, severity, who, deadline, fate = row
    kind, _sep, department = who.partition(":")
    finding = services.finding_record(
        actor=officer, area_code=area, description=text, severity=severity, responsible_kind=kind,
        responsible_department=department, found_on=dt.date(2020, 9, 8),
        deadline=dt.date.fromisoformat(f"2020-{deadline}"),
        campaign=campaign, checklist_item=checklist.items.get(no=no))
    return finding, fate


def _rectify(finding, fate: str, *, officer, reporter) -> None:
    if fate == "open":
        return
    with clock.pinned(finding.deadline - dt.timedelta(days=3)):
        services.rectification_report(actor=reporter, finding=finding, measures=_measures(finding),
                                      uploads=[_upload("整改后现场照片.png")])
    finding.refresh_from_db()
    if fate == "reported":
        return
    with clock.pinned(finding.deadline):
        if fate == "returned":
            services.finding_return(actor=officer, finding=finding, comment="劝返记录不完整，请补充家访记录和学校回执")
        else:
            services.finding_close(actor=officer, finding=finding, comment="现场核实，整改到位")


def _measures(finding) -> str:
    return f"已按督查要求整改：{finding.description}的问题已逐户落实，附整改后照片。"


def _reporter(finding, users: dict) -> User:
    if finding.responsible_kind == "department":
        return users["county_admin"]
    return {"210922101202": users["clerk"], "210922101203": users["clerk2"], "210922101000": users["township"]}.get(
        finding.responsible_area.code, users["county_admin"])


def _lookback(officer, users: dict) -> dict:
    with clock.pinned(dt.date(2020, 11, 2)):
        campaign = services.campaign_create(
            actor=officer, county_code=COUNTY, kind="lookback", name=LOOKBACK_NAME, year=2020,
            start_date=dt.date(2020, 11, 1), end_date=dt.date(2020, 11, 30), covered_codes=["210922101"],
            sample_percent=10, inspectors="县扶贫办、各乡镇包村干部")
    visited = at_risk = 0
    with clock.pinned(dt.date(2020, 11, 12)):
        for check in LookbackCheck.objects.filter(campaign=campaign, village__code__in=["210922101202",
                                                                                      "210922101203"]):
            clerk = users["clerk"] if check.village.code.endswith("202") else users["clerk2"]
            risky = visited % 3 == 1
            try:
                lookback.lookback_record(
                    actor=clerk, check=check, result="at_risk" if risky else "stable",
                    visited_on=dt.date(2020, 11, 10),
                    note="户主今年患病住院，医疗支出较大，收入下降" if risky else "收入稳定，两不愁三保障均有保障",
                    risk_types=["01"] if risky else [], propose_monitoring=risky)
            except ApplicationError:
                # Monitoring refuses a household it already follows: record the visit only.
                lookback.lookback_record(actor=clerk, check=check, result="at_risk" if risky else "stable",
                                         visited_on=dt.date(2020, 11, 10), note="户主今年患病住院，医疗支出较大",
                                         risk_types=["01"] if risky else [])
            visited += 1
            at_risk += risky
            if visited >= 8:
                break
    return {"campaign": campaign.pk, "sampled": campaign.checks.count(), "visited": visited, "at_risk": at_risk}


def demo_supervision() -> dict:
    if Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
        return {}
    users = {u.username: u for u in User.objects.filter(
        username__in=["officer", "county_admin", "township", "clerk", "clerk2"])}
    officer = users["officer"]
    checklist = shipped_checklist()
    with clock.pinned(dt.date(2020, 9, 8)):
        campaign = services.campaign_create(
            actor=officer, county_code=COUNTY, kind="inspection", name=CAMPAIGN_NAME, year=2020,
            start_date=dt.date(2020, 9, 1), end_date=dt.date(2020, 9, 30), covered_codes=TOWNSHIPS,
            inspectors="县委县政府督查考核室 崔显伟；县扶贫开发领导小组办公室 李志丹；北部战区督导组 田本丰",
            checklist=checklist)
        recorded = [_record(officer, campaign, checklist, row) for row in FINDINGS]
    for finding, fate in recorded:
        _rectify(finding, fate, officer=officer, reporter=_reporter(finding, users))
    result = {"campaign": campaign.pk, "findings": len(recorded), "lookback": _lookback(officer, users)}
    escalated = services.findings_escalate_overdue(actor=None)
    try:
        result["quality"] = services.findings_import_quality(actor=officer, year=2020, area_code="210922101202")
    except ApplicationError:
        result["quality"] = 0
    result["escalated"] = len(escalated)
    audit_event(actor=None, action="supervision.demo", actor_name="demo", details=result)
    return result
