"""The data-quality page (数据质量): issue counts per check and per village, the issues themselves, and
the list as an Excel workbook."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.accounts.access import scope
from fupin.areas.models import Area, AreaLevel
from fupin.core.errors import ValidationFailed
from fupin.registry.io.exporter import content_type
from fupin.registry.quality import CHECKS, CHECKS_BY_ID, summary_by_area, summary_by_check
from fupin.registry.quality_export import area_names, issue_row, quality_workbook
from fupin.registry.quality_store import stored_run
from fupin.registry.selectors import years_available
from fupin.web.decorators import requires

PER_PAGE = 50


def _params(request) -> dict:
    """year, area and check from the query string, checked: a bad value is refused with a message."""
    years = years_available(request.user)
    raw_year = request.GET.get("year", "")
    if raw_year and not raw_year.isdigit():
        raise ValidationFailed(_("年度应为四位数字"), code="bad_year")
    year = int(raw_year) if raw_year else (years[0] if years else 2020)
    check = request.GET.get("check", "")
    if check and check not in CHECKS_BY_ID:
        raise ValidationFailed(_("未知的数据质量检查：%(c)s") % {"c": check}, code="unknown_check")
    return {"year": year, "area": request.GET.get("area", "").strip(), "check": check, "years": years}


def _villages(user):
    return scope(Area.objects.current().filter(level__in=(AreaLevel.TOWNSHIP, AreaLevel.VILLAGE)), user,
                 "registry.view", code_path="code").exclude(name__contains="社区").order_by("code")


@requires("registry.view")
def quality_view(request):
    p = _params(request)
    # 重新检查 (a POST): run the checks again now; otherwise the stored result, refreshed when stale.
    run = stored_run(actor=request.user, year=p["year"], area_code=p["area"], refresh=request.method == "POST")
    issues = [i for i in run.issues if not p["check"] or i.check == p["check"]]
    names = area_names({i.area_code for i in run.issues}, run.year)
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in {"year": p["year"], "area": p["area"], "check": p["check"]}.items() if v}
    by_area = summary_by_area(run)
    for row in by_area:
        row["name"] = names.get(row["area_code"], "")
    return render(request, "registry/quality.html", {
        "run": run, "year": p["year"], "years": p["years"], "area": p["area"], "check": p["check"],
        "checks": CHECKS, "by_check": summary_by_check(run), "by_area": by_area,
        "rows": [{"issue": i, "cells": issue_row(i, names)} for i in page.object_list], "page": page,
        "villages": _villages(request.user), "query": urlencode(query),
    })


@requires("registry.view")
def quality_export_view(request):
    p = _params(request)
    run = stored_run(actor=request.user, year=p["year"], area_code=p["area"],
                     checks=[p["check"]] if p["check"] else None)
    out = io.BytesIO()
    quality_workbook(actor=request.user, run=run, out=out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"数据质量问题_{run.area_code or '全部'}_{run.year}.xlsx",
                        content_type=content_type("xlsx"))
