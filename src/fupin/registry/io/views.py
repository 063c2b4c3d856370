"""Pages: the import page (upload, atomic or partial), the import's progress and result with its
error workbook, the empty template, and the export download."""

from __future__ import annotations

import tempfile

from django import forms
from django.conf import settings
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from fupin.areas.selectors import area_get
from fupin.core.errors import ValidationFailed
from fupin.registry import schema
from fupin.registry.io.exporter import FORMATS, content_type, file_name, registry_export
from fupin.registry.io.tasks import import_enqueue, import_errors_file, import_task
from fupin.registry.io.xlsx import SheetWriter
from fupin.registry.selectors import default_year
from fupin.web.decorators import requires


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100,
                              help_text=_("留空则按文件中的“年度”列"))
    mode = forms.ChoiceField(label=_("导入方式"), widget=forms.RadioSelect, initial="atomic", choices=[
        ("atomic", _("整批导入：全部无误才写入，有任何问题则不写入并给出错误清单")),
        ("partial", _("部分导入：写入无误的户，有问题的户列入错误清单")),
    ])


@requires("registry.edit")
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = import_enqueue(actor=request.user, upload=form.cleaned_data["file"], year=form.cleaned_data["year"],
                                  partial=form.cleaned_data["mode"] == "partial")
        except ValidationFailed as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("registry:import_status", task_id=task.pk)
    return render(request, "registry/io/import.html", {"form": form})


@requires("registry.edit")
def import_status_view(request, task_id: int):
    """Polls itself with HTMX until the import is finished, then shows the result."""
    task = import_task(request.user, task_id)
    template = "registry/io/_import_progress.html" if request.headers.get("HX-Request") else "registry/io/import_status.html"
    return render(request, template, {"task": task, "result": task.result or {}})


@requires("registry.edit")
def import_errors_view(request, task_id: int):
    path = import_errors_file(request.user, task_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"导入错误清单_{task_id}.xlsx",
                        content_type=content_type("xlsx"))


@requires("registry.edit")
def import_template_view(request):
    """An empty workbook with the headers of the national layout and our extra columns."""
    fh = tempfile.TemporaryFile(dir=_tmp())
    writer = SheetWriter(fh, "导入模板")
    writer.write_row([c.header for c in schema.export_columns()], header=True)
    writer.close()
    fh.seek(0)
    return FileResponse(fh, as_attachment=True, filename="建档立卡导入模板.xlsx", content_type=content_type("xlsx"))


def export_response(actor, *, year, area: str, fmt: str) -> FileResponse:
    """Write the export to a temporary file and stream it back (shared by the page and the API)."""
    if fmt not in FORMATS:
        raise ValidationFailed(f"format 应为 {' 或 '.join(FORMATS)}", code="bad_format")
    try:
        year = int(year) if year not in (None, "") else default_year(actor)
    except (TypeError, ValueError):
        raise ValidationFailed("年度应为四位数字", code="bad_year") from None
    if year is None:
        raise ValidationFailed("没有可导出的年度", code="no_year")
    if not 1990 <= year <= 2100:
        raise ValidationFailed("年度应在1990至2100之间", code="bad_year")
    fh = tempfile.TemporaryFile(dir=_tmp())
    result = registry_export(actor=actor, out=fh, year=year, area=area, fmt=fmt)
    fh.seek(0)
    name = file_name(year, area_get(result.area).name if result.area else "", fmt)
    return FileResponse(fh, as_attachment=True, filename=name, content_type=content_type(fmt))


@requires("registry.view")
def export_view(request):
    return export_response(request.user, year=request.GET.get("year"), area=request.GET.get("area", ""),
                           fmt=request.GET.get("format", "xlsx"))


def _tmp():
    path = settings.DATA_DIR / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path
