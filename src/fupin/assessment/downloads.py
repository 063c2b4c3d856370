"""The official forms of one round or one team, filled from the process's records: 附件1 (self and
county versions), 附件2, 附件3 and 附件4, each as .xlsx or as a PDF for signing."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fupin.accounts.access import can_see_pii
from fupin.areas.models import Area
from fupin.assessment import forms
from fupin.assessment.models import AssessmentEntry, AssessmentRound, RoundStatus
from fupin.assessment.selectors import scheme_get
from fupin.assessment.services import round_run, score_findings
from fupin.core.errors import Conflict, NotFound
from fupin.core.uploads import PDF, XLSX, attachment
from fupin.core.validators import mask_phone
from fupin.workteams.selectors import annual_report, team_members

FORMATS = ("xlsx", "pdf")
ROUND_FORMS = {"ranking": "附件3 县级排序表"}
ENTRY_FORMS = {"self": "附件1 驻村工作队自评表", "county": "附件1 县级考核评价表",
               "situation": "附件2 工作情况表", "materials": "附件4 报送材料清单"}


def download(data: bytes, filename: str, fmt: str):
    """A form (.xlsx or .pdf) as a download."""
    return attachment(data, filename, XLSX if fmt == "xlsx" else PDF)


def _render(kind: str, fmt: str, *args, **kwargs) -> bytes:
    if fmt == "pdf":
        return forms.form_pdf(kind, *args, **kwargs)
    return getattr(forms, f"{kind}_xlsx")(*args, **kwargs)


def _check(fmt: str, name: str, known: dict) -> None:
    if fmt not in FORMATS or name not in known:
        raise NotFound(_("没有这种表格：%(n)s.%(f)s") % {"n": name, "f": fmt}, code="unknown_form")


def round_form(*, round_: AssessmentRound, name: str, fmt: str) -> tuple[bytes, str]:
    _check(fmt, name, ROUND_FORMS)
    if round_.status == RoundStatus.OPEN:
        raise Conflict(_("尚未评分排序，还没有县级排序表"), code="not_ranked")
    entries = sorted(round_.entries.select_related("team__unit"), key=lambda e: e.rank or 0)
    rows = [{"unit": e.team.unit.name, "team": e.team.name, "score": e.score, "rank": e.rank} for e in entries]
    data = _render("county_ranking", fmt, rows, county_name=round_.county.name, year=round_.year,
                   signed_on=round_.approved_at.date() if round_.approved_at else None)
    return data, f"{round_.county.name}{round_.year}年度驻村工作队县级排序表.{fmt}"


def _situation_info(actor, entry: AssessmentEntry) -> dict:
    team, year = entry.team, entry.round.year
    report = annual_report(team=team, year=year)
    show_phone = can_see_pii(actor, entry.area.code)
    township = (Area.objects.current().filter(code=entry.area.parent_code).values_list("name", flat=True).first()
                or "")
    members = [{"name": m.name, "role": m.get_role_display(), "gender": m.get_sex_display(), "age": m.age,
                "education": m.get_education_display(), "political_status": m.get_political_status_display(),
                "phone": m.phone if show_phone else mask_phone(m.phone), "adjusted_on": m.joined_on,
                "days": getattr(m, "days_stationed", None)}
               for m in team_members(actor=actor, team=team, current_only=True)]
    info = {"year": year, "unit_name": team.unit.name, "county": entry.round.county.name, "township": township,
            "village": entry.area.name, "members": members, "achievements": entry.summary[:500]}
    if report is not None:
        info.update(funds_unit=report.unit_investment, funds_coordinated=report.coordinated_funds + report.goods_value,
                    materials=[report.achievements.get(str(i)) or None for i in range(1, 15)])
    return info


def entry_form(*, actor, entry: AssessmentEntry, name: str, fmt: str, show_scores: bool) -> tuple[bytes, str]:
    _check(fmt, name, ENTRY_FORMS)
    round_, team = entry.round, entry.team
    scheme = scheme_get(round_.scheme_id, options=round_.options)
    title = f"{team.name}_{ENTRY_FORMS[name].split()[1]}.{fmt}"
    village = f"{round_.county.name}{entry.area.name}"
    if name == "self":
        if not entry.self_signed_at:
            raise Conflict(_("工作队尚未自评"), code="not_self_assessed")
        result = score_findings(round_, entry, entry.self_findings)
        return _render("score_sheet", fmt, scheme, result, version="self", subject_name=team.name,
                       unit_name=team.unit.name, village_label=village, signer_label=entry.self_signer_name,
                       signed_on=entry.self_signed_at.date()), title
    if name == "county":
        if not show_scores or round_.status == RoundStatus.OPEN:
            raise Conflict(_("县级考核评价表在评分排序后提供"), code="not_ranked")
        result = round_run(round_).subject(str(entry.pk))
        signer = entry.county_saved_by.display_name if entry.county_saved_by_id else ""
        return _render("score_sheet", fmt, scheme, result, version="county", subject_name=team.name,
                       unit_name=team.unit.name, village_label=village, signer_label=signer,
                       signed_on=entry.county_saved_at.date() if entry.county_saved_at else None), title
    if name == "situation":
        return _render("team_situation", fmt, _situation_info(actor, entry)), title
    done = {(m.entry_id, m.key): m for m in round_.materials.all()}
    items = [{"key": key, "submitted": True, "submitted_on": m.submitted_on, "note": m.note}
             for (entry_id, key), m in done.items() if entry_id in (entry.pk, None)]
    return _render("materials_checklist", fmt, items, year=round_.year, subject_name=team.name), title
