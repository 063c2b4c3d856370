from ninja import Router, Status

from fupin.accounts.services import api_token_create
from fupin.api.schemas import Error, MeOut, RoleOut, TokenIn, TokenOut

router = Router(tags=["accounts 用户"])


@router.get("/me", response={200: MeOut, 401: Error})
def me(request):
    user = request.auth
    roles = [
        RoleOut(role=a.role, role_label=a.get_role_display(), area_code=a.area.code, area_name=a.area.name,
                department=a.department)
        for a in user.assignments.select_related("area").order_by("role")
    ]
    return MeOut(username=user.username, full_name=user.full_name, roles=roles)


@router.post("/tokens", response={201: TokenOut, 400: Error, 401: Error, 422: Error})
def create_token(request, payload: TokenIn):
    """Create an API token for yourself. The token is shown only in this answer."""
    token, raw = api_token_create(actor=request.auth, user=request.auth, name=payload.name or "api")
    return Status(201, TokenOut(name=token.name, token=raw, expires_at=token.expires_at))
