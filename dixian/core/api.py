"""Building blocks shared by the apps' REST routers (their `api.py` modules)."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_PAGE = 200


class Pagination(LimitOffsetPagination):
    """limit/offset paging with a total count; a limit above MAX_PAGE is a 422, not a
    silent cut, so a client never mistakes a short page for the end of the list."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"每页条数（1–{MAX_PAGE}）")
        offset: int = Field(0, ge=0, description="跳过的条数")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="符合条件的总条数（不受分页影响）")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)
