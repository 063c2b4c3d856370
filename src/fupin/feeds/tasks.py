"""Feeds run in the background when they are large: the upload is kept in the data folder, a task
(`feeds.load`) processes it with progress and removes the file (it holds personal data) when done.
Small files are processed at once, so the department sees the row report straight away."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from fupin.core.errors import ValidationFailed
from fupin.feeds.models import FeedUpload, UploadStatus
from fupin.feeds.services import feed_process, upload_create
from fupin.tasks.services import task_enqueue, task_kind

KIND = "feeds.load"
INLINE_MAX_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".csv", ".txt")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def feeds_dir() -> Path:
    path = Path(settings.DATA_DIR) / "feeds"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_start(*, actor, kind_key: str, county_code: str, upload, year: int | None = None) -> FeedUpload:
    """Keep the uploaded file; process it now when small, else queue it. Returns the upload record."""
    name = str(getattr(upload, "name", "") or "")
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationFailed(_("只能上传 .xlsx 工作簿或 .csv 文件；所选文件为“%(n)s”") % {"n": name or _("（无文件名）")},
                               code="bad_file_type")
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationFailed(_("所选文件是空的（0字节）"), code="empty_file")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("文件超过512MB，请按月份拆分后分批上传"), code="file_too_large")
    token = uuid.uuid4().hex
    target = feeds_dir() / f"{token}{suffix}"
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    try:
        record = upload_create(actor=actor, kind_key=kind_key, county_code=county_code, file_name=name, path=target,
                               year=year)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    if size <= INLINE_MAX_BYTES:
        try:
            return feed_process(actor=actor, upload=record, path=target)
        finally:
            target.unlink(missing_ok=True)
    task = task_enqueue(actor=actor, kind=KIND, area_code=record.county.code,
                        params={"upload": record.pk, "token": token, "suffix": suffix})
    FeedUpload.objects.filter(pk=record.pk).update(task_id=task.pk)
    record.task_id = task.pk
    return record


@task_kind(KIND, action="feeds.upload")
def run_feed(*, actor, params, report) -> dict:
    token = params["token"]
    if not _TOKEN.match(token) or params.get("suffix") not in ALLOWED_SUFFIXES:
        raise ValidationFailed("bad feed token")
    path = feeds_dir() / f"{token}{params['suffix']}"
    upload = FeedUpload.objects.select_related("county").get(pk=params["upload"])
    try:
        if upload.status != UploadStatus.QUEUED:
            return {"upload": upload.pk, "message": upload.message}
        upload = feed_process(actor=actor, upload=upload, path=path, progress=report)
    finally:
        path.unlink(missing_ok=True)
    return {"upload": upload.pk, "message": upload.message, "alerts": upload.alerts_raised}
