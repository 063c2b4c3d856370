"""The one pagination of the API: `?page=N&page_size=M`, answering {"items": [...], "count": N}.

Bounded inputs: a page number past any real table (or past what SQLite's OFFSET can hold) is a 422,
never a server error."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
