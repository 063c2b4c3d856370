"""Pages: the scoring schemes and each one's indicators, rules, options and grades."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.assessment.presenters import scheme_detail
from fupin.assessment.selectors import scheme_for, schemes_visible
from fupin.web.decorators import requires
from fupin.web.tables import Column, Table

SUBJECTS = {"team": _("驻村工作队"), "township": _("乡镇"), "department": _("行业部门")}
COLUMNS = [
    Column("title", _("考核方案"), link=lambda s: reverse("assessment:scheme", args=[s.id])),
    Column("id", _("编号")),
    Column("year", _("年度")),
    Column("issuer", _("发文单位")),
    Column("subject", _("考核对象"), render=lambda s: SUBJECTS.get(s.subject, s.subject)),
    Column("indicators", _("指标数"), render=lambda s: len(s.indicators)),
]


@requires("assessment.view")
def scheme_list(request):
    table = Table(request, schemes_visible(actor=request.user), columns=COLUMNS)
    return render(request, "assessment/scheme_list.html", {"table": table})


@requires("assessment.view")
def scheme_detail_view(request, scheme_id: str):
    scheme = scheme_for(actor=request.user, scheme_id=scheme_id)
    detail = scheme_detail(scheme)
    parts = [{**p, "items": [i for i in detail["indicators"] if i["part"] == p["id"]]} for p in detail["parts"]]
    return render(request, "assessment/scheme_detail.html", {"scheme": scheme, "detail": detail, "parts": parts,
                                                             "subject": SUBJECTS.get(scheme.subject)})
