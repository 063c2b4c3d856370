"""Card sections the registry registers for other capabilities whose data it only reads (see card.py)."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _


def funds_income_rows(household, actor) -> list[dict] | None:
    """资产收益分配: the household's shares of approved or paid distribution plans (funds capability),
    read through funds' own scoped selector; left out where funds is not installed or nothing was paid."""
    if not apps.is_installed("fupin.funds"):
        return None
    from fupin.funds.selectors import household_distributions

    lines = list(household_distributions(actor, household)[:20])
    if not lines:
        return None
    return [{"label": f"{line.plan.year} {line.plan.title}",
             "value": _("%(amount)s 元（%(status)s）") % {"amount": line.amount, "status": line.plan.get_status_display()}}
            for line in lines]
