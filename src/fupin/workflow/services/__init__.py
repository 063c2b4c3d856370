"""Writes on reviews. Every service is keyword-only, takes the acting user first, runs in one
transaction, refuses a stale `expected_version` with Conflict, and writes one audit event."""

from fupin.workflow.services.act import ACT_LABELS, ACTS, review_act
from fupin.workflow.services.notices import (
    review_add_objection,
    review_close_notice,
    review_resolve_objection,
    review_start_notice,
)
from fupin.workflow.services.reviews import (
    RETURN_PREVIOUS,
    RETURN_PROPOSER,
    review_announce,
    review_decide,
    review_open,
    review_record_appraisal,
    review_resubmit,
    review_withdraw,
)

__all__ = [
    "ACTS", "ACT_LABELS", "RETURN_PREVIOUS", "RETURN_PROPOSER", "review_act", "review_add_objection",
    "review_announce", "review_close_notice", "review_decide", "review_open", "review_record_appraisal",
    "review_resolve_objection", "review_resubmit", "review_start_notice", "review_withdraw",
]
