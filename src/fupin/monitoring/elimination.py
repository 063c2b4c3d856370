"""风险消除的条件: whether a monitored household's risk can be marked eliminated.

Each criterion is met, not met, or not evaluable; an elimination is refused while any criterion is
not met, and a criterion that cannot be evaluated is shown as such (the township's visit findings
stand for it), never counted as met.

- Income stably above the monitoring line (「人均可支配收入低于国家扶贫标准1.5倍左右」 is the entry line) in
  each of the last `elimination_stable_months` monthly records (zhangwu-2020@2: 6; the same default for
  packs without it).
- 三保障 secure: the registry's 义务教育/基本医疗/住房安全 and 安全饮水, and the latest monthly record.
- Measures in place: `fupin.assistance.selectors.measure_count(household_id)` at least 1.
- A household with no labour capacity at all stays monitored when `keep_monitoring_without_labour`
  holds (zhangwu-2020@2 and the default: yes; Zhangwu: 「对无劳动能力的监测对象，进一步强化综合性社会保障措施」).
Both are options where the documents are silent (docs/decisions/policy-monitoring-procedure-options.md);
each criterion's detail names the pack (or the default) its value came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from fupin.monitoring import rules
from fupin.registry.models import PersonStatus

MET, NOT_MET, NOT_EVALUABLE = "met", "not_met", "not_evaluable"
STATE_LABELS = {MET: "符合", NOT_MET: "不符合", NOT_EVALUABLE: "无法判定"}
NO_LABOUR_CODES = {"4", "5"}  # 丧失劳动力, 无劳动力 (labour_skill dictionary)


@dataclass
class Criterion:
    key: str
    title: str
    state: str
    detail: str

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "state": self.state, "state_label": STATE_LABELS[self.state],
                "detail": self.detail}


def _months_back(month, n: int) -> list:
    out = []
    y, m = month.year, month.month
    for _i in range(n):
        out.append(month.replace(year=y, month=m, day=1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out


def _with_source(criterion: Criterion, source: str) -> Criterion:
    criterion.detail = _("%(detail)s（依据：%(source)s）") % {"detail": criterion.detail, "source": source}
    return criterion


def _income(case) -> Criterion:
    stable = rules.pack_parameter(case.household, "elimination_stable_months", rules.DEFAULT_STABLE_MONTHS)
    return _with_source(_income_for(case, int(stable.value)), stable.source)


def _income_for(case, months: int) -> Criterion:
    line = rules.income_line(case.household)
    title = _("最近%(n)s个月收入稳定超过监测线（人均 %(line)s 元/年）") % {"n": months, "line": line}
    records = list(case.monthly_records.order_by("-month")[:months])
    if not records:
        return Criterion("income", title, NOT_MET, _("没有月度监测记录"))
    wanted = _months_back(records[0].month, months)
    have = {r.month: r for r in records}
    missing = [m for m in wanted if m not in have]
    if missing:
        return Criterion("income", title, NOT_MET, _("缺少%(n)s个月的记录：%(months)s") % {
            "n": len(missing), "months": "、".join(f"{m:%Y-%m}" for m in sorted(missing))})
    members = max(case.household.member_count or 0, 1)
    below = [r for r in records if (r.income * 12 / members).quantize(Decimal("0.01")) < line]
    if below:
        return Criterion("income", title, NOT_MET, _("%(months)s 人均收入折年低于监测线") % {
            "months": "、".join(f"{r.month:%Y-%m}" for r in sorted(below, key=lambda r: r.month))})
    return Criterion("income", title, MET, _("%(first)s 至 %(last)s 每月人均收入折年均超过监测线") % {
        "first": f"{wanted[-1]:%Y-%m}", "last": f"{wanted[0]:%Y-%m}"})


def _secured(case) -> Criterion:
    h = case.household
    title = _("“三保障”和饮水安全有保障")
    registry = {_("义务教育"): h.compulsory_education_secured, _("基本医疗"): h.basic_medical_secured,
                _("住房安全"): h.housing_secured, _("安全饮水"): h.safe_drinking_water}
    unknown = [k for k, v in registry.items() if v is None]
    failing = [k for k, v in registry.items() if v is False]
    latest = case.monthly_records.order_by("-month").first()
    if latest is not None and not latest.three_secured:
        failing.append(_("%(m)s 月度记录") % {"m": f"{latest.month:%Y-%m}"})
    if failing:
        return Criterion("secured", title, NOT_MET, _("未保障：%(items)s") % {"items": "、".join(failing)})
    if unknown:
        return Criterion("secured", title, NOT_EVALUABLE, _("建档立卡信息未填写：%(items)s") % {"items": "、".join(unknown)})
    return Criterion("secured", title, MET, _("建档立卡信息和最近的月度记录均有保障"))


def measure_count(household_id: int) -> int | None:
    """Measures in place for the household, from the assistance app; None while it offers none."""
    try:
        from fupin.assistance.selectors import measure_count as count
    except ImportError:
        return None
    return int(count(household_id))


def _measures(case) -> Criterion:
    title = _("帮扶措施已落实")
    count = measure_count(case.household_id)
    if count is None:
        return Criterion("measures", title, NOT_EVALUABLE, _("帮扶措施记录不可用，须在乡镇入户核实中确认"))
    if count < 1:
        return Criterion("measures", title, NOT_MET, _("没有已落实的帮扶措施"))
    return Criterion("measures", title, MET, _("已落实%(n)s项帮扶措施") % {"n": count})


def _labour(case) -> Criterion:
    keep = rules.pack_parameter(case.household, "keep_monitoring_without_labour", rules.DEFAULT_KEEP_WITHOUT_LABOUR)
    return _with_source(_labour_for(case, bool(keep.value)), keep.source)


def _labour_for(case, keep: bool) -> Criterion:
    title = _("有劳动能力（无劳动能力的户继续监测）")
    members = [p for p in case.household.persons.all() if p.status == PersonStatus.ACTIVE]
    if not keep:
        return Criterion("labour", title, MET, _("政策包未要求无劳动能力户继续监测"))
    if not members or any(not p.labour_skill for p in members):
        return Criterion("labour", title, NOT_EVALUABLE, _("家庭成员劳动能力未填写完整"))
    if all(p.labour_skill in NO_LABOUR_CODES for p in members):
        return Criterion("labour", title, NOT_MET, _("全家无劳动能力，按政策继续监测，不标注风险消除"))
    return Criterion("labour", title, MET, _("家庭有劳动能力成员"))


def elimination_check(case) -> dict:
    criteria = [_income(case), _secured(case), _measures(case), _labour(case)]
    failing = [c.title for c in criteria if c.state == NOT_MET]
    return {"passed": not failing, "failing": failing,
            "not_evaluable": [c.title for c in criteria if c.state == NOT_EVALUABLE],
            "criteria": [c.as_dict() for c in criteria]}
