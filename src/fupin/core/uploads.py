"""Uploaded supporting files (佐证材料) on disk: kept under the data folder (FUPIN_DATA_DIR/<area>), never
under a public URL, named by a random token so an uploaded name can't reach another path. Pages and
the API hand a file out only after its owner record is fetched through the scoping choke point."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from fupin.core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_UPLOAD = 10
ALLOWED_SUFFIXES = (".jpg", ".jpeg", ".png", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt")
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf",
                 ".doc": "application/msword",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".xls": "application/vnd.ms-excel",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".txt": "text/plain; charset=utf-8"}


def folder(area: str) -> Path:
    path = Path(settings.DATA_DIR) / area
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_upload(upload) -> tuple[str, str]:
    """(display name, suffix) of an acceptable upload, or a clear refusal."""
    name = Path(str(getattr(upload, "name", "") or "")).name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationFailed(_("佐证材料只能是照片（jpg、png）、PDF、Word、Excel 或文本文件；“%(n)s”不行")
                               % {"n": name or _("（无文件名）")}, code="bad_file_type")
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValidationFailed(_("佐证材料“%(n)s”是空文件（0字节）") % {"n": name}, code="empty_file")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("佐证材料“%(n)s”超过20MB，请压缩后再上传") % {"n": name}, code="file_too_large")
    return name, suffix


def check_uploads(uploads) -> list[tuple]:
    """[(upload, name, suffix)] of a batch of uploads, all acceptable, or a refusal of the batch."""
    uploads = list(uploads or [])
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationFailed(_("一次最多上传%(n)s个佐证材料") % {"n": MAX_FILES_PER_UPLOAD}, code="too_many_files")
    return [(u, *check_upload(u)) for u in uploads]


def store(area: str, upload, suffix: str) -> tuple[str, int, str]:
    """Write the upload under a fresh token; returns (stored name, size, sha256)."""
    stored = f"{uuid.uuid4().hex}{suffix}"
    digest = hashlib.sha256()
    size = 0
    with (folder(area) / stored).open("wb") as fh:
        chunks = upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            fh.write(chunk)
    return stored, size, digest.hexdigest()


def discard(area: str, stored_names: list[str]) -> None:
    """Remove files written for a change that was then refused (the database rolled back)."""
    for name in stored_names:
        (folder(area) / name).unlink(missing_ok=True)


def file_response(area: str, stored_name: str, file_name: str):
    """The stored file as a response (pictures and PDFs shown inline, the rest downloaded), or None when
    the file is no longer on the server."""
    from django.http import FileResponse

    path = folder(area) / stored_name
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    response = FileResponse(path.open("rb"), as_attachment=suffix not in (".jpg", ".jpeg", ".png", ".pdf"),
                            filename=file_name, content_type=CONTENT_TYPES.get(suffix))
    response["X-Content-Type-Options"] = "nosniff"
    return response
