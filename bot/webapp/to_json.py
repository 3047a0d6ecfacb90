"""Service results (frozen dataclasses of exact numbers) as plain JSON values.

Computed properties are included (plan attainment, forecast, coverage…): they are the figures
/kpi shows, and the page must not recompute them. Fractions become floats: the page only rounds
them for display, as the chat's views do.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import cache
from typing import Any

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


@cache
def _properties(cls: type) -> tuple[str, ...]:
    return tuple(
        name
        for klass in reversed(cls.__mro__)
        for name, attr in vars(klass).items()
        if isinstance(attr, property) and not name.startswith("_")
    )


def to_json(value: Any) -> JsonValue:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return to_json(value.value)
    if isinstance(value, float):
        return value
    if isinstance(value, Fraction | Decimal):
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, JsonValue] = {
            f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
        for name in _properties(type(value)):
            out[name] = to_json(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")
