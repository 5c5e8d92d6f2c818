"""What the models cannot declare, created by 0001_initial on PostgreSQL and SQLite alike.

**The record's guard.** Triggers make the claims' record append-only below the ORM, so that
no statement, whoever runs it, rewrites or removes what the desk decided or published:

- the review history (annotations_reviewevent), the claims' versions
  (annotations_claimversion) and the re-anchorings (annotations_reanchoring) refuse every
  UPDATE, and every DELETE but one: that of a row of a claim whose history holds nothing but
  its creation (a draft that never left its author, deleted by them);
- a claim refuses a DELETE by the same rule: once submitted, it has a `submit` event;
- the public record (annotations_publication) refuses every UPDATE and DELETE: a record
  exists only once a claim was approved or retracted, and such a claim is never deleted;
- an article's revisions (annotations_articlerevision) refuse every UPDATE, and a DELETE but
  with an article no claim was ever made on.

**Search.** On SQLite, FTS5 tables over the search tables (external content), kept equal to
them by triggers; the services write the search tables. On PostgreSQL, a GIN index on the
stored vectors, and the extension pg_trgm, which ranks the claims of "checked before?"
(annotations.matching).

A table that Django rebuilds on SQLite (a later migration that alters a column) loses its
triggers: such a migration must run create_guard again (tests/test_record.py fails without).
"""

from __future__ import annotations

from typing import Any

RECORD_TABLES = ("annotations_reviewevent", "annotations_claimversion")
CLAIM_TABLE = "annotations_claim"
PUBLICATION_TABLE = "annotations_publication"
REVISIONS_TABLE = "annotations_articlerevision"
REANCHORINGS_TABLE = "annotations_reanchoring"

_RECORD_REFUSAL = (
    "The claims'' record is append-only: a claim once submitted, its history and its "
    "versions are never changed or deleted."
)
_PUBLICATION_REFUSAL = (
    "The public record is append-only: a publication, correction or retraction is never "
    "changed or deleted."
)
_REVISION_REFUSAL = (
    "An article''s revisions and its claims'' re-anchorings are append-only: they are never "
    "changed, and deleted only with an article or a claim that may go."
)
# True when the article of the row (OLD) has no claim.
_NO_CLAIM = "NOT EXISTS (SELECT 1 FROM annotations_claim AS c WHERE c.article_id = OLD.article_id)"


def _only_created(claim_id: str) -> str:
    """True when the claim `claim_id` names has nothing in its history but its creation."""
    return (
        "NOT EXISTS (SELECT 1 FROM annotations_reviewevent AS e "
        f"WHERE e.claim_id = {claim_id} AND e.action <> 'create')"
    )


def _postgresql_function(name: str, refusal: str, allowed_delete: str | None) -> str:
    """A trigger function that refuses the statement, but a DELETE when `allowed_delete`."""
    allowance = (
        ""
        if allowed_delete is None
        else f"""    IF TG_OP = 'DELETE' AND {allowed_delete} THEN
        RETURN OLD;
    END IF;
"""
    )
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
{allowance}    RAISE EXCEPTION '{refusal}' USING ERRCODE = 'restrict_violation';
END;
$$;
"""


# (table, PostgreSQL function, refusal, whether an UPDATE is refused, when a DELETE may pass)
_GUARDS: list[tuple[str, str, str, bool, str | None]] = [
    *(
        (
            table,
            "annotations_record_append_only",
            _RECORD_REFUSAL,
            True,
            _only_created("OLD.claim_id"),
        )
        for table in RECORD_TABLES
    ),
    (CLAIM_TABLE, "annotations_claim_kept", _RECORD_REFUSAL, False, _only_created("OLD.id")),
    (
        PUBLICATION_TABLE,
        "annotations_publication_append_only",
        _PUBLICATION_REFUSAL,
        True,
        None,
    ),
    (REVISIONS_TABLE, "annotations_revision_kept", _REVISION_REFUSAL, True, _NO_CLAIM),
    (
        REANCHORINGS_TABLE,
        "annotations_reanchoring_kept",
        _REVISION_REFUSAL,
        True,
        _only_created("OLD.claim_id"),
    ),
]


def guard_sql(vendor: str) -> list[str]:
    """The statements that (re)create the record's guard on `vendor`'s database."""
    statements = drop_guard_sql(vendor)
    if vendor == "postgresql":
        functions = {
            function: _postgresql_function(function, refusal, allowed)
            for _, function, refusal, _, allowed in _GUARDS
        }
        statements += functions.values()
        for table, function, _, refuse_update, _ in _GUARDS:
            events = "UPDATE OR DELETE" if refuse_update else "DELETE"
            statements.append(
                f"CREATE TRIGGER {table}_guard BEFORE {events} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}();"
            )
        return statements
    if vendor == "sqlite":
        for table, _, refusal, refuse_update, allowed in _GUARDS:
            refuse = f"BEGIN SELECT RAISE(ABORT, '{refusal}'); END;"
            if refuse_update:
                statements.append(
                    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {refuse}"
                )
            when = "" if allowed is None else f"WHEN NOT ({allowed}) "
            statements.append(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {when}{refuse}"
            )
        return statements
    raise NotImplementedError(f"No append-only triggers written for {vendor}.")


def drop_guard_sql(vendor: str) -> list[str]:
    """The statements that remove the record's guard from `vendor`'s database."""
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {table}_guard ON {table};" for table, *_ in _GUARDS),
            *(
                f"DROP FUNCTION IF EXISTS {function}();"
                for function in dict.fromkeys(function for _, function, *_ in _GUARDS)
            ),
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_{kind};"
        for table, *_ in _GUARDS
        for kind in ("no_update", "no_delete")
    ]


def create_guard(apps: Any, schema_editor: Any) -> None:
    for statement in guard_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_guard(apps: Any, schema_editor: Any) -> None:
    for statement in drop_guard_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


# SQLite's full-text tables: (FTS5 table, the search table it follows, its key).
FTS = {
    "annotations_claim_fts": ("annotations_claimsearch", "claim_id"),
    "annotations_article_fts": ("annotations_articlesearch", "article_id"),
}
POSTGRESQL_SEARCH_INDEXES = {
    "claimsearch_vector_idx": "annotations_claimsearch",
    "articlesearch_vector_idx": "annotations_articlesearch",
}


def _sqlite_search_sql() -> list[str]:
    statements = []
    for fts, (table, key) in FTS.items():
        remove_old = (
            f"INSERT INTO {fts}({fts}, rowid, document) VALUES ('delete', old.{key}, old.document);"
        )
        add_new = f"INSERT INTO {fts}(rowid, document) VALUES (new.{key}, new.document);"
        statements += [
            f"CREATE VIRTUAL TABLE {fts} USING fts5(document, content='{table}', "
            f"content_rowid='{key}', tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add_new} END",
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove_old} END",
            f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN {remove_old} {add_new} END",
        ]
    return statements


def create_search_indexes(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            *(
                f"CREATE INDEX {index} ON {table} USING gin (vector)"
                for index, table in POSTGRESQL_SEARCH_INDEXES.items()
            ),
        ]
    elif vendor == "sqlite":
        statements = _sqlite_search_sql()
    else:
        raise NotImplementedError(f"No search index written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_search_indexes(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        statements = [
            *(f"DROP INDEX IF EXISTS {index}" for index in POSTGRESQL_SEARCH_INDEXES),
            "DROP EXTENSION IF EXISTS pg_trgm",
        ]
    else:
        # The triggers live on the search tables: without their FTS table they would stop
        # every later write to them (and SQLite's rebuild of a table on the way back).
        statements = [
            *(
                f"DROP TRIGGER IF EXISTS {fts}_{event}"
                for fts in FTS
                for event in ("insert", "delete", "update")
            ),
            *(f"DROP TABLE IF EXISTS {fts}" for fts in FTS),
        ]
    for statement in statements:
        schema_editor.execute(statement, params=None)
