"""Pages of the assessment process: the rounds, one round (teams, ranking, approval, publication, the
附件4 checklist, the forms), and one team (self-assessment, the county's evaluation with the evidence
from the records, the explained score, the city's spot check)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.accounts.access import actor_prefixes, can
from fupin.areas.models import Area, AreaLevel
from fupin.assessment import services
from fupin.assessment.downloads import ENTRY_FORMS, ROUND_FORMS, download, entry_form, round_form
from fupin.assessment.findings_form import form_parts, parse_findings, parse_notes
from fupin.assessment.materials import BY_KEY
from fupin.assessment.models import RoundStatus, SpotCheck
from fupin.assessment.selectors import scheme_get, schemes_visible
from fupin.assessment.selectors_rounds import (
    entries_visible,
    entry_acts,
    entry_get,
    entry_state,
    materials_table,
    round_get,
    rounds_visible,
    scores_visible,
)
from fupin.core import clock
from fupin.core.errors import ApplicationError
from fupin.core.uploads import file_response
from fupin.web.decorators import requires


def _counties_for(actor) -> list[Area]:
    prefixes = actor_prefixes(actor, "assessment.score")
    return [a for a in Area.objects.filter(level=AreaLevel.COUNTY).order_by("code")
            if any(a.code.startswith(p) or p.startswith(a.code[:6]) for p in prefixes)]


@requires("assessment.view")
def round_list(request):
    counties = _counties_for(request.user)
    if request.method == "POST" and counties:
        try:
            round_ = services.round_create(actor=request.user, scheme_id=request.POST.get("scheme_id", ""),
                                           year=int(request.POST.get("year") or 0),
                                           county_code=request.POST.get("county", ""),
                                           title=request.POST.get("title", ""))
        except (ApplicationError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("年度应为数字")))
        else:
            messages.success(request, _("已建立考核批次：%(t)s") % {"t": round_.title})
            return redirect("assessment:round", round_.pk)
    team_schemes = [s for s in schemes_visible(actor=request.user) if s.subject == "team"]
    return render(request, "assessment/round_list.html", {
        "rounds": rounds_visible(actor=request.user), "counties": counties, "schemes": team_schemes,
        "year": clock.today().year})


@requires("assessment.view")
def round_detail(request, round_id: int):
    round_ = round_get(actor=request.user, round_id=round_id)
    entries = list(entries_visible(actor=request.user, round_=round_))
    for entry in entries:
        entry.state = entry_state(entry)
    county = round_.county.code
    may_score, may_approve = can(request.user, "assessment.score", county), can(request.user, "assessment.approve", county)
    ranked = sorted(entries, key=lambda e: (e.rank or 10**6, e.listing_order))
    return render(request, "assessment/round_detail.html", {
        "round": round_, "entries": entries, "ranked": ranked, "scheme": scheme_get(round_.scheme_id),
        "show_scores": scores_visible(actor=request.user, round_=round_),
        "may_rank": may_score and round_.status in (RoundStatus.OPEN, RoundStatus.RANKED),
        "may_approve": may_approve and round_.status == RoundStatus.RANKED,
        "may_publish": may_approve and round_.status == RoundStatus.APPROVED,
        "may_mark": may_score, "materials": materials_table(round_, entries),
        "round_forms": ROUND_FORMS,
        "statuses": RoundStatus})


@require_POST
@requires("assessment.view")
def round_act(request, round_id: int, act: str):
    round_ = round_get(actor=request.user, round_id=round_id)
    version = request.POST.get("expected_version")
    try:
        if act == "rank":
            services.round_rank(actor=request.user, round_=round_, expected_version=version)
            messages.success(request, _("已按县级考核评价得分排序"))
        elif act == "approve":
            services.round_approve(actor=request.user, round_=round_, expected_version=version,
                                   approval_ref=request.POST.get("approval_ref", ""))
            messages.success(request, _("排序结果已经县脱贫攻坚领导小组审定"))
        elif act == "publish":
            services.round_publish(actor=request.user, round_=round_, expected_version=version)
            messages.success(request, _("考核结果已公布"))
        elif act == "material":
            entry_id = request.POST.get("entry_id")
            entry = entry_get(actor=request.user, entry_id=int(entry_id)) if entry_id else None
            services.material_mark(actor=request.user, round_=round_, key=request.POST.get("key", ""), entry=entry,
                                   submitted_on=request.POST.get("submitted_on") or clock.today(),
                                   note=request.POST.get("note", ""))
            messages.success(request, _("已登记报送：%(t)s") % {"t": BY_KEY[request.POST["key"]].title})
        else:
            messages.error(request, _("未知的操作"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:round", round_.pk)


def _spot_check(entry):
    try:
        return entry.spot_check
    except SpotCheck.DoesNotExist:
        return None


def _entry_page(request, entry, *, posted: dict | None = None, status: int = 200):
    """The team's page; after a refused post the form shows what was typed (`posted`)."""
    scheme = scheme_get(entry.round.scheme_id, options=entry.round.options)
    posted = posted or {}
    acts = entry_acts(actor=request.user, entry=entry)
    records = entry.records or {}
    if acts.county_assess:  # the assessor sees what the records say today, before saving
        records = services.records_snapshot(entry)
    county_base = {**(records.get("findings") or {}), **(entry.county_findings or {})}
    spot = _spot_check(entry)
    notes = parse_notes(scheme, posted["county"]) if "county" in posted else (entry.county_notes or {})
    county_parts = form_parts(scheme, county_base, raw=posted.get("county"))
    for part in county_parts:
        for item in part["items"]:
            item["note"] = notes.get(item["indicator"].id, "")
    return render(request, "assessment/entry_detail.html", {
        "entry": entry, "round": entry.round, "scheme": scheme, "acts": acts,
        "state": entry_state(entry), "summary": posted.get("summary", entry.summary),
        "self_parts": form_parts(scheme, entry.self_findings or {}, raw=posted.get("self")),
        "county_parts": county_parts,
        "evidence": records.get("evidence", []),
        "show_scores": scores_visible(actor=request.user, round_=entry.round), "spot": spot,
        "may_spot_check": (spot is None and entry.round.status == RoundStatus.APPROVED
                           and can(request.user, "assessment.score", entry.area.code)),
        "four_checks": services.FOUR_CHECKS, "visit_slots": range(1, services.HOUSEHOLD_VISITS + 1),
        "spot_posted": posted.get("spot", {}), "entry_forms": ENTRY_FORMS,
        "evidence_files": entry.evidence.select_related("uploaded_by"),
        "may_add_proof": entry.round.status == RoundStatus.OPEN and can(request.user, "assessment.self", entry.area.code)
        and services.is_team_leader(request.user, entry.team),
        "may_add_deduction": can(request.user, "assessment.score", entry.area.code)}, status=status)


@requires("assessment.view")
def entry_detail(request, entry_id: int):
    return _entry_page(request, entry_get(actor=request.user, entry_id=entry_id))


@require_POST
@requires("assessment.view")
def entry_act(request, entry_id: int, act: str):
    entry = entry_get(actor=request.user, entry_id=entry_id)
    scheme = scheme_get(entry.round.scheme_id, options=entry.round.options)
    version, p = request.POST.get("expected_version"), request.POST
    posted: dict = {}
    try:
        if act == "self":
            posted = {"self": p, "summary": p.get("summary", "")}
            services.entry_self_assess(actor=request.user, entry=entry, findings=parse_findings(scheme, p),
                                       summary=posted["summary"], expected_version=version)
            messages.success(request, _("自评已签字提交乡镇初审"))
        elif act == "county":
            submit = p.get("submit") == "1"
            posted = {"county": p}
            services.entry_county_assess(actor=request.user, entry=entry, findings=parse_findings(scheme, p),
                                         notes=parse_notes(scheme, p), expected_version=version, submit=submit)
            messages.success(request, _("县级考核评价已提交") if submit else _("县级考核评价已保存"))
        elif act == "evidence":
            made = services.evidence_add(actor=request.user, entry=entry, uploads=request.FILES.getlist("files"),
                                         kind=p.get("kind", ""), indicator=p.get("indicator", ""),
                                         note=p.get("note", ""))
            messages.success(request, _("已上传佐证材料 %(n)s 个") % {"n": len(made)})
        elif act == "spot":
            posted = {"spot": p}
            services.spot_check_record(
                actor=request.user, entry=entry, checks={k: p.get(f"check-{k}", "") for k in services.FOUR_CHECKS},
                committee_visit=p.get("committee_visit", ""), composite=p.get("composite", ""),
                household_visits=[{"household": p.get(f"household-{i}", ""), "card_checked": p.get(f"card-{i}") == "on",
                                   "evaluation": p.get(f"evaluation-{i}", "")}
                                  for i in range(1, services.HOUSEHOLD_VISITS + 1)],
                checked_on=p.get("checked_on", ""), checkers=p.get("checkers", ""))
            messages.success(request, _("市级抽查验收已登记"))
        else:
            messages.error(request, _("未知的操作"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        for problem in (exc.details.get("problems") or [])[1:6]:
            messages.error(request, problem)
        entry.refresh_from_db()
        return _entry_page(request, entry, posted=posted, status=exc.status)
    return redirect("assessment:entry", entry.pk)


@requires("assessment.view")
def round_download(request, round_id: int, name: str, fmt: str):
    round_ = round_get(actor=request.user, round_id=round_id)
    if not scores_visible(actor=request.user, round_=round_):
        from fupin.core.errors import NotFound

        raise NotFound(_("考核结果公布前，排序表由县级查看"), code="not_published")
    data, filename = round_form(round_=round_, name=name, fmt=fmt)
    return download(data, filename, fmt)


@requires("assessment.view")
def entry_download(request, entry_id: int, name: str, fmt: str):
    entry = entry_get(actor=request.user, entry_id=entry_id)
    data, filename = entry_form(actor=request.user, entry=entry, name=name, fmt=fmt,
                                show_scores=scores_visible(actor=request.user, round_=entry.round))
    return download(data, filename, fmt)


@requires("assessment.view")
def evidence_download(request, entry_id: int, evidence_id: int):
    entry = entry_get(actor=request.user, entry_id=entry_id)
    item = entry.evidence.filter(pk=evidence_id).first()
    if item is None:
        from fupin.core.errors import NotFound

        raise NotFound(_("佐证材料不存在"), code="evidence_not_found")
    response = file_response(services.EVIDENCE_AREA, item.stored_name, item.file_name)
    if response is None:
        messages.error(request, _("佐证材料文件已不在服务器上：%(n)s") % {"n": item.file_name})
        return redirect("assessment:entry", entry.pk)
    return response
