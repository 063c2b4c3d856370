"""Writes of the funds context. Every service is keyword-only, takes the acting user first, runs in one
transaction and writes its audit event in it; `actor=None` is the system itself (demo, imports)."""

from .assets import (
    asset_confirm,
    asset_inventory_record,
    asset_pledge,
    asset_register,
    disposal_complete,
    disposal_decide,
    disposal_request,
    disposal_value,
)
from .distribution import (
    check_plan,
    income_available,
    plan_approve,
    plan_create,
    plan_decide,
    plan_pay,
    plan_publicise,
    plan_reject,
    plan_review,
    plan_update,
)
from .income import (
    contract_end,
    contract_file,
    contract_propose,
    equity_end,
    equity_register,
    income_receive,
    income_reverse,
)
from .postings import allocation_post, disbursement_post, posting_reverse
from .projects import (
    project_accept,
    project_approve,
    project_complete,
    project_create,
    project_publicise,
    project_reject,
    project_report_progress,
    project_township_review,
    project_update,
)

__all__ = [
    "allocation_post", "asset_confirm", "asset_inventory_record", "asset_pledge", "asset_register", "check_plan",
    "contract_end", "contract_file", "contract_propose", "disbursement_post", "disposal_complete", "disposal_decide",
    "disposal_request", "disposal_value", "equity_end", "equity_register", "income_available", "income_receive",
    "income_reverse", "plan_approve", "plan_create", "plan_decide", "plan_pay", "plan_publicise", "plan_reject",
    "plan_review", "plan_update", "posting_reverse", "project_accept", "project_approve", "project_complete",
    "project_create", "project_publicise", "project_reject", "project_report_progress", "project_township_review",
    "project_update",
]
