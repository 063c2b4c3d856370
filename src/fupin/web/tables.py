"""Reusable list pages: a sortable, filterable, paginated table over a scoped queryset.

A view builds `Table(request, queryset, columns=[...], filters=[...])`; the template
`web/components/table.html` renders it, and HTMX swaps just the table when a header, a filter or a
page link is used. Sorting and filtering accept only the declared columns, so a query string can't
reach fields the page does not show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet


@dataclass
class Column:
    name: str
    label: Any
    sort: str | None = None  # ORDER BY field; None: not sortable
    render: Callable[[Any], Any] | None = None
    link: Callable[[Any], str] | None = None


@dataclass
class Filter:
    name: str
    label: Any
    lookup: str  # e.g. "name__contains"
    choices: list[tuple[str, str]] | None = None
    clean: Callable[[str], Any] = field(default=lambda v: v)


class Table:
    def __init__(self, request, queryset: QuerySet, *, columns: list[Column], filters: list[Filter] | None = None,
                 default_sort: str = "", per_page: int = 25):
        self.request = request
        self.columns = columns
        self.filters = filters or []
        params = request.GET
        self.filter_values = {f.name: params.get(f.name, "").strip() for f in self.filters}
        qs = queryset
        for f in self.filters:
            value = self.filter_values[f.name]
            if value:
                qs = qs.filter(**{f.lookup: f.clean(value)})
        sortable = {c.name: c.sort for c in columns if c.sort}
        requested = params.get("sort", default_sort)
        self.sort = requested if requested.lstrip("-") in sortable else default_sort
        if self.sort:
            key = sortable.get(self.sort.lstrip("-"))
            if key:
                qs = qs.order_by(("-" if self.sort.startswith("-") else "") + key)
        self.paginator = Paginator(qs, per_page)
        self.page = self.paginator.get_page(params.get("page"))

    def _query(self, **changes) -> str:
        values = {**{k: v for k, v in self.filter_values.items() if v}, "sort": self.sort}
        values.update(changes)
        return "?" + urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def headers(self) -> list[dict[str, Any]]:
        out = []
        for c in self.columns:
            state = "asc" if self.sort == c.name else "desc" if self.sort == f"-{c.name}" else ""
            target = f"-{c.name}" if state == "asc" else c.name
            out.append({"label": c.label, "url": self._query(sort=target, page=1) if c.sort else "", "state": state})
        return out

    def rows(self) -> list[list[dict[str, Any]]]:
        rows = []
        for obj in self.page.object_list:
            cells = []
            for c in self.columns:
                value = c.render(obj) if c.render else getattr(obj, c.name, "")
                cells.append({"value": value, "link": c.link(obj) if c.link else ""})
            rows.append(cells)
        return rows

    def page_links(self) -> dict[str, str]:
        page = self.page
        return {
            "prev": self._query(page=page.previous_page_number()) if page.has_previous() else "",
            "next": self._query(page=page.next_page_number()) if page.has_next() else "",
        }
