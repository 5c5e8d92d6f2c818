"""Table and column names for the statements written in SQL (claim_sql, claim_tally, the
role's and the token's reads in permissions): taken from the models' metadata, so that a
renamed table or column is followed, and quoted for the database in use."""

from __future__ import annotations

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], field_name: str) -> str:
    """The column of the model's field `field_name` ("author" gives the column of author_id)."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, Field) and field.column  # a concrete field has a column
    return connection.ops.quote_name(field.column)
