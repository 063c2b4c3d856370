"""The official assessment forms (考核表格), in Excel and as HTML printed to PDF.

Pure builders: they take engine results (`fupin.assessment.engine`) and plain data, never database
rows, and return the file's bytes (or the HTML). The same input gives the same bytes.

    score_sheet_xlsx(scheme, subject_result, version="self"|"county", ...)   附件1 考核指标表（自评 / 县级考核评价）
    team_situation_xlsx(team_info)                                         附件2 工作情况表
    county_ranking_xlsx(rows, county_name=..., year=...)                   附件3 县级排序表
    materials_checklist_xlsx(items)                                        附件4 报送材料清单
    province_report_xlsx(rows, county_name=...)                            省直工作队考核情况报告（Doc B 附件2）
    *_html(...) the same forms as HTML; form_pdf(kind, ...) their PDF.

Bad input is refused with `ValidationFailed` (code and the field in `details`) before anything is built.
"""

from .materials import (
    MATERIAL_KEYS,
    MATERIALS,
    materials_as_dicts,
    materials_checklist_html,
    materials_checklist_xlsx,
)
from .pdf import HTML_BUILDERS, form_html, form_pdf
from .ranking import (
    MIN_PROBLEMS,
    PROVINCE_GRADES,
    RANKING_REMARK,
    county_ranking_html,
    county_ranking_xlsx,
    province_report_html,
    province_report_rows,
    province_report_xlsx,
    ranking_rows,
)
from .score_sheet import score_sheet_html, score_sheet_xlsx
from .team_situation import ACHIEVEMENT_TEMPLATE, team_situation_html, team_situation_xlsx

__all__ = [
    "ACHIEVEMENT_TEMPLATE", "HTML_BUILDERS", "MATERIALS", "MATERIAL_KEYS", "MIN_PROBLEMS", "PROVINCE_GRADES",
    "RANKING_REMARK", "county_ranking_html", "county_ranking_xlsx", "form_html", "form_pdf", "materials_as_dicts",
    "materials_checklist_html", "materials_checklist_xlsx", "province_report_html", "province_report_rows",
    "province_report_xlsx", "ranking_rows", "score_sheet_html", "score_sheet_xlsx", "team_situation_html",
    "team_situation_xlsx",
]
