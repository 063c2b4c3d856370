"""/api/assessment: the scoring schemes and pure scoring runs (nothing is written)."""

from ninja import Router

from fupin.api.schemas import Error
from fupin.assessment.api_rounds import router as rounds_router
from fupin.assessment.presenters import scheme_detail, scheme_summary
from fupin.assessment.schemas import SchemeDetailOut, SchemeOut, ScoreIn, ScoreOut
from fupin.assessment.selectors import findings_score, scheme_for, schemes_visible

router = Router(tags=["assessment 考核评估"])
router.add_router("", rounds_router)


@router.get("/schemes", response=list[SchemeOut])
def list_schemes(request):
    """The scoring schemes (考核方案) that concern your areas."""
    return [scheme_summary(s) for s in schemes_visible(actor=request.auth)]


@router.get("/schemes/{scheme_id}", response={200: SchemeDetailOut, 403: Error, 404: Error})
def get_scheme(request, scheme_id: str):
    """Parts, indicators with their rules and citations, options (the documents' ambiguities), grades."""
    return scheme_detail(scheme_for(actor=request.auth, scheme_id=scheme_id))


@router.post("/schemes/{scheme_id}/score", response={200: ScoreOut, 400: Error, 403: Error, 404: Error})
def score(request, scheme_id: str, body: ScoreIn):
    """Score raw findings keyed by the documents' indicator numbers (see docs/assessment.md): every
    subject's score explained indicator by indicator, ranks and grades. Nothing is stored."""
    scheme_for(actor=request.auth, scheme_id=scheme_id)
    run = findings_score(scheme_id=scheme_id, document={"subjects": body.subjects}, options=body.options)
    return run.as_dict()
