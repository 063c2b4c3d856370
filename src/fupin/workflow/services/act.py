"""One entry for every action on a review, used by the pages and the API: `review_act(actor=...,
review=..., act="approve", expected_version=3, reason=...)`. Fields an act does not use are ignored."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.core.errors import ValidationFailed
from fupin.workflow.services import notices, reviews

# act name -> (service, the fields it takes besides actor / review / expected_version)
ACTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "resubmit": (reviews.review_resubmit, ("reason", "payload")),
    "withdraw": (reviews.review_withdraw, ("reason",)),
    "appraisal": (reviews.review_record_appraisal,
                  ("attendees", "votes_for", "votes_against", "votes_abstain", "minutes", "held_on")),
    "start_notice": (notices.review_start_notice, ("starts_on", "window_days", "place", "content")),
    "add_objection": (notices.review_add_objection, ("raised_by", "content", "received_on", "contact")),
    "resolve_objection": (notices.review_resolve_objection, ("objection_id", "outcome", "resolution")),
    "close_notice": (notices.review_close_notice, ()),
    "approve": (reviews.review_decide, ("reason", "data")),
    "return": (reviews.review_decide, ("reason", "return_to")),
    "reject": (reviews.review_decide, ("reason",)),
    "announce": (reviews.review_announce, ("announced_on", "content")),
}

ACT_LABELS = {
    "resubmit": gettext_lazy("重新提交"), "withdraw": gettext_lazy("撤回"), "appraisal": gettext_lazy("登记民主评议"), "start_notice": gettext_lazy("发布公示"),
    "add_objection": gettext_lazy("登记异议"), "resolve_objection": gettext_lazy("处理异议"), "close_notice": gettext_lazy("结束公示"),
    "approve": gettext_lazy("同意"), "return": gettext_lazy("退回"), "reject": gettext_lazy("不同意"), "announce": gettext_lazy("发布公告"),
}


def review_act(*, actor, review, act: str, expected_version, **fields: Any):
    """Dispatch `act` to its service. Returns what the service returns (the review, a notice or an
    objection)."""
    if act not in ACTS:
        raise ValidationFailed(_("未知的操作：%(act)s") % {"act": act}, code="unknown_act",
                               details={"allowed": sorted(ACTS)})
    service, names = ACTS[act]
    kwargs = {name: fields[name] for name in names if fields.get(name) is not None}
    if act in ("approve", "return", "reject"):
        kwargs["decision"] = act
    return service(actor=actor, review=review, expected_version=expected_version, **kwargs)
