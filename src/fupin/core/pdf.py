"""PDF documents (明白卡, signed report forms) printed from HTML by headless Chromium.

Chromium lays out Chinese text with the system's CJK fonts (Debian: fonts-noto-cjk), so a form is one
HTML template for the page, the print and the PDF. The command is `chromium` on the PATH, or the path in
FUPIN_CHROMIUM. Chromium stamps creation dates into the file; `html_to_pdf` removes them so that the
same HTML gives the same bytes (a frozen period's report can be regenerated identically).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from fupin.core.errors import ServiceUnavailable

TIMEOUT_SECONDS = 120
# Date stamps and the document ID are the only parts of Chromium's PDF that change between runs.
_VOLATILE = [
    (re.compile(rb"/CreationDate \(D:[^)]*\)"), b"/CreationDate (D:20000101000000+00'00')"),
    (re.compile(rb"/ModDate \(D:[^)]*\)"), b"/ModDate (D:20000101000000+00'00')"),
]


def chromium_command() -> str | None:
    configured = os.environ.get("FUPIN_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document (A4 unless its CSS says otherwise via @page)."""
    command = chromium_command()
    if command is None:
        raise ServiceUnavailable(_("服务器未安装 Chromium，无法生成 PDF（Debian: apt install chromium fonts-noto-cjk）"),
                                 code="pdf_unavailable")
    with tempfile.TemporaryDirectory(prefix="fupin-pdf-") as folder:
        source, target = Path(folder) / "page.html", Path(folder) / "page.pdf"
        source.write_text(html, encoding="utf-8")
        try:
            done = subprocess.run(
                [command, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                 f"--user-data-dir={folder}/profile", "--no-pdf-header-footer",
                 "--run-all-compositor-stages-before-draw", f"--print-to-pdf={target}", source.as_uri()],
                capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ServiceUnavailable(_("PDF 生成失败：%(detail)s") % {"detail": exc}, code="pdf_failed") from exc
        if done.returncode != 0 or not target.exists():
            raise ServiceUnavailable(_("PDF 生成失败：%(detail)s") % {"detail": done.stderr.decode(errors="replace")[-300:]},
                                     code="pdf_failed")
        data = target.read_bytes()
    for pattern, replacement in _VOLATILE:
        data = pattern.sub(replacement, data)
    return data
