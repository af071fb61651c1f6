"""Plain SQL where the ORM's query building costs more than the query: helpers."""

from __future__ import annotations

from django.db import connection


def insert_unless_taken(obj) -> bool:
    """INSERT ``obj`` unless a unique constraint already holds its key: True (and ``obj.pk``
    set) when inserted, False when the row was there.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` (SQLite 3.35+, PostgreSQL), where
    ``create()`` would need a savepoint around it to survive the IntegrityError inside a
    transaction: two round trips more on PostgreSQL. Any other error (a foreign key, a NOT
    NULL) still raises."""
    meta = obj._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk or obj.pk is not None]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
        f" ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return True


def placeholders(values) -> str:
    """``%s, %s, …`` for a parameter list, as in ``IN ({placeholders(ids)})``."""
    return ", ".join(["%s"] * len(values))
