"""Reviews over the API: your inbox and its counts, reviews in your areas, one review with its
history, an action on its current stage, and overdue reviews."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from fupin.api.pagination import Pages
from fupin.api.schemas import Error
from fupin.core.errors import ValidationFailed
from fupin.workflow import selectors
from fupin.workflow.models import ReviewStatus
from fupin.workflow.schemas import (
    ActIn,
    AreaCountOut,
    InboxCountsOut,
    ReviewDetailOut,
    ReviewOut,
    detail_out,
    review_out,
)
from fupin.workflow.services import review_act

router = Router(tags=["workflow 审核流程"])
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error}


class ReviewFilter(Schema):
    status: str = ""
    kind: str = ""
    area: str = ""
    q: str = ""


class _Mapped:
    """A queryset seen through `review_out`, sliced and counted by the paginator without loading it all."""

    def __init__(self, queryset):
        self.queryset = queryset

    def all(self):
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [review_out(r) for r in self.queryset[page]]


def _clean(value: str, label: str) -> str:
    if "\x00" in value or len(value) > 100:
        raise ValidationFailed(_("%(label)s无效") % {"label": label}, code="bad_filter")
    return value.strip()


@router.get("/inbox", response={200: list[ReviewOut], 403: Error})
@paginate(Pages, page_size=50)
def list_inbox(request):
    """Reviews waiting at a stage you may act on, the oldest deadline first."""
    selectors.require_workflow_user(request.auth)
    return _Mapped(selectors.inbox(actor=request.auth))


@router.get("/inbox/counts", response={200: InboxCountsOut, 403: Error})
def inbox_counts(request):
    """How many reviews wait for you, per process and stage, and how many of them are overdue."""
    selectors.require_workflow_user(request.auth)
    return selectors.inbox_counts(actor=request.auth)


@router.get("/reviews", response={200: list[ReviewOut], 400: Error, 403: Error})
@paginate(Pages, page_size=50)
def list_reviews(request, filters: Query[ReviewFilter]):
    """Every review in your areas; filter by status, kind, area-code prefix or part of the subject's name."""
    selectors.require_workflow_user(request.auth)
    qs = selectors.reviews_visible(actor=request.auth)
    if filters.status:
        if filters.status not in ReviewStatus.values:
            raise ValidationFailed(_("状态应为：%(s)s") % {"s": "、".join(ReviewStatus.values)}, code="bad_filter")
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=_clean(filters.kind, _("审核类型")))
    if filters.area:
        qs = qs.filter(area__code__startswith=_clean(filters.area, _("区划代码")))
    if filters.q:
        qs = qs.filter(subject_label__contains=_clean(filters.q, _("查询条件")))
    return _Mapped(qs.order_by("-opened_at", "-pk"))


@router.get("/reviews/{review_id}", response={200: ReviewDetailOut, **ERRORS})
def get_review(request, review_id: int):
    """One review: its stages, every step taken, its notices and objections, and what you may do now."""
    history = selectors.review_history(actor=request.auth, review_id=review_id)
    return detail_out(history, show_contact=selectors.contact_shown(request.auth, history.review))


@router.post("/reviews/{review_id}/act", response={200: ReviewDetailOut, **ERRORS})
def act_on_review(request, review_id: int, body: ActIn):
    """Take an action on the review's current stage; answers with the review as it now stands."""
    fields = body.dict(exclude={"act", "expected_version"}, exclude_none=True)
    review_act(actor=request.auth, review=review_id, act=body.act, expected_version=body.expected_version, **fields)
    return get_review(request, review_id)


@router.get("/overdue", response={200: list[ReviewOut], 400: Error, 403: Error})
@paginate(Pages, page_size=50)
def list_overdue(request, area: str = ""):
    """Open reviews past their stage's deadline in your areas (optionally under one area-code prefix)."""
    selectors.require_workflow_user(request.auth)
    return _Mapped(selectors.reviews_overdue(actor=request.auth, area_code=_clean(area, _("区划代码"))))


@router.get("/overdue/by-area", response={200: list[AreaCountOut], 400: Error, 403: Error})
def overdue_by_area(request, level: int = 4):
    """Overdue reviews counted per area of a level (3 county, 4 township, 5 village)."""
    selectors.require_workflow_user(request.auth)
    if level not in (1, 2, 3, 4, 5):
        raise ValidationFailed(_("级别应为1到5"), code="bad_level")
    return selectors.overdue_by_area(actor=request.auth, level=level)
