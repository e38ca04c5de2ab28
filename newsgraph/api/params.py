"""Request parameters shared by the routes, typed so the OpenAPI schema states exactly what the server accepts.

Closed sets of values are enums built from the code's own constants, integers carry the bounds SQLite can hold,
and dates carry `format: date`: a request the schema allows is one the server answers, and the reverse.
"""
from __future__ import annotations

import calendar
import re
from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import AfterValidator, WithJsonSchema

from ..errors import NotFound
from ..events.typology import MODALITIES, SUBTYPES, TYPES
from ..export import FORMATS
from ..model import ENTITY_LABELS

MAX_ID = 2**63 - 1  # SQLite's largest INTEGER: no row id is larger, and a larger number overflows the driver


def _literal(values):
    return Literal[tuple(values)]  # an enum in the schema; anything else is a 422 naming the allowed values


ModalityName = _literal(MODALITIES)
EventTypeName = _literal([*TYPES, *(f"{t}.{s}" for t in TYPES for s in SUBTYPES.get(t, ()))])
EntityLabel = _literal(sorted(ENTITY_LABELS))
ExportFormat = _literal(FORMATS)


def id_path(what: str):
    """A row id in the path: 1 to 2**63 - 1."""
    return Annotated[int, Path(ge=1, le=MAX_ID, description=f"The {what}'s id.")]


ArticleId = id_path("article")
EntityId = id_path("entity")
StoryId = id_path("story")

# ---- dates ----------------------------------------------------------------------------------------------------

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # [0-9], not \d: no Unicode digits
_YEAR_MONTH = "^[0-9]{4}(-(0[1-9]|1[0-2]))?$"


def check_date(value: str) -> str:
    """`YYYY`, `YYYY-MM` or a real calendar date `YYYY-MM-DD`; anything else is a ValueError (a 422)."""
    m = _DATE.match(value)
    if not m:
        raise ValueError("give a date as YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = int(m[1]), m[2], m[3]
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value}: there is no month {month}")
    if day is not None:
        # Not datetime.date: RFC 3339 allows year 0000, which Python's dates do not.
        last = 29 if int(month) == 2 and calendar.isleap(year) else calendar.mdays[int(month)]
        if not 1 <= int(day) <= last:
            raise ValueError(f"{value}: there is no day {day} in that month")
    return value


def date_query(description: str):
    # The schema says "a full date, or a year or year-month prefix"; check_date enforces the same on the server.
    return Annotated[str | None, AfterValidator(check_date), Query(description=description),
                     WithJsonSchema({"anyOf": [{"type": "string", "format": "date"},
                                               {"type": "string", "pattern": _YEAR_MONTH}]})]


# ---- entity references ----------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")


def entity_ref(value: str | None) -> int | str | None:
    """An entity filter: all ASCII digits is an id (one beyond SQLite's range names no entity), else a name."""
    if value is None or not _DIGITS.fullmatch(value.strip()):
        return value
    number = int(value.strip())  # int() strips less than str.strip(): not \x1c-\x1f
    if number > MAX_ID:
        raise NotFound(f"no entity with id {value.strip()}")
    return number
