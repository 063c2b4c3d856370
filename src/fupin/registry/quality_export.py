"""数据质量问题清单 as a workbook: one row per issue, written with the registry's streaming SheetWriter
(fixed zip time stamps, so the list of a frozen year regenerated later has the same bytes)."""

from __future__ import annotations

from fupin.audit.services import audit_event
from fupin.registry.io.exporter import areas_for_year
from fupin.registry.io.xlsx import SheetWriter
from fupin.registry.quality import CHECKS_BY_ID, QualityIssue, QualityRun

HEADERS = ["年度", "检查类别", "检查项", "区划代码", "乡(镇)", "行政村", "户编号", "问题说明", "依据"]


def area_names(codes, year: int) -> dict[str, str]:
    """Names of villages and their townships for the codes given, as a report of `year` shows them."""
    wanted = set(codes) | {c[:9] + "000" for c in codes}
    return dict(areas_for_year(year).filter(code__in=wanted).values_list("code", "name"))


def issue_row(issue: QualityIssue, names: dict[str, str]) -> list:
    check = CHECKS_BY_ID[issue.check]
    return [issue.year, check.group, str(check.title), issue.area_code, names.get(issue.area_code[:9] + "000", ""),
            names.get(issue.area_code, ""), issue.household_number, issue.message, check.source]


def quality_workbook(*, actor, run: QualityRun, out) -> int:
    """Write the issues of `run` to `out` (a binary file object); audited as an export. Returns the row count."""
    names = area_names({i.area_code for i in run.issues}, run.year)
    writer = SheetWriter(out, f"数据质量问题{run.year}", widths=[6, 12, 34, 14, 12, 14, 20, 70, 50])
    writer.write_row(HEADERS, header=True)
    for issue in run.issues:
        writer.write_row(issue_row(issue, names))
    writer.close()
    audit_event(actor=actor, action="registry.quality_export", area_code=run.area_code,
                details={"year": run.year, "issues": len(run.issues), "households": run.households})
    return len(run.issues)
