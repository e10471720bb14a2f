"""Saves ≈2.6 of /services/' ≈4.2 ms, ≈4.8 of /ent/'s ≈4.9 ms: bench/profile.py A/B, ORM twins.

Queries written once, for what the portal reads at nearly every request. (A/B: the session's
user, the current enrolments and « Mes applications » read through their ORM twins instead,
n=100, three alternated rounds: /services/ 1.63× [1.04–1.80], /ent/ 1.96× [1.76–2.10].)

Through the ORM, compiling such a query (joins, ``select_related``, a many-to-many) cost two to
six times running it and building its objects (bench/README.md). A ``RowQuery`` is
plain SQL written next to its ORM twin, and gives the same model instances: every column of
each model, the database's converters applied as the ORM applies them (SQLite returns naive
datetimes, JSON arrives as text…). Each one is held to its ORM twin by a test.
"""

import functools

from django.db import connections


def fetch(sql, params, using="default"):
    """The rows of a query written once, as tuples."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class RowQuery:
    """``SELECT`` every column of each (model, alias), then ``tail`` (FROM … WHERE … ORDER BY)
    with ``%s`` parameters. ``rows`` gives one tuple of instances per row; a model whose primary
    key is NULL in a row (a LEFT JOIN that found nothing) gives None."""

    def __init__(self, models, tail):
        self.models = models
        self.tail = tail

    @functools.cache  # noqa: B019 (a handful of module-level queries, one entry per database)
    def _prepared(self, using):
        connection = connections[using]
        columns, converters, sizes, pks = [], [], [], []
        for model, alias in self.models:
            fields = model._meta.concrete_fields
            sizes.append(len(fields))
            pks.append(fields.index(model._meta.pk))
            for field in fields:
                columns.append(f"{alias}.{connection.ops.quote_name(field.column)}")
                column = field.get_col(alias)
                found = connection.ops.get_db_converters(column)
                found += field.get_db_converters(connection)
                if found:
                    converters.append((len(columns) - 1, column, found))
        # Columns from the models' own fields, quoted by the database; values are parameters.
        sql = f"SELECT {', '.join(columns)} {self.tail}"
        return sql, converters, sizes, pks

    def rows(self, params, using="default"):
        sql, converters, sizes, pks = self._prepared(using)
        connection = connections[using]
        fetched = fetch(sql, params, using)
        result = []
        for row in fetched:
            row = list(row)
            for index, column, functions in converters:
                for function in functions:
                    row[index] = function(row[index], column, connection)
            instances, start = [], 0
            for (model, _alias), size, pk in zip(self.models, sizes, pks, strict=True):
                values = row[start : start + size]
                start += size
                instances.append(None if values[pk] is None else model.from_db(using, None, values))
            result.append(tuple(instances))
        return result
