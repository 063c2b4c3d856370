"""PDFs are printed by Chromium with CJK fonts, and the same HTML gives the same bytes."""

import shutil
import subprocess

import pytest

from fupin.core.errors import ServiceUnavailable
from fupin.core.pdf import html_to_pdf

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>@page{size:A4}</style></head>
<body><h1>扶贫明白卡</h1><p>户主：张三</p></body></html>"""


def test_the_pdf_holds_the_chinese_text_and_is_reproducible(tmp_path):
    first, second = html_to_pdf(PAGE), html_to_pdf(PAGE)
    assert first.startswith(b"%PDF")
    assert first == second
    if shutil.which("pdftotext"):
        (tmp_path / "a.pdf").write_bytes(first)
        text = subprocess.run(["pdftotext", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True).stdout
        assert "扶贫明白卡" in text and "张三" in text


def test_a_missing_chromium_is_a_clear_503(monkeypatch):
    monkeypatch.setenv("FUPIN_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(ServiceUnavailable, match="PDF"):
        html_to_pdf(PAGE)
