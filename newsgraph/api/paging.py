"""Pagination for the REST API: a hard cap on page size and one envelope for every list."""
from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

MAX_PAGE = 100  # the hard cap: no request can ask the store for more rows than this

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Rows to skip.")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None  # None on the last page


def page(rows: list, limit: int, offset: int) -> Page:
    """Build a page from up to `limit + 1` rows; the extra row only says whether a next page exists."""
    more = len(rows) > limit
    return Page(items=rows[:limit], limit=limit, offset=offset, next_offset=offset + limit if more else None)
