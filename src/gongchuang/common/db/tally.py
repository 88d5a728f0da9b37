"""Summary rows kept in step with the rows they count (issue 21: figures maintained, not
recounted).

A tally model has key columns (a unique constraint over them) and integer count columns.
:func:`bump` adds deltas to the rows of some keys with one ``INSERT … ON CONFLICT … DO
UPDATE SET n = n + excluded.n`` per key (SQLite ≥ 3.24 and PostgreSQL), in the caller's
transaction: the increment is done by the database on the current row under its row lock,
so two transactions changing the same figure at once both count (no read-modify-write).
"""

from collections.abc import Mapping

from django.db import connection, models


def add_deltas(
    into: dict[tuple, dict[str, int]], key: tuple, deltas: Mapping[str, int], sign: int = 1
) -> None:
    """Accumulate ``sign`` × ``deltas`` for ``key`` in ``into`` (a defaultdict(dict) or dict)."""
    row = into.setdefault(key, {})
    for name, value in deltas.items():
        row[name] = row.get(name, 0) + sign * value


def bump(
    model: type[models.Model],
    keys: tuple[str, ...],
    changes: Mapping[tuple, Mapping[str, int]],
) -> None:
    """Add each change's deltas to the row of its key (``keys``: the key columns' attnames,
    in the order of each key tuple; every other column of ``model`` is a count). Rows that
    end at 0 stay (readers skip them)."""
    table = connection.ops.quote_name(model._meta.db_table)
    if not any(any(deltas.values()) for deltas in changes.values()):
        return
    # Every count column is written (a new row needs them all; they have no database default).
    columns = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in keys
    ]
    q = connection.ops.quote_name
    names = [*keys, *columns]
    # Table and column names are the model's own, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(q(n) for n in names)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({', '.join(q(k) for k in keys)}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in columns)
    )
    params = []
    # Sorted keys: two transactions bumping the same rows lock them in the same order.
    for key in sorted(changes, key=repr):
        deltas = changes[key]
        if not any(deltas.get(c, 0) for c in columns):
            continue
        params.append([*key, *(deltas.get(c, 0) for c in columns)])
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
