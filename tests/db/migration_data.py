"""Fills every table of a database at some past revision, and reads every row back.

The rows are written with plain INSERTs against the schema found in the database (not the
models), so a table or column added by a future revision is filled by the same code: a column
this filler cannot satisfy fails loudly, and then it gets an entry in OVERRIDES.
Values go through the models' column types where the column still exists at head, so they are
stored the way the code stores them (e.g. UTC datetimes on SQLite).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from storage.models import Base

ROWS = 3
# Realistic values where a made-up string would not be what the code ever wrote.
OVERRIDES: dict[tuple[str, str], Any] = {
    ("managers", "language"): "ru",
    ("managers", "timezone"): "Europe/Moscow",
    ("managers", "currency"): "RUB",
    ("plans", "currency"): "RUB",
    ("sales", "currency"): "EUR",
}

Snapshot = dict[str, list[tuple[Any, ...]]]


def _head_type(table: str, column: str) -> sa.types.TypeEngine[Any] | None:
    head = Base.metadata.tables.get(table)
    if head is None or column not in head.c:
        return None
    return head.c[column].type


def _value(table: sa.Table, column: sa.Column[Any], i: int) -> Any:
    """Row i (1-based) of a column: distinct per row, inside every CHECK of the schema."""
    if (table.name, column.name) in OVERRIDES:
        return OVERRIDES[(table.name, column.name)]
    head_type = _head_type(table.name, column.name)
    if isinstance(head_type, sa.Enum):
        return head_type.enums[i % len(head_type.enums)]
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 1
    if isinstance(kind, sa.Integer):
        return i  # small and positive: satisfies day/month/amount/cadence checks
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 11, i, 9, 30, 15, 123456, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2026, 10, i)
    if isinstance(kind, sa.Time):
        return time(9, i)
    if isinstance(kind, sa.JSON):
        return {"row": i, "text": "Ромашка"}
    if isinstance(kind, sa.String):  # also Text
        length = getattr(kind, "length", None) or 200
        tail = str(i)
        return (f"{table.name}.{column.name} Ромашка "[: length - len(tail)]) + tail
    raise AssertionError(f"no filler for {table.name}.{column.name} ({kind!r}): add an override")


def _row(table: sa.Table, i: int) -> dict[str, Any]:
    row = {column.name: _value(table, column, i) for column in table.columns}
    for fk in table.foreign_keys:
        # Row i points at row i of its parent (itself for a self-reference): every FK is set.
        row[fk.parent.name] = i
    return row


def fill(connection: Connection) -> dict[str, int]:
    """Inserts ROWS rows into every table but alembic_version; returns the counts written."""
    meta = sa.MetaData()
    meta.reflect(connection)
    counts: dict[str, int] = {}
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        typed = sa.table(
            table.name,
            *(sa.column(c.name, _head_type(table.name, c.name) or c.type) for c in table.columns),
        )
        rows = [_row(table, i) for i in range(1, ROWS + 1)]
        assert all(v is not None for row in rows for v in row.values())
        connection.execute(sa.insert(typed), rows)
        counts[table.name] = len(rows)
    return counts


def layout(connection: Connection) -> dict[str, list[str]]:
    """Table name -> column names, for every table but alembic_version."""
    inspector = sa.inspect(connection)
    return {
        name: [c["name"] for c in inspector.get_columns(name)]
        for name in inspector.get_table_names()
        if name != "alembic_version"
    }


def snapshot(connection: Connection, tables: dict[str, list[str]]) -> Snapshot:
    """Every row of the given tables and columns as the driver returns it, in key order."""
    inspector = sa.inspect(connection)
    result: Snapshot = {}
    for name, cols in tables.items():
        pk = inspector.get_pk_constraint(name)["constrained_columns"] or cols
        quoted = ", ".join(f'"{c}"' for c in cols)
        order = ", ".join(f'"{c}"' for c in pk)
        rows = connection.execute(sa.text(f'SELECT {quoted} FROM "{name}" ORDER BY {order}'))
        result[name] = [tuple(row) for row in rows]
    return result
