"""PDF of any form: its HTML rendering printed by headless Chromium (A4, the system's CJK fonts)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fupin.core.pdf import html_to_pdf

from .common import refuse
from .materials import materials_checklist_html
from .ranking import county_ranking_html, province_report_html
from .score_sheet import score_sheet_html
from .team_situation import team_situation_html

HTML_BUILDERS = {
    "score_sheet": score_sheet_html,  # 附件1 考核指标表（自评 / 县级考核评价）
    "team_situation": team_situation_html,  # 附件2 工作情况表
    "county_ranking": county_ranking_html,  # 附件3 县级排序表
    "materials_checklist": materials_checklist_html,  # 附件4 报送材料清单
    "province_report": province_report_html,  # 省直工作队考核情况报告
}


def form_html(kind: str, *args, **kwargs) -> str:
    builder = HTML_BUILDERS.get(kind)
    if builder is None:
        raise refuse(_("未知的考核表格“%(kind)s”（可用：%(kinds)s）") % {"kind": kind, "kinds": "、".join(HTML_BUILDERS)},
                     code="unknown_form", field="kind")
    return builder(*args, **kwargs)


def form_pdf(kind: str, *args, **kwargs) -> bytes:
    """The PDF of one form: `kind` names the builder, the other arguments are the builder's own
    (e.g. ``form_pdf("county_ranking", rows, county_name="彰武县", year=2020)``)."""
    return html_to_pdf(form_html(kind, *args, **kwargs))
