from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.accounts.access import access_area, scope
from fupin.areas.models import Area, AreaLevel
from fupin.areas.selectors import area_ancestors, area_children, area_history
from fupin.web.decorators import requires
from fupin.web.tables import Column, Filter, Table


def _area_link(area: Area) -> str:
    return reverse("web:area", args=[area.code])


COLUMNS = [
    Column("code", _("区划代码"), sort="code", link=_area_link),
    Column("name", _("名称"), sort="name", link=_area_link),
    Column("level", _("级别"), sort="level", render=lambda a: a.get_level_display()),
    Column("valid_from", _("生效日期"), sort="valid_from"),
]
FILTERS = [
    Filter("q", _("名称"), "name__contains"),
    Filter("code", _("代码前缀"), "code__startswith"),
    Filter("level", _("级别"), "level", choices=[(str(v), label) for v, label in AreaLevel.choices]),
]


@requires("area.view")
def area_list(request):
    qs = scope(Area.objects.current(), request.user, "area.view", code_path="code")
    table = Table(request, qs, columns=COLUMNS, filters=FILTERS, default_sort="code")
    return render(request, "areas/list.html", {"table": table})


@requires("area.view")
def area_detail(request, code: str):
    area = access_area(request.user, code)
    children = scope(area_children(area), request.user, "area.view", code_path="code")
    table = Table(request, children, columns=COLUMNS, filters=FILTERS[:1], default_sort="code", per_page=50)
    return render(request, "areas/detail.html", {
        "area": area, "ancestors": area_ancestors(area), "table": table, "history": area_history(area.code),
    })
