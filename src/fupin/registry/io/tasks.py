"""Imports in the background: the upload is kept in the data folder, a task (`registry.import`) runs
the import with progress, writes the error workbook next to it, and removes the upload (it holds
personal data) when done. Pages and the API start imports here and find their results here."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from fupin.accounts.access import actor_prefixes, require
from fupin.audit.labels import register_action_labels
from fupin.core.errors import NotFound, ValidationFailed
from fupin.registry.io.importer import import_error_workbook, registry_import
from fupin.tasks.models import Task
from fupin.tasks.selectors import task_get
from fupin.tasks.services import task_enqueue, task_kind

KIND = "registry.import"
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".csv", ".txt")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")

register_action_labels({"registry.import": "批量导入建档立卡数据", "registry.export": "导出建档立卡数据",
                        "registry.bench_cleanup": "删除基准测试数据"})


def imports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def errors_path(token: str) -> Path:
    return imports_dir() / f"{token}-errors.xlsx"


def import_enqueue(*, actor, upload, year: int | None, partial: bool) -> Task:
    """Keep the uploaded file and queue its import as `actor`."""
    require(actor, "registry.edit")
    name = str(getattr(upload, "name", "") or "")
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationFailed(_("只能导入 .xlsx 工作簿或 .csv 文件（国扶系统导出的格式）；所选文件为“%(n)s”")
                               % {"n": name or _("（无文件名）")}, code="bad_file_type")
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationFailed(_("所选文件是空的（0字节）"), code="empty_file")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("文件超过1GB，请按乡镇拆分后分批导入"), code="file_too_large")
    if year is not None and not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("年度应在2000到2100之间"), code="bad_year")
    token = uuid.uuid4().hex
    target = imports_dir() / f"{token}{suffix}"
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    prefixes = actor_prefixes(actor, "registry.edit")
    area = prefixes[0].ljust(12, "0") if len(prefixes) == 1 else ""
    return task_enqueue(actor=actor, kind=KIND, area_code=area,
                        params={"token": token, "suffix": suffix, "file_name": name[:200], "year": year,
                                "partial": bool(partial)})


@task_kind(KIND, action="registry.edit")
def run_import(*, actor, params, report) -> dict:
    token = params["token"]
    if not _TOKEN.match(token):
        raise ValidationFailed("bad import token")
    upload = imports_dir() / f"{token}{params.get('suffix', '')}"
    try:
        result = registry_import(actor=actor, file=upload, year=params.get("year"), partial=params.get("partial", False),
                                 progress=report, file_name=params.get("file_name", ""))
    finally:
        upload.unlink(missing_ok=True)
    out = result.as_dict(problems=20)
    out["errors_file"] = ""
    if result.problems:
        import_error_workbook(result, errors_path(token))
        out["errors_file"] = errors_path(token).name
    return out


def import_task(actor, task_id: int) -> Task:
    """An import task the actor may see (their own, or in their areas)."""
    task = task_get(actor=actor, task_id=task_id)
    if task.kind != KIND:
        raise NotFound(_("导入任务不存在"))
    return task


def import_errors_file(actor, task_id: int) -> Path:
    """The error workbook of an import the actor may see."""
    task = import_task(actor, task_id)
    token = (task.params or {}).get("token", "")
    path = errors_path(token) if _TOKEN.match(token) else None
    if not (task.result or {}).get("errors_file") or path is None or not path.exists():
        raise NotFound(_("该导入没有错误清单"))
    return path
