"""整改佐证材料 on disk, under FUPIN_DATA_DIR/supervision/evidence (see fupin.core.uploads)."""

from __future__ import annotations

from pathlib import Path

from fupin.core import uploads

AREA = "supervision/evidence"
MAX_EVIDENCE_BYTES = uploads.MAX_UPLOAD_BYTES


def evidence_dir() -> Path:
    return uploads.folder(AREA)


def evidence_path(stored_name: str) -> Path:
    return evidence_dir() / stored_name


def store(upload, suffix: str) -> tuple[str, int, str]:
    return uploads.store(AREA, upload, suffix)


def discard(stored_names: list[str]) -> None:
    uploads.discard(AREA, stored_names)
