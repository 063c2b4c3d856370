"""Import and export over the API: POST a file to start an import (a background task, polled at
/api/tasks/{id}), GET its error workbook, GET an export. Mounted under /api/registry."""

from __future__ import annotations

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from fupin.api.schemas import Error, TaskOut, Year
from fupin.registry.io.exporter import content_type
from fupin.registry.io.tasks import import_enqueue, import_errors_file
from fupin.tasks.api import task_out

router = Router(tags=["registry 导入导出"])
ERRORS = {400: Error, 403: Error, 404: Error}


@router.post("/import", response={202: TaskOut, **ERRORS})
def start_import(request, file: File[UploadedFile], year: Form[int | None] = None, partial: Form[bool] = False):
    """Upload a file in the national export layout (.xlsx or .csv) and import it in the background.
    `partial=false` (default) writes nothing unless every row is valid; `partial=true` writes the valid
    households. Poll the task at /api/tasks/{id}: its `result` has the counts, the first problems and
    `errors_file` when there is an error workbook (GET /api/registry/import/{id}/errors)."""
    task = import_enqueue(actor=request.auth, upload=file, year=year, partial=partial)
    return Status(202, task_out(task))


@router.get("/import/{task_id}/errors", response={200: None, **ERRORS})
def import_errors(request, task_id: int):
    """The error workbook (.xlsx) of an import: row, column, household, person and reason per problem."""
    from django.http import FileResponse

    path = import_errors_file(request.auth, task_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"import-{task_id}-errors.xlsx",
                        content_type=content_type("xlsx"))


@router.get("/export", response={200: None, **ERRORS})
def export(request, year: Year | None = None, area: str = "", format: str = "xlsx"):  # noqa: A002
    """One year of the registry in the national layout (.xlsx or .csv), one row per person, scoped to
    your areas and narrowed to `area` (a division code) when given; certificate and phone numbers
    are masked where you may not see them."""
    from fupin.registry.io.views import export_response

    return export_response(request.auth, year=year, area=area, fmt=format)
