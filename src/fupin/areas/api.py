from ninja import Query, Router, Schema
from ninja.pagination import paginate

from fupin.accounts.access import access_area, scope
from fupin.api.pagination import Pages
from fupin.api.schemas import AreaOut, Error
from fupin.areas.models import Area
from fupin.areas.selectors import area_children

router = Router(tags=["areas 行政区划"])


class AreaFilter(Schema):
    parent: str | None = None
    level: int | None = None
    q: str | None = None


def _out(area: Area) -> AreaOut:
    return AreaOut(code=area.code, name=area.name, level=area.level, level_label=area.get_level_display(),
                   parent_code=area.parent_code, valid_from=area.valid_from, valid_to=area.valid_to)


@router.get("", response=list[AreaOut])
@paginate(Pages, page_size=50)
def list_areas(request, filters: Query[AreaFilter]):
    """Current areas in your scope; filter by parent code, level (1-5) or part of the name."""
    qs = scope(Area.objects.current(), request.auth, "area.view", code_path="code")
    if filters.parent:
        qs = qs.filter(parent_code=access_area(request.auth, filters.parent).code)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.q:
        qs = qs.filter(name__contains=filters.q)
    return [_out(a) for a in qs.order_by("code")]


@router.get("/{code}", response={200: AreaOut, 400: Error, 404: Error})
def get_area(request, code: str):
    return _out(access_area(request.auth, code))


@router.get("/{code}/children", response={200: list[AreaOut], 400: Error, 404: Error})
def get_children(request, code: str):
    return [_out(a) for a in area_children(access_area(request.auth, code))]
