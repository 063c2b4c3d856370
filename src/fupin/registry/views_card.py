"""The 扶贫明白卡 (household policy card): the page, and the A4 PDF printed from the same template."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from fupin.audit.services import audit_event
from fupin.core.pdf import html_to_pdf
from fupin.registry.card import household_card
from fupin.registry.selectors import household_get
from fupin.web.decorators import requires


@requires("registry.view")
def household_card_view(request, pk: int):
    household = household_get(request.user, pk)
    return render(request, "registry/card.html", household_card(request.user, household))


def card_pdf(actor, household) -> bytes:
    """The card as PDF bytes; printing is audited (the card carries the household's personal data)."""
    html = render_to_string("registry/card_print.html", household_card(actor, household))
    data = html_to_pdf(html)
    audit_event(actor=actor, action="registry.card_pdf", target=household, area_code=household.village.code,
                details={"year": household.year})
    return data


def pdf_response(data: bytes, household) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mingbaika-{household.household_number}.pdf"'
    return response


@requires("registry.view")
def household_card_pdf_view(request, pk: int):
    household = household_get(request.user, pk)
    return pdf_response(card_pdf(request.user, household), household)
