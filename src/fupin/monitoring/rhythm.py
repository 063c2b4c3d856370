"""The rhythm of monitoring (R-MON-11, 「村每月对监测对象的收入支出、“三保障”状况开展常态化监测」,
「乡镇至少每季度开展一次监测分析研判及帮扶工作部署」, 「原则上每季度集中开展一次防贫监测信息数据采集」):
writes of the monthly records, the township's quarterly analysis and the quarterly data refresh.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fupin.accounts.access import require
from fupin.areas.models import AreaLevel
from fupin.audit.services import audit_event
from fupin.core import clock
from fupin.core.errors import Conflict, ValidationFailed
from fupin.monitoring.models import (
    CaseEventKind,
    CaseStatus,
    MonitoringCase,
    MonthlyRecord,
    QuarterlyRefresh,
    RiskLevel,
    TownshipAnalysis,
)
from fupin.monitoring.services import _event, _text

MAX_AMOUNT = Decimal("100000000")


def parse_month(value) -> dt.date:
    if isinstance(value, dt.date):
        return value.replace(day=1)
    try:
        year, month = str(value).strip().split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValidationFailed(_("月份格式应为 YYYY-MM，如 2020-05：%(v)s") % {"v": value}, code="bad_month") from None


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1) - dt.timedelta(days=1)


def _amount(value, label: str, errors: dict, key: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        errors[key] = _("%(label)s应为金额：%(v)s") % {"label": label, "v": value}
        return Decimal("0")
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        errors[key] = _("%(label)s应为 0 到 1 亿之间的金额") % {"label": label}
        return Decimal("0")
    return amount.quantize(Decimal("0.01"))


def _flag(value, label: str, errors: dict, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("1", "true", "yes", "是", "on"):
        return True
    if text in ("0", "false", "no", "否", "off", ""):
        return False
    errors[key] = _("%(label)s应为是或否") % {"label": label}
    return False


def _refuse(errors: dict) -> None:
    if errors:
        raise ValidationFailed("；".join(errors.values()), code="invalid", details={"errors": errors})


SECURED = (("education_secured", "义务教育有保障"), ("medical_secured", "基本医疗有保障"),
           ("housing_secured", "住房安全有保障"), ("water_secured", "饮水安全有保障"))


def monthly_record_save(*, actor, case: MonitoringCase, month, data: dict,
                        expected_version: int | None = None) -> MonthlyRecord:
    """Record (or correct, with the version seen) one month's monitoring of a monitored household."""
    require(actor, "monitoring.propose", case.village.code)
    month = parse_month(month)
    errors: dict[str, str] = {}
    values = {"income": _amount(data.get("income"), _("当月家庭收入"), errors, "income"),
              "expenses": _amount(data.get("expenses"), _("当月家庭支出"), errors, "expenses"),
              "rigid_expenses": _amount(data.get("rigid_expenses") or 0, _("刚性支出"), errors, "rigid_expenses")}
    for key, label in SECURED:
        values[key] = _flag(data.get(key), _(label), errors, key)
    values["anomaly"] = str(data.get("anomaly") or "").strip()[:2000]
    if not errors and values["rigid_expenses"] > values["expenses"]:
        errors["rigid_expenses"] = _("刚性支出不能超过当月家庭支出")
    if month > clock.today().replace(day=1):
        errors["month"] = _("不能登记未来月份：%(m)s") % {"m": f"{month:%Y-%m}"}
    if case.status == CaseStatus.SCREENING or case.status == CaseStatus.NOT_INCLUDED:
        errors["case"] = _("只有已纳入监测的对象登记月度监测记录")
    elif case.identified_on and month < case.identified_on.replace(day=1):
        errors["month"] = _("月份早于纳入监测的月份 %(m)s") % {"m": f"{case.identified_on:%Y-%m}"}
    _refuse(errors)
    now = clock.now()
    with transaction.atomic():
        record = MonthlyRecord.objects.select_for_update().filter(case=case, month=month).first()
        if record is None:
            if expected_version not in (None, "", 0):
                raise Conflict(_("该月记录已不存在，请刷新后重试"), code="stale_version")
            try:
                with transaction.atomic():
                    record = MonthlyRecord.objects.create(case=case, month=month, recorded_by=actor,
                                                          recorded_at=now, **values)
            except IntegrityError:
                raise Conflict(_("该月记录已由他人登记，请刷新后重试"), code="stale_version") from None
            before = None
        else:
            if expected_version is None or int(expected_version) != record.version:
                raise Conflict(_("%(m)s 的记录已登记（版本 %(v)s），修改请刷新后重试") % {
                    "m": f"{month:%Y-%m}", "v": record.version}, code="stale_version")
            before = {k: getattr(record, k) for k in values}
            for k, v in values.items():
                setattr(record, k, v)
            record.version += 1
            record.recorded_by, record.recorded_at = actor, now
            record.save()
        audit_event(actor=actor, action="monitoring.monthly_record", target=case, area_code=case.village.code,
                    before=before, after={"month": f"{month:%Y-%m}", **values})
    return record


def township_analysis_save(*, actor, township_code: str, year: int, quarter: int, held_on, summary: str
                           ) -> TownshipAnalysis:
    from fupin.areas.selectors import area_get

    township = area_get(township_code)
    if township.level != AreaLevel.TOWNSHIP:
        raise ValidationFailed(_("季度研判由乡镇登记：%(name)s 不是乡镇") % {"name": township.name}, code="not_a_township")
    require(actor, "monitoring.review", township.code)
    errors: dict[str, str] = {}
    if not isinstance(quarter, int) or not 1 <= quarter <= 4:
        errors["quarter"] = _("季度应为 1 到 4")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("年度无效")
    if not isinstance(held_on, dt.date):
        errors["held_on"] = _("请填写研判日期")
    elif held_on > clock.today():
        errors["held_on"] = _("研判日期不能晚于今天")
    summary = str(summary or "").strip()
    if not summary:
        errors["summary"] = _("请填写研判情况及帮扶工作部署")
    _refuse(errors)
    count = MonitoringCase.objects.filter(village__code__startswith=township.prefix,
                                          status=CaseStatus.MONITORED).count()
    with transaction.atomic():
        try:
            with transaction.atomic():
                analysis = TownshipAnalysis.objects.create(township=township, year=year, quarter=quarter,
                                                           held_on=held_on, summary=summary[:5000],
                                                           monitored_count=count, recorded_by=actor,
                                                           recorded_at=clock.now())
        except IntegrityError:
            raise Conflict(_("%(name)s %(y)s年第%(q)s季度的研判已登记") % {"name": township.name, "y": year, "q": quarter},
                           code="already_recorded") from None
        audit_event(actor=actor, action="monitoring.township_analysis", target=analysis, area_code=township.code,
                    after={"year": year, "quarter": quarter, "held_on": held_on, "monitored_count": count})
    return analysis


def refresh_save(*, actor, case: MonitoringCase, year: int, quarter: int, risk_level: str, member_changes: str = "",
                 note: str = "") -> QuarterlyRefresh:
    """The quarter's data collection of one monitored case; the risk level assessed again becomes the
    case's (「定期评估风险等级」)."""
    require(actor, "monitoring.propose", case.village.code)
    errors: dict[str, str] = {}
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = _("风险等级应为：高风险、中风险、低风险")
    if not isinstance(quarter, int) or not 1 <= quarter <= 4:
        errors["quarter"] = _("季度应为 1 到 4")
    elif quarter_end(year, quarter) < (case.identified_on or clock.today()) or (year, quarter) > quarter_of(clock.today()):
        errors["quarter"] = _("季度应在纳入监测之后、且不晚于本季度")
    if case.status != CaseStatus.MONITORED:
        errors["case"] = _("只有监测中的对象进行季度信息采集")
    _refuse(errors)
    member_changes = _text(member_changes, _("家庭成员变化"), required=False)
    note = _text(note, _("采集情况"), required=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                refresh = QuarterlyRefresh.objects.create(case=case, year=year, quarter=quarter, risk_level=risk_level,
                                                          member_changes=member_changes, note=note,
                                                          recorded_by=actor, recorded_at=clock.now())
        except IntegrityError:
            raise Conflict(_("%(y)s年第%(q)s季度已采集") % {"y": year, "q": quarter}, code="already_recorded") from None
        locked = MonitoringCase.objects.select_for_update().get(pk=case.pk)
        before = locked.risk_level
        if risk_level != locked.risk_level:
            locked.risk_level = risk_level
            locked.version += 1
            locked.updated_at = clock.now()
            locked.save(update_fields=["risk_level", "version", "updated_at"])
        _event(locked, CaseEventKind.REFRESHED, actor, note, {"year": year, "quarter": quarter,
                                                              "risk_level": risk_level, "previous": before})
        audit_event(actor=actor, action="monitoring.refresh", target=locked, area_code=case.village.code,
                    before={"risk_level": before}, after={"year": year, "quarter": quarter, "risk_level": risk_level})
    return refresh
