"""The signed rectification report of a campaign, printed to PDF by Chromium."""

from __future__ import annotations

import pytest

from fupin.core.pdf import chromium_command
from fupin.supervision import services

from .conftest import photo

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(chromium_command() is None, reason="Chromium is not installed")]


def test_campaign_report_is_a_pdf_with_the_findings(client, officer, clerk, campaign, finding):
    services.rectification_report(actor=clerk, finding=finding, measures="补走访3次", uploads=[photo()])
    client.force_login(officer)
    response = client.get(f"/supervision/campaigns/{campaign.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000


def test_report_html_names_the_signatures_and_counts(officer, campaign, finding):
    from fupin.supervision.exports import report_html
    from fupin.supervision.selectors import findings_visible, status_counts

    qs = findings_visible(actor=officer).filter(campaign=campaign)
    html = report_html(title="测试整改报告", unit="彰武县", findings=qs, counts=status_counts(qs))
    assert "主要领导签字" in html and "经手人签字" in html and "共发现问题 1 个" in html
    assert "帮扶责任人8月仅走访1次" in html
